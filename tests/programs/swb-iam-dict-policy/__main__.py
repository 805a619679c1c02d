"""A build runner: one instance whose role trust policy and managed policy are both written as
Python dicts wrapped in Output.from_input instead of JSON text; the provider takes such an object for a
string field as its JSON, so the program runs under a preview. The policy's ARN feeds an attachment, and
its text (JSON, as the provider gives it back) a tag of the instance. A second policy's document holds an
output unknown until the instance exists; a secret parameter's value (a string) feeds another tag."""

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
# a secret string output: the SDK carries it wrapped, and it must read back as the string
token = aws.ssm.Parameter("runner-token", type="SecureString", value=pulumi.Output.secret("s3cr3t-value"))

runner = aws.ec2.Instance(
    "runner",
    instance_type="t3.micro",
    ami="ami-0abcdef1234567890",
    iam_instance_profile=profile.name,
    tags={
        "policy-version": artifacts.policy.apply(lambda text: json.loads(text)["Version"]),
        "token-length": token.value.apply(lambda text: str(len(text))),
    },
)

# a policy whose document holds an output a preview does not know yet (the instance's private address)
aws.iam.Policy(
    "runner-self",
    policy=pulumi.Output.from_input(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["ec2:DescribeTags"],
                    "Resource": "*",
                    "Condition": {"IpAddress": {"aws:SourceIp": runner.private_ip}},
                }
            ],
        }
    ),
)
