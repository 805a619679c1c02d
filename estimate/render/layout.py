"""Terminal layouts that fit the width they are printed at, for every table `infra` prints.

A table is described once (columns and rows); `fit_table` keeps the columns that fit, dropping the
low-value ones first, and says when even the essential ones do not fit, so the caller prints a compact list
instead (`item`). Names, numbers and identifiers are never wrapped (`no_wrap`): a column is only as narrow
as its widest value, so rich never has to break or truncate one. Free text wraps at spaces, never inside a
word. `ByWidth` defers the choice to print time, when the console's width is known (rich's Console reads
`COLUMNS`; without a terminal and without `COLUMNS` it assumes 80 columns).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

Cell = str | Text
Row = Sequence[Cell] | None
"""A row of cells, one per column; None ends a section (a rule across the table)."""


@dataclass(frozen=True)
class Column:
    header: str
    justify: Literal["left", "right"] = "left"
    prose: bool = False
    """Free text: wraps at spaces. Any other column is as wide as its widest value."""
    drop: int = 0
    """0: always shown. Otherwise the column with the highest `drop` goes first when the table is too wide."""
    min_width: int = 16
    """The narrowest a prose column may get (narrower prose is one word a line)."""


class ByWidth:
    """A renderable that builds what it shows from the width it is given (`pick(width)`)."""

    def __init__(self, pick: Callable[[int], RenderableType]) -> None:
        self.pick = pick

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.pick(options.max_width)


def _plain(cell: Cell) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def _longest_word(text: str) -> int:
    return max((cell_len(w) for w in text.split()), default=0)


def _longest_line(text: str) -> int:
    return max((cell_len(line) for line in text.splitlines()), default=0)


def column_width(column: Column, cells: list[Cell]) -> int:
    """The narrowest the column can be without breaking a word or a value."""
    texts = [column.header, *(_plain(c) for c in cells)]
    if column.prose:
        return max(column.min_width, *(_longest_word(t) for t in texts))
    return max(_longest_line(t) for t in texts)


def table_width(widths: list[int]) -> int:
    """Width of a boxed table whose columns are `widths` wide: one space of padding each side of a cell,
    one character for each vertical rule."""
    return sum(w + 2 for w in widths) + len(widths) + 1


def fit_table(
    columns: list[Column], rows: list[Row], width: int, **table_args: Any
) -> tuple[Table, list[int]] | None:
    """A table of the columns that fit in `width` (and the indexes kept), or None when even the columns
    that are never dropped do not fit."""
    cells = [[r[i] for r in rows if r is not None] for i in range(len(columns))]
    widths = [column_width(c, cells[i]) for i, c in enumerate(columns)]
    keep = list(range(len(columns)))
    while table_width([widths[i] for i in keep]) > width:
        droppable = [i for i in keep if columns[i].drop]
        if not droppable:
            return None
        keep.remove(max(droppable, key=lambda i: (columns[i].drop, i)))
    table = Table(**table_args)
    for i in keep:
        c = columns[i]
        table.add_column(
            c.header,
            justify=c.justify,
            no_wrap=not c.prose,
            min_width=None if not c.prose else min(widths[i], c.min_width),
        )
    for r in rows:
        if r is None:
            table.add_section()
        else:
            table.add_row(*(r[i] for i in keep))
    return table, keep


def item(head: Text, details: list[Text | str], indent: int = 4) -> RenderableType:
    """One entry of a compact list: the head line, then each detail on its own indented line(s). Text wraps
    at spaces."""
    lines = [
        d if isinstance(d, Text) else Text(d) for d in details if (d.plain if isinstance(d, Text) else d)
    ]
    if not lines:
        return head
    return Group(head, Padding(Group(*lines), (0, 0, 0, indent)))


def as_list(
    columns: list[Column], rows: list[Row], head: int = 1, inline: bool = False
) -> list[RenderableType]:
    """The rows as a compact list: the first `head` cells in bold, then every other non-empty cell as
    `header: value`, joined by ` · ` on an indented line under it, or with `inline` after a colon on the
    same line (the headers left out). Text wraps at spaces."""
    out: list[RenderableType] = []
    for r in rows:
        if r is None:
            continue
        first = Text(" ").join(c if isinstance(c, Text) else Text(c) for c in r[:head] if _plain(c))
        first.stylize("bold")
        rest = [(c, cell) for c, cell in zip(columns[head:], r[head:], strict=True) if _plain(cell)]
        if inline:
            values = (cell if isinstance(cell, Text) else Text(str(cell)) for _, cell in rest)
            out.append(Text.assemble(first, ": ", Text(" · ").join(values)))
            continue
        details = Text(" · ").join(
            Text.assemble((f"{c.header} ", "dim"), cell if isinstance(cell, Text) else str(cell))
            for c, cell in rest
        )
        out.append(item(first, [details]))
    return out


def fitted(
    columns: list[Column],
    rows: list[Row],
    title: str = "",
    head: int = 1,
    inline: bool = False,
    **table_args: Any,
) -> ByWidth:
    """The table when it fits the width it is printed at, else `title` and the rows `as_list`."""

    def pick(width: int) -> RenderableType:
        fit = fit_table(columns, rows, width, title=title or None, title_justify="left", **table_args)
        if fit:
            return fit[0]
        listed = as_list(columns, rows, head, inline)
        return Group(Text(title, style="bold"), *listed) if title else Group(*listed)

    return ByWidth(pick)
