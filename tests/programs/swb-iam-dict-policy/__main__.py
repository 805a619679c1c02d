"""A build runner: one instance whose role trust policy and managed policy are both written as
Python dicts wrapped in Output.from_input instead of JSON text; the provider takes such an object for a
string field as its JSON, so the program runs under a preview. The policy's ARN feeds an attachment, and
its text (JSON, as the provider gives it back) a tag of the instance."""

import json

import pulumi
import pulumi_aws as aws

trust = pulumi.Output.from_input(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
)
role = aws.iam.Role("runner-role", assume_role_policy=trust)

artifacts = aws.iam.Policy(
    "artifacts",
    policy=pulumi.Output.from_input(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}],
        }
    ),
)
aws.iam.RolePolicyAttachment("runner-artifacts", role=role.name, policy_arn=artifacts.arn)

profile = aws.iam.InstanceProfile("runner-profile", role=role.name)
aws.ec2.Instance(
    "runner",
    instance_type="t3.micro",
    ami="ami-0abcdef1234567890",
    iam_instance_profile=profile.name,
    tags={"policy-version": artifacts.policy.apply(lambda text: json.loads(text)["Version"])},
)
