"""`infra estimate`'s cheaper / greener alternatives of each GPU pool: the estimate's own figures for the
same machines elsewhere or bought otherwise, in the table output only (the JSON and the goldens keep
their shape), and hidden by --no-alternatives."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from aiinfra.catalog import default_catalog
from aiinfra.cli.main import app
from aiinfra.estimate.advise import advise, alternatives, stack_yaml, workload
from aiinfra.services.stack import estimate_stack

runner = CliRunner(env={"COLUMNS": "200"})
HEADING = "Cheaper / greener alternatives"


def test_the_table_shows_alternatives_and_no_alternatives_hides_them() -> None:
    shown = runner.invoke(app, ["estimate", "-s", "example"])
    hidden = runner.invoke(app, ["estimate", "-s", "example", "--no-alternatives"])
    assert shown.exit_code == 0 and hidden.exit_code == 0, shown.output + hidden.output
    assert HEADING in shown.stdout and "p5.48xlarge" in shown.stdout.split(HEADING)[1]
    assert HEADING not in hidden.stdout, "--no-alternatives leaves the section out"
    assert shown.stdout.startswith(hidden.stdout), "the section follows the estimate, which is unchanged"


def test_the_json_output_has_no_alternatives_key() -> None:
    doc = json.loads(runner.invoke(app, ["estimate", "-s", "example", "--format", "json"]).stdout)
    assert "alternatives" not in doc, (
        "alternatives are for people reading the table; the JSON contract is unchanged"
    )


def test_another_option_in_the_same_region_costs_what_the_estimates_scenario_says() -> None:
    _, result = estimate_stack("example")
    (pool,) = alternatives(result, default_catalog(), limit=1000)
    line = next(ln for ln in result.lines if ln.resource == pool["resource"])
    same_region = [r for r in pool["cheaper"] if r["region"] == line.region]
    assert same_region, "spot in us-east-1 is cheaper than on-demand there"
    for r in same_region:
        assert r["monthly_cost_usd"] == line.scenarios[r["purchase_option"]], (
            "the estimate's own purchase-option scenario"
        )
        assert r["monthly_co2e_kg"] == line.monthly_co2e_kg, "same machines, same region: same carbon"


def test_another_region_costs_and_emits_what_the_estimate_of_the_pool_there_says(tmp_path: Path) -> None:
    cat = default_catalog()
    work = workload(cat, gpus=16, accelerator="H100", hours=400)
    ranked = advise(cat, work, clouds=("aws",), capacities=("on-demand",)).options
    priced = [o for o in ranked if o.cost_usd is not None]  # unpriced regions (p5 in sa-east-1) rank last
    assert len(priced) < len(ranked) and ranked[-1].cost_usd is None
    here, there = priced[-1], priced[0]  # the dearest priced on-demand region, then the cheapest
    assert here.region != there.region and here.instance_type == there.instance_type
    estimates = {}
    for o in (here, there):
        path = tmp_path / f"Pulumi.{o.region}.yaml"
        path.write_text(stack_yaml(o, work), encoding="utf-8")
        _, estimates[o.region] = estimate_stack(str(path))
    (pool,) = [
        p for p in alternatives(estimates[here.region], cat, limit=1000) if o.instance_type in p["machines"]
    ]
    (row,) = [
        r for r in pool["cheaper"] if (r["region"], r["purchase_option"]) == (there.region, "on_demand")
    ]
    gpu = next(ln for ln in estimates[there.region].lines if f"× {there.instance_type} (" in ln.description)
    assert row["monthly_cost_usd"] == gpu.monthly_cost_usd, "the price there × the same node-hours"
    assert round(row["monthly_co2e_kg"], 6) == round(gpu.monthly_co2e_kg, 6), (  # type: ignore[arg-type]
        "the same IT energy × that region's PUE and grid"
    )
