"""estimate/usage.py after the usage keys of session 8's rules (Step Functions, Glue, AppSync, Cosmos DB,
Logic Apps), third measured run: each of their bounds in a usage file (a count of millions over a billion,
seconds or executions over a trillion, memory over 1 TiB refused with the field and the bound; zero
accepted where nothing is a valid usage, refused where a size must be positive), and the share of the month a
custom profile leaves off, which a usage entry's own hours are weighed against.
Written to kill the mutants bench/mutation.py found alive in the rest of the module's sample."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.usage import (
    Phase,
    ResourceUsage,
    UsageFile,
    UsageFileError,
    custom_profile,
    read_usage_file,
)

D = Decimal


def _refused(tmp_path: Path, field: str, value: str) -> str:
    path = tmp_path / "usage.t.yaml"
    path.write_text(f"resources:\n  r:\n    {field}: {value}\n")
    with pytest.raises(UsageFileError) as e:
        read_usage_file(path)
    return str(e.value).removeprefix(f"{path}: ")


def _read(tmp_path: Path, field: str, value: str) -> object:
    path = tmp_path / "usage.t.yaml"
    path.write_text(f"resources:\n  r:\n    {field}: {value}\n")
    return read_usage_file(path).resources["r"].model_dump(by_alias=True)[field]


@pytest.mark.parametrize(
    "field",
    [
        "writeRequestsMillions",
        "ioRequestsMillions",
        "transitionsMillions",
        "dpuHours",
        "connectionMinutesMillions",
        "requestUnitsMillions",
    ],
)
def test_a_count_of_millions_or_dpu_hours_over_a_billion_is_refused_and_a_billion_read(
    tmp_path: Path, field: str
) -> None:
    assert _refused(tmp_path, field, "1000000000.5").startswith(
        f"resources.r.{field}: Input should be less than or equal to 1000000000 (got 1000000000.5)"
    )
    assert _read(tmp_path, field, "1000000000") == 1e9


@pytest.mark.parametrize("field", ["instanceSeconds", "actionExecutions", "connectorExecutions"])
def test_seconds_or_executions_over_a_trillion_are_refused_and_a_trillion_read(
    tmp_path: Path, field: str
) -> None:
    assert _refused(tmp_path, field, "1000000000000.5").startswith(
        f"resources.r.{field}: Input should be less than or equal to 1000000000000 (got 1000000000000.5)"
    )
    assert _read(tmp_path, field, "1000000000000") == 1e12


def test_a_workflows_memory_is_more_than_zero_and_at_most_one_tib(tmp_path: Path) -> None:
    assert _refused(tmp_path, "memoryMB", "1048576.5").startswith(
        "resources.r.memoryMB: Input should be less than or equal to 1048576 (got 1048576.5)"
    )
    assert _read(tmp_path, "memoryMB", "1048576") == 1_048_576
    assert _refused(tmp_path, "memoryMB", "0").startswith(
        "resources.r.memoryMB: Input should be greater than 0 (got 0)"
    )
    assert _read(tmp_path, "memoryMB", "0.5") == 0.5


ZERO_ALLOWED = [
    "transitionsMillions",
    "dpuHours",
    "connectionMinutesMillions",
    "registeredInstances",
    "requestUnitsMillions",
    "actionExecutions",
    "connectorExecutions",
]


def test_every_newer_quantity_is_accepted_at_zero_and_refused_below(tmp_path: Path) -> None:
    path = tmp_path / "usage.t.yaml"
    path.write_text("resources:\n  r:\n" + "".join(f"    {key}: 0\n" for key in ZERO_ALLOWED))
    entry = read_usage_file(path).resources["r"].model_dump(by_alias=True, exclude_none=True)
    assert entry == dict.fromkeys(ZERO_ALLOWED, 0)
    for key in ZERO_ALLOWED:
        assert _refused(tmp_path, key, "-1").startswith(
            f"resources.r.{key}: Input should be greater than or equal to 0 (got -1)"
        ), key


def test_a_custom_profile_leaves_the_rest_of_the_month_off() -> None:
    profile = custom_profile(D(200), D("0.5"))
    assert profile.phases == (Phase(D(200), "desired", D("0.5")), Phase(D(530), "off", D(0)))
    assert profile.mean_utilization == D(100) / D(730)
    assert custom_profile(D(730), D("0.5")).phases == (Phase(D(730), "desired", D("0.5")),)


def test_a_usage_entrys_hours_take_the_busy_share_of_a_custom_profile_over_the_whole_month() -> None:
    """A pool the usage file runs all month, under `profile: custom` of 200 h at 50 % busy: the entry gives
    no utilisation, so the profile's busy share over the month is used, 100 busy hours of 730 = 14 %."""
    group = PlannedResource(
        type="aws:eks/nodeGroup:NodeGroup",
        name="gpu",
        urn="urn:pulumi:t::p::aws:eks/nodeGroup:NodeGroup::gpu",
        parent=None,
        inputs={
            "instanceTypes": ["p5.48xlarge"],
            "scalingConfig": {"minSize": 1, "desiredSize": 1, "maxSize": 1},
        },
        custom=True,
    )
    graph = ResourceGraph(stack="t", project="p", resources=[group], config={"aws:region": "us-east-1"})
    usage = UsageFile(resources={"gpu": ResourceUsage(hoursPerMonth=730)})
    result = estimate(graph, default_catalog(), profile=custom_profile(D(200), D("0.5")), usage=usage)
    (machine,) = [ln for ln in result.lines if "root volume" not in ln.description]
    assert (
        "usage file (stacks/usage.<stack>.yaml): custom: 730.0 h a month at 14 % busy" in machine.assumptions
    )
