"""The RDS instance price table (catalog/data/aws/rds-instance.csv, a service table keyed by `class/engine`):
every line is what the catalog answers outside services.yaml's us-east-1 rows, which equal it; each group keeps
its source and date; the 2020 snapshot adds only what the 2025 feed lacks; and the table is read only when an
RDS price is asked for, never by the catalog's first query."""

from __future__ import annotations

import csv
import subprocess
import sys
from decimal import Decimal

from aiinfra.catalog import default_catalog
from aiinfra.catalog.listing import gpu_offers
from aiinfra.catalog.load import DATA_DIR, SERVICE_TABLES, ServiceTable, load_dir, load_service_table
from aiinfra.catalog.query import Catalog

CATALOG = default_catalog()
DATA = load_dir(DATA_DIR)
TABLE = DATA_DIR / "aws" / "rds-instance.csv"
SHIPPED = load_service_table(DATA_DIR, "aws", "rds-instance")
FEED = "hawkFilePublicationDate 2025-04-04"
SNAPSHOT_2020 = "data of 2020-11-15"


def groups() -> list[tuple[str, list[dict[str, str]]]]:
    """(the group's @source, its rows) in file order, read with the csv module, not the catalog's reader."""
    out: list[tuple[str, list[str]]] = []
    header = ""
    for raw in TABLE.read_text().splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        if raw.startswith("@source "):
            out.append((raw.removeprefix("@source "), []))
        elif raw.startswith("@"):
            continue
        elif not header:
            header = raw
        else:
            out[-1][1].append(raw)
    return [(source, list(csv.DictReader([header, *lines]))) for source, lines in out]


def rows() -> list[dict[str, str]]:
    return [row for _, group in groups() for row in group]


def test_the_table_is_one_of_the_service_tables_and_stays_under_the_data_file_limit() -> None:
    assert "rds-instance" in SERVICE_TABLES and SHIPPED is not None
    assert TABLE.stat().st_size < 1024 * 1024


def test_every_line_is_what_the_catalog_answers_and_us_east_1_yaml_rows_equal_it() -> None:
    """Outside the YAML's us-east-1 rows the table's price and provenance are the answer; each YAML row (2024-2026
    sources) names the same price as the table's row for its item, the check the 2025 feed passed."""
    yaml_rows = {(p.item, p.region): p for p in DATA.get("service_prices") if p.service == "rds-instance"}
    assert yaml_rows and {region for _, region in yaml_rows} == {"us-east-1"}, "no '*' rds-instance rows"
    table_rows = {(r["item"], r["region"]): Decimal(r["usd"]) for r in rows()}
    assert len(table_rows) == len(rows()), "one line per (class/engine, region)"
    for key, row in yaml_rows.items():
        assert table_rows[key] == row.usd, f"{key}: services.yaml {row.usd}, table {table_rows[key]}"
    for (item, region), usd in table_rows.items():
        found = CATALOG.service_price("aws", "rds-instance", item, region)
        assert found is not None and found.usd == usd, (item, region)
        if (item, region) not in yaml_rows:
            assert found.region == region and found.unverified == ("usd",)
    assert SHIPPED is not None and len(SHIPPED.check()) == len(table_rows)


def test_each_group_keeps_its_source_and_date_and_the_2020_rows_add_only_what_the_feed_lacks() -> None:
    (feed_source, feed), (old_source, old) = groups()
    assert FEED in feed_source and "OnDemand:PricePerUnit" in feed_source and "Single-AZ" in feed_source
    assert SNAPSHOT_2020 in old_source and "engineCode 2 = MySQL, 14 = PostgreSQL, 18 = MariaDB" in old_source
    assert len(feed) > 5000 and len({r["region"] for r in feed}) >= 29
    assert {r["item"].rsplit("/", 1)[1] for r in feed} == {"mysql", "postgres"}, "the feed has no MariaDB"
    feed_classes = {r["item"].rsplit("/", 1)[0] for r in feed}
    for r in old:
        cls, engine = r["item"].rsplit("/", 1)
        assert engine == "mariadb" or cls not in feed_classes, f"{r}: the 2025 feed prices it"
        assert r["region"] != "us-west-2", "the 2020 file's us-west-2 mixes in the Los Angeles Local Zone"
        assert not cls.startswith(("db.m1.", "db.m2.", "db.m3.", "db.r3.", "db.t1.")), "retired classes"
    assert {r["item"].rsplit("/", 1)[0].rsplit(".", 1)[0] for r in old} - {
        c.rsplit(".", 1)[0] for c in feed_classes
    } == {"db.t2", "db.m4", "db.r4"}
    old_source_of = CATALOG.service_price("aws", "rds-instance", "db.t2.micro/mysql", "eu-west-1")
    assert old_source_of is not None and SNAPSHOT_2020 in old_source_of.source


def test_the_regions_programs_use_are_priced_for_the_common_classes() -> None:
    for region in ("eu-west-1", "ap-southeast-2", "eu-central-1", "ap-northeast-1", "sa-east-1", "us-west-2"):
        for item in (
            "db.t3.micro/mysql",
            "db.t4g.micro/postgres",
            "db.m5.large/postgres",
            "db.r6g.large/mysql",
        ):
            assert CATALOG.service_price("aws", "rds-instance", item, region) is not None, (item, region)
    assert CATALOG.service_price("aws", "rds-instance", "db.t3.micro/mysql", "mx-central-1") is None, (
        "a region neither source lists is unpriced, not the US price"
    )
    assert CATALOG.service_price("aws", "rds-instance", "db.t3.micro/oracle-se2", "eu-west-1") is None


def test_the_table_is_read_only_when_an_rds_instance_price_is_asked_for() -> None:
    calls: list[tuple[str, str]] = []

    def loader(cloud: str, service: str) -> ServiceTable | None:
        calls.append((cloud, service))
        return load_service_table(DATA_DIR, cloud, service)

    catalog = Catalog.from_data(DATA, service_tables=loader)
    catalog.resolve(cloud="aws", region="us-east-1", accelerator="H100", interconnect=True)
    gpu_offers(catalog, accelerator="H100")
    assert catalog.service_price("aws", "rds-storage", "gp3", "ap-southeast-2") is not None
    assert catalog.service_price("aws", "elasticache", "cache.m5.large", "eu-west-1") is not None
    assert ("aws", "rds-instance") not in calls, "GPU queries, storage and ElastiCache never read it"
    assert catalog.service_price("aws", "rds-instance", "db.t3.micro/mysql", "eu-west-1") is not None
    assert catalog.service_price("aws", "rds-instance", "db.m5.large/postgres", "ap-southeast-2") is not None
    assert calls.count(("aws", "rds-instance")) == 1, "read once, on the first RDS instance price"


def test_the_first_query_in_a_fresh_process_never_opens_the_rds_table() -> None:
    code = (
        "import sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == 'open' else None)\n"
        "from aiinfra.catalog import default_catalog\n"
        "from aiinfra.catalog.listing import gpu_offers\n"
        "rows = gpu_offers(default_catalog(), accelerator='H100')\n"
        "print(len(rows) > 0, any(p.endswith('rds-instance.csv') for p in opened))\n"
        "default_catalog().service_price('aws', 'rds-instance', 'db.t3.micro/mysql', 'eu-west-1')\n"
        "print(any(p.endswith('rds-instance.csv') for p in opened))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False", "True"], out.stdout + out.stderr
