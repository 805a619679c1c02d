"""Reading preview, export and checkpoint files: the behaviours a sampled mutation run of engine/inputs.py
found no test for (issue 19). Each test builds its own small document in the shape Pulumi writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aiinfra.engine import inputs
from aiinfra.engine.graph import GraphFormatError
from aiinfra.engine.inputs import (
    UNKNOWN,
    detect_format,
    graph_from_preview,
    graph_from_state,
    load_graph,
    preview_lacks_sames,
    preview_operations,
    what_it_is,
)
from aiinfra.guard import DOCUMENT_LIMIT, InputError, read_text

SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""Pulumi's wire value for an unknown (sdk/python/lib/pulumi/runtime/rpc.py, UNKNOWN)."""
INSTANCE = "aws:ec2/instance:Instance"
BUCKET = "aws:s3/bucket:Bucket"
PROVIDER = "urn:pulumi:dev::p::pulumi:providers:aws::default_7_7_0::5c1d8f2e"


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:dev::p::{type_}::{name}"


def state(type_: str, name: str, **extra: Any) -> dict[str, Any]:
    return {"urn": urn(type_, name), "custom": True, "type": type_, **extra}


def write(tmp_path: Path, doc: Any) -> Path:
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc))
    return path


# -- the module's public names -----------------------------------------------------------------------------


def test_a_star_import_gives_every_public_reader() -> None:
    scope: dict[str, Any] = {}
    exec("from aiinfra.engine.inputs import *", scope)
    for name in ("UNKNOWN", "graph_from_plan", "graph_from_preview", "graph_from_state", "load_graph"):
        assert scope[name] is getattr(inputs, name), f"{name} is part of the public API"


def test_an_unknown_reads_as_the_offline_plans_marker_text() -> None:
    graph = graph_from_preview(
        {
            "steps": [
                {
                    "op": "create",
                    "urn": urn(BUCKET, "b"),
                    "newState": state(BUCKET, "b", inputs={"a": SENTINEL}),
                }
            ]
        }
    )
    assert graph.resources[0].inputs == {"a": "<unknown until created>"}, "the text an estimate line shows"


# -- previews ------------------------------------------------------------------------------------------------


def test_a_preview_without_a_steps_list_is_refused_with_the_command_to_run() -> None:
    with pytest.raises(GraphFormatError) as caught:
        graph_from_preview({"steps": {"op": "create"}})
    assert caught.value.message == 'a preview document needs a "steps" list.'
    assert caught.value.fix == "Give the output of `pulumi preview --json`."


def test_the_graph_before_an_update_holds_each_resources_old_state() -> None:
    old = state(INSTANCE, "node", inputs={"instanceType": "p4d.24xlarge"})
    new = state(INSTANCE, "node", inputs={"instanceType": "p5.48xlarge"})
    same = state(BUCKET, "data", inputs={"bucket": "data"})
    created = state(BUCKET, "new")
    doc = {
        "steps": [
            {"op": "create", "urn": created["urn"], "newState": created},
            {"op": "update", "urn": old["urn"], "oldState": old, "newState": new},
            {"op": "same", "urn": same["urn"], "newState": same},  # an unchanged resource: new state only
        ]
    }
    before = graph_from_preview(doc, before=True)
    assert [(r.name, r.inputs) for r in before.resources] == [
        ("node", {"instanceType": "p4d.24xlarge"}),
        ("data", {"bucket": "data"}),
    ], "the updated instance as it was, the unchanged bucket from its only state, nothing created yet"
    after = graph_from_preview(doc)
    assert after.get(INSTANCE, "node").inputs == {"instanceType": "p5.48xlarge"}
    assert sorted(r.name for r in after.resources) == ["data", "new", "node"]


def test_the_graph_before_an_update_leaves_out_resources_the_program_only_reads() -> None:
    read = state(INSTANCE, "shared")
    mine = state(BUCKET, "data")
    doc = {
        "steps": [
            {"op": "read", "urn": read["urn"], "oldState": read, "newState": read},
            {"op": "same", "urn": mine["urn"], "oldState": mine, "newState": mine},
        ]
    }
    assert [r.name for r in graph_from_preview(doc, before=True).resources] == ["data"]


def test_new_outputs_win_and_an_update_without_them_keeps_the_old_ones_but_a_replacement_does_not() -> None:
    def step(op: str, name: str, new_outputs: dict[str, Any] | None) -> dict[str, Any]:
        old = state(INSTANCE, name, outputs={"instanceType": "p4d.24xlarge"})
        new = state(INSTANCE, name, **({"outputs": new_outputs} if new_outputs else {}))
        return {"op": op, "urn": old["urn"], "oldState": old, "newState": new}

    graph = graph_from_preview(
        {
            "steps": [
                step("update", "updated", {"instanceType": "p5.48xlarge"}),
                step("update", "silent", None),
                step("replace", "replaced", None),
            ]
        }
    )
    assert graph.get(INSTANCE, "updated").outputs == {"instanceType": "p5.48xlarge"}, "the cloud's new answer"
    assert graph.get(INSTANCE, "silent").outputs == {"instanceType": "p4d.24xlarge"}, "not replaced: it holds"
    assert graph.get(INSTANCE, "replaced").outputs == {}, (
        "a replacement is a new resource: nothing decided yet"
    )


def test_a_step_names_the_provider_when_its_state_does_not() -> None:
    doc = {
        "steps": [
            {"op": "create", "urn": urn(BUCKET, "b"), "provider": PROVIDER, "newState": state(BUCKET, "b")}
        ]
    }
    assert graph_from_preview(doc).resources[0].provider == PROVIDER
    before = graph_from_preview(
        {
            "steps": [
                {"op": "same", "urn": urn(BUCKET, "b"), "provider": PROVIDER, "oldState": state(BUCKET, "b")}
            ]
        },
        before=True,
    )
    assert before.resources[0].provider == PROVIDER


def test_a_preview_state_without_a_urn_is_refused_with_the_preview_command() -> None:
    with pytest.raises(GraphFormatError) as caught:
        graph_from_preview({"steps": [{"op": "create", "newState": {"type": BUCKET}}]})
    assert caught.value.message == "resource 0 of the preview has no urn."
    assert caught.value.fix == "Regenerate it with `pulumi preview --json > preview.json`."


def test_a_state_without_a_urn_in_an_export_names_the_export_command() -> None:
    with pytest.raises(GraphFormatError) as caught:
        graph_from_state({"version": 3, "deployment": {"resources": [{"type": BUCKET}]}})
    assert caught.value.message == "resource 0 of the state export has no urn."
    assert caught.value.fix == "Regenerate it with `pulumi stack export > state.json`."


def test_what_a_preview_does_to_each_resource_by_type_and_name() -> None:
    component = "my:index:Cluster"
    child = f"urn:pulumi:dev::p::{component}$aws:s3/bucket:Bucket::logs"
    doc = {
        "steps": [
            {"op": "create", "urn": urn(BUCKET, "new")},
            {"op": "update", "urn": child},
            {"op": "import", "urn": urn(INSTANCE, "adopted")},
            {"op": "create-replacement", "urn": urn(INSTANCE, "node")},
            {"op": "replace", "urn": urn(INSTANCE, "node")},
            {"op": "delete-replaced", "urn": urn(INSTANCE, "node")},
            {"op": "delete", "urn": urn(BUCKET, "old")},
            {"op": "same", "urn": urn(BUCKET, "kept")},
        ]
    }
    assert preview_operations(doc) == {
        (BUCKET, "new"): "created",
        (BUCKET, "logs"): "updated",
        (INSTANCE, "adopted"): "imported",
        (INSTANCE, "node"): "replaced",
        (BUCKET, "old"): "deleted",
    }, "a child's type is the last of its URN's type chain; unchanged resources are not named"
    assert preview_operations({"changeSummary": {"same": 2}}) == {}, "a preview that lists no steps"


def test_a_preview_lacks_sames_only_when_it_counts_more_than_it_lists() -> None:
    same = {"op": "same", "urn": urn(BUCKET, "kept")}
    assert preview_lacks_sames({"steps": [same], "changeSummary": {"same": 1}}) is False
    assert preview_lacks_sames({"steps": [same], "changeSummary": {"same": 2}}) is True
    assert preview_lacks_sames({"steps": [], "changeSummary": {"same": 1}}) is True


# -- state exports and checkpoints -----------------------------------------------------------------------------


def test_a_resources_type_that_is_no_text_is_read_from_its_urn() -> None:
    doc = {"version": 3, "deployment": {"resources": [{**state(BUCKET, "b"), "type": 7}]}}
    assert graph_from_state(doc).resources[0].type == BUCKET


def test_custom_and_remote_flags_are_read_as_the_file_gives_them() -> None:
    module_component = "my:index/cluster:Cluster"  # a component whose type looks like a cloud resource's
    doc = {
        "version": 3,
        "deployment": {
            "resources": [
                {"urn": urn(module_component, "c"), "type": module_component, "custom": False},
                {"urn": urn(INSTANCE, "i"), "type": INSTANCE},
                {
                    "urn": urn("eks:index:Cluster", "k"),
                    "type": "eks:index:Cluster",
                    "custom": False,
                    "remote": True,
                },
            ]
        },
    }
    graph = graph_from_state(doc)
    assert sorted((r.name, r.custom, r.remote) for r in graph.resources) == [
        ("c", False, False),
        ("i", True, False),
        ("k", False, True),
    ], "an explicit custom flag wins; without one the type decides; remote is kept"


def test_the_backends_checkpoint_file_is_read_as_its_latest_deployment(tmp_path: Path) -> None:
    doc = {"version": 3, "checkpoint": {"stack": "dev", "latest": {"resources": [state(BUCKET, "b")]}}}
    assert detect_format(doc) == "checkpoint"
    graph = load_graph(write(tmp_path, doc))
    assert [(r.type, r.name) for r in graph.resources] == [(BUCKET, "b")]


def test_a_checkpoint_of_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, {"version": 5, "checkpoint": {"latest": {"resources": []}}})
    with pytest.raises(GraphFormatError) as caught:
        load_graph(path)
    assert "version 5" in caught.value.message and str(path) in caught.value.message


def test_lists_inside_inputs_are_read_like_mappings() -> None:
    inputs_ = {"ids": [SENTINEL, "sg-1"], "rules": [{"__defaults": [], "port": 22, "cidr": SENTINEL}]}
    doc = {"version": 3, "deployment": {"resources": [state(BUCKET, "b", inputs=inputs_)]}}
    assert graph_from_state(doc).resources[0].inputs == {
        "ids": [UNKNOWN, "sg-1"],
        "rules": [{"port": 22, "cidr": UNKNOWN}],
    }, "an unknown in a list and the engine's keys in a list of objects"


# -- telling documents apart -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc",
    [{"resources": {}}, {"resources": [{"type": BUCKET}]}, {"resources": [{"name": "b"}]}],
    ids=["resources-object", "no-name", "no-type"],
)
def test_resources_that_are_no_list_of_type_and_name_are_no_plan(doc: dict[str, Any], tmp_path: Path) -> None:
    assert detect_format(doc) is None
    with pytest.raises(GraphFormatError) as caught:
        load_graph(write(tmp_path, doc))
    assert "is not a resource graph: it is a JSON object with the key resources." in caught.value.message


@pytest.mark.parametrize(
    ("doc", "named"),
    [
        ({"manifest": {}, "config": {}}, "a Pulumi update plan (`pulumi preview --save-plan`)"),
        ({"resourcePlans": {}}, "a Pulumi update plan (`pulumi preview --save-plan`)"),
        (
            {"manifest": {}, "config": {}, "resources": {}},
            "a JSON object with the keys config, manifest, resources",
        ),
        ({"totals": {}, "lines": []}, "an estimate (`infra estimate --format json`)"),
        ({"lines": []}, "a JSON object with the key lines"),
        ({"totals": {}}, "a JSON object with the key totals"),
        ({"format_version": "1.2"}, "a Terraform plan or state, not a Pulumi document"),
        ({"resource_changes": []}, "a Terraform plan or state, not a Pulumi document"),
    ],
)
def test_what_a_document_that_is_no_graph_is(doc: dict[str, Any], named: str) -> None:
    assert what_it_is(doc).startswith(named)


def test_a_refusal_from_the_input_guard_keeps_the_guards_own_fix(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(InputError) as guard:
        read_text(missing, what="a preview, state export or plan", limit_bytes=DOCUMENT_LIMIT)
    with pytest.raises(GraphFormatError) as caught:
        load_graph(missing)
    assert guard.value.fix and caught.value.fix == guard.value.fix, "the guard says what to check"
