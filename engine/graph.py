"""The resource graph: plain data, no pulumi objects. Estimates and checks read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class PlannedResource:
    type: str
    name: str
    urn: str
    parent: str | None
    """The parent's URN; None for resources directly under the stack."""
    inputs: dict[str, Any]
    custom: bool
    """True for a cloud resource, False for a component (a grouping that creates nothing itself)."""
    protect: bool = False
    retain_on_delete: bool = False
    provider: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The `infra plan --format json` shape of one resource (DESIGN.md's contract, plus urn and flags)."""
        return {
            "type": self.type,
            "name": self.name,
            "parent": self.parent,
            "inputs": self.inputs,
            "urn": self.urn,
            "custom": self.custom,
            "protect": self.protect,
            "retainOnDelete": self.retain_on_delete,
        }


@dataclass
class ResourceGraph:
    stack: str
    project: str
    resources: list[PlannedResource] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def ordered(self) -> ResourceGraph:
        """The same graph with resources depth-first from the top, siblings sorted by (type, name): parents
        before children, and the same order on every run whatever order the program registered in."""
        kids: dict[str | None, list[PlannedResource]] = {}
        for r in self.resources:
            kids.setdefault(r.parent, []).append(r)
        out: list[PlannedResource] = []
        stack = sorted(kids.get(None, []), key=_order, reverse=True)
        while stack:
            r = stack.pop()
            out.append(r)
            stack.extend(sorted(kids.get(r.urn, []), key=_order, reverse=True))
        return ResourceGraph(
            stack=self.stack, project=self.project, resources=out, warnings=list(self.warnings)
        )

    def by_type(self, type_: str) -> list[PlannedResource]:
        return [r for r in self.resources if r.type == type_]

    def get(self, type_: str, name: str) -> PlannedResource:
        for r in self.resources:
            if r.type == type_ and r.name == name:
                return r
        raise KeyError(f"no {type_} named {name} in the plan")

    def children(self, urn: str | None) -> list[PlannedResource]:
        return [r for r in self.resources if r.parent == urn]

    def to_json(self) -> dict[str, Any]:
        return {
            "stack": self.stack,
            "resources": [r.to_json() for r in self.resources],
            "warnings": self.warnings,
        }


def _order(r: PlannedResource) -> tuple[bool, str, str]:
    return (not r.custom, r.type, r.name)  # resources before sub-components
