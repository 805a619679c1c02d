"""estimate/usage.py after its Fargate pod fields, second measured run: what a user sees when a `--price`
names a machine the catalog already prices (one warning for that line, none for the others), and the
message for a usage file path that is not a file. Written to kill the mutants bench/mutation.py found alive
in the module's new sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate.usage import UsageFileError, parse_prices, read_usage_file
from aiinfra.services.stack import estimate_graph


def node_group(name: str, instance_type: str) -> PlannedResource:
    return PlannedResource(
        type="aws:eks/nodeGroup:NodeGroup",
        name=name,
        urn=f"urn:pulumi:t::p::aws:eks/nodeGroup:NodeGroup::{name}",
        parent=None,
        inputs={
            "instanceTypes": [instance_type],
            "scalingConfig": {"minSize": 1, "desiredSize": 1, "maxSize": 1},
        },
        custom=True,
    )


GRAPH = ResourceGraph(
    stack="t",
    project="p",
    resources=[node_group("gpu", "p5.48xlarge"), node_group("cpu", "m7i.xlarge")],
    config={"aws:region": "us-east-1"},
)


def test_a_price_for_a_machine_the_catalog_prices_is_one_warning_naming_its_line() -> None:
    result = estimate_graph(GRAPH, None, None, None, None, parse_prices(["p5.48xlarge=0.01"]))
    assert result.warnings == [
        "gpu: catalog price used, not your price (your price (--price p5.48xlarge=0.01)): the catalog prices "
        "p5.48xlarge in us-east-1"
    ]


def test_an_estimate_without_prices_warns_of_nothing_though_its_lines_carry_assumptions() -> None:
    result = estimate_graph(GRAPH, None, None, None, None)
    assert all(ln.assumptions for ln in result.lines), "every line has notes: none of them is a warning"
    assert result.warnings == []


def test_a_usage_file_path_that_is_a_folder_or_missing_is_named_as_a_usage_file(tmp_path: Path) -> None:
    with pytest.raises(UsageFileError) as folder:
        read_usage_file(tmp_path)
    assert str(folder.value) == (
        f"'{tmp_path}' is a directory, not a usage file. Give the path of a usage file, a file."
    )
    with pytest.raises(UsageFileError) as missing:
        read_usage_file(tmp_path / "usage.t.yaml")
    assert str(missing.value) == f"no file at '{tmp_path / 'usage.t.yaml'}'. Check the path of a usage file."


def test_a_quoted_number_in_a_usage_file_is_refused_not_read_as_a_number(tmp_path: Path) -> None:
    """YAML `"3"` is a string: the file is read strictly, so a quoted count or price is a mistake to fix,
    not a number to guess."""
    path = tmp_path / "usage.t.yaml"
    path.write_text('resources:\n  gpu:\n    nodes: "3"\nprices:\n  x9.custom: "1.5"\n')
    with pytest.raises(UsageFileError) as e:
        read_usage_file(path)
    assert str(e.value).startswith(
        f"{path}: resources.gpu.nodes: Input should be a valid integer (got '3'); "
        f"{path}: prices.x9.custom: Input should be a valid number (got '1.5'). The usage file is a mapping"
    )


def test_every_key_of_a_usage_entry_is_read_by_its_camel_case_name(tmp_path: Path) -> None:
    """The keys with an alias of their own (GiB, GB, Vcpu spellings) as well as the generated ones."""
    path = tmp_path / "usage.t.yaml"
    path.write_text(
        "resources:\n"
        "  data:\n"
        "    storageGiB: 500\n"
        "    dataProcessedGB: 20.5\n"
        "    logIngestedGB: 3\n"
        "    requestsMillions: 7\n"
        "  apps:\n"
        "    pods: 3\n"
        "    podVcpu: 0.5\n"
        "    podMemoryGB: 1\n"
        "    podEphemeralGB: 30\n"
    )
    doc = read_usage_file(path)
    data, apps = doc.resources["data"], doc.resources["apps"]
    assert (data.storage_gib, data.data_processed_gb, data.log_ingested_gb, data.requests_millions) == (
        500,
        20.5,
        3,
        7,
    )
    assert (apps.pods, apps.pod_vcpu, apps.pod_memory_gb, apps.pod_ephemeral_gb) == (3, 0.5, 1, 30)


@pytest.mark.parametrize(
    ("field", "value"),
    [("requestsMillions", "1000000000.5"), ("readRequestsMillions", "1000000000.5")],
)
def test_a_count_of_millions_over_a_billion_is_refused(tmp_path: Path, field: str, value: str) -> None:
    path = tmp_path / "usage.t.yaml"
    path.write_text(f"resources:\n  api:\n    {field}: {value}\n")
    with pytest.raises(UsageFileError) as e:
        read_usage_file(path)
    assert str(e.value).startswith(
        f"{path}: resources.api.{field}: Input should be less than or equal to 1000000000 (got {value})"
    )
    path.write_text(f"resources:\n  api:\n    {field}: 1000000000\n")
    assert read_usage_file(path).resources["api"].model_dump(by_alias=True)[field] == 1e9


ZERO_ALLOWED = [
    "nodes",
    "utilization",
    "storageGiB",
    "dataProcessedGB",
    "logIngestedGB",
    "capacityUnits",
    "readRequestsMillions",
    "writeRequestsMillions",
    "ioRequestsMillions",
    "pods",
    "podEphemeralGB",
    "requestsMillions",
    "instanceSeconds",
]


def test_every_quantity_that_may_be_zero_is_accepted_at_zero(tmp_path: Path) -> None:
    path = tmp_path / "usage.t.yaml"
    path.write_text("resources:\n  r:\n" + "".join(f"    {key}: 0\n" for key in ZERO_ALLOWED))
    entry = read_usage_file(path).resources["r"].model_dump(by_alias=True, exclude_none=True)
    assert entry == dict.fromkeys(ZERO_ALLOWED, 0)


@pytest.mark.parametrize("field", ["hoursPerMonth", "podVcpu", "podMemoryGB"])
def test_hours_and_a_pods_size_must_be_more_than_zero(tmp_path: Path, field: str) -> None:
    path = tmp_path / "usage.t.yaml"
    path.write_text(f"resources:\n  r:\n    {field}: 0\n")
    with pytest.raises(UsageFileError) as e:
        read_usage_file(path)
    assert str(e.value).startswith(f"{path}: resources.r.{field}: Input should be greater than 0 (got 0)")
    path.write_text(f"resources:\n  r:\n    {field}: 0.25\n")
    assert read_usage_file(path).resources["r"].model_dump(by_alias=True)[field] == 0.25
