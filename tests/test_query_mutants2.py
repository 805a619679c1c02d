"""catalog/query.py after its "priced in" regions, second measured run: the offers of one instance type
filtered by accelerator, as `Catalog.offers` answers them. Written to kill the mutants bench/mutation.py found
alive in the module's new sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.catalog.load import load_service_table
from aiinfra.catalog.query import Catalog, CatalogLookupError

CATALOG = default_catalog()


def test_the_offers_of_an_instance_type_keep_to_the_accelerator_asked_for() -> None:
    every = CATALOG.offers(instance_type="p5.48xlarge")
    assert len(every) > 1 and {o.instance_type for o in every} == {"p5.48xlarge"}
    assert CATALOG.offers(instance_type="p5.48xlarge", accelerator="H100") == every
    assert CATALOG.offers(instance_type="p5.48xlarge", accelerator="h100") == every, "any case"
    assert CATALOG.offers(instance_type="p5.48xlarge", accelerator="A100") == []
    assert CATALOG.offers(instance_type="m7i.xlarge", accelerator="H100") == [], "a CPU machine has none"


def test_a_cpu_machine_has_no_accelerator_power_and_a_gpu_machine_its_boards() -> None:
    assert CATALOG.accelerator_power(CATALOG.instance_type("m7i.xlarge")) == (0, 0)
    h100 = CATALOG.accelerator("H100")
    idle, peak = CATALOG.accelerator_power(CATALOG.instance_type("p5.48xlarge"))
    assert 0 < idle < peak and (idle, peak) == (h100.power_idle_w, h100.power_max_w)


def test_a_cpu_machine_of_the_main_catalog_is_offered_where_only_the_general_table_prices_it() -> None:
    """m7i.xlarge is in the main catalog for three US regions; the general table fills in the others."""
    regions = [o.region for o in CATALOG.offers(instance_type="m7i.xlarge")]
    assert {"us-east-1", "us-east-2", "us-west-2", "ap-northeast-1", "eu-north-1"} <= set(regions)
    assert regions == sorted(regions) and len(regions) > 20
    tokyo = CATALOG.offer("m7i.xlarge", "ap-northeast-1")
    assert tokyo is not None and tokyo.on_demand is not None and tokyo.on_demand > 0
    assert CATALOG.unpriced_reason("m7i.xlarge", "ap-northeast-1", "on_demand") is None


def test_a_type_not_offered_in_a_region_names_only_the_regions_where_it_has_a_price() -> None:
    """g6e.xlarge is offered in eu-west-2 without a price (a region list, no feed row): the reason for a
    region that does not offer it names the priced regions only, never eu-west-2."""
    offers = CATALOG.offers(instance_type="g6e.xlarge")
    priced = sorted(o.region for o in offers if o.on_demand is not None)
    unpriced = [o.region for o in offers if o.on_demand is None]
    assert unpriced == ["eu-west-2"] and len(priced) > 5 and "sa-east-1" not in priced
    assert CATALOG.unpriced_reason("g6e.xlarge", "eu-west-2", "on_demand") is not None
    reason = CATALOG.unpriced_reason("g6e.xlarge", "sa-east-1", "on_demand")
    assert reason == (
        f"g6e.xlarge is not offered in sa-east-1 in this catalog; priced in {', '.join(priced[:5])} and "
        f"{len(priced) - 5} more regions"
    )


def test_a_service_price_gap_says_where_the_table_prices_the_item() -> None:
    """ElastiCache has a price table (catalog/data/aws/elasticache.csv): a missing price names the table,
    its source and the regions that have one; a priced item and a service without a table give no gap."""
    table = CATALOG.service_table("aws", "elasticache")
    assert table is not None
    sources = "; ".join(table.sources())
    regions = table.regions("cache.r7g.large")
    assert len(regions) > 6
    assert CATALOG.service_gap("aws", "elasticache", "cache.r7g.large", "mars-1") == (
        f"catalog/data/aws/elasticache.csv has no cache.r7g.large price in mars-1 (source: {sources}); "
        f"it prices cache.r7g.large in {len(regions)} regions: {', '.join(regions[:6])}, …"
    )
    assert CATALOG.service_gap("aws", "elasticache", "cache.r7g.large", "*") == (
        "the region is unknown; catalog/data/aws/elasticache.csv prices cache.r7g.large per region "
        f"({len(regions)} regions)"
    )
    assert CATALOG.service_gap("aws", "elasticache", "cache.r6gd.xlarge/memcached", "us-east-1") == (
        f"catalog/data/aws/elasticache.csv has no cache.r6gd.xlarge/memcached price in any region (source: {sources})"
    )
    assert CATALOG.service_gap("aws", "elasticache", "cache.r7g.large", "us-east-1") is None
    assert CATALOG.service_gap("aws", "no-such-service", "x", "us-east-1") is None


def test_a_node_pool_with_neither_accelerator_nor_instance_type_is_told_how_to_set_one() -> None:
    with pytest.raises(CatalogLookupError) as err:
        CATALOG.resolve(cloud="aws", region="us-east-1")
    assert err.value.fix == "Set accelerator (e.g. H100) or instanceType (e.g. p5.48xlarge)."


@pytest.mark.parametrize(("count", "tail"), [(6, ""), (7, ", …")])
def test_a_gap_lists_six_regions_and_marks_a_seventh_with_an_ellipsis(
    tmp_path: Path, count: int, tail: str
) -> None:
    (tmp_path / "aws").mkdir()
    (tmp_path / "aws" / "elasticache.csv").write_text(
        "# test\n@version 2026-12-05\n@cloud aws\n@service elasticache\n@source s\n@retrieved 2026-12-05\n"
        "node_type,region,redis,memcached,valkey\n"
        + "".join(f"cache.a.large,eu-west-{n},0.2,,0.16\n" for n in range(1, count + 1))
    )
    catalog = Catalog(
        accelerators=[],
        instance_types=[],
        service_tables=lambda cloud, service: load_service_table(tmp_path, cloud, service),
    )
    shown = ", ".join(f"eu-west-{n}" for n in range(1, 7))
    assert catalog.service_gap("aws", "elasticache", "cache.a.large", "ap-east-2") == (
        "catalog/data/aws/elasticache.csv has no cache.a.large price in ap-east-2 (source: s); it prices "
        f"cache.a.large in {count} regions: {shown}{tail}"
    )


def test_an_instance_type_of_another_accelerator_is_answered_with_each_type_that_carries_it() -> None:
    with pytest.raises(CatalogLookupError) as err:
        CATALOG.resolve(cloud="aws", region="us-east-1", instance_type="p5.48xlarge", accelerator="L4")
    l4 = [t.name for t in CATALOG.instance_types(cloud="aws", accelerator="L4")]
    assert len(l4) > 1
    assert err.value.message == "instance type p5.48xlarge carries H100, not L4."
    assert err.value.fix == f"Drop one of the two, or use an instance type with L4: {', '.join(l4)}."
