"""Price refreshers: turn the providers' public price lists into catalog rows (`Offer`, `AcceleratorPrice`)
and merge them into `catalog/data/<cloud>/offers.yaml`.

The work is split so that everything but the download runs offline:

- `aws.py`, `gcp.py`, `azure.py`: pure parsers over already-loaded data (a parsed JSON document, or the
  lines of the AWS CSV offer file). They keep only the instance types the catalog knows and say what they
  saw but could not use (`RefreshResult.skipped`), so a refresh never silently drops or invents a price.
- `fetch.py`: the downloads (`urllib.request`, timeouts, paging) and `RefreshUnavailable`, the one error a
  user sees when the network or an API key is missing.
- `write.py`: `merge_offers`, which replaces refreshed rows in a YAML file, keeps the others, and returns a
  summary for the CLI.

This module holds what the three parsers share: the result record, the skip log and exact money parsing.
It imports none of its submodules, so `from aiinfra.catalog.refresh.aws import ...` never pulls in the
network code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from aiinfra.catalog.model import AcceleratorPrice, Offer
from aiinfra.guard import escape_controls

PRICE_FIELDS: tuple[str, ...] = ("on_demand", "spot", "commit_1y", "commit_3y", "capacity_block")
"""The purchase-option price fields of `Offer` / `AcceleratorPrice`, in file order."""


@dataclass
class RefreshResult:
    """What one parse produced.

    `options` names the purchase options the source publishes at all (AWS's price list has no spot or
    capacity-block prices, for instance): the writer replaces only those fields of an existing row and keeps
    the others, so a refresh from one feed never erases a price that came from another.
    """

    cloud: str
    source: str
    retrieved: dt.date
    options: tuple[str, ...]
    offers: list[Offer] = field(default_factory=list)
    accelerator_prices: list[AcceleratorPrice] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    published: str = ""
    """The provider's own version / publication stamp of the data, where it gives one (AWS)."""

    def extend(self, other: RefreshResult) -> None:
        """Add another region's (or page's) result of the same cloud, e.g. one AWS region file each."""
        if other.cloud != self.cloud:
            raise ValueError(f"cannot combine {other.cloud} prices into a {self.cloud} refresh")
        self.offers.extend(other.offers)
        self.accelerator_prices.extend(other.accelerator_prices)
        self.skipped.extend(other.skipped)
        self.options = tuple(o for o in PRICE_FIELDS if o in self.options or o in other.options)
        if other.published and other.published not in self.published:
            self.published = f"{self.published}; {other.published}" if self.published else other.published


class SkipLog:
    """Reasons rows were not used, deduplicated in first-seen order.

    A region's price list repeats one reason many times (every Windows variant of a known type); the CLI
    wants each reason once with a count, and one line for all the instance types the catalog does not know
    rather than hundreds.
    """

    def __init__(self) -> None:
        self._reasons: dict[str, int] = {}
        self._unknown: dict[str, int] = {}

    def add(self, reason: str) -> None:
        reason = _bounded(reason, 300)  # reasons quote the feed's text: never raw control characters
        self._reasons[reason] = self._reasons.get(reason, 0) + 1

    def unknown(self, name: str) -> None:
        name = _bounded(name, 80)
        self._unknown[name] = self._unknown.get(name, 0) + 1

    def lines(self, what: str = "instance types") -> list[str]:
        out = [reason if n == 1 else f"{reason} (x{n})" for reason, n in self._reasons.items()]
        if self._unknown:
            names = sorted(self._unknown)
            shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
            out.append(f"ignored {len(names)} {what} the catalog does not know: {shown}")
        return out


def _bounded(text: str, limit: int) -> str:
    text = escape_controls(text)
    return text if len(text) <= limit else f"{text[:limit]}…({len(text)} chars)"


def usd(value: object) -> Decimal:
    """A provider's price as an exact Decimal: strings are read digit for digit; a JSON float (when the
    caller did not parse with `parse_float=Decimal`) goes through its shortest repr, which is the text the
    provider sent. NaN, infinities and non-numbers are refused rather than stored."""
    if isinstance(value, bool):
        raise ValueError(f"not a price: {value!r}")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int | float | str):
        try:
            d = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
        except InvalidOperation as exc:
            raise ValueError(f"not a price: {value!r}") from exc
    else:
        raise ValueError(f"not a price: {value!r}")
    if not d.is_finite():
        raise ValueError(f"not a finite price: {value!r}")
    return d


def google_money(units: object, nanos: object) -> Decimal:
    """Google's `Money` (`units` is an int64 sent as a string, `nanos` an int32 of 10^-9 units) as an exact
    Decimal: units + nanos × 10^-9, with no float in between."""
    return Decimal(int(str(units or 0))) + Decimal(int(str(nanos or 0))).scaleb(-9)


def plain(d: Decimal) -> Decimal:
    """Drop trailing zeros (`55.0400000000` → `55.04`) without switching to exponent notation."""
    n = d.normalize()
    return n.quantize(Decimal(1)) if n == n.to_integral_value() else n


def plain_prices(prices: Mapping[str, Decimal]) -> dict[str, Any]:
    """{purchase option → price} made `plain`, to pass as the price fields of an Offer or AcceleratorPrice."""
    return {option: plain(price) for option, price in prices.items()}


class PriceTable:
    """(name, region) → {purchase option → price}, filled from many rows.

    Refuses what must never reach the catalog: a price that is zero or negative (a $0.00 row is a
    placeholder such as an AWS capacity-block SKU, not a free machine) and a second, different price for
    the same slot (kept: the first; the conflict is reported). `rank` lets a more specific row win over a
    general one (GCP: a SKU for one region beats a multi-region SKU listing the same region).
    """

    def __init__(self, skips: SkipLog) -> None:
        self._skips = skips
        self._rows: dict[tuple[str, str], dict[str, tuple[int, Decimal]]] = {}

    def put(self, name: str, region: str, option: str, price: Decimal, what: str, rank: int = 0) -> None:
        if price <= 0:
            self._skips.add(f"{what}: {option} price {price} is not positive; left unpriced, never 0")
            return
        slot = self._rows.setdefault((name, region), {})
        old = slot.get(option)
        if old is None or rank < old[0]:
            slot[option] = (rank, price)
        elif rank == old[0] and old[1] != price:
            self._skips.add(f"{what}: a second {option} price {price} differs from {old[1]}; kept {old[1]}")

    def get(self, name: str, region: str) -> dict[str, Decimal]:
        return {option: price for option, (_, price) in self._rows.get((name, region), {}).items()}

    def slots(self) -> list[tuple[str, str]]:
        return sorted(self._rows)


def by_lower(names: Iterable[str]) -> dict[str, str]:
    """Case-insensitive lookup of catalog names (providers are not consistent about case)."""
    return {n.lower(): n for n in names}
