"""The deploy lifecycle (`infra preview/up/destroy/refresh/outputs/stacks`).

Two kinds of test, said plainly:
- the REAL missing-CLI path: no `pulumi` anywhere on PATH (this machine has none), exit 2 with how to install it;
- the Automation API layer against a FAKE `pulumi` executable that these tests own (tests/fake_pulumi/pulumi):
  it records every argv and answers with engine events in Pulumi's event-log format, built here from the
  offline plan of the example stack. Nothing is deployed anywhere; these tests check what we send to the
  CLI, how we read its events and what we show, not Pulumi's engine.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aiinfra.cli.main import app
from aiinfra.components.stack import run_program
from aiinfra.engine.graph import ResourceGraph
from aiinfra.engine.plan import plan_program
from aiinfra.spec.loader import read_stack_config, stack_file

FAKE_DIR = Path(__file__).parent / "fake_pulumi"
PASSPHRASE = "correct-horse-battery-staple"
runner = CliRunner()


def _example() -> ResourceGraph:
    return plan_program(run_program, stack="example", config=read_stack_config(stack_file("example")))


EXAMPLE = _example()
CUSTOM = [r for r in EXAMPLE.resources if r.custom]


def write_events(path: Path, graph: ResourceGraph) -> None:
    """The engine events of creating `graph`, in the event-log format (`--event-log` JSON lines)."""
    lines: list[dict[str, Any]] = [{"preludeEvent": {"config": {}}}]
    for r in graph.resources:
        meta = {
            "op": "create",
            "urn": r.urn,
            "type": r.type,
            "provider": r.provider or "",
            "new": {"type": r.type, "urn": r.urn, "custom": r.custom, "parent": r.parent or "", "inputs": {}},
        }
        lines += [{"resourcePreEvent": {"metadata": meta}}, {"resOutputsEvent": {"metadata": meta}}]
    lines += [
        {
            "summaryEvent": {
                "maybeCorrupt": False,
                "durationSeconds": 1,
                "resourceChanges": {"create": sum(1 for r in graph.resources if r.custom)},
                "PolicyPacks": {},
            }
        },
        {"cancelEvent": {}},
    ]
    text = "".join(
        json.dumps({"sequence": i, "timestamp": 1763770000 + i, **e}) + "\n" for i, e in enumerate(lines)
    )
    path.write_text(text)


def write_export(path: Path, graph: ResourceGraph) -> None:
    """`pulumi stack export` of `graph` deployed: the Stack root, every resource with its protect flags."""
    root = "urn:pulumi:example::aiinfra::pulumi:pulumi:Stack::aiinfra-example"
    resources: list[dict[str, Any]] = [{"urn": root, "custom": False, "type": "pulumi:pulumi:Stack"}]
    for r in graph.resources:
        row: dict[str, Any] = {
            "urn": r.urn,
            "custom": r.custom,
            "type": r.type,
            "inputs": r.inputs,
            "parent": r.parent or root,
        }
        if r.custom:
            row["id"] = f"{r.name}-id"
        if r.protect:
            row["protect"] = True
        if r.retain_on_delete:
            row["retainOnDelete"] = True
        if r.provider:
            row["provider"] = r.provider
        resources.append(row)
    path.write_text(json.dumps({"version": 3, "deployment": {"resources": resources}}))


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """PATH starts with the fake `pulumi`; its log, state and events live in tmp_path."""
    log = tmp_path / "argv.jsonl"
    write_events(tmp_path / "events.jsonl", EXAMPLE)
    write_export(tmp_path / "export.json", EXAMPLE)
    monkeypatch.setenv("PATH", f"{FAKE_DIR}:{__import__('os').environ['PATH']}")
    monkeypatch.setenv("FAKE_PULUMI_LOG", str(log))
    monkeypatch.setenv("FAKE_PULUMI_STATE", str(tmp_path / "stacks"))
    monkeypatch.setenv("FAKE_PULUMI_EVENTS", str(tmp_path / "events.jsonl"))
    monkeypatch.setenv("FAKE_PULUMI_EXPORT", str(tmp_path / "export.json"))
    monkeypatch.setenv("FAKE_PULUMI_OUTPUTS", json.dumps({"clusters": {"train": {"region": "us-east-1"}}}))
    monkeypatch.setenv("PULUMI_BACKEND_URL", f"file://{tmp_path / 'backend'}")
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", PASSPHRASE)
    return log


def calls(log: Path) -> list[dict[str, Any]]:
    """Every command the fake CLI received, in order (none when it was never called)."""
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def argvs(log: Path) -> list[list[str]]:
    return [c["argv"] for c in calls(log)]


# -- the real missing-CLI path --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["up", "-s", "example", "--yes"],
        ["preview", "-s", "example"],
        ["destroy", "-s", "example"],
        ["stacks"],
    ],
    ids=["up", "preview", "destroy", "stacks"],
)
def test_without_the_pulumi_cli_every_deploy_command_says_how_to_install_it(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no pulumi here, nor anywhere on this machine
    monkeypatch.setenv("PULUMI_HOME", str(tmp_path / "home"))
    result = runner.invoke(app, argv)
    assert result.exit_code == 2, result.output
    assert "the Pulumi CLI is not installed" in result.output
    assert (
        "get.pulumi.com" in result.output
        and "`infra plan` and `infra estimate` work offline" in result.output
    )
    assert "Traceback" not in result.output


# -- against the fake CLI ---------------------------------------------------------------------------------


def test_up_creates_the_stack_streams_events_and_shows_the_estimate_first(fake: Path) -> None:
    result = runner.invoke(app, ["up", "-s", "example", "--yes"])
    assert result.exit_code == 0, result.output
    # the example runs the default Kubernetes 1.35, in EKS standard support on the tests' fixed day
    # (2026-12-04): the control plane is 730 × 0.10
    assert "about $163,575.24/month" in result.output, "the estimate comes before the deploy"
    assert f"up example: {len(CUSTOM)} created" in result.output, (
        "the summary from the engine's summary event"
    )
    seen = argvs(fake)
    assert seen[0] == ["version"], "the Automation API checks the CLI version first"
    assert ["stack", "select", "--stack", "example"] in seen and ["stack", "init", "example"] in seen
    up = next(a for a in seen if a[0] == "up")
    assert up[:3] == ["up", "--yes", "--skip-preview"] and up[-2:] == ["--stack", "example"]
    assert "--event-log" in up, "events are read from the engine's event log"
    assert '"region": "us-east-1"' in result.output, "the stack outputs are printed"


def test_the_passphrase_reaches_the_cli_only_through_the_environment(fake: Path) -> None:
    runner.invoke(app, ["up", "-s", "example", "--yes"])
    for call in calls(fake):
        assert PASSPHRASE not in " ".join(call["argv"]), f"passphrase on a command line: {call['argv']}"
        assert call["passphrase_in_env"], "every command gets it from the environment"
        assert call["backend"].startswith("file://"), "the backend the user chose is respected"


def test_without_a_passphrase_a_self_managed_backend_is_refused_before_anything_runs(
    fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PULUMI_CONFIG_PASSPHRASE")
    monkeypatch.delenv("PULUMI_CONFIG_PASSPHRASE_FILE", raising=False)
    result = runner.invoke(app, ["up", "-s", "example", "--yes"])
    assert result.exit_code == 2 and "Export PULUMI_CONFIG_PASSPHRASE" in result.output, result.output
    assert not fake.exists(), "the CLI was never called"


def test_with_no_backend_chosen_a_local_file_backend_under_the_project_is_used(tmp_path: Path) -> None:
    from aiinfra.engine.deploy import backend

    chosen = backend(tmp_path, {"PULUMI_HOME": str(tmp_path / "home"), "PULUMI_CONFIG_PASSPHRASE": "x"})
    assert chosen.env == {"PULUMI_BACKEND_URL": f"file://{tmp_path / '.pulumi-state'}"}
    assert (tmp_path / ".pulumi-state").is_dir()
    cloud = backend(tmp_path, {"PULUMI_BACKEND_URL": "https://api.pulumi.com"})
    assert cloud.env == {}, "Pulumi Cloud needs no passphrase and no override"


def test_up_asks_for_confirmation_and_a_no_deploys_nothing(fake: Path) -> None:
    result = runner.invoke(app, ["up", "-s", "example"], input="n\n")
    assert result.exit_code == 1 and "Nothing was deployed." in result.output, result.output
    assert not any(a[0] == "up" for a in argvs(fake))


def test_destroy_lists_what_goes_what_stays_and_needs_the_typed_stack_name(fake: Path) -> None:
    runner.invoke(app, ["up", "-s", "example", "--yes"])
    refused = runner.invoke(app, ["destroy", "-s", "example"], input="exampel\n")
    assert refused.exit_code == 1 and "nothing was destroyed" in refused.output
    assert not any(a[0] == "destroy" for a in argvs(fake))
    protected = sorted(r.name for r in CUSTOM if r.protect)
    assert protected, "the example stack protects its data"
    result = runner.invoke(app, ["destroy", "-s", "example"], input="example\n")
    assert result.exit_code == 0, result.output
    for name in protected:
        assert name in result.output, f"{name} is listed as kept"
    doomed = [r for r in CUSTOM if not r.protect]
    assert f"{len(doomed)} resources will be deleted" in result.output
    destroy = next(a for a in argvs(fake) if a[0] == "destroy")
    assert "--exclude-protected" in destroy, "protected data is left alone, not a reason for destroy to fail"


def test_destroy_names_spend_it_cannot_remove(
    fake: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reserved = plan_program(run_program, stack="reserved", config=read_stack_config(stack_file("reserved")))
    write_export(tmp_path / "reserved.json", reserved)
    write_events(tmp_path / "reserved-events.jsonl", reserved)
    monkeypatch.setenv("FAKE_PULUMI_EXPORT", str(tmp_path / "reserved.json"))
    monkeypatch.setenv("FAKE_PULUMI_EVENTS", str(tmp_path / "reserved-events.jsonl"))
    runner.invoke(app, ["up", "-s", "reserved", "--yes"])
    result = runner.invoke(app, ["destroy", "-s", "reserved", "--yes"])
    assert result.exit_code == 0, result.output
    assert (
        "not refunded" in result.output
        and "capacity block behind node group research-h200-nodes" in result.output
    )


def test_outputs_stacks_preview_and_refresh_run_against_the_deployed_stack(fake: Path) -> None:
    runner.invoke(app, ["up", "-s", "example", "--yes"])
    outputs = runner.invoke(app, ["outputs", "-s", "example", "--format", "json"])
    assert outputs.exit_code == 0 and json.loads(outputs.stdout) == {
        "clusters": {"train": {"region": "us-east-1"}}
    }
    listed = runner.invoke(app, ["stacks", "--format", "json"])
    (stack,) = json.loads(listed.stdout)
    assert stack["name"] == "example" and stack["resource_count"] == len(CUSTOM)
    preview = runner.invoke(app, ["preview", "-s", "example"])
    assert preview.exit_code == 0 and "preview example:" in preview.output, preview.output
    refresh = runner.invoke(app, ["refresh", "-s", "example"])
    assert refresh.exit_code == 0 and f"refresh example: {len(CUSTOM)} unchanged" in refresh.output


def test_a_stack_that_was_never_deployed_cannot_be_refreshed_or_destroyed(fake: Path) -> None:
    for command in ("refresh", "destroy", "outputs"):
        result = runner.invoke(app, [command, "-s", "example"])
        assert result.exit_code == 2, f"{command}: {result.output}"
        assert "stack 'example' does not exist" in result.output and "infra up -s example" in result.output


def test_the_progress_display_counts_resources_as_the_engine_reports_them(tmp_path: Path) -> None:
    from pulumi.automation.events import EngineEvent
    from rich.console import Console

    from aiinfra.cli.deploy import EngineProgress

    write_events(tmp_path / "events.jsonl", EXAMPLE)
    console = Console(record=True, width=160, force_terminal=False)
    with EngineProgress(console, total=len(CUSTOM), title="up example") as progress:
        for line in (tmp_path / "events.jsonl").read_text().splitlines():
            progress.on_event(EngineEvent.from_json(json.loads(line)))
        done = progress.progress.tasks[0].completed
    assert done == len(CUSTOM), "one step per resource the engine counts (providers too); components are not"
    assert progress.changes == {"create": len(CUSTOM)}, "the summary is what the engine's summary event said"
    assert "up example" in console.export_text()
