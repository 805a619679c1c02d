"""`infra catalog edge`: the edge locations the catalog knows (Local Zones, Wavelength Zones, Outposts,
Distributed Cloud, Extended Zones), what GPU machines each sells, at what price and on which grid."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console

from aiinfra.cli.catalog import CloudOpt, _catalog, _lookup, _num
from aiinfra.cli.options import Format, FormatOpt


def edge(
    cloud: CloudOpt = None,
    accelerator: Annotated[
        str | None,
        typer.Option("--accelerator", "-a", help="Only locations that sell this accelerator (e.g. T4)."),
    ] = None,
    format: FormatOpt = Format.table,
) -> None:
    """List edge locations: kind, parent region, metro, zone group, the GPU machines each sells with its own
    price (or why it is unpriced), and the metro's grid intensity, each with its source."""
    from aiinfra.catalog.edge import edge_rows

    catalog = _catalog()
    rows = _lookup(edge_rows, catalog, cloud=cloud.value if cloud else None, accelerator=accelerator)
    if format is Format.json:
        doc = {"catalog_version": catalog.version, "locations": [_json(r) for r in rows]}
        typer.echo(json.dumps(doc, indent=2))
        return
    from aiinfra.estimate.render.layout import Column, fitted

    columns = [
        Column("cloud"),
        Column("location", prose=True, min_width=12),
        Column("kind"),
        Column("region"),
        Column("metro", prose=True, min_width=8),
        Column("GPU machines ($/h)", prose=True, min_width=16),
        Column("gCO2e/kWh", justify="right"),
    ]
    cells: list[Any] = []
    for r in rows:
        machines = (
            ", ".join(
                f"{m['instance_type']} ({'unpriced' if m['on_demand_usd_per_hour'] is None else m['on_demand_usd_per_hour']})"
                for m in r["machines"]
            )
            or ", ".join(r["accelerators"])
            or "none recorded"
        )
        grid = "unknown" if r["grid_g_co2e_per_kwh"] is None else f"{r['grid_g_co2e_per_kwh']:g}"
        cells.append([r["cloud"], r["location"], r["kind"], r["region"], r["metro"], machines, grid])
    Console(soft_wrap=False).print(
        fitted(columns, cells, f"Edge locations (catalog {catalog.version}; USD on demand)", head=2)
    )
    if not rows:
        typer.echo("No edge location matches these filters.", err=True)


def _json(r: dict[str, Any]) -> dict[str, Any]:
    out = dict(r)
    out["machines"] = [
        {**m, "on_demand_usd_per_hour": _num(m["on_demand_usd_per_hour"])} for m in r["machines"]
    ]
    out["grid_g_co2e_per_kwh"] = _num(r["grid_g_co2e_per_kwh"], 2)
    return out
