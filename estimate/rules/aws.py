"""AWS rules: every billable resource the AWS components create, plus plain EC2 / EBS / S3 so any Pulumi
program can be estimated. Type tokens are pulumi-aws 7's."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from decimal import Decimal
from typing import Any, cast

from aiinfra.catalog.edge import EDGE_LOCATION_TAG
from aiinfra.catalog.model import KubernetesVersion
from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate import cloudformation as cfn
from aiinfra.estimate.compute import Pool, at_edge, average_nodes, machine_charges
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import Unreadable, as_dict, count, unpriced, with_notes
from aiinfra.estimate.inputs import region as region_of
from aiinfra.estimate.inputs import size as size_of
from aiinfra.estimate.machines import Machines, machines_of
from aiinfra.estimate.model import HOURS_PER_MONTH, Charge, Free
from aiinfra.estimate.registry import free, rule
from aiinfra.estimate.rules.common import MANAGED, usage_amount
from aiinfra.estimate.storage import nat_gateway_charges, service_charge, storage_charge

CLOUD = "aws"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
EC2_INSTANCE = "aws:ec2/instance:Instance"
AUTOSCALING_GROUP = "aws:autoscaling/group:Group"
LAUNCH_CONFIGURATION = "aws:ec2/launchConfiguration:LaunchConfiguration"
CFN_STACK = "aws:cloudformation/stack:Stack"
EKS_CLUSTER = "aws:eks/cluster:Cluster"
NO_ASG_TYPE = (
    "no instanceType on the group's launch template, launch configuration or mixed-instances overrides"
)
EKS_DEFAULT_TYPE = "t3.medium"
"""CreateNodegroup without instanceTypes (and no launch template type) runs t3.medium (EKS API reference)."""
EKS_DEFAULT_SCALING = (1, 2, 2)
"""minSize, desiredSize, maxSize EKS applies when scalingConfig is left out (pulumi-aws requires it)."""
EKS_DEFAULT_DISK = ("gp2", 20)
"""Root volume of a managed node group without a launch template: diskSize defaults to 20 GiB (Linux,
EKS API reference), on gp2 (aws/containers-roadmap#1417)."""
ASSUMED_ROOT = ("gp2", 8)
"""The root volume of an EC2 instance whose program gives it no size, as Infracost prices it: 8 GiB gp2
(infracost/infracost internal/providers/terraform/aws/instance.go @ 95ba4f4, "If a root volume is not specified
then an 8Gi gp2 volume is assumed"; internal/resources/aws/ebs_volume.go: default size 8, type gp2). The real
size and type are the AMI's (pulumi-aws rootBlockDevice.volumeType: "Defaults to the volume type that the AMI
uses"), which an offline plan does not read; the line and a warning say so and name the field to set."""


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
    """An EKS managed node group: its instanceTypes, else its launch template's instanceType, else EKS's
    default; scalingConfig sizes (EKS's defaults when absent); capacityType and the template's market
    options or reservation."""
    listed = ctx.value(r, "instanceTypes")
    types = tuple(str(t) for t in listed if t) if isinstance(listed, list) else ()
    template = _launch_template(r, ctx)
    assumptions = []
    if not types and template is not None and template.inputs.get("instanceType"):
        types = (str(template.inputs["instanceType"]),)
    if not types:
        types = (EKS_DEFAULT_TYPE,)
        assumptions.append(f"no instanceTypes: EKS's default instance type {EKS_DEFAULT_TYPE}")
    scaling = as_dict(ctx.value(r, "scalingConfig"))
    if not scaling:
        lo, desired, hi = EKS_DEFAULT_SCALING
        assumptions.append(
            f"no scalingConfig: EKS's defaults minSize {lo}, desiredSize {desired}, maxSize {hi}"
        )
    else:
        low = count(scaling.get("minSize"), "scalingConfig.minSize")
        desired = count(scaling.get("desiredSize"), "scalingConfig.desiredSize", low or 0) or 0
        hi = count(scaling.get("maxSize"), "scalingConfig.maxSize", desired) or 0
        lo = desired if low is None else low
    option = _option(r.inputs.get("capacityType"), template)
    return [
        Machines(r, CLOUD, _region(r, ctx), types, lo, desired, hi, option, assumptions=tuple(assumptions))
    ]


def _node_group_pool(r: PlannedResource, ctx: Context) -> Pool | None:
    (m,) = node_group_machines(r, ctx)
    return m.pool if m.types else None


@rule(NODE_GROUP)
def eks_node_group(r: PlannedResource, ctx: Context) -> list[Charge]:
    (m,) = node_group_machines(r, ctx)
    region = _region(r, ctx)
    charges = with_notes(
        machine_charges(r, ctx, cloud=CLOUD, region=region, pool=m.pool), list(m.assumptions)
    )
    edge = _edge_location(r)
    if edge is not None:
        charges = at_edge(charges, ctx, cloud=CLOUD, location=edge, pool=m.pool)
    template = _launch_template(r, ctx)
    if template is None:  # with a template, the template's volumes are charged (launch_template below)
        size = size_of(r.inputs.get("diskSize"), "diskSize")
        ebs = {
            "volumeSize": size if size is not None else EKS_DEFAULT_DISK[1],
            "volumeType": EKS_DEFAULT_DISK[0],
        }
        root = _ebs(ctx, region, ebs, average_nodes(r, ctx, m.pool), "root volumes")
        notes = [f"EKS managed node group root volume type: {EKS_DEFAULT_DISK[0]}"]
        if size is None:
            notes.append(f"no diskSize: EKS's default {EKS_DEFAULT_DISK[1]} GiB (Linux)")
        charges += with_notes([root], notes)
    elif not _template_disks(template).known:
        charges.append(_ami_root(template.name, "blockDeviceMappings"))
    return charges


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
    root = _root_device(r, ctx)
    if root.get("volumeSize") not in (None, ""):  # [] or a word: unusable, reported (inputs.py)
        charges.append(_ebs(ctx, m.region, root, Decimal(1), "root volume", "rootBlockDevice."))
    else:
        charges.append(_assumed_root(r, ctx, m.region, root))
    return charges


def _assumed_root(r: PlannedResource, ctx: Context, region: str | None, root: dict[str, Any]) -> Charge:
    """The AMI's root volume, priced as ASSUMED_ROOT (its volumeType if the program gives one), with the
    assumption in the description and a warning naming the field that gives the real size."""
    kind = str(root.get("volumeType") or ASSUMED_ROOT[0])
    line = _ebs(ctx, region, {"volumeSize": ASSUMED_ROOT[1], "volumeType": kind}, Decimal(1), "root volume")
    return dataclasses.replace(
        line,
        description=f"EBS {kind} root volume: {ASSUMED_ROOT[1]} GiB assumed (Infracost's default; the AMI "
        "decides its real size)",
        warning=f"{r.name}: the root volume's size comes from the AMI, which an offline plan does not read; "
        f"{ASSUMED_ROOT[1]} GiB {kind} is assumed: set rootBlockDevice.volumeSize (and volumeType) for its "
        "real size",
    )


def _root_device(r: PlannedResource, ctx: Context) -> dict[str, Any]:
    """The instance's root volume as the program gives it, else as the cloud made it (a stack export's or a
    preview's old state's `rootBlockDevice` output); unknown or secret outputs are not used."""
    given = as_dict(r.inputs.get("rootBlockDevice"))
    if given.get("volumeSize") not in (None, ""):
        return given
    try:
        decided = as_dict(ctx.value(r, "rootBlockDevice"))
    except Unreadable:
        return given
    known = {k: v for k, v in given.items() if v not in (None, "")}
    return {**decided, **known}


def _launch_configuration(ref: Any, near: PlannedResource, ctx: Context) -> PlannedResource | None:
    return ctx.referenced(ref, LAUNCH_CONFIGURATION, near) if ref else None


def _configuration_option(configuration: PlannedResource | None) -> tuple[str, list[str]]:
    """A launch configuration with spotPrice requests spot instances (spotPrice is the most paid an hour)."""
    if configuration is None or configuration.inputs.get("spotPrice") in (None, ""):
        return "on_demand", []
    bid = configuration.inputs["spotPrice"]
    return "spot", [
        f"launch configuration {configuration.name}: spotPrice {bid} requests spot instances; priced at the "
        "catalog's spot price (spotPrice is only the most paid an hour)"
    ]


def _split(desired: int, base: int, percent: int) -> tuple[int, int]:
    """(on-demand, spot) of `desired` instances under a mixed-instances distribution: the base on demand,
    then `percent` of the rest, rounded up in favour of on-demand as EC2 Auto Scaling does."""
    on_demand = min(desired, base)
    above = desired - on_demand
    on_demand += math.ceil(Decimal(above * percent) / 100) if above else 0
    return on_demand, desired - on_demand


def _group_source(r: PlannedResource, ctx: Context) -> tuple[PlannedResource | None, PlannedResource | None]:
    """An Auto Scaling group's launch template (its own or its mixed-instances policy's) or, without one, its
    launch configuration, found in the graph."""
    policy = as_dict(r.inputs.get("mixedInstancesPolicy"))
    spec = as_dict(r.inputs.get("launchTemplate")) or as_dict(
        as_dict(policy.get("launchTemplate")).get("launchTemplateSpecification")
    )
    if spec:
        ref = (
            spec.get("id")
            or spec.get("name")
            or spec.get("launchTemplateId")
            or spec.get("launchTemplateName")
        )
        return ctx.referenced(ref, LAUNCH_TEMPLATE, r), None
    return None, _launch_configuration(r.inputs.get("launchConfiguration"), r, ctx)


@machines_of(AUTOSCALING_GROUP)
def autoscaling_machines(r: PlannedResource, ctx: Context) -> list[Machines]:
    """An EC2 Auto Scaling group: desiredCapacity / minSize / maxSize of its launch template's or launch
    configuration's instanceType, or of the mixed-instances policy's overrides (first listed priced), split
    into on-demand and spot by the policy's instancesDistribution."""
    policy = as_dict(r.inputs.get("mixedInstancesPolicy"))
    template, configuration = _group_source(r, ctx)
    overrides = as_dict(policy.get("launchTemplate")).get("overrides")
    types = tuple(
        str(o["instanceType"]) for o in overrides or [] if isinstance(o, dict) and o.get("instanceType")
    )
    source = configuration if configuration is not None else template
    if not types and source is not None and source.inputs.get("instanceType"):
        types = (str(source.inputs["instanceType"]),)
    lo = count(r.inputs.get("minSize"), "minSize", 0) or 0
    desired = count(r.inputs.get("desiredCapacity"), "desiredCapacity", lo) or 0
    hi = max(count(r.inputs.get("maxSize"), "maxSize", desired) or 0, desired)
    assumptions: list[str] = []
    if r.inputs.get("desiredCapacity") in (None, ""):
        assumptions.append(f"no desiredCapacity: the group starts at minSize ({lo})")
    if configuration is not None:
        option, notes = _configuration_option(configuration)
        assumptions += notes
    else:
        option = _option(None, template)
    region = _region(r, ctx)
    if not policy:
        return [Machines(r, CLOUD, region, types, lo, desired, hi, option, assumptions=tuple(assumptions))]
    spread = as_dict(policy.get("instancesDistribution"))
    base = count(spread.get("onDemandBaseCapacity"), "instancesDistribution.onDemandBaseCapacity", 0) or 0
    percent = count(
        spread.get("onDemandPercentageAboveBaseCapacity"),
        "instancesDistribution.onDemandPercentageAboveBaseCapacity",
        100,
    )
    percent = min(percent if percent is not None else 100, 100)
    split = [_split(n, base, percent) for n in (lo, desired, hi)]
    why = (
        f"mixed-instances policy: {base} on-demand base, {percent} % on-demand above it (rounded up in "
        "favour of on-demand)"
    )
    if len(types) > 1:
        why += f"; {len(types)} override types, the first ({types[0]}) priced"
    found = []
    for i, (option, label) in enumerate((("on_demand", "on-demand part"), ("spot", "spot part"))):
        part_lo, part_desired, part_hi = (s[i] for s in split)
        if part_lo or part_desired or part_hi:
            found.append(
                Machines(
                    r,
                    CLOUD,
                    region,
                    types,
                    part_lo,
                    part_desired,
                    part_hi,
                    option,
                    label=label,
                    assumptions=(*assumptions, why),
                )
            )
    return found or [Machines(r, CLOUD, region, types, 0, 0, 0, "on_demand", assumptions=(*assumptions, why))]


@rule(AUTOSCALING_GROUP)
def autoscaling_group(r: PlannedResource, ctx: Context) -> list[Charge]:
    found = autoscaling_machines(r, ctx)
    if not found[0].types:
        return [unpriced("Auto Scaling group without an instance type", "node-hours", NO_ASG_TYPE)]
    charges: list[Charge] = []
    for m in found:
        lines = with_notes(
            machine_charges(r, ctx, cloud=CLOUD, region=m.region, pool=m.pool), list(m.assumptions)
        )
        edge = _edge_location(r)
        if edge is not None:
            lines = at_edge(lines, ctx, cloud=CLOUD, location=edge, pool=m.pool)
        if m.label:
            lines = [dataclasses.replace(c, description=f"{m.label}: {c.description}") for c in lines]
        charges += lines
    template, configuration = _group_source(r, ctx)
    if configuration is not None:
        charges += _group_disks(r, ctx, found, _configuration_disks(configuration))
    elif template is not None and not _template_disks(template).known:  # else charged on the template
        charges.append(_ami_root(template.name, "blockDeviceMappings"))
    return charges


def _edge_location(r: PlannedResource) -> str | None:
    """The edge location a node group's or Auto Scaling group's machines are at (its EDGE_LOCATION_TAG)."""
    tags = r.inputs.get("tags")
    if isinstance(tags, dict) and isinstance(tags.get(EDGE_LOCATION_TAG), str):
        return str(tags[EDGE_LOCATION_TAG])
    if isinstance(tags, list):
        for tag in tags:
            if (
                isinstance(tag, dict)
                and tag.get("key") == EDGE_LOCATION_TAG
                and isinstance(tag.get("value"), str)
            ):
                return str(tag["value"])
    return None


free(
    "launch configuration: free; its instances are priced on the Auto Scaling group that uses it",
    LAUNCH_CONFIGURATION,
)


# -- CloudFormation stacks (pulumi-eks classic node groups) ------------------------------------------------

ASG_TYPE = "AWS::AutoScaling::AutoScalingGroup"
CFN_FREE_TYPES = {
    "AWS::AutoScaling::LaunchConfiguration",  # priced through the group that uses it
    "AWS::EC2::LaunchTemplate",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::IAM::Role",
    "AWS::IAM::InstanceProfile",
    "AWS::IAM::Policy",
    "AWS::CloudFormation::WaitConditionHandle",
}
"""Template resource types that cost nothing by themselves; any other type besides Auto Scaling groups
makes the stack's estimate partial (an unpriced line names them)."""


def _cfn_count(template: dict[str, Any], props: dict[str, Any], key: str, params: dict[str, Any]) -> Any:
    value = cfn.resolve(template, props.get(key), params)
    if isinstance(value, cfn.Unresolved):
        return None
    return value


def _cfn_group(
    r: PlannedResource, ctx: Context, template: dict[str, Any], logical_id: str, props: dict[str, Any]
) -> tuple[Machines, _Disks | None]:
    """One AWS::AutoScaling::AutoScalingGroup of a stack's template: DesiredCapacity × the instance type of
    its launch configuration or launch template, found in the same template or in the graph, and the volumes
    that gives each node (None: no launch configuration or template found)."""
    params = as_dict(r.inputs.get("parameters"))
    path = f"templateBody.Resources.{logical_id}.Properties."
    lo = count(_cfn_count(template, props, "MinSize", params), f"{path}MinSize", 0) or 0
    desired = count(_cfn_count(template, props, "DesiredCapacity", params), f"{path}DesiredCapacity", lo) or 0
    hi = max(count(_cfn_count(template, props, "MaxSize", params), f"{path}MaxSize", desired) or 0, desired)
    notes = [f"CloudFormation stack {r.name}: Auto Scaling group {logical_id} of its template"]
    if props.get("DesiredCapacity") is None:
        notes.append(f"{logical_id}: no DesiredCapacity, the group starts at MinSize ({lo})")
    kind, option, disks = "", "on_demand", None
    config = cfn.resolve(template, props.get("LaunchConfigurationName"), params)
    spec = as_dict(props.get("LaunchTemplate"))
    if isinstance(config, tuple):  # a launch configuration of the same template
        _, config_id, resource = config
        config_props = as_dict(resource.get("Properties"))
        kind = cfn.resolve(template, config_props.get("InstanceType"), params)
        if config_props.get("SpotPrice") not in (None, ""):
            option = "spot"
            notes.append(
                f"{config_id}: SpotPrice requests spot instances, priced at the catalog's spot price"
            )
        notes.append(f"instance type from launch configuration {config_id} of the template")
        mappings = config_props.get("BlockDeviceMappings")
        disks = _cfn_disks(template, mappings, params, f"{config_id} (stack {r.name})")
    elif config and not isinstance(config, cfn.Unresolved):  # a name: the graph's LaunchConfiguration
        found = _launch_configuration(config, r, ctx)
        if found is not None:
            kind = found.inputs.get("instanceType") or ""
            option, spot_notes = _configuration_option(found)
            disks = _configuration_disks(found)
            notes += [
                f"instance type from launch configuration {found.name} of the stack's program",
                *spot_notes,
            ]
    elif spec:
        ref = cfn.resolve(template, spec.get("LaunchTemplateId") or spec.get("LaunchTemplateName"), params)
        found_template = None
        if isinstance(ref, tuple):
            data = as_dict(as_dict(ref[2].get("Properties")).get("LaunchTemplateData"))
            kind = cfn.resolve(template, data.get("InstanceType"), params)
            disks = _cfn_disks(
                template, data.get("BlockDeviceMappings"), params, f"{ref[1]} (stack {r.name})"
            )
            notes.append(f"instance type from launch template {ref[1]} of the template")
        elif ref and not isinstance(ref, cfn.Unresolved):
            found_template = ctx.referenced(ref, LAUNCH_TEMPLATE, r)
        if found_template is not None:
            kind = found_template.inputs.get("instanceType") or ""
            option = _option(None, found_template)
            disks = _template_disks(found_template)
            notes.append(f"instance type from launch template {found_template.name} of the stack's program")
    if isinstance(kind, cfn.Unresolved) or not isinstance(kind, str):
        kind = ""
    machines = Machines(
        r,
        CLOUD,
        _region(r, ctx),
        (kind,) if kind else (),
        lo,
        desired,
        hi,
        option,
        label=logical_id,
        assumptions=tuple(notes),
    )
    return machines, disks


@machines_of(CFN_STACK)
def stack_machines(r: PlannedResource, ctx: Context) -> list[Machines]:
    """The Auto Scaling groups of a CloudFormation stack's template (none when it cannot be read)."""
    template = cfn.parse(r.inputs.get("templateBody"))
    if isinstance(template, str):
        return []
    return [_cfn_group(r, ctx, template, i, props)[0] for i, props in cfn.resources(template, ASG_TYPE)]


@rule(CFN_STACK)
def cloudformation_stack(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """A CloudFormation stack: the Auto Scaling groups its template creates, priced like any group; other
    billable resources in the template are named in an unpriced line (this estimate does not price them)."""
    template = cfn.parse(r.inputs.get("templateBody"))
    if isinstance(template, str):
        return [unpriced(f"CloudFormation stack {r.name}", "", f"its template was not read: {template}")]
    charges: list[Charge] = []
    for logical_id, props in cfn.resources(template, ASG_TYPE):
        m, disks = _cfn_group(r, ctx, template, logical_id, props)
        if not m.types:
            charges.append(
                unpriced(
                    f"{m.label}: Auto Scaling group of stack {r.name} without a known instance type",
                    "node-hours",
                    "no InstanceType on its launch configuration or launch template (in the template or the graph)",
                )
            )
            continue
        lines = with_notes(
            machine_charges(r, ctx, cloud=CLOUD, region=m.region, pool=m.pool), list(m.assumptions)
        )
        charges += [dataclasses.replace(c, description=f"{m.label}: {c.description}") for c in lines]
        charges += _group_disks(r, ctx, [m], disks)
    others = sorted({t for t in cfn.resource_types(template) if t != ASG_TYPE and t not in CFN_FREE_TYPES})
    if others:
        charges.append(
            unpriced(
                f"CloudFormation stack {r.name}: other template resources",
                "",
                f"resources inside CloudFormation templates are not estimated apart from Auto Scaling groups: "
                f"{', '.join(others)}",
            )
        )
    if not charges:
        return Free("CloudFormation stack whose template creates nothing billable")
    return charges


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


@dataclasses.dataclass(frozen=True)
class _Disks:
    """The EBS volumes a launch template or launch configuration gives each node (pulumi-aws field names);
    `known` is false when the root volume is left to the AMI, whose size an offline estimate cannot read."""

    volumes: tuple[dict[str, Any], ...]
    known: bool
    source: str = ""
    field: str = ""


def _template_disks(template: PlannedResource) -> _Disks:
    volumes = tuple(
        as_dict(m.get("ebs"))
        for m in template.inputs.get("blockDeviceMappings") or []
        if as_dict(as_dict(m).get("ebs")).get("volumeSize") not in (None, "")
    )
    return _Disks(volumes, bool(volumes), template.name, "blockDeviceMappings")


def _configuration_disks(configuration: PlannedResource) -> _Disks:
    root = as_dict(configuration.inputs.get("rootBlockDevice"))
    extra = tuple(
        as_dict(d)
        for d in configuration.inputs.get("ebsBlockDevices") or []
        if as_dict(d).get("volumeSize") not in (None, "")
    )
    known = root.get("volumeSize") not in (None, "")
    return _Disks(((root,) if known else ()) + extra, known, configuration.name, "rootBlockDevice")


def _cfn_disks(template: dict[str, Any], mappings: Any, params: dict[str, Any], source: str) -> _Disks:
    """BlockDeviceMappings of a launch configuration or launch template inside a CloudFormation template."""
    volumes = []
    for mapping in mappings if isinstance(mappings, list) else []:
        ebs = as_dict(as_dict(mapping).get("Ebs"))
        size = cfn.resolve(template, ebs.get("VolumeSize"), params)
        kind = cfn.resolve(template, ebs.get("VolumeType"), params)
        if size not in (None, "") and not isinstance(size, (cfn.Unresolved, tuple)):
            known_kind = isinstance(kind, str) and not isinstance(kind, cfn.Unresolved)
            volumes.append({"volumeSize": size, "volumeType": kind if known_kind else None})
    return _Disks(tuple(volumes), bool(volumes), source, "BlockDeviceMappings")


def _ami_root(source: str, field: str) -> Charge:
    return unpriced(
        "EBS root volumes: their size and type come from the AMI",
        "GiB-months",
        "an offline estimate does not read the image's block device mapping: give the root volume a size "
        f"in {field} of {source} to price it",
    )


def _edge_ebs(charges: list[Charge], edge: str | None) -> list[Charge]:
    """EBS at an edge location is priced apart from its region, and the catalog has no edge EBS."""
    if edge is None:
        return charges
    return [
        dataclasses.replace(
            c,
            unit_price_usd=None,
            reason=f"EBS at edge location {edge} is priced apart from its region; not in the catalog",
            scenarios={},
        )
        for c in charges
    ]


def _group_disks(
    r: PlannedResource, ctx: Context, found: list[Machines], disks: _Disks | None
) -> list[Charge]:
    """The volumes of an Auto Scaling group's nodes (its launch template's or launch configuration's), by its
    average running nodes under the usage profile; an unpriced line when the root volume is the AMI's."""
    if disks is None or not found or not found[0].types:
        return []
    usage = ctx.usage_for(r)
    average = (
        Decimal(usage.nodes)
        if usage.nodes is not None
        else sum((average_nodes(r, ctx, m.pool) for m in found), Decimal(0))
    )
    label = f"{found[0].label}: " if found[0].label and r.type == CFN_STACK else ""
    charges = [
        _ebs(
            ctx,
            found[0].region,
            v,
            average,
            f"{'root ' if i == 0 and disks.known else ''}volumes of {disks.source}",
        )
        for i, v in enumerate(disks.volumes)
    ]
    if not disks.known:
        charges.append(_ami_root(disks.source, disks.field))
    charges = [dataclasses.replace(c, description=f"{label}{c.description}") for c in charges]
    return _edge_ebs(charges, _edge_location(r))


def _template_users(ctx: Context) -> dict[str, list[PlannedResource]]:
    """Launch template URN → the EKS node groups and Auto Scaling groups that use it, computed once per
    estimate."""
    users = cast("dict[str, list[PlannedResource]] | None", ctx.memo.get("aws-template-users"))
    if users is None:
        users = {}
        for group in [*ctx.resources(NODE_GROUP), *ctx.resources(AUTOSCALING_GROUP)]:
            template = (
                _launch_template(group, ctx) if group.type == NODE_GROUP else _group_source(group, ctx)[0]
            )
            if template is not None:
                users.setdefault(template.urn, []).append(group)
        ctx.memo["aws-template-users"] = users
    return users


@rule(LAUNCH_TEMPLATE)
def launch_template(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """A launch template is free; the EBS volumes it gives every node are not. They are charged here, for
    the node groups and Auto Scaling groups that use the template, by their average running nodes under the
    usage profile."""
    volumes = [m.get("ebs") for m in r.inputs.get("blockDeviceMappings") or [] if m.get("ebs")]
    users = _template_users(ctx).get(r.urn, [])
    if not volumes or not users:
        return Free("launch template: free; its volumes are charged with the instances that use it")
    charges = []
    for group in users:
        machines = (node_group_machines if group.type == NODE_GROUP else autoscaling_machines)(group, ctx)
        pools = [m.pool for m in machines if m.types]
        if not pools:
            continue
        usage = ctx.usage_for(group)
        average = (
            Decimal(usage.nodes)
            if usage.nodes is not None
            else sum((average_nodes(group, ctx, pool) for pool in pools), Decimal(0))
        )
        for ebs in volumes:
            where = "blockDeviceMappings[].ebs."
            charges.append(_ebs(ctx, _region(r, ctx), ebs, average, f"root volume of {group.name}", where))
    return _edge_ebs(charges, _edge_location(r))


GP3_INCLUDED = (3_000, 125)
"""IOPS and MiB/s every gp3 volume includes in its storage price (Amazon EBS pricing)."""


def ebs_performance(kind: str, iops: int | None, throughput: int | None) -> list[tuple[str, int, str, str]]:
    """(item, billed quantity, unit, what) for a volume's provisioned performance: io1/io2 every IOPS; gp3 the
    IOPS above 3,000 and the MiB/s above 125. Other types have no performance charge."""
    out: list[tuple[str, int, str, str]] = []
    if kind in ("io1", "io2") and iops:
        out.append((f"{kind}-iops-month", iops, "IOPS-months", f"EBS {kind} provisioned IOPS: {iops:,}"))
    if kind == "gp3":
        base_iops, base_mibps = GP3_INCLUDED
        if iops and iops > base_iops:
            extra_iops = iops - base_iops
            what = f"EBS gp3 IOPS above {base_iops:,}: {extra_iops:,}"
            out.append(("gp3-iops-month", extra_iops, "IOPS-months", what))
        if throughput and throughput > base_mibps:
            extra = throughput - base_mibps
            what = f"EBS gp3 throughput above {base_mibps} MiB/s: {extra}"
            out.append(("gp3-throughput-mibps-month", extra, "MiB/s-months", what))
    return out


@rule("aws:ebs/volume:Volume")
def ebs_volume(r: PlannedResource, ctx: Context) -> list[Charge]:
    """The volume's GiB-months, plus its provisioned IOPS and throughput where the type bills them."""
    volume = ctx.with_outputs(r, "size", "type")
    region = _region(r, ctx)
    charges = [_ebs(ctx, region, volume, Decimal(1), "volume")]
    kind = str(volume.get("type") or "gp3").lower()
    iops = count(r.inputs.get("iops"), "iops")
    throughput = count(r.inputs.get("throughput"), "throughput")
    for item, quantity, unit, what in ebs_performance(kind, iops, throughput):
        charges.append(
            service_charge(
                ctx,
                cloud=CLOUD,
                region=region,
                service="ebs",
                item=item,
                quantity=Decimal(quantity),
                unit=unit,
                description=what,
                energy_note=MANAGED,
            )
        )
    return charges


def _minor(version: str) -> tuple[int, ...] | None:
    """'1.31' or '1.31.2' → (1, 31); None when it is no version."""
    parts = version.strip().removeprefix("v").split(".")[:2]
    return tuple(int(p) for p in parts) if len(parts) == 2 and all(p.isdigit() for p in parts) else None


def _calendar_row(v: KubernetesVersion) -> str:
    row = (
        f"EKS release calendar: Kubernetes {v.version} released {v.released}, end of standard support "
        f"{v.end_of_standard}, end of extended support {v.end_of_extended or 'not announced'}"
    )
    return row + (f" (unverified: {', '.join(v.unverified)})" if v.unverified else "")


def eks_support(
    calendar: list[KubernetesVersion], version: str | None, today: dt.date, support_type: str | None = None
) -> tuple[str, str, list[str]]:
    """(support, version running, notes) of an EKS control plane on `today`: `standard` or `extended`.

    No version given: EKS creates its default version; the newest version the calendar lists as released by
    `today` is assumed. Past the end of extended support, EKS auto-upgrades the control plane to the oldest
    version still supported. With upgradePolicy.supportType STANDARD, EKS upgrades it at the end of standard
    support instead (to the oldest version still in standard support)."""
    released = [v for v in calendar if v.released <= today]
    if not calendar:
        return (
            "standard",
            version or "?",
            ["no EKS release calendar in the catalog: standard support assumed"],
        )
    notes: list[str] = []
    if not version:
        newest = (released or calendar)[-1]
        notes.append(
            f"no version given: EKS creates its default version; assumed the newest the calendar lists as "
            f"released by {today}, {newest.version}"
        )
        version = newest.version
    wanted = _minor(version)
    row = next((v for v in calendar if _minor(v.version) == wanted), None)
    if row is None:
        newest_known = _minor(calendar[-1].version)
        if wanted is not None and newest_known is not None and wanted > newest_known:
            notes.append(
                f"Kubernetes {version} is newer than the catalog's EKS release calendar "
                f"(newest {calendar[-1].version}): standard support assumed"
            )
            return "standard", version, notes
        if wanted is None:
            notes.append(f"version {version!r} is not a Kubernetes minor version: standard support assumed")
            return "standard", version, notes
        notes.append(f"Kubernetes {version} is older than every version in the EKS release calendar")
    else:
        notes.append(_calendar_row(row))
    if row is None or (row.end_of_extended is not None and today >= row.end_of_extended):
        running = next(
            (v for v in released if v.end_of_extended is None or today < v.end_of_extended), calendar[-1]
        )
        ended = f" on {row.end_of_extended}" if row is not None else ""
        notes.append(
            f"Kubernetes {version} reached the end of extended support{ended}: EKS auto-upgrades the control "
            f"plane to the oldest supported version, {running.version}"
        )
        notes.append(_calendar_row(running))
        row = running
    if today >= row.end_of_standard and str(support_type or "").upper() == "STANDARD":
        running = next((v for v in released if today < v.end_of_standard), calendar[-1])
        notes.append(
            f"upgradePolicy.supportType STANDARD: at the end of standard support ({row.end_of_standard}) EKS "
            f"upgrades the control plane to {running.version} instead of entering extended support"
        )
        row = running
    if today >= row.end_of_standard:
        notes.append(
            f"on {today} Kubernetes {row.version} is in extended support (standard support ended "
            f"{row.end_of_standard}): billed at the extended-support rate"
        )
        return "extended", row.version, notes
    notes.append(f"on {today} Kubernetes {row.version} is in standard support (until {row.end_of_standard})")
    return "standard", row.version, notes


@rule(EKS_CLUSTER)
def eks_cluster(r: PlannedResource, ctx: Context) -> list[Charge]:
    """The control plane, by the hour, at the rate of the support its Kubernetes version has on the day of
    the estimate (ctx.today): standard, or extended support past the version's end of standard support."""
    given = ctx.value(r, "version")
    support_type = as_dict(r.inputs.get("upgradePolicy")).get("supportType")
    support, running, notes = eks_support(
        ctx.catalog.kubernetes_versions(CLOUD), str(given) if given else None, ctx.today, support_type
    )
    fee = service_charge(
        ctx,
        cloud=CLOUD,
        region=_region(r, ctx),
        service="eks",
        item="cluster-hour" if support == "standard" else "extended-support-cluster-hour",
        quantity=HOURS_PER_MONTH,
        unit="cluster-hours",
        description=f"EKS control plane (Kubernetes {running}, {support} support)",
        energy_note=MANAGED,
    )
    return with_notes([fee], notes)


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
    gib = usage_amount(usage.storage_gib)
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
    gb = usage_amount(usage.log_ingested_gb)
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
    "zone group opt-in (Local Zone / Wavelength): no charge for opting in; what runs in the zone is priced",
    "aws:ec2/availabilityZoneGroup:AvailabilityZoneGroup",
)


@rule("aws:ec2/carrierGateway:CarrierGateway")
def carrier_gateway(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A Wavelength carrier gateway has no hourly charge of its own that the catalog knows; traffic
    through it is billed per GB at the zone's data-transfer rates, which the catalog does not hold."""
    return [
        unpriced(
            "data through the carrier gateway",
            "GB",
            "Wavelength data transfer through the carrier network is billed per GB at rates the catalog "
            "does not hold (https://aws.amazon.com/wavelength/pricing/)",
        )
    ]


free(
    "Auto Scaling group tag: no charge (the autoscaler's discovery and scale-from-zero hints)",
    "aws:autoscaling/tag:Tag",
)
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
