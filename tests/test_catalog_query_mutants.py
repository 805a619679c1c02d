"""The catalog query API (catalog/query.py) on the shipped catalog: what `storage_prices`, `resolve`,
`offers`, `unpriced_reason` and `default_catalog` give a caller, including the cases bench/mutation.py
found untested (a cloud filter that returns nothing, an instance type and an accelerator that disagree, the
`AIINFRA_CATALOG_DIR` override)."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aiinfra.catalog import Catalog, default_catalog
from aiinfra.catalog.load import DATA_DIR, load_dir
from aiinfra.catalog.model import PURCHASE_OPTIONS, AcceleratorPrice, Offer
from aiinfra.catalog.query import CATALOG_DIR_ENV, CatalogLookupError, did_you_mean

CATALOG = default_catalog()
D = Decimal
DAY = dt.date(2026, 1, 1)


@pytest.mark.parametrize("cloud", ["aws", "gcp", "azure"])
def test_storage_prices_for_a_cloud_are_that_clouds_and_not_empty(cloud: str) -> None:
    prices = CATALOG.storage_prices(cloud=cloud)
    assert prices, f"the shipped catalog prices {cloud} storage"
    assert {p.cloud for p in prices} == {cloud}
    assert len(CATALOG.storage_prices()) == sum(
        len(CATALOG.storage_prices(cloud=c)) for c in ("aws", "gcp", "azure")
    )


def test_an_instance_type_and_an_accelerator_that_disagree_are_refused_with_the_types_that_match() -> None:
    with pytest.raises(CatalogLookupError) as err:
        CATALOG.resolve(cloud="aws", region="us-east-1", accelerator="A100", instance_type="p5.48xlarge")
    assert err.value.message == "instance type p5.48xlarge carries H100, not A100."
    a100 = [t.name for t in CATALOG.instance_types(cloud="aws", accelerator="A100")]
    assert (
        a100
        and err.value.fix == f"Drop one of the two, or use an instance type with A100: {', '.join(a100)}."
    )


def test_an_instance_type_with_its_own_accelerator_resolves_whatever_the_case() -> None:
    t = CATALOG.resolve(cloud="aws", region="us-east-1", accelerator="h100", instance_type="P5.48xlarge")
    assert t.name == "p5.48xlarge" and t.accelerator == "H100"


def test_a_cpu_only_instance_type_is_refused_for_a_node_pool_with_gpu_examples() -> None:
    with pytest.raises(CatalogLookupError) as err:
        CATALOG.resolve(cloud="aws", region="us-east-1", instance_type="m7i.large")
    assert err.value.message == "m7i.large has no accelerator; a node pool here is for GPUs or TPUs."
    examples = err.value.fix.removeprefix("Use a GPU instance type, e.g. ").split(", or set")[0].split(", ")
    assert 0 < len(examples) <= 6, err.value.fix
    for name in examples:
        assert CATALOG.instance_type(name).accelerator is not None, f"{name} is a GPU type"
        assert CATALOG.offer(name, "us-east-1") is not None, f"{name} is offered in us-east-1"


def test_a_node_pool_needs_an_accelerator_or_an_instance_type() -> None:
    with pytest.raises(CatalogLookupError) as err:
        CATALOG.resolve(cloud="aws", region="us-east-1")
    assert err.value.message == "a node pool needs an accelerator or an instance type."


def test_an_accelerator_the_cloud_does_not_offer_lists_the_ones_it_does() -> None:
    with pytest.raises(CatalogLookupError) as err:
        CATALOG.resolve(cloud="aws", region="us-east-1", accelerator="TPU-v5p")
    assert err.value.message == "TPU-v5p is not offered on aws in this catalog."
    assert "H100" in err.value.fix and "TPU" not in err.value.fix, err.value.fix


def test_an_unknown_instance_type_on_a_cloud_suggests_that_clouds_closest_name() -> None:
    with pytest.raises(CatalogLookupError) as err:
        CATALOG.instance_type("p5.48xlarg", cloud="aws")
    assert err.value.message == "unknown instance type 'p5.48xlarg' on aws."
    assert err.value.fix.startswith("Did you mean 'p5.48xlarge'? Valid: ")
    with pytest.raises(CatalogLookupError) as other_cloud:
        CATALOG.instance_type("p5.48xlarge", cloud="gcp")
    assert other_cloud.value.message == "unknown instance type 'p5.48xlarge' on gcp."
    assert "p5.48xlarge" not in other_cloud.value.fix, "only gcp's types are valid on gcp"
    assert CATALOG.instance_type("p5.48xlarge").cloud == "aws", "without a cloud any cloud's type is found"


def test_did_you_mean_offers_nothing_when_nothing_is_close() -> None:
    assert did_you_mean("zzzzzz", ["H100", "A100"]) == "Valid: A100, H100."
    assert did_you_mean("h10", ["H100", "A100"]).startswith("Did you mean 'H100'? ")


def test_offers_filter_by_cloud_region_and_accelerator_together() -> None:
    h100_east = CATALOG.offers(cloud="aws", region="us-east-1", accelerator="h100")
    assert h100_east and {o.region for o in h100_east} == {"us-east-1"}
    assert all(CATALOG.instance_type(o.instance_type).accelerator == "H100" for o in h100_east)
    assert "p5.48xlarge" in {o.instance_type for o in h100_east}
    everywhere = CATALOG.offers(instance_type="P5.48xlarge")
    assert len(everywhere) > len([o for o in everywhere if o.region == "us-east-1"]), "more than one region"
    assert [o.region for o in everywhere] == sorted(o.region for o in everywhere), "offers are by region"
    assert CATALOG.offers(cloud="gcp", instance_type="p5.48xlarge") == []


def test_unpriced_reason_says_when_a_type_is_not_offered_in_the_region() -> None:
    priced = sorted(
        {o.region for o in CATALOG.offers(instance_type="p5.48xlarge") if o.on_demand is not None}
    )
    assert len(priced) > 5, "the test needs a type priced in more regions than the reason lists"
    assert CATALOG.unpriced_reason("p5.48xlarge", "mars-1", "on_demand") == (
        f"p5.48xlarge is not offered in mars-1 in this catalog; priced in {', '.join(priced[:5])} "
        f"and {len(priced) - 5} more regions"
    )
    # one priced in a few regions names them all; a type priced nowhere says only that
    few = sorted(
        {
            o.region
            for o in CATALOG.offers(instance_type="p6-b200.48xlarge")
            if any(o.price(option) is not None for option in PURCHASE_OPTIONS)
        }
    )
    assert 1 < len(few) <= 5, few
    assert CATALOG.unpriced_reason("p6-b200.48xlarge", "mars-1", "on_demand") == (
        f"p6-b200.48xlarge is not offered in mars-1 in this catalog; priced in {', '.join(few)}"
    )
    assert CATALOG.unpriced_reason("no-such.type", "us-east-1", "on_demand") == (
        "no-such.type is not offered in us-east-1 in this catalog"
    )
    assert CATALOG.unpriced_reason("p5.48xlarge", "us-east-1", "on_demand") is None
    offer = CATALOG.offer("p5.48xlarge", "us-east-1")
    assert offer is not None and offer.commit_1y is None
    assert CATALOG.unpriced_reason("p5.48xlarge", "us-east-1", "commit_1y") == (
        f"no commit-1y price published for p5.48xlarge in us-east-1 (catalog {offer.retrieved.isoformat()})"
    )


def test_an_unknown_region_is_refused_with_a_suggestion() -> None:
    with pytest.raises(CatalogLookupError) as err:
        CATALOG.check_region("aws", "us-east-9")
    assert err.value.message == "unknown aws region 'us-east-9'."
    assert "us-east-1" in err.value.fix
    CATALOG.check_region("aws", "us-east-1")  # a known region passes: no exception


def test_the_catalog_version_is_its_newest_file_version() -> None:
    assert CATALOG.versions, "the shipped catalog records file versions"
    assert CATALOG.version == max(CATALOG.versions.values())
    assert Catalog(accelerators=[], instance_types=[]).version == "", "an empty catalog has no version"


def test_aiinfra_catalog_dir_points_default_catalog_at_another_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    offers = data / "aws" / "offers.yaml"
    anchor = "region: us-east-1\n    billing: instance\n    on_demand: 55.04"
    assert anchor in offers.read_text(), "fixture anchor moved"
    offers.write_text(offers.read_text().replace(anchor, anchor.replace("55.04", "77.5"), 1))
    monkeypatch.setenv(CATALOG_DIR_ENV, str(data))
    other = default_catalog()
    assert str(other.offer("p5.48xlarge", "us-east-1").on_demand) == "77.5", "the directory's data is used"  # type: ignore[union-attr]
    assert default_catalog() is other, "loaded once per process"
    monkeypatch.delenv(CATALOG_DIR_ENV)
    assert str(default_catalog().offer("p5.48xlarge", "us-east-1").on_demand) == "55.04", (
        "unset: the shipped one"
    )  # type: ignore[union-attr]


def test_a_lookup_error_reads_as_its_message_and_fix_where_it_is_printed_whole() -> None:
    """A component that resolves a pool inside a user's own Pulumi program (`infra plan --program`) lets
    the error through: Python and Pulumi print its text, which must carry the fix too."""
    with pytest.raises(CatalogLookupError) as err:
        CATALOG.accelerator("H1000")
    assert err.value.message == "unknown accelerator 'H1000'."
    assert str(err.value) == f"unknown accelerator 'H1000'. {err.value.fix}"
    assert err.value.fix.startswith("Did you mean 'H100'? Valid: "), err.value.fix


def _sku_row(billing: str) -> tuple[Any, Any]:
    """The first shipped GCP offer of `billing` whose accelerator SKU has an on-demand price, with that SKU,
    both as the data files give them (before the catalog completes the offer)."""
    data = load_dir(DATA_DIR)
    skus = {(p.cloud, p.accelerator.lower(), p.region): p for p in data.get("accelerator_prices")}
    for o in data.get("offers"):
        t = CATALOG.instance_type(o.instance_type)
        sku = skus.get((o.cloud, (t.accelerator or "").lower(), o.region))
        host_priced = billing == "per-accelerator" or o.on_demand is not None
        if o.billing == billing and sku is not None and sku.on_demand is not None and host_priced:
            return o, sku
    raise AssertionError(f"the shipped catalog has a priced {billing} row")


def test_a_machine_billed_as_host_plus_gpus_costs_the_host_plus_every_gpu() -> None:
    raw, sku = _sku_row("host+accelerators")
    t = CATALOG.instance_type(raw.instance_type)
    offer = CATALOG.offer(raw.instance_type, raw.region)
    assert offer is not None and offer.on_demand == raw.on_demand + t.accelerator_count * sku.on_demand
    assert offer.note == f"host + {t.accelerator_count} × {t.accelerator} SKU ({sku.source})"


def test_a_tpu_machine_billed_per_chip_costs_every_chip() -> None:
    raw, sku = _sku_row("per-accelerator")
    t = CATALOG.instance_type(raw.instance_type)
    offer = CATALOG.offer(raw.instance_type, raw.region)
    assert offer is not None and offer.on_demand == t.accelerator_count * sku.on_demand
    assert offer.note == f"{t.accelerator_count} × {t.accelerator} chip-hour ({sku.source})"


def test_without_the_gpu_sku_a_host_price_is_not_the_machines_price() -> None:
    machine = CATALOG.instance_type("a2-highgpu-1g")
    assert machine.accelerator == "A100" and machine.accelerator_count == 1
    host = Offer("gcp", machine.name, "r1", "test sheet", DAY, billing="host+accelerators", on_demand=D("1"))
    sku = AcceleratorPrice("gcp", "A100", "r1", "sku sheet", DAY, on_demand=D("3"), spot=D("2"))
    alone = Catalog(accelerators=CATALOG.accelerators, instance_types=[machine], offers=[host])
    unpriced = alone.offer(machine.name, "r1")
    assert unpriced is not None and unpriced.on_demand is None, "unpriced, never the host alone"
    assert unpriced.note == "no A100 price in r1: unpriced (the host alone is not the machine's price)"
    assert alone.unpriced_reason(machine.name, "r1", "on_demand") == unpriced.note
    priced = Catalog(
        accelerators=CATALOG.accelerators, instance_types=[machine], offers=[host], accelerator_prices=[sku]
    ).offer(machine.name, "r1")
    assert priced is not None and priced.on_demand == D("4")
    assert priced.spot is None, "no host spot price: the machine's spot price is unknown, not the GPU's alone"


def test_a_region_without_gpu_offers_is_still_a_region_and_its_zones_are_checked() -> None:
    offered = {o.region for o in CATALOG.offers(cloud="aws")}
    quiet = sorted(set(CATALOG.regions("aws")) - offered)
    assert quiet, "regions.yaml lists AWS regions that sell no GPU in this catalog"
    CATALOG.check_region("aws", quiet[0])  # a known region: no exception
    region = CATALOG.region("aws", "us-east-1")
    assert region is not None and "us-east-1a" in region.zones
    CATALOG.check_zone("aws", "us-east-1", "us-east-1a")
    with pytest.raises(CatalogLookupError) as err:
        CATALOG.check_zone("aws", "us-east-1", "us-east-1z")
    assert err.value.message == "'us-east-1z' is not a zone of us-east-1."
    assert err.value.fix == f"Zones of us-east-1: {', '.join(region.zones)}; or leave zone out."
    CATALOG.check_zone("aws", "mars-1", "mars-1a")  # a region whose zones are not recorded: not checked


def test_the_shipped_catalog_answers_from_every_section_of_its_data_files() -> None:
    """Each section the data directory holds is what the catalog's lookups return (a section lost on the
    way is a region with no PUE, a storage line with no price, a Kubernetes version nobody checks)."""
    data = load_dir(DATA_DIR)
    for pue in data.get("pue"):
        assert CATALOG.pue(pue.cloud, pue.region) == pue
    for grid in data.get("grid"):
        assert CATALOG.grid(grid.cloud, grid.region) == grid
    assert sorted(map(repr, CATALOG.storage_prices())) == sorted(map(repr, data.get("storage_prices")))
    for curve in data.get("instance_curves"):
        assert CATALOG.power_curve(curve.instance_type) == curve
    for host in data.get("host_power"):
        assert CATALOG.host_power(host.cloud) == host
    for price in data.get("service_prices"):
        assert CATALOG.service_price(price.cloud, price.service, price.item, price.region) == price
    for media in data.get("storage_power"):
        assert CATALOG.storage_power(media.media) == media
    assert [CATALOG.embodied_coefficients()] == data.get("embodied")
    versions = [v for v in data.get("kubernetes_versions") if v.cloud == "aws"]
    assert versions and CATALOG.kubernetes_versions("aws") == sorted(
        versions, key=lambda v: tuple(int(part) for part in v.version.split("."))
    ), "EKS's calendar, oldest version first"


def test_an_accelerator_resolves_to_its_largest_machine_and_to_one_with_the_fabric_only_when_asked() -> None:
    import dataclasses

    p5 = CATALOG.instance_type("p5.48xlarge")
    big = dataclasses.replace(p5, name="big.48x", fabric="none", fabric_gbps=0, efa_cards=0)
    fab = dataclasses.replace(p5, name="fab.24x", accelerator_count=4)
    catalog = Catalog(
        accelerators=CATALOG.accelerators,
        instance_types=[big, fab],
        offers=[Offer("aws", t.name, "us-east-1", "test sheet", DAY, on_demand=D("1")) for t in (big, fab)],
    )
    assert catalog.resolve(cloud="aws", region="us-east-1", accelerator="H100").name == "big.48x", (
        "without interconnect the most GPUs win, fabric or not"
    )
    assert catalog.resolve(cloud="aws", region="us-east-1", accelerator="H100", interconnect=True).name == (
        "fab.24x"
    ), "on the interconnect only a machine with the fabric will do"


def test_a_cloud_with_no_fabric_machine_of_that_kind_says_a_low_latency_fabric() -> None:
    import dataclasses

    p5 = CATALOG.instance_type("p5.48xlarge")
    big = dataclasses.replace(p5, name="big.48x", fabric="none", fabric_gbps=0, efa_cards=0)
    offer = Offer("aws", "big.48x", "us-east-1", "test sheet", DAY, on_demand=D("1"))
    catalog = Catalog(accelerators=CATALOG.accelerators, instance_types=[big], offers=[offer])
    with pytest.raises(CatalogLookupError) as err:
        catalog.resolve(cloud="aws", region="us-east-1", accelerator="H100", interconnect=True)
    assert err.value.message == (
        "big.48x is not offered with a low-latency fabric, so it cannot join the low-latency interconnect."
    )
    assert err.value.fix == "Set interconnect: false, or choose an instance type with a low-latency fabric."


def test_kubernetes_versions_sort_by_number_so_1_9_comes_before_1_10() -> None:
    import dataclasses

    base = CATALOG.kubernetes_versions("aws")[0]
    versions = [dataclasses.replace(base, version=v) for v in ("1.10", "1.9", "1.11")]
    catalog = Catalog(accelerators=[], instance_types=[], kubernetes_versions=versions)
    assert [v.version for v in catalog.kubernetes_versions("aws")] == ["1.9", "1.10", "1.11"]
