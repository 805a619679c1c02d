"""Shared test helpers: plan a small program under the recording mocks and look things up in the graph."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.engine.plan import plan_program
from aiinfra.estimate.model import Estimate, Line

ROOT = Path(__file__).resolve().parent.parent


def plan(program: Callable[[], None], region: str = "us-east-1") -> ResourceGraph:
    return plan_program(program, stack="test", config={"aws:region": region})


def children_of(graph: ResourceGraph, component_type: str, name: str) -> list[PlannedResource]:
    parent = graph.get(component_type, name)
    return graph.children(parent.urn)


def names_by_type(resources: list[PlannedResource]) -> set[tuple[str, str]]:
    return {(r.type, r.name) for r in resources}


def id_of(graph: ResourceGraph, type_token: str, name: str) -> str:
    """The id the offline plan gave resource `name` (recorded with it, `PlannedResource.id`): what a
    reference to that resource, and to no other, reads in the graph (tests/test_engine_mocks_ids.py checks
    the formats themselves)."""
    found = graph.get(type_token, name).id
    assert found, f"{name} has no known id"
    return found


@pytest.fixture(autouse=True)
def _run_from_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stack names resolve against stacks/ in the working directory, as for a user in the repo."""
    monkeypatch.chdir(ROOT)


TODAY = "2026-12-04"
"""The day every test estimates as of (EKS prices a Kubernetes version by its support on the day), so
goldens and asserted totals do not move with the calendar."""


@pytest.fixture(autouse=True)
def _estimate_as_of_a_fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIINFRA_TODAY", TODAY)


@pytest.fixture(autouse=True)
def _no_provider_config_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's AWS_REGION or GOOGLE_CLOUD_PROJECT must not reach a test's program config (programs
    read them as Pulumi's SDKs do: aiinfra.engine.program); tests that need one set it."""
    from aiinfra import clouds

    for profile in clouds.profiles().values():
        for variables in profile.config_env.values():
            for variable in variables:
                monkeypatch.delenv(variable, raising=False)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden files under tests/golden/ from the current output (review the diff!)",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """`golden(name, text)`: compare `text` with tests/golden/<name>; with --update-golden, rewrite it.
    A missing golden file fails (it is created only by the explicit flag)."""
    update = bool(request.config.getoption("--update-golden"))

    def check(name: str, text: str) -> None:
        path = ROOT / "tests" / "golden" / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {path}; create it with `uv run pytest --update-golden`"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, (
            f"output differs from {path}; if the change is intended, run `uv run pytest --update-golden` "
            "and review the diff"
        )

    return check


@pytest.fixture(scope="session")
def components_program(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/programs/eks-components as a user has it after `pulumi install`: a copy of the folder with its
    own virtualenv `venv` (its Pulumi.yaml names it), made once per session with `uv venv` and `uv pip
    install -r requirements.txt` (pulumi-eks, pulumi-awsx and the pulumi / pulumi-aws this tool pins) from
    the package index through uv's cache. About 8 s on a cold cache, 2 s warm."""
    import os
    import shutil
    import subprocess
    import sys

    uv = os.environ.get("UV") or shutil.which("uv")
    assert uv, "uv is needed to make the program's environment (the README's setup installs it)"
    directory = tmp_path_factory.mktemp("programs") / "eks-components"
    shutil.copytree(ROOT / "tests" / "programs" / "eks-components", directory)
    venv = directory / "venv"
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True)
    subprocess.run(
        [uv, "pip", "install", "-q", "--python", str(venv / "bin" / "python"), "-r", "requirements.txt"],
        cwd=directory,
        check=True,
    )
    return directory


def line(result: Estimate, resource: str, unit: str) -> Line:
    """The one line of `resource` in `unit` (fails, listing the lines there are, when there is not exactly one)."""
    found = [ln for ln in result.lines if ln.resource == resource and ln.unit == unit]
    assert len(found) == 1, (
        f"one {unit} line for {resource}: {[(ln.resource, ln.unit) for ln in result.lines]}"
    )
    return found[0]
