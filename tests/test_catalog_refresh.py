"""Price refreshers, offline: the parsers over recorded files in the providers' formats
(tests/data/refresh/), the YAML merge, and the downloads' failure path with a fake opener (no network)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import os
import urllib.error
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from aiinfra.catalog.model import AcceleratorPrice, Offer
from aiinfra.catalog.refresh import RefreshResult, google_money
from aiinfra.catalog.refresh.aws import parse_aws_offer_csv, parse_aws_offer_json
from aiinfra.catalog.refresh.azure import parse_azure_prices
from aiinfra.catalog.refresh.fetch import (
    AWS_REGION_INDEX_URL,
    RefreshUnavailable,
    fetch_aws,
    fetch_azure,
    fetch_azure_items,
    fetch_gcp,
    fetch_gcp_skus,
)
from aiinfra.catalog.refresh.gcp import GcpMachine, gcp_series, parse_gcp_skus
from aiinfra.catalog.refresh.write import merge_offers

DATA = Path(__file__).parent / "data" / "refresh"
DAY = dt.date(2026, 11, 22)

AWS_TYPES = {"p5.48xlarge", "g5.xlarge", "p4d.24xlarge"}
AZURE_TYPES = {"Standard_ND96isr_H100_v5", "Standard_NC8as_T4_v3"}
GCP_MACHINES = {
    "a2-highgpu-1g": GcpMachine("A100", 1, 12, 85, "A2"),
    "a2-highgpu-8g": GcpMachine("A100", 8, 96, 680, "A2"),
    "a2-ultragpu-1g": GcpMachine("A100-80GB", 1, 12, 170, "A2"),
    "a3-highgpu-8g": GcpMachine("H100", 8, 208, 1872, "A3"),
    "g2-standard-4": GcpMachine("L4", 1, 4, 16, "G2"),
}


def aws_csv() -> RefreshResult:
    with (DATA / "aws-ec2-us-east-1.csv").open(newline="", encoding="utf-8") as f:
        return parse_aws_offer_csv(f, AWS_TYPES, retrieved=DAY, source="aws.csv")


def gcp() -> RefreshResult:
    doc = json.loads((DATA / "gcp-compute-skus.json").read_text())
    return parse_gcp_skus(doc, GCP_MACHINES, retrieved=DAY, source="gcp.json")


def azure() -> RefreshResult:
    doc = json.loads((DATA / "azure-retail-prices.json").read_text(), parse_float=Decimal)
    return parse_azure_prices(doc, AZURE_TYPES, retrieved=DAY, source="azure.json")


def offer(result: RefreshResult, name: str, region: str) -> Offer:
    found = [o for o in result.offers if o.instance_type == name and o.region == region]
    assert len(found) == 1, f"{name} {region}: {found}"
    return found[0]


def price(result: RefreshResult, accelerator: str, region: str) -> AcceleratorPrice:
    found = [p for p in result.accelerator_prices if p.accelerator == accelerator and p.region == region]
    assert len(found) == 1, f"{accelerator} {region}: {found}"
    return found[0]


# -- AWS -------------------------------------------------------------------------------------------------


def test_aws_csv_gives_exact_on_demand_and_standard_no_upfront_reserved_prices() -> None:
    p5 = offer(aws_csv(), "p5.48xlarge", "us-east-1")
    assert (p5.on_demand, p5.commit_1y, p5.commit_3y) == (
        Decimal("55.04"),
        Decimal("36.8768"),
        Decimal("24.768"),
    )
    assert p5.spot is None and p5.capacity_block is None  # not in the price list: unpriced, never 0
    assert p5.billing == "instance" and p5.zones == () and p5.source == "aws.csv" and p5.retrieved == DAY
    assert offer(aws_csv(), "g5.xlarge", "us-east-1").on_demand == Decimal("1.006")


def test_aws_partial_upfront_and_convertible_reservations_never_become_commit_prices() -> None:
    p5 = offer(aws_csv(), "p5.48xlarge", "us-east-1")
    assert p5.commit_1y not in (Decimal("18"), Decimal("41.28"))


def test_aws_skips_windows_dedicated_software_unused_reservations_and_capacity_blocks_with_reasons() -> None:
    skipped = "\n".join(aws_csv().skipped)
    for reason in (
        "operatingSystem 'Windows'",
        "tenancy 'Dedicated'",
        "preInstalledSw 'SQL Std'",
        "capacitystatus 'UnusedCapacityReservation'",
        "marketoption 'CapacityBlock'",
    ):
        assert f"p5.48xlarge us-east-1: {reason}" in skipped


def test_aws_keeps_only_instance_types_the_catalog_knows_and_says_which_it_ignored() -> None:
    result = aws_csv()
    assert {o.instance_type for o in result.offers} == {"p5.48xlarge", "g5.xlarge"}
    assert "ignored 1 instance types the catalog does not know: m5.large" in result.skipped


def test_aws_json_and_csv_variants_of_the_same_offer_file_give_the_same_rows() -> None:
    doc = json.loads((DATA / "aws-ec2-us-east-1.json").read_text())
    from_json = parse_aws_offer_json(doc, AWS_TYPES, retrieved=DAY, source="aws.csv")
    csv_result = aws_csv()
    assert from_json.offers == csv_result.offers
    assert from_json.skipped == csv_result.skipped
    assert from_json.published == csv_result.published == "20261101183105 2026-11-01T18:31:05Z"


def test_aws_csv_without_the_metadata_lines_is_refused_rather_than_misread() -> None:
    lines = (DATA / "aws-ec2-us-east-1.csv").read_text().splitlines(keepends=True)[5:]
    with pytest.raises(ValueError, match="metadata lines"):
        parse_aws_offer_csv(lines, AWS_TYPES, retrieved=DAY, source="x")


def test_aws_refresh_covers_only_the_options_the_price_list_publishes() -> None:
    assert aws_csv().options == ("on_demand", "commit_1y", "commit_3y")


# -- GCP -------------------------------------------------------------------------------------------------


def test_gcp_money_is_units_plus_nanos_exactly() -> None:
    assert google_money("2", 933908000) == Decimal("2.933908")
    assert google_money("0", 4237000) == Decimal("0.004237")
    assert google_money(None, None) == 0


def test_gcp_host_price_is_vcpus_times_core_sku_plus_memory_times_ram_sku() -> None:
    a2 = offer(gcp(), "a2-highgpu-1g", "us-central1")
    assert a2.billing == "host+accelerators"
    assert a2.on_demand == 12 * Decimal("0.031611") + 85 * Decimal("0.004237") == Decimal("0.739477")
    assert a2.spot == 12 * Decimal("0.009483") + 85 * Decimal("0.001271")
    assert a2.commit_1y == 12 * Decimal("0.019915") + 85 * Decimal("0.002669")
    assert a2.commit_3y is None  # no 3-year A2 host SKU in the data: unpriced, never 0
    assert "1 x A100" in a2.note


def test_gcp_host_plus_gpu_skus_add_up_to_the_published_machine_price() -> None:
    result = gcp()
    host = offer(result, "a2-highgpu-1g", "us-central1").on_demand
    gpu = price(result, "A100", "us-central1").on_demand
    assert host is not None and gpu is not None
    assert host + 1 * gpu == Decimal("3.673385")  # a2-highgpu-1g us-central1, all-in


def test_gcp_gpu_skus_become_accelerator_prices_in_every_service_region() -> None:
    result = gcp()
    for region in ("us-central1", "us-east1", "us-west1"):
        a100 = price(result, "A100", region)
        assert (a100.on_demand, a100.spot, a100.commit_1y, a100.commit_3y) == (
            Decimal("2.933908"),
            Decimal("1.467"),
            Decimal("1.848362"),
            Decimal("1.026868"),
        )
    assert price(result, "H100", "us-east4").on_demand == Decimal("10.342675")
    assert price(result, "L4", "us-central1").on_demand == Decimal("0.56004")


def test_gcp_tpu_skus_become_per_chip_hour_prices_with_spot_and_commitments() -> None:
    result = gcp()
    assert price(result, "TPU-v6e", "us-south1").on_demand == Decimal("2.7")
    assert price(result, "TPU-v5e", "asia-south2").on_demand == Decimal("1.44132")
    assert price(result, "TPU-v5e", "asia-southeast1").spot == Decimal("0.78")
    assert price(result, "TPU-v5p", "europe-west4").commit_3y == Decimal("1.911")


def test_gcp_no_offer_where_the_machines_gpu_has_no_sku_in_that_region() -> None:
    result = gcp()
    assert not [o for o in result.offers if o.instance_type == "a2-ultragpu-1g"]
    assert not [o for o in result.offers if o.instance_type == "a2-highgpu-1g" and o.region == "us-east4"]
    assert (
        "a2-ultragpu-1g us-central1: A2 host SKUs but no A100-80GB SKU in this region; no offer"
        in result.skipped
    )


def test_gcp_skips_workstation_custom_mega_and_calendar_mode_skus_with_reasons() -> None:
    skipped = "\n".join(gcp().skipped)
    assert "'Nvidia L4 GPU Virtual Workstation running in Americas': 'virtual workstation' SKU" in skipped
    assert "'G2 Custom Instance Core running in Americas': 'custom' SKU" in skipped
    assert "'Nvidia H100 80GB Mega GPU running in Americas': the A3 Mega H100" in skipped
    assert "'Reserved TpuV5p in Delhi in Calendar Mode': 'reserved' SKU" in skipped
    assert "N1 Predefined" not in skipped and "Tesla T4" not in skipped  # not used by this catalog: silent


def test_gcp_series_of_machine_types_leaves_out_tpu_and_a3_mega_hosts() -> None:
    assert gcp_series("a2-highgpu-8g") == "A2"
    assert gcp_series("g2-standard-48") == "G2"
    assert gcp_series("a3-megagpu-8g") is None
    assert gcp_series("ct5lp-hightpu-4t") is None


# -- Azure -----------------------------------------------------------------------------------------------


def test_azure_reservation_price_for_the_whole_term_becomes_an_hourly_price() -> None:
    result = azure()
    nd = offer(result, "Standard_ND96isr_H100_v5", "eastus")
    assert nd.commit_1y == Decimal("536112") / 8760 == Decimal("61.2")
    assert nd.commit_3y == Decimal("1103760") / 26280 == Decimal("42")
    t4 = offer(result, "Standard_NC8as_T4_v3", "eastus")
    assert t4.commit_1y == Decimal("0.4452054795")  # 3900 / 8760, to ten places


def test_azure_pay_as_you_go_and_spot_are_exact_and_come_from_their_own_meters() -> None:
    nd = offer(azure(), "Standard_ND96isr_H100_v5", "eastus")
    assert (nd.on_demand, nd.spot, nd.billing) == (Decimal("98.32"), Decimal("19.664"), "instance")
    assert offer(azure(), "Standard_ND96isr_H100_v5", "westeurope").on_demand == Decimal("113.068")


def test_azure_skips_low_priority_windows_devtest_and_copied_meters_with_reasons() -> None:
    skipped = "\n".join(azure().skipped)
    assert "Low Priority meter (not Spot)" in skipped
    assert "includes the Windows licence" in skipped
    assert "Dev/Test subscription rate" in skipped
    assert "not the primary meter region" in skipped
    assert "ignored 1 VM sizes the catalog does not know: Standard_D2s_v5" in skipped


def test_azure_prices_parsed_as_json_floats_are_still_exact() -> None:
    doc = json.loads((DATA / "azure-retail-prices.json").read_text())  # floats, not Decimal
    result = parse_azure_prices(doc, AZURE_TYPES, retrieved=DAY, source="azure.json")
    assert offer(result, "Standard_ND96isr_H100_v5", "eastus").on_demand == Decimal("98.32")


# -- merge -----------------------------------------------------------------------------------------------

EXISTING = """\
# AWS offers (a comment block the merge keeps)
version: 2026-01-01
cloud: aws
offers:
  - instance_type: p5.48xlarge
    region: us-east-1
    billing: instance
    on_demand: 98.32
    spot: 17.6289
    capacity_block: 39.33
    source: old source
    retrieved: 2026-01-01
    unverified: [on_demand, spot, capacity_block]
  - instance_type: g5.xlarge
    region: us-east-1
    billing: instance
    on_demand: 1.006
    source: old source
    retrieved: 2026-01-01
  - instance_type: g4dn.xlarge
    region: us-east-1
    billing: instance
    on_demand: 0.526
    source: hand-entered
    retrieved: 2026-01-01
"""


def write_existing(tmp_path: Path) -> Path:
    path = tmp_path / "aws" / "offers.yaml"
    path.parent.mkdir()
    path.write_text(EXISTING)
    return path


def test_merge_reports_added_changed_with_old_and_new_on_demand_unchanged_and_kept(tmp_path: Path) -> None:
    path = write_existing(tmp_path)
    result = aws_csv()
    result.offers.append(
        Offer("aws", "p4d.24xlarge", "us-west-2", "new", DAY, on_demand=Decimal("21.957642"))
    )
    summary = merge_offers(path, result, DAY)
    assert [str(k) for k in summary.added] == ["p4d.24xlarge us-west-2"]
    assert [str(c) for c in summary.changed] == [
        "p5.48xlarge us-east-1: on_demand 98.32 -> 55.04 (also commit_1y, commit_3y)"
    ]
    assert [str(k) for k in summary.unchanged] == ["g5.xlarge us-east-1"]
    assert [str(k) for k in summary.kept] == ["g4dn.xlarge us-east-1"]
    assert "1 added, 1 changed, 1 unchanged, 1 kept" in summary.lines()[0]


def test_merged_yaml_round_trips_with_plain_numbers_iso_dates_and_sorted_rows(tmp_path: Path) -> None:
    path = write_existing(tmp_path)
    merge_offers(path, aws_csv(), dt.date(2026, 11, 23))
    text = path.read_text()
    assert text.startswith("# AWS offers (a comment block the merge keeps)\n")
    assert "on_demand: 55.04\n" in text and "commit_3y: 24.768\n" in text  # no float noise
    assert "retrieved: 2026-11-22\n" in text
    doc = yaml.safe_load(text)
    assert doc["version"] == dt.date(2026, 11, 23) and doc["cloud"] == "aws"
    keys = [(r["instance_type"], r["region"]) for r in doc["offers"]]
    assert (
        keys
        == sorted(keys)
        == [("g4dn.xlarge", "us-east-1"), ("g5.xlarge", "us-east-1"), ("p5.48xlarge", "us-east-1")]
    )
    p5 = doc["offers"][2]
    assert Decimal(str(p5["commit_1y"])) == Decimal("36.8768")
    assert doc["offers"][0] == {
        "instance_type": "g4dn.xlarge",
        "region": "us-east-1",
        "billing": "instance",
        "on_demand": 0.526,
        "source": "hand-entered",
        "retrieved": dt.date(2026, 1, 1),
    }


def test_merge_keeps_prices_the_feed_does_not_publish_and_marks_them_unverified(tmp_path: Path) -> None:
    path = write_existing(tmp_path)
    merge_offers(path, aws_csv(), DAY)
    p5 = next(r for r in yaml.safe_load(path.read_text())["offers"] if r["instance_type"] == "p5.48xlarge")
    assert p5["spot"] == 17.6289 and p5["capacity_block"] == 39.33
    assert p5["unverified"] == ["spot", "capacity_block"]  # on_demand was re-read, the others were not
    assert p5["source"].startswith("aws.csv ; kept from before: spot, capacity_block: "), p5["source"]
    assert p5["retrieved"] == DAY


def test_merge_twice_with_the_same_prices_changes_nothing(tmp_path: Path) -> None:
    path = write_existing(tmp_path)
    merge_offers(path, aws_csv(), DAY)
    first = path.read_text()
    summary = merge_offers(path, aws_csv(), DAY)
    assert path.read_text() == first
    assert not summary.added and not summary.changed


def test_a_change_that_leaves_on_demand_alone_is_reported_by_the_fields_that_moved(tmp_path: Path) -> None:
    path = write_existing(tmp_path)
    merge_offers(path, aws_csv(), DAY)
    result = aws_csv()
    result.offers = [
        dataclasses.replace(o, commit_3y=Decimal("20")) if o.instance_type == "p5.48xlarge" else o
        for o in result.offers
    ]
    summary = merge_offers(path, result, DAY)
    assert [str(c) for c in summary.changed] == [
        "p5.48xlarge us-east-1: commit_3y changed (on_demand 55.04 as before)"
    ]


def test_merge_writes_gcp_accelerator_prices_and_keeps_zones_the_feed_does_not_know(tmp_path: Path) -> None:
    path = tmp_path / "gcp" / "offers.yaml"
    path.parent.mkdir()
    path.write_text(
        "version: 2026-01-01\ncloud: gcp\noffers:\n- instance_type: a2-highgpu-1g\n  region: us-central1\n"
        "  zones: [us-central1-a, us-central1-b]\n  billing: host+accelerators\n  on_demand: 0.73948\n"
        "  source: old\n  retrieved: 2026-01-01\n  unverified: [on_demand, spot, zones]\naccelerator_prices: []\n"
    )
    summary = merge_offers(path, gcp(), DAY)
    doc = yaml.safe_load(path.read_text())
    a2 = next(
        r for r in doc["offers"] if (r["instance_type"], r["region"]) == ("a2-highgpu-1g", "us-central1")
    )
    assert a2["zones"] == ["us-central1-a", "us-central1-b"] and a2["unverified"] == ["zones"]
    assert "zones: [us-central1-a, us-central1-b]" in path.read_text()
    assert {
        "accelerator": "TPU-v6e",
        "region": "us-south1",
        "on_demand": 2.7,
        "source": "gcp.json",
        "retrieved": DAY,
    } in doc["accelerator_prices"]
    assert "a2-highgpu-1g us-central1: on_demand 0.73948 -> 0.739477 (also spot, commit_1y)" in [
        str(c) for c in summary.changed
    ]


def test_merge_creates_a_missing_file_and_refuses_another_clouds_file(tmp_path: Path) -> None:
    path = tmp_path / "azure" / "offers.yaml"
    summary = merge_offers(path, azure(), DAY)
    assert len(summary.added) == 3 and yaml.safe_load(path.read_text())["cloud"] == "azure"
    with pytest.raises(ValueError, match="azure offers file"):
        merge_offers(path, aws_csv(), DAY)


def test_merge_is_atomic_a_failed_write_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_existing(tmp_path)

    def fail(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        merge_offers(path, aws_csv(), DAY)
    assert path.read_text() == EXISTING
    assert sorted(p.name for p in path.parent.iterdir()) == ["offers.yaml"]


# -- fetch -----------------------------------------------------------------------------------------------


def offline(request: Any, timeout: float) -> Any:
    raise urllib.error.URLError(OSError(101, "Network is unreachable"))


def test_fetch_aws_offline_raises_refresh_unavailable_naming_the_host_and_the_fix() -> None:
    with pytest.raises(RefreshUnavailable) as info:
        fetch_aws(["us-east-1"], AWS_TYPES, opener=offline)
    assert "pricing.us-east-1.amazonaws.com" in info.value.message
    assert "internet access" in info.value.fix and "--from FILE" in info.value.fix


def test_fetch_azure_offline_raises_refresh_unavailable_naming_the_host() -> None:
    with pytest.raises(RefreshUnavailable, match=r"prices\.azure\.com"):
        fetch_azure(["eastus"], AZURE_TYPES, opener=offline)


def test_fetch_gcp_without_an_api_key_raises_refresh_unavailable_saying_which_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    monkeypatch.delenv("GCP_API_KEY", raising=False)
    with pytest.raises(RefreshUnavailable) as info:
        fetch_gcp(GCP_MACHINES, opener=offline)
    assert "cloudbilling.googleapis.com" in info.value.message and "GOOGLE_API_KEY" in info.value.fix


def test_fetch_gcp_offline_names_the_host_and_never_prints_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_API_KEY", "secret-key-123")

    def refused(request: Any, timeout: float) -> Any:
        raise urllib.error.URLError(f"refused while fetching {request.full_url}")

    with pytest.raises(RefreshUnavailable) as info:
        fetch_gcp_skus(opener=refused)
    assert "cloudbilling.googleapis.com" in str(info.value) and "secret-key-123" not in str(info.value)


def test_fetch_gcp_follows_next_page_tokens_and_joins_the_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GCP_API_KEY", "k")
    skus = json.loads((DATA / "gcp-compute-skus.json").read_text())["skus"]
    pages = {"": {"skus": skus[:10], "nextPageToken": "p2"}, "p2": {"skus": skus[10:], "nextPageToken": ""}}
    seen: list[str] = []

    def opener(request: Any, timeout: float) -> Any:
        seen.append(request.full_url)
        token = request.full_url.partition("pageToken=")[2]
        return io.BytesIO(json.dumps(pages[token]).encode())

    result = fetch_gcp(GCP_MACHINES, retrieved=DAY, opener=opener)
    assert len(seen) == 2 and "key=k" in seen[0] and "services/6F81-5844-456A/skus" in seen[0]
    assert [(o.instance_type, o.region) for o in result.offers] == [
        (o.instance_type, o.region) for o in gcp().offers
    ]


def test_fetch_azure_filters_on_region_and_follows_next_page_link() -> None:
    items = json.loads((DATA / "azure-retail-prices.json").read_text())["Items"]
    next_link = "https://prices.azure.com:443/api/retail/prices?$filter=x&$skip=1000"
    seen: list[str] = []

    def opener(request: Any, timeout: float) -> Any:
        seen.append(request.full_url)
        page = (
            {"Items": items[6:], "NextPageLink": None}
            if "skip" in request.full_url
            else {
                "Items": items[:6],
                "NextPageLink": next_link,
            }
        )
        return io.BytesIO(json.dumps(page).encode())

    doc = fetch_azure_items(["eastus"], opener=opener)
    assert len(doc["Items"]) == len(items) and seen[1] == next_link
    assert "serviceName%20eq%20%27Virtual%20Machines%27%20and%20armRegionName%20eq%20%27eastus%27" in seen[0]


def test_fetch_aws_reads_the_region_index_then_streams_that_regions_csv() -> None:
    csv_path = "/offers/v1.0/aws/AmazonEC2/20261101183105/us-east-1/index.csv"
    index = {
        "regions": {"us-east-1": {"regionCode": "us-east-1", "currentVersionUrl": csv_path[:-4] + ".json"}}
    }
    served = {
        AWS_REGION_INDEX_URL: json.dumps(index).encode(),
        "https://pricing.us-east-1.amazonaws.com" + csv_path: (DATA / "aws-ec2-us-east-1.csv").read_bytes(),
    }

    def opener(request: Any, timeout: float) -> Any:
        return io.BytesIO(served[request.full_url])

    result = fetch_aws(["us-east-1"], AWS_TYPES, retrieved=DAY, opener=opener)
    assert offer(result, "p5.48xlarge", "us-east-1").on_demand == Decimal("55.04")
    assert offer(result, "p5.48xlarge", "us-east-1").source.endswith("/us-east-1/index.csv")
    with pytest.raises(ValueError, match="no EC2 price list for region 'mars-1'"):
        fetch_aws(["mars-1"], AWS_TYPES, opener=opener)
