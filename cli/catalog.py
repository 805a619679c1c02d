"""`infra catalog`: what each accelerator costs, draws and emits, and where it is offered — from the
shipped catalog, offline. `infra catalog refresh` re-reads the providers' public price lists."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from aiinfra import clouds
from aiinfra.cli.errors import fail
from aiinfra.cli.options import Format, FormatOpt, one_paragraph

if TYPE_CHECKING:
    from rich.console import RenderableType

    from aiinfra.catalog import Catalog
    from aiinfra.catalog.listing import GpuOffer

app = typer.Typer(
    name="catalog",
    help="Accelerators, instance types, prices, power and grid carbon, with their sources.",
    no_args_is_help=True,
)


def command(fn: Callable[..., None]) -> Callable[..., None]:
    app.command(help=one_paragraph(fn.__doc__))(fn)
    return fn


Cloud = StrEnum("Cloud", {name: name for name in clouds.names()})  # type: ignore[misc]
"""The clouds with a profile (`aiinfra.clouds`), as `--cloud` choices."""


CloudOpt = Annotated[Cloud | None, typer.Option("--cloud", "-c", help="Only this cloud.", show_default=False)]
RegionOpt = Annotated[
    str | None, typer.Option("--region", "-r", help="Only this region.", show_default=False)
]


def _catalog() -> Catalog:
    from aiinfra.catalog import default_catalog
    from aiinfra.catalog.load import CatalogDataError

    try:
        return default_catalog()
    except CatalogDataError as e:  # names the file (or the missing directory) and the fix
        fail(f"{e.message} {e.fix}".strip())
    except ValueError as e:
        fail(f"the catalog data is invalid: {e}. Fix the file named, or unset AIINFRA_CATALOG_DIR.")


def _lookup(call: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a catalog lookup; an unknown name is bad input (exit 2) with the catalog's suggestion."""
    from aiinfra.catalog import CatalogLookupError

    try:
        return call(*args, **kwargs)
    except CatalogLookupError as e:
        fail(f"{e.message} {e.fix}")


def _check_region(catalog: Catalog, cloud: Cloud | None, region: str | None) -> None:
    if region is None:
        return
    names = [cloud.value] if cloud else list(clouds.names())
    if not any(region in catalog.regions(c) for c in names):
        from aiinfra.catalog.query import did_you_mean

        known = sorted({r for c in names for r in catalog.regions(c)})
        fail(
            f"unknown region '{region}'{' on ' + cloud.value if cloud else ''}. {did_you_mean(region, known)}"
        )


def _num(value: Decimal | None, places: int = 6) -> float | None:
    return None if value is None else float(round(value, places))


def _money(value: Decimal | None) -> str:
    return "unpriced" if value is None else f"{value:,.2f}"


def _gpu_json(r: GpuOffer) -> dict[str, Any]:
    return {
        "cloud": r.cloud,
        "region": r.region,
        "zones": list(r.zones),
        "instance_type": r.instance_type,
        "accelerator": r.accelerator,
        "accelerator_count": r.accelerator_count,
        "on_demand_usd_per_hour": _num(r.on_demand_usd_per_hour),
        "spot_usd_per_hour": _num(r.spot_usd_per_hour),
        "usd_per_accelerator_hour": _num(r.usd_per_accelerator_hour),
        "price_basis": r.price_basis,
        "board_power_w": r.board_power_w,
        "instance_power_w": _num(r.instance_power_w, 1),
        "pue": _num(r.pue, 3),
        "grid_g_co2e_per_kwh": _num(r.grid_g_per_kwh, 2),
        "co2e_kg_per_accelerator_hour": _num(r.co2e_kg_per_accelerator_hour, 4),
        "source": r.source,
        "retrieved": r.retrieved,
    }


def _gpu_table(rows: list[GpuOffer], title: str) -> RenderableType:
    """The offers as a table that fits the terminal (board power, grid intensity, spot price and carbon
    per GPU-hour go first when it is narrow), or as a list when even prices and names do not fit."""
    from aiinfra.estimate.render.layout import Column, fitted

    columns = [
        Column("cloud"),
        Column("region"),
        Column("instance type"),
        Column("accelerators"),
        Column("$/h", "right"),
        Column("spot $/h", "right", drop=3),
        Column("$/GPU-h", "right", prose=True, min_width=7),
        Column("board W", "right", drop=5),
        Column("gCO2e/kWh", "right", drop=4),
        Column("kgCO2e/GPU-h", "right", drop=2),
    ]
    cells: list[list[str]] = []
    for r in rows:
        per_acc = _money(r.usd_per_accelerator_hour)
        if r.price_basis not in (None, "on_demand"):
            per_acc += f" ({r.price_basis.replace('_', ' ')})"
        cells.append(
            [
                r.cloud,
                r.region,
                r.instance_type,
                f"{r.accelerator_count}× {r.accelerator}" if r.accelerator else "CPU only",
                _money(r.on_demand_usd_per_hour) if r.on_demand_usd_per_hour is not None else "—",
                _money(r.spot_usd_per_hour) if r.spot_usd_per_hour is not None else "—",
                per_acc,
                str(r.board_power_w),
                "unknown" if r.grid_g_per_kwh is None else f"{r.grid_g_per_kwh:.0f}",
                "unknown"
                if r.co2e_kg_per_accelerator_hour is None
                else f"{r.co2e_kg_per_accelerator_hour:.3f}",
            ]
        )
    return fitted(columns, list(cells), title, head=4)


@command
def gpus(
    accelerator: Annotated[
        str | None, typer.Option("--accelerator", "-a", help="Only this accelerator (e.g. H100).")
    ] = None,
    cloud: CloudOpt = None,
    region: RegionOpt = None,
    format: FormatOpt = Format.table,
) -> None:
    """List offers cheapest per GPU-hour first: $/h on demand and spot, $/GPU-hour, board power, the
    region's grid intensity and kgCO2e per GPU-hour at full load (machine power per GPU × PUE × grid)."""
    from aiinfra.catalog.listing import gpu_offers

    catalog = _catalog()
    _check_region(catalog, cloud, region)
    rows = _lookup(
        gpu_offers, catalog, accelerator=accelerator, cloud=cloud.value if cloud else None, region=region
    )
    if format is Format.json:
        doc = {"catalog_version": catalog.version, "offers": [_gpu_json(r) for r in rows]}
        typer.echo(json.dumps(doc, indent=2))
        return
    title = f"GPU and TPU offers (catalog {catalog.version}; USD; carbon is location-based, at full load)"
    Console(soft_wrap=False).print(_gpu_table(rows, title))
    if not rows:
        typer.echo("No offers match these filters.", err=True)


@command
def where(
    accelerator: Annotated[str, typer.Argument(help="An accelerator name, e.g. H200.", show_default=False)],
    cloud: CloudOpt = None,
    format: FormatOpt = Format.table,
) -> None:
    """Which regions and zones offer ACCELERATOR, and through which instance types."""
    from aiinfra.catalog.listing import where as places_of

    catalog = _catalog()
    places = _lookup(places_of, catalog, accelerator, cloud=cloud.value if cloud else None)
    name = catalog.accelerator(accelerator).name
    if format is Format.json:
        doc = {
            "catalog_version": catalog.version,
            "accelerator": name,
            "regions": [
                {
                    "cloud": p.cloud,
                    "region": p.region,
                    "location": p.location,
                    "zones": list(p.zones),
                    "instance_types": list(p.instance_types),
                }
                for p in places
            ],
        }
        typer.echo(json.dumps(doc, indent=2))
        return
    from aiinfra.estimate.render.layout import Column, fitted

    columns = [
        Column("cloud"),
        Column("region"),
        Column("location", prose=True, min_width=10),
        Column("zones", prose=True, min_width=10),
        Column("instance types", prose=True, min_width=10),
    ]
    rows: list[Any] = []
    for p in places:
        # Where zone names map to different places in each account (AWS), the catalog keeps none
        unknown = "per account" if clouds.get(p.cloud).zones_per_account else "not recorded"
        zones = ", ".join(p.zones) if p.zones else unknown
        rows.append([p.cloud, p.region, p.location, zones, ", ".join(p.instance_types)])
    Console(soft_wrap=False).print(
        fitted(columns, rows, f"Where {name} is offered (catalog {catalog.version})", head=2)
    )
    if not places:
        where_ = f" on {cloud.value}" if cloud else ""
        typer.echo(f"{name} is not offered{where_} in this catalog.", err=True)


@command
def show(
    instance_type: Annotated[
        str, typer.Argument(help="An instance or machine type, e.g. p5.48xlarge.", show_default=False)
    ],
    format: FormatOpt = Format.table,
) -> None:
    """Everything the catalog knows about INSTANCE_TYPE: accelerators, host, fabric, power, and its offers
    by region with prices and carbon, each with its source."""
    from aiinfra.catalog.listing import show as detail_of

    catalog = _catalog()
    d = _lookup(detail_of, catalog, instance_type)
    t = d.instance_type
    facts: dict[str, Any] = {
        "name": t.name,
        "cloud": t.cloud,
        "accelerator": t.accelerator,
        "accelerator_count": t.accelerator_count,
        "accelerator_memory_total_gib": t.accelerator_memory_total_gib,
        "vcpu": t.vcpu,
        "memory_gib": int(t.memory_gib)
        if t.memory_gib == t.memory_gib.to_integral_value()
        else float(t.memory_gib),
        "fabric": t.fabric,
        "fabric_gbps": t.fabric_gbps,
        "efa_cards": t.efa_cards,
        "gpu_nics": t.gpu_nics,
        "network_gbps": t.network_gbps,
        "local_ssd_gib": t.local_ssd_gib,
        "on_demand": t.on_demand,
        "accelerator_power_idle_w": d.accelerator_power_idle_w,
        "accelerator_power_max_w": d.accelerator_power_max_w,
        "power_model": d.power_method,
        "power_source": d.power_source,
        "source": t.source,
        "retrieved": t.retrieved.isoformat(),
        "unverified": list(t.unverified),
    }
    if format is Format.json:
        doc = {"catalog_version": catalog.version, **facts, "offers": [_gpu_json(r) for r in d.offers]}
        typer.echo(json.dumps(doc, indent=2))
        return
    from rich.text import Text

    from aiinfra.estimate.render.layout import Column, fitted

    console = Console(soft_wrap=False)
    rows: list[Any] = [
        [Text(key, style="bold"), str(value)]
        for key, value in facts.items()
        if key not in ("name", "cloud") and value not in ((), [])
    ]
    console.print(
        fitted(
            [Column("field"), Column("value", prose=True, min_width=30)],
            rows,
            f"{t.name} ({t.cloud})",
            inline=True,
            show_header=False,
        )
    )
    console.print(_gpu_table(d.offers, f"Offers of {t.name}"))


@command
def compile() -> None:
    """Check the catalog's YAML data files and compile them into catalog/data/catalog.json, the copy that
    loads in milliseconds. Run it after editing a data file by hand (`refresh` does it for you); until
    then the edited YAML is read directly, just more slowly."""
    from aiinfra.catalog.load import DATA_DIR, CatalogDataError, write_compiled

    try:
        path = write_compiled(DATA_DIR)
    except CatalogDataError as e:
        fail(f"{e}. Nothing was written; fix the file named and run this again.")
    typer.echo(f"wrote {path}", err=True)


@command
def refresh(
    cloud: Annotated[Cloud, typer.Argument(help="Whose price list to read.", show_default=False)],
    source_file: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="Parse this downloaded price list instead of downloading: AWS EC2 offer file (.csv or .json), "
            "GCP Cloud Billing Catalog SKU list (.json), Azure Retail Prices response (.json).",
            exists=True,
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    regions: Annotated[
        list[str] | None,
        typer.Option(
            "--region", "-r", help="Only these regions (repeat); default: the catalog's.", show_default=False
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write a complete catalog copy with the new version here (use it with "
            "AIINFRA_CATALOG_DIR=DIR) instead of updating the shipped data.",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Re-read CLOUD's public price list (AWS Price List bulk offer files, GCP Cloud Billing Catalog, Azure
    Retail Prices) and write a new version of its offers, with a summary of what changed. Needs the network
    (and GOOGLE_API_KEY for GCP), or --from a file downloaded elsewhere. Estimates never refresh."""
    from aiinfra.catalog.refresh.service import EmptyRefresh, RefreshUnavailable
    from aiinfra.catalog.refresh.service import refresh as run_refresh

    catalog = _catalog()
    for region in regions or []:
        if region not in catalog.regions(cloud.value):
            from aiinfra.catalog.query import did_you_mean

            fail(
                f"unknown {cloud.value} region '{region}'. {did_you_mean(region, catalog.regions(cloud.value))}"
            )
    try:
        outcome = run_refresh(cloud.value, catalog, source_file=source_file, regions=regions, out=out)
    except RefreshUnavailable as e:
        fail(f"{e.message} {e.fix} Nothing was changed; the catalog stays at version {catalog.version}.")
    except EmptyRefresh as e:
        fail(f"{e}. Check that the file is {cloud.value}'s price list. Nothing was changed.")
    except (OSError, ValueError) as e:
        fail(f"could not read the price list: {e}. Nothing was changed.")
    for line in outcome.summary.lines():
        typer.echo(line, err=True)
    skipped = outcome.result.skipped
    if skipped:
        typer.echo(f"skipped {len(skipped)} kinds of rows, e.g.:", err=True)
        for line in skipped[:5]:
            typer.echo(f"  {line}", err=True)
    typer.echo(f"recompiled {outcome.compiled}", err=True)


def _register_edge() -> None:
    from aiinfra.cli.catalog_edge import edge

    command(edge)


_register_edge()
