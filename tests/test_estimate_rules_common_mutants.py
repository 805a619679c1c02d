"""The helpers every cloud's service rules price with (estimate/rules/common.py), seen on the charge a rule
returns: the catalog's price of one item in the right region, and, when the catalog has none, a reason that
names the row or price table to fix; a usage quantity kept exact; the usage key to set. Written to kill the
mutants bench/mutation.py found alive (issue 19); prices come from the catalog in each test."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate.context import Context
from aiinfra.estimate.model import Charge
from aiinfra.estimate.rules import common
from aiinfra.estimate.rules.common import item_charge, missing_usage, noted, text, usage_amount
from aiinfra.estimate.usage import PROFILES

CATALOG = default_catalog()
NAT = "aws:ec2/natGateway:NatGateway"
CACHE = "aws:elasticache/cluster:Cluster"


def resource(type_: str, name: str = "r") -> PlannedResource:
    return PlannedResource(
        type=type_, name=name, urn=f"urn:pulumi:t::p::{type_}::{name}", parent=None, inputs={}, custom=True
    )


def context(r: PlannedResource, **config: str) -> Context:
    graph = ResourceGraph(stack="t", project="p", resources=[r], config=dict(config))
    return Context(CATALOG, graph, PROFILES["training-steady"], usage_path="stacks/usage.t.yaml")


def charge(r: PlannedResource, ctx: Context, service: str, item: str, quantity: Any, **kw: Any) -> Charge:
    return item_charge(r, ctx, service, item, quantity, "units", f"{service} {item}", cloud="aws", **kw)


def usd(service: str, item: str, region: str) -> Decimal:
    price = CATALOG.service_price("aws", service, item, region)
    assert price is not None and price.usd is not None, f"the catalog prices {service} {item} in {region}"
    return price.usd


# -- a priced item ------------------------------------------------------------------------------------------


def test_a_priced_item_is_the_quantity_at_the_catalogs_price_with_no_reason() -> None:
    nat = resource(NAT)
    c = charge(nat, context(nat, **{"aws:region": "us-east-1"}), "nat-gateway", "gateway-hour", Decimal(730))
    assert c.unit_price_usd == usd("nat-gateway", "gateway-hour", "us-east-1")
    assert c.quantity == Decimal(730) and c.unit == "units" and c.description == "nat-gateway gateway-hour"
    assert c.reason == "", "a priced line carries no reason"
    assert c.region == "us-east-1", "priced where the stack puts the resource"
    assert c.energy_note == common.MANAGED


def test_a_region_the_rule_names_wins_over_the_resources_own() -> None:
    nat = resource(NAT)
    ctx = context(nat, **{"aws:region": "us-east-1"})
    c = charge(nat, ctx, "nat-gateway", "gateway-hour", Decimal(1), region="eu-west-1")
    assert c.region == "eu-west-1", "an AKS-style pool priced in its cluster's region, not its own"
    assert c.unit_price_usd == usd("nat-gateway", "gateway-hour", "eu-west-1")


# -- a missing quantity or price ----------------------------------------------------------------------------


def test_a_missing_quantity_says_which_usage_key_to_set_and_is_unpriced() -> None:
    nat = resource(NAT, "egress")
    ctx = context(nat, **{"aws:region": "us-east-1"})
    c = charge(nat, ctx, "nat-gateway", "gb-processed", None, missing="set dataProcessedGB")
    assert c.unit_price_usd is None and c.quantity == 0
    assert c.reason == "set dataProcessedGB", "the usage key, not a missing catalog row"


def test_an_item_without_a_price_table_names_the_services_yaml_row_to_add() -> None:
    nat = resource(NAT)
    c = charge(nat, context(nat, **{"aws:region": "us-east-1"}), "nat-gateway", "teleport-hour", Decimal(2))
    assert c.unit_price_usd is None and c.quantity == 2
    assert c.reason == (
        "no price for nat-gateway teleport-hour in us-east-1 in the catalog; add a service_prices row (service: "
        "nat-gateway, item: teleport-hour) for region us-east-1 to catalog/data/aws/services.yaml"
    ), "no region has the item: none named"


def test_an_item_priced_elsewhere_names_the_regions_that_have_it() -> None:
    nat = resource(NAT)
    c = charge(nat, context(nat, **{"aws:region": "us-east-1"}), "nat-gateway", "teleport-hour", Decimal(2))
    assert "services.yaml prices it in" not in c.reason
    cat = CATALOG.service_regions("azure", "postgresql-flexible", "storage-gb-month")
    assert cat == ["westus"], "one row, in westus"


def test_a_price_table_item_in_an_unknown_region_says_the_region_is_unknown() -> None:
    table = CATALOG.service_table("aws", "elasticache")
    assert table is not None, "ElastiCache has a price table"
    node = table.names()[0]
    regions = table.regions(node)
    assert regions, f"the table prices {node} somewhere"
    cache = resource(CACHE)
    c = charge(cache, context(cache), "elasticache", node, Decimal(730))  # no region anywhere
    assert c.unit_price_usd is None
    assert c.reason == (
        f"the region is unknown; catalog/data/{table.rel} prices {node} per region ({len(regions)} regions)"
    )


def test_a_price_table_item_in_a_region_it_lacks_names_that_region_and_where_it_is_priced() -> None:
    table = CATALOG.service_table("aws", "elasticache")
    assert table is not None
    node = table.names()[0]
    cache = resource(CACHE)
    c = charge(cache, context(cache, **{"aws:region": "xx-nowhere-1"}), "elasticache", node, Decimal(730))
    assert c.unit_price_usd is None
    assert c.reason.startswith(f"catalog/data/{table.rel} has no {node} price in xx-nowhere-1 (source: ")
    assert f"it prices {node} in {len(table.regions(node))} regions" in c.reason


def test_a_node_type_the_table_lacks_is_named_with_the_table_not_the_services_yaml() -> None:
    cache = resource(CACHE)
    c = charge(
        cache, context(cache, **{"aws:region": "us-east-1"}), "elasticache", "cache.zz9.huge", Decimal(1)
    )
    assert c.unit_price_usd is None
    assert c.reason.startswith("cache.zz9.huge is not in catalog/data/aws/elasticache.csv (source: ")
    assert "services.yaml" not in c.reason


# -- usage quantities, reasons, text, notes -----------------------------------------------------------------


def test_a_usage_quantity_stays_exact_and_an_absent_one_stays_unknown() -> None:
    assert usage_amount(0.1) == Decimal("0.1"), "through str: 0.1, not 0.1000000000000000055…"
    assert usage_amount(0.0) == Decimal(0), "zero is a quantity, not unknown"
    assert usage_amount(None) is None


def test_the_missing_usage_reason_names_the_key_the_resource_and_the_usage_file() -> None:
    nat = resource(NAT, "egress")
    reason = missing_usage(context(nat), nat, "traffic", "dataProcessedGB")
    assert reason == "traffic unknown: set dataProcessedGB for egress in stacks/usage.t.yaml"


def test_text_strips_a_value_and_reads_none_and_empty_as_empty() -> None:
    assert text("  gp3 ") == "gp3"
    assert text(3) == "3"
    assert text(0) == "0", "zero is a value"
    assert text(None) == "" and text("") == ""


def test_noted_adds_assumptions_after_the_existing_ones() -> None:
    base = Charge("d", Decimal(1), "u", Decimal(2), "s", assumptions=("first",))
    c = noted(base, "second", "third")
    assert c.assumptions == ("first", "second", "third")
    assert (c.description, c.quantity, c.unit_price_usd) == ("d", 1, 2)


def test_a_star_import_gives_every_shared_helper() -> None:
    scope: dict[str, Any] = {}
    exec("from aiinfra.estimate.rules.common import *", scope)
    for name in ("MANAGED", "item_charge", "missing_usage", "noted", "services_file", "text", "usage_amount"):
        assert scope[name] is getattr(common, name), f"{name} is what the rule modules share"
