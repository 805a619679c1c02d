"""The terminal layouts every `infra` table uses (estimate/render/layout.py), read back from what rich prints:
how wide a column and a table are, which columns are dropped first when the width runs out, when a table
gives way to a compact list, and how that list and its entries are laid out. The widths are added up by
hand in each test."""

from __future__ import annotations

import threading
from io import StringIO
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from aiinfra.estimate.render.layout import Column, as_list, column_width, fit_table, fitted, item, table_width

BOLD, DIM = "\x1b[1m", "\x1b[2m"


def printed(renderable: Any, width: int, ansi: bool = False) -> list[str]:
    console = Console(
        width=width, file=StringIO(), force_terminal=ansi, color_system="standard" if ansi else None
    )
    for r in renderable if isinstance(renderable, list) else [renderable]:
        console.print(r)
    return [r.rstrip() for r in console.file.getvalue().splitlines()]  # type: ignore[attr-defined]


def finishes(call: Any, seconds: float = 20) -> Any:
    """The call's answer; fails (instead of hanging the run) when it does not return."""
    done: list[Any] = []
    worker = threading.Thread(target=lambda: done.append(call()), daemon=True)
    worker.start()
    worker.join(timeout=seconds)
    assert done, f"did not finish in {seconds} s"
    return done[0]


COLUMNS = [Column("name"), Column("size", "right"), Column("note", prose=True)]
ROWS: list[Any] = [["alpha", "12", "ok"], None, ["b", "3", "fine"]]


# --------------------------------------------------------------------------------------------- widths


def test_a_value_column_is_as_wide_as_its_widest_line_and_prose_as_its_longest_word() -> None:
    assert column_width(Column("id"), ["abc", Text("abcdef"), "x\nabcd"]) == 6
    assert column_width(Column(""), ["", ""]) == 0, "an empty column takes no room"
    assert column_width(Column("note", prose=True), ["a b"]) == 16, "prose is at least 16 by default"
    assert column_width(Column("note", prose=True), ["a verylongwordindeed"]) == 18
    assert column_width(Column("", prose=True, min_width=0), [""]) == 0


def test_a_table_is_its_cells_plus_padding_and_rules() -> None:
    assert table_width([3, 2]) == 12, "│ abc │ de │: 3+2, a space each side of each cell, 3 rules"
    cols = [Column("abc"), Column("de")]
    fit = fit_table(cols, [["x", "y"]], 12)
    assert fit is not None and fit[1] == [0, 1]
    lines = printed(fit[0], 12)
    assert {cell_len(r) for r in lines} == {12}, lines
    assert fit_table(cols, [["x", "y"]], 11) is None, "one column short: nothing to drop"


def test_the_highest_drop_goes_first_until_the_table_fits() -> None:
    cols = [Column("a"), Column("bb", drop=1), Column("ccc", drop=2)]
    rows = [["x", "y", "z"]]
    # widths 1, 2, 3: all three are 3+4+5+4 rules = 16; without ccc 3+4+3 = 10; a alone 3+2 = 5
    assert finishes(lambda: fit_table(cols, rows, 16))[1] == [0, 1, 2]
    assert finishes(lambda: fit_table(cols, rows, 15))[1] == [0, 1]
    assert finishes(lambda: fit_table(cols, rows, 9))[1] == [0]
    assert finishes(lambda: fit_table(cols, rows, 4)) is None
    assert printed(finishes(lambda: fit_table(cols, rows, 15))[0], 15)[1] == "┃ a ┃ bb ┃"


def test_columns_are_always_shown_unless_they_say_they_may_be_dropped() -> None:
    cols = [Column("a"), Column("bb"), Column("ccc")]
    assert fit_table(cols, [["x", "y", "z"]], 15) is None


def test_the_table_has_every_column_every_row_and_a_rule_between_sections() -> None:
    fit = fit_table(COLUMNS, ROWS, 80)
    assert fit is not None and fit[1] == [0, 1, 2]
    assert printed(fit[0], 80) == [
        "┏━━━━━━━┳━━━━━━┳━━━━━━━━━━━━━━━━━━┓",
        "┃ name  ┃ size ┃ note             ┃",
        "┡━━━━━━━╇━━━━━━╇━━━━━━━━━━━━━━━━━━┩",
        "│ alpha │   12 │ ok               │",
        "├───────┼──────┼──────────────────┤",
        "│ b     │    3 │ fine             │",
        "└───────┴──────┴──────────────────┘",
    ], "values never wrap, prose is its minimum width even when short, numbers sit right"


def test_prose_wraps_at_spaces_and_values_are_never_broken() -> None:
    cols = [Column("identifier"), Column("message", prose=True)]
    rows = [["i-0123456789abcdef0", "the quick brown fox jumps over the lazy dog again and again"]]
    # 19 + 16 prose: (19+2) + (16+2) + 3 = 42
    fit = fit_table(cols, rows, 42)
    assert fit is not None
    lines = printed(fit[0], 42)
    assert lines[3] == "│ i-0123456789abcdef0 │ the quick brown  │"
    text = "\n".join(lines)
    for word in rows[0][1].split():
        assert word in text, f"{word!r} was broken or cut"
    assert "…" not in text


# --------------------------------------------------------------------------------------------- lists


def test_an_item_is_its_head_and_each_detail_indented_four() -> None:
    assert printed(item(Text("head"), ["aaaa bbbb", Text("cc")]), 13) == [
        "head",
        "    aaaa bbbb",
        "    cc",
    ], "4 + 9 columns fit 13 exactly: nothing wraps, no blank line around the details"
    assert printed(item(Text("head"), ["", Text("")]), 13) == ["head"], "empty details print nothing"
    assert printed(item(Text("head"), ["aaaa bbbb"], indent=2), 20) == ["head", "  aaaa bbbb"]


def test_as_list_puts_the_first_cell_in_bold_and_the_others_under_it() -> None:
    assert printed(as_list(COLUMNS, ROWS), 80) == [
        "alpha",
        "    size 12 · note ok",
        "b",
        "    size 3 · note fine",
    ], "every row, the one after a section break included"
    ansi = "\n".join(printed(as_list(COLUMNS, ROWS), 80, ansi=True))
    assert f"{BOLD}alpha" in ansi and f"{DIM}size " in ansi, "the head is bold, the headers dim"


def test_as_list_inline_and_with_a_longer_head() -> None:
    assert printed(as_list(COLUMNS, ROWS, inline=True), 80) == ["alpha: 12 · ok", "b: 3 · fine"]
    assert printed(as_list(COLUMNS, ROWS, head=2), 80) == ["alpha 12", "    note ok", "b 3", "    note fine"]
    assert printed(as_list(COLUMNS, [["a", "", "x"]]), 80) == ["a", "    note x"], "empty cells are left out"


def test_as_list_refuses_a_row_with_more_cells_than_columns() -> None:
    with pytest.raises(ValueError):
        as_list(COLUMNS, [["a", "1", "x", "extra"]])


def test_fitted_is_the_titled_table_when_it_fits_and_a_titled_list_when_not() -> None:
    # the table is 7 + 6 + 18 + 4 = 35 columns wide
    wide = printed(fitted(COLUMNS, ROWS, title="Things"), 80)
    assert wide[0] == "Things" and wide[2] == "┃ name  ┃ size ┃ note             ┃"
    assert printed(fitted(COLUMNS, ROWS, title="Things"), 34) == [
        "Things",
        "alpha",
        "    size 12 · note ok",
        "b",
        "    size 3 · note fine",
    ]
    assert printed(fitted(COLUMNS, ROWS), 34)[0] == "alpha", "no title, no title line"
    assert printed(fitted(COLUMNS, ROWS), 80)[0].startswith("┏"), "no title above the table"
    assert f"{BOLD}Things" in "\n".join(printed(fitted(COLUMNS, ROWS, title="Things"), 34, ansi=True))
