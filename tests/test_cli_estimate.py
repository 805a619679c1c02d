"""`infra estimate` through the real CLI: golden outputs for the example stacks, budgets, the three other
inputs (a Pulumi program, `pulumi preview --json`, `pulumi stack export`), and bad input."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aiinfra.cli.main import app

runner = CliRunner(env={"COLUMNS": "200"})
GRAPHS = Path(__file__).parent / "data" / "graphs"


def run(*argv: str, code: int = 0) -> Any:
    result = runner.invoke(app, ["estimate", *argv])
    assert result.exit_code == code, f"exit {result.exit_code}, expected {code}: {result.output}"
    return result


def run_json(*argv: str) -> dict[str, Any]:
    return json.loads(run(*argv, "--format", "json").stdout)


@pytest.mark.parametrize("stack", ["example", "reserved"])
def test_the_example_stacks_match_their_golden_estimates(stack: str, golden: Any) -> None:
    golden(f"estimate-{stack}.json", run("-s", stack, "--format", "json").stdout)


def test_the_example_stack_uses_its_usage_file_and_prices_everything() -> None:
    doc = run_json("-s", "example")
    assert doc["totals"]["unpriced_lines"] == 0, (
        "stacks/usage.example.yaml gives the bucket size and NAT traffic"
    )
    bucket = next(ln for ln in doc["lines"] if ln["resource"] == "train-datasets-bucket")
    assert bucket["quantity"] == 51200 and bucket["monthly_cost_usd"] == pytest.approx(51200 * 0.023)
    total = sum(Decimal(str(ln["monthly_cost_usd"])) for ln in doc["lines"])
    assert Decimal(str(doc["totals"]["monthly_cost_usd"])) == pytest.approx(total, abs=Decimal("0.05"))


def test_the_profile_flag_changes_energy_not_the_bill_of_a_fixed_pool() -> None:
    steady = run_json("-s", "example")
    idle = run_json("-s", "example", "--profile", "idle-reserved")
    assert idle["profile"] == "idle-reserved"
    assert idle["totals"]["monthly_cost_usd"] == steady["totals"]["monthly_cost_usd"]
    assert idle["totals"]["monthly_energy_kwh"] < steady["totals"]["monthly_energy_kwh"] / 2


def test_a_budget_that_is_exceeded_exits_1_and_says_by_what() -> None:
    result = run("-s", "example", "--format", "json", "--max-monthly-usd", "100000", code=1)
    assert (
        "budget exceeded: monthly cost $" in result.output
        and "above --max-monthly-usd 100,000.00" in result.output
    )
    result = run("-s", "example", "--format", "json", "--max-monthly-co2e-kg", "10", code=1)
    assert "kg CO2e are above --max-monthly-co2e-kg 10.0" in result.output


def test_a_budget_that_holds_exits_0() -> None:
    run(
        "-s", "example", "--format", "json", "--max-monthly-usd", "1000000", "--max-monthly-co2e-kg", "100000"
    )


def test_a_plain_pulumi_program_is_estimated_offline(tmp_path: Path) -> None:
    """Not our components: plain pulumi_aws EC2 + S3, written here, planned offline and priced."""
    (tmp_path / "Pulumi.yaml").write_text("name: plain\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi_aws as aws\n"
        "aws.ec2.Instance('trainer', instance_type='p5.48xlarge', ami='ami-0123456789abcdef0',\n"
        "                 root_block_device={'volume_size': 200, 'volume_type': 'gp3'})\n"
        "aws.s3.Bucket('data')\n"
    )
    (tmp_path / "usage.yaml").write_text("resources:\n  data:\n    storageGiB: 1000\n")
    doc = run_json("--program", str(tmp_path))
    lines = {(ln["resource"], ln["unit"]): ln for ln in doc["lines"]}
    trainer = lines[("trainer", "instance-hours")]
    assert trainer["quantity"] == 730 and trainer["unit_price_usd"] == 55.04
    assert trainer["monthly_cost_usd"] == pytest.approx(55.04 * 730)
    assert lines[("trainer", "GiB-months")]["quantity"] == 200, "the root volume"
    assert lines[("data", "GiB-months")]["monthly_cost_usd"] == pytest.approx(1000 * 0.023), (
        "usage.yaml beside it"
    )
    assert doc["unsupported"] == []


def test_a_program_that_fails_exits_1_and_a_folder_without_pulumi_yaml_exits_2(tmp_path: Path) -> None:
    run("--program", str(tmp_path), code=2)
    (tmp_path / "Pulumi.yaml").write_text("name: broken\nruntime: python\n")
    (tmp_path / "__main__.py").write_text("raise RuntimeError('boom')\n")
    result = run("--program", str(tmp_path), code=1)
    assert "boom" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("name", ["preview.json", "export.json"])
def test_preview_and_state_files_are_estimated(name: str) -> None:
    doc = run_json("--from", str(GRAPHS / name))
    assert doc["lines"], f"{name} has billable resources"
    assert all(ln["region"] for ln in doc["lines"]), "the region comes from the provider or the config"


def test_compare_to_a_saved_estimate_gives_per_resource_changes(tmp_path: Path) -> None:
    before = tmp_path / "before.json"
    before.write_text(run("-s", "example", "--format", "json", "--profile", "idle-reserved").stdout)
    doc = run_json("-s", "example", "--compare-to", str(before))
    assert doc["diff"]["delta"]["monthly_cost_usd"] == 0, "the bill does not change with utilisation"
    assert doc["diff"]["delta"]["monthly_energy_kwh"] > 0


def test_compare_to_another_stack() -> None:
    doc = run_json("-s", "example", "--compare-to", "reserved")
    changes = {c["resource"]: c for c in doc["diff"]["changes"]}
    assert changes["train-h100-nodes"]["change"] == "added"
    assert changes["research-h200-nodes"]["change"] == "removed"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["-s", "nope"], "nope"),
        (["-s", "example", "--profile", "steady"], "unknown usage profile 'steady'"),
        (["--program", ".", "--from", "README.md"], "give one of -s STACK, --program DIR or --from FILE"),
        ([], "give one of -s STACK, --program DIR or --from FILE"),
        (["--from", "README.md"], "README.md"),
        (["-s", "example", "--usage", "missing.yaml"], "usage file missing.yaml does not exist"),
    ],
    ids=["unknown-stack", "unknown-profile", "two-sources", "no-source", "not-a-graph", "missing-usage-file"],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(argv: list[str], expected: str) -> None:
    result = run(*argv, code=2)
    assert expected in result.output and "Traceback" not in result.output
