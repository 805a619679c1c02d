"""Bad stack files through the real `infra plan` command: exit 2, one `error:` line on stderr naming the
field path and the fix, never a traceback. Plus the JSON output of a valid plan and a bad flag."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from aiinfra.cli.main import app

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "stacks" / "Pulumi.example.yaml"
BAD_INPUT = 2
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def example_doc() -> dict[str, Any]:
    """A fresh deep copy of the shipped example stack file, to mutate into a bad one."""
    return copy.deepcopy(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))


def cluster(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["config"]["aiinfra:clusters"][0]


def pool(doc: dict[str, Any]) -> dict[str, Any]:
    return cluster(doc)["nodePools"][0]


def write_stack(tmp_path: Path, doc: dict[str, Any], name: str = "Pulumi.bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def plain(text: str) -> str:
    return ANSI.sub("", text)


def error_lines(result: Result) -> list[str]:
    return [line for line in plain(result.stderr).splitlines() if line.startswith("error:")]


def assert_bad_input(result: Result) -> str:
    """The common contract of bad input; returns stderr without colour codes for case checks."""
    output = plain(result.output)
    assert result.exit_code == BAD_INPUT, (
        f"bad input must exit {BAD_INPUT} (DESIGN.md rule 16), got {result.exit_code}; output:\n{output}"
    )
    assert "Traceback" not in output, f"bad input must never show a traceback; output:\n{output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"bad input must end in a clean exit, not an escaped {type(result.exception).__name__}: "
        f"{result.exception!r}"
    )
    lines = error_lines(result)
    assert len(lines) == 1, (
        f"exactly one 'error:' line belongs on stderr, found {len(lines)}; stderr:\n{plain(result.stderr)}"
    )
    assert plain(result.stdout).strip() == "", (
        f"diagnostics go to stderr and stdout stays for results; stdout was:\n{plain(result.stdout)}"
    )
    return plain(result.stderr)


# -- one bad field per stack file -------------------------------------------------------------------------


def _unknown_accelerator(doc: dict[str, Any]) -> None:
    pool(doc)["accelerator"] = "H1000"
    del pool(doc)["instanceType"]


def _no_efa_instance_type(doc: dict[str, Any]) -> None:
    del pool(doc)["accelerator"]
    pool(doc)["instanceType"] = "g5.xlarge"
    pool(doc)["interconnect"] = True


def _lustre_1000(doc: dict[str, Any]) -> None:
    cluster(doc)["storage"][1]["capacityGiB"] = 1000


def _negative_nodes(doc: dict[str, Any]) -> None:
    pool(doc)["nodes"] = -1


def _missing_region(doc: dict[str, Any]) -> None:
    del cluster(doc)["region"]


def _nodes_as_word(doc: dict[str, Any]) -> None:
    pool(doc)["nodes"] = "four"


def _region_without_p5(doc: dict[str, Any]) -> None:
    cluster(doc)["region"] = "eu-west-3"
    del cluster(doc)["zone"]
    pool(doc)["instanceType"] = "p5.48xlarge"


def _gcp_cluster(doc: dict[str, Any]) -> None:
    """A GCP cluster that names no project (and the stack sets no gcp:project)."""
    c = cluster(doc)
    c.update(cloud="gcp", region="us-central1", zone="us-central1-a", storage=[])
    c["nodePools"][0]["instanceType"] = "a3-megagpu-8g"


OUTPOST = "arn:aws:outposts:us-east-1:123456789012:outpost/op-0123456789abcdef0"


def _edge_site(**site: Any) -> Callable[[dict[str, Any]], None]:
    """Add one AWS edge site joining the example's cluster (us-east-1), with `site` overriding keys."""

    def mutate(doc: dict[str, Any]) -> None:
        entry = {"name": "bos", "cloud": "aws", "location": "us-east-1-wl1-bos-wlz-1", "cluster": "train"}
        entry.update({"accelerator": "T4", **site})
        doc["config"]["aiinfra:edgeSites"] = [{k: v for k, v in entry.items() if v is not None}]

    return mutate


def _open_endpoint(doc: dict[str, Any]) -> None:
    cluster(doc)["endpointPublicAccessCidrs"] = ["0.0.0.0/0"]


def _misspelt_key(doc: dict[str, Any]) -> None:
    pool(doc)["acelerator"] = pool(doc).pop("accelerator")


@dataclass(frozen=True)
class BadCase:
    id: str
    mutate: Callable[[dict[str, Any]], None]
    path: str
    says: tuple[str, ...]
    """What is wrong, in fragments the message must contain."""
    fix: tuple[str, ...]
    """What to write instead, in fragments the message must contain."""


BAD_CASES = [
    BadCase(
        "unknown-accelerator",
        _unknown_accelerator,
        "clusters[0].nodePools[0].accelerator",
        ("H1000",),
        ("Did you mean 'H100'?",),
    ),
    BadCase(
        "instance-type-without-efa",
        _no_efa_instance_type,
        "clusters[0].nodePools[0].instanceType",
        ("g5.xlarge", "EFA"),
        ("interconnect: false",),
    ),
    BadCase(
        "lustre-size-off-the-steps",
        _lustre_1000,
        "clusters[0].storage[1].capacityGiB",
        ("1000 GiB",),
        ("1200", "2400"),
    ),
    BadCase(
        "negative-nodes",
        _negative_nodes,
        "clusters[0].nodePools[0].nodes",
        ("-1",),
        ("greater than or equal to 0",),
    ),
    BadCase("missing-region", _missing_region, "clusters[0].region", ("is required",), ("Add region",)),
    BadCase(
        "nodes-not-a-number",
        _nodes_as_word,
        "clusters[0].nodePools[0].nodes",
        ("'four'",),
        ("whole number",),
    ),
    BadCase(
        "region-without-the-instance-type",
        _region_without_p5,
        "clusters[0].nodePools[0].instanceType",
        ("p5.48xlarge", "eu-west-3"),
        ("Regions that offer it", "us-east-1", "us-west-2"),
    ),
    BadCase(
        "gcp-without-a-project",
        _gcp_cluster,
        "clusters[0].project",
        ("names no GCP project",),
        ("gcp:project: YOUR-PROJECT-ID",),
    ),
    BadCase(
        "edge-location-unknown",
        _edge_site(location="us-east-1-wl1-bos-wlz-9"),
        "edgeSites[0].location",
        ("'us-east-1-wl1-bos-wlz-9' is not an edge location on AWS",),
        ("Did you mean 'us-east-1-wl1-bos-wlz-1'?", "such as arn:aws:outposts:"),
    ),
    BadCase(
        "edge-machine-not-sold-there",
        _edge_site(accelerator="L4"),
        "edgeSites[0].accelerator",
        ("L4 is not sold at us-east-1-wl1-bos-wlz-1",),
        ("us-east-1-wl1-bos-wlz-1 sells: g4dn.2xlarge",),
    ),
    BadCase(
        "edge-cluster-in-another-region",
        _edge_site(location="us-west-2-lax-1a"),
        "edgeSites[0].cluster",
        ("cluster 'train' is in us-east-1, but us-west-2-lax-1a belongs to us-west-2",),
        ("choose a location of us-east-1: ", "us-east-1-wl1-bos-wlz-1"),
    ),
    BadCase(
        "edge-cluster-missing",
        _edge_site(cluster=None),
        "edgeSites[0].cluster",
        ("join a regional EKS cluster, and none is named",),
        ("Set cluster:",),
    ),
    BadCase(
        "edge-kind-contradicts-location",
        _edge_site(kind="local-zone"),
        "edgeSites[0].kind",
        ("us-east-1-wl1-bos-wlz-1 is a wavelength, not a local-zone",),
        ("Set kind: wavelength",),
    ),
    BadCase(
        "edge-spot-on-an-outpost",
        _edge_site(location=OUTPOST, capacity="spot"),
        "edgeSites[0].capacity",
        ("sells no spot capacity",),
        ("Set capacity: on-demand",),
    ),
    BadCase(
        "edge-site-named-like-a-pool",
        _edge_site(name="h100"),
        "edgeSites[0].name",
        ("'h100' is also a node pool or storage name of cluster 'train'",),
        ("Give the edge site a name of its own",),
    ),
    BadCase(
        "edge-local-cluster-on-an-outpost-not-built",
        _edge_site(location=OUTPOST, cluster=None, localCluster=True),
        "edgeSites[0].localCluster",
        ("an EKS local cluster on an Outpost is not built yet",),
        ("Remove localCluster and set cluster:",),
    ),
    BadCase(
        "edge-local-cluster-off-an-outpost",
        _edge_site(cluster=None, localCluster=True),
        "edgeSites[0].localCluster",
        ("an EKS local cluster runs only on an Outpost",),
        ("Remove localCluster",),
    ),
    BadCase(
        "endpoint-open-to-the-internet",
        _open_endpoint,
        "clusters[0].endpointPublicAccessCidrs[0]",
        ("0.0.0.0/0",),
        ("leave the list empty",),
    ),
    BadCase(
        "misspelt-key",
        _misspelt_key,
        "clusters[0].nodePools[0].acelerator",
        ("unknown key 'acelerator'",),
        ("Did you mean 'accelerator'?",),
    ),
]


@pytest.mark.parametrize("case", BAD_CASES, ids=[c.id for c in BAD_CASES])
def test_a_bad_stack_file_exits_2_with_one_error_naming_the_field_path_and_the_fix(
    tmp_path: Path, case: BadCase
) -> None:
    doc = example_doc()
    case.mutate(doc)
    path = write_stack(tmp_path, doc)

    stderr = assert_bad_input(invoke("plan", "-s", str(path)))

    assert f"{case.path}:" in stderr, f"the error must name the field path {case.path}; stderr:\n{stderr}"
    for fragment in case.says:
        assert fragment in stderr, f"the error must say what is wrong ({fragment!r}); stderr:\n{stderr}"
    for fragment in case.fix:
        assert fragment in stderr, f"the error must give the fix ({fragment!r}); stderr:\n{stderr}"


def test_a_yaml_syntax_error_exits_2_and_names_yaml_and_the_line(tmp_path: Path) -> None:
    path = tmp_path / "Pulumi.broken.yaml"
    path.write_text(
        "config:\n"
        "  aws:region: us-east-1\n"
        "  aiinfra:clusters: [\n"
        "    {name: train, cloud: aws, region: us-east-1\n"
        "  aiinfra:usage: {profile: training-steady}\n",
        encoding="utf-8",
    )

    stderr = assert_bad_input(invoke("plan", "-s", str(path)))

    assert "YAML" in stderr, f"a syntax error must say it is about the YAML; stderr:\n{stderr}"
    assert re.search(r"\bline \d+", stderr), f"a syntax error must give the line number; stderr:\n{stderr}"
    assert "unclosed bracket" in stderr, f"the error should suggest what to fix; stderr:\n{stderr}"


def test_a_stack_name_with_no_file_exits_2_and_names_the_file_it_looked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stacks = tmp_path / "stacks"
    stacks.mkdir()
    (stacks / "Pulumi.example.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    stderr = assert_bad_input(invoke("plan", "-s", "no-such-stack"))

    assert "Pulumi.no-such-stack.yaml" in stderr, (
        f"the error must name the stack file it looked for; stderr:\n{stderr}"
    )
    assert "Pulumi.example.yaml" in stderr, f"the error should list the stacks that exist; stderr:\n{stderr}"


def _two_structural(doc: dict[str, Any]) -> None:
    _negative_nodes(doc)
    _missing_region(doc)


def _two_semantic(doc: dict[str, Any]) -> None:
    _lustre_1000(doc)
    _open_endpoint(doc)


@pytest.mark.parametrize(
    ("mutate", "paths"),
    [
        (_two_structural, ("clusters[0].nodePools[0].nodes", "clusters[0].region")),
        (_two_semantic, ("clusters[0].storage[1].capacityGiB", "clusters[0].endpointPublicAccessCidrs[0]")),
    ],
    ids=["two-structural-problems", "two-catalog-problems"],
)
def test_a_stack_with_two_problems_reports_both_paths_in_one_error(
    tmp_path: Path, mutate: Callable[[dict[str, Any]], None], paths: tuple[str, str]
) -> None:
    doc = example_doc()
    mutate(doc)
    path = write_stack(tmp_path, doc)

    stderr = assert_bad_input(invoke("plan", "-s", str(path)))

    for field in paths:
        assert f"{field}:" in stderr, f"every problem must be reported, not only the first: {field}; {stderr}"
    assert "2 problems" in stderr, f"the error should count the problems it lists; stderr:\n{stderr}"


# -- the good path and flags --------------------------------------------------------------------------


def test_plan_of_the_example_as_json_lists_every_resource_with_type_name_parent_and_inputs() -> None:
    result = invoke("plan", "-s", str(EXAMPLE), "--format", "json")

    assert result.exit_code == 0, f"a valid stack must plan; stderr:\n{plain(result.stderr)}"
    try:
        plan = json.loads(result.stdout)
    except json.JSONDecodeError as e:
        pytest.fail(f"--format json must print nothing but JSON on stdout ({e}); stdout:\n{result.stdout}")
    assert {"stack", "resources"} <= plan.keys(), f"the plan must have stack and resources: {plan.keys()}"
    assert plan["stack"] == "example", f"the stack name comes from the file name, got {plan['stack']!r}"
    assert plan["resources"], "the example stack declares a cluster, so the plan cannot be empty"
    urns: set[str] = set()
    for r in plan["resources"]:
        missing = {"type", "name", "parent", "inputs"} - r.keys()
        assert not missing, f"resource {r.get('name')!r} lacks {missing}"
        assert isinstance(r["inputs"], dict), f"inputs of {r['name']} must be a mapping, got {r['inputs']!r}"
        assert r["parent"] is None or r["parent"] in urns, (
            f"{r['name']}'s parent {r['parent']!r} must be a resource planned before it"
        )
        urns.add(r["urn"])
    types = {r["type"] for r in plan["resources"]}
    assert "aws:eks/nodeGroup:NodeGroup" in types, f"the H100 pool must become a node group; types: {types}"


def test_an_unknown_output_format_is_bad_input_and_exits_2() -> None:
    result = invoke("plan", "-s", str(EXAMPLE), "--format", "xml")

    output = plain(result.output)
    assert result.exit_code == BAD_INPUT, f"a bad flag value is bad input (exit 2), got {result.exit_code}"
    assert "Traceback" not in output, f"a bad flag must not show a traceback; output:\n{output}"
    assert "xml" in plain(result.stderr), f"the error must name the rejected value; stderr:\n{output}"
    assert plain(result.stdout).strip() == "", f"nothing may be planned on a bad flag; stdout:\n{output}"
