"""EBS prices beyond the US (catalog/data/aws/storage.yaml and the EBS rows of services.yaml): every catalog
region AWS's EBS price feed covers has its own storage row per volume type and its own provisioned-performance
rows, each citing the feed; regions the feed predates stay unpriced."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aiinfra.catalog import default_catalog

CATALOG = default_catalog()
FEED = "meteredUnitMaps/ec2/USD/current/ebs.json (hawkFilePublicationDate 2024-07-18T13:53:37Z)"
NEWER = {"ap-east-2", "ap-southeast-5", "ap-southeast-7", "mx-central-1"}
"""Catalog regions that opened after the feed's publication: no EBS row."""
TYPES = ("gp3", "gp2", "io1", "st1", "sc1", "standard")
PERFORMANCE = ("gp3-iops-month", "gp3-throughput-mibps-month", "io1-iops-month")
COVERED = sorted(set(CATALOG.regions("aws")) - NEWER)


def test_the_feed_covers_every_catalog_region_but_the_newer_ones() -> None:
    assert len(COVERED) >= 29 and {"eu-west-1", "ap-southeast-2", "sa-east-1", "me-central-1"} <= set(COVERED)


@pytest.mark.parametrize("region", COVERED)
def test_every_covered_region_has_its_own_ebs_rows_citing_the_feed(region: str) -> None:
    for tier in TYPES:
        row = CATALOG.storage_price("aws", "ebs", tier, region)
        assert row is not None and row.region == region, (tier, region)
        assert row.usd_per_gib_month is not None and row.usd_per_gib_month > 0 and FEED in row.source
        assert row.replication == 2 and row.unverified == ("usd_per_gib_month",)
    for item in PERFORMANCE:
        found = CATALOG.service_price("aws", "ebs", item, region)
        assert found is not None and found.region == region and found.usd is not None and FEED in found.source
    io2 = CATALOG.storage_price("aws", "ebs", "io2", region)
    io2_iops = CATALOG.service_price("aws", "ebs", "io2-iops-month", region)
    assert io2_iops is not None and io2_iops.region == region, "a regional io2 row, priced or null"
    if io2 is None:
        assert io2_iops.usd is None and "no Provisioned EBS IOPS io2 entry" in io2_iops.source
    else:
        assert io2.region == region and io2_iops.usd is not None


@pytest.mark.parametrize("region", COVERED)
def test_no_region_is_cheaper_than_us_east_1(region: str) -> None:
    """US East (N. Virginia) is EBS's lowest price; a row below it would be a transcription error."""
    for tier in TYPES:
        here = CATALOG.storage_price("aws", "ebs", tier, region)
        base = CATALOG.storage_price("aws", "ebs", tier, "us-east-1")
        assert here is not None and base is not None and here.usd_per_gib_month is not None
        assert base.usd_per_gib_month is not None and here.usd_per_gib_month >= base.usd_per_gib_month


def test_the_feeds_us_east_1_figures_are_the_ebs_pricing_pages() -> None:
    """The check made before trusting the feed: its us-east-1 figures equal the EBS pricing page's (gp3 $0.08,
    gp2 $0.10, io1 $0.125, st1 $0.045, sc1 $0.015 per GB-month; gp3 $0.005 per IOPS, $0.04 per MiB/s)."""
    expected = {"gp3": "0.08", "gp2": "0.10", "io1": "0.125", "st1": "0.045", "sc1": "0.015"}
    for tier, usd in expected.items():
        row = CATALOG.storage_price("aws", "ebs", tier, "us-east-1")
        assert row is not None and row.usd_per_gib_month == Decimal(usd)
    for item, usd in {"gp3-iops-month": "0.005", "gp3-throughput-mibps-month": "0.04"}.items():
        found = CATALOG.service_price("aws", "ebs", item, "us-east-1")
        assert found is not None and found.usd == Decimal(usd)


@pytest.mark.parametrize("region", sorted(NEWER))
def test_a_region_the_feed_predates_has_no_ebs_storage_row(region: str) -> None:
    assert region in CATALOG.regions("aws")
    assert all(CATALOG.storage_price("aws", "ebs", tier, region) is None for tier in TYPES)
