"""AWS rules: every billable resource the AWS components create, plus plain EC2 / EBS / S3 so any Pulumi
program can be estimated. Type tokens are pulumi-aws 7's."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.compute import Pool, machine_charges
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import as_dict, count, unpriced
from aiinfra.estimate.inputs import region as region_of
from aiinfra.estimate.inputs import size as size_of
from aiinfra.estimate.machines import Machines, machines_of
from aiinfra.estimate.model import HOURS_PER_MONTH, Charge, Free
from aiinfra.estimate.registry import free, rule
from aiinfra.estimate.storage import nat_gateway_charges, service_charge, storage_charge

CLOUD = "aws"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
EC2_INSTANCE = "aws:ec2/instance:Instance"
AUTOSCALING_GROUP = "aws:autoscaling/group:Group"
NO_ASG_TYPE = "no instanceType on the group's launch template or mixed-instances overrides"
MANAGED = "managed service: energy not modelled (no public power figure)"


def _region(r: PlannedResource, ctx: Context) -> str | None:
    return region_of(r, ctx, CLOUD)


def _launch_template(r: PlannedResource, ctx: Context) -> PlannedResource | None:
    ref = (r.inputs.get("launchTemplate") or {}).get("id") or (r.inputs.get("launchTemplate") or {}).get(
        "name"
    )
    if not r.inputs.get("launchTemplate"):
        return None
    return ctx.referenced(ref, LAUNCH_TEMPLATE, r)


def _option(capacity_type: str | None, template: PlannedResource | None) -> str:
    """EKS capacityType plus the launch template's reservation → a purchase option."""
    if capacity_type == "SPOT":
        return "spot"
    if capacity_type == "CAPACITY_BLOCK":
        return "capacity_block"
    if template is not None:
        market = (template.inputs.get("instanceMarketOptions") or {}).get("marketType")
        if market == "capacity-block":
            return "capacity_block"
        if market == "spot":
            return "spot"
        target = (template.inputs.get("capacityReservationSpecification") or {}).get(
            "capacityReservationTarget"
        )
        if target:
            return "reservation"
    return "on_demand"


@machines_of(NODE_GROUP)
def node_group_machines(r: PlannedResource, ctx: Context) -> list[Machines]:
    """An EKS node group: its instanceTypes, else its launch template's instanceType; scalingConfig sizes;
    capacityType and the template's market options or reservation."""
    listed = ctx.value(r, "instanceTypes")
    types = tuple(str(t) for t in listed if t) if isinstance(listed, list) else ()
    template = _launch_template(r, ctx)
    if not types and template is not None and template.inputs.get("instanceType"):
        types = (str(template.inputs["instanceType"]),)
    scaling = as_dict(ctx.value(r, "scalingConfig"))
    lo = count(scaling.get("minSize"), "scalingConfig.minSize")
    desired = count(scaling.get("desiredSize"), "scalingConfig.desiredSize", lo if lo is not None else 0) or 0
    hi = count(scaling.get("maxSize"), "scalingConfig.maxSize", desired) or 0
    lo = desired if lo is None else lo
    option = _option(r.inputs.get("capacityType"), template)
    return [Machines(r, CLOUD, _region(r, ctx), types, lo, desired, hi, option)]


def _node_group_pool(r: PlannedResource, ctx: Context) -> Pool | None:
    (m,) = node_group_machines(r, ctx)
    return m.pool if m.types else None


@rule(NODE_GROUP)
def eks_node_group(r: PlannedResource, ctx: Context) -> list[Charge]:
    pool = _node_group_pool(r, ctx)
    if pool is None:
        return [
            Charge(
                description="EKS node group without an instance type",
                quantity=Decimal(0),
                unit="node-hours",
                unit_price_usd=None,
                source="",
                reason="no instanceTypes on the node group or its launch template",
            )
        ]
    return machine_charges(r, ctx, cloud=CLOUD, region=_region(r, ctx), pool=pool)


@machines_of(EC2_INSTANCE)
def instance_machines(r: PlannedResource, ctx: Context) -> list[Machines]:
    market = as_dict(r.inputs.get("instanceMarketOptions")).get("marketType")
    option = {"spot": "spot", "capacity-block": "capacity_block"}.get(str(market), "on_demand")
    if as_dict(r.inputs.get("capacityReservationSpecification")).get("capacityReservationTarget"):
        option = "reservation"
    kind = str(ctx.value(r, "instanceType") or "")
    return [Machines(r, CLOUD, _region(r, ctx), (kind,) if kind else (), 1, 1, 1, option, what="instance")]


@rule(EC2_INSTANCE)
def ec2_instance(r: PlannedResource, ctx: Context) -> list[Charge]:
    (m,) = instance_machines(r, ctx)
    charges = machine_charges(r, ctx, cloud=CLOUD, region=m.region, pool=m.pool)
    root = r.inputs.get("rootBlockDevice") or {}
    if root.get("volumeSize"):
        charges.append(_ebs(ctx, m.region, root, Decimal(1), "root volume", "rootBlockDevice."))
    return charges


@machines_of(AUTOSCALING_GROUP)
def autoscaling_machines(r: PlannedResource, ctx: Context) -> list[Machines]:
    """An EC2 Auto Scaling group: its launch template's instanceType, or the mixed-instances policy's
    overrides (first priced); desiredCapacity / minSize / maxSize."""
    policy = as_dict(r.inputs.get("mixedInstancesPolicy"))
    spec = as_dict(r.inputs.get("launchTemplate")) or as_dict(
        as_dict(policy.get("launchTemplate")).get("launchTemplateSpecification")
    )
    ref = spec.get("id") or spec.get("name")
    template = ctx.referenced(ref, LAUNCH_TEMPLATE, r) if spec else None
    overrides = as_dict(policy.get("launchTemplate")).get("overrides")
    types = tuple(
        str(o["instanceType"]) for o in overrides or [] if isinstance(o, dict) and o.get("instanceType")
    )
    if not types and template is not None and template.inputs.get("instanceType"):
        types = (str(template.inputs["instanceType"]),)
    lo = count(r.inputs.get("minSize"), "minSize", 0) or 0
    desired = count(r.inputs.get("desiredCapacity"), "desiredCapacity", lo) or 0
    hi = max(count(r.inputs.get("maxSize"), "maxSize", desired) or 0, desired)
    return [Machines(r, CLOUD, _region(r, ctx), types, lo, desired, hi, _option(None, template))]


@rule(AUTOSCALING_GROUP)
def autoscaling_group(r: PlannedResource, ctx: Context) -> list[Charge]:
    (m,) = autoscaling_machines(r, ctx)
    if not m.types:
        return [unpriced("Auto Scaling group without an instance type", "node-hours", NO_ASG_TYPE)]
    return machine_charges(r, ctx, cloud=CLOUD, region=m.region, pool=m.pool)


def _ebs(
    ctx: Context, region: str | None, ebs: dict[str, Any], nodes: Decimal, what: str, path: str = ""
) -> Charge:
    key = "volumeSize" if ebs.get("volumeSize") is not None else "size"
    size = size_of(ebs.get(key), f"{path}{key}") or Decimal(0)
    kind = str(ebs.get("volumeType") or ebs.get("type") or "gp3")
    return storage_charge(
        ctx,
        cloud=CLOUD,
        region=region,
        service="ebs",
        tier=kind,
        gib=size * nodes,
        media="hdd" if kind in ("st1", "sc1", "standard") else "ssd",
        description=f"EBS {kind} {what}: {size:,.0f} GiB × {nodes:,.2f} (average nodes)",
    )


def _template_users(ctx: Context) -> dict[str, list[PlannedResource]]:
    """Launch template URN → the node groups that use it, computed once per estimate."""
    users = ctx.memo.get("aws-template-users")
    if users is None:
        users = {}
        for group in ctx.resources(NODE_GROUP):
            template = _launch_template(group, ctx)
            if template is not None:
                users.setdefault(template.urn, []).append(group)
        ctx.memo["aws-template-users"] = users
    return users  # type: ignore[return-value]


@rule(LAUNCH_TEMPLATE)
def launch_template(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """A launch template is free; the EBS volumes it gives every node are not. They are charged here, for
    the node groups that use the template, by their average running nodes under the usage profile."""
    volumes = [m.get("ebs") for m in r.inputs.get("blockDeviceMappings") or [] if m.get("ebs")]
    users = _template_users(ctx).get(r.urn, [])
    if not volumes or not users:
        return Free("launch template: free; its volumes are charged with the instances that use it")
    charges = []
    for group in users:
        pool = _node_group_pool(group, ctx)
        if pool is None:
            continue
        usage = ctx.usage_for(group)
        profile_nodes = sum((pool.nodes(p.scale) * p.hours for p in ctx.profile.phases), Decimal(0))
        average = Decimal(usage.nodes) if usage.nodes is not None else profile_nodes / HOURS_PER_MONTH
        for ebs in volumes:
            where = "blockDeviceMappings[].ebs."
            charges.append(_ebs(ctx, _region(r, ctx), ebs, average, f"root volume of {group.name}", where))
    return charges


@rule("aws:ebs/volume:Volume")
def ebs_volume(r: PlannedResource, ctx: Context) -> list[Charge]:
    return [_ebs(ctx, _region(r, ctx), ctx.with_outputs(r, "size", "type"), Decimal(1), "volume")]


@rule("aws:eks/cluster:Cluster")
def eks_cluster(r: PlannedResource, ctx: Context) -> list[Charge]:
    return [
        service_charge(
            ctx,
            cloud=CLOUD,
            region=_region(r, ctx),
            service="eks",
            item="cluster-hour",
            quantity=HOURS_PER_MONTH,
            unit="cluster-hours",
            description=f"EKS control plane (Kubernetes {ctx.value(r, 'version') or '?'}, standard support)",
            energy_note=MANAGED,
        )
    ]


@rule("aws:ec2/natGateway:NatGateway")
def nat_gateway(r: PlannedResource, ctx: Context) -> list[Charge]:
    return nat_gateway_charges(r, ctx, cloud=CLOUD, region=_region(r, ctx), description="NAT gateway")


@rule("aws:ec2/eip:Eip")
def elastic_ip(r: PlannedResource, ctx: Context) -> list[Charge]:
    return [
        service_charge(
            ctx,
            cloud=CLOUD,
            region=_region(r, ctx),
            service="public-ipv4",
            item="ip-hour",
            quantity=HOURS_PER_MONTH,
            unit="IP-hours",
            description="public IPv4 address",
            energy_note=MANAGED,
        )
    ]


@rule("aws:kms/key:Key")
def kms_key(r: PlannedResource, ctx: Context) -> list[Charge]:
    return [
        service_charge(
            ctx,
            cloud=CLOUD,
            region=_region(r, ctx),
            service="kms",
            item="key-month",
            quantity=Decimal(1),
            unit="key-months",
            description="KMS customer managed key (requests not modelled)",
            energy_note=MANAGED,
        )
    ]


LUSTRE_TIERS = {"PERSISTENT_1", "PERSISTENT_2"}


@rule("aws:fsx/lustreFileSystem:LustreFileSystem")
def lustre(r: PlannedResource, ctx: Context) -> list[Charge]:
    deployment = str(r.inputs.get("deploymentType") or "SCRATCH_1")
    throughput = r.inputs.get("perUnitStorageThroughput")
    tier = f"{deployment}-{throughput}" if deployment in LUSTRE_TIERS and throughput else deployment
    gib = size_of(r.inputs.get("storageCapacity"), "storageCapacity") or Decimal(0)
    return [
        storage_charge(
            ctx,
            cloud=CLOUD,
            region=_region(r, ctx),
            service="fsx-lustre",
            tier=tier,
            gib=gib,
            media="hdd" if r.inputs.get("storageType") == "HDD" else "ssd",
            description=f"FSx for Lustre {tier}: {gib:,.0f} GiB",
        )
    ]


@rule("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
def s3_bucket(r: PlannedResource, ctx: Context) -> list[Charge]:
    usage = ctx.usage_for(r)
    gib = Decimal(str(usage.storage_gib)) if usage.storage_gib is not None else None
    return [
        storage_charge(
            ctx,
            cloud=CLOUD,
            region=_region(r, ctx),
            service="s3",
            tier="STANDARD",
            gib=gib,
            media="hdd",
            description="S3 Standard storage" + (f": {gib:,.0f} GiB" if gib is not None else ""),
            missing_quantity=f"stored amount unknown: set storageGiB for {r.name} in {ctx.usage_path}",
        )
    ]


@rule("aws:cloudwatch/logGroup:LogGroup")
def log_group(r: PlannedResource, ctx: Context) -> list[Charge]:
    usage = ctx.usage_for(r)
    gb = Decimal(str(usage.log_ingested_gb)) if usage.log_ingested_gb is not None else None
    return [
        service_charge(
            ctx,
            cloud=CLOUD,
            region=_region(r, ctx),
            service="cloudwatch-logs",
            item="gb-ingested",
            quantity=gb,
            unit="GB ingested",
            description="CloudWatch Logs ingestion",
            energy_note=MANAGED,
            missing_quantity=f"log volume unknown: set logIngestedGB for {r.name} in {ctx.usage_path}",
        )
    ]


free(
    "networking configuration: no charge",
    "aws:ec2/vpc:Vpc",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/routeTable:RouteTable",
    "aws:ec2/route:Route",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
)
free(
    "placement group: no charge (EFA and cluster placement cost nothing extra)",
    "aws:ec2/placementGroup:PlacementGroup",
)
free(
    "IAM: no charge",
    "aws:iam/role:Role",
    "aws:iam/policy:Policy",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/instanceProfile:InstanceProfile",
)
free(
    "EKS configuration: no charge (add-ons run on the nodes already priced)",
    "aws:eks/addon:Addon",
    "aws:eks/accessEntry:AccessEntry",
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
    "aws:eks/podIdentityAssociation:PodIdentityAssociation",
)
free("KMS alias: no charge", "aws:kms/alias:Alias")
free(
    "S3 bucket configuration: no charge (storage is priced on the bucket)",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketVersioningV2:BucketVersioningV2",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
)
free(
    "data repository association: no charge (S3 requests it makes are not modelled)",
    "aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation",
)
