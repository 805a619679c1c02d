"""Edge locations as data: AWS Local Zones, Wavelength Zones and Outposts, Google Distributed Cloud
connected zones, Azure Extended Zones — each with its parent region, metro, zone group, the GPU machines it
sells, its own prices (an edge location's price is not its region's) and the grid of its metro.

The files live in `data/edge/<cloud>.yaml` (see `data/README.md`), apart from the regional catalog: they are
read only when a stack has an edge site or `infra catalog edge` runs, so the compiled `catalog.json` (the
fast path of every other command) does not carry them. No pulumi import here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from aiinfra.catalog.load import DATA_DIR, CatalogDataError, read_yaml, rows
from aiinfra.catalog.model import CLOUDS, InstanceType

if TYPE_CHECKING:
    from aiinfra.catalog.query import Catalog

EDGE_DIR = "edge"
EDGE_KINDS = ("local-zone", "wavelength", "outpost", "distributed-cloud", "extended-zone")
"""The spec's EdgeKind values (spec/models.py), repeated here because the catalog sits below the spec."""

EDGE_LOCATION_TAG = "aiinfra:edge-location"
"""The tag edge components put on a site's node group / scaling group: the location its machines are at
(a Local Zone, Wavelength Zone, Outpost ARN, ...), so the estimate prices them there, not in the region."""
PUBLIC_TAG = "aiinfra:public"
"""Set to "true" on an edge site's resources when the site asked for public addresses (`public: true`); the
check (policy/edge_rules.py) lets such addresses through only there."""


@dataclasses.dataclass(frozen=True, slots=True)
class EdgeLocation:
    """One edge location, or (with `pattern`) a family of them the provider names per customer (an Outpost
    ARN, a Distributed Cloud zone): `pattern` is a regular expression a spec's location must match, and
    its `region` group is the parent region (the row's `region` is then '*')."""

    cloud: str
    name: str
    kind: str
    region: str
    """The parent region: where the control plane, the VPC/VNet and the API calls live."""
    metro: str
    """Where the hardware is (city / site), the grid it draws from."""
    source: str
    retrieved: dt.date
    zone_group: str | None = None
    """AWS: the zone group an account opts in to (`us-west-2-lax-1`, `us-east-1-wl1`)."""
    network_border_group: str | None = None
    """AWS: where public (or carrier) addresses of the zone are advertised from; an EIP must name it."""
    machines: tuple[str, ...] = ()
    """GPU instance types the location sells (catalog names)."""
    accelerators: tuple[str, ...] = ()
    """Accelerators of hardware that is not sold as a machine type (Distributed Cloud servers)."""
    volume_types: tuple[str, ...] = ()
    """AWS: EBS volume types the zone offers (Local Zones and Outposts differ from their region)."""
    spot: bool = False
    """Whether spot capacity is sold there."""
    pattern: str = ""
    example: str = ""
    """With `pattern`: a location of the family, for messages."""
    note: str = ""
    unverified: tuple[str, ...] = ()

    def matches(self, location: str) -> bool:
        if self.pattern:
            return re.fullmatch(self.pattern, location) is not None
        return location == self.name

    def parent_region(self, location: str) -> str:
        """The parent region of `location` (a row of this family): the row's, or the ARN's / zone's."""
        if self.pattern:
            found = re.fullmatch(self.pattern, location)
            if found is not None and "region" in found.groupdict():
                return found["region"]
        return self.region


@dataclasses.dataclass(frozen=True, slots=True)
class EdgeOffer:
    """An instance type's hourly price at one edge location (USD per machine-hour, Linux). None is
    unpriced, and `reason` says why (not published, bought with the hardware)."""

    cloud: str
    location: str
    instance_type: str
    source: str
    retrieved: dt.date
    on_demand: Decimal | None = None
    spot: Decimal | None = None
    reason: str = ""
    unverified: tuple[str, ...] = ()

    def price(self, option: str) -> Decimal | None:
        return getattr(self, option)  # type: ignore[no-any-return]


@dataclasses.dataclass(frozen=True, slots=True)
class EdgeGrid:
    """Carbon intensity of the grid a metro draws from, gCO2e per kWh (location-based); None with `reason`
    where no figure is recorded."""

    cloud: str
    metro: str
    source: str
    retrieved: dt.date
    location_g_per_kwh: Decimal | None = None
    year: int | None = None
    grid_area: str = ""
    reason: str = ""
    unverified: tuple[str, ...] = ()


SECTIONS: dict[str, type] = {"locations": EdgeLocation, "offers": EdgeOffer, "grid": EdgeGrid}


class EdgeCatalog:
    """Every edge location with its offers and grid, looked up by cloud and location name."""

    def __init__(
        self,
        locations: Iterable[EdgeLocation] = (),
        offers: Iterable[EdgeOffer] = (),
        grid: Iterable[EdgeGrid] = (),
    ) -> None:
        self._locations = list(locations)
        for loc in self._locations:
            if loc.kind not in EDGE_KINDS:
                raise ValueError(f"edge location {loc.name}: kind {loc.kind!r} is not one of {EDGE_KINDS}")
            if loc.pattern:
                re.compile(loc.pattern)
        names = {(loc.cloud, loc.name) for loc in self._locations}
        self._offers = {(o.cloud, o.location, o.instance_type.lower()): o for o in offers}
        for o in self._offers.values():
            if (o.cloud, o.location) not in names:
                raise ValueError(f"edge offer for unknown {o.cloud} location {o.location}")
        self._grid = {(g.cloud, g.metro): g for g in grid}

    def locations(self, cloud: str | None = None) -> list[EdgeLocation]:
        return [loc for loc in self._locations if cloud is None or loc.cloud == cloud]

    def location(self, cloud: str, location: str) -> EdgeLocation | None:
        """The row for `location` on `cloud`: its own, else the family whose pattern it matches."""
        named = [loc for loc in self._locations if loc.cloud == cloud and not loc.pattern]
        for loc in named:
            if loc.name == location:
                return loc
        for loc in self._locations:
            if loc.cloud == cloud and loc.pattern and loc.matches(location):
                return loc
        return None

    def offer(self, cloud: str, location: str, instance_type: str) -> EdgeOffer | None:
        return self._offers.get((cloud, location, instance_type.lower()))

    def grid(self, cloud: str, metro: str) -> EdgeGrid | None:
        return self._grid.get((cloud, metro))

    def names(self, cloud: str) -> list[str]:
        """The location names a spec can write on `cloud` (families by their example name)."""
        return [loc.name for loc in self._locations if loc.cloud == cloud and not loc.pattern]


def load_edge(root: Path = DATA_DIR) -> EdgeCatalog:
    """The edge files under `root/edge/`; the shipped ones when `root` has none (a refreshed regional
    catalog directory does not carry them)."""
    folder = root / EDGE_DIR
    if not folder.is_dir():
        folder = DATA_DIR / EDGE_DIR
    found: dict[str, list[object]] = {section: [] for section in SECTIONS}
    for cloud in CLOUDS:
        path = folder / f"{cloud}.yaml"
        if not path.exists():
            continue
        doc = read_yaml(path)
        rel = f"{EDGE_DIR}/{cloud}.yaml"
        if doc.get("cloud") != cloud:
            raise CatalogDataError(f"{rel}: top-level 'cloud' must be '{cloud}', found {doc.get('cloud')!r}")
        unknown = set(doc) - set(SECTIONS) - {"version", "cloud"}
        if unknown:
            raise CatalogDataError(f"{rel}: unknown sections {sorted(unknown)}; expected {sorted(SECTIONS)}")
        for section, record in SECTIONS.items():
            found[section] += rows(record, doc.get(section) or [], rel, section, {"cloud": cloud})
    try:
        return EdgeCatalog(found["locations"], found["offers"], found["grid"])  # type: ignore[arg-type]
    except (ValueError, re.error) as e:
        raise CatalogDataError(f"{folder}: {e}") from None


@functools.cache
def edge_catalog_at(root: str) -> EdgeCatalog:
    return load_edge(Path(root))


def sellers(edge: EdgeCatalog, cloud: str, machines: Iterable[str]) -> list[str]:
    """The named locations of `cloud` that sell any of `machines`."""
    wanted = {m.lower() for m in machines}
    return [
        loc.name
        for loc in edge.locations(cloud)
        if not loc.pattern and wanted & {m.lower() for m in loc.machines}
    ]


def resolve_edge(
    catalog: Catalog,
    loc: EdgeLocation,
    location: str,
    *,
    accelerator: str | None,
    instance_type: str | None,
) -> InstanceType:
    """The machine an edge site gets at `location` (a row `loc` of the edge catalog): `instance_type` when
    the location sells it, else the location's smallest machine with `accelerator` (an edge site serves
    inference on scarce local capacity, so one GPU per node unless the spec says otherwise). A name the
    location does not sell is a CatalogLookupError that lists what it sells and where the name is sold."""
    from aiinfra.catalog.query import CatalogLookupError, closest

    sold = [catalog.instance_type(m, cloud=loc.cloud) for m in loc.machines]
    menu = ", ".join(t.name for t in sold) or "no GPU machine in this catalog"
    if instance_type is not None:
        chosen = catalog.instance_type(instance_type, cloud=loc.cloud)
        if accelerator is not None and catalog.accelerator(accelerator).name != chosen.accelerator:
            raise CatalogLookupError(
                f"instance type {chosen.name} carries {chosen.accelerator}, not {accelerator}.",
                "Drop one of the two.",
            )
        if chosen.name.lower() not in {t.name.lower() for t in sold}:
            near = closest(chosen.name, [t.name for t in sold])
            where = sellers(catalog.edge, loc.cloud, [chosen.name])
            raise CatalogLookupError(
                f"{chosen.name} is not sold at {location}.",
                (f"Did you mean '{near}'? " if near else "")
                + f"{location} sells: {menu}."
                + (f" Locations that sell {chosen.name}: {', '.join(where)}." if where else ""),
            )
        return chosen
    if accelerator is None:
        raise CatalogLookupError(
            "an edge site needs an accelerator or an instance type.",
            f"Set accelerator or instanceType; {location} sells: {menu}.",
        )
    acc = catalog.accelerator(accelerator)
    offered = [t for t in sold if t.accelerator == acc.name]
    if not offered:
        with_acc = [t.name for t in catalog.instance_types(cloud=loc.cloud, accelerator=acc.name)]
        where = sellers(catalog.edge, loc.cloud, with_acc)
        raise CatalogLookupError(
            f"{acc.name} is not sold at {location}.",
            f"{location} sells: {menu}."
            + (f" Locations that sell {acc.name}: {', '.join(where)}." if where else ""),
        )
    return min(offered, key=lambda t: (t.accelerator_count, t.vcpu, t.name))


def edge_rows(
    catalog: Catalog, *, cloud: str | None = None, accelerator: str | None = None
) -> list[dict[str, object]]:
    """The rows `infra catalog edge` shows: each location with its machines, their own prices (or why they
    are unpriced) and the metro's grid. `accelerator` keeps the locations that sell it (an unknown name is a
    CatalogLookupError with suggestions)."""
    acc = catalog.accelerator(accelerator).name if accelerator is not None else None
    out: list[dict[str, object]] = []
    for loc in catalog.edge.locations(cloud):
        types = [catalog.instance_type(m, cloud=loc.cloud) for m in loc.machines]
        if acc is not None and acc not in {t.accelerator for t in types} | set(loc.accelerators):
            continue
        machines = []
        for t in types:
            offer = catalog.edge.offer(loc.cloud, loc.name, t.name)
            machines.append(
                {
                    "instance_type": t.name,
                    "accelerator": t.accelerator,
                    "accelerator_count": t.accelerator_count,
                    "on_demand_usd_per_hour": offer.on_demand if offer else None,
                    "unpriced_reason": (offer.reason if offer else "no price recorded for this location")
                    if offer is None or offer.on_demand is None
                    else None,
                }
            )
        grid = catalog.edge.grid(loc.cloud, loc.metro)
        out.append(
            {
                "cloud": loc.cloud,
                "location": loc.example or loc.name if loc.pattern else loc.name,
                "kind": loc.kind,
                "region": loc.region if not loc.pattern else "(from the location)",
                "metro": loc.metro,
                "zone_group": loc.zone_group,
                "network_border_group": loc.network_border_group,
                "machines": machines,
                "accelerators": list(loc.accelerators),
                "spot": loc.spot,
                "volume_types": list(loc.volume_types),
                "grid_g_co2e_per_kwh": grid.location_g_per_kwh if grid else None,
                "grid_reason": (grid.reason if grid else "no grid figure for this metro")
                if grid is None or grid.location_g_per_kwh is None
                else None,
                "note": loc.note,
                "source": loc.source,
                "retrieved": loc.retrieved.isoformat(),
                "unverified": list(loc.unverified),
            }
        )
    return out
