"""Issue 11: fail-closed budgets (`--fail-on-incomplete`), a program's own output kept off our stdout, and
prices the user gives for machines the catalog does not price (`--price`, the usage file's `prices:`)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aiinfra.catalog.query import Catalog
from aiinfra.cli.main import app
from aiinfra.estimate.budget import breach, incomplete
from aiinfra.estimate.model import Estimate, Line, Skipped

runner = CliRunner(env={"COLUMNS": "200"})


def invoke(*argv: str, code: int) -> Any:
    result = runner.invoke(app, list(argv))
    assert result.exit_code == code, f"exit {result.exit_code}, expected {code}: {result.output}"
    return result


def program(directory: Path, body: str, region: str = "us-east-1") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Pulumi.yaml").write_text("name: gates\nruntime: python\n")
    (directory / "Pulumi.dev.yaml").write_text(f"config:\n  aws:region: {region}\n")
    (directory / "__main__.py").write_text("import pulumi_aws as aws\n" + body)
    return directory


ROOT = "root_block_device={'volume_size': 8, 'volume_type': 'gp3'}"
"""A root volume the program sizes (without it the AMI decides, and that line is unpriced)."""
T2 = f"aws.ec2.Instance('web', instance_type='mac2.metal', ami='ami-0123456789abcdef0', {ROOT})\n"
"""A machine type the shipped catalog does not know (EC2 Mac is billed per Dedicated Host, not per instance:
no instance price): unpriced unless the user gives a price."""
P5 = f"aws.ec2.Instance('trainer', instance_type='p5.48xlarge', ami='ami-0123456789abcdef0', {ROOT})\n"


def line(resource: str, doc: dict[str, Any]) -> dict[str, Any]:
    return next(ln for ln in doc["lines"] if ln["resource"] == resource)


# -- fail-closed budgets -------------------------------------------------------------------------------------


def test_an_unpriced_line_under_budget_passes_without_the_flag_and_fails_with_it(tmp_path: Path) -> None:
    prog = str(program(tmp_path / "p", P5 + T2))
    plain = invoke("estimate", "--program", prog, "--format", "json", "--max-monthly-usd", "1e9", code=0)
    assert "lower bound" in plain.stderr, (
        "without the flag the gate passes but says the total is a lower bound"
    )
    gated = invoke(
        "estimate",
        "--program",
        prog,
        "--format",
        "json",
        "--max-monthly-usd",
        "1e9",
        "--fail-on-incomplete",
        code=1,
    )
    assert "1 line is unpriced (web)" in gated.stderr, f"the failure names how many and which: {gated.stderr}"
    assert json.loads(gated.stdout)["totals"]["unpriced_lines"] == 1, "the estimate itself is still printed"


def test_an_unsupported_resource_fails_the_gate_and_is_named(tmp_path: Path) -> None:
    broker = (
        "aws.mq.Broker('jobs', engine_type='RabbitMQ', engine_version='3.13', host_instance_type='mq.m5.large',"
        " users=[aws.mq.BrokerUserArgs(username='u', password='p')])\n"
    )
    prog = str(program(tmp_path / "p", P5 + broker))
    doc = json.loads(invoke("estimate", "--program", prog, "--format", "json", code=0).stdout)
    assert doc["totals"]["unsupported_resources"] == 1, (
        f"an Amazon MQ broker has no estimate rule: {doc['unsupported']}"
    )
    gated = invoke("estimate", "--program", prog, "--max-monthly-usd", "1e9", "--fail-on-incomplete", code=1)
    assert "1 resource is not estimated (jobs)" in gated.stderr, gated.stderr


def test_a_complete_estimate_passes_the_gate_with_the_flag(tmp_path: Path) -> None:
    prog = str(program(tmp_path / "p", P5))
    result = invoke("estimate", "--program", prog, "--max-monthly-usd", "1e9", "--fail-on-incomplete", code=0)
    assert "incomplete" not in result.stderr, "every part is priced: nothing to fail on"


def test_infra_check_fails_on_an_incomplete_stack_only_with_the_flag() -> None:
    invoke("check", "-s", "gcp-a3mega", code=0)
    gated = invoke("check", "-s", "gcp-a3mega", "--fail-on-incomplete", code=1)
    assert "train-storage-scratch-fs" in gated.stderr, (
        f"the gcp-a3mega stack's unpriced scratch file system is named: {gated.stderr}"
    )
    invoke("check", "-s", "example", "--fail-on-incomplete", code=0)


def test_a_region_with_no_grid_figure_has_unknown_carbon_and_fails_the_carbon_gate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Catalog.grid
    monkeypatch.setattr(
        Catalog,
        "grid",
        lambda self, cloud, region: None if region == "us-east-1" else real(self, cloud, region),
    )
    prog = str(program(tmp_path / "p", P5))
    result = invoke("estimate", "--program", prog, "--format", "json", "--max-monthly-co2e-kg", "1e9", code=0)
    trainer = line("trainer", json.loads(result.stdout))
    assert trainer["monthly_energy_kwh"] and trainer["monthly_co2e_kg"] is None, (
        f"energy is drawn, but with no grid figure its carbon is unknown, not 0 kg: {trainer}"
    )
    totals = json.loads(result.stdout)["totals"]
    assert totals["unknown_grid_lines"] == 2, (
        f"the instance and its root volume, both of unknown carbon: {totals}"
    )
    headline = invoke("estimate", "--program", prog, "--format", "markdown", code=0).stdout.splitlines()[3]
    assert "· unknown kg CO2e**" in headline, (
        f"its only energy is on an unknown grid: unknown, not 0 kg: {headline}"
    )
    gated = invoke(
        "estimate", "--program", prog, "--max-monthly-co2e-kg", "1e9", "--fail-on-incomplete", code=1
    )
    assert "2 lines are without a carbon figure (trainer)" in gated.stderr, gated.stderr
    assert "monthly emissions are unknown" in gated.stderr, gated.stderr


def estimate_of(*lines: Line, unsupported: tuple[str, ...] = ()) -> Estimate:
    return Estimate("s", "p", list(lines), unsupported=[Skipped(n, "x:y:Z", "no rule") for n in unsupported])


def a_line(resource: str, cost: str | None, kwh: str | None, co2e: str | None) -> Line:
    def d(v: str | None) -> Decimal | None:
        return None if v is None else Decimal(v)

    return Line(
        resource,
        "aws:ec2/instance:Instance",
        "",
        "aws",
        "r",
        "",
        Decimal(1),
        "h",
        d(cost),
        d(cost),
        d(kwh),
        d(co2e),
        "",
    )


def test_a_carbon_total_with_a_line_on_an_unknown_grid_reads_as_a_lower_bound() -> None:
    result = estimate_of(a_line("known", "1", "100", "40"), a_line("no-grid", "1", "100", None))
    over = breach(result, "co2e", Decimal(10))
    assert over is not None and over.describe().startswith("monthly emissions ≥ 40.0 kg CO2e"), (
        f"a line drawing energy with no grid figure makes the carbon total a lower bound: {over}"
    )
    assert (
        breach(estimate_of(a_line("known", "1", "100", "40")), "co2e", Decimal(10))
        .describe()
        .startswith(  # type: ignore[union-attr]
            "monthly emissions 40.0"
        )
    ), "a complete total is no lower bound"


def test_a_bucket_with_no_energy_and_no_carbon_leaves_the_carbon_total_complete() -> None:
    result = estimate_of(a_line("bucket", "1", None, None))
    assert incomplete(result, "co2e") is None, "a priced line that draws no power lowers nothing"
    assert incomplete(result, "cost") is None


def test_the_incomplete_message_names_at_most_five_resources_and_counts_the_rest() -> None:
    result = estimate_of(*(a_line(f"r{i}", None, None, None) for i in range(7)), unsupported=("q",))
    message = incomplete(result, "cost")
    assert message is not None and message.startswith(
        "7 lines are unpriced and 1 resource is not estimated"
    ), message
    assert "r0, r1, r2, r3, r4, … (3 more)" in message, message


# -- a program's output ----------------------------------------------------------------------------------------


def test_what_a_program_prints_goes_to_stderr_and_the_json_on_stdout_stays_json(tmp_path: Path) -> None:
    prog = program(
        tmp_path / "noisy",
        "import logging, sys\n"
        "print('hello from the program')\n"
        "log = logging.getLogger('the-program')\n"
        "log.addHandler(logging.StreamHandler(sys.stdout))\n"
        "log.warning('a log line from the program')\n" + P5,
    )
    result = invoke("estimate", "--program", str(prog), "--format", "json", code=0)
    doc = json.loads(result.stdout)  # raises if the program's print landed in it
    assert line("trainer", doc)["monthly_cost_usd"], "the program was estimated"
    assert "hello from the program" in result.stderr and "a log line from the program" in result.stderr, (
        f"the program's output is not lost, it is on stderr: {result.stderr!r}"
    )


def test_a_write_to_file_descriptor_1_goes_to_stderr(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from aiinfra.engine.program import plan_directory

    prog = program(tmp_path / "raw", "import os\nos.write(1, b'raw write to fd 1\\n')\n" + P5)
    plan_directory(prog, stack="dev")
    out, err = capfd.readouterr()
    assert "raw write to fd 1" not in out and "raw write to fd 1" in err, f"stdout {out!r}, stderr {err!r}"
    print("ours again")
    assert capfd.readouterr().out == "ours again\n", "stdout is ours again after the run"


# -- user prices -------------------------------------------------------------------------------------------------


def test_a_machine_the_catalog_lacks_is_unpriced_without_a_price_and_priced_with_one(tmp_path: Path) -> None:
    prog = str(program(tmp_path / "p", T2))
    before = line("web", json.loads(invoke("estimate", "--program", prog, "--format", "json", code=0).stdout))
    assert before["monthly_cost_usd"] is None and before["reason"], f"no price, no cost: {before}"
    after = line(
        "web",
        json.loads(
            invoke(
                "estimate", "--program", prog, "--format", "json", "--price", "mac2.metal=0.0116", code=0
            ).stdout
        ),
    )
    assert after["monthly_cost_usd"] == round(after["quantity"] * 0.0116, 2) and after["quantity"] == 730, (
        after
    )
    assert after["source"] == "your price (--price mac2.metal=0.0116)", after["source"]


def test_usage_file_prices_price_the_machine_and_a_flag_wins_over_them(tmp_path: Path) -> None:
    prog = program(tmp_path / "p", T2)
    (prog / "usage.yaml").write_text("prices:\n  mac2.metal: 0.02\n")
    web = line(
        "web", json.loads(invoke("estimate", "--program", str(prog), "--format", "json", code=0).stdout)
    )
    assert web["monthly_cost_usd"] == round(730 * 0.02, 2), web
    assert web["source"] == "your price (usage file prices:)", web["source"]
    flagged = invoke(
        "estimate", "--program", str(prog), "--format", "json", "--price", "mac2.metal=0.01", code=0
    )
    assert line("web", json.loads(flagged.stdout))["monthly_cost_usd"] == round(730 * 0.01, 2), (
        "the flag wins"
    )


def test_a_user_price_never_overrides_a_catalog_price_and_a_warning_says_so(tmp_path: Path) -> None:
    prog = str(program(tmp_path / "p", P5))
    catalog = line(
        "trainer", json.loads(invoke("estimate", "--program", prog, "--format", "json", code=0).stdout)
    )
    mine = invoke("estimate", "--program", prog, "--format", "json", "--price", "p5.48xlarge=0.01", code=0)
    trainer = line("trainer", json.loads(mine.stdout))
    assert trainer["monthly_cost_usd"] == catalog["monthly_cost_usd"], "the catalog price stays"
    assert "catalog price used, not your price" in mine.stderr, f"a warning says so: {mine.stderr}"


G6E = f"aws.ec2.Instance('eval', instance_type='g6e.xlarge', ami='ami-0123456789abcdef0', {ROOT})\n"
"""Listed in eu-west-2 (the catalog's old region list) but without a price in any of the catalog's sources."""


def test_a_known_machine_unpriced_in_its_region_takes_the_user_price(tmp_path: Path) -> None:
    prog = str(program(tmp_path / "p", G6E, region="eu-west-2"))
    bare = invoke("estimate", "--program", prog, "--format", "json", code=0)
    assert line("eval", json.loads(bare.stdout))["unit_price_usd"] is None, "fixture: unpriced in eu-west-2"
    result = invoke("estimate", "--program", prog, "--format", "json", "--price", "g6e.xlarge=10", code=0)
    pool = line("eval", json.loads(result.stdout))
    assert pool["unit_price_usd"] == 10 and pool["source"].startswith("your price (--price"), pool
    args = ("--max-monthly-usd", "1e9", "--fail-on-incomplete")
    invoke("estimate", "--program", prog, *args, code=1)
    invoke("estimate", "--program", prog, *args, "--price", "g6e.xlarge=10", code=0)


@pytest.mark.parametrize(
    "bad",
    [
        "abc",
        "mac2.metal",
        "mac2.metal=",
        "=0.1",
        "mac2.metal=abc",
        "mac2.metal=nan",
        "mac2.metal=-1",
        "mac2.metal=inf",
    ],
)
def test_a_bad_price_flag_exits_2_with_the_fix(bad: str) -> None:
    for command in ("estimate", "check"):
        result = invoke(command, "-s", "example", "--price", bad, code=2)
        assert "--price TYPE=USD_PER_HOUR" in result.stderr and "Traceback" not in result.output, (
            result.output
        )


@pytest.mark.parametrize(
    ("bad", "where"),
    [("-1", "prices.mac2.metal"), ("abc", "prices.mac2.metal"), (".nan", "line 2, column 15")],
)
def test_a_bad_usage_file_price_exits_2_naming_where(tmp_path: Path, bad: str, where: str) -> None:
    prog = program(tmp_path / "p", T2)
    (prog / "usage.yaml").write_text(f"prices:\n  mac2.metal: {bad}\n")
    result = invoke("estimate", "--program", str(prog), code=2)
    assert where in result.stderr, f"the message names where the bad price is: {result.stderr}"


def test_infra_check_fails_the_carbon_gate_where_no_grid_figure_is_known(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    invoke("check", "-s", "example", "--max-monthly-co2e-kg", "1e9", "--fail-on-incomplete", code=0)
    monkeypatch.setattr(Catalog, "grid", lambda self, cloud, region: None)
    invoke("check", "-s", "example", "--no-budget", "--max-monthly-co2e-kg", "1e9", code=0)
    gated = invoke(
        "check",
        "-s",
        "example",
        "--no-budget",
        "--max-monthly-co2e-kg",
        "1e9",
        "--fail-on-incomplete",
        code=1,
    )
    assert "without a carbon figure" in gated.stderr and "monthly emissions are unknown" in gated.stderr, (
        gated.stderr
    )
    by_budget = invoke("check", "-s", "example", code=1)
    assert "monthly emissions are unknown" in by_budget.stderr, (
        f"the example's own budget (a carbon limit, failing closed) fails on an unknown grid: {by_budget.stderr}"
    )


# -- config as a user gives it -------------------------------------------------------------------------------


def test_config_on_the_command_line_wins_over_the_stack_file_and_moves_the_price(tmp_path: Path) -> None:
    body = "import pulumi\naws.ec2.Instance('trainer', ami='ami-0123456789abcdef0', instance_type=pulumi.Config().require('size'))\n"
    prog = str(program(tmp_path / "p", body))
    east = json.loads(
        invoke("estimate", "--program", prog, "-c", "size=p5.48xlarge", "--format", "json", code=0).stdout
    )
    west = json.loads(
        invoke(
            "estimate",
            "--program",
            prog,
            "-c",
            "size=p5.48xlarge",
            "--config",
            "aws:region=us-west-2",
            "--format",
            "json",
            code=0,
        ).stdout
    )
    assert (line("trainer", east)["region"], line("trainer", west)["region"]) == ("us-east-1", "us-west-2")
    assert line("trainer", east)["monthly_cost_usd"] > 0 and line("trainer", west)["monthly_cost_usd"] > 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-c", "size"], "--config 'size' is not KEY=VALUE"),
        (["-c", "=x"], "--config '=x' is not KEY=VALUE"),
    ],
)
def test_a_config_option_without_a_key_and_value_is_exit_2_with_the_form(
    tmp_path: Path, argv: list[str], message: str
) -> None:
    prog = str(program(tmp_path / "p", P5))
    result = invoke("estimate", "--program", prog, *argv, code=2)
    assert message in result.stderr and "Traceback" not in result.output


def test_config_without_a_program_is_exit_2() -> None:
    result = invoke("estimate", "-s", "example", "-c", "aws:region=us-west-2", code=2)
    assert "needs --program DIR" in result.stderr
