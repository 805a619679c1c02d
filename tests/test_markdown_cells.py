"""One Markdown cell escaper (`md_cell`) for both PR comments, the estimate's and the guardrail check's: text
from a stack (a resource name, a message) stays in its table cell and reads as written, and HTML in it is
inert. Checked by parsing the comments with markdown-it (CommonMark with GitHub's tables), not by looking
for backslashes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from aiinfra.estimate.render import render_markdown
from aiinfra.estimate.render.markdown import md_cell
from aiinfra.policy.check import CheckReport
from aiinfra.policy.model import Violation
from aiinfra.policy.render import render_markdown as check_markdown

NASTY = "a|b\nc <img src=x onerror=alert(1)> `code` *bold* [link](http://x) </details>"
SHOWN = NASTY.replace("\n", " ")
"""How a reader sees NASTY in a cell: the same text, the newline as a space."""

md = MarkdownIt("commonmark").enable("table")


def table_rows(text: str) -> list[list[str]]:
    """Every table row of a Markdown document as the text a reader sees in each cell."""
    rows: list[list[str]] = []
    in_row = False
    for t in md.parse(text):
        if t.type in ("tr_open", "tr_close"):
            in_row = t.type == "tr_open"
            if in_row:
                rows.append([])
        elif t.type == "inline" and in_row:
            rows[-1].append("".join(c.content for c in t.children or []))
    return rows


def html_tags(text: str) -> list[str]:
    """The raw HTML a Markdown renderer would pass through."""
    found = []
    for t in md.parse(text):
        if t.type == "html_block":
            found.append(t.content)
        for c in t.children or []:
            if c.type == "html_inline":
                found.append(c.content)
    return found


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain-name", "plain-name"),
        ("a|b", "a|b"),
        ("line one\nline two", "line one line two"),
        ("<b>bold</b>", "<b>bold</b>"),
        ("`tick`", "`tick`"),
        ("# not a heading", "# not a heading"),
        ("- not a list", "- not a list"),
        ("*not emphasis*", "*not emphasis*"),
        ("back\\slash", "back\\slash"),
    ],
)
def test_a_cell_reads_as_written_in_its_own_cell(text: str, shown: str) -> None:
    rows = table_rows(f"| x | y |\n| --- | --- |\n| {md_cell(text)} | after |\n")
    assert rows[-1] == [shown, "after"], f"{text!r} must stay in one cell and read as written: {rows[-1]}"
    assert not html_tags(f"| x |\n| --- |\n| {md_cell(text)} |\n"), (
        f"{text!r} must not reach the page as HTML"
    )


def test_a_resource_name_with_a_pipe_and_a_newline_stays_in_its_estimate_cell() -> None:
    doc: dict[str, Any] = json.loads((Path(__file__).parent / "data/estimates/example.json").read_text())
    plain = render_markdown(doc)
    doc["lines"][0]["resource"] = NASTY
    text = render_markdown(doc)
    rows = [r for r in table_rows(text) if SHOWN in r]
    assert rows, "the line's row is in the All lines table, with the name whole in one cell"
    assert len(rows[0]) == 8 and rows[0][1] == SHOWN, f"the row keeps its 8 cells: {rows[0]}"
    assert len(table_rows(text)) == len(table_rows(plain)), "the newline in the name ended no row"
    assert html_tags(text) == html_tags(plain), "the name's HTML is text: the comment has only its own tags"


def check_report(resource: str, message: str, fix: str) -> CheckReport:
    return CheckReport(
        stack="example",
        violations=[
            Violation("gpu-carbon-intensity", "low", resource, "aws:eks/nodeGroup:NodeGroup", message, fix)
        ],
        rules_run=["gpu-carbon-intensity"],
        resources_checked=3,
        carbon_threshold_g_per_kwh=450.0,
    )


def test_a_resource_name_with_a_pipe_and_a_newline_stays_in_its_check_cell() -> None:
    text = check_markdown(check_report(NASTY, NASTY, "fix | it"), "low")
    (row,) = [r for r in table_rows(text) if SHOWN in r]
    assert row == ["low", "gpu-carbon-intensity", SHOWN, SHOWN, "fix | it", "—"], (
        f"the violation keeps its six cells, each as written: {row}"
    )
    plain = check_markdown(check_report("train-h100-nodes", "too dirty", "move it"), "low")
    assert html_tags(text) == html_tags(plain), "the report's HTML is text: the comment has only its own tags"
