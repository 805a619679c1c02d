"""Query API: resolve an accelerator or instance type, check a region offers it. One source of truth for
the spec validator and the components."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from aiinfra.catalog.model import Accelerator, InstanceType

DATA_DIR = Path(__file__).parent / "data"
INSTANCE_TYPES_FILE = DATA_DIR / "instance_types.yaml"
REGIONS_FILE = DATA_DIR / "regions.yaml"


class CatalogLookupError(LookupError):
    """A name or combination the catalog does not have. `fix` tells the user what to write instead."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(f"{message} {fix}")
        self.message = message
        self.fix = fix


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to `name` (case-insensitive), or None when nothing is close."""
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
    """An immutable set of accelerators and instance types with lookups by name, cloud and region."""

    def __init__(
        self,
        accelerators: Iterable[Accelerator],
        instance_types: Iterable[InstanceType],
        cloud_regions: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        self._cloud_regions = dict(cloud_regions or {})
        self._accelerators = {a.name.lower(): a for a in accelerators}
        self._instance_types = {t.name.lower(): t for t in instance_types}
        for t in self._instance_types.values():
            if t.accelerator.lower() not in self._accelerators:
                raise ValueError(f"instance type {t.name} names unknown accelerator {t.accelerator}")

    @classmethod
    def from_files(cls, instance_types: Path = INSTANCE_TYPES_FILE, regions: Path = REGIONS_FILE) -> Catalog:
        doc = _read_yaml(instance_types)
        doc["regions"] = _read_yaml(regions).get("regions", [])
        return cls.from_dict(doc)

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> Catalog:
        accelerators = [Accelerator(**row) for row in doc.get("accelerators", [])]
        types = []
        for row in doc.get("instance_types", []):
            row = dict(row)
            row["regions"] = tuple(row.get("regions", ()))
            row["unverified"] = tuple(row.get("unverified", ()))
            if isinstance(row.get("retrieved"), str):
                row["retrieved"] = dt.date.fromisoformat(row["retrieved"])
            types.append(InstanceType(**row))
        cloud_regions = {row["cloud"]: tuple(row["names"]) for row in doc.get("regions", [])}
        return cls(accelerators, types, cloud_regions)

    # -- lookups ---------------------------------------------------------------------------------------

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
            and (acc is None or t.accelerator.lower() == acc)
            and (region is None or region in t.regions)
        ]

    def instance_type(self, name: str, *, cloud: str | None = None) -> InstanceType:
        found = self._instance_types.get(name.lower())
        if found is None or (cloud is not None and found.cloud != cloud):
            names = [t.name for t in self.instance_types(cloud=cloud)]
            where = f" on {cloud}" if cloud else ""
            raise CatalogLookupError(f"unknown instance type '{name}'{where}.", did_you_mean(name, names))
        return found

    def regions(self, cloud: str) -> list[str]:
        """Every region of `cloud` the catalog knows, whether or not it offers an accelerator."""
        known = set(self._cloud_regions.get(cloud, ()))
        return sorted(known | {r for t in self.instance_types(cloud=cloud) for r in t.regions})

    def check_region(self, cloud: str, region: str) -> None:
        regions = self.regions(cloud)
        if region not in regions:
            raise CatalogLookupError(f"unknown {cloud} region '{region}'.", did_you_mean(region, regions))

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
    ) -> InstanceType:
        """The instance type a node pool gets. An explicit `instance_type` must match `accelerator`
        when both are given; an accelerator alone resolves to its largest on-demand shape with the
        low-latency fabric when `interconnect` asks for it. Never falls back to another GPU."""
        if instance_type is not None:
            chosen = self.instance_type(instance_type, cloud=cloud)
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
                offered = sorted({t.accelerator for t in self.instance_types(cloud=cloud)})
                raise CatalogLookupError(
                    f"{acc.name} is not offered on {cloud} in this catalog.",
                    f"Accelerators on {cloud}: {', '.join(offered)}.",
                )
            in_region = [t for t in candidates if region in t.regions] or candidates
            chosen = max(
                in_region,
                key=lambda t: (
                    t.supports_efa or not interconnect,
                    t.on_demand or capacity_blocks,
                    t.accelerator_count,
                    t.efa_cards,
                ),
            )
        else:
            raise CatalogLookupError(
                "a node pool needs an accelerator or an instance type.",
                "Set accelerator (e.g. H100) or instanceType (e.g. p5.48xlarge).",
            )
        self.check_offered(chosen, region=region, interconnect=interconnect)
        return chosen

    def check_offered(self, t: InstanceType, *, region: str, interconnect: bool) -> None:
        if region not in t.regions:
            raise CatalogLookupError(
                f"{t.name} is not offered in {region} (catalog {t.retrieved.isoformat()}).",
                f"Regions that offer it: {', '.join(sorted(t.regions))}.",
            )
        if interconnect and not t.supports_efa:
            with_efa = [
                x.name
                for x in self.instance_types(cloud=t.cloud, accelerator=t.accelerator)
                if x.supports_efa
            ]
            alt = f"use {' or '.join(with_efa)}" if with_efa else "choose an instance type with EFA"
            raise CatalogLookupError(
                f"{t.name} is not offered with EFA, so it cannot join the low-latency interconnect.",
                f"Set interconnect: false, or {alt}.",
            )


def _read_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as f:
        doc = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(doc, dict):
        raise ValueError(f"{path}: expected a mapping at the top")
    return doc


@functools.cache
def default_catalog() -> Catalog:
    """The shipped catalog, loaded once per process."""
    return Catalog.from_files()
