"""Resource graphs from files: `pulumi preview --json`, `pulumi stack export`, our own plan JSON, and the
detection between them. The Pulumi files are recorded in tests/data/graphs/ (see its README)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from aiinfra.components.stack import run_program
from aiinfra.engine import mocks
from aiinfra.engine.graph import GraphFormatError, ResourceGraph, is_component_type
from aiinfra.engine.inputs import (
    SECRET_SIG,
    UNKNOWN,
    detect_format,
    graph_from_preview,
    graph_from_state,
    is_secret,
    load_graph,
)
from aiinfra.engine.plan import plan_program
from aiinfra.spec.loader import read_stack_config, stack_file
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data" / "graphs"
STACK = "urn:pulumi:dev::gpu-train::pulumi:pulumi:Stack::gpu-train-dev"
PROVIDER_URN = "urn:pulumi:dev::gpu-train::pulumi:providers:aws::default_7_7_0"
PROVIDER_REF = f"{PROVIDER_URN}::5c1d8f2e-6a40-4f7b-9d53-0b8e2f1a7c64"
INSTANCE = "aws:ec2/instance:Instance"
BUCKET = "aws:s3/bucket:Bucket"


def read(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text())


def summary(graph: ResourceGraph) -> list[tuple[str, str, str | None, bool]]:
    return [(r.type, r.name, r.parent, r.custom) for r in graph.resources]


@pytest.fixture(scope="module")
def example() -> ResourceGraph:
    return plan_program(run_program, stack="example", config=read_stack_config(stack_file("example")))


# pulumi preview --json


def test_a_preview_gives_what_exists_after_the_update_without_the_deleted_volume_or_the_stack_root() -> None:
    graph = graph_from_preview(read("preview.json"))
    assert (graph.stack, graph.project) == ("dev", "gpu-train"), "stack and project come from the URNs"
    assert summary(graph) == [
        ("aws:ec2/instance:Instance", "train-0", None, True),
        ("aws:s3/bucket:Bucket", "datasets", None, True),
        ("pulumi:providers:aws", "default_7_7_0", None, True),
    ], "created and unchanged resources, children of the stack root at the top, nothing deleted"
    assert not graph.by_type("aws:ebs/volume:Volume"), "the deleted volume does not exist after the update"
    assert not graph.by_type("pulumi:pulumi:Stack"), "the stack root is never a resource of the graph"
    assert graph.warnings == [], "a --show-sames preview lists every unchanged resource"


def test_a_preview_keeps_inputs_providers_flags_and_config_as_pulumi_wrote_them() -> None:
    graph = graph_from_preview(read("preview.json"))
    instance = graph.get(INSTANCE, "train-0")
    assert instance.urn == "urn:pulumi:dev::gpu-train::aws:ec2/instance:Instance::train-0"
    assert instance.inputs == {
        "ami": "ami-0123456789abcdef0",
        "instanceType": "p5.48xlarge",
        "tags": {"Name": "train-0"},
        "userData": "[secret]",
    }, "engine keys (__defaults) dropped, the blinded secret passed through"
    assert instance.provider == PROVIDER_REF, "the provider reference is what finds the region"
    provider = graph.get("pulumi:providers:aws", "default_7_7_0")
    assert provider.inputs["region"] == "us-west-2"
    assert PROVIDER_REF.startswith(provider.urn), "a resource's provider reference names the provider's URN"
    bucket = graph.get(BUCKET, "datasets")
    assert bucket.protect and bucket.retain_on_delete, "protect and retainOnDelete are read"
    assert graph.config == {"aws:region": "us-west-2", "gpu-train:sshKey": "[secret]"}


def test_a_preview_without_show_sames_warns_that_unchanged_resources_are_missing() -> None:
    doc = read("preview.json")
    doc["steps"] = [s for s in doc["steps"] if s["op"] != "same" or "Stack" in s["urn"]]
    graph = graph_from_preview(doc)
    assert [r.name for r in graph.resources] == ["train-0", "datasets"]
    assert len(graph.warnings) == 1 and "--show-sames" in graph.warnings[0], (
        f"the user must learn the graph is partial and how to get all of it: {graph.warnings}"
    )


def test_a_replaced_resource_appears_once_with_its_new_state_and_unknowns_read_as_unknown() -> None:
    urn = "urn:pulumi:dev::p::aws:ec2/instance:Instance::node"
    old = {"urn": urn, "custom": True, "type": INSTANCE, "inputs": {"instanceType": "p4d.24xlarge"}}
    new = {
        "urn": urn,
        "custom": True,
        "type": INSTANCE,
        "inputs": {"instanceType": "p5.48xlarge", "subnetId": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"},
    }
    doc = {
        "steps": [
            {"op": "create-replacement", "urn": urn, "oldState": old, "newState": new},
            {"op": "replace", "urn": urn, "oldState": old, "newState": new},
            {"op": "delete-replaced", "urn": urn, "oldState": old},
        ],
        "changeSummary": {"replace": 1},
    }
    graph = graph_from_preview(doc)
    assert [(r.name, r.inputs["instanceType"]) for r in graph.resources] == [("node", "p5.48xlarge")]
    assert graph.resources[0].inputs["subnetId"] == UNKNOWN == mocks.UNKNOWN, (
        "an unknown reads as the offline plan's marker"
    )


def test_a_created_child_of_an_unchanged_component_is_kept_when_the_preview_leaves_the_parent_out() -> None:
    parent = "urn:pulumi:dev::p::my:index:Cluster::c"
    urn = "urn:pulumi:dev::p::my:index:Cluster$aws:s3/bucket:Bucket::c-data"
    doc = {
        "steps": [
            {
                "op": "create",
                "urn": urn,
                "newState": {"urn": urn, "custom": True, "type": BUCKET, "parent": parent},
            }
        ]
    }
    graph = graph_from_preview(doc)
    assert summary(graph) == [(BUCKET, "c-data", parent, True)], "a resource is never lost for its parent"


# pulumi stack export


def test_a_state_export_gives_the_deployed_resources_with_the_default_provider_and_no_stack_root() -> None:
    graph = graph_from_state(read("export.json"))
    assert (graph.stack, graph.project) == ("dev", "gpu-train")
    assert summary(graph) == [
        ("aws:ec2/instance:Instance", "train-0", None, True),
        ("aws:s3/bucket:Bucket", "datasets", None, True),
        ("pulumi:providers:aws", "default_7_7_0", None, True),
    ]
    assert graph.get("pulumi:providers:aws", "default_7_7_0").inputs == {
        "region": "us-west-2",
        "skipCredentialsValidation": "false",
        "skipRegionValidation": "true",
        "version": "7.7.0",
    }, "the default provider's inputs carry the region"
    assert graph.config == {}, "an export holds no stack config"
    assert graph.warnings == []


def test_a_state_export_passes_secrets_through_still_encrypted() -> None:
    graph = graph_from_state(read("export.json"))
    instance = graph.get(INSTANCE, "train-0")
    user_data = instance.inputs["userData"]
    assert is_secret(user_data) and user_data["4dabf18193072939515e22adb298388d"] == SECRET_SIG
    assert user_data["ciphertext"].startswith("v1:"), "a secret is never decrypted, only carried"
    assert instance.inputs["instanceType"] == "p5.48xlarge"
    assert instance.provider == PROVIDER_REF


def test_a_state_export_leaves_out_resources_pending_deletion() -> None:
    doc = read("export.json")
    resources = doc["deployment"]["resources"]
    old = copy.deepcopy(resources[2])
    old.update(delete=True, id="i-0123456789abcdef0")
    resources.append(old)
    gone = copy.deepcopy(resources[3])
    gone.update(pendingReplacement=True)
    resources[3] = gone
    graph = graph_from_state(doc)
    assert [r.name for r in graph.resources] == ["train-0", "default_7_7_0"], (
        "the old copy of a replaced instance and a deleted-before-replace bucket do not exist"
    )


def test_a_state_export_of_a_newer_version_is_refused_with_a_fix() -> None:
    with pytest.raises(GraphFormatError) as caught:
        graph_from_state({"version": 5, "deployment": {"resources": []}})
    assert "version 5" in caught.value.message and caught.value.fix


# our own plan JSON


def test_a_plan_survives_a_round_trip_through_its_json(example: ResourceGraph) -> None:
    doc = json.loads(json.dumps(example.to_json()))
    back = ResourceGraph.from_json(doc)
    assert (back.stack, back.project) == (example.stack, example.project)
    assert back.resources == example.resources, "every field of every resource, in order"
    assert back.warnings == example.warnings


def test_plan_json_carries_the_provider_and_never_the_config(example: ResourceGraph) -> None:
    graph = ResourceGraph(
        stack=example.stack,
        project=example.project,
        resources=example.resources,
        config={"aiinfra:token": "hunter2"},
    )
    doc = graph.to_json()
    assert "config" not in doc and "hunter2" not in json.dumps(doc), "config can hold secrets"
    pool = next(r for r in doc["resources"] if r["type"] == "aws:eks/nodeGroup:NodeGroup")
    assert set(pool) == {
        "type",
        "name",
        "parent",
        "inputs",
        "urn",
        "custom",
        "protect",
        "retainOnDelete",
        "provider",
        "id",
    }
    assert pool["provider"] and pool["provider"].startswith(
        "urn:pulumi:example::aiinfra::pulumi:providers:aws::train-aws"
    ), "the estimator finds a resource's region through its provider"
    assert pool["id"] == example.get("aws:eks/nodeGroup:NodeGroup", pool["name"]).id != "", "linked by it"
    again = ResourceGraph.from_json(doc)
    assert [r.id for r in again.resources] == [r.id for r in example.resources], "a saved plan keeps the ids"
    assert all(r.id == "" for r in example.resources if not r.custom), "components have no id"


def test_a_hand_written_plan_gets_urns_custom_flags_and_no_provider() -> None:
    doc = {
        "stack": "s",
        "resources": [
            {"type": "aiinfra:aws:GpuCluster", "name": "c", "parent": None, "inputs": {}},
            {"type": INSTANCE, "name": "i", "parent": None, "inputs": {"instanceType": "p5.48xlarge"}},
            {"type": "pulumi:providers:aws", "name": "p", "inputs": {"region": "eu-west-1"}},
        ],
    }
    graph = ResourceGraph.from_json(doc)
    assert graph.project == "aiinfra", "no URN to read it from: the default project"
    assert [(r.urn, r.custom, r.provider) for r in graph.resources] == [
        ("urn:pulumi:s::aiinfra::aiinfra:aws:GpuCluster::c", False, None),
        ("urn:pulumi:s::aiinfra::aws:ec2/instance:Instance::i", True, None),
        ("urn:pulumi:s::aiinfra::pulumi:providers:aws::p", True, None),
    ]


@pytest.mark.parametrize(
    ("type_", "component"),
    [
        ("aiinfra:aws:GpuCluster", True),
        ("awsx:ec2:Vpc", True),
        ("pulumi:pulumi:Stack", True),
        ("aws:ec2/instance:Instance", False),
        ("pulumi:providers:aws", False),
        ("kubernetes:core/v1:Namespace", False),
    ],
)
def test_a_type_is_guessed_a_component_only_with_three_plain_parts(type_: str, component: bool) -> None:
    assert is_component_type(type_) is component, f"{type_} guessed wrong"


def test_a_plan_document_of_the_wrong_shape_is_a_format_error_with_a_fix() -> None:
    for doc in ([], {"stack": "s"}, {"stack": "s", "resources": [{"type": "t"}]}):
        with pytest.raises(GraphFormatError) as caught:
            ResourceGraph.from_json(doc)  # type: ignore[arg-type]
        assert caught.value.fix, f"{doc!r} must be refused with a fix"


# load_graph


@pytest.mark.parametrize(
    ("name", "kind"), [("preview.json", "preview"), ("export.json", "export"), ("plan.json", "plan")]
)
def test_load_graph_tells_the_three_formats_apart(
    name: str, kind: str, tmp_path: Path, example: ResourceGraph
) -> None:
    if name == "plan.json":
        (tmp_path / name).write_text(json.dumps(example.to_json()))
        path = tmp_path / name
    else:
        path = DATA / name
    assert detect_format(json.loads(path.read_text())) == kind
    graph = load_graph(path)
    expected = "train-0" if kind != "plan" else "train"
    assert any(r.name == expected for r in graph.resources), f"{name} read as a {kind}"


def test_load_graph_names_the_file_and_the_formats_for_json_that_is_no_graph(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"name": "not a graph"}')
    with pytest.raises(GraphFormatError) as caught:
        load_graph(path)
    assert str(path) in caught.value.message, "the error names the file"
    for fmt in ("pulumi preview --json", "pulumi stack export", "infra plan --format json"):
        assert fmt in caught.value.fix, f"the fix names the format {fmt}"


def test_load_graph_gives_the_same_error_for_text_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "preview.txt"
    path.write_text("Previewing update (dev)\n\n     Type    Name\n +   pulumi:pulumi:Stack  gpu-train-dev\n")
    with pytest.raises(GraphFormatError) as caught:
        load_graph(path)
    assert "not JSON" in caught.value.message and "line 1" in caught.value.message
    assert "--json" in caught.value.fix, "the likely cause (a preview without --json) is named"


def test_load_graph_of_a_missing_file_is_a_format_error(tmp_path: Path) -> None:
    with pytest.raises(GraphFormatError) as caught:
        load_graph(tmp_path / "nope.json")
    assert "no file" in caught.value.message


def test_load_graph_names_the_file_when_a_recognised_document_is_broken(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text(json.dumps({"version": 3, "deployment": {"resources": [{"type": BUCKET}]}}))
    with pytest.raises(GraphFormatError) as caught:
        load_graph(path)
    assert str(path) in caught.value.message and "no urn" in caught.value.message


def test_reading_graph_files_never_imports_pulumi() -> None:
    import subprocess
    import sys

    code = (
        "import sys, aiinfra.engine.inputs as i; i.load_graph(sys.argv[1]); "
        "print(any(m.split('.')[0] == 'pulumi' for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(DATA / "export.json")], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False", "the estimator reads files on machines without the Pulumi SDK"


def test_resources_only_read_with_get_belong_to_someone_else_and_are_left_out() -> None:
    doc = read("export.json")
    resources = doc["deployment"]["resources"]
    borrowed = copy.deepcopy(resources[2])
    borrowed.update(urn=borrowed["urn"] + "-shared", external=True, id="i-0fedcba9876543210")
    resources.append(borrowed)
    assert [r.name for r in graph_from_state(doc).resources].count("train-0") == 1, (
        "an external (read) instance is not this stack's to price or check"
    )
    preview = read("preview.json")
    step = copy.deepcopy(next(s for s in preview["steps"] if s["op"] == "create" and "Instance" in s["urn"]))
    step["op"] = "read"
    step["urn"] += "-shared"
    step["newState"]["urn"] = step["urn"]
    preview["steps"].append(step)
    names = [r.urn for r in graph_from_preview(preview).resources]
    assert step["urn"] not in names, "a read step is a look-up, not a resource of this stack"
