"""One refresh from end to end, for `infra catalog refresh`: get the provider's price list (downloaded, or a
file the user downloaded elsewhere), parse it for the instance types the catalog knows, merge it into
`<cloud>/offers.yaml` as a new data version, and recompile `catalog.json`. Never run at estimate time."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from aiinfra.catalog.load import DATA_DIR, write_compiled
from aiinfra.catalog.query import Catalog
from aiinfra.catalog.refresh import RefreshResult
from aiinfra.catalog.refresh.fetch import Opener, RefreshUnavailable
from aiinfra.catalog.refresh.write import Summary, merge_offers
from aiinfra.guard import DOCUMENT_LIMIT, InputError, escape_controls, load_json, read_text


class EmptyRefresh(ValueError):
    """The price list held no price for any instance type the catalog knows: most likely the wrong file."""


@dataclass(frozen=True)
class Outcome:
    result: RefreshResult
    summary: Summary
    compiled: Path


def refresh(
    cloud: str,
    catalog: Catalog,
    *,
    source_file: Path | None = None,
    regions: list[str] | None = None,
    out: Path | None = None,
    today: dt.date | None = None,
    opener: Opener | None = None,
) -> Outcome:
    """Refresh `cloud`'s offers. `out` (a directory) receives a complete copy of the catalog with the new
    version, leaving the shipped data alone; without it the shipped data directory is updated in place.
    Raises RefreshUnavailable (no network / key), EmptyRefresh, or OSError / ValueError for a bad file."""
    today = today or dt.date.today()
    result = (
        _parse_file(cloud, catalog, source_file, today)
        if source_file
        else _fetch(cloud, catalog, regions, today, opener)
    )
    if regions and source_file:
        result = _only_regions(result, set(regions))
    if not result.offers and not result.accelerator_prices:
        what = source_file or "the downloaded price list"
        raise EmptyRefresh(
            f"{what} holds no price for any {cloud} instance type the catalog knows "
            f"({len(result.skipped)} kinds of rows skipped)"
        )
    root = _target(out)
    summary = merge_offers(root / cloud / "offers.yaml", result, today)
    return Outcome(result, summary, write_compiled(root))


def _target(out: Path | None) -> Path:
    if out is None:
        return DATA_DIR
    if not (out / "accelerators.yaml").exists():
        shutil.copytree(DATA_DIR, out, dirs_exist_ok=True)
    return out


def _known(catalog: Catalog, cloud: str) -> list[str]:
    return [t.name for t in catalog.instance_types(cloud=cloud)]


def _offer_regions(catalog: Catalog, cloud: str) -> list[str]:
    return sorted({o.region for o in catalog.offers(cloud=cloud)})


def _fetch(
    cloud: str, catalog: Catalog, regions: list[str] | None, today: dt.date, opener: Opener | None
) -> RefreshResult:
    from aiinfra.catalog.refresh import fetch

    wanted = regions or _offer_regions(catalog, cloud)
    if cloud == "aws":
        return fetch.fetch_aws(wanted, _known(catalog, cloud), retrieved=today, opener=opener)
    if cloud == "azure":
        return fetch.fetch_azure(wanted, _known(catalog, cloud), retrieved=today, opener=opener)
    from aiinfra.catalog.refresh.gcp import machines_from_catalog

    result = fetch.fetch_gcp(
        machines_from_catalog(catalog.instance_types(cloud="gcp")),
        accelerators=[a.name for a in catalog.accelerators],
        retrieved=today,
        opener=opener,
    )
    return _only_regions(result, set(regions)) if regions else result


SHAPES: dict[str, tuple[str, type | tuple[type, ...]]] = {
    "aws": ('an object with "products" and "terms"', dict),
    "gcp": ('an object with a "skus" list', dict),
    "azure": ('an object with an "Items" list (or the list of items)', (dict, list)),
}


def _parse_file(cloud: str, catalog: Catalog, path: Path, today: dt.date) -> RefreshResult:
    """Parse a downloaded price list, all of it or nothing: the file goes through the input guard (a
    regular file of at most DOCUMENT_LIMIT), its top level must have the feed's shape, and a feed that
    does not parse to its end (a CSV cut mid-row, truncated JSON) is refused, so nothing is written."""
    from aiinfra.catalog.refresh.fetch import PRICE_FILES

    source = f"{path.name} (a downloaded copy, parsed {today.isoformat()})"
    expected = f"Give {PRICE_FILES[cloud]}, downloaded whole."
    text = read_text(path, what=f"a {cloud} price list", limit_bytes=DOCUMENT_LIMIT)
    shown = escape_controls(str(path))
    try:
        if cloud == "aws" and path.suffix.lower() == ".csv":
            from aiinfra.catalog.refresh.aws import parse_aws_offer_csv

            if text and not text.endswith("\n"):
                raise InputError(f"{shown} ends in the middle of a row: the download was cut off.", expected)
            return parse_aws_offer_csv(
                io.StringIO(text, newline=""), _known(catalog, cloud), retrieved=today, source=source
            )
        doc = load_json(text, source=shown, parse_float=Decimal, fix=expected)
        what, kinds = SHAPES[cloud]
        if not isinstance(doc, kinds):
            raise InputError(
                f"{shown} holds a JSON {_json_kind(doc)}; a {cloud} price list is {what}.", expected
            )
        doc = cast(Any, doc)  # its shape is checked above; each parser reads it defensively
        if cloud == "aws":
            from aiinfra.catalog.refresh.aws import parse_aws_offer_json

            return parse_aws_offer_json(doc, _known(catalog, cloud), retrieved=today, source=source)
        if cloud == "azure":
            from aiinfra.catalog.refresh.azure import parse_azure_prices

            return parse_azure_prices(doc, _known(catalog, cloud), retrieved=today, source=source)
        from aiinfra.catalog.refresh.gcp import machines_from_catalog, parse_gcp_skus

        return parse_gcp_skus(
            doc,
            machines_from_catalog(catalog.instance_types(cloud="gcp")),
            retrieved=today,
            source=source,
            accelerators=[a.name for a in catalog.accelerators],
        )
    except InputError:
        raise
    except csv.Error as e:
        raise InputError(f"{shown} is not a readable CSV price list ({e}).", expected) from None
    except (AttributeError, TypeError, KeyError) as e:  # an entry of the wrong JSON type deep inside
        raise InputError(
            f"{shown} does not have the shape of a {cloud} price list ({type(e).__name__} while reading it).",
            expected,
        ) from None


def _json_kind(doc: object) -> str:
    return {dict: "object", list: "list", str: "string", bool: "boolean", type(None): "null"}.get(
        type(doc), "number"
    )


def _only_regions(result: RefreshResult, regions: set[str]) -> RefreshResult:
    result.offers = [o for o in result.offers if o.region in regions]
    result.accelerator_prices = [p for p in result.accelerator_prices if p.region in regions]
    return result


__all__ = ["EmptyRefresh", "Outcome", "RefreshUnavailable", "refresh"]
