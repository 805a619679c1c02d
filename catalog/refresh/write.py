"""Merge a `RefreshResult` into `<cloud>/offers.yaml`.

Rows are keyed by (instance_type, region) for offers and (accelerator, region) for accelerator prices.
A refreshed row replaces the old one, with three things carried over because a price feed does not know
them: `zones` (GCP/Azure zone lists come from the provider's docs, not its price API), the price fields of
purchase options the feed does not publish (AWS's price list has no spot or capacity-block rates), which
are kept and listed in `unverified` since this refresh did not re-read them, and unknown extra keys. Rows
the refresh did not produce are kept untouched.

The file is written with a stable layout (rows sorted by name then region; Decimal written as the plain
number it is, `55.04`, never float noise; dates ISO) and atomically (temp file in the same directory, then
`os.replace`), so an interrupted refresh leaves the old file, never half a file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from aiinfra.catalog.model import AcceleratorPrice, Offer
from aiinfra.catalog.refresh import PRICE_FIELDS, RefreshResult, plain

SECTIONS = {"offers": "instance_type", "accelerator_prices": "accelerator"}
"""Section → the key field naming the row (with `region`)."""


@dataclass(frozen=True, slots=True)
class RowKey:
    section: str
    name: str
    region: str

    def __str__(self) -> str:
        return f"{self.name} {self.region}"


@dataclass(frozen=True, slots=True)
class Change:
    key: RowKey
    old_on_demand: Decimal | None
    new_on_demand: Decimal | None
    fields: tuple[str, ...]
    """The fields whose value changed (prices and billing)."""

    def __str__(self) -> str:
        def show(d: Decimal | None) -> str:
            return "unpriced" if d is None else str(d)

        others = [f for f in self.fields if f != "on_demand"]
        if "on_demand" not in self.fields:
            return f"{self.key}: {', '.join(others)} changed (on_demand {show(self.new_on_demand)} as before)"
        extra = f" (also {', '.join(others)})" if others else ""
        return f"{self.key}: on_demand {show(self.old_on_demand)} -> {show(self.new_on_demand)}{extra}"


@dataclass
class Summary:
    """What a merge did, for the CLI to print."""

    path: Path
    version: dt.date
    added: list[RowKey] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: list[RowKey] = field(default_factory=list)
    kept: list[RowKey] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"{self.path}: version {self.version.isoformat()}; {len(self.added)} added, {len(self.changed)} "
            f"changed, {len(self.unchanged)} unchanged, {len(self.kept)} kept (not in this refresh)"
        ]
        out += [f"  added   {k} ({k.section})" for k in self.added]
        out += [f"  changed {c}" for c in self.changed]
        return out


def merge_offers(path: Path | str, result: RefreshResult, version: dt.date) -> Summary:
    """Merge `result` into the offers file at `path` (created if missing) and set its `version`."""
    path = Path(path)
    header, doc = _read(path)
    if doc.get("cloud") not in (None, result.cloud):
        raise ValueError(f"{path} is the {doc.get('cloud')} offers file; this refresh is {result.cloud}")
    summary = Summary(path=path, version=version)
    new_rows: dict[str, list[dict[str, Any]]] = {
        "offers": [_offer_row(o) for o in result.offers],
        "accelerator_prices": [_price_row(p) for p in result.accelerator_prices],
    }
    out: dict[str, Any] = {"version": version, "cloud": result.cloud}
    for section, name_field in SECTIONS.items():
        existing: dict[RowKey, dict[str, Any]] = {}
        for row in doc.get(section) or []:
            key = RowKey(section, str(row.get(name_field)), str(row.get("region")))
            if key in existing:
                raise ValueError(f"{path}: {section} lists {key} twice; fix the file before refreshing")
            existing[key] = row
        merged = dict(existing)
        for row in new_rows[section]:
            key = RowKey(section, row[name_field], row["region"])
            old = existing.get(key)
            if old is None:
                merged[key] = row
                summary.added.append(key)
                continue
            merged[key] = _merge_row(old, row, result.options)
            changed = tuple(
                f for f in ("billing", *PRICE_FIELDS) if not _same(old.get(f), merged[key].get(f))
            )
            if changed:
                summary.changed.append(
                    Change(key, _money(old.get("on_demand")), _money(row.get("on_demand")), changed)
                )
            else:
                summary.unchanged.append(key)
        refreshed = {RowKey(section, r[name_field], r["region"]) for r in new_rows[section]}
        summary.kept += [k for k in existing if k not in refreshed]
        out[section] = [merged[k] for k in sorted(merged, key=lambda k: (k.name, k.region))]
    _write_atomic(
        path, header + yaml.dump(out, Dumper=_Dumper, sort_keys=False, width=120, allow_unicode=True)
    )
    return summary


# -- rows ------------------------------------------------------------------------------------------------


def _offer_row(o: Offer) -> dict[str, Any]:
    row: dict[str, Any] = {"instance_type": o.instance_type, "region": o.region}
    if o.zones:
        row["zones"] = list(o.zones)
    row["billing"] = o.billing
    row.update(_prices(o))
    row["source"] = o.source
    row["retrieved"] = o.retrieved
    if o.note:
        row["note"] = o.note
    if o.unverified:
        row["unverified"] = list(o.unverified)
    return row


def _price_row(p: AcceleratorPrice) -> dict[str, Any]:
    row: dict[str, Any] = {"accelerator": p.accelerator, "region": p.region}
    row.update(_prices(p))
    row["source"] = p.source
    row["retrieved"] = p.retrieved
    if p.unverified:
        row["unverified"] = list(p.unverified)
    return row


def _prices(record: Offer | AcceleratorPrice) -> dict[str, Decimal]:
    return {f: plain(v) for f in PRICE_FIELDS if (v := getattr(record, f)) is not None}


KEPT_MARKER = " ; kept from before: "
"""Joins a refreshed row's new source to the old one its kept prices still come from:
`<new source> ; kept from before: spot, capacity_block: <old source>`."""
KEPT = re.compile(r"^.*? ; kept from before: [a-z_0-9]+(?:, [a-z_0-9]+)*: ")


def _merge_row(old: Mapping[str, Any], new: dict[str, Any], covered: tuple[str, ...]) -> dict[str, Any]:
    """The refreshed row, plus what the feed could not say: zones, uncovered prices (now unverified)."""
    merged = dict(new)
    kept_prices = [f for f in PRICE_FIELDS if f not in covered and old.get(f) is not None]
    for f in kept_prices:
        merged[f] = old[f]
    if "zones" not in merged and old.get("zones"):
        merged["zones"] = old["zones"]
    prior = KEPT.sub("", str(old.get("source", "")))
    if kept_prices and prior and prior != merged.get("source"):
        # the row now mixes two sources: say which prices still come from the old one
        merged["source"] = f"{merged['source']}{KEPT_MARKER}{', '.join(kept_prices)}: {prior}"
    reread = {*covered, "billing"}
    unverified = [
        f for f in old.get("unverified") or [] if f not in reread and (f != "zones" or "zones" in merged)
    ]
    unverified += [f for f in [*kept_prices, *new.get("unverified", [])] if f not in unverified]
    unverified = [f for f in unverified if f not in PRICE_FIELDS or f in merged]
    extra = {
        k: v for k, v in old.items() if k not in merged and k not in (*PRICE_FIELDS, "note", "unverified")
    }
    order = [k for k in _ROW_ORDER if k in merged or k in extra]
    row = {k: merged.get(k, extra.get(k)) for k in order}
    row.update({k: v for k, v in extra.items() if k not in row})
    if unverified:
        row["unverified"] = unverified
    return row


_ROW_ORDER = (
    "instance_type",
    "accelerator",
    "region",
    "zones",
    "billing",
    *PRICE_FIELDS,
    "source",
    "retrieved",
    "note",
)


def _money(value: Any) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float | Decimal) and isinstance(b, int | float | Decimal):
        return _money(a) == _money(b)
    return bool(a == b)


# -- YAML ------------------------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Reads floats as exact Decimals, so rows the refresh keeps are written back digit for digit."""


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        d = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"not a finite number in an offers file: {text!r}") from exc
    if not d.is_finite():
        raise ValueError(f"not a finite number in an offers file: {text!r}")
    return d


_Loader.add_constructor("tag:yaml.org,2002:float", _decimal)


class _Dumper(yaml.SafeDumper):
    """Block style with indented sequences (the catalog files' layout), short lists of scalars in flow
    style (`zones: [a, b]`), no anchors, Decimals as plain numbers."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_decimal(dumper: yaml.SafeDumper, d: Decimal) -> yaml.ScalarNode:
    text = format(plain(d), "f")
    if "." not in text:
        text += ".0"  # keep it a YAML float, as every other price in the file
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


def _represent_list(dumper: yaml.SafeDumper, data: Sequence[Any]) -> yaml.SequenceNode:
    flow = all(isinstance(x, str | int | float | Decimal) for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(tuple, _represent_list)


def _read(path: Path) -> tuple[str, dict[str, Any]]:
    """The file's leading comment block (kept verbatim: it documents the sources) and its content."""
    if not path.exists():
        return "", {}
    text = path.read_text(encoding="utf-8")
    header = []
    for line in text.splitlines(keepends=True):
        if line.startswith("#") or not line.strip():
            header.append(line)
        else:
            break
    doc = yaml.load(text, Loader=_Loader) or {}
    if not isinstance(doc, dict):
        raise ValueError(f"{path}: expected a mapping at the top")
    return "".join(header), doc


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
