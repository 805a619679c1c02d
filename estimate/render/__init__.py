"""An estimate for people: a rich table for the terminal, Markdown for a pull-request comment, and one
self-contained HTML page to attach to a review or a ticket.

Every renderer reads the JSON document (`Estimate.to_json()`), optionally with a `diff()` of two documents,
so a saved estimate renders exactly like a fresh one. Nothing here imports pulumi or the catalog: rendering
must work where only the JSON is (a CI job that downloaded yesterday's artifact).

Unknown stays visible: a null cost prints "unpriced" (never $0), a null energy or carbon "—" (not
modelled), and a total that leaves unpriced lines out says so.

`fmt` formats numbers, `table` renders for the terminal, `markdown` for a PR comment (with `md_cell`, the
one Markdown cell escaper), `html` one page with its SVG chart.
"""

from aiinfra.estimate.render.fmt import METRICS, fmt_amount, fmt_usd
from aiinfra.estimate.render.html import render_html
from aiinfra.estimate.render.markdown import MARKER, render_markdown
from aiinfra.estimate.render.table import render_table

__all__ = ["MARKER", "METRICS", "fmt_amount", "fmt_usd", "render_html", "render_markdown", "render_table"]
