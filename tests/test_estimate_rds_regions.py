"""RDS outside us-east-1 (estimate/rules/aws_services.py with catalog/data/aws/rds-instance.csv): the program
tests/programs/aws-rds-regions (db.t3.micro MySQL and db.m5.large PostgreSQL in eu-west-1 from the stack and
in ap-southeast-2 through a provider) estimated through the real CLI, each line's amount computed here from the
table row it must use; and the unpriced reasons, worded as EC2's, naming where a class is priced."""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import Any

from aiinfra.catalog.load import DATA_DIR
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.rules.aws_services import MULTI_AZ, priced_in
from aiinfra.estimate.usage import UsageFile
from tests.conftest import line
from tests.programs.expected import CATALOG, HOURS, PROGRAMS, Expect, check_lines, estimate_json, line_of

RDS = "aws:rds/instance:Instance"
D = Decimal


def table_price(item: str, region: str) -> Decimal | None:
    """The price rds-instance.csv lists for `item` in `region`, read with the csv module (None: no line)."""
    text = (DATA_DIR / "aws" / "rds-instance.csv").read_text().splitlines()
    lines = [ln for ln in text if ln.strip() and ln[0] not in "#@"]
    found = [r["usd"] for r in csv.DictReader(lines) if (r["item"], r["region"]) == (item, region)]
    assert len(found) <= 1, f"{item} {region} listed twice"
    return Decimal(found[0]) if found else None


def yaml_price(service: str, item: str, region: str) -> tuple[Decimal, str]:
    """services.yaml's price of a storage item for `region`: its own row, else the '*' row (the US rate)."""
    row = CATALOG.service_price("aws", service, item, region)
    assert row is not None, f"{service} {item}"
    assert row.region in (region, "*") and row.usd is not None
    return row.usd, row.region


def test_the_two_region_program_is_priced_from_each_region_s_row() -> None:
    doc = estimate_json(PROGRAMS / "aws-rds-regions", "-s", "dev")
    eu, au = "eu-west-1", "ap-southeast-2"
    micro_eu, micro_au = table_price("db.t3.micro/mysql", eu), table_price("db.t3.micro/mysql", au)
    m5_eu, m5_au = table_price("db.m5.large/postgres", eu), table_price("db.m5.large/postgres", au)
    assert None not in (micro_eu, micro_au, m5_eu, m5_au) and micro_eu != micro_au and m5_eu != m5_au
    assert table_price("db.x2g.large/postgres", au) is None, "the class this program leaves unpriced"
    gp2_eu, where = yaml_price("rds-storage", "gp2", eu)
    assert where == eu
    gp3_eu, _ = yaml_price("rds-storage", "gp3", eu)
    gp2_au, where = yaml_price("rds-storage", "gp2", au)
    assert where == "*", "no Sydney RDS storage row: the us-east-1 rate"
    gp3_au, _ = yaml_price("rds-storage", "gp3", au)
    iops_au, _ = yaml_price("rds-iops", "gp3", au)
    check_lines(
        doc,
        [
            Expect("shop", RDS, "instance-hours", HOURS, micro_eu),
            Expect("shop", RDS, "GB-months", D(20), gp2_eu),
            # Multi-AZ: primary and standby hours, two copies of storage
            Expect("ledger", RDS, "instance-hours", 2 * HOURS, m5_eu),
            Expect("ledger", RDS, "GB-months", D(200), gp3_eu),
            Expect("shop-au", RDS, "instance-hours", HOURS, micro_au),
            Expect("shop-au", RDS, "GB-months", D(20), gp2_au),
            Expect("ledger-au", RDS, "instance-hours", HOURS, m5_au),
            Expect("ledger-au", RDS, "GB-months", D(100), gp3_au),
            Expect("ledger-au", RDS, "IOPS-months", D(1000), iops_au),  # 4,000 - the 3,000 gp3 includes
            Expect(
                "analytics-au",
                RDS,
                "instance-hours",
                HOURS,
                None,
                "RDS db.x2g.large (postgres) is not offered in ap-southeast-2 in this catalog; priced in eu-west-1",
            ),
            Expect("analytics-au", RDS, "GB-months", D(50), gp3_au),
        ],
    )
    assert {ln["region"] for ln in doc["lines"] if ln["resource"].endswith("-au")} == {au}
    assert {ln["region"] for ln in doc["lines"] if not ln["resource"].endswith("-au")} == {eu}
    assert MULTI_AZ in line_of(doc, "ledger", "instance-hours")["assumptions"]
    assert "2025-04-04" in line_of(doc, "shop-au", "instance-hours")["source"]
    us_rate = "no RDS gp2 storage price for ap-southeast-2 in the catalog: the us-east-1 rate (usually lower)"
    assert us_rate in line_of(doc, "shop-au", "GB-months")["assumptions"]
    assert not [a for a in line_of(doc, "shop", "GB-months")["assumptions"] if "us-east-1 rate" in a]
    iops_note = "no RDS gp3 IOPS price for ap-southeast-2 in the catalog: the us-east-1 rate (usually lower)"
    assert iops_note in line_of(doc, "ledger-au", "IOPS-months")["assumptions"]


def run(*resources: PlannedResource, region: str) -> Any:
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config={"aws:region": region})
    return estimate(graph, CATALOG, usage=UsageFile(resources={}), usage_path="stacks/usage.t.yaml")


def db(name: str, instance_class: str, engine: str) -> PlannedResource:
    return PlannedResource(
        type=RDS,
        name=name,
        urn=f"urn:pulumi:t::p::{RDS}::{name}",
        parent=None,
        inputs={"instanceClass": instance_class, "engine": engine, "allocatedStorage": 20},
        custom=True,
    )


def test_a_region_the_table_does_not_list_names_where_the_class_is_priced_as_ec2_does() -> None:
    table = CATALOG.service_table("aws", "rds-instance")
    assert table is not None
    regions = table.regions("db.t3.micro/mysql")
    assert len(regions) > 5 and "mx-central-1" not in regions
    hours = line(run(db("db", "db.t3.micro", "mysql"), region="mx-central-1"), "db", "instance-hours")
    assert hours.monthly_cost_usd is None
    assert hours.reason == (
        "RDS db.t3.micro (mysql) is not offered in mx-central-1 in this catalog; priced in "
        f"{', '.join(regions[:5])} and {len(regions) - 5} more regions"
    )


def test_the_priced_in_wording_is_ec2_s() -> None:
    """An EC2 machine's reason and an RDS class's end the same way for the same list of regions."""
    offers = [o for o in CATALOG.offers(cloud="aws") if o.instance_type == "p5.48xlarge" and o.on_demand]
    regions = sorted({o.region for o in offers})
    missing = next(r for r in CATALOG.regions("aws") if r not in regions)
    reason = CATALOG.unpriced_reason("p5.48xlarge", missing, "on_demand")
    assert reason is not None and len(regions) > 5
    assert reason == f"p5.48xlarge is not offered in {missing} in this catalog{priced_in(regions)}"
    assert priced_in(["a", "b"]) == "; priced in a, b" and priced_in([]) == ""


def test_an_engine_the_table_has_no_price_for_names_the_engines_it_prices() -> None:
    hours = line(run(db("db", "db.t4g.micro", "mariadb"), region="eu-west-1"), "db", "instance-hours")
    assert hours.monthly_cost_usd is None
    assert hours.reason == (
        "RDS db.t4g.micro has no mariadb price in this catalog "
        "(catalog/data/aws/rds-instance.csv prices it for mysql, postgres)"
    )


def test_mariadb_and_previous_generation_classes_come_from_the_2020_snapshot_and_say_so() -> None:
    result = run(db("maria", "db.t3.micro", "mariadb"), db("old", "db.t2.micro", "mysql"), region="eu-west-1")
    for name, item in (("maria", "db.t3.micro/mariadb"), ("old", "db.t2.micro/mysql")):
        hours = line(result, name, "instance-hours")
        usd = table_price(item, "eu-west-1")
        assert usd is not None and hours.unit_price_usd == usd and hours.monthly_cost_usd == usd * HOURS
        assert "data of 2020-11-15" in hours.source


def test_without_a_region_the_reason_says_so_and_the_storage_line_takes_the_every_region_row() -> None:
    graph = ResourceGraph(stack="t", project="p", resources=[db("db", "db.t3.micro", "mysql")], config={})
    result = estimate(graph, CATALOG, usage=UsageFile(resources={}), usage_path="stacks/usage.t.yaml")
    table = CATALOG.service_table("aws", "rds-instance")
    assert table is not None
    regions = table.regions("db.t3.micro/mysql")
    hours = line(result, "db", "instance-hours")
    assert hours.monthly_cost_usd is None and hours.reason == (
        "the region is unknown; RDS db.t3.micro (mysql) is priced per region; priced in "
        f"{', '.join(regions[:5])} and {len(regions) - 5} more regions"
    )
    storage = line(result, "db", "GB-months")
    every, where = yaml_price("rds-storage", "gp2", "*")
    assert where == "*" and storage.unit_price_usd == every
    assert not [a for a in storage.assumptions if "us-east-1 rate" in a], "no region to name: no such note"


def test_a_class_no_source_knows_and_nothing_close_to_it_says_only_that() -> None:
    hours = line(run(db("db", "zz-nothing", "postgres"), region="eu-west-1"), "db", "instance-hours")
    assert (
        hours.reason
        == "zz-nothing is not an RDS instance class in this catalog (catalog/data/aws/rds-instance.csv)"
    )
