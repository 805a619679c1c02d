"""Hostile numbers in a graph's inputs (NaN, Infinity, 1e300, a 5,000-digit integer, a negative count, a
word where a size goes) never crash an estimate rule and never give a negative or infinite total: the
resource becomes an unpriced line whose reason names the input and the fix (estimate/inputs.py)."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.inputs import MAX_COUNT, BadNumber, count, size

CATALOG = default_catalog()
STACK = "urn:pulumi:test::p"

HOSTILE = st.one_of(
    st.sampled_from(
        [
            float("nan"),
            float("inf"),
            float("-inf"),
            1e300,
            -1,
            -5,
            10**5000,
            -(10**5000),
            "NaN",
            "Infinity",
            "-3",
            "1e300",
            "lots",
            "9" * 5000,
            MAX_COUNT * 1000,
            True,
            [],
            {"x": 1},
        ]
    ),
    st.integers(max_value=-1),
    st.floats(allow_nan=True, allow_infinity=True).filter(lambda f: not (0 <= f <= 1e8)),  # above every bound
    st.text(alphabet="abcxyz-!", min_size=1, max_size=60),
)

# (cloud region config, type token, input builder, the input path the reason must name)
CASES: list[tuple[dict[str, str], str, Any, str]] = [
    (
        {"aws:region": "us-east-1"},
        "aws:eks/nodeGroup:NodeGroup",
        lambda v: {"instanceTypes": ["p5.48xlarge"], "scalingConfig": {"desiredSize": v}},
        "scalingConfig.desiredSize",
    ),
    (
        {"aws:region": "us-east-1"},
        "aws:eks/nodeGroup:NodeGroup",
        lambda v: {
            "instanceTypes": ["g5.xlarge"],
            "scalingConfig": {"minSize": 1, "desiredSize": 1, "maxSize": v},
        },
        "scalingConfig.maxSize",
    ),
    ({"aws:region": "us-east-1"}, "aws:ebs/volume:Volume", lambda v: {"size": v, "type": "gp3"}, "size"),
    (
        {"aws:region": "us-east-1"},
        "aws:ec2/instance:Instance",
        lambda v: {"instanceType": "g5.xlarge", "rootBlockDevice": {"volumeSize": v}},
        "rootBlockDevice.volumeSize",
    ),
    (
        {"aws:region": "us-east-1"},
        "aws:fsx/lustreFileSystem:LustreFileSystem",
        lambda v: {"deploymentType": "PERSISTENT_2", "perUnitStorageThroughput": 250, "storageCapacity": v},
        "storageCapacity",
    ),
    (
        {"gcp:region": "us-central1"},
        "gcp:container/nodePool:NodePool",
        lambda v: {
            "location": "us-central1-a",
            "nodeCount": v,
            "nodeConfig": {"machineType": "a3-highgpu-8g"},
        },
        "nodeCount",
    ),
    (
        {"gcp:region": "us-central1"},
        "gcp:container/nodePool:NodePool",
        lambda v: {
            "location": "us-central1-a",
            "nodeCount": 1,
            "nodeConfig": {"machineType": "g2-standard-4", "diskSizeGb": v},
        },
        "nodeConfig.diskSizeGb",
    ),
    (
        {"gcp:region": "us-central1"},
        "gcp:container/nodePool:NodePool",
        lambda v: {"location": "us-central1-a", "autoscaling": {"totalMaxNodeCount": v}},
        "autoscaling.totalMaxNodeCount",
    ),
    (
        {"gcp:region": "us-central1"},
        "gcp:compute/instance:Instance",
        lambda v: {
            "zone": "us-central1-a",
            "machineType": "g2-standard-4",
            "bootDisk": {"initializeParams": {"size": v}},
        },
        "bootDisk.initializeParams.size",
    ),
    (
        {"gcp:region": "us-central1"},
        "gcp:parallelstore/instance:Instance",
        lambda v: {"location": "us-central1-a", "capacityGib": v},
        "capacityGib",
    ),
    (
        {"gcp:region": "us-central1"},
        "gcp:filestore/instance:Instance",
        lambda v: {"location": "us-central1-a", "tier": "BASIC_HDD", "fileShares": {"capacityGb": v}},
        "fileShares.capacityGb",
    ),
    (
        {"azure-native:location": "eastus"},
        "azure-native:containerservice:AgentPool",
        lambda v: {"vmSize": "Standard_NC24ads_A100_v4", "count": v, "location": "eastus"},
        "count",
    ),
    (
        {"azure-native:location": "eastus"},
        "azure-native:containerservice:ManagedCluster",
        lambda v: {
            "location": "eastus",
            "agentPoolProfiles": [{"name": "gpu", "vmSize": "Standard_NC24ads_A100_v4", "count": v}],
        },
        "agentPoolProfiles[0].count",
    ),
    (
        {"azure-native:location": "eastus"},
        "azure-native:compute:VirtualMachineScaleSet",
        lambda v: {"location": "eastus", "sku": {"name": "Standard_NC24ads_A100_v4", "capacity": v}},
        "sku.capacity",
    ),
    (
        {"azure-native:location": "eastus"},
        "azure-native:storagecache:AmlFilesystem",
        lambda v: {
            "location": "eastus",
            "sku": {"name": "AMLFS-Durable-Premium-250"},
            "storageCapacityTiB": v,
        },
        "storageCapacityTiB",
    ),
    (
        {"azure-native:location": "eastus"},
        "azure-native:keyvault:Key",
        lambda v: {"vaultName": "kv", "properties": {"kty": "RSA-HSM", "keySize": v}},
        "properties.keySize",
    ),
]


def run(config: dict[str, str], type_: str, inputs: dict[str, Any]) -> Any:
    r = PlannedResource(
        type=type_,
        name="r",
        urn=f"{STACK}::{type_}::r",
        parent=None,
        inputs=inputs,
        custom=True,
        provider=None,
    )
    return estimate(ResourceGraph(stack="t", project="p", resources=[r], config=config), CATALOG)


@pytest.mark.parametrize(("config", "type_", "build", "path"), CASES, ids=[c[3] + "@" + c[1] for c in CASES])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=HOSTILE)
def test_a_hostile_number_makes_the_resource_unpriced_never_a_crash_or_a_negative_total(
    config: dict[str, str], type_: str, build: Any, path: str, value: Any
) -> None:
    result = run(config, type_, build(value))
    for total in (result.monthly_cost_usd, result.monthly_co2e_kg):
        assert total.is_finite() and total >= 0, f"{path}={value!r}: total {total} must be finite and ≥ 0"
    for ln in result.lines:
        for figure in (ln.monthly_cost_usd, ln.monthly_energy_kwh, ln.monthly_co2e_kg):
            assert figure is None or (figure.is_finite() and figure >= 0), f"{path}={value!r}: line {ln}"
    reasons = [ln.reason for ln in result.lines if ln.monthly_cost_usd is None]
    assert any(path in reason for reason in reasons), (
        f"{path}={value!r} is unusable: an unpriced line must name the input, got {reasons}"
    )


@pytest.mark.parametrize(("config", "type_", "build", "path"), CASES, ids=[c[3] + "@" + c[1] for c in CASES])
def test_a_sane_number_in_the_same_place_is_not_refused(
    config: dict[str, str], type_: str, build: Any, path: str
) -> None:
    result = run(config, type_, build(2))
    assert not any(path in ln.reason for ln in result.lines), f"{path}=2 is a usable number: {result.lines}"


def test_a_negative_desired_size_no_longer_gives_a_negative_bill() -> None:
    """The case the issue found: desiredSize -100 on a p5 node group was −$199,665 a month."""
    (ln,) = run(
        {"aws:region": "us-east-1"},
        "aws:eks/nodeGroup:NodeGroup",
        {"instanceTypes": ["p5.48xlarge"], "scalingConfig": {"desiredSize": -100}},
    ).lines
    assert ln.monthly_cost_usd is None, "a negative node count is unpriced, not a negative cost"
    assert "scalingConfig.desiredSize = -100 is negative" in ln.reason and "0 to 100,000" in ln.reason, (
        ln.reason
    )


def test_the_reason_cuts_a_long_value_to_about_40_characters() -> None:
    with pytest.raises(BadNumber) as caught:
        count("9" * 5000, "nodeCount")
    assert len(caught.value.value) <= 40, "a 5,000-digit value is shown cut, not in full"


def test_missing_numbers_take_the_rule_default_and_bounds_are_inclusive() -> None:
    assert count(None, "n", 3) == 3 and count("", "n", 3) == 3, "a missing count keeps the default"
    assert count(MAX_COUNT, "n") == MAX_COUNT and count("4", "n") == 4 and count(4.0, "n") == 4
    assert size("12000", "capacityGib") == Decimal(12000), "pulumi-gcp passes sizes as strings"
    assert math.isclose(float(size(0, "s") or 0), 0.0), "0 is a size"
    with pytest.raises(BadNumber, match="whole number"):
        count(2.5, "nodeCount")


def test_the_estimate_records_each_hostile_input_as_invalid_for_the_services_to_refuse() -> None:
    result = run(
        {"aws:region": "us-east-1"},
        "aws:eks/nodeGroup:NodeGroup",
        {"instanceTypes": ["p5.48xlarge"], "scalingConfig": {"desiredSize": -100}},
    )
    assert result.invalid_inputs == [
        "r (aws:eks/nodeGroup:NodeGroup): scalingConfig.desiredSize = -100 is negative, not a count; "
        "give a whole number from 0 to 100,000"
    ], result.invalid_inputs


@pytest.mark.parametrize(
    ("value", "what"),
    [
        (
            {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "x"},
            "the value is a secret in this document",
        ),
        ("[secret]", "the value is a secret in this document"),
        ("04da6b54-80e4-46f7-96ec-b56ff0331ba9", "the value is unknown until apply"),
    ],
)
def test_a_secret_or_unknown_count_is_unpriced_with_why_and_not_called_invalid(value: Any, what: str) -> None:
    result = run(
        {"aws:region": "us-east-1"},
        "aws:eks/nodeGroup:NodeGroup",
        {"instanceTypes": ["p5.48xlarge"], "scalingConfig": {"desiredSize": value}},
    )
    ln = next(line for line in result.lines if "root volume" not in line.description)
    assert ln.monthly_cost_usd is None and ln.reason.startswith(f"scalingConfig.desiredSize: {what}"), (
        ln.reason
    )
    assert result.invalid_inputs == [], "a hidden value is not a wrong one: the estimate goes on"


@pytest.mark.parametrize("value", ["-4", "1e300", '"lots"', "9" * 200, "2.5"])
def test_estimate_from_a_document_with_a_count_no_cloud_takes_exits_2_naming_resource_input_and_fix(
    tmp_path: Any, value: str
) -> None:
    from typer.testing import CliRunner

    from aiinfra.cli.main import app

    doc = tmp_path / "export.json"
    doc.write_text(
        '{"version":3,"deployment":{"resources":[{"urn":"urn:pulumi:dev::p::aws:eks/nodeGroup:NodeGroup::ng",'
        '"type":"aws:eks/nodeGroup:NodeGroup","custom":true,"inputs":{"instanceTypes":["p5.48xlarge"],'
        '"scalingConfig":{"desiredSize":' + value + "}}}]}}"
    )
    result = CliRunner().invoke(app, ["estimate", "--from", str(doc)])
    out = result.output
    assert result.exit_code == 2, (
        f"desiredSize {value} is bad input, not an estimate: {result.exit_code}\n{out}"
    )
    assert "ng (aws:eks/nodeGroup:NodeGroup): scalingConfig.desiredSize" in out, out
    assert "give a whole number from 0 to 100,000" in out and "Traceback" not in out, out
