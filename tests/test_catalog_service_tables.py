"""Service price tables (`<cloud>/<service>.csv`, catalog/load.py `ServiceTable`): the ElastiCache table
answers every (node type, region, engine) it lists, is read only when an ElastiCache price is asked for, yields
to a services.yaml row for the same (item, region), and a malformed table names the file and line."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.catalog.listing import gpu_offers
from aiinfra.catalog.load import (
    DATA_DIR,
    CatalogDataError,
    ServiceTable,
    load_dir,
    load_service_table,
)
from aiinfra.catalog.model import ServicePrice
from aiinfra.catalog.query import Catalog

CATALOG = default_catalog()
DATA = load_dir(DATA_DIR)
TABLE = DATA_DIR / "aws" / "elasticache.csv"
SHIPPED = load_service_table(DATA_DIR, "aws", "elasticache")


def source_rows() -> list[dict[str, str]]:
    """The shipped table's price lines, read with the csv module rather than the catalog's reader."""
    lines = [ln for ln in TABLE.read_text().splitlines() if ln.strip() and ln[0] not in "#@"]
    return list(csv.DictReader(lines))


def test_every_line_of_the_shipped_table_is_what_the_catalog_answers() -> None:
    rows = source_rows()
    assert len(rows) > 1600 and len({r["region"] for r in rows}) >= 30
    suffixes = {"redis": "", "memcached": "/memcached", "valkey": "/valkey"}
    asked = 0
    for row in rows:
        for engine, suffix in suffixes.items():
            found = CATALOG.service_price("aws", "elasticache", row["node_type"] + suffix, row["region"])
            if row[engine]:
                assert found is not None and found.usd == Decimal(row[engine]), (row, engine)
                assert found.region == row["region"] and found.unverified == ("usd",)
                asked += 1
            else:
                assert found is None, f"an empty {engine} price is unpriced, not another engine's: {row}"
    assert SHIPPED is not None and len(SHIPPED.check()) == asked


def test_the_shipped_table_covers_every_engine_and_regions_beyond_the_us() -> None:
    rows = source_rows()
    assert {"eu-west-1", "ap-southeast-2", "sa-east-1", "me-central-1", "af-south-1"} <= {
        r["region"] for r in rows
    }
    assert all(r["redis"] and r["valkey"] for r in rows), "the source prices Redis OSS and Valkey everywhere"
    assert any(not r["memcached"] for r in rows) and sum(bool(r["memcached"]) for r in rows) > 1500
    assert not [r for r in rows if r["region"].endswith("-lax-1")], "a Local Zone is not a region"
    assert not any(r["node_type"] == "cache.t3.micro" and r["region"] == "ap-east-2" for r in rows)


def test_no_elasticache_row_is_left_in_services_yaml() -> None:
    """One place per price: a YAML row would shadow the table's for its (item, region)."""
    assert not [p for p in DATA.get("service_prices") if p.service == "elasticache"]


def test_the_table_is_read_only_when_an_elasticache_price_is_asked_for() -> None:
    calls: list[tuple[str, str]] = []

    def loader(cloud: str, service: str) -> ServiceTable | None:
        calls.append((cloud, service))
        return load_service_table(DATA_DIR, cloud, service)

    catalog = Catalog.from_data(DATA, service_tables=loader)
    catalog.resolve(cloud="aws", region="us-east-1", accelerator="H100", interconnect=True)
    gpu_offers(catalog, accelerator="H100")
    assert catalog.service_price("aws", "eks", "cluster-hour", "*") is not None
    assert calls == [], "GPU queries and '*' prices never look for a table"
    assert catalog.service_price("aws", "elasticache", "cache.m5.large", "eu-west-1") is not None
    assert catalog.service_price("aws", "elasticache", "cache.m5.large/valkey", "ap-southeast-2") is not None
    assert calls == [("aws", "elasticache")], "read once, on the first ElastiCache price"


def test_only_the_services_named_as_tables_are_read(tmp_path: Path) -> None:
    (tmp_path / "aws").mkdir()
    (tmp_path / "aws" / "eks.csv").write_text(HEAD.replace("elasticache", "eks") + "x,us-east-1,1,1,1\n")
    assert load_service_table(tmp_path, "aws", "eks") is None, "eks is not one of SERVICE_TABLES"
    assert load_service_table(tmp_path, "aws", "elasticache") is None, "no file: no table"


HEAD = (
    "# test\n@version 2026-12-05\n@cloud aws\n@service elasticache\n@source s\n@retrieved 2026-12-05\n"
    "node_type,region,redis,memcached,valkey\n"
)


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "aws").mkdir(exist_ok=True)
    (tmp_path / "aws" / "elasticache.csv").write_text(text)
    return tmp_path


def test_a_service_table_row_becomes_one_price_per_engine_with_its_groups_provenance(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        HEAD
        + "cache.a.large,eu-west-1,0.2,0.2,0.16\n@source t\n@retrieved 2026-01-02\n@unverified usd\n"
        + "cache.a.large,us-east-1,0.1,,0.08\n",
    )
    table = load_service_table(root, "aws", "elasticache")
    assert table is not None and table.version == "2026-12-05"
    assert table.price("cache.a.large/valkey", "eu-west-1") == ServicePrice(
        "aws", "elasticache", "cache.a.large/valkey", "eu-west-1", Decimal("0.16"), "s", dt.date(2026, 12, 5)
    )
    east = table.price("cache.a.large", "us-east-1")
    assert east is not None and (east.usd, east.source, east.retrieved, east.unverified) == (
        Decimal("0.1"),
        "t",
        dt.date(2026, 1, 2),
        ("usd",),
    )
    assert table.price("cache.a.large/memcached", "us-east-1") is None, "empty: unpriced, never 0"
    assert table.regions("cache.a.large/memcached") == ["eu-west-1"]
    assert table.regions("cache.a.large") == ["eu-west-1", "us-east-1"]
    assert (
        table.price("cache.a.large", "ap-east-2") is None
        and table.price("cache.b.large", "eu-west-1") is None
    )
    assert table.split("cache.a.large/valkey") == ("cache.a.large", "valkey")
    assert table.split("cache.a.large/redis") == ("cache.a.large/redis", "redis"), "only named columns split"
    assert table.knows("CACHE.A.LARGE") and not table.knows("cache.b.large")
    assert table.sources() == ["s", "t"] and table.names() == ["cache.a.large"]


def test_services_yaml_rows_come_first_then_the_table_then_the_every_region_row(tmp_path: Path) -> None:
    root = write(tmp_path, HEAD + "cache.a.large,eu-west-1,0.2,0.2,0.16\n")
    day = dt.date(2026, 12, 5)
    yaml_row = ServicePrice("aws", "elasticache", "cache.a.large", "eu-west-1", Decimal("0.3"), "yaml", day)
    every = ServicePrice("aws", "elasticache", "cache.a.large/valkey", "*", Decimal("0.5"), "every", day)

    def catalog(*rows: ServicePrice) -> Catalog:
        return Catalog(
            accelerators=[],
            instance_types=[],
            service_prices=rows,
            service_tables=lambda cloud, service: load_service_table(root, cloud, service),
        )

    assert catalog(yaml_row).service_price("aws", "elasticache", "cache.a.large", "eu-west-1") == yaml_row
    from_table = catalog().service_price("aws", "elasticache", "cache.a.large", "eu-west-1")
    assert from_table is not None and (from_table.usd, from_table.source) == (Decimal("0.2"), "s")
    with_every = catalog(every)
    found = with_every.service_price("aws", "elasticache", "cache.a.large/valkey", "eu-west-1")
    assert found is not None and found.usd == Decimal("0.16"), "the region's table row beats the '*' row"
    assert with_every.service_price("aws", "elasticache", "cache.a.large/valkey", "us-east-1") == every
    assert with_every.service_gap("aws", "elasticache", "cache.a.large/valkey", "us-east-1") is None
    assert catalog().service_price("aws", "elasticache", "cache.a.large", "*") is None
    assert (
        Catalog(accelerators=[], instance_types=[]).service_price(
            "aws", "elasticache", "cache.a.large", "eu-west-1"
        )
        is None
    ), "no loader: no table"


def test_the_gap_names_the_table_the_regions_and_the_closest_type(tmp_path: Path) -> None:
    regions = [f"eu-west-{n}" for n in range(1, 9)]
    root = write(tmp_path, HEAD + "".join(f"cache.a.large,{r},0.2,,0.16\n" for r in regions))
    catalog = Catalog(
        accelerators=[],
        instance_types=[],
        service_tables=lambda cloud, service: load_service_table(root, cloud, service),
    )
    gap = catalog.service_gap
    assert gap("aws", "elasticache", "cache.a.large", "eu-west-1") is None
    assert gap("aws", "eks", "cluster-hour", "eu-west-1") is None, "no table: services.yaml is the place"
    assert gap("aws", "elasticache", "cache.a.large", "ap-east-2") == (
        "catalog/data/aws/elasticache.csv has no cache.a.large price in ap-east-2 (source: s); it prices "
        "cache.a.large in 8 regions: eu-west-1, eu-west-2, eu-west-3, eu-west-4, eu-west-5, eu-west-6, …"
    )
    assert gap("aws", "elasticache", "cache.a.large/memcached", "eu-west-1") == (
        "catalog/data/aws/elasticache.csv has no cache.a.large/memcached price in any region (source: s)"
    )
    assert gap("aws", "elasticache", "cache.a.lage", "eu-west-1") == (
        "cache.a.lage is not in catalog/data/aws/elasticache.csv (source: s). Did you mean 'cache.a.large'?"
    )
    assert gap("aws", "elasticache", "cache.a.large", "*") == (
        "the region is unknown; catalog/data/aws/elasticache.csv prices cache.a.large per region (8 regions)"
    )
    assert gap("aws", "elasticache", "zzz", "eu-west-1") == (
        "zzz is not in catalog/data/aws/elasticache.csv (source: s)."
    )


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("cache.a,eu-west-1,0,0,0.1", r"aws/elasticache.csv: line 8 \(cache.a\): redis: a price is positive"),
        ("cache.a,eu-west-1,0.1,-1,0.1", r"line 8 \(cache.a\): memcached: negative value"),
        ("cache.a,eu-west-1,0.1,0.1,abc", r"line 8 \(cache.a\): valkey"),
        ("cache.a,eu-west-1,0.1,0.1,nan", r"line 8 \(cache.a\): valkey"),
        ("cache.a,,0.1,0.1,0.1", r"line 8 \(cache.a\): the region is empty"),
        (
            "cache.a,eu-west-1,0.1",
            r"line 8: expected 5 fields \(node_type,region,redis,memcached,valkey\), found 3",
        ),
        (
            "cache.a,eu-west-1,0.1,0.1,0.1\ncache.a,eu-west-1,0.2,0.2,0.2",
            "line 9: cache.a in eu-west-1 is listed twice",
        ),
        ("@colour red", "line 8: unknown directive @colour"),
    ],
)
def test_a_malformed_service_table_names_the_file_and_line(tmp_path: Path, body: str, error: str) -> None:
    """Structure errors stop the read; a row's values are checked when its key is first used (or by check())."""
    root = write(tmp_path, HEAD + body + "\n")
    with pytest.raises(CatalogDataError, match=error):
        table = load_service_table(root, "aws", "elasticache")
        assert table is not None
        table.check()


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (HEAD.replace("@service elasticache\n", ""), "'@service elasticache' must come before the rows"),
        (HEAD.replace("@service elasticache", "@service rds"), "'@service elasticache' must come before"),
        (HEAD.replace("@cloud aws", "@cloud gcp"), "'@cloud aws' must come before the rows"),
        (
            HEAD.replace("redis,memcached,valkey", "redis,redis"),
            r"line 7: expected the column line '<key>,region",
        ),
        (HEAD.replace("node_type,region,", "node_type,zone,"), r"line 7: expected the column line"),
        (HEAD.replace(",redis,memcached,valkey", ""), r"line 7: expected the column line"),
        (HEAD.replace("@source s\n", "") + "cache.a,eu-west-1,1,1,1\n", "line 7: rows need an @source"),
        (
            HEAD.replace("2026-12-05\nnode", "yesterday\nnode") + "cache.a,eu-west-1,1,1,1\n",
            "line 8: @retrieved",
        ),
        ("@cloud aws\n@service elasticache\n", "no column line"),
    ],
)
def test_a_service_table_with_a_bad_structure_is_refused_when_read(
    tmp_path: Path, text: str, error: str
) -> None:
    root = write(tmp_path, text)
    with pytest.raises(CatalogDataError, match=error):
        load_service_table(root, "aws", "elasticache")


def test_a_bad_row_surfaces_on_the_first_price_of_its_type_not_before(tmp_path: Path) -> None:
    root = write(tmp_path, HEAD + "cache.a,eu-west-1,0.1,0.1,0.1\ncache.b,eu-west-1,0,0.1,0.1\n")
    table = load_service_table(root, "aws", "elasticache")
    assert table is not None
    price = table.price("cache.a", "eu-west-1")
    assert price is not None and price.usd == Decimal("0.1")
    with pytest.raises(CatalogDataError, match=r"line 9 \(cache.b\): redis: a price is positive"):
        table.price("cache.b/valkey", "eu-west-1")
