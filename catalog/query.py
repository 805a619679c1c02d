"""Query API over the catalog: resolve an accelerator or instance type, check a region and zone offer it,
price an offer, find PUE and grid intensity. One source of truth for the spec validator, the components,
the estimator and `infra catalog`."""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from aiinfra.catalog.load import (
    DATA_DIR,
    CatalogData,
    GeneralTable,
    ServiceTable,
    load_dir,
    load_general,
    load_service_table,
)
from aiinfra.catalog.model import (
    FABRIC_TITLES,
    PURCHASE_OPTIONS,
    Accelerator,
    AcceleratorPrice,
    EmbodiedCoefficients,
    GridIntensity,
    HostPower,
    InstanceType,
    KubernetesVersion,
    Offer,
    PowerCurve,
    Pue,
    Region,
    ServicePrice,
    StoragePower,
    StoragePrice,
)

CATALOG_DIR_ENV = "AIINFRA_CATALOG_DIR"
"""Point this at another data directory (e.g. one `infra catalog refresh --out` wrote) to use it."""

if TYPE_CHECKING:  # catalog/edge.py is imported on first use: the first query never needs it
    from aiinfra.catalog.edge import EdgeCatalog


class CatalogLookupError(LookupError):
    """A name or combination the catalog does not have. `fix` tells the user what to write instead."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(f"{message} {fix}")
        self.message = message
        self.fix = fix


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to `name` (case-insensitive), or None when nothing is close."""
    import difflib  # only when a lookup fails: keeps the catalog's first query fast

    by_lower = {c.lower(): c for c in candidates}
    match = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.5)
    return by_lower[match[0]] if match else None


def did_you_mean(name: str, candidates: Sequence[str]) -> str:
    suggestion = closest(name, candidates)
    valid = ", ".join(sorted(candidates))
    if suggestion:
        return f"Did you mean '{suggestion}'? Valid: {valid}."
    return f"Valid: {valid}."


class Catalog:
    """An immutable set of catalog records with lookups by name, cloud, region and zone.

    Offers come out *complete*: a GCP row that prices the host only gets `accelerator_count` × the GPU
    SKU's price added for each purchase option, and a TPU machine gets count × the chip-hour price. When
    the SKU is missing the total stays None (unpriced) and `note` says why — never the host alone.

    `general` (optional) loads the general-purpose CPU machine table (`<cloud>/general.csv`). It is read
    the first time a lookup by name asks for a CPU machine, and it only fills what the main catalog lacks:
    a (type, region) with a priced offer in offers.yaml keeps it; an offers.yaml row without any price is
    a placeholder the table's priced row replaces. Whole-catalog listings (`offers()` without a type,
    `instance_types()`) never enumerate it, so GPU listings stay GPU-only."""

    def __init__(
        self,
        accelerators: Iterable[Accelerator],
        instance_types: Iterable[InstanceType],
        offers: Iterable[Offer] = (),
        accelerator_prices: Iterable[AcceleratorPrice] = (),
        regions: Iterable[Region] = (),
        pue: Iterable[Pue] = (),
        grid: Iterable[GridIntensity] = (),
        storage_prices: Iterable[StoragePrice] = (),
        power_curves: Iterable[PowerCurve] = (),
        host_power: Iterable[HostPower] = (),
        service_prices: Iterable[ServicePrice] = (),
        storage_power: Iterable[StoragePower] = (),
        embodied: Iterable[EmbodiedCoefficients] = (),
        kubernetes_versions: Iterable[KubernetesVersion] = (),
        versions: dict[str, str] | None = None,
        general: Callable[[], GeneralTable] | None = None,
        service_tables: Callable[[str, str], ServiceTable | None] | None = None,
        edge: EdgeCatalog | None = None,
        edge_root: Path | None = None,
    ) -> None:
        self.versions = dict(versions or {})
        self._general_loader = general
        self._general: GeneralTable | None = None
        self._with_general: dict[str, list[Offer]] = {}
        self._service_table_loader = service_tables
        self._service_tables: dict[tuple[str, str], ServiceTable | None] = {}
        self._edge = edge
        self._edge_root = edge_root
        self._accelerators = {a.name.lower(): a for a in accelerators}
        self._instance_types = {t.name.lower(): t for t in instance_types}
        for t in self._instance_types.values():
            if t.accelerator is not None and t.accelerator.lower() not in self._accelerators:
                raise ValueError(f"instance type {t.name} names unknown accelerator {t.accelerator}")
        self._accelerator_prices = {(p.cloud, p.accelerator.lower(), p.region): p for p in accelerator_prices}
        self._regions = {(r.cloud, r.name): r for r in regions}
        self._pue = {(p.cloud, p.region): p for p in pue}
        self._grid = {(g.cloud, g.region): g for g in grid}
        self._storage = {(s.cloud, s.service.lower(), s.tier.lower(), s.region): s for s in storage_prices}
        self._curves = {c.instance_type.lower(): c for c in power_curves}
        self._host_power = {h.cloud: h for h in host_power}
        self._storage_power = {p.media: p for p in storage_power}
        self._embodied = list(embodied)
        self._k8s_versions = sorted(kubernetes_versions, key=lambda v: (v.cloud, _minor(v.version)))
        self._services = {(p.cloud, p.service, p.item, p.region): p for p in service_prices}
        self._offers: dict[str, list[Offer]] = {}
        for o in offers:
            known = self._instance_types.get(o.instance_type.lower())
            if known is None or known.cloud != o.cloud:
                raise ValueError(f"offer for unknown {o.cloud} instance type {o.instance_type} in {o.region}")
            self._offers.setdefault(known.name.lower(), []).append(self._complete(o, known))
        for found in self._offers.values():
            found.sort(key=lambda o: o.region)
        self._by_accelerator: dict[str, list[Offer]] = {}
        for found in self._offers.values():
            for o in found:
                kind = (self._instance_types[o.instance_type.lower()].accelerator or "").lower()
                self._by_accelerator.setdefault(kind, []).append(o)

    @classmethod
    def from_dir(cls, root: Path = DATA_DIR) -> Catalog:
        return cls.from_data(
            load_dir(root),
            general=functools.partial(load_general, root),
            service_tables=functools.partial(load_service_table, root),
            edge_root=root,
        )

    @classmethod
    def from_data(
        cls,
        data: CatalogData,
        general: Callable[[], GeneralTable] | None = None,
        edge_root: Path | None = None,
        service_tables: Callable[[str, str], ServiceTable | None] | None = None,
    ) -> Catalog:
        return cls(
            general=general,
            service_tables=service_tables,
            edge_root=edge_root,
            accelerators=data.get("accelerators"),
            instance_types=data.get("instance_types"),
            offers=data.get("offers"),
            accelerator_prices=data.get("accelerator_prices"),
            regions=data.get("regions"),
            pue=data.get("pue"),
            grid=data.get("grid"),
            storage_prices=data.get("storage_prices"),
            power_curves=data.get("instance_curves"),
            host_power=data.get("host_power"),
            service_prices=data.get("service_prices"),
            storage_power=data.get("storage_power"),
            embodied=data.get("embodied"),
            kubernetes_versions=data.get("kubernetes_versions"),
            versions=data.versions,
        )

    @property
    def edge(self) -> EdgeCatalog:
        """Edge locations (catalog/edge.py): given, else read from the data directory on first use (only
        stacks with edge sites and `infra catalog edge` need them), else none."""
        if self._edge is None:
            from aiinfra.catalog.edge import EdgeCatalog, edge_catalog_at

            self._edge = edge_catalog_at(str(self._edge_root)) if self._edge_root else EdgeCatalog()
        return self._edge

    @property
    def version(self) -> str:
        """The newest file version in the catalog: what changed last."""
        return max(self.versions.values(), default="")

    def _complete(self, o: Offer, t: InstanceType) -> Offer:
        if o.billing == "instance":
            return o
        if t.accelerator is None:
            raise ValueError(f"{o.instance_type} in {o.region}: billing {o.billing} needs an accelerator")
        sku = self._accelerator_prices.get((o.cloud, t.accelerator.lower(), o.region))
        totals: dict[str, Decimal | None] = {}
        for option in PURCHASE_OPTIONS:
            host = o.price(option) if o.billing == "host+accelerators" else Decimal(0)
            each = sku.price(option) if sku is not None else None
            totals[option] = None if host is None or each is None else host + t.accelerator_count * each
        if sku is None:
            note = f"no {t.accelerator} price in {o.region}: unpriced (the host alone is not the machine's price)"
        elif o.billing == "host+accelerators":
            note = f"host + {t.accelerator_count} × {t.accelerator} SKU ({sku.source})"
        else:
            note = f"{t.accelerator_count} × {t.accelerator} chip-hour ({sku.source})"
        return dataclasses.replace(o, note=note, **totals)  # type: ignore[arg-type]

    # -- accelerators and instance types ---------------------------------------------------------------

    @property
    def accelerators(self) -> list[Accelerator]:
        return list(self._accelerators.values())

    def accelerator(self, name: str) -> Accelerator:
        found = self._accelerators.get(name.lower())
        if found is None:
            raise CatalogLookupError(
                f"unknown accelerator '{name}'.",
                did_you_mean(name, [a.name for a in self._accelerators.values()]),
            )
        return found

    def instance_types(
        self, *, cloud: str | None = None, accelerator: str | None = None, region: str | None = None
    ) -> list[InstanceType]:
        acc = accelerator.lower() if accelerator else None
        return [
            t
            for t in self._instance_types.values()
            if (cloud is None or t.cloud == cloud)
            and (acc is None or (t.accelerator or "").lower() == acc)
            and (region is None or self.offer(t.name, region) is not None)
        ]

    def instance_type(self, name: str, *, cloud: str | None = None) -> InstanceType:
        found = self._instance_types.get(name.lower()) or self._general_table().instance_types.get(
            name.lower()
        )
        if found is None or (cloud is not None and found.cloud != cloud):
            names = [t.name for t in self.instance_types(cloud=cloud)]
            where = f" on {cloud}" if cloud else ""
            raise CatalogLookupError(f"unknown instance type '{name}'{where}.", did_you_mean(name, names))
        return found

    def accelerator_power(self, t: InstanceType) -> tuple[int, int]:
        """(idle, max) board power of one of `t`'s accelerators, with the machine's form-factor override;
        (0, 0) for a CPU-only machine."""
        if t.accelerator is None:
            return 0, 0
        acc = self.accelerator(t.accelerator)
        idle = t.accelerator_power_idle_w if t.accelerator_power_idle_w is not None else acc.power_idle_w
        peak = t.accelerator_power_max_w if t.accelerator_power_max_w is not None else acc.power_max_w
        return idle, peak

    # -- offers ----------------------------------------------------------------------------------------

    def offers(
        self,
        *,
        instance_type: str | None = None,
        cloud: str | None = None,
        region: str | None = None,
        accelerator: str | None = None,
    ) -> list[Offer]:
        acc = accelerator.lower() if accelerator else None
        if instance_type is not None:
            pool = self._type_offers(instance_type)
        elif acc is not None:
            pool, acc = self._by_accelerator.get(acc, []), None  # already those of the accelerator
        else:
            pool = [o for found in self._offers.values() for o in found]
        return [
            o
            for o in pool
            if (cloud is None or o.cloud == cloud)
            and (region is None or o.region == region)
            and (
                acc is None
                or (self._instance_types[o.instance_type.lower()].accelerator or "").lower() == acc
            )
        ]

    def offer(self, instance_type: str, region: str) -> Offer | None:
        for o in self._type_offers(instance_type):
            if o.region == region:
                return o
        return None

    def _general_table(self) -> GeneralTable:
        if self._general is None:
            self._general = self._general_loader() if self._general_loader else GeneralTable({}, {}, {})
        return self._general

    def _type_offers(self, instance_type: str) -> list[Offer]:
        """The offers of one instance type: the main catalog's, completed by the general table for a CPU
        machine (a GPU/TPU machine's offers never consult it, so GPU lookups never load it)."""
        key = instance_type.lower()
        main = self._offers.get(key, [])
        known = self._instance_types.get(key)
        if known is not None and known.accelerator is not None:
            return main
        merged = self._with_general.get(key)
        if merged is None:
            extra = self._general_table().offers.get(key, [])
            if known is not None:
                extra = [o for o in extra if o.cloud == known.cloud]
            priced = {o.region for o in main if any(o.price(p) is not None for p in PURCHASE_OPTIONS)}
            filled = {o.region for o in extra} - priced
            kept = [o for o in main if o.region not in filled]
            merged = self._with_general[key] = sorted(
                kept + [o for o in extra if o.region in filled], key=lambda o: o.region
            )
        return merged

    def unpriced_reason(self, instance_type: str, region: str, option: str) -> str | None:
        """Why `option` has no price for the type in the region, or None when it has one."""
        o = self.offer(instance_type, region)
        if o is None:
            return (
                f"{instance_type} is not offered in {region} in this catalog{self._priced_in(instance_type)}"
            )
        if o.price(option) is not None:
            return None
        if o.note.startswith("no "):
            return o.note
        label = option.replace("_", "-")
        return (
            f"no {label} price published for {instance_type} in {region} (catalog {o.retrieved.isoformat()})"
        )

    def _priced_in(self, instance_type: str, shown: int = 5) -> str:
        """`; priced in a, b, c and 9 more regions`: where the type has a price, for a reason that says it
        has none here (so the user can move the workload or give a price); "" when it has none anywhere."""
        regions = sorted(
            {
                o.region
                for o in self._type_offers(instance_type)
                if any(o.price(p) is not None for p in PURCHASE_OPTIONS)
            }
        )
        if not regions:
            return ""
        more = len(regions) - shown
        return f"; priced in {', '.join(regions[:shown])}" + (f" and {more} more regions" if more > 0 else "")

    # -- regions, zones, PUE, grid ---------------------------------------------------------------------

    def regions(self, cloud: str) -> list[str]:
        """Every region of `cloud` the catalog knows, whether or not it offers an accelerator."""
        known = {name for c, name in self._regions if c == cloud}
        return sorted(known | {o.region for o in self.offers(cloud=cloud)})

    def region(self, cloud: str, name: str) -> Region | None:
        return self._regions.get((cloud, name))

    def check_region(self, cloud: str, region: str) -> None:
        regions = self.regions(cloud)
        if region not in regions:
            raise CatalogLookupError(f"unknown {cloud} region '{region}'.", did_you_mean(region, regions))

    def check_zone(self, cloud: str, region: str, zone: str) -> None:
        """`zone` must be one of the region's zones, where the catalog records them."""
        r = self.region(cloud, region)
        if r is None or not r.zones:
            return
        if zone not in r.zones:
            raise CatalogLookupError(
                f"'{zone}' is not a zone of {region}.",
                f"Zones of {region}: {', '.join(r.zones)}; or leave zone out.",
            )

    def pue(self, cloud: str, region: str) -> Pue | None:
        """The region's published PUE, else the provider's fleet figure."""
        return self._pue.get((cloud, region)) or self._pue.get((cloud, "*"))

    def grid(self, cloud: str, region: str) -> GridIntensity | None:
        return self._grid.get((cloud, region))

    def storage_price(self, cloud: str, service: str, tier: str, region: str) -> StoragePrice | None:
        key = (cloud, service.lower(), tier.lower())
        return self._storage.get((*key, region)) or self._storage.get((*key, "*"))

    def storage_prices(self, cloud: str | None = None) -> list[StoragePrice]:
        return [s for s in self._storage.values() if cloud is None or s.cloud == cloud]

    def power_curve(self, instance_type: str) -> PowerCurve | None:
        return self._curves.get(instance_type.lower())

    def host_power(self, cloud: str) -> HostPower | None:
        return self._host_power.get(cloud)

    def embodied_coefficients(self) -> EmbodiedCoefficients | None:
        return self._embodied[0] if self._embodied else None

    def storage_power(self, media: str) -> StoragePower | None:
        return self._storage_power.get(media)

    def service_price(self, cloud: str, service: str, item: str, region: str) -> ServicePrice | None:
        """The region's price of one `item` of a managed service: services.yaml's regional row, else the
        service's price table's (read on first use), else services.yaml's '*' (every region) row."""
        found = self._services.get((cloud, service, item, region))
        if found is None and region != "*":
            table = self.service_table(cloud, service)
            found = table.price(item, region) if table is not None else None
        return found or self._services.get((cloud, service, item, "*"))

    def service_regions(self, cloud: str, service: str, item: str) -> list[str]:
        """The regions services.yaml prices `item` of a managed service in (sorted; '*' when it has an
        every-region row), for a message that says where the item is priced when a region lacks it."""
        return sorted(r for (c, s, i, r) in self._services if (c, s, i) == (cloud, service, item))

    def service_table(self, cloud: str, service: str) -> ServiceTable | None:
        """The service's price table (`<cloud>/<service>.csv`), read the first time it is asked for; None
        when the service has none."""
        key = (cloud, service)
        if key not in self._service_tables:
            loader = self._service_table_loader
            self._service_tables[key] = loader(cloud, service) if loader is not None else None
        return self._service_tables[key]

    def service_gap(self, cloud: str, service: str, item: str, region: str) -> str | None:
        """Why a service that has a price table has no price for `item` in `region` (the item is not in the
        table, or not priced in that region, naming where it is); None when it is priced or the service has
        no table (services.yaml rows are then the place to add it)."""
        if self.service_price(cloud, service, item, region) is not None:
            return None
        table = self.service_table(cloud, service)
        if table is None:
            return None
        sources = "; ".join(table.sources())
        key, _ = table.split(item)
        if not table.knows(key):
            suggestion = closest(key, table.names())
            hint = f" Did you mean '{suggestion}'?" if suggestion else ""
            return f"{key} is not in catalog/data/{table.rel} (source: {sources}).{hint}"
        regions = table.regions(item)
        if not regions:
            return f"catalog/data/{table.rel} has no {item} price in any region (source: {sources})"
        if region == "*":
            return f"the region is unknown; catalog/data/{table.rel} prices {item} per region ({len(regions)} regions)"
        shown = ", ".join(regions[:6]) + (", …" if len(regions) > 6 else "")
        return (
            f"catalog/data/{table.rel} has no {item} price in {region} (source: {sources}); "
            f"it prices {item} in {len(regions)} regions: {shown}"
        )

    def kubernetes_versions(self, cloud: str) -> list[KubernetesVersion]:
        """The cloud's Kubernetes version calendar, oldest version first."""
        return [v for v in self._k8s_versions if v.cloud == cloud]

    # -- resolution ------------------------------------------------------------------------------------

    def resolve(
        self,
        *,
        cloud: str,
        region: str,
        accelerator: str | None = None,
        instance_type: str | None = None,
        interconnect: bool = False,
        capacity_blocks: bool = False,
        zone: str | None = None,
    ) -> InstanceType:
        """The instance type a node pool gets. An explicit `instance_type` must match `accelerator`
        when both are given; an accelerator alone resolves to its largest on-demand shape with the
        low-latency fabric when `interconnect` asks for it. Never falls back to another GPU."""
        if instance_type is not None:
            chosen = self.instance_type(instance_type, cloud=cloud)
            if chosen.accelerator is None:
                gpus = [t.name for t in self.instance_types(cloud=cloud, region=region) if t.accelerator][:6]
                raise CatalogLookupError(
                    f"{chosen.name} has no accelerator; a node pool here is for GPUs or TPUs.",
                    f"Use a GPU instance type, e.g. {', '.join(gpus)}, or set accelerator instead.",
                )
            if accelerator is not None and self.accelerator(accelerator).name != chosen.accelerator:
                raise CatalogLookupError(
                    f"instance type {chosen.name} carries {chosen.accelerator}, not {accelerator}.",
                    f"Drop one of the two, or use an instance type with {accelerator}: "
                    + ", ".join(t.name for t in self.instance_types(cloud=cloud, accelerator=accelerator))
                    + ".",
                )
        elif accelerator is not None:
            acc = self.accelerator(accelerator)
            candidates = self.instance_types(cloud=cloud, accelerator=acc.name)
            if not candidates:
                offered = sorted(
                    {t.accelerator for t in self.instance_types(cloud=cloud) if t.accelerator is not None}
                )
                raise CatalogLookupError(
                    f"{acc.name} is not offered on {cloud} in this catalog.",
                    f"Accelerators on {cloud}: {', '.join(offered)}.",
                )
            in_region = [t for t in candidates if self.offer(t.name, region) is not None] or candidates
            chosen = max(
                in_region,
                key=lambda t: (
                    t.has_fabric or not interconnect,
                    t.on_demand or capacity_blocks,
                    t.accelerator_count,
                    t.fabric_gbps,
                ),
            )
        else:
            raise CatalogLookupError(
                "a node pool needs an accelerator or an instance type.",
                "Set accelerator (e.g. H100) or instanceType (e.g. p5.48xlarge).",
            )
        self.check_offered(chosen, region=region, interconnect=interconnect, zone=zone)
        return chosen

    def check_offered(
        self, t: InstanceType, *, region: str, interconnect: bool, zone: str | None = None
    ) -> None:
        offer = self.offer(t.name, region)
        if offer is None:
            regions = [o.region for o in self.offers(instance_type=t.name)]
            raise CatalogLookupError(
                f"{t.name} is not offered in {region} (catalog {t.retrieved.isoformat()}).",
                f"Regions that offer it: {', '.join(regions) or 'none in this catalog'}.",
            )
        if zone is not None and offer.zones and zone not in offer.zones:
            raise CatalogLookupError(
                f"{t.name} is not offered in zone {zone}.",
                f"Zones of {region} that offer it: {', '.join(offer.zones)}.",
            )
        if interconnect and not t.has_fabric:
            peers = [x for x in self.instance_types(cloud=t.cloud, accelerator=t.accelerator) if x.has_fabric]
            with_fabric = [x.name for x in peers]
            # The fabric(s) this cloud's machines of the same accelerator carry, else those of its machines
            # with the same kind of accelerator (GPU or TPU): the rows carry their fabric.
            kind = self.accelerator(t.accelerator).kind if t.accelerator else None
            kinds = [x.fabric for x in peers] or [
                x.fabric
                for x in self.instance_types(cloud=t.cloud)
                if x.has_fabric and x.accelerator and self.accelerator(x.accelerator).kind == kind
            ]
            fabric = " or ".join(dict.fromkeys(FABRIC_TITLES[k] for k in kinds)) or "a low-latency fabric"
            # No machine of this accelerator has the fabric: name the ones in the region that do.
            fabric_here = [
                x.name
                for x in self.instance_types(cloud=t.cloud, region=region)
                if x.has_fabric and x.fabric in kinds and x.accelerator
            ]
            alt = (
                f"use {' or '.join(with_fabric)}"
                if with_fabric
                else f"choose an instance type with {fabric}"
                + (f" ({', '.join(fabric_here)} in {region})" if fabric_here else "")
            )
            raise CatalogLookupError(
                f"{t.name} is not offered with {fabric}, so it cannot join the low-latency interconnect.",
                f"Set interconnect: false, or {alt}.",
            )


@functools.cache
def _minor(version: str) -> tuple[int, ...]:
    """'1.9' → (1, 9), so 1.9 sorts before 1.10; a malformed version sorts first."""
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return ()


@functools.cache
def _catalog_at(root: str) -> Catalog:
    return Catalog.from_dir(Path(root))


def default_catalog() -> Catalog:
    """The shipped catalog (or the directory `AIINFRA_CATALOG_DIR` names), loaded once per process."""
    return _catalog_at(os.environ.get(CATALOG_DIR_ENV) or str(DATA_DIR))
