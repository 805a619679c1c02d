"""The neutral stack spec: what a platform engineer writes under `aiinfra:` in `Pulumi.<stack>.yaml`.

These models check structure (types, required keys, ranges). What needs the catalog or the whole spec
(an accelerator a region offers, Lustre sizes, references between entries) is checked in `semantics.py`.
Keys are camelCase, as Pulumi config is; Python attributes are snake_case.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    model_validator,
)
from pydantic.alias_generators import to_camel

from aiinfra import clouds
from aiinfra.guard import show

if TYPE_CHECKING:
    Cloud = str
else:
    Cloud = Literal[clouds.names()]  # every cloud with a profile (aiinfra.clouds)
Capacity = Literal["on-demand", "spot", "reservation", "capacity-block"]
StorageKind = Literal["lustre", "parallel", "file", "object"]
NamedUsageProfile = Literal["training-steady", "inference-diurnal", "batch-weekday", "idle-reserved"]
"""The usage profiles by name: the one list (estimate/usage.py defines each, the CLI offers them)."""
UsageProfile = Literal[NamedUsageProfile, "custom"]

# Names become parts of cloud resource names: lower-case DNS labels, short enough for every cloud's limits.
Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,22}[a-z0-9]$|^[a-z]$")]

# Strict types: YAML's `nodes: true` is not 1 and `interconnect: "yes"` is not true; a number must be
# written as a number. Text is bounded: no field of a spec is longer than a cloud's own names.
Text = Annotated[str, StringConstraints(max_length=256)]
Label = Annotated[str, StringConstraints(max_length=256)]


PoolNodes = Annotated[int, Field(ge=0, le=2000, strict=True)]
PoolMaxNodes = Annotated[int, Field(ge=1, le=2000, strict=True)]
SiteNodes = Annotated[int, Field(ge=0, le=100, strict=True)]
SystemNodes = Annotated[int, Field(ge=1, le=20, strict=True)]
DiskGiB = Annotated[int, Field(ge=100, le=16384, strict=True)]
Positive = Annotated[int, Field(gt=0, strict=True)]
Hours = Annotated[float, Field(gt=0, le=744, strict=True, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0, le=1, strict=True, allow_inf_nan=False)]


def _cidr_text(value: object) -> object:
    # ipaddress would take `true` or a bare number as an address; a CIDR in a spec is written as text.
    if isinstance(value, ipaddress.IPv4Network):
        return value
    if not isinstance(value, str):
        raise ValueError(f"{show(value)} is not a CIDR; write it as text such as 10.40.0.0/16")
    return value


Cidr = Annotated[ipaddress.IPv4Network, BeforeValidator(_cidr_text)]
NAME_RULE = "lower-case letters, digits and '-', starting with a letter, at most 24 characters"


class SpecModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
    )


class Network(SpecModel):
    cidr: Cidr = ipaddress.IPv4Network("10.40.0.0/16")
    nat_gateways: Literal["one", "per-zone"] = "one"
    """One NAT gateway (cheaper) or one per zone (survives a zone outage)."""


class NodePool(SpecModel):
    name: Name
    accelerator: Text | None = None
    instance_type: Text | None = None
    nodes: PoolNodes | None = None
    min_nodes: PoolNodes | None = None
    max_nodes: PoolMaxNodes | None = None
    capacity: Capacity = "on-demand"
    reservation: Text | None = None
    interconnect: StrictBool = True
    topology: Text | None = None
    disk_gib: DiskGiB = Field(default=500, alias="diskGiB")
    labels: dict[Label, Label] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _sizes(self) -> NodePool:
        _check_sizes(self.nodes, self.min_nodes, self.max_nodes)
        return self

    @property
    def scaling(self) -> tuple[int, int, int]:
        """(min, desired, max) nodes."""
        return _scaling(self.nodes, self.min_nodes, self.max_nodes)


def _check_sizes(nodes: int | None, lo: int | None, hi: int | None) -> None:
    if nodes is not None and (lo is not None or hi is not None):
        raise ValueError("give either nodes, or minNodes/maxNodes, not both")
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"minNodes ({lo}) is larger than maxNodes ({hi})")


def _scaling(nodes: int | None, lo: int | None, hi: int | None) -> tuple[int, int, int]:
    """(min, desired, max) from `nodes` or `minNodes`/`maxNodes`: a fixed size, or from the minimum."""
    if nodes is not None:
        return nodes, nodes, max(nodes, 1)
    low = lo if lo is not None else 0
    high = hi if hi is not None else max(low, 1)
    return low, low, high


class Storage(SpecModel):
    name: Name
    kind: StorageKind
    capacity_gib: Positive | None = Field(default=None, alias="capacityGiB")
    throughput_mbps_per_tib: Positive | None = Field(default=None, alias="throughputMBpsPerTiB")
    data_repository: Name | None = None
    """For lustre: the name of an `object` storage entry of the same cluster to link (import and export)."""
    protect: StrictBool = True
    """Protect the data from `pulumi destroy` (and retain it in the cloud if the resource is deleted)."""


class Cluster(SpecModel):
    name: Name
    cloud: Cloud
    region: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    zone: Text | None = None
    project: Text | None = None
    """GCP: the project the cluster is created in; unset, the stack's `gcp:project` config."""
    kubernetes_version: Annotated[str, StringConstraints(pattern=r"^1\.\d{2}$")] = "1.35"
    network: Network = Field(default_factory=Network)
    endpoint_public_access_cidrs: list[Cidr] = Field(default_factory=list)
    """Empty (the default): the Kubernetes API is reachable only from inside the VPC."""
    system_instance_type: Text | None = None
    """The system (non-GPU) pool's machine type; unset: the cloud's default (its profile's
    `default_system_machine`, m7i.xlarge on AWS)."""
    system_nodes: SystemNodes = 2
    node_pools: Annotated[list[NodePool], Field(min_length=1)]
    storage: list[Storage] = Field(default_factory=list)
    tags: dict[Label, Label] = Field(default_factory=dict)


EdgeKind = Literal["local-zone", "wavelength", "outpost", "distributed-cloud", "extended-zone"]
"""The kinds of edge site: AWS Local Zone, AWS Wavelength Zone, AWS Outpost, Google Distributed Cloud
connected, Azure Extended Zone. Unset in a spec, the kind follows from `location` (each cloud's profile,
`CloudProfile.edge_kind`): on AWS an Outpost ARN (`arn:aws:outposts:...`) is an outpost, a zone with
`-wlz-` in its name a Wavelength Zone, any other zone a Local Zone; on GCP every site is Distributed
Cloud; on Azure every site is an Extended Zone."""
SiteCapacity = Literal["on-demand", "spot"]


class EdgeSite(SpecModel):
    """GPU nodes at an edge location, beside (and, where the cloud works that way, joined to) a regional
    cluster of the same stack."""

    name: Name
    cloud: Cloud
    location: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    """A Local Zone or Wavelength zone name (`us-west-2-lax-1a`, `us-east-1-wl1-bos-wlz-1`), an Outpost
    ARN, a Distributed Cloud zone (`us-central1-edge-customer-a`), an Azure Extended Zone (`losangeles`)."""
    kind: EdgeKind | None = None
    """Set only to say explicitly what `location` already implies (a mismatch is an error)."""
    cluster: Name | None = None
    """The name of a cluster of this stack, on the same cloud, whose control plane the site's nodes join
    (AWS Local Zones, Wavelength and Outposts; required there unless `localCluster`). GCP and Azure edge
    sites run their own control plane and take no `cluster`."""
    local_cluster: StrictBool = False
    """Outposts only: run an EKS local cluster on the Outpost instead of joining `cluster`."""
    accelerator: Text | None = None
    instance_type: Text | None = None
    nodes: SiteNodes | None = None
    min_nodes: SiteNodes | None = None
    max_nodes: Annotated[int, Field(ge=1, le=100, strict=True)] | None = None
    capacity: SiteCapacity = "on-demand"
    public: StrictBool = False
    """Give the nodes public (carrier) addresses so clients reach them directly. Off (the default): the
    nodes are reachable only from inside the network."""
    disk_gib: DiskGiB = Field(default=200, alias="diskGiB")
    labels: dict[Label, Label] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _sizes(self) -> EdgeSite:
        _check_sizes(self.nodes, self.min_nodes, self.max_nodes)
        return self

    @property
    def scaling(self) -> tuple[int, int, int]:
        """(min, desired, max) nodes; one node when the spec gives no size."""
        nodes = 1 if self.nodes is None and self.min_nodes is None and self.max_nodes is None else self.nodes
        return _scaling(nodes, self.min_nodes, self.max_nodes)


class Usage(SpecModel):
    """How the stack is used, for estimates: a named profile, or `custom` with hours and utilisation."""

    profile: UsageProfile = "training-steady"
    hours_per_month: Hours | None = None
    utilization: Share | None = None

    @model_validator(mode="after")
    def _custom_needs_numbers(self) -> Usage:
        given = self.hours_per_month is not None or self.utilization is not None
        if self.profile == "custom" and (self.hours_per_month is None or self.utilization is None):
            raise ValueError(
                "profile custom needs hoursPerMonth (1-744) and utilization (0-1); "
                "or use a named profile such as training-steady"
            )
        if self.profile != "custom" and given:
            raise ValueError(
                f"hoursPerMonth and utilization belong to profile custom, not {self.profile}; "
                "set profile: custom, or remove them"
            )
        return self


BUDGET_MOST = 1e15
"""No budget is larger: a bigger number is a typo (and past it a float no longer holds whole dollars)."""


def _budget_number(value: object) -> object:
    # YAML reads 1e400 as infinity (refused as not finite) but a 400-digit integer as an int that no float
    # holds; both are typos, not budgets.
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > BUDGET_MOST:
        raise ValueError(f"{show(value)} is larger than any budget; write a number up to {BUDGET_MOST:g}")
    return value


BudgetLimit = Annotated[
    float, Field(ge=0, le=BUDGET_MOST, strict=True, allow_inf_nan=False), BeforeValidator(_budget_number)
]


class Budget(SpecModel):
    """The stack's monthly budget, reviewed in git with the stack: `infra estimate -s` and `infra check -s`
    gate on it (exit 1) unless a flag overrides it, and so does the PR workflow. A total with unknown
    parts (unpriced lines, resources not estimated, a region with no grid figure) cannot pass: it fails
    unless `failOnIncomplete: false` says the team accepts a lower bound."""

    max_monthly_usd: BudgetLimit | None = None
    """The most the stack may cost a month, in US dollars (the estimate's total, at its usage profile)."""
    max_monthly_co2e_kg: BudgetLimit | None = Field(default=None, alias="maxMonthlyCo2eKg")
    """The most the stack may emit a month, in kg CO2e (location-based, the estimate's carbon total)."""
    fail_on_incomplete: StrictBool = True
    """Fail closed (the default): a gated total with unknown parts fails the gate even below its limit,
    since an unknown cost is not $0. false: gate the known part only (say why in a comment)."""

    model_config = ConfigDict(
        use_attribute_docstrings=True
    )  # the docstrings describe the keys in `infra schema`

    @model_validator(mode="after")
    def _limits_something(self) -> Budget:
        if self.max_monthly_usd is None and self.max_monthly_co2e_kg is None:
            raise ValueError(
                "a budget needs maxMonthlyUsd or maxMonthlyCo2eKg (or both); without a limit it gates "
                "nothing. Add one, or remove aiinfra:budget"
            )
        return self


class StackSpec(SpecModel):
    """Everything under the `aiinfra:` config namespace of one stack."""

    model_config = ConfigDict(use_attribute_docstrings=True)

    clusters: list[Cluster] = Field(default_factory=list)
    edge_sites: list[EdgeSite] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    budget: Budget | None = None
    """Monthly cost and carbon limits the estimate and check commands and the PR workflow gate on."""
