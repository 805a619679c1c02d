"""What `infra` prints for people is readable at any width: at 80 columns (a CI log, a pipe: rich assumes 80
without a terminal) and at 200, every line fits, no name, price or word is broken across lines, and every
resource and every total is there. Estimates render from the saved fixtures, check reports from the planned
example stack, the catalog through the real CLI with COLUMNS set, the plan tree from the planned stacks."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from aiinfra.cli.main import app
from aiinfra.cli.tree import render_tree
from aiinfra.components.stack import run_program
from aiinfra.engine.graph import ResourceGraph
from aiinfra.engine.plan import plan_program
from aiinfra.estimate.diff import diff
from aiinfra.estimate.render import fmt_amount, fmt_usd, render_table
from aiinfra.policy.check import CheckReport, check_graph
from aiinfra.policy.model import Violation
from aiinfra.policy.render import render_table as render_check
from aiinfra.spec.loader import read_stack_config, stack_file

ESTIMATES = Path(__file__).parent / "data" / "estimates"
WIDTHS = [80, 200]


def printed(renderables: list[Any], width: int) -> str:
    console = Console(width=width, file=StringIO(), color_system=None, soft_wrap=False)
    for r in renderables:
        console.print(r)
    return console.file.getvalue()  # type: ignore[attr-defined]


def cli(width: int, *argv: str) -> str:
    result = CliRunner(env={"COLUMNS": str(width)}).invoke(app, list(argv))
    assert result.exit_code == 0, f"infra {' '.join(argv)} exited {result.exit_code}: {result.output}"
    return result.stdout


def assert_readable(text: str, width: int, tokens: set[str]) -> None:
    """Every line fits the width; every token (a name, a price, a word of a description) is printed whole
    somewhere, so none was broken across lines or cut with an ellipsis."""
    too_long = [line for line in text.splitlines() if cell_len(line) > width]
    assert not too_long, f"{len(too_long)} line(s) wider than {width} columns, e.g. {too_long[0]!r}"
    broken = sorted(t for t in tokens if t and t not in text)
    assert not broken, f"at {width} columns these are not printed whole (broken or cut): {broken[:8]}"


def words(*texts: Any) -> set[str]:
    return {w for t in texts if t is not None for w in str(t).split()}


def planned(stack: str) -> ResourceGraph:
    return plan_program(run_program, stack=stack, config=read_stack_config(stack_file(stack)))


@pytest.fixture(scope="module")
def graphs() -> dict[str, ResourceGraph]:
    return {stack: planned(stack) for stack in ("example", "reserved")}


# --------------------------------------------------------------------------------------------- estimate


def estimate_tokens(doc: dict[str, Any]) -> set[str]:
    from aiinfra.estimate.render.fmt import _quantity, _unit_price

    tokens = set()
    for ln in doc["lines"]:
        tokens |= words(ln["resource"], ln.get("group"), ln.get("description"), ln.get("reason"))
        tokens |= words(_quantity(ln), _unit_price(ln), fmt_usd(ln.get("monthly_cost_usd")))
        tokens |= {fmt_amount(ln.get("monthly_energy_kwh")), fmt_amount(ln.get("monthly_co2e_kg"))}
    t = doc["totals"]
    tokens |= {
        fmt_usd(t["monthly_cost_usd"]),
        fmt_amount(t["monthly_energy_kwh"]),
        fmt_amount(t["monthly_co2e_kg"]),
    }
    for s in doc.get("scenarios", {}).values():
        tokens |= words(fmt_usd(s.get("monthly_cost_usd"), dollar=True), *(s.get("unpriced_lines") or []))
    return tokens


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["example", "reserved"])
def test_the_estimate_is_readable_with_every_resource_and_total_at_any_width(name: str, width: int) -> None:
    doc = json.loads((ESTIMATES / f"{name}.json").read_text())
    text = printed(render_table(doc), width)
    assert_readable(text, width, estimate_tokens(doc))
    assert fmt_usd(doc["totals"]["monthly_cost_usd"]) in text, "the total cost is printed"


@pytest.mark.parametrize("width", WIDTHS)
def test_an_estimate_with_its_changes_is_readable_at_any_width(width: int) -> None:
    before = json.loads((ESTIMATES / "example.json").read_text())
    after = json.loads((ESTIMATES / "example-pr.json").read_text())
    change = diff(before, after)
    text = printed(render_table(after, change), width)
    tokens = estimate_tokens(after) | {c["resource"] for c in change["changes"]}
    tokens |= words(*(c.get("driver") for c in change["changes"]))
    assert_readable(text, width, tokens)
    assert "+$95,837.65" in text, "the total's change is printed"


# --------------------------------------------------------------------------------------------- check


def check_tokens(report: CheckReport) -> set[str]:
    tokens = set()
    for v in report.violations:
        tokens |= words(v.severity, v.rule_id, v.resource, v.message, v.fix, v.checkov)
    return tokens


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("stack", ["example", "reserved"])
def test_a_passing_check_is_readable_at_any_width(
    graphs: dict[str, ResourceGraph], stack: str, width: int
) -> None:
    report = check_graph(graphs[stack])
    text = printed(render_check(report, "low"), width)
    assert_readable(text, width, words(stack, str(report.resources_checked)))
    assert "No violations" in text


@pytest.mark.parametrize("width", WIDTHS)
def test_a_check_with_violations_is_readable_at_any_width(
    graphs: dict[str, ResourceGraph], width: int
) -> None:
    report = check_graph(
        graphs["example"], carbon_threshold=1.0, max_monthly_usd=1000, max_monthly_co2e_kg=10
    )
    report.violations.append(
        Violation(
            rule_id="s3-public-access-block",
            severity="high",
            resource="train-datasets-bucket-with-a-rather-long-name",
            type="aws:s3/bucket:Bucket",
            message="The bucket has no public access block, so one policy could make every object public.",
            fix="Keep publicAccessBlock on the bucket (the storage component adds one).",
            checkov="CKV2_AWS_6",
        )
    )
    assert len(report.violations) >= 3, "the low threshold and the budgets make violations to show"
    text = printed(render_check(report, "low"), width)
    assert_readable(text, width, check_tokens(report))


# --------------------------------------------------------------------------------------------- catalog


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("argv", [["gpus"], ["gpus", "-a", "H100"], ["show", "p5.48xlarge"]])
def test_catalog_offers_are_readable_at_any_width(argv: list[str], width: int) -> None:
    # Prices as exact decimals, formatted as the table formats them (8.815 is 8.82, not float 8.81499…).
    doc = json.loads(cli(200, "catalog", *argv, "--format", "json"), parse_float=Decimal)
    tokens = set()
    for o in doc["offers"]:
        tokens |= {o["region"], o["instance_type"], o["accelerator"] or "CPU only"}
        tokens |= {f"{o['on_demand_usd_per_hour']:,.2f}" if o["on_demand_usd_per_hour"] is not None else "—"}
    if argv[0] == "show":
        tokens |= words(doc["source"], doc["power_source"], doc["fabric"], doc["power_model"])
    assert tokens, "the command lists offers"
    assert_readable(cli(width, "catalog", *argv), width, tokens)


@pytest.mark.parametrize("width", WIDTHS)
def test_where_an_accelerator_is_offered_is_readable_at_any_width(width: int) -> None:
    doc = json.loads(cli(200, "catalog", "where", "H200", "--format", "json"))
    tokens = words(*(r["region"] for r in doc["regions"]), *(r["location"] for r in doc["regions"]))
    tokens |= words(*(", ".join(r["instance_types"]) for r in doc["regions"]))
    tokens |= words(*(", ".join(r["zones"]) for r in doc["regions"]))
    assert_readable(cli(width, "catalog", "where", "H200"), width, tokens)


# --------------------------------------------------------------------------------------------- plan


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("stack", ["example", "reserved"])
def test_the_plan_tree_is_readable_with_every_resource_at_any_width(
    graphs: dict[str, ResourceGraph], stack: str, width: int
) -> None:
    graph = graphs[stack]
    text = printed([render_tree(graph)], width)
    assert_readable(text, width, {r.name for r in graph.resources})
    for r in graph.resources:
        module, _, member = r.type.rpartition(":")
        short = f"{module.split('/')[0]}:{member}"
        assert r.type in text or short in text, f"the type of {r.name} ({r.type}) is printed whole"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_advice_is_readable_with_every_option_shown_at_any_width(width: int) -> None:
    argv = [
        "advise",
        "--accelerator",
        "H100",
        "--gpus",
        "64",
        "--hours",
        "500",
        "--interconnect",
        "--top",
        "5",
    ]
    doc = json.loads(cli(200, *argv, "--format", "json"))
    tokens = set()
    for o in doc["options"][:5]:
        tokens |= {o["region"], o["instance_type"], o["capacity"], f"${o['cost_usd']:,.0f}"}
    assert len(doc["options"]) >= 5, "the catalog has at least five H100 options with a fabric"
    assert_readable(cli(width, *argv), width, tokens)


# --------------------------------------------------------------------------------------------- alternatives


@pytest.mark.parametrize("width", [60, *WIDTHS])
def test_the_cheaper_and_greener_alternatives_are_readable_at_any_width(
    graphs: dict[str, ResourceGraph], width: int
) -> None:
    """Every alternative's region, option, cost and carbon printed whole (at 80 columns the table used to cut
    them with an ellipsis); the changes against now where the width has room for them."""
    from aiinfra.catalog import default_catalog
    from aiinfra.estimate import estimate
    from aiinfra.estimate.advise import alternatives
    from aiinfra.estimate.model import OPTION_LABEL
    from aiinfra.estimate.render.alternatives import render_alternatives

    catalog = default_catalog()
    pools = alternatives(estimate(graphs["example"], catalog), catalog)
    shown = [r for p in pools for kind in ("cheaper", "greener") for r in p[kind]]
    assert shown, "the example's H100 pool has alternatives"
    text = printed(render_alternatives(pools), width)
    tokens = set()
    for r in shown:
        tokens |= {r["region"], fmt_usd(r["monthly_cost_usd"]), fmt_amount(r["monthly_co2e_kg"])}
        tokens |= words(OPTION_LABEL.get(r["purchase_option"], r["purchase_option"]))
    assert_readable(text, width, tokens)
    if width == 200:
        now = pools[0]["monthly_cost_usd"]
        first = pools[0]["cheaper"][0]
        assert fmt_usd(first["monthly_cost_usd"] - now, signed=True) in text, "the change against now"
