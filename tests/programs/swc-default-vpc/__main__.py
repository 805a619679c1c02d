"""A web server in every public subnet of the account's default VPC, and one in every public subnet of a
new awsx VPC: the default VPC's subnets are read during a preview (known), the new VPC's are created
(unknown), so only the first loop runs before anything is deployed."""

import pulumi
import pulumi_aws as aws
import pulumi_awsx as awsx

default = awsx.ec2.DefaultVpc("default")
fresh = awsx.ec2.Vpc("fresh", nat_gateways=awsx.ec2.NatGatewayConfigurationArgs(strategy="None"))


def servers(prefix: str, subnet_ids: list[str]) -> list[aws.ec2.Instance]:
    return [
        aws.ec2.Instance(f"{prefix}-{i}", ami="ami-0abcdef1234567890", instance_type="t3.micro", subnet_id=s)
        for i, s in enumerate(subnet_ids)
    ]


default.public_subnet_ids.apply(lambda ids: servers("web", ids))
fresh.public_subnet_ids.apply(lambda ids: servers("app", ids))
pulumi.export("vpc", default.vpc_id)
