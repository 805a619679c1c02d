"""The resource graph (engine/graph.py) as a user meets it: a saved `infra plan --format json` read back
(`ResourceGraph.from_json`, through `infra estimate --from`'s loader), the document it writes, the order
resources are listed in, the refusals of a malformed plan, URNs and the component guess. The cases
bench/mutation.py found untested; each test builds its own small document."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from aiinfra.engine.errors import BadInput
from aiinfra.engine.graph import (
    GraphFormatError,
    PlannedResource,
    ResourceGraph,
    is_component_type,
    make_urn,
    urn_parts,
)
from aiinfra.engine.inputs import load_graph
from aiinfra.policy import check_graph
from aiinfra.services.stack import graph_file

INSTANCE = "aws:ec2/instance:Instance"
BUCKET = "aws:s3/bucket:Bucket"
CLUSTER = "aiinfra:aws:GpuCluster"
PROVIDER_URN = "urn:pulumi:prod::train::pulumi:providers:aws::east"


def saved(tmp_path: Path, doc: Any) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc))
    return path


# -- reading a saved plan ---------------------------------------------------------------------------------


def test_every_field_a_plan_document_gives_is_read_back(tmp_path: Path) -> None:
    cluster_urn = "urn:pulumi:prod::train::aiinfra:aws:GpuCluster::c"
    doc = {
        "stack": "prod",
        "resources": [
            {"type": CLUSTER, "name": "c", "urn": cluster_urn, "parent": None, "inputs": {}, "custom": False},
            {
                "type": INSTANCE,
                "name": "i",
                "urn": "urn:pulumi:prod::train::aiinfra:aws:GpuCluster$aws:ec2/instance:Instance::i",
                "parent": cluster_urn,
                "inputs": {"instanceType": "p5.48xlarge"},
                "custom": True,
                "protect": True,
                "retainOnDelete": True,
                "provider": f"{PROVIDER_URN}::0f1e",
                "remote": True,
                "outputs": {"arn": "arn:aws:ec2:us-east-1:1:instance/i-1"},
                "id": "i-1",
            },
        ],
        "warnings": ["one", 2],
    }
    graph = load_graph(saved(tmp_path, doc))
    assert (graph.stack, graph.project, graph.warnings) == ("prod", "train", ["one", "2"])
    assert graph.resources == [
        PlannedResource(CLUSTER, "c", cluster_urn, None, {}, False),
        PlannedResource(
            type=INSTANCE,
            name="i",
            urn="urn:pulumi:prod::train::aiinfra:aws:GpuCluster$aws:ec2/instance:Instance::i",
            parent=cluster_urn,
            inputs={"instanceType": "p5.48xlarge"},
            custom=True,
            protect=True,
            retain_on_delete=True,
            provider=f"{PROVIDER_URN}::0f1e",
            remote=True,
            outputs={"arn": "arn:aws:ec2:us-east-1:1:instance/i-1"},
            id="i-1",
        ),
    ]


def test_a_minimal_hand_written_resource_gets_the_defaults() -> None:
    graph = ResourceGraph.from_json({"stack": "s", "resources": [{"type": BUCKET, "name": "b", "urn": ""}]})
    (r,) = graph.resources
    assert (r.urn, r.parent, r.inputs, r.custom, r.protect, r.retain_on_delete) == (
        "urn:pulumi:s::aiinfra::aws:s3/bucket:Bucket::b",
        None,
        {},
        True,
        False,
        False,
    )
    assert (r.provider, r.remote, r.outputs, r.id, graph.warnings) == (None, False, {}, "", [])


def test_odd_values_are_read_as_absent() -> None:
    doc = {
        "stack": "s",
        "resources": [
            {
                "type": INSTANCE,
                "name": "i",
                "urn": 5,
                "parent": "",
                "inputs": [1],
                "provider": "",
                "remote": "yes",
                "outputs": "x",
                "id": 7,
                "custom": 0,
            }
        ],
        "warnings": "not a list",
    }
    graph = ResourceGraph.from_json(doc)
    (r,) = graph.resources
    assert (r.urn, r.parent, r.inputs, r.provider, r.remote, r.outputs, r.id, r.custom) == (
        "urn:pulumi:s::aiinfra::aws:ec2/instance:Instance::i",
        None,
        {},
        None,
        False,
        {},
        "",
        False,
    )
    assert graph.warnings == []


def test_the_project_comes_from_the_argument_then_the_document_then_a_urn() -> None:
    resources = [
        {"type": BUCKET, "name": "a"},
        {"type": BUCKET, "name": "b", "urn": "not a urn"},
        {"type": BUCKET, "name": "c", "urn": "urn:pulumi:s::from-urn::aws:s3/bucket:Bucket::c"},
    ]
    doc: dict[str, Any] = {"stack": "s", "resources": resources}
    assert ResourceGraph.from_json(doc).project == "from-urn"
    assert ResourceGraph.from_json({**doc, "project": "from-doc"}).project == "from-doc"
    assert ResourceGraph.from_json({**doc, "project": 5}).project == "from-urn"
    assert ResourceGraph.from_json({**doc, "project": "from-doc"}, project="given").project == "given"
    assert ResourceGraph.from_json(doc, project="given").project == "given"
    graph = ResourceGraph.from_json({**doc, "project": "from-doc"})
    assert graph.resources[0].urn == "urn:pulumi:s::from-doc::aws:s3/bucket:Bucket::a"
    assert graph.resources[1].urn == "not a urn", "a urn given is kept as written"


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "a plan document is a JSON object, not list."),
        ({"stack": 5, "resources": []}, 'a plan document needs "stack" (a string) and "resources" (a list).'),
        (
            {"stack": "s", "resources": {}},
            'a plan document needs "stack" (a string) and "resources" (a list).',
        ),
        (
            {"stack": "s", "resources": [{"type": BUCKET}]},
            'resource 0 of the plan has no "type" and "name" strings.',
        ),
        (
            {"stack": "s", "resources": [{"name": "b"}]},
            'resource 0 of the plan has no "type" and "name" strings.',
        ),
        ({"stack": "s", "resources": ["b"]}, 'resource 0 of the plan has no "type" and "name" strings.'),
    ],
)
def test_a_malformed_plan_is_refused_with_what_is_wrong_and_the_fix(doc: Any, message: str) -> None:
    with pytest.raises(GraphFormatError) as caught:
        ResourceGraph.from_json(doc)
    assert caught.value.message == message
    assert caught.value.fix.startswith(
        "Give the output of `infra plan --format json`"
    ) or caught.value.fix.startswith("Each resource needs at least type, name and inputs")
    assert str(caught.value) == f"{caught.value.message} {caught.value.fix}"


def test_infra_estimate_from_a_malformed_plan_says_what_and_how_to_fix_it(tmp_path: Path) -> None:
    with pytest.raises(BadInput) as caught:
        graph_file(saved(tmp_path, {"stack": 5, "resources": []}))
    assert caught.value.message == (
        f"{tmp_path / 'plan.json'}: "
        'a plan document needs "stack" (a string) and "resources" (a list). '
        "Give the output of `infra plan --format json`."
    )


# -- writing one ------------------------------------------------------------------------------------------


def test_a_resource_is_written_with_every_key_and_the_optional_ones_only_when_set() -> None:
    full = PlannedResource(
        INSTANCE, "i", "urn:i", "urn:c", {"a": 1}, True, True, True, "urn:p::1", True, {"arn": "x"}, "i-1"
    )
    assert full.to_json() == {
        "type": INSTANCE,
        "name": "i",
        "parent": "urn:c",
        "inputs": {"a": 1},
        "urn": "urn:i",
        "custom": True,
        "protect": True,
        "retainOnDelete": True,
        "provider": "urn:p::1",
        "remote": True,
        "outputs": {"arn": "x"},
        "id": "i-1",
    }
    bare = PlannedResource(CLUSTER, "c", "urn:c", None, {}, False)
    assert bare.to_json() == {
        "type": CLUSTER,
        "name": "c",
        "parent": None,
        "inputs": {},
        "urn": "urn:c",
        "custom": False,
        "protect": False,
        "retainOnDelete": False,
        "provider": None,
    }
    graph = ResourceGraph("s", "p", [bare, full], ["careful"], {"aws:region": "us-east-1"})
    assert graph.to_json() == {
        "stack": "s",
        "resources": [bare.to_json(), full.to_json()],
        "warnings": ["careful"],
    }
    assert ResourceGraph.from_json(json.loads(json.dumps(graph.to_json())), project="p").resources == [
        bare,
        full,
    ]


# -- order and lookups ------------------------------------------------------------------------------------


def res(type_: str, name: str, parent: str | None = None, custom: bool = True) -> PlannedResource:
    return PlannedResource(type_, name, make_urn("s", "p", type_, name), parent, {}, custom)


def test_ordered_lists_parents_before_children_and_siblings_by_type_and_name() -> None:
    top = res(CLUSTER, "c", custom=False)
    a = res(INSTANCE, "a", top.urn)
    b = res(INSTANCE, "b", top.urn)
    sub = res("aiinfra:aws:Pool", "p", top.urn, custom=False)
    inner = res(BUCKET, "x", sub.urn)
    bucket = res(BUCKET, "z")
    orphan = res(BUCKET, "y", "urn:pulumi:s::p::gone::g")
    graph = ResourceGraph(
        "s", "p", [inner, sub, b, a, top, orphan, bucket], ["w"], {"aws:region": "eu-west-1"}
    )
    ordered = graph.ordered()
    assert [r.name for r in ordered.resources] == ["y", "z", "c", "a", "b", "p", "x"]
    assert ordered.resources[0].parent == "urn:pulumi:s::p::gone::g", "an orphan keeps its parent"
    assert (ordered.stack, ordered.project, ordered.warnings, ordered.config) == (
        "s",
        "p",
        ["w"],
        {"aws:region": "eu-west-1"},
    )


def test_by_type_get_and_children() -> None:
    top = res(CLUSTER, "c", custom=False)
    a = res(INSTANCE, "a", top.urn)
    b = res(BUCKET, "a", top.urn)
    c = res(BUCKET, "c")
    graph = ResourceGraph("s", "p", [top, a, b, c])
    assert graph.by_type(BUCKET) == [b, c]
    assert graph.get(BUCKET, "a") is b and graph.get(INSTANCE, "a") is a
    with pytest.raises(KeyError, match="no aws:s3/bucket:Bucket named q in the plan"):
        graph.get(BUCKET, "q")
    assert graph.children(top.urn) == [a, b]
    assert graph.children(None) == [top, c]


def test_a_stack_wide_finding_is_attached_to_the_stack_root() -> None:
    over = SimpleNamespace(monthly_cost_usd=1000, monthly_co2e_kg=0, lines=[])
    report = check_graph(ResourceGraph("s", "p", []), max_monthly_usd=500, estimate=over)  # type: ignore[arg-type]
    assert [(v.rule_id, v.resource, v.type) for v in report.violations] == [
        ("budget-monthly-cost", "s", "pulumi:pulumi:Stack")
    ]


# -- URNs and the component guess --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("urn", "parts"),
    [
        ("urn:pulumi:dev::proj::aws:s3/bucket:Bucket::data", ("dev", "proj", "aws:s3/bucket:Bucket", "data")),
        (
            "urn:pulumi:dev::proj::a:b:C$aws:s3/bucket:Bucket::x::y",
            ("dev", "proj", "a:b:C$aws:s3/bucket:Bucket", "x::y"),
        ),
        ("urn:pulumi:dev::proj::aws:s3/bucket:Bucket", ("", "", "", "")),
        ("urn:other:dev::proj::t::n", ("", "", "", "")),
        (5, ("", "", "", "")),
        (None, ("", "", "", "")),
    ],
)
def test_urn_parts(urn: object, parts: tuple[str, str, str, str]) -> None:
    assert urn_parts(urn) == parts


@pytest.mark.parametrize(
    ("type_", "component"),
    [
        ("aiinfra:aws:GpuCluster", True),
        ("awsx:ec2:Vpc", True),
        ("pulumi:providers:aws", False),
        ("pulumi:providers:kubernetes", False),
        ("aws:ec2/instance:Instance", False),
        ("kubernetes:helm.sh/v3:Chart", False),
        ("a:b", False),
        ("a:b:c:d", False),
    ],
)
def test_a_component_is_guessed_from_three_plain_parts(type_: str, component: bool) -> None:
    assert is_component_type(type_) is component
    read = ResourceGraph.from_json({"stack": "s", "resources": [{"type": type_, "name": "n"}]})
    assert read.resources[0].custom is not component
