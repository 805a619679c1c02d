"""A check report for people: a rich table for the terminal, markdown for a pull-request comment. The JSON
document (`CheckReport.to_json`) is for scripts. Rendering lives here so the CLI command stays thin."""

from __future__ import annotations

from typing import Any

from aiinfra.policy.check import CheckReport

MARKER = "<!-- aiinfra-check -->"
"""First line of the markdown comment, so a bot can find and update its own comment."""

SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan"}


def summary(report: CheckReport, fail_on: str) -> str:
    c = report.counts
    failing = len(report.failing(fail_on))
    verdict = "passed" if not failing else f"failed: {failing} at or above {fail_on}"
    noun = "violation" if c["total"] == 1 else "violations"
    return (
        f"{report.stack}: {c['total']} {noun} ({c['high']} high, {c['medium']} medium, {c['low']} low) "
        f"across {report.resources_checked} resources, {len(report.rules_run)} rules — {verdict}"
    )


def render_table(report: CheckReport, fail_on: str) -> list[Any]:
    """The renderables `infra check` prints: a table of violations (or a line saying there are none) and
    the summary."""
    from rich.markup import escape
    from rich.table import Table

    parts: list[Any] = []
    if report.violations:
        table = Table(title=f"Guardrail check: {escape(report.stack)}", show_lines=True)
        for column in ("severity", "rule", "resource", "message", "fix", "Checkov"):
            # ids stay on one line (a reader copies them); prose wraps
            prose = column in ("message", "fix")
            table.add_column(
                column,
                overflow="fold",
                no_wrap=column in ("severity", "rule", "Checkov"),
                ratio=2 if prose else None,
                min_width=12 if prose else None,
            )
        for v in report.violations:
            style = SEVERITY_STYLE[v.severity]
            table.add_row(
                f"[{style}]{v.severity}[/]",
                escape(v.rule_id),
                escape(v.resource),
                escape(v.message),
                escape(v.fix),
                escape(v.checkov or "—"),
            )
        parts.append(table)
    else:
        parts.append(f"[green]No violations[/] in {report.resources_checked} resources.")
    style = "green" if not report.failing(fail_on) else "bold red"
    parts.append(f"[{style}]{escape(summary(report, fail_on))}[/]")
    return parts


def _md(text: str) -> str:
    """Text safe inside a markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: CheckReport, fail_on: str) -> str:
    """A pull-request comment: the marker, a verdict line, the violations as a table."""
    failing = report.failing(fail_on)
    icon = "✅" if not failing else "❌"
    lines = [
        MARKER,
        f"### {icon} Guardrail check: `{_md(report.stack)}`",
        "",
        _md(summary(report, fail_on)),
        "",
    ]
    if report.violations:
        lines += ["| Severity | Rule | Resource | Message | Fix | Checkov |", "|---|---|---|---|---|---|"]
        for v in report.violations:
            lines.append(
                f"| {v.severity} | `{v.rule_id}` | `{_md(v.resource)}` | {_md(v.message)} | {_md(v.fix)} | "
                f"{v.checkov or '—'} |"
            )
        lines.append("")
    lines.append(
        f"<sub>{len(report.rules_run)} rules · carbon threshold {report.carbon_threshold_g_per_kwh:g} gCO2e/kWh · "
        f"fails on {fail_on} and above</sub>"
    )
    return "\n".join(lines) + "\n"
