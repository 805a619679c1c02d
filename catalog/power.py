"""How much a machine draws at a given utilisation: the measured whole-instance curve where the catalog has
one, else accelerators and host from idle to max (Cloud Carbon Footprint's linear model). Pure arithmetic on
catalog records; the estimator and `infra catalog` both use it."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal

from aiinfra.catalog.model import InstanceType, PowerCurve
from aiinfra.catalog.query import Catalog

ONE = Decimal(1)
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class PowerDraw:
    """IT power of one machine (before PUE)."""

    power_w: Decimal
    method: str
    """'measured curve' or 'accelerators + host'."""
    source: str


def interpolate(curve: PowerCurve, utilization: Decimal) -> Decimal:
    """Piecewise-linear power at `utilization` (0..1) between the curve's measured points."""
    percent = utilization * 100
    points = curve.points
    if percent <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if percent <= x1:
            return y0 + (y1 - y0) * (percent - x0) / (x1 - x0)
    return points[-1][1]


def instance_power(catalog: Catalog, t: InstanceType, utilization: Decimal) -> PowerDraw:
    """Power of one `t` machine at `utilization` of its accelerators (0..1); a CPU-only machine's
    utilisation is its CPUs'."""
    if not ZERO <= utilization <= ONE:
        raise ValueError(f"utilisation must be between 0 and 1, got {utilization}")
    curve = catalog.power_curve(t.name)
    if curve is not None:
        return PowerDraw(interpolate(curve, utilization), "measured curve", curve.source)
    idle, peak = catalog.accelerator_power(t)
    watts = t.accelerator_count * (idle + (peak - idle) * utilization)
    sources = [catalog.accelerator(t.accelerator).source] if t.accelerator else ["CPU-only machine"]
    host = catalog.host_power(t.cloud)
    if host is None:
        return PowerDraw(Decimal(watts), f"accelerators only (no {t.cloud} host coefficients)", sources[0])
    cpu = host.vcpu_idle_w + (host.vcpu_max_w - host.vcpu_idle_w) * utilization
    watts += t.vcpu * cpu + t.memory_gib * host.memory_w_per_gib
    sources.append(host.source)
    return PowerDraw(Decimal(watts), "accelerators + host", "; ".join(sources))
