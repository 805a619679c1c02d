"""Remote components whose children an offline plan never sees: pulumi-eks's `eks:index:*` and awsx's
`awsx:ec2:Vpc` register one component each, and their provider creates the cloud resources at deploy time.
Each is priced here as the resources it would create with the program's arguments and the component's
documented defaults, by handing stand-ins of those resources to the AWS rules. When the graph holds the
children (a stack export, a preview), they are priced themselves and these rules stand aside
(`estimator.estimate`). Any other remote component without children is reported *not estimated* by name.

Defaults, as the component sources set them:
- pulumi-eks (github.com/pulumi/pulumi-eks @7bf0c1b, 2026-08-12): a Cluster makes a default node group
  unless `skipDefaultNodeGroup`, `fargate` or `autoMode.enabled`; with `fargate`, a Fargate profile for the
  `default` and `kube-system` namespaces (priced as `aws:eks/fargateProfile`, from the cluster's usage entry); a node group's `instanceType` defaults to
  t3.medium (nodejs/eks/nodes/instances.ts), `desiredCapacity` 2, `minSize` 1, `maxSize` 2, a 20 GiB gp2
  root volume (nodejs/eks/nodes/nodegroup.ts); a ManagedNodeGroup's `scalingConfig` defaults to 2 / 1 / 2.
- awsx (github.com/pulumi/pulumi-awsx @e60adf3, 2026-08-20, awsx/ec2/vpc.ts): a Vpc spans
  `availabilityZoneNames`, else `numberOfAvailabilityZones` (default 3) zones; `natGateways.strategy`
  defaults to OnePerAz (one NAT gateway and Elastic IP per zone; Single: one; None: none). An
  `awsx:lb:ApplicationLoadBalancer` / `NetworkLoadBalancer` is one load balancer of that type
  (awsx/lb/applicationLoadBalancer.ts). An `awsx:ecs:FargateService` is an ECS service on FARGATE with
  `desiredCount` 1 unless given (awsx/ecs/fargateService.ts), whose task size, when its
  `taskDefinitionArgs` leave `cpu` / `memory` out, is the cheapest Fargate size that holds the sum of its
  containers' cpu and memory (memoryReservation first) by awsx's own price order
  (awsx/ecs/fargateMemoryAndCpu.ts). An `awsx:lb:TargetGroupAttachment` makes a target group attachment
  (and a Lambda permission for a function target; awsx/lb/targetGroupAttachment.ts): free.
- pulumi-aws-quickstart-vpc (github.com/pulumi/pulumi-aws-quickstart-vpc @2523b35, provider/pkg/provider/vpc.go):
  a Vpc makes one Elastic IP and NAT gateway per `availabilityZoneConfig` entry with an availability zone and
  a public subnet CIDR, unless `createNatGateways` or `createPublicSubnets` is false (both default true)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import as_dict, count, unpriced, with_notes
from aiinfra.estimate.model import HOURS_PER_MONTH, Charge, Free
from aiinfra.estimate.registry import free, rule
from aiinfra.estimate.rules import aws, aws_services
from aiinfra.estimate.rules.common import item_charge, priced, stand_in

EKS_SOURCE = "pulumi-eks @7bf0c1b defaults"
AWSX_SOURCE = "awsx @e60adf3 defaults"
EKS_NODE_DEFAULTS = {"instanceType": "t3.medium", "desiredCapacity": 2, "minSize": 1, "maxSize": 2}
EKS_ROOT_VOLUME_GIB = 20
AWSX_DEFAULT_ZONES = 3


def _node_group(r: PlannedResource, ctx: Context, options: dict[str, Any], what: str) -> list[Charge]:
    """A pulumi-eks self-managed node group (an Auto Scaling group) priced as a node group of the same
    machines, counts and root volume."""
    given = {k: options.get(k) for k in EKS_NODE_DEFAULTS}
    chosen = {k: v if v is not None else EKS_NODE_DEFAULTS[k] for k, v in given.items()}
    notes = [f"{what}: {k} {EKS_NODE_DEFAULTS[k]} ({EKS_SOURCE})" for k, v in given.items() if v is None]
    root = options.get("nodeRootVolumeSize")
    inputs = {
        "instanceTypes": [chosen["instanceType"]],
        "scalingConfig": {
            "desiredSize": chosen["desiredCapacity"],
            "minSize": chosen["minSize"],
            "maxSize": chosen["maxSize"],
        },
        "diskSize": root if root is not None else EKS_ROOT_VOLUME_GIB,
    }
    if options.get("spotPrice") is not None:
        inputs["capacityType"] = "SPOT"
    charges = priced(aws.eks_node_group(stand_in(r, aws.NODE_GROUP, inputs), ctx))
    managed = f"EKS managed node group root volume type: {aws.EKS_DEFAULT_DISK[0]}"
    own = f"{what}: root volume type {aws.EKS_DEFAULT_DISK[0]} ({EKS_SOURCE})"
    kind = options.get("nodeRootVolumeType")
    if kind is not None:  # the program's type (gp3, io1, ...) for the root volumes, at their size and count
        size = Decimal(str(inputs["diskSize"]))
        charges = [_root_as(c, str(kind), size, r, ctx) if managed in c.assumptions else c for c in charges]
    charges = [
        dataclasses.replace(c, assumptions=tuple(own if a == managed else a for a in c.assumptions))
        for c in charges
    ]
    return with_notes(charges, notes)


def _root_as(root: Charge, kind: str, size: Decimal, r: PlannedResource, ctx: Context) -> Charge:
    """The node group's root-volume charge again with the volume type the program names
    (`nodeRootVolumeType`): the same GiB per node and average nodes."""
    nodes = root.quantity / size if size else Decimal(0)
    again = aws._ebs(
        ctx, aws._region(r, ctx), {"volumeSize": size, "volumeType": kind}, nodes, "root volumes"
    )
    return dataclasses.replace(again, assumptions=())


@rule("eks:index:Cluster")
def eks_cluster(r: PlannedResource, ctx: Context) -> list[Charge]:
    inputs = r.inputs
    plane = priced(aws.eks_cluster(stand_in(r, aws.EKS_CLUSTER, {"version": inputs.get("version")}), ctx))
    auto = as_dict(inputs.get("autoMode")).get("enabled") is True
    if inputs.get("fargate"):
        # pulumi-eks makes a Fargate profile for the `default` and `kube-system` namespaces
        # (nodejs/eks/cluster/cluster.ts): its pods are priced as that profile's, from the cluster's usage entry
        profile = stand_in(r, aws_services.EKS_FARGATE_PROFILE, {})
        pods = with_notes(
            priced(aws_services.eks_fargate_profile(profile, ctx)),
            [f"fargate: a Fargate profile for the default and kube-system namespaces ({EKS_SOURCE})"],
        )
        return plane + pods
    if inputs.get("skipDefaultNodeGroup") is True or auto:
        return plane
    options = as_dict(inputs.get("nodeGroupOptions")) or inputs
    return plane + _node_group(r, ctx, options, "default node group")


@rule("eks:index:NodeGroup", "eks:index:NodeGroupV2")
def eks_self_managed_node_group(r: PlannedResource, ctx: Context) -> list[Charge]:
    return _node_group(r, ctx, r.inputs, "node group")


@rule("eks:index:ManagedNodeGroup")
def eks_managed_node_group(r: PlannedResource, ctx: Context) -> list[Charge]:
    scaling = as_dict(r.inputs.get("scalingConfig"))
    filled = {
        "desiredSize": 2,
        "minSize": 1,
        "maxSize": 2,
        **{k: v for k, v in scaling.items() if v is not None},
    }
    notes = [] if scaling else [f"scalingConfig: desired 2, min 1, max 2 ({EKS_SOURCE})"]
    inputs = {**r.inputs, "scalingConfig": filled}
    return with_notes(priced(aws.eks_node_group(stand_in(r, aws.NODE_GROUP, inputs), ctx)), notes)


def _times(charges: list[Charge], n: int, what: str) -> list[Charge]:
    return [
        dataclasses.replace(c, quantity=c.quantity * n, description=f"{n} × {c.description} ({what})")
        for c in charges
    ]


@rule("awsx:ec2:Vpc")
def awsx_vpc(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    inputs = r.inputs
    names = inputs.get("availabilityZoneNames")
    zones = (
        len(names)
        if isinstance(names, list) and names
        else count(inputs.get("numberOfAvailabilityZones"), "numberOfAvailabilityZones", AWSX_DEFAULT_ZONES)
        or 0
    )
    nat = as_dict(inputs.get("natGateways"))
    strategy = nat.get("strategy") or "OnePerAz"
    gateways = {"OnePerAz": zones, "Single": 1}.get(str(strategy), 0)
    notes = [f"{zones} zones, NAT gateway strategy {strategy} ({AWSX_SOURCE} where the program is silent)"]
    if gateways == 0:
        return Free(f"awsx Vpc without NAT gateways (strategy {strategy}): subnets and routes cost nothing")
    charges = _times(
        priced(aws.nat_gateway(stand_in(r, "aws:ec2/natGateway:NatGateway", {}), ctx)), gateways, "awsx Vpc"
    )
    if not nat.get("elasticIpAllocationIds"):  # the Vpc allocates one Elastic IP per NAT gateway
        charges += _times(
            priced(aws.elastic_ip(stand_in(r, "aws:ec2/eip:Eip", {}), ctx)), gateways, "awsx Vpc"
        )
    return with_notes(charges, notes)


# Custom resources of the eks provider itself (older pulumi-eks versions record them in a stack's state): they
# configure the cluster and cost nothing; what runs on it is priced with the node groups.
free(
    "pulumi-eks bookkeeping: a random name suffix, or the VPC CNI settings applied to the cluster (no charge)",
    "eks:index:RandomSuffix",
    "eks:index:VpcCni",
)

# pulumi-eks components around a cluster that bill nothing themselves (pulumi-eks 4.2 SDK: addon.py,
# vpc_cni_addon.py, node_group_security_group.py, cluster_creation_role_provider.py): an EKS add-on (AWS
# charges nothing for the add-on; what it runs is on the priced nodes), the VPC CNI add-on, a node security
# group, and the IAM role and provider a cluster is created with.
free(
    "pulumi-eks component that bills nothing itself: an EKS add-on (its pods run on the priced nodes), a node "
    "security group, or the IAM role a cluster is created with",
    "eks:index:Addon",
    "eks:index:VpcCniAddon",
    "eks:index:NodeGroupSecurityGroup",
    "eks:index:ClusterCreationRoleProvider",
)


@rule("awsx:lb:ApplicationLoadBalancer", "awsx:lb:NetworkLoadBalancer")
def awsx_load_balancer(r: PlannedResource, ctx: Context) -> list[Charge]:
    kind = "application" if r.type.endswith("ApplicationLoadBalancer") else "network"
    resource = stand_in(r, "aws:lb/loadBalancer:LoadBalancer", {"loadBalancerType": kind})
    return with_notes(
        priced(aws_services.load_balancer(resource, ctx)), [f"one {kind} load balancer ({AWSX_SOURCE})"]
    )


AWSX_FARGATE_SIZES: tuple[tuple[Decimal, Decimal], ...] = tuple(
    sorted(
        (
            (Decimal(vcpu), Decimal(gb))
            for vcpu, gbs in (
                ("0.25", ("0.5", "1", "2")),
                ("0.5", tuple(str(g) for g in range(1, 5))),
                ("1", tuple(str(g) for g in range(2, 9))),
                ("2", tuple(str(g) for g in range(4, 17))),
                ("4", tuple(str(g) for g in range(8, 31))),
                ("8", tuple(str(g) for g in range(16, 61))),
                ("16", tuple(str(g) for g in range(32, 121))),
                ("32", ("60", "120", "244")),
            )
            for gb in gbs
        ),
        key=lambda size: Decimal("0.04048") * size[0] + Decimal("0.004445") * size[1],
    )
)
"""The Fargate task sizes (vCPU, GB) awsx picks from, cheapest first by awsx's own weights (its
fargateMemoryAndCpu.ts: 0.04048 per vCPU + 0.004445 per GB; equal costs keep this order)."""


def awsx_fargate_size(containers: list[dict[str, Any]]) -> tuple[Decimal, Decimal] | None:
    """What awsx gives a task whose definition sets no cpu / memory: the cheapest size holding the sum of
    its containers' cpu units (/1024) and memoryReservation, else memory (MiB, /1024); None above 32 vCPU /
    244 GB (awsx refuses those)."""
    cpu = sum((Decimal(str(c.get("cpu") or 0)) for c in containers), Decimal(0)) / 1024
    memory = sum(
        (Decimal(str(c.get("memoryReservation") or c.get("memory") or 0)) for c in containers), Decimal(0)
    )
    return next(((v, g) for v, g in AWSX_FARGATE_SIZES if v >= cpu and g >= memory / 1024), None)


@rule("awsx:ecs:FargateService")
def awsx_fargate_service(r: PlannedResource, ctx: Context) -> list[Charge]:
    inputs = r.inputs
    if inputs.get("capacityProviderStrategies") or inputs.get("useClusterDefaultCapacityProviderStrategy"):
        return [
            unpriced(
                f"Fargate tasks of {r.name}",
                "vCPU-hours",
                "its capacity provider strategy (FARGATE or FARGATE_SPOT, in shares) decides the price",
            )
        ]
    task = as_dict(inputs.get("taskDefinitionArgs"))
    if not task:
        return [
            unpriced(f"Fargate tasks of {r.name}", "vCPU-hours", "its task definition is not in the plan")
        ]
    containers = [as_dict(c) for c in (as_dict(task.get("containers")).values())] or [
        as_dict(task.get("container"))
    ]
    notes = [] if inputs.get("desiredCount") is not None else [f"desiredCount 1 ({AWSX_SOURCE})"]
    desired = count(inputs.get("desiredCount"), "desiredCount", 1)
    if task.get("cpu") not in (None, "") and task.get("memory") not in (None, ""):
        vcpu, gb = aws_services.fargate_size(task.get("cpu"), task.get("memory"))
    else:
        size = awsx_fargate_size(containers)
        if size is None:
            return [
                unpriced(
                    f"Fargate tasks of {r.name}", "vCPU-hours", "its containers exceed every Fargate size"
                )
            ]
        vcpu, gb = size
        notes.append(
            f"task size {vcpu} vCPU / {gb} GB: the smallest that holds its containers ({AWSX_SOURCE})"
        )
    arch = (
        "arm"
        if str(as_dict(task.get("runtimePlatform")).get("cpuArchitecture", "")).upper() == "ARM64"
        else "x86"
    )
    hours = Decimal(desired or 0) * HOURS_PER_MONTH
    shape = f"{desired} tasks × {vcpu} vCPU / {gb} GB"
    return with_notes(
        [
            item_charge(
                r,
                ctx,
                "fargate",
                f"linux-{arch}-vcpu-hour",
                vcpu * hours,
                "vCPU-hours",
                f"Fargate vCPU: {shape}",
                cloud="aws",
            ),
            item_charge(
                r,
                ctx,
                "fargate",
                f"linux-{arch}-gb-hour",
                gb * hours,
                "GB-hours",
                f"Fargate memory: {shape}",
                cloud="aws",
            ),
        ],
        notes,
    )


free(
    "awsx component that bills nothing itself: a task definition (its tasks are priced on their service), "
    "an ECS service on EC2 capacity (its tasks run on instances priced apart), or the account's default VPC",
    "awsx:ecs:FargateTaskDefinition",
    "awsx:ecs:EC2TaskDefinition",
    "awsx:ecs:EC2Service",
    "awsx:ec2:DefaultVpc",
)


@rule("awsx:ecr:Repository")
def awsx_ecr_repository(r: PlannedResource, ctx: Context) -> list[Charge]:
    """An ECR repository (with its lifecycle policy; awsx/ecr/repository.ts): the images it stores, by the
    usage file's storageGiB, as a plain `aws:ecr/repository:Repository`."""
    resource = stand_in(r, "aws:ecr/repository:Repository", {})
    return with_notes(
        priced(aws_services.ecr_repository(resource, ctx)), [f"one ECR repository ({AWSX_SOURCE})"]
    )


free(
    "awsx image build: no charge of its own (built where the program runs; the image is stored, and billed, in "
    "its ECR repository)",
    "awsx:ecr:Image",
    "awsx:ecr:RegistryImage",
)


# awsx/lb/targetGroupAttachment.ts (@e60adf3): an aws.lb.TargetGroupAttachment, and for a Lambda target an
# aws.lambda.Permission letting the load balancer invoke it; neither bills (the load balancer and the function
# are priced on their own lines).
free(
    "awsx target group attachment: registers an instance or Lambda function with a target group (and, for a "
    "function, a Lambda permission); no charge (the load balancer and its targets are priced apart)",
    "awsx:lb:TargetGroupAttachment",
)

QUICKSTART_SOURCE = "pulumi-aws-quickstart-vpc @2523b35 provider/pkg/provider/vpc.go"


@rule("aws-quickstart-vpc:index:Vpc")
def quickstart_vpc(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """pulumi-aws-quickstart-vpc's Vpc makes, for every `availabilityZoneConfig` entry with an
    `availabilityZone` and a `publicSubnetCidr`, a public subnet and (unless `createNatGateways` or
    `createPublicSubnets` is false; both default true) one Elastic IP and one NAT gateway: priced as awsx's
    are. Its flow logs (`createFlowLogs`, default true) go to a CloudWatch log group whose ingestion is not
    priced here, which the lines say."""
    inputs = r.inputs
    zones = [as_dict(z) for z in inputs.get("availabilityZoneConfig") or [] if isinstance(z, dict)]
    public = [z for z in zones if z.get("availabilityZone") and z.get("publicSubnetCidr")]
    nat_on = inputs.get("createNatGateways") is not False and inputs.get("createPublicSubnets") is not False
    gateways = len(public) if nat_on else 0
    if gateways == 0:
        return Free(
            "quickstart Vpc without NAT gateways (no zone with a public subnet, or createNatGateways / "
            "createPublicSubnets false): the VPC, subnets, routes and internet gateway cost nothing"
        )
    what = "quickstart Vpc"
    charges = _times(
        priced(aws.nat_gateway(stand_in(r, "aws:ec2/natGateway:NatGateway", {}), ctx)), gateways, what
    ) + _times(priced(aws.elastic_ip(stand_in(r, "aws:ec2/eip:Eip", {}), ctx)), gateways, what)
    notes = [
        f"one NAT gateway and Elastic IP per zone with a public subnet: {gateways} ({QUICKSTART_SOURCE})"
    ]
    if inputs.get("createFlowLogs") is not False:
        notes.append("its VPC flow logs' CloudWatch Logs ingestion is not priced")
    return with_notes(charges, notes)
