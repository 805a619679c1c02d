"""An ML platform from components: an awsx VPC over two zones with one shared NAT gateway, a pulumi-eks
cluster whose default node group is three t3.large, a managed GPU node group (g5.2xlarge) sized from
config, a self-managed node group that names nothing (pulumi-eks defaults), an awsx Fargate service sized by
its container, and an awsx CloudTrail trail that the estimator does not know. It says how many GPU nodes it
asks for, as programs do."""

import pulumi
import pulumi_aws as aws
import pulumi_awsx as awsx
import pulumi_eks as eks

config = pulumi.Config()
gpu_nodes = int(config.get("gpuNodes") or "1")
print(f"GPU nodes: {gpu_nodes}")

vpc = awsx.ec2.Vpc(
    "ml",
    cidr_block="10.20.0.0/16",
    availability_zone_names=["us-east-1a", "us-east-1b"],
    nat_gateways=awsx.ec2.NatGatewayConfigurationArgs(strategy=awsx.ec2.NatGatewayStrategy.SINGLE),
)

cluster = eks.Cluster(
    "ml",
    vpc_id=vpc.vpc_id,
    public_subnet_ids=vpc.public_subnet_ids,
    private_subnet_ids=vpc.private_subnet_ids,
    instance_type="t3.large",
    desired_capacity=3,
    min_size=3,
    max_size=5,
    # access entries: a managed node group's role need not be listed in the cluster's instanceRoles
    authentication_mode=eks.AuthenticationMode.API,
)

node_role = aws.iam.Role(
    "gpu-nodes",
    assume_role_policy=aws.iam.get_policy_document(
        statements=[
            aws.iam.GetPolicyDocumentStatementArgs(
                actions=["sts:AssumeRole"],
                principals=[
                    aws.iam.GetPolicyDocumentStatementPrincipalArgs(
                        type="Service", identifiers=["ec2.amazonaws.com"]
                    )
                ],
            )
        ]
    ).json,
)

for i, policy in enumerate(
    ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"]
):
    aws.iam.RolePolicyAttachment(
        f"gpu-nodes-{i}", role=node_role.name, policy_arn=f"arn:aws:iam::aws:policy/{policy}"
    )

eks.ManagedNodeGroup(
    "gpu",
    cluster=cluster,
    node_role=node_role,
    instance_types=["g5.2xlarge"],
    scaling_config=aws.eks.NodeGroupScalingConfigArgs(desired_size=gpu_nodes, min_size=0, max_size=4),
)

eks.NodeGroupV2("batch", cluster=cluster)

awsx.ecs.FargateService(
    "inference-api",
    desired_count=2,
    task_definition_args=awsx.ecs.FargateServiceTaskDefinitionArgs(
        container=awsx.ecs.TaskDefinitionContainerDefinitionArgs(
            name="api",
            image="public.ecr.aws/docker/library/nginx:latest",
            cpu=512,
            memory=1024,
            essential=True,
        )
    ),
)

awsx.cloudtrail.Trail("audit", enable_logging=True)

pulumi.export("kubeconfig", cluster.kubeconfig)
