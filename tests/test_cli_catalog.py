"""`infra catalog` through the real typer app, on the shipped catalog: JSON parsed, tables read, bad input
exits 2 with the fix and no traceback."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from typer.testing import CliRunner

from aiinfra.catalog import default_catalog
from aiinfra.cli.main import app

runner = CliRunner(env={"COLUMNS": "200"})  # wide enough that no column header is wrapped


def run_json(*argv: str) -> Any:
    result = runner.invoke(app, [*argv, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_gpus_lists_h100_offers_cheapest_per_gpu_hour_first_with_power_and_carbon() -> None:
    doc = run_json("catalog", "gpus", "--accelerator", "h100")
    offers = doc["offers"]
    assert offers and {o["accelerator"] for o in offers} == {"H100"}
    priced = [o["usd_per_accelerator_hour"] for o in offers if o["usd_per_accelerator_hour"] is not None]
    assert priced == sorted(priced), "cheapest per GPU-hour first"
    assert all(o["usd_per_accelerator_hour"] is None for o in offers[len(priced) :]), "unpriced offers last"
    (p5,) = [o for o in offers if o["instance_type"] == "p5.48xlarge" and o["region"] == "us-east-1"]
    assert p5["on_demand_usd_per_hour"] == 55.04 and p5["usd_per_accelerator_hour"] == 6.88
    assert p5["board_power_w"] == 700 and p5["grid_g_co2e_per_kwh"] > 0
    # kgCO2e per GPU-hour at full load = machine power / 8 × PUE × grid, recomputed from its own columns
    expected = p5["instance_power_w"] / 8 / 1000 * p5["pue"] * p5["grid_g_co2e_per_kwh"] / 1000
    assert p5["co2e_kg_per_accelerator_hour"] == pytest.approx(expected, rel=1e-3)
    assert doc["catalog_version"] == default_catalog().version


def test_gpus_filters_by_cloud_and_region() -> None:
    offers = run_json("catalog", "gpus", "--cloud", "gcp", "--region", "us-central1")["offers"]
    assert offers and {(o["cloud"], o["region"]) for o in offers} == {("gcp", "us-central1")}


def test_gpus_table_shows_the_columns_a_buyer_compares() -> None:
    result = runner.invoke(app, ["catalog", "gpus", "-a", "H200", "-c", "aws"])
    assert result.exit_code == 0, result.output
    for column in ("$/GPU-h", "board W", "gCO2e/kWh", "kgCO2e/GPU-h", "p5e.48xlarge", "capacity block"):
        assert column in result.stdout, f"{column!r} missing from the table"


def test_where_h200_names_regions_on_more_than_one_cloud() -> None:
    doc = run_json("catalog", "where", "H200")
    assert doc["accelerator"] == "H200"
    clouds = {r["cloud"] for r in doc["regions"]}
    assert {"aws", "gcp"} <= clouds, f"H200 is sold on AWS (p5e/p5en) and GCP (a3-ultragpu); got {clouds}"
    for r in doc["regions"]:
        types = set(r["instance_types"])
        assert types and all(default_catalog().instance_type(t).accelerator == "H200" for t in types)


def test_show_p5_48xlarge_gives_its_shape_power_and_offers() -> None:
    doc = run_json("catalog", "show", "p5.48xlarge")
    assert (doc["accelerator"], doc["accelerator_count"], doc["efa_cards"], doc["fabric"]) == (
        "H100",
        8,
        32,
        "efa",
    )
    assert doc["source"].startswith("http") and doc["retrieved"]
    regions = [o["region"] for o in doc["offers"]]
    assert "us-east-1" in regions
    us_east_1 = next(o for o in doc["offers"] if o["region"] == "us-east-1")
    assert Decimal(str(us_east_1["on_demand_usd_per_hour"])) == Decimal("55.04")


def test_show_table_reads_as_facts_then_offers() -> None:
    result = runner.invoke(app, ["catalog", "show", "Standard_ND96isr_H100_v5"])
    assert result.exit_code == 0, result.output
    assert "infiniband" in result.stdout and "Offers of Standard_ND96isr_H100_v5" in result.stdout


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["catalog", "gpus", "--accelerator", "H1000"], "Did you mean 'H100'?"),
        (["catalog", "gpus", "--region", "us-centrl1"], "Did you mean 'us-central1'?"),
        (["catalog", "gpus", "--cloud", "oracle"], "oracle"),
        (["catalog", "where", "B20"], "Did you mean 'B200'?"),
        (["catalog", "show", "p5.48xlarg"], "Did you mean 'p5.48xlarge'?"),
    ],
    ids=["unknown-accelerator", "unknown-region", "unknown-cloud", "where-typo", "show-typo"],
)
def test_bad_input_exits_2_with_the_fix_and_no_traceback(argv: list[str], expected: str) -> None:
    result = runner.invoke(app, argv)
    assert result.exit_code == 2, f"{argv} must be bad input, got {result.exit_code}: {result.output}"
    assert expected in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit), f"a clean exit, not {result.exception!r}"
