"""Spec errors: each one names the field path, what is wrong, and the fix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aiinfra.guard import escape_controls, show

MAX_ISSUE_CHARS = 2000


@dataclass(frozen=True, slots=True)
class SpecIssue:
    path: str
    """Where in the spec, e.g. `clusters[0].nodePools[1].accelerator` ('' for the whole document)."""
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        fix = f" Fix: {self.fix}" if self.fix else ""
        # A last net under every formatter: no raw control characters, no unbounded line.
        text = escape_controls(f"{where}{self.message}{fix}")
        return text if len(text) <= MAX_ISSUE_CHARS else f"{text[:MAX_ISSUE_CHARS]}…({len(text)} chars)"


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
            name = str(part)
            if len(name) > 60 or not name.isprintable():
                name = show(name)  # a user's key: capped and escaped
            out += f".{name}" if out else name
    return out
