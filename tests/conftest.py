"""Shared test helpers: plan a small program under the recording mocks and look things up in the graph."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.engine.plan import plan_program

ROOT = Path(__file__).resolve().parent.parent


def plan(program: Callable[[], None], region: str = "us-east-1") -> ResourceGraph:
    return plan_program(program, stack="test", config={"aws:region": region})


def children_of(graph: ResourceGraph, component_type: str, name: str) -> list[PlannedResource]:
    parent = graph.get(component_type, name)
    return graph.children(parent.urn)


def names_by_type(resources: list[PlannedResource]) -> set[tuple[str, str]]:
    return {(r.type, r.name) for r in resources}


@pytest.fixture(autouse=True)
def _run_from_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stack names resolve against stacks/ in the working directory, as for a user in the repo."""
    monkeypatch.chdir(ROOT)
