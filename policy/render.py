"""A check report for people: a rich table for the terminal, markdown for a pull-request comment. The JSON
document (`CheckReport.to_json`) is for scripts. Rendering lives here so the CLI command stays thin."""

from __future__ import annotations

from typing import Any

from aiinfra.estimate.render.markdown import md_cell
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


CHECK_COLUMNS = [
    # ids stay on one line (a reader copies them); prose wraps at spaces
    ("severity", False, 0),
    ("rule", False, 0),
    ("resource", False, 0),
    ("message", True, 0),
    ("fix", True, 0),
    ("Checkov", False, 1),
]


def render_table(report: CheckReport, fail_on: str) -> list[Any]:
    """The renderables `infra check` prints: the violations (or a line saying there are none) and the
    summary. The violations are a table when it fits the terminal (the Checkov column goes first), else a
    list: `severity rule — resource`, then the message, the fix and the Checkov id indented under it."""
    from rich.console import Group
    from rich.text import Text

    from aiinfra.estimate.render.layout import ByWidth, Column, fit_table, item

    parts: list[Any] = []
    if report.violations:
        title = f"Guardrail check: {report.stack}"
        columns = [Column(name, prose=prose, drop=drop, min_width=20) for name, prose, drop in CHECK_COLUMNS]
        rows: list[Any] = [
            [
                Text(v.severity, style=SEVERITY_STYLE[v.severity]),
                Text(v.rule_id),
                Text(v.resource),
                Text(v.message),
                Text(v.fix),
                Text(v.checkov or "—"),
            ]
            for v in report.violations
        ]

        def pick(width: int) -> Any:
            fitted = fit_table(columns, rows, width, title=Text(title), show_lines=True)
            if fitted:
                return fitted[0]
            items = [
                item(
                    Text.assemble(
                        (v.severity, SEVERITY_STYLE[v.severity]), " ", (v.rule_id, "bold"), " — ", v.resource
                    ),
                    [v.message, Text("fix: ", style="bold") + Text(v.fix), f"Checkov: {v.checkov or '—'}"],
                )
                for v in report.violations
            ]
            return Group(Text(title, style="bold"), *items)

        parts.append(ByWidth(pick))
    else:
        parts.append(Text.assemble(("No violations", "green"), f" in {report.resources_checked} resources."))
    style = "green" if not report.failing(fail_on) else "bold red"
    parts.append(Text(summary(report, fail_on), style=style))
    return parts


def render_markdown(report: CheckReport, fail_on: str) -> str:
    """A pull-request comment: the marker, a verdict line, the violations as a table."""
    failing = report.failing(fail_on)
    icon = "✅" if not failing else "❌"
    lines = [
        MARKER,
        f"### {icon} Guardrail check: {md_cell(report.stack)}",
        "",
        md_cell(summary(report, fail_on)),
        "",
    ]
    if report.violations:
        lines += ["| Severity | Rule | Resource | Message | Fix | Checkov |", "|---|---|---|---|---|---|"]
        for v in report.violations:
            lines.append(
                f"| {v.severity} | {md_cell(v.rule_id)} | {md_cell(v.resource)} | {md_cell(v.message)} "
                f"| {md_cell(v.fix)} | {md_cell(v.checkov or '—')} |"
            )
        lines.append("")
    lines.append(
        f"<sub>{len(report.rules_run)} rules · carbon threshold {report.carbon_threshold_g_per_kwh:g} gCO2e/kWh · "
        f"fails on {fail_on} and above</sub>"
    )
    return "\n".join(lines) + "\n"
