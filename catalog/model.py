"""Typed catalog records. Every record carries where its facts come from (`source`) and when they were read
(`retrieved`); `unverified` names the fields not yet re-read from the provider's own documentation or price
API. Money is `Decimal` in USD; units live in the field names."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import Any, Literal

CLOUDS = (
    "aws",
    "gcp",
    "azure",
)  # the catalog's own list: it sits below aiinfra.clouds (tests/test_clouds.py keeps them equal)

Fabric = Literal["none", "efa", "gpudirect-tcpx", "gpudirect-tcpxo", "gpudirect-rdma", "infiniband", "ici"]
FABRICS: tuple[str, ...] = Fabric.__args__  # type: ignore[attr-defined]
FABRIC_TITLES = {
    "none": "no fabric",
    "efa": "EFA",
    "gpudirect-tcpx": "GPUDirect-TCPX",
    "gpudirect-tcpxo": "GPUDirect-TCPXO",
    "gpudirect-rdma": "GPUDirect-RDMA",
    "infiniband": "InfiniBand",
    "ici": "TPU ICI",
}
"""How messages name each fabric."""

Billing = Literal["instance", "host+accelerators", "per-accelerator"]
BILLINGS: tuple[str, ...] = Billing.__args__  # type: ignore[attr-defined]
"""How a provider's price row is built:
- `instance`: the price is the whole machine, accelerators included (AWS, Azure);
- `host+accelerators`: the row prices the host (vCPU + memory) only and the GPUs are separate SKUs that
  must be added (GCP A2/A3/A4/G2 machine types) — the known trap where catalogs under-price GPU machines;
- `per-accelerator`: there is no host price; the machine costs count × the accelerator's price (GCP TPUs,
  billed per chip-hour)."""

PurchaseOption = Literal["on_demand", "spot", "commit_1y", "commit_3y", "capacity_block"]
PURCHASE_OPTIONS: tuple[str, ...] = PurchaseOption.__args__  # type: ignore[attr-defined]
"""on_demand: pay as you go. spot: spot / preemptible / Azure Spot. commit_1y / commit_3y: the 1- and 3-year
commitment where the provider publishes one (AWS Reserved Instances no-upfront standard, GCP resource-based
committed use, Azure reservations), as an effective hourly price. capacity_block: AWS EC2 Capacity Blocks
for ML (or another provider's fixed-window GPU reservation)."""


class _Record:
    """Equality, hashing and repr of the catalog's records, written once here rather than generated per class.

    Each record is `@dataclass(frozen=True, slots=True, eq=False, repr=False)` over this base: the same
    semantics as a plain frozen dataclass (equal when of the same class with equal fields, the hash of the
    field values, `Offer(cloud='aws', ...)` as repr), but `dataclass` compiles three methods per class instead
    of six, which is most of the time the catalog takes to import."""

    __slots__ = ()

    def _values(self) -> tuple[Any, ...]:
        """The field values in order (every record has several fields, so `attrgetter` gives a tuple)."""
        get = _VALUES.get(type(self))
        if get is None:
            get = _VALUES[type(self)] = attrgetter(*(f.name for f in dataclasses.fields(self)))  # type: ignore[arg-type]
        return get(self)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values() == other._values()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        names = (f.name for f in dataclasses.fields(self))  # type: ignore[arg-type]
        shown = ", ".join(f"{n}={v!r}" for n, v in zip(names, self._values(), strict=True))
        return f"{self.__class__.__qualname__}({shown})"


_VALUES: dict[type, Any] = {}
"""Per record class: the getter of its field values in order (built on first use)."""


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Accelerator(_Record):
    """A GPU or TPU model: its memory and board power."""

    name: str
    vendor: str
    kind: Literal["gpu", "tpu"]
    memory_gib: int
    power_max_w: int
    """Board power at full load (TDP / max board power)."""
    power_idle_w: int
    """Board power at idle; where only an estimate exists the field is listed in `unverified`."""
    source: str
    retrieved: dt.date
    unverified: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class InstanceType(_Record):
    """A machine shape on one cloud: what accelerators it carries and how it connects to its peers."""

    name: str
    cloud: str
    accelerator: str | None
    """None for a CPU-only machine (system node pools); GPU/TPU machines name their accelerator."""
    accelerator_count: int
    accelerator_memory_total_gib: int
    """The provider's documented total accelerator memory of the machine, checked against count × memory."""
    vcpu: int
    memory_gib: Decimal
    """GiB of host memory; not always whole (t3.nano 0.5, n1-standard-1 3.75, Standard_DS1_v2 3.5)."""
    fabric: Fabric
    """The low-latency fabric between machines: EFA (AWS), GPUDirect-TCPX/TCPXO/RDMA (GCP), InfiniBand
    (Azure), ICI inside a TPU slice; `none` when the machine has only ordinary networking."""
    fabric_gbps: int
    """Bandwidth of that fabric per machine; 0 with `none`."""
    network_gbps: int
    """Ordinary (front-end) network bandwidth per machine."""
    local_ssd_gib: int
    source: str
    retrieved: dt.date
    efa_cards: int = 0
    """AWS: network cards that take an EFA interface (EC2's EFA maximum interfaces); 0 means no EFA."""
    gpu_nics: int = 0
    """GCP: NICs dedicated to GPU traffic, each in its own VPC (TCPX 4, TCPXO 8, RDMA 8)."""
    on_demand: bool = True
    """False where the provider sells the type only through capacity blocks / reservations."""
    accelerator_power_max_w: int | None = None
    accelerator_power_idle_w: int | None = None
    """Per-machine overrides of the accelerator's board power, where this form factor differs (PCIe, NVL)."""
    unverified: tuple[str, ...] = ()

    @property
    def supports_efa(self) -> bool:
        return self.efa_cards > 0

    @property
    def has_fabric(self) -> bool:
        return self.fabric != "none"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Offer(_Record):
    """Where an instance type can be bought and at what hourly prices (USD per machine-hour, or per
    accelerator-hour with `per-accelerator` billing). A missing price is None — unpriced, never 0."""

    cloud: str
    instance_type: str
    region: str
    source: str
    retrieved: dt.date
    zones: tuple[str, ...] = ()
    """Zones that offer it, where recorded; empty means the catalog does not know the zones."""
    billing: Billing = "instance"
    on_demand: Decimal | None = None
    spot: Decimal | None = None
    commit_1y: Decimal | None = None
    commit_3y: Decimal | None = None
    capacity_block: Decimal | None = None
    note: str = ""
    """How the prices were put together (e.g. host + 8 × GPU SKU), filled in when the catalog completes a
    row; empty for rows that are whole-machine prices as published."""
    unverified: tuple[str, ...] = ()

    def price(self, option: str) -> Decimal | None:
        return getattr(self, option)  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class AcceleratorPrice(_Record):
    """A separately billed accelerator SKU: USD per accelerator-hour in one region (GCP GPUs and TPUs)."""

    cloud: str
    accelerator: str
    region: str
    source: str
    retrieved: dt.date
    on_demand: Decimal | None = None
    spot: Decimal | None = None
    commit_1y: Decimal | None = None
    commit_3y: Decimal | None = None
    capacity_block: Decimal | None = None
    unverified: tuple[str, ...] = ()

    def price(self, option: str) -> Decimal | None:
        return getattr(self, option)  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class StoragePrice(_Record):
    """A storage service tier's price in one region ('*' = every region the catalog has not listed apart)."""

    cloud: str
    service: str
    """fsx-lustre, s3, ebs, gcs, parallelstore, filestore, managed-lustre, blob, amlfs, managed-disk."""
    tier: str
    region: str
    usd_per_gib_month: Decimal | None
    source: str
    retrieved: dt.date
    replication: int = 1
    """Copies the provider keeps (for the energy of stored bytes, after Cloud Carbon Footprint)."""
    unverified: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ServicePrice(_Record):
    """A managed service's price that is neither a machine nor storage: a Kubernetes control plane by the
    hour, a NAT gateway by the hour and by the GB, a public IPv4 address, a KMS key by the month."""

    cloud: str
    service: str
    """eks, nat-gateway, public-ipv4, kms, cloudwatch-logs, gke, cloud-nat, aks, … (see the rules)."""
    item: str
    """What is counted: cluster-hour, gateway-hour, gb-processed, ip-hour, key-month, gb-ingested, …"""
    region: str
    usd: Decimal | None
    """USD per one `item`; None when not published (unpriced)."""
    source: str
    retrieved: dt.date
    unverified: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class KubernetesVersion(_Record):
    """A managed Kubernetes minor version's support calendar on one cloud (EKS: the Amazon EKS Kubernetes
    release calendar). From `end_of_standard` the control plane is billed at the extended-support rate
    (AWS: from the start of that day, UTC); from `end_of_extended` the version is no longer supported and
    the cloud upgrades the control plane to the oldest supported version."""

    cloud: str
    version: str
    """The minor version as the API takes it, e.g. '1.31' (quoted in YAML: 1.30 would read as 1.3)."""
    released: dt.date
    """When the cloud released the version (not the upstream release)."""
    end_of_standard: dt.date
    end_of_extended: dt.date | None
    source: str
    retrieved: dt.date
    unverified: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Region(_Record):
    """A cloud region: where it is and its zones."""

    cloud: str
    name: str
    location: str
    """Where it is, in words (city / state / country)."""
    source: str
    retrieved: dt.date
    zones: tuple[str, ...] = ()
    unverified: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Pue(_Record):
    """Power usage effectiveness of a provider's data centres: per region where published, else the fleet
    figure (`region: '*'`)."""

    cloud: str
    region: str
    pue: Decimal
    year: int
    source: str
    retrieved: dt.date
    unverified: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class GridIntensity(_Record):
    """Carbon intensity of the electricity grid a region draws from, gCO2e per kWh. Location-based (the
    average of the grid) is the default; market-based (after the provider's energy purchases) is a
    labelled option where the provider publishes it."""

    cloud: str
    region: str
    location_g_per_kwh: Decimal
    year: int
    grid_area: str
    source: str
    retrieved: dt.date
    market_g_per_kwh: Decimal | None = None
    unverified: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class PowerCurve(_Record):
    """Measured whole-instance power at utilisation points (percent → watts)."""

    instance_type: str
    points: tuple[tuple[int, Decimal], ...]
    source: str
    retrieved: dt.date
    unverified: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class HostPower(_Record):
    """Power of a machine's host apart from accelerators, per cloud (Cloud Carbon Footprint coefficients):
    CPU from idle to max per vCPU, memory per GiB."""

    cloud: str
    vcpu_idle_w: Decimal
    vcpu_max_w: Decimal
    memory_w_per_gib: Decimal
    source: str
    retrieved: dt.date
    unverified: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class StoragePower(_Record):
    """Power of stored bytes per TB, by media (Cloud Carbon Footprint: SSD 1.2 W/TB, HDD 0.65 W/TB), to be
    multiplied by the service's replication factor."""

    media: str
    w_per_tb: Decimal
    source: str
    retrieved: dt.date
    unverified: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class EmbodiedCoefficients(_Record):
    """Manufacturing emissions of a server by its parts (Cloud Carbon Footprint's coefficients), amortised
    over `lifespan_years`. A GPU server's embodied carbon is far from negligible next to its operation in a
    clean grid, so estimates report it beside the operational carbon."""

    name: str
    base_kg: Decimal
    per_extra_socket_kg: Decimal
    dram_threshold_gib: Decimal
    per_extra_gib_dram_kg: Decimal
    per_ssd_kg: Decimal
    per_hdd_kg: Decimal
    per_gpu_kg: Decimal
    lifespan_years: Decimal
    source: str
    retrieved: dt.date
    unverified: tuple[str, ...] = ()
