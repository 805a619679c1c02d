"""Embodied (manufacturing) carbon of a machine, per hour held, after Cloud Carbon Footprint: the host
server's emissions from its parts, amortised over its lifespan, and shared by vCPU when the machine is a
slice of a bigger host. Pure arithmetic on catalog records."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from aiinfra.catalog.model import InstanceType
from aiinfra.catalog.query import Catalog

HOURS_PER_YEAR = Decimal(8760)
NVME_DISK_GIB = 3576
"""One 3.84 TB NVMe disk in GiB: local SSD capacity is counted in such disks (an assumption: providers
publish the total, rarely the disk count)."""


@dataclass(frozen=True, slots=True)
class Embodied:
    kg_per_hour: Decimal
    host: str
    """The machine whose parts were counted: this one, or the family's largest size it is a slice of."""
    detail: str
    source: str


def family(name: str) -> str:
    """`g5.12xlarge` → `g5`; `a2-highgpu-8g` → `a2-highgpu`; `Standard_NC24ads_A100_v4` → `NCads_A100_v4`."""
    if "." in name:
        return name.split(".", 1)[0]
    if name.startswith("Standard_"):
        core = name.removeprefix("Standard_")
        letters = "".join(c for c in core.split("_", 1)[0] if not c.isdigit())
        rest = core.split("_", 1)[1] if "_" in core else ""
        return f"{letters}_{rest}"
    return name.rsplit("-", 1)[0]


def host_of(catalog: Catalog, t: InstanceType) -> InstanceType:
    """The largest machine of `t`'s family on its cloud: the physical host `t` is (a share of)."""
    same = [x for x in catalog.instance_types(cloud=t.cloud) if family(x.name) == family(t.name)]
    return max(same or [t], key=lambda x: (x.vcpu, x.accelerator_count, x.memory_gib))


def embodied(catalog: Catalog, t: InstanceType) -> Embodied | None:
    """kg CO2e per hour of holding one `t`; None when the catalog has no coefficients."""
    c = catalog.embodied_coefficients()
    if c is None:
        return None
    host = host_of(catalog, t)
    sockets = 2 if host.vcpu >= 96 else 1
    disks = math.ceil(host.local_ssd_gib / NVME_DISK_GIB) if host.local_ssd_gib else 0
    extra_dram = max(Decimal(host.memory_gib) - c.dram_threshold_gib, Decimal(0))
    total = (
        c.base_kg
        + (sockets - 1) * c.per_extra_socket_kg
        + extra_dram * c.per_extra_gib_dram_kg
        + disks * c.per_ssd_kg
        + host.accelerator_count * c.per_gpu_kg
    )
    share = Decimal(t.vcpu) / Decimal(host.vcpu) if host.vcpu else Decimal(1)
    per_hour = total * share / (c.lifespan_years * HOURS_PER_YEAR)
    detail = (
        f"{host.name}: {c.base_kg} kg base + {sockets - 1} socket + {extra_dram:,.0f} GiB DRAM + {disks} SSD + "
        f"{host.accelerator_count} GPU = {total:,.0f} kg over {c.lifespan_years} years"
        + (f", × {t.vcpu}/{host.vcpu} vCPU share" if host is not t else "")
    )
    return Embodied(per_hour, host.name, detail, c.source)
