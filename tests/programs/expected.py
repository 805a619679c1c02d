"""What a test of a representative program expects: the JSON of `infra estimate --program DIR` from the
real CLI, and each line's monthly amount computed here from the catalog row the estimator should use and
the quantity the program declares (or the cloud's documented default). A catalog without that row makes
the expected line unpriced, so these tests hold while the catalog grows, and fail if a price is dropped
silently or a line is priced from the wrong row."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from aiinfra import clouds
from aiinfra.catalog import default_catalog
from aiinfra.cli.main import app
from aiinfra.estimate.estimator import TODAY_ENV
from aiinfra.estimate.model import HOURS_PER_MONTH
from tests.conftest import TODAY

PROGRAMS = Path(__file__).resolve().parent
CATALOG = default_catalog()
HOURS = HOURS_PER_MONTH


def estimate_json(directory: Path, *args: str) -> dict[str, Any]:
    """`infra estimate --program DIR --format json ARGS` through the real app; its stdout must be JSON."""
    result = CliRunner().invoke(app, ["estimate", "--program", str(directory), "--format", "json", *args])
    assert result.exit_code == 0, f"exit {result.exit_code}: {result.stdout}\n{result.stderr}"
    return json.loads(result.stdout)


def run_infra(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed `infra` command in a process of its own, as a user runs it (what a program writes to
    file descriptor 1 stays off stdout only if the tool points it elsewhere at the OS level). It runs as of
    the tests' day and without a developer's provider variables, set here because a module-scoped fixture
    runs before conftest's autouse ones."""
    infra = Path(sys.executable).with_name("infra")
    assert infra.exists(), f"no infra command next to {sys.executable} (uv sync installs it)"
    provider_variables = {v for p in clouds.profiles().values() for vs in p.config_env.values() for v in vs}
    env = {k: v for k, v in os.environ.items() if k not in provider_variables}
    env[TODAY_ENV] = TODAY
    return subprocess.run(
        [str(infra), *args], capture_output=True, text=True, timeout=600, check=False, env=env
    )


def on_demand(instance_type: str, region: str) -> Decimal | None:
    offer = CATALOG.offer(instance_type, region)
    return offer.on_demand if offer is not None else None


def spot(instance_type: str, region: str) -> Decimal | None:
    offer = CATALOG.offer(instance_type, region)
    return offer.spot if offer is not None else None


def storage(cloud: str, service: str, tier: str, region: str) -> Decimal | None:
    row = CATALOG.storage_price(cloud, service, tier, region)
    return row.usd_per_gib_month if row is not None else None


def service(cloud: str, service_name: str, item: str, region: str) -> Decimal | None:
    row = CATALOG.service_price(cloud, service_name, item, region)
    return row.usd if row is not None else None


@dataclass(frozen=True)
class Expect:
    """One line an estimate must have: the resource, its type and unit, the quantity the program declares,
    and the catalog's unit price (None: the line must be unpriced, with `unpriced_because` in its reason)."""

    resource: str
    type: str
    unit: str
    quantity: Decimal
    unit_price: Decimal | None
    unpriced_because: str = ""

    @property
    def monthly(self) -> Decimal | None:
        return None if self.unit_price is None else self.quantity * self.unit_price


def cents(value: Decimal) -> Decimal:
    return round(value, 2)


def line_of(doc: dict[str, Any], resource: str, unit: str) -> dict[str, Any]:
    found = [ln for ln in doc["lines"] if ln["resource"] == resource and ln["unit"] == unit]
    assert len(found) == 1, f"expected one {unit} line for {resource}, got {found or 'none'}"
    return found[0]


def check_lines(doc: dict[str, Any], expected: list[Expect]) -> None:
    """Every expected line is there with its type, quantity and amount (or unpriced with its reason), and
    there are no others; the totals are the sum of the expected amounts and count the unpriced lines."""
    for e in expected:
        ln = line_of(doc, e.resource, e.unit)
        assert ln["type"] == e.type, f"{e.resource}: {ln['type']}"
        assert Decimal(str(ln["quantity"])) == e.quantity, f"{e.resource} {e.unit}: {ln['quantity']}"
        if e.monthly is None:
            assert ln["monthly_cost_usd"] is None, f"{e.resource} {e.unit}: the catalog has no price for it"
            assert e.unpriced_because in ln["reason"], f"{e.resource} {e.unit}: {ln['reason']!r}"
            assert {"resource": e.resource, "type": e.type, "reason": ln["reason"]} in doc["unpriced"]
        else:
            # the JSON gives unit prices to 6 decimals (estimate/model.py); the amount uses the whole price
            assert Decimal(str(ln["unit_price_usd"])) == round(e.unit_price, 6), f"{e.resource} {e.unit}"
            assert Decimal(str(ln["monthly_cost_usd"])) == cents(e.monthly), f"{e.resource} {e.unit}"
            assert ln["reason"] == "", f"{e.resource} {e.unit}: {ln['reason']}"
    got = sorted((ln["resource"], ln["unit"]) for ln in doc["lines"])
    assert got == sorted((e.resource, e.unit) for e in expected), "lines nobody asked for, or missing"
    total = sum((e.monthly for e in expected if e.monthly is not None), Decimal(0))
    assert Decimal(str(doc["totals"]["monthly_cost_usd"])) == cents(total)
    assert doc["totals"]["unpriced_lines"] == sum(e.monthly is None for e in expected)


def by_type(entries: list[dict[str, str]]) -> set[tuple[str, str]]:
    """`free` / `unsupported` entries as (resource, type) pairs."""
    return {(e["resource"], e["type"]) for e in entries}
