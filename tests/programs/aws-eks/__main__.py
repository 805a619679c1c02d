"""An EKS cluster built from pulumi_aws resources in the default VPC: the control plane, a node group that
names its instance type (three m5.large) and one that leaves instance types out, which EKS runs on
t3.medium. The VPC and subnets are looked up, not created."""

import json

import pulumi
import pulumi_aws as aws

vpc = aws.ec2.get_vpc(default=True)
subnets = aws.ec2.get_subnets(filters=[aws.ec2.GetSubnetsFilterArgs(name="vpc-id", values=[vpc.id])])


def role(name: str, service: str, policies: list[str]) -> aws.iam.Role:
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
    }
    created = aws.iam.Role(name, assume_role_policy=json.dumps(trust))
    for i, arn in enumerate(policies):
        aws.iam.RolePolicyAttachment(f"{name}-{i}", role=created.name, policy_arn=arn)
    return created


cluster_role = role("cluster-role", "eks.amazonaws.com", ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"])
node_role = role(
    "node-role",
    "ec2.amazonaws.com",
    [
        "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
        "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
    ],
)

cluster = aws.eks.Cluster(
    "team",
    role_arn=cluster_role.arn,
    version="1.35",
    vpc_config=aws.eks.ClusterVpcConfigArgs(
        subnet_ids=subnets.ids, endpoint_private_access=True, endpoint_public_access=False
    ),
)

aws.eks.NodeGroup(
    "general",
    cluster_name=cluster.name,
    node_role_arn=node_role.arn,
    subnet_ids=subnets.ids,
    instance_types=["m5.large"],
    scaling_config=aws.eks.NodeGroupScalingConfigArgs(desired_size=3, min_size=3, max_size=6),
)

aws.eks.NodeGroup(
    "system",
    cluster_name=cluster.name,
    node_role_arn=node_role.arn,
    subnet_ids=subnets.ids,
    scaling_config=aws.eks.NodeGroupScalingConfigArgs(desired_size=2, min_size=1, max_size=2),
)

pulumi.export("cluster_name", cluster.name)
