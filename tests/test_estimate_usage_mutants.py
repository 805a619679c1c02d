"""Usage profiles and the usage file (estimate/usage.py) seen as a user meets them: the hours and busy share
a node-group line is billed for under each named profile, the text that says which profile priced it, the
`--price` flags, and the messages for a usage file or a `--price` that cannot be used. Written to kill the
mutants bench/mutation.py found alive."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.model import Line
from aiinfra.estimate.usage import (
    PROFILES,
    ResourceUsage,
    UsageFile,
    UsageFileError,
    UserPrice,
    parse_prices,
    profile_for,
    read_usage_file,
    usage_file_for,
)

D = Decimal
CATALOG = default_catalog()
MONTH = D(730)
WEEKDAY = D(10) * 5 * 52 / 12  # batch-weekday: 10 h × 5 days × 52 weeks / 12 months


def node_group(name: str, instance_type: str, *, lo: int, desired: int, hi: int) -> PlannedResource:
    return PlannedResource(
        type="aws:eks/nodeGroup:NodeGroup",
        name=name,
        urn=f"urn:pulumi:t::p::aws:eks/nodeGroup:NodeGroup::{name}",
        parent=None,
        inputs={
            "instanceTypes": [instance_type],
            "scalingConfig": {"minSize": lo, "desiredSize": desired, "maxSize": hi},
        },
        custom=True,
    )


def machine_line(
    instance_type: str = "p5.48xlarge",
    *,
    lo: int = 1,
    desired: int = 2,
    hi: int = 4,
    profile: str = "training-steady",
    usage: UsageFile | None = None,
) -> Line:
    g = ResourceGraph(
        stack="t",
        project="p",
        resources=[node_group("g", instance_type, lo=lo, desired=desired, hi=hi)],
        config={"aws:region": "us-east-1"},
    )
    result = estimate(g, CATALOG, profile=PROFILES[profile], usage=usage, usage_path="u.yaml")
    found = [ln for ln in result.lines if ln.resource == "g" and "root volume" not in ln.description]
    assert len(found) == 1, [ln.description for ln in found]
    return found[0]


# -- the named profiles: billed hours per scale, and the text naming the profile ----------------------------


def test_inference_diurnal_bills_half_the_month_at_max_nodes_and_half_at_min() -> None:
    line = machine_line(lo=1, desired=2, hi=4, profile="inference-diurnal")
    assert line.quantity == 4 * (MONTH / 2) + 1 * (MONTH / 2)
    offer = CATALOG.offer("p5.48xlarge", "us-east-1")
    assert offer is not None and offer.on_demand is not None
    assert line.monthly_cost_usd == offer.on_demand * (4 * 365 + 1 * 365)
    assert line.assumptions[0] == (
        "usage profile inference-diurnal: serving with a daily peak: 12 h a day at max nodes, 60 % busy; "
        "12 h at min nodes, 25 % busy"
    )


def test_batch_weekday_bills_working_hours_at_max_nodes_and_the_rest_at_min() -> None:
    line = machine_line(lo=1, desired=2, hi=3, profile="batch-weekday")
    assert line.quantity == 3 * WEEKDAY + 1 * (MONTH - WEEKDAY)
    assert line.assumptions[0] == (
        "usage profile batch-weekday: batch jobs in working hours: 10 h × 5 days a week at max nodes, "
        "80 % busy; the rest at min, idle"
    )


def test_the_default_profile_is_named_on_the_estimate_and_its_line() -> None:
    g = ResourceGraph(
        stack="t",
        project="p",
        resources=[node_group("g", "p5.48xlarge", lo=2, desired=2, hi=2)],
        config={"aws:region": "us-east-1"},
    )
    result = estimate(g, CATALOG)
    assert result.profile == "training-steady"
    line = next(ln for ln in result.lines if ln.resource == "g" and "root volume" not in ln.description)
    assert line.assumptions[0] == (
        "usage profile training-steady: a training job around the clock: every node all month, "
        "accelerators 90 % busy"
    )


def test_idle_reserved_names_its_description() -> None:
    line = machine_line(lo=2, desired=2, hi=2, profile="idle-reserved")
    assert line.quantity == 2 * MONTH
    assert line.assumptions[0] == (
        "usage profile idle-reserved: capacity held but barely used: every node all month, "
        "accelerators 5 % busy"
    )


def test_usage_hours_alone_keep_the_profiles_mean_busy_share() -> None:
    """inference-diurnal is busy 60 % half the month and 25 % the other half: a usage entry with only
    hoursPerMonth keeps that mean, 42.5 % (shown rounded to 42 %)."""
    usage = UsageFile(resources={"g": ResourceUsage(hours_per_month=100)})
    line = machine_line(profile="inference-diurnal", usage=usage)
    mean = (D("0.6") * 365 + D("0.25") * 365) / 730
    assert mean == D("0.425")
    assert line.assumptions[0] == "usage file (u.yaml): custom: 100.0 h a month at 42 % busy"
    assert line.quantity == 2 * D(100), "desired nodes for the hours the usage file gives"


# -- profile_for: the spec's `profile: custom` ---------------------------------------------------------------


def test_custom_profile_bills_its_hours_then_nothing() -> None:
    p = profile_for("custom", 200, 0.5)
    assert p.name == "custom"
    assert [(ph.hours, ph.scale, ph.utilization) for ph in p.phases] == [
        (D(200), "desired", D("0.5")),
        (MONTH - 200, "off", D(0)),
    ]
    assert p.description == "custom: 200 h a month at 50 % busy"


def test_a_named_profile_ignores_custom_figures() -> None:
    assert profile_for("idle-reserved", 200, 0.5) is PROFILES["idle-reserved"]
    assert profile_for("training-steady") is PROFILES["training-steady"]


@pytest.mark.parametrize(("hours", "utilization"), [(None, 0.5), (200, None), (None, None)])
def test_custom_without_both_figures_says_what_it_needs(
    hours: float | None, utilization: float | None
) -> None:
    with pytest.raises(ValueError, match=r"^profile custom needs hoursPerMonth and utilization$"):
        profile_for("custom", hours, utilization)


# -- user prices: --price flags over the usage file's prices: -------------------------------------------------


def test_a_price_flag_wins_over_the_usage_files_price_for_an_unknown_machine() -> None:
    file_only = UsageFile(prices={"x9.custom": 3.5})
    line = machine_line("x9.custom", lo=1, desired=1, hi=1, usage=file_only)
    assert line.unit_price_usd == D("3.5")
    assert line.source == "your price (usage file prices:)"
    assert line.monthly_cost_usd == D("3.5") * MONTH

    flagged = file_only.with_flag_prices(parse_prices(["x9.custom=4.25"]))
    line = machine_line("x9.custom", lo=1, desired=1, hi=1, usage=flagged)
    assert line.unit_price_usd == D("4.25")
    assert line.source == "your price (--price x9.custom=4.25)"


def test_a_price_for_another_machine_leaves_an_unknown_machine_unpriced() -> None:
    usage = UsageFile(prices={"y1.other": 1.0}).with_flag_prices({"z1.other": UserPrice(D(2), "flag")})
    line = machine_line("x9.custom", lo=1, desired=1, hi=1, usage=usage)
    assert line.unit_price_usd is None and line.monthly_cost_usd is None
    assert "x9.custom is not in the catalog" in line.reason


def test_parse_prices_reads_type_and_amount() -> None:
    prices = parse_prices(["a.b=0", " c.d = 0.5 "])
    assert prices == {
        "a.b": UserPrice(D(0), "your price (--price a.b=0)"),
        "c.d": UserPrice(D("0.5"), "your price (--price c.d=0.5)"),
    }


@pytest.mark.parametrize("value", ["t2.micro", "=0.1", "t2.micro=", "t2.micro 0.1"])
def test_a_price_flag_without_type_and_amount_is_refused_with_the_fix(value: str) -> None:
    with pytest.raises(ValueError) as e:
        parse_prices([value])
    assert str(e.value) == (
        f"--price {value!r} is not TYPE=USD_PER_HOUR. "
        "Write --price TYPE=USD_PER_HOUR with a number 0 or more, e.g. --price t2.micro=0.0116."
    )


@pytest.mark.parametrize("amount", ["-1", "-0.01", "nan", "inf", "-inf"])
def test_a_negative_or_non_finite_price_is_refused(amount: str) -> None:
    with pytest.raises(ValueError, match="the price must be a finite number, 0 or more"):
        parse_prices([f"t2.micro={amount}"])


# -- the usage file's place and its checks --------------------------------------------------------------------


def test_the_usage_file_sits_beside_the_stack_file() -> None:
    assert usage_file_for(Path("stacks/Pulumi.dev.yaml")) == Path("stacks/usage.dev.yaml")
    assert usage_file_for(Path("stacks/Pulumi.dev.yml")) == Path("stacks/usage.dev.yaml")


def read(tmp_path: Path, text: str) -> UsageFile:
    path = tmp_path / "usage.t.yaml"
    path.write_text(text)
    return read_usage_file(path)


def refused(tmp_path: Path, text: str) -> str:
    with pytest.raises(UsageFileError) as e:
        read(tmp_path, text)
    return str(e.value)


def test_every_field_at_its_edge_is_accepted(tmp_path: Path) -> None:
    doc = read(
        tmp_path,
        "resources:\n"
        "  g:\n"
        "    nodes: 0\n"
        "    hoursPerMonth: 744\n"
        "    utilization: 1\n"
        "    logIngestedGB: 12.5\n"
        "    capacityUnits: 0.5\n"
        "    readRequestsMillions: 1000000000.0\n"
        "    writeRequestsMillions: 1000000000.0\n"
        "    ioRequestsMillions: 1000000000.0\n"
        "    instanceSeconds: 1000000000000.0\n",
    )
    g = doc.resources["g"]
    assert (g.nodes, g.hours_per_month, g.utilization, g.log_ingested_gb, g.capacity_units) == (
        0,
        744,
        1,
        12.5,
        0.5,
    )


def test_a_pool_scaled_to_zero_nodes_in_the_usage_file_costs_nothing() -> None:
    line = machine_line(usage=UsageFile(resources={"g": ResourceUsage(nodes=0)}))
    assert line.quantity == 0 and line.monthly_cost_usd == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hoursPerMonth", "744.5", "Input should be less than or equal to 744"),
        ("utilization", "1.5", "Input should be less than or equal to 1"),
        ("writeRequestsMillions", "1000000000.5", "Input should be less than or equal to 1000000000"),
        ("ioRequestsMillions", "1000000000.5", "Input should be less than or equal to 1000000000"),
        ("instanceSeconds", "1000000000000.5", "Input should be less than or equal to 1000000000000"),
    ],
)
def test_a_value_over_its_bound_is_refused_naming_the_field(
    tmp_path: Path, field: str, value: str, message: str
) -> None:
    text = refused(tmp_path, f"resources:\n  gpu:\n    {field}: {value}\n")
    assert text.startswith(f"{tmp_path / 'usage.t.yaml'}: resources.gpu.{field}: {message}")


def test_a_snake_case_key_is_answered_with_its_camel_case_spelling(tmp_path: Path) -> None:
    text = refused(tmp_path, "resources:\n  gpu:\n    hours_per_month: 100\n")
    assert text.startswith(
        f"{tmp_path / 'usage.t.yaml'}: resources.gpu.hours_per_month: keys are camelCase: write hoursPerMonth. "
    )


def test_an_unknown_key_is_refused_as_extra_and_the_message_lists_the_keys(tmp_path: Path) -> None:
    text = refused(tmp_path, "resources:\n  gpu:\n    gpus: 4\n")
    assert text.startswith(
        f"{tmp_path / 'usage.t.yaml'}: resources.gpu.gpus: Extra inputs are not permitted (got 4). "
    )
    assert "logIngestedGB" in text and "hoursPerMonth" in text


def test_a_long_resource_name_is_shortened_in_the_message(tmp_path: Path) -> None:
    name = "n" * 70
    text = refused(tmp_path, f"resources:\n  {name}:\n    nodes: -1\n")
    assert text.startswith(f"{tmp_path / 'usage.t.yaml'}: resources.'{'n' * 60}'…(70 chars).nodes: ")


def test_a_usage_file_with_many_problems_names_five_and_counts_the_rest(tmp_path: Path) -> None:
    entries = "".join(f"  r{i}:\n    nodes: -1\n" for i in range(7))
    text = refused(tmp_path, f"resources:\n{entries}")
    assert [f"resources.r{i}.nodes" in text for i in range(7)] == [True] * 5 + [False] * 2
    assert "; … and 2 more. The usage file is a mapping" in text
