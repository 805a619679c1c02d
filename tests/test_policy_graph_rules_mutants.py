"""Graph rules (policy/graph_rules.py) as `infra check` reports them: which bucket an encryption or public
access block configures, which KMS key guards stored data, the carbon rule's message and the cleaner regions
its fix names, and the budget violations. Written to kill the mutants bench/mutation.py found alive; every
expected message is written out here. The carbon tests use a small catalog of their own (the shipped grid
figures change with each refresh)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from aiinfra.catalog import Catalog, default_catalog
from aiinfra.catalog.model import GridIntensity, Offer
from aiinfra.engine.graph import STACK_TYPE, PlannedResource, ResourceGraph, make_urn
from aiinfra.engine.inputs import UNKNOWN
from aiinfra.policy.graph_rules import (
    budget_monthly_co2e,
    budget_monthly_cost,
    data_key_deletion_protection,
    gpu_carbon_intensity,
    s3_encrypted,
    s3_public_access_block,
)
from aiinfra.policy.model import CheckOptions, Violation

STACK = "test"
BUCKET = "aws:s3/bucket:Bucket"
BUCKET_V2 = "aws:s3/bucketV2:BucketV2"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
SSE_V2 = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
ACCOUNT_PAB = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
KEY = "aws:kms/key:Key"
LUSTRE = "aws:fsx/lustreFileSystem:LustreFileSystem"
VOLUME = "aws:ebs/volume:Volume"
NODES = "aws:eks/nodeGroup:NodeGroup"
ALL_ON = {
    "blockPublicAcls": True,
    "blockPublicPolicy": True,
    "ignorePublicAcls": True,
    "restrictPublicBuckets": True,
}
ONE = make_urn(STACK, "aiinfra", "aiinfra:aws:ObjectBucket", "one")
TWO = make_urn(STACK, "aiinfra", "aiinfra:aws:ObjectBucket", "two")
NO_SSE_MESSAGE = "S3 bucket {} declares no default encryption (no server-side encryption configuration)."


def res(
    type_: str,
    name: str,
    inputs: dict[str, Any] | None = None,
    *,
    parent: str | None = None,
    protect: bool = False,
    retain: bool = False,
) -> PlannedResource:
    return PlannedResource(
        type=type_,
        name=name,
        urn=make_urn(STACK, "aiinfra", type_, name),
        parent=parent,
        inputs=inputs or {},
        custom=True,
        protect=protect,
        retain_on_delete=retain,
    )


def graph(*resources: PlannedResource, region: str | None = "us-east-1") -> ResourceGraph:
    return ResourceGraph(
        stack=STACK,
        project="aiinfra",
        resources=list(resources),
        config={"aws:region": region} if region else {},
    )


def names(found: list[Violation]) -> list[str]:
    return [v.resource for v in found]


# -- s3-encrypted: which bucket a configuration encrypts -------------------------------------------------------


def test_a_bucket_without_encryption_is_a_medium_finding_with_the_fix_and_checkov_id() -> None:
    bucket = res(BUCKET, "data")
    (v,) = s3_encrypted(graph(bucket), CheckOptions())
    assert (v.rule_id, v.severity, v.resource, v.type, v.urn) == (
        "s3-encrypted",
        "medium",
        "data",
        BUCKET,
        bucket.urn,
    )
    assert v.message == NO_SSE_MESSAGE.format("data")
    assert v.fix == (
        "Add an `aws.s3.BucketServerSideEncryptionConfiguration` for the bucket with `sseAlgorithm: aws:kms` "
        "and a customer-managed key (aiinfra's ObjectBucket does)."
    )
    assert v.checkov == "CKV_AWS_19"


def test_a_bucket_that_declares_its_own_encryption_passes() -> None:
    own = {"serverSideEncryptionConfiguration": {"rule": {"applyServerSideEncryptionByDefault": {}}}}
    found = s3_encrypted(graph(res(BUCKET, "data", own), res(BUCKET_V2, "logs")), CheckOptions())
    assert names(found) == ["logs"], "only the bucket without its own configuration is reported"
    assert found[0].message == NO_SSE_MESSAGE.format("logs") and found[0].type == BUCKET_V2


def test_a_configuration_encrypts_the_bucket_its_bucket_input_names_by_name_id_or_bucket_name() -> None:
    a = res(BUCKET, "a")
    b = res(BUCKET, "b", {"bucket": "corp-b-data"})
    c = res(BUCKET, "c", {"id": "bucket-c-1234"})
    d = res(BUCKET, "d")
    configs = [
        res(SSE, "a-sse", {"bucket": "a-id"}),  # an offline plan's ID
        res(SSE_V2, "b-sse", {"bucket": "corp-b-data"}),  # the bucket's own name
        res(SSE, "c-sse", {"bucket": "bucket-c-1234"}),  # a deployed bucket's ID
        res(SSE, "d-sse", {"bucket": "d"}),  # the resource name
    ]
    assert s3_encrypted(graph(a, b, c, d, *configs), CheckOptions()) == []
    assert names(s3_encrypted(graph(a, b, c, d, *configs[:3]), CheckOptions())) == ["d"]
    assert names(s3_encrypted(graph(a, b, c, d, *configs[1:]), CheckOptions())) == ["a"]


def test_an_unknown_bucket_name_is_not_an_id_a_configuration_can_match() -> None:
    bucket = res(BUCKET, "a", {"bucket": UNKNOWN})
    other = res(BUCKET, "b")
    sse = res(SSE, "x-sse", {"bucket": UNKNOWN})  # names nothing; two buckets, no common parent
    assert names(s3_encrypted(graph(bucket, other, sse), CheckOptions())) == ["a", "b"]


def test_a_configuration_with_an_unknown_bucket_encrypts_its_only_sibling_bucket() -> None:
    mine = res(BUCKET, "one-bucket", parent=ONE)
    theirs = res(BUCKET, "two-bucket", parent=TWO)
    sse = res(SSE, "one-sse", {"bucket": UNKNOWN}, parent=ONE)
    assert names(s3_encrypted(graph(mine, theirs, sse), CheckOptions())) == ["two-bucket"]


def test_a_configuration_beside_two_buckets_encrypts_neither() -> None:
    first = res(BUCKET, "first", parent=ONE)
    second = res(BUCKET, "second", parent=ONE)
    sse = res(SSE, "sse", {"bucket": UNKNOWN}, parent=ONE)
    assert names(s3_encrypted(graph(first, second, sse), CheckOptions())) == ["first", "second"]


def test_another_resource_type_naming_the_bucket_is_not_its_encryption() -> None:
    bucket = res(BUCKET, "a")
    block = res(PAB, "a-pab", {**ALL_ON, "bucket": "a-id"})
    assert names(s3_encrypted(graph(bucket, block), CheckOptions())) == ["a"]


# -- s3-public-access-block ---------------------------------------------------------------------------------


def test_a_bucket_without_a_block_is_a_high_finding_naming_checkov_ckv2_aws_6() -> None:
    bucket = res(BUCKET, "data")
    (v,) = s3_public_access_block(graph(bucket), CheckOptions())
    assert (v.rule_id, v.severity, v.resource, v.type, v.urn, v.checkov) == (
        "s3-public-access-block",
        "high",
        "data",
        BUCKET,
        bucket.urn,
        "CKV2_AWS_6",
    )
    assert v.message == "S3 bucket data can be made public: it has no public access block."
    assert v.fix == (
        "Add an `aws.s3.BucketPublicAccessBlock` with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and "
        "restrictPublicBuckets all true."
    )


def test_a_block_with_settings_off_names_them_in_order() -> None:
    block = res(
        PAB, "pab", {**ALL_ON, "restrictPublicBuckets": False, "blockPublicAcls": None, "bucket": "a-id"}
    )
    (v,) = s3_public_access_block(graph(res(BUCKET, "a"), block), CheckOptions())
    assert v.message == (
        "S3 bucket a can be made public: its public access block leaves blockPublicAcls, restrictPublicBuckets off."
    )


def test_a_setting_unknown_until_created_counts_as_on() -> None:
    block = res(PAB, "pab", {**ALL_ON, "ignorePublicAcls": UNKNOWN, "bucket": "a-id"})
    assert s3_public_access_block(graph(res(BUCKET, "a"), block), CheckOptions()) == []


def test_only_an_account_block_with_all_four_settings_on_covers_every_bucket() -> None:
    full = res(ACCOUNT_PAB, "acct", ALL_ON)
    partial = res(ACCOUNT_PAB, "acct", {**ALL_ON, "blockPublicPolicy": False})
    buckets = [res(BUCKET, "a"), res(BUCKET, "b")]
    assert s3_public_access_block(graph(*buckets, full), CheckOptions()) == []
    assert names(s3_public_access_block(graph(*buckets, partial), CheckOptions())) == ["a", "b"]
    assert s3_public_access_block(graph(partial), CheckOptions()) == [], "no bucket: nothing to report"


def test_a_full_block_beside_a_partial_one_protects_the_bucket() -> None:
    partial = res(PAB, "pab-1", {**ALL_ON, "blockPublicPolicy": False, "bucket": "a-id"})
    full = res(PAB, "pab-2", {**ALL_ON, "bucket": "a"})
    assert s3_public_access_block(graph(res(BUCKET, "a"), partial, full), CheckOptions()) == []


# -- data-key-deletion-protection ----------------------------------------------------------------------------


def key_findings(*resources: PlannedResource) -> list[str]:
    return names(data_key_deletion_protection(graph(*resources), CheckOptions()))


def test_a_data_key_without_protection_is_a_medium_finding_with_the_fix() -> None:
    key = res(KEY, "k")
    (v,) = data_key_deletion_protection(graph(key, res(VOLUME, "vol", {"kmsKeyId": "k-id"})), CheckOptions())
    assert (v.rule_id, v.severity, v.resource, v.type, v.urn, v.checkov) == (
        "data-key-deletion-protection",
        "medium",
        "k",
        KEY,
        key.urn,
        None,
    )
    assert v.message == "KMS key k encrypts stored data but has neither `protect` nor `retainOnDelete`."
    assert (
        v.fix
        == "Pass `opts=ResourceOptions(protect=True, retain_on_delete=True)` on the key, as on the data."
    )


def test_a_key_is_named_by_its_name_id_arn_or_alias_and_not_by_a_longer_name() -> None:
    assert key_findings(res(KEY, "k"), res(VOLUME, "v", {"kmsKeyId": "k"})) == ["k"]
    assert key_findings(res(KEY, "k"), res(VOLUME, "v", {"kmsKeyId": "k-id"})) == ["k"]
    assert key_findings(
        res(KEY, "k"), res(VOLUME, "v", {"kmsKeyId": "arn:aws:kms:us-east-1:1:key/k-id"})
    ) == ["k"]
    assert key_findings(res(KEY, "k"), res(VOLUME, "v", {"kmsKeyId": "arn:aws:kms:us-east-1:1:alias:k"})) == [
        "k"
    ]
    assert (
        key_findings(res(KEY, "k"), res(VOLUME, "v", {"kmsKeyId": "arn:aws:kms:us-east-1:1:key/other-k"}))
        == []
    )
    assert key_findings(res(KEY, "k"), res(VOLUME, "v", {"kmsKeyId": UNKNOWN})) == [], "unknown names nothing"


def test_a_bucket_encryption_names_its_key_inside_its_rules() -> None:
    rules = {
        "rules": [
            {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": "k-id"}}
        ]
    }
    assert key_findings(res(KEY, "k"), res(SSE, "sse", rules)) == ["k"]
    assert key_findings(res(KEY, "k"), res(SSE, "sse", {"rules": []})) == []


def test_a_key_beside_stored_data_guards_it_but_top_level_resources_are_not_siblings() -> None:
    assert key_findings(res(KEY, "k", parent=ONE), res(LUSTRE, "fs", parent=ONE)) == ["k"]
    assert key_findings(res(KEY, "k", parent=ONE), res(LUSTRE, "fs", parent=TWO)) == []
    assert key_findings(res(KEY, "k"), res(LUSTRE, "fs")) == [], "two resources without a parent share none"


def test_protect_or_retain_on_delete_alone_is_enough() -> None:
    volume = res(VOLUME, "v", {"kmsKeyId": "k-id"})
    assert key_findings(res(KEY, "k", protect=True), volume) == []
    assert key_findings(res(KEY, "k", retain=True), volume) == []


# -- gpu-carbon-intensity ----------------------------------------------------------------------------------


DAY = dt.date(2026, 1, 1)
SHIPPED = default_catalog()


def carbon_catalog(grid: dict[str, int], offered: list[str]) -> Catalog:
    """The shipped machines; p5.48xlarge offered in `offered`; the grid figures given (gCO2e/kWh)."""
    return Catalog(
        accelerators=SHIPPED.accelerators,
        instance_types=[SHIPPED.instance_type("p5.48xlarge"), SHIPPED.instance_type("m7i.xlarge")],
        offers=[Offer("aws", "p5.48xlarge", region, "test sheet", DAY) for region in offered],
        grid=[GridIntensity("aws", r, Decimal(g), 2024, r, "test sheet", DAY) for r, g in grid.items()],
    )


def pool(name: str = "gpu", instance_type: str = "p5.48xlarge") -> PlannedResource:
    return res(
        NODES,
        name,
        {"instanceTypes": [instance_type], "scalingConfig": {"desiredSize": 1, "minSize": 1, "maxSize": 1}},
    )


GRID = {"dirty": 700, "exact": 450, "d": 50, "a": 100, "b": 300, "c": 440}


def test_a_gpu_pool_on_a_dirty_grid_is_a_low_finding_naming_the_three_cleanest_regions_that_sell_it() -> None:
    catalog = carbon_catalog(GRID, ["dirty", "a", "b", "c", "d"])
    nodes = pool()
    (v,) = gpu_carbon_intensity(graph(nodes, region="dirty"), CheckOptions(catalog=catalog))
    assert (v.rule_id, v.severity, v.resource, v.type, v.urn, v.checkov) == (
        "gpu-carbon-intensity",
        "low",
        "gpu",
        NODES,
        nodes.urn,
        None,
    )
    assert v.message == (
        "GPU pool gpu (p5.48xlarge, 8 × H100) runs in dirty, whose grid emits 700 gCO2e/kWh (threshold 450)."
    )
    assert v.fix == (
        "Run the pool in a cleaner region that offers p5.48xlarge: d (50 gCO2e/kWh), a (100 gCO2e/kWh), "
        "b (300 gCO2e/kWh)."
    )


def test_a_region_at_the_threshold_is_clean_enough_and_is_offered_as_cleaner() -> None:
    catalog = carbon_catalog(GRID, ["dirty", "exact"])
    assert gpu_carbon_intensity(graph(pool(), region="exact"), CheckOptions(catalog=catalog)) == []
    (v,) = gpu_carbon_intensity(graph(pool(), region="dirty"), CheckOptions(catalog=catalog))
    assert v.fix == "Run the pool in a cleaner region that offers p5.48xlarge: exact (450 gCO2e/kWh)."


def test_without_a_cleaner_region_the_fix_says_to_raise_the_threshold() -> None:
    catalog = carbon_catalog({"dirty": 700, "worse": 800}, ["dirty", "worse", "no-figure"])
    (v,) = gpu_carbon_intensity(graph(pool(), region="dirty"), CheckOptions(catalog=catalog))
    assert v.fix == (
        "No region in the catalog offers p5.48xlarge under the threshold; raise --carbon-threshold if this "
        "region is a deliberate choice."
    )
    (v,) = gpu_carbon_intensity(
        graph(pool(), region="worse"), CheckOptions(catalog=catalog, carbon_threshold_g_per_kwh=750)
    )
    assert v.message.endswith("whose grid emits 800 gCO2e/kWh (threshold 750).") and "dirty (700" in v.fix


def test_no_grid_figure_no_region_a_cpu_pool_or_an_unknown_machine_is_not_reported() -> None:
    catalog = carbon_catalog(GRID, ["dirty", "a"])
    options = CheckOptions(catalog=catalog)
    assert gpu_carbon_intensity(graph(pool(), region="no-figure"), options) == []
    assert gpu_carbon_intensity(graph(pool(), region=None), options) == []
    assert gpu_carbon_intensity(graph(pool("cpu", "m7i.xlarge"), region="dirty"), options) == []
    assert (
        gpu_carbon_intensity(graph(pool("odd", "x9.huge"), pool(), region="dirty"), options)[0].resource
        == "gpu"
    )


# -- budgets ---------------------------------------------------------------------------------------------


OVER = SimpleNamespace(monthly_cost_usd=Decimal("1000"), monthly_co2e_kg=Decimal("2000"), lines=[])


def test_a_cost_over_budget_is_a_high_stack_finding_with_both_figures_and_the_fix() -> None:
    (v,) = budget_monthly_cost(graph(), CheckOptions(max_monthly_usd=500, estimate=OVER))  # type: ignore[arg-type]
    assert (v.rule_id, v.severity, v.resource, v.type, v.urn, v.checkov) == (
        "budget-monthly-cost",
        "high",
        STACK,
        STACK_TYPE,
        None,
        None,
    )
    assert v.message == "monthly cost $1,000.00 is above the budget of $500.00."
    assert v.fix == (
        "Shrink or schedule the largest pools (`infra estimate` lists them), use spot or reserved capacity, "
        "or raise --max-monthly-usd."
    )
    assert budget_monthly_cost(graph(), CheckOptions(max_monthly_usd=1000, estimate=OVER)) == []  # type: ignore[arg-type]
    assert budget_monthly_cost(graph(), CheckOptions(estimate=OVER)) == []  # type: ignore[arg-type]


def test_emissions_over_budget_are_a_high_stack_finding_in_kilograms() -> None:
    (v,) = budget_monthly_co2e(graph(), CheckOptions(max_monthly_co2e_kg=1500.5, estimate=OVER))  # type: ignore[arg-type]
    assert (v.rule_id, v.severity, v.resource, v.type) == ("budget-monthly-co2e", "high", STACK, STACK_TYPE)
    assert v.message == "monthly emissions 2,000.0 kg CO2e are above the budget of 1,500.5 kg."
    assert v.fix == (
        "Move GPU pools to a cleaner grid (`infra catalog gpus` shows gCO2e/kWh per region), cut idle hours, "
        "or raise --max-monthly-co2e-kg."
    )
    assert budget_monthly_co2e(graph(), CheckOptions(max_monthly_co2e_kg=2000, estimate=OVER)) == []  # type: ignore[arg-type]
    assert budget_monthly_co2e(graph(), CheckOptions(estimate=OVER)) == []  # type: ignore[arg-type]


def test_without_an_estimate_given_the_budget_rule_estimates_the_graph_itself() -> None:
    nodes = pool()
    (v,) = budget_monthly_cost(graph(nodes), CheckOptions(max_monthly_usd=1))
    assert v.message.startswith("monthly cost $") and v.message.endswith(" is above the budget of $1.00.")
    assert budget_monthly_cost(graph(nodes), CheckOptions(max_monthly_usd=10**9)) == []


def test_every_bucket_is_checked_whatever_comes_before_it_in_the_graph() -> None:
    key = res(KEY, "k")
    block = res(PAB, "a-pab", {**ALL_ON, "bucket": "a-id"})
    found = s3_public_access_block(graph(key, res(BUCKET, "a"), block, res(BUCKET, "b")), CheckOptions())
    assert names(found) == ["b"]
    assert names(s3_encrypted(graph(key, res(BUCKET, "a"), res(BUCKET, "b")), CheckOptions())) == ["a", "b"]


def test_every_pool_and_every_machine_type_of_a_pool_is_checked() -> None:
    catalog = carbon_catalog(GRID, ["dirty", "a"])
    options = CheckOptions(catalog=catalog)
    clean_first = graph(pool("clean-pool"), region="dirty")
    # the first pool has no grid figure where it runs, the second runs on the dirty grid
    first = res(NODES, "elsewhere", {**pool().inputs, "region": "no-figure"})
    assert names(gpu_carbon_intensity(graph(first, pool("gpu"), region="dirty"), options)) == ["gpu"]
    assert names(gpu_carbon_intensity(clean_first, options)) == ["clean-pool"]
    mixed = res(NODES, "mixed", {**pool().inputs, "instanceTypes": ["x9.huge", "p5.48xlarge"]})
    found = gpu_carbon_intensity(graph(mixed, region="dirty"), options)
    assert [v.message.split(" runs in ")[0] for v in found] == ["GPU pool mixed (p5.48xlarge, 8 × H100)"], (
        "a type the catalog lacks is skipped, the next type of the same pool is still checked"
    )


def test_a_machine_with_no_whole_accelerator_is_not_a_gpu_pool() -> None:
    import dataclasses

    catalog = carbon_catalog(GRID, ["dirty"])
    p5 = catalog.instance_type("p5.48xlarge")
    shared = dataclasses.replace(p5, name="frac.xlarge", accelerator_count=0)
    fractional = Catalog(
        accelerators=SHIPPED.accelerators,
        instance_types=[p5, shared],
        offers=[Offer("aws", "frac.xlarge", "dirty", "test sheet", DAY)],
        grid=[GridIntensity("aws", "dirty", Decimal(700), 2024, "dirty", "test sheet", DAY)],
    )
    assert (
        gpu_carbon_intensity(
            graph(pool("frac", "frac.xlarge"), region="dirty"), CheckOptions(catalog=fractional)
        )
        == []
    )
