"""Spec errors: each one names the field path, what is wrong, and the fix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SpecIssue:
    path: str
    """Where in the spec, e.g. `clusters[0].nodePools[1].accelerator` ('' for the whole document)."""
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        fix = f" Fix: {self.fix}" if self.fix else ""
        return f"{where}{self.message}{fix}"


class SpecError(ValueError):
    """The spec cannot be used. Carries every issue found, not only the first."""

    def __init__(self, issues: Sequence[SpecIssue], source: str | None = None) -> None:
        self.issues = list(issues)
        self.source = source
        super().__init__(self.render())

    def render(self) -> str:
        prefix = f"{self.source}: " if self.source else ""
        if len(self.issues) == 1:
            return f"{prefix}{self.issues[0]}"
        lines = [f"{prefix}{len(self.issues)} problems in the stack spec:"]
        lines += [f"  - {issue}" for issue in self.issues]
        return "\n".join(lines)


def format_path(loc: Sequence[str | int]) -> str:
    """('clusters', 0, 'nodePools', 1, 'accelerator') -> 'clusters[0].nodePools[1].accelerator'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
