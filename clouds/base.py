"""The one interface every cloud fills in (`CloudProfile`), the result of its spec checks (`Problem`), and
the registry (`get`, `names`, `for_type`). Modelled on SkyPilot's `sky/clouds/cloud.py`: one object per
cloud, and what it cannot build as `{feature: reason}` rather than `if cloud == ...` branches elsewhere.

A profile is pure: no Pulumi, no spec models (it takes them through the small Protocols below), no
components. The registry finds every module of this package that defines `PROFILE`, so a new cloud is a new
`clouds/<cloud>.py` and nothing here changes."""

from __future__ import annotations

import functools
import importlib
import ipaddress
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from aiinfra.clouds.limits import Limits

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]
"""An offline-plan invoke answer: (region, args) → result, as the provider would return it."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a spec entry, found by a cloud's own check. `field` is the key below the entry
    that was checked (`reservation`, `capacityGiB`); the spec validator prefixes the entry's path."""

    field: str
    message: str
    fix: str = ""


class MachineLike(Protocol):
    """What a capacity check reads of a catalog machine type."""

    @property
    def name(self) -> str: ...
    @property
    def on_demand(self) -> bool: ...


class StorageLike(Protocol):
    """What a storage check reads of a spec storage entry."""

    @property
    def kind(self) -> str: ...
    @property
    def capacity_gib(self) -> int | None: ...
    @property
    def throughput_mbps_per_tib(self) -> int | None: ...


class PoolLike(Protocol):
    """What a node-pool shape check reads of a spec node pool."""

    @property
    def topology(self) -> str | None: ...
    @property
    def nodes(self) -> int | None: ...
    @property
    def min_nodes(self) -> int | None: ...
    @property
    def max_nodes(self) -> int | None: ...


class EdgeSiteLike(Protocol):
    """What a cloud's edge check reads of a spec edge site."""

    @property
    def name(self) -> str: ...
    @property
    def location(self) -> str: ...
    @property
    def cluster(self) -> str | None: ...
    @property
    def local_cluster(self) -> bool: ...
    @property
    def capacity(self) -> str: ...
    @property
    def public(self) -> bool: ...


class EdgeLocationLike(Protocol):
    """What a cloud's edge check reads of the catalog's row for the site's location."""

    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...


class ResourceLike(Protocol):
    """What committed-spend reads of a planned or deployed resource."""

    @property
    def type(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def inputs(self) -> Mapping[str, Any]: ...


RESERVED = ("reservation", "capacity-block")
"""Capacity options that draw on capacity bought ahead, named by the spec key `reservation`."""


class CloudProfile:
    """One cloud. Subclasses set the class attributes and override the checks that apply to them."""

    order: ClassVar[int] = 100
    """Where lists and `--cloud` choices show this cloud (the three first clouds: 0, 1, 2)."""
    name: ClassVar[str]
    """The spec's `cloud:` value and the catalog's cloud name."""
    title: ClassVar[str]
    """How messages name the cloud (AWS, GCP, Azure)."""
    packages: ClassVar[tuple[str, ...]]
    """Pulumi type-token packages this cloud owns (`aws` in `aws:ec2/vpc:Vpc`)."""
    region_config_key: ClassVar[str]
    """The provider's config key for the default region (`aws:region`)."""
    region_config_fallbacks: ClassVar[tuple[str, ...]] = ()
    """Other config keys that give the default region when `region_config_key` is not set, first set wins:
    `gcp:zone` (the Google provider places a regional resource in its default zone's region), the classic
    Azure provider's `azure:location`."""
    config_env: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    """`{config key: environment variables}` the provider SDK falls back to when the stack config lacks the
    key (pulumi_aws's `config/vars.py` reads AWS_REGION, then AWS_DEFAULT_REGION), first set wins."""
    default_region: ClassVar[str]
    """Where an offline plan puts a resource when neither it, its provider nor the config says."""
    region_inputs: ClassVar[tuple[str, ...]] = ("region",)
    """Input keys of a resource that name its region (or a zone inside it), first found wins."""
    provider_region_inputs: ClassVar[tuple[str, ...]] = ("region",)
    """The same on the resource's explicit provider."""
    zone_inputs: ClassVar[tuple[str, ...]] = ()
    """Input keys of a resource that name its zone."""
    fabric: ClassVar[str]
    """The low-latency fabric GPU pools join (EFA, GPUDirect, InfiniBand), as messages name it."""
    default_system_machine: ClassVar[str]
    """The machine type of the cluster's system (non-GPU) pool when the spec gives none."""
    limits: ClassVar[Limits]
    """Tag, label and name limits and quotas that the spec sanity checks hold a stack to."""
    zones_per_account: ClassVar[bool] = False
    """True when a zone name maps to a different place in each account (AWS), so no catalog lists zones."""
    component: ClassVar[str] = ""
    """`module:function` that declares this cloud's clusters (imported only when a stack uses it)."""
    unsupported: ClassVar[Mapping[str, str]] = {}
    """`{feature: reason}` for what this cloud's components cannot build; absent means built. Features:
    `cluster`, `edge-sites`, `topology`, `storage:<kind>`."""
    storage_keys: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    """`{storage kind: the sizing keys it takes}` (`capacityGiB`, `throughputMBpsPerTiB`); a key given to a
    kind that does not take it is an error."""
    invokes: ClassVar[Mapping[str, Invoke]] = {}
    """Offline-plan answers for the invokes programs commonly make, by token."""
    exclusive_fabrics: ClassVar[frozenset[str]] = frozenset()
    """Fabrics of which one cluster holds at most one, because each needs cluster-wide networks or
    plugins (GCP's GPUDirect variants); the spec refuses a second."""
    edge_kinds: ClassVar[tuple[str, ...]] = ()
    """The kinds of edge site (the spec's `EdgeKind`) this cloud has."""
    edge_component: ClassVar[str] = ""
    """`module:function` that declares this cloud's edge sites (imported only when a stack has one):
    `(sites, clusters: {name: ClusterOutputs} of the whole stack, catalog) → {site name: EdgeOutputs}`."""

    project_config_key: ClassVar[str] = ""
    """The stack config key naming the account a cluster is created in when the cluster's own `project`
    key does not (`gcp:project`); empty: this cloud takes no `project` key."""

    # -- what it builds ------------------------------------------------------------------------------------

    def why_not(self, feature: str) -> str | None:
        """Why this cloud cannot build `feature`, or None when it can."""
        return self.unsupported.get(feature)

    def edge_kind(self, location: str) -> str | None:
        """The kind of edge site `location` names on this cloud (one of `edge_kinds`), or None when it
        names none (the spec validator then says which locations there are)."""
        return None

    # -- where a resource lives ----------------------------------------------------------------------------

    def normalise_region(self, location: str) -> str:
        """A location as the catalog names the region (a zone becomes its region on GCP)."""
        return location

    def region(
        self,
        inputs: Mapping[str, Any],
        provider_inputs: Mapping[str, Any] | None = None,
        config: Mapping[str, Any] | None = None,
        deployed: str | None = None,
    ) -> str | None:
        """A resource's region: its own input, else its provider's, else where it was deployed (`deployed`:
        what `deployed_region` read from a state export's outputs), else the stack config's default region
        (`region_config_key`, then `region_config_fallbacks`)."""
        for source, keys in (
            (inputs, self.region_inputs),
            (provider_inputs or {}, self.provider_region_inputs),
        ):
            for key in keys:
                if isinstance(source.get(key), str):
                    return self.normalise_region(str(source[key]))
        if deployed is not None:
            return self.normalise_region(deployed)
        for config_key in (self.region_config_key, *self.region_config_fallbacks):
            value = (config or {}).get(config_key)
            if isinstance(value, str) and value:
                return self.normalise_region(value)
        return None

    def canonical_type(self, type_token: str) -> str:
        """The type token the estimate rules know `type_token`'s resource by: the token itself, unless the
        provider spells one resource more than one way (azure-native's explicit API versions)."""
        return type_token

    def names_region(self, inputs: Mapping[str, Any]) -> bool:
        """True when a resource's own inputs name its region (it may then differ from its provider's)."""
        return any(isinstance(inputs.get(key), str) for key in self.region_inputs)

    def deployed_region(self, outputs: Mapping[str, Any]) -> str | None:
        """The region a deployed resource's outputs (a state export, a preview's states) name, for a resource
        whose inputs and provider do not say; None when they name none. Default: none (the clouds whose
        resources carry their location as an input need nothing more)."""
        return None

    def zone(self, inputs: Mapping[str, Any]) -> str | None:
        """A resource's zone where its inputs name one, else None (regional resources)."""
        for key in self.zone_inputs:
            value = inputs.get(key)
            if isinstance(value, list) and len(value) == 1:
                value = value[0]
            if isinstance(value, str):
                return value
        return None

    # -- offline plan --------------------------------------------------------------------------------------

    def invoke(self, token: str, args: dict[str, Any], region: str) -> dict[str, Any] | None:
        """The offline answer to invoke `token`, or None when this profile has none."""
        answer = self.invokes.get(token)
        return answer(region, args) if answer is not None else None

    def created_outputs(
        self, type_token: str, name: str, region: str, inputs: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Outputs the provider computes on create that programs read back (beyond their inputs)."""
        return {}

    def component_outputs(
        self, type_token: str, name: str, region: str, inputs: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Outputs of a remote component that its provider reads during a preview (data-source calls, not
        creates), so a preview knows them and a program's `.apply` on them runs; {} for any other component
        (its outputs stay unknown, as a preview leaves what is created)."""
        return {}

    def created_id(self, type_token: str, name: str, region: str, inputs: Mapping[str, Any]) -> str | None:
        """The id the provider gives a new resource, in the cloud's own format (an ARM path, `vpc-…`, a GCP
        resource path), derived from the type token, the logical `name`, the region and the known inputs;
        None when a part it needs is unknown (the id is then unknown, as in a preview)."""
        return f"{name}-id"

    # -- money -----------------------------------------------------------------------------------------------

    def committed_spend(self, resources: Iterable[ResourceLike]) -> list[str]:
        """Money already committed by these resources that deleting them does not give back."""
        return []

    # -- the cloud's own spec checks -------------------------------------------------------------------------

    def capacity_problems(
        self, capacity: str, reservation: str | None, machine: MachineLike
    ) -> list[Problem]:
        """A node pool's capacity option and reservation, on this cloud's machine `machine`."""
        return [*reservation_given_without_reserved_capacity(capacity, reservation)]

    def storage_problems(self, storage: StorageLike) -> list[Problem]:
        """A storage entry's sizes and tiers, for a kind this cloud builds."""
        return []

    def network_problems(self, cidr: ipaddress.IPv4Network) -> list[Problem]:
        """A cluster network block's fit to this cloud's components (sizes, ranges the cloud reserves);
        the `field` of each is below the cluster's `network`."""
        return []

    def pool_shape(
        self, pool: PoolLike, accelerator: str | None, machine: str
    ) -> tuple[str | None, list[Problem]]:
        """A node pool's shape (TPU topology, node count) on the machine the catalog resolved: the machine
        type the shape calls for when it is not `machine` (else None), and what is wrong with it."""
        return None, []

    def edge_problems(self, site: EdgeSiteLike, location_facts: EdgeLocationLike) -> list[Problem]:
        """An edge site's own rules on this cloud (what its kind of site takes), once the spec validator has
        found its location in the catalog (`location_facts`, a row of `aiinfra.catalog.edge`)."""
        return []


def reservation_given_without_reserved_capacity(capacity: str, reservation: str | None) -> list[Problem]:
    """The same on every cloud: a reservation means nothing to on-demand or spot capacity."""
    if capacity not in RESERVED and reservation is not None:
        return [
            Problem(
                "capacity",
                f"a reservation is given but capacity is {capacity}.",
                "Set capacity: reservation or capacity-block, or remove reservation.",
            )
        ]
    return []


def stepped_size_problem(
    capacity_gib: int, *, service: str, minimum: int, step: int, maximum: int
) -> str | None:
    """Why `capacity_gib` is not a size `service` takes (`minimum`..`maximum` GiB in steps of `step`), or
    None. Suggests the nearest sizes it does take."""
    if minimum <= capacity_gib <= maximum and (capacity_gib - minimum) % step == 0:
        return None
    below = minimum + (capacity_gib - minimum) // step * step
    near = sorted({min(max(n, minimum), maximum) for n in (below, below + step)})
    return (
        f"{capacity_gib} GiB is not a size {service} offers: it takes {minimum} to {maximum} GiB in steps of "
        f"{step} GiB. Nearest: {' or '.join(map(str, near))}."
    )


# -- registry --------------------------------------------------------------------------------------------------


@functools.cache
def profiles() -> dict[str, CloudProfile]:
    """Every cloud profile by name: each module of this package that defines `PROFILE`."""
    found: dict[str, CloudProfile] = {}
    package = importlib.import_module(__package__ or "aiinfra.clouds")
    for module in pkgutil.iter_modules(package.__path__):
        profile = getattr(importlib.import_module(f"{package.__name__}.{module.name}"), "PROFILE", None)
        if isinstance(profile, CloudProfile):
            found[profile.name] = profile
    return dict(sorted(found.items(), key=lambda kv: (kv[1].order, kv[0])))


def names() -> tuple[str, ...]:
    """The clouds there are profiles for."""
    return tuple(profiles())


def get(name: str) -> CloudProfile:
    """The profile of cloud `name`; a KeyError that lists the known ones otherwise."""
    try:
        return profiles()[name]
    except KeyError:
        raise KeyError(f"no cloud profile named {name!r}; known: {', '.join(names())}") from None


@functools.cache
def _by_package() -> dict[str, CloudProfile]:
    return {package: p for p in profiles().values() for package in p.packages}


def for_type(type_token: str) -> CloudProfile | None:
    """The profile that owns a type or invoke token (`aws:ec2/vpc:Vpc`, `pulumi:providers:aws`), or None
    (kubernetes, random, ... belong to no cloud)."""
    package = type_token.split(":", 1)[0]
    if package == "pulumi" and type_token.startswith("pulumi:providers:"):
        package = type_token.removeprefix("pulumi:providers:")
    return _by_package().get(package)
