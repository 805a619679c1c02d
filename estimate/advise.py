"""`infra advise`: where a GPU workload is cheapest, greenest, or best at a carbon price, and on what.

A workload (an accelerator or a minimum accelerator memory, a GPU count, hours or a usage profile) is
matched against every machine × region × purchase option in the catalog. Each candidate is priced by the
estimator's own code path — `estimate.compute.machine_charges` for the charge, power and embodied carbon,
`estimate.estimator._line` for PUE and the grid — so an option's figures are exactly what `infra estimate`
says of a node pool of those machines under the same usage profile (there is no second model).

Pure: no pulumi import; the catalog is a parameter, so tests pass small tables."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from aiinfra import clouds as cloud_profiles
from aiinfra.catalog.model import CLOUDS, PURCHASE_OPTIONS, InstanceType, Offer
from aiinfra.catalog.query import Catalog, CatalogLookupError, did_you_mean
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate.compute import Pool, machine_charges
from aiinfra.estimate.context import Context
from aiinfra.estimate.estimator import _line
from aiinfra.estimate.model import HOURS_PER_MONTH, Line, num
from aiinfra.estimate.usage import PROFILES, Profile, custom_profile

if TYPE_CHECKING:
    from aiinfra.estimate.model import Estimate

CAPACITIES = ("on-demand", "spot", "reservation", "capacity-block")
"""The spec's spelling of a purchase option (`capacity:` of a node pool)."""
OPTION_OF = {
    "on-demand": "on_demand",
    "spot": "spot",
    "reservation": "reservation",
    "capacity-block": "capacity_block",
}
"""Spec spelling → the estimator's option (`reservation` is billed at the on-demand rate all month)."""
OBJECTIVES = ("cost", "carbon", "balanced")

DEFAULT_CARBON_PRICE = Decimal(100)
"""USD per tonne CO2e for `balanced`: a round figure between the EU ETS allowance price (roughly €65–90 a
tonne through 2024–25) and the US EPA's 2023 social cost of carbon (about $190 a tonne at a 2 % discount
rate). Change it with --carbon-price."""
DEFAULT_UTILIZATION = PROFILES["training-steady"].mean_utilization
"""With --hours alone: accelerators busy 90 % of the time, as the training-steady profile assumes."""
MAX_GPUS = 100_000
MAX_HOURS = Decimal(26_280)
"""Three years: a longer job is not a job to advise on from list prices."""
MAX_NODES = 2000
"""A node pool's size limit in the stack spec (spec/models.py PoolNodes)."""

# Exclusion reasons: the JSON's `excluded[].reason`, one per rule that removes a candidate.
NOT_IN_REGION = "not offered in the requested regions"
NO_FABRIC = "no low-latency fabric (--interconnect)"
TOO_LITTLE_MEMORY = "accelerator memory below --min-gpu-memory"
NOT_SOLD = "purchase option not sold for this machine"
OVER_BUDGET = "over --max-usd"
UNPRICED_WITH_BUDGET = "unpriced, so it cannot be held to --max-usd"
TOO_MANY_NODES = f"needs more than {MAX_NODES:,} nodes, a pool's limit"

_RESOURCE = PlannedResource(
    type="aiinfra:advise:Pool", name="advised", urn="urn:advise", parent=None, inputs={}, custom=True
)
_GRAPH = ResourceGraph(stack="advise", project="aiinfra", resources=[_RESOURCE])


class _Remembering(Catalog):
    """The same catalog, remembering its list answers for one advice: the estimator's functions ask it for
    a cloud's machines once per candidate (to find the host a machine is a slice of), and an advice prices
    hundreds of candidates. Answers are the catalog's own; nothing is computed differently."""

    def __init__(self, base: Catalog) -> None:
        self.__dict__.update(base.__dict__)
        self._lists: dict[tuple[str | None, str | None, str | None], list[InstanceType]] = {}

    def instance_types(
        self, *, cloud: str | None = None, accelerator: str | None = None, region: str | None = None
    ) -> list[InstanceType]:
        key = (cloud, accelerator, region)
        found = self._lists.get(key)
        if found is None:
            found = self._lists[key] = super().instance_types(
                cloud=cloud, accelerator=accelerator, region=region
            )
        return list(found)


class AdviseError(ValueError):
    """Bad input to the advisor: `message` says what is wrong, `fix` what to write instead."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(f"{message} {fix}")
        self.message = message
        self.fix = fix


@dataclass(frozen=True)
class Workload:
    gpus: int
    hours: Decimal
    """Wall-clock hours the job runs (with a named profile and no --hours: one month, 730 h)."""
    utilization: Decimal
    accelerator: str | None = None
    """The catalog's name of the accelerator; None when only `min_gpu_memory_gb` is asked for."""
    min_gpu_memory_gb: int | None = None
    interconnect: bool = False
    profile: str = "custom"
    """`custom` (hours × utilisation), or a named profile used as it is for one month."""

    def months(self) -> list[tuple[Profile, int]]:
        """The usage profiles the job is estimated with, each with how many months it repeats: a job
        longer than a month is whole months of 730 h and the rest (the estimator prices a month)."""
        if self.profile != "custom":
            return [(PROFILES[self.profile], 1)]
        full, rest = divmod(self.hours, HOURS_PER_MONTH)
        out = [(custom_profile(HOURS_PER_MONTH, self.utilization), int(full))] if full else []
        if rest:
            out.append((custom_profile(rest, self.utilization), 1))
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "accelerator": self.accelerator,
            "min_gpu_memory_gb": self.min_gpu_memory_gb,
            "gpus": self.gpus,
            "hours": num(self.hours, 2),
            "utilization": num(self.utilization, 4),
            "profile": self.profile,
            "interconnect": self.interconnect,
        }


@dataclass(frozen=True)
class Option:
    cloud: str
    region: str
    zone: str | None
    instance_type: str
    accelerator: str
    gpus_per_node: int
    nodes: int
    capacity: str
    cost_usd: Decimal | None
    energy_kwh: Decimal | None
    co2e_kg: Decimal | None
    embodied_co2e_kg: Decimal | None
    usd_per_gpu_hour: Decimal | None
    kg_co2e_per_gpu_hour: Decimal | None
    notes: tuple[str, ...] = ()
    unpriced_reason: str = ""

    def score(self, objective: str, carbon_price: Decimal = DEFAULT_CARBON_PRICE) -> Decimal | None:
        """The figure the objective sorts by (lower is better); None when a part of it is unknown."""
        if objective == "cost":
            return self.cost_usd
        if objective == "carbon":
            return self.co2e_kg
        if self.cost_usd is None or self.co2e_kg is None:
            return None
        return self.cost_usd + self.co2e_kg / 1000 * carbon_price

    def to_json(self) -> dict[str, Any]:
        return {
            "cloud": self.cloud,
            "region": self.region,
            "zone": self.zone,
            "instance_type": self.instance_type,
            "accelerator": self.accelerator,
            "nodes": self.nodes,
            "capacity": self.capacity,
            "cost_usd": num(self.cost_usd, 2),
            "energy_kwh": num(self.energy_kwh, 1),
            "co2e_kg": num(self.co2e_kg, 1),
            "embodied_co2e_kg": num(self.embodied_co2e_kg, 1),
            "usd_per_gpu_hour": num(self.usd_per_gpu_hour, 4),
            "kg_co2e_per_gpu_hour": num(self.kg_co2e_per_gpu_hour, 4),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Exclusion:
    reason: str
    count: int
    examples: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"reason": self.reason, "count": self.count, "examples": list(self.examples)}


@dataclass
class Advice:
    workload: Workload
    objective: str
    carbon_price: Decimal
    options: list[Option] = field(default_factory=list)
    """Every candidate that passed the filters, best first; unpriced (or unknown-score) ones last."""
    excluded: list[Exclusion] = field(default_factory=list)

    def to_json(self, top: int | None = None) -> dict[str, Any]:
        shown = self.options if top is None else self.options[:top]
        return {
            "workload": self.workload.to_json(),
            "objective": self.objective,
            "carbon_price_usd_per_tonne": num(self.carbon_price, 2),
            "ranking": ranking_text(self.objective, self.carbon_price),
            "options": [o.to_json() for o in shown],
            "more_options": len(self.options) - len(shown),
            "excluded": [e.to_json() for e in self.excluded],
        }


def ranking_text(objective: str, carbon_price: Decimal) -> str:
    return {
        "cost": "by total cost (USD)",
        "carbon": "by operational carbon (kg CO2e; embodied shown apart)",
        "balanced": f"by cost + operational carbon × ${carbon_price:,.0f} per tonne CO2e",
    }[objective]


# -- input ------------------------------------------------------------------------------------------------


def workload(
    catalog: Catalog,
    *,
    gpus: int,
    accelerator: str | None = None,
    min_gpu_memory_gb: int | None = None,
    hours: float | Decimal | None = None,
    profile: str | None = None,
    interconnect: bool = False,
) -> Workload:
    """A checked workload; AdviseError (with the fix) for anything unusable."""
    acc_name = None
    if accelerator is not None:
        try:
            acc_name = catalog.accelerator(accelerator).name
        except CatalogLookupError as e:
            raise AdviseError(f"--accelerator: {e.message}", e.fix) from None
    if acc_name is None and min_gpu_memory_gb is None:
        raise AdviseError(
            "say what to run on.", "Give --accelerator (e.g. H100) or --min-gpu-memory (GB per accelerator)."
        )
    if min_gpu_memory_gb is not None and not 0 < min_gpu_memory_gb <= 10_000:
        raise AdviseError(
            f"--min-gpu-memory {min_gpu_memory_gb} is not a memory size.", "Give GB per accelerator, e.g. 80."
        )
    if not 0 < gpus <= MAX_GPUS:
        raise AdviseError(
            f"--gpus {gpus} is not a GPU count.", f"Give a whole number from 1 to {MAX_GPUS:,}."
        )
    if profile is not None and profile not in PROFILES and profile != "custom":
        raise AdviseError(
            f"--profile: unknown usage profile '{profile}'.", did_you_mean(profile, list(PROFILES))
        )
    if hours is None and profile in (None, "custom"):
        raise AdviseError(
            "how long does it run?", "Give --hours (e.g. 500), or --profile NAME for one month."
        )
    if hours is not None:
        h = Decimal(str(hours))
        if not h.is_finite() or not 0 < h <= MAX_HOURS:
            raise AdviseError(
                f"--hours {hours} is not a duration.", f"Give hours from 1 to {MAX_HOURS:,} (3 years)."
            )
        # A profile's mean busy share, to 4 places: the stack file writes it and reads it back exactly.
        util = round(PROFILES[profile].mean_utilization, 4) if profile in PROFILES else DEFAULT_UTILIZATION
        return Workload(gpus, h, util, acc_name, min_gpu_memory_gb, interconnect)
    named = PROFILES[profile]  # type: ignore[index]
    return Workload(
        gpus, HOURS_PER_MONTH, named.mean_utilization, acc_name, min_gpu_memory_gb, interconnect, named.name
    )


def check_places(
    catalog: Catalog, clouds: Sequence[str], regions: Sequence[str], capacities: Sequence[str]
) -> None:
    """Every cloud, region and capacity asked for must exist: AdviseError names the valid ones."""
    for c in clouds:
        if c not in CLOUDS:
            raise AdviseError(f"--cloud: unknown cloud '{c}'.", did_you_mean(c, list(CLOUDS)))
    for cap in capacities:
        if cap not in CAPACITIES:
            raise AdviseError(
                f"--capacity: unknown purchase option '{cap}'.", did_you_mean(cap, list(CAPACITIES))
            )
    known = sorted({r for c in (clouds or CLOUDS) for r in catalog.regions(c)})
    for r in regions:
        if r not in known:
            raise AdviseError(f"--region: unknown region '{r}'.", did_you_mean(r, known))


# -- the advice -------------------------------------------------------------------------------------------


def advise(
    catalog: Catalog,
    work: Workload,
    *,
    objective: str = "cost",
    carbon_price: Decimal = DEFAULT_CARBON_PRICE,
    clouds: Sequence[str] = (),
    regions: Sequence[str] = (),
    capacities: Sequence[str] = CAPACITIES,
    max_usd: Decimal | None = None,
) -> Advice:
    if objective not in OBJECTIVES:
        raise AdviseError(
            f"--objective: unknown objective '{objective}'.", did_you_mean(objective, list(OBJECTIVES))
        )
    if not carbon_price.is_finite() or carbon_price < 0:
        raise AdviseError(
            f"--carbon-price {carbon_price} is not a price.", "Give USD per tonne CO2e, e.g. 100."
        )
    if max_usd is not None and (not max_usd.is_finite() or max_usd <= 0):
        raise AdviseError(f"--max-usd {max_usd} is not a budget.", "Give a positive amount in USD.")
    check_places(catalog, clouds, regions, capacities)
    catalog = _Remembering(catalog)
    excluded: dict[str, list[str]] = {}
    options: list[Option] = []
    months = [(Context(catalog, _GRAPH, profile), times) for profile, times in work.months()]
    blocks = {c for c in CLOUDS if any(o.capacity_block is not None for o in catalog.offers(cloud=c))}
    for t in _machines(catalog, work, clouds, excluded):
        offers = catalog.offers(instance_type=t.name)
        if regions:
            wanted = [o for o in offers if o.region in regions]
            if offers and not wanted:
                excluded.setdefault(NOT_IN_REGION, []).append(f"{t.name} ({t.cloud})")
            offers = wanted
        nodes = math.ceil(work.gpus / t.accelerator_count)
        if offers and nodes > MAX_NODES:
            excluded.setdefault(TOO_MANY_NODES, []).append(f"{t.name} × {nodes:,}")
            continue
        for o in offers:
            sold = []
            for cap in capacities:
                why_not = _not_sold(t, cap, blocks)
                if why_not:
                    excluded.setdefault(NOT_SOLD, []).append(f"{t.name} {cap} ({why_not})")
                else:
                    sold.append(cap)
            for option in evaluate_many(catalog, work, t, o, sold, nodes, months):
                if max_usd is not None and option.cost_usd is None:
                    excluded.setdefault(UNPRICED_WITH_BUDGET, []).append(_example(option))
                elif max_usd is not None and option.cost_usd is not None and option.cost_usd > max_usd:
                    excluded.setdefault(OVER_BUDGET, []).append(f"{_example(option)} ${option.cost_usd:,.0f}")
                else:
                    options.append(option)
    options.sort(key=lambda o: rank_key(o, objective, carbon_price))
    return Advice(
        work,
        objective,
        carbon_price,
        options,
        [
            Exclusion(reason, len(found), tuple(dict.fromkeys(found))[:3])
            for reason, found in excluded.items()
        ],
    )


def rank_key(o: Option, objective: str, carbon_price: Decimal) -> tuple[Any, ...]:
    """Priced options first whatever the objective, then known scores, lowest first; ties by cost, carbon,
    then name (a stable, readable order)."""
    score = o.score(objective, carbon_price)
    big = Decimal("Infinity")
    return (
        o.cost_usd is None,
        score is None,
        score if score is not None else big,
        o.cost_usd if o.cost_usd is not None else big,
        o.co2e_kg if o.co2e_kg is not None else big,
        o.cloud,
        o.region,
        o.instance_type,
        CAPACITIES.index(o.capacity),
    )


def _machines(
    catalog: Catalog, work: Workload, clouds: Sequence[str], excluded: dict[str, list[str]]
) -> Iterable[InstanceType]:
    for t in catalog.instance_types(accelerator=work.accelerator):
        if t.accelerator is None or (clouds and t.cloud not in clouds):
            continue
        acc = catalog.accelerator(t.accelerator)
        if work.min_gpu_memory_gb is not None and acc.memory_gib < work.min_gpu_memory_gb:
            excluded.setdefault(TOO_LITTLE_MEMORY, []).append(f"{t.name} ({acc.name}, {acc.memory_gib} GB)")
            continue
        if work.interconnect and not t.has_fabric:
            excluded.setdefault(NO_FABRIC, []).append(f"{t.name} ({t.cloud})")
            continue
        yield t


def _not_sold(t: InstanceType, capacity: str, blocks: set[str]) -> str:
    """Why this purchase option cannot be bought for the machine at all (empty when it can); a price the
    catalog merely lacks is not this: that option is listed as unpriced. `blocks`: the clouds with any
    capacity-block price in the catalog."""
    if capacity in ("on-demand", "spot", "reservation") and not t.on_demand:
        return "sold only as capacity blocks"
    if capacity == "capacity-block" and t.cloud not in blocks:
        return f"{t.cloud} sells no capacity blocks in this catalog"
    return ""


def _example(o: Option) -> str:
    return f"{o.instance_type} {o.region} {o.capacity}"


SHARES_LINE = {"spot": "on-demand", "capacity-block": "reservation"}
"""A purchase option priced from another's line: spot bills the hours the nodes run, as on-demand does, and
a capacity block every hour of the month, as a reservation does, so the energy and embodied carbon are that
line's, and the cost is that line's scenario for the option (the estimator's own figure for it, the one
`infra estimate` shows under purchase options). Halves the estimator calls of an advice; a test checks
every option of the shipped catalog against `evaluate`, which prices each option on its own."""


def evaluate(
    catalog: Catalog,
    work: Workload,
    t: InstanceType,
    o: Offer,
    capacity: str,
    nodes: int,
    months: list[tuple[Context, int]] | None = None,
) -> Option:
    """One candidate, priced by the estimator's own functions for each month of the job."""
    lines = _month_lines(catalog, work, t, o, OPTION_OF[capacity], nodes, months)
    return _option(catalog, work, t, o, capacity, nodes, lines, None)


def evaluate_many(
    catalog: Catalog,
    work: Workload,
    t: InstanceType,
    o: Offer,
    capacities: Sequence[str],
    nodes: int,
    months: list[tuple[Context, int]] | None = None,
) -> list[Option]:
    """`evaluate` for several purchase options of one machine in one region, sharing lines (SHARES_LINE)."""
    made: dict[str, list[tuple[Line, int]]] = {}
    out = []
    for capacity in capacities:
        base = SHARES_LINE.get(capacity, capacity)
        if base not in made:
            made[base] = _month_lines(catalog, work, t, o, OPTION_OF[base], nodes, months)
        out.append(
            _option(
                catalog,
                work,
                t,
                o,
                capacity,
                nodes,
                made[base],
                OPTION_OF[capacity] if base != capacity else None,
            )
        )
    return out


def _month_lines(
    catalog: Catalog,
    work: Workload,
    t: InstanceType,
    o: Offer,
    option: str,
    nodes: int,
    months: list[tuple[Context, int]] | None,
) -> list[tuple[Line, int]]:
    """The estimator's line for a pool of `nodes` × `t` in `o`'s region under `option`, for each month
    profile of the job, with how many times that month repeats."""
    if months is None:
        months = [(Context(catalog, _GRAPH, profile), times) for profile, times in work.months()]
    pool = Pool(t.name, nodes, nodes, nodes, option)
    out = []
    for ctx, times in months:
        (charge,) = machine_charges(_RESOURCE, ctx, cloud=t.cloud, region=o.region, pool=pool)
        out.append((_line(_RESOURCE, ctx, t.cloud, o.region, charge, set()), times))
    return out


def _option(
    catalog: Catalog,
    work: Workload,
    t: InstanceType,
    o: Offer,
    capacity: str,
    nodes: int,
    lines: list[tuple[Line, int]],
    scenario: str | None,
) -> Option:
    """Totals over the months: the lines' own cost, or with `scenario` the lines' cost under that option."""
    cost: Decimal | None = Decimal(0)
    kwh: Decimal | None = Decimal(0)
    co2e: Decimal | None = Decimal(0)
    made: Decimal | None = Decimal(0)
    reason = ""
    for line, times in lines:
        if scenario is None:
            reason = reason or line.reason
            cost = _add(cost, line.monthly_cost_usd, times)
        else:
            cost = _add(cost, line.scenarios.get(scenario), times)
        kwh = _add(kwh, line.monthly_energy_kwh, times)
        co2e = _add(co2e, line.monthly_co2e_kg, times)
        made = _add(made, line.monthly_embodied_co2e_kg, times)
    if scenario is not None and cost is None:
        reason = catalog.unpriced_reason(t.name, o.region, scenario) or "no price"
    gpu_hours = work.gpus * work.hours
    zone = o.zones[0] if work.interconnect and o.zones else None
    return Option(
        cloud=t.cloud,
        region=o.region,
        zone=zone,
        instance_type=t.name,
        accelerator=t.accelerator or "",
        gpus_per_node=t.accelerator_count,
        nodes=nodes,
        capacity=capacity,
        cost_usd=cost,
        energy_kwh=kwh,
        co2e_kg=co2e,
        embodied_co2e_kg=made,
        usd_per_gpu_hour=cost / gpu_hours if cost is not None else None,
        kg_co2e_per_gpu_hour=co2e / gpu_hours if co2e is not None else None,
        notes=tuple(_notes(catalog, work, t, o, capacity, nodes, reason)),
        unpriced_reason=reason if cost is None else "",
    )


def _add(total: Decimal | None, part: Decimal | None, times: int) -> Decimal | None:
    return None if total is None or part is None else total + part * times


def _notes(
    catalog: Catalog, work: Workload, t: InstanceType, o: Offer, capacity: str, nodes: int, reason: str
) -> list[str]:
    notes = []
    if reason:
        notes.append(f"unpriced: {reason}")
    spare = nodes * t.accelerator_count - work.gpus
    if spare:
        notes.append(f"{spare} GPU(s) spare: {nodes} whole machines of {t.accelerator_count}")
    if capacity == "spot":
        notes.append("spot: can be interrupted at short notice (AWS 2 min, GCP/Azure 30 s); checkpoint often")
    elif capacity == "capacity-block":
        notes.append(
            "capacity block: sold in fixed windows of whole days, paid up front; billed here for every hour "
            f"of each month ({HOURS_PER_MONTH} h), as `infra estimate` bills it"
        )
    elif capacity == "reservation":
        notes.append(
            "needs a capacity reservation (its ID in the stack); billed at the on-demand rate for every "
            f"reserved hour ({HOURS_PER_MONTH} h a month)"
        )
    option = OPTION_OF[capacity]
    price_field = "on_demand" if option == "reservation" else option
    if price_field in o.unverified:
        notes.append(f"price unverified (catalog {o.retrieved.isoformat()})")
    if work.interconnect and not o.zones:
        notes.append("zones offering it are not in the catalog: pin the pool to one zone")
    if catalog.grid(t.cloud, o.region) is None:
        notes.append(f"no grid intensity for {o.region}: carbon unknown")
    if cloud_profiles.get(t.cloud).why_not("cluster"):
        notes.append(f"{t.cloud} clusters are not built yet: --write-stack refuses this option")
    return notes


# -- the chosen option as a stack -------------------------------------------------------------------------

PLACEHOLDER_RESERVATION = "cr-00000000000000000"
"""Written for reservation / capacity-block options: a well-formed ID that plans and estimates offline;
replace it with the real reservation's ID before `infra up`."""
PLACEHOLDER_PROJECT = "my-project-id"
"""Written where the cloud's clusters need a project (GCP): a well-formed ID that plans offline."""


def stack_yaml(option: Option, work: Workload, *, name: str = "advised") -> str:
    """A stack file (`Pulumi.<stack>.yaml`) for an option: a Kubernetes cluster with its network and one GPU
    node pool of the advised machines, and the usage profile that reproduces the advised hours, so
    `infra estimate` of the file prices the pool exactly as the advice did (one month of it when the job
    is longer). Other clouds: AdviseError — their clusters are not built yet and the plan would refuse."""
    profile = cloud_profiles.get(option.cloud)
    why_not = profile.why_not("cluster")
    if why_not:
        built = [c for c in cloud_profiles.names() if not cloud_profiles.get(c).why_not("cluster")]
        raise AdviseError(
            f"{option.cloud} clusters are not built yet, so `infra plan` would refuse a {option.cloud} stack.",
            f"Pick an option on {' or '.join(built)} (--pick N, or --cloud {','.join(built)}).",
        )
    pool = (
        "".join(ch if ch.isalnum() else "-" for ch in option.accelerator.lower()).strip("-")[:24].rstrip("-")
    )
    pool = pool or "gpus"
    if not pool[0].isalpha():
        pool = f"gpu-{pool}"[:24].rstrip("-")
    zone = f"\n      zone: {option.zone}" if option.zone else ""
    project = (
        f"\n  {profile.project_config_key}: {PLACEHOLDER_PROJECT}  # replace with your project's ID"
        if profile.project_config_key
        else ""
    )
    reservation = (
        f"\n          reservation: {PLACEHOLDER_RESERVATION}  # replace with your reservation's ID"
        if option.capacity in ("reservation", "capacity-block")
        else ""
    )
    if work.profile != "custom":
        usage = f"    profile: {work.profile}"
        span = f"one month of usage profile {work.profile}"
    else:
        hours = min(work.hours, HOURS_PER_MONTH)
        usage = f"    profile: custom\n    hoursPerMonth: {_plain(hours)}\n    utilization: {_plain(work.utilization)}"
        span = f"{_plain(work.hours)} h at {_plain(work.utilization * 100)} % busy"
        if work.hours > HOURS_PER_MONTH:
            span += f"; the estimate shows one month ({HOURS_PER_MONTH} h) of it"
    return f"""# Written by `infra advise`: {work.gpus} × {option.accelerator} on {option.nodes} × {option.instance_type}
# ({option.capacity}, {option.region}) for {span}.
# `infra plan -s THIS_FILE` shows what would be created; `infra estimate -s THIS_FILE` prices it.
config:
  {profile.region_config_key}: {option.region}{project}
  aiinfra:clusters:
    - name: {name}
      cloud: {option.cloud}
      region: {option.region}{zone}
      nodePools:
        - name: {pool}
          accelerator: {option.accelerator}
          instanceType: {option.instance_type}
          nodes: {option.nodes}
          capacity: {option.capacity}{reservation}
          interconnect: {"true" if work.interconnect else "false"}
  aiinfra:usage:
{usage}
"""


def _plain(d: Decimal) -> str:
    """A Decimal as YAML reads it back exactly: no exponent, no trailing zeros."""
    text = format(d.normalize(), "f")
    return text


# -- cheaper / greener alternatives for the GPU pools of an estimate ----------------------------------------

_POOL_LINE = re.compile(r"^(?P<lo>\d+)(?:–(?P<hi>\d+) \(desired (?P<desired>\d+)\))? × (?P<type>\S+) \(")
"""A compute line as `estimate.compute.machine_charges` describes it: '2 × p5.48xlarge (8× H100), …' or
'0–4 (desired 0) × g6e.12xlarge (4× L40S), …'."""
_RESERVED_LINE = ("capacity_block", "commit_1y", "commit_3y", "reservation")


def alternatives(result: Estimate, catalog: Catalog, *, limit: int = 3) -> list[dict[str, Any]]:
    """For each GPU pool of an estimate: the same machines (so the same GPU count) in another region or on
    another purchase option, up to `limit` cheaper ones and `limit` greener ones (one per region).

    The figures are the estimate's own: the cost of an option is its price × the hours the estimate bills
    for it (the hours the nodes run; every hour of the month for reserved capacity), exactly as the
    estimate's purchase-option scenarios; the same machines at the same utilisation draw the same IT
    energy, so another region changes only the PUE and the grid."""
    out = []
    for ln in result.lines:
        match = _POOL_LINE.match(ln.description)
        if match is None or not ln.scenarios or ln.region is None or ln.monthly_energy_kwh is None:
            continue
        try:
            t = catalog.instance_type(match["type"], cloud=ln.cloud)
        except CatalogLookupError:
            continue
        current = catalog.offer(t.name, ln.region)
        pue_now = catalog.pue(ln.cloud, ln.region)
        if t.accelerator is None or current is None or pue_now is None:
            continue
        desired = int(match["desired"] or match["lo"])
        it_kwh = ln.monthly_energy_kwh / pue_now.pue
        running: Decimal | None = ln.quantity if ln.purchase_option not in _RESERVED_LINE else None
        for opt in ("on_demand", "spot"):
            price, scenario = current.price(opt), ln.scenarios.get(opt)
            if running is None and price and scenario is not None:
                running = scenario / price
        rows: list[dict[str, Any]] = []
        for o in catalog.offers(instance_type=t.name):
            pue, grid = catalog.pue(t.cloud, o.region), catalog.grid(t.cloud, o.region)
            kwh = it_kwh * pue.pue if pue is not None else None
            co2e = kwh * grid.location_g_per_kwh / 1000 if kwh is not None and grid is not None else None
            for opt in PURCHASE_OPTIONS:
                hours = desired * HOURS_PER_MONTH if opt in _RESERVED_LINE else running
                price = o.price(opt)
                if (o.region, opt) == (ln.region, ln.purchase_option) or price is None or hours is None:
                    continue
                rows.append(
                    {
                        "region": o.region,
                        "purchase_option": opt,
                        "monthly_cost_usd": price * hours,
                        "monthly_co2e_kg": co2e,
                        "unverified": opt in o.unverified,
                    }
                )
        cost, carbon = ln.monthly_cost_usd, ln.monthly_co2e_kg
        cheaper = sorted(
            (r for r in rows if cost is not None and r["monthly_cost_usd"] < cost),
            key=lambda r: (r["monthly_cost_usd"], r["region"]),
        )[:limit]
        greener: dict[str, dict[str, Any]] = {}
        for r in sorted(
            (
                r
                for r in rows
                if carbon is not None and r["monthly_co2e_kg"] is not None and r["monthly_co2e_kg"] < carbon
            ),
            key=lambda r: (r["monthly_co2e_kg"], r["monthly_cost_usd"], r["region"]),
        ):
            greener.setdefault(r["region"], r)
        if cheaper or greener:
            out.append(
                {
                    "resource": ln.resource,
                    "group": ln.group,
                    "machines": f"{desired} × {t.name} ({t.accelerator_count}× {t.accelerator})",
                    "region": ln.region,
                    "purchase_option": ln.purchase_option,
                    "monthly_cost_usd": cost,
                    "monthly_co2e_kg": carbon,
                    "cheaper": cheaper,
                    "greener": list(greener.values())[:limit],
                }
            )
    return out
