"""`infra advise` through the real CLI on the shipped catalog: the JSON contract, the written stack (which
`infra plan` takes and `infra estimate` prices exactly as advised), and bad input (exit 2 with the fix)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aiinfra.cli.main import app

runner = CliRunner(env={"COLUMNS": "200"})
OPTION_KEYS = {
    "cloud",
    "region",
    "zone",
    "instance_type",
    "nodes",
    "capacity",
    "cost_usd",
    "energy_kwh",
    "co2e_kg",
    "embodied_co2e_kg",
    "usd_per_gpu_hour",
    "kg_co2e_per_gpu_hour",
    "notes",
}


def run(*argv: str, code: int = 0) -> Any:
    result = runner.invoke(app, list(argv))
    assert result.exit_code == code, f"exit {result.exit_code}, expected {code}: {result.output}"
    return result


def advise_json(*argv: str) -> dict[str, Any]:
    return json.loads(run("advise", *argv, "--format", "json").stdout)


def test_the_json_answer_keeps_its_contract_and_is_ranked_by_cost() -> None:
    doc = advise_json("-a", "H100", "--gpus", "64", "--hours", "500", "--interconnect", "--top", "5")
    assert {"workload", "objective", "options", "excluded"} <= set(doc), "the contract's top-level keys"
    assert len(doc["options"]) == 5 and all(set(o) >= OPTION_KEYS for o in doc["options"])
    costs = [o["cost_usd"] for o in doc["options"]]
    assert costs == sorted(costs), "--objective cost (the default) sorts by total cost"
    assert all(o["nodes"] * 8 >= 64 for o in doc["options"]), "whole machines cover the 64 GPUs"
    assert all(e["count"] > 0 and e["examples"] for e in doc["excluded"]), (
        "each exclusion says how many and which"
    )


def test_the_carbon_view_is_ranked_by_operational_carbon() -> None:
    doc = advise_json("-a", "H100", "--gpus", "64", "--hours", "500", "--objective", "carbon", "--top", "20")
    carbon = [o["co2e_kg"] for o in doc["options"] if o["cost_usd"] is not None]
    assert carbon == sorted(carbon), "--objective carbon sorts priced options by operational CO2e"
    assert doc["objective"] == "carbon"


def test_the_table_names_the_ranking_and_what_was_left_out() -> None:
    out = run("advise", "-a", "H100", "--gpus", "64", "--hours", "500", "--interconnect", "--top", "3").stdout
    assert "ranked by total cost" in out and "left out" in out and "p5.48xlarge" in out


def _compute_line(estimate: dict[str, Any], instance_type: str) -> dict[str, Any]:
    (line,) = [
        ln
        for ln in estimate["lines"]
        if ln["type"] == "aws:eks/nodeGroup:NodeGroup" and f"× {instance_type} (" in ln["description"]
    ]
    return line


@pytest.mark.parametrize(
    "flags",
    [
        ("--capacity", "on-demand", "--hours", "500", "--interconnect"),
        ("--capacity", "spot", "--hours", "336.5"),
        ("--capacity", "capacity-block", "--hours", "500", "--interconnect"),
        ("--capacity", "reservation", "--hours", "100"),
        ("--capacity", "on-demand", "--profile", "inference-diurnal"),
        ("--capacity", "on-demand", "--profile", "batch-weekday", "--hours", "300"),
    ],
    ids=["on-demand", "spot", "capacity-block", "reservation", "profile-alone", "profile-with-hours"],
)
def test_the_written_stack_plans_and_estimates_to_the_advised_figures(
    tmp_path: Path, flags: tuple[str, ...]
) -> None:
    stack = tmp_path / "Pulumi.advised.yaml"
    doc = advise_json("-a", "H100", "--gpus", "16", "--cloud", "aws", *flags, "--write-stack", str(stack))
    chosen = doc["options"][0]
    planned = json.loads(run("plan", "-s", str(stack), "--format", "json").stdout)
    groups = [r for r in planned["resources"] if r["type"] == "aws:eks/nodeGroup:NodeGroup"]
    assert any(g["inputs"].get("instanceTypes") == [chosen["instance_type"]] for g in groups), (
        "the plan creates a node group of the advised machines"
    )
    estimate = json.loads(run("estimate", "-s", str(stack), "--format", "json").stdout)
    line = _compute_line(estimate, chosen["instance_type"])
    assert (line["monthly_cost_usd"], line["monthly_energy_kwh"], line["monthly_co2e_kg"]) == (
        chosen["cost_usd"],
        chosen["energy_kwh"],
        chosen["co2e_kg"],
    ), "the estimate of the written stack's GPU pool equals the advice"
    assert line["monthly_embodied_co2e_kg"] == chosen["embodied_co2e_kg"]
    assert f"{chosen['nodes']} × {chosen['instance_type']}" in line["description"]


def test_a_gcp_option_is_written_with_a_project_placeholder_and_plans(tmp_path: Path) -> None:
    stack = tmp_path / "Pulumi.gcp.yaml"
    run("advise", "-a", "H100", "--gpus", "8", "--hours", "10", "--cloud", "gcp", "--write-stack", str(stack))
    text = stack.read_text(encoding="utf-8")
    assert "gcp:project: my-project-id  # replace" in text, "a GCP cluster needs a project: say so"
    assert "cloud: gcp" in text
    planned = json.loads(run("plan", "-s", str(stack), "--format", "json").stdout)
    types = {r["type"] for r in planned["resources"]}
    assert "gcp:container/cluster:Cluster" in types, "the written GCP stack plans a GKE cluster"


def test_an_existing_file_is_not_overwritten_and_a_pick_beyond_the_list_is_refused(tmp_path: Path) -> None:
    stack = tmp_path / "Pulumi.x.yaml"
    stack.write_text("keep me", encoding="utf-8")
    base = ("advise", "-a", "H100", "--gpus", "8", "--hours", "10", "--cloud", "aws")
    assert "exists" in run(*base, "--write-stack", str(stack), code=2).output
    assert stack.read_text(encoding="utf-8") == "keep me", "the existing file is untouched"
    fresh = tmp_path / "Pulumi.y.yaml"
    assert "--pick 99" in run(*base, "--write-stack", str(fresh), "--pick", "99", code=2).output
    assert not fresh.exists()


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (("-a", "H10", "--gpus", "8", "--hours", "10"), "Did you mean 'H100'"),
        (("-a", "H100", "--gpus", "0", "--hours", "10"), "--gpus"),
        (("-a", "H100", "--gpus", "-3", "--hours", "10"), "--gpus"),
        (("-a", "H100", "--gpus", "99999999", "--hours", "10"), "--gpus"),
        (("-a", "H100", "--gpus", "8", "--hours", "0"), "--hours"),
        (("-a", "H100", "--gpus", "8", "--hours", "nan"), "--hours"),
        (("-a", "H100", "--gpus", "8", "--hours", "inf"), "--hours"),
        (("-a", "H100", "--gpus", "8"), "--hours"),
        (("-a", "H100", "--gpus", "8", "--hours", "10", "--cloud", "awss"), "Did you mean 'aws'"),
        (("-a", "H100", "--gpus", "8", "--hours", "10", "--region", "us-east-7"), "--region"),
        (
            ("-a", "H100", "--gpus", "8", "--hours", "10", "--capacity", "reserved"),
            "Did you mean 'reservation'",
        ),
        (("-a", "H100", "--gpus", "8", "--hours", "10", "--max-usd", "-5"), "--max-usd"),
        (("-a", "H100", "--gpus", "8", "--hours", "10", "--carbon-price", "nan"), "--carbon-price"),
        (("-a", "H100", "--gpus", "8", "--profile", "steady"), "--profile"),
    ],
)
def test_bad_input_exits_2_with_the_fix_and_no_traceback(argv: tuple[str, ...], needle: str) -> None:
    result = run("advise", *argv, code=2)
    assert needle in result.output, f"the message names the flag and the fix: {result.output}"
    assert "Traceback" not in result.output
