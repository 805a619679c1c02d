"""`infra estimate --from` on what the Pulumi engine wrote: standard input in every encoding a shell or
editor writes, trimmed and empty documents, documents that are no graph, secrets and unknowns, deployed
outputs where inputs are silent, and what a preview changes."""

from __future__ import annotations

import codecs
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aiinfra.catalog import default_catalog
from aiinfra.cli.main import app
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.engine.inputs import (
    ARCHIVE_SIG,
    ASSET_SIG,
    RESOURCE_SIG,
    SECRET_SIG,
    SIG_KEY,
    UNKNOWN,
    UNKNOWN_SENTINEL,
    graph_from_state,
    value_kind,
)
from aiinfra.estimate import estimate
from aiinfra.estimate.model import HOURS_PER_MONTH
from aiinfra.estimate.usage import PROFILES

runner = CliRunner(env={"COLUMNS": "200"})
GRAPHS = Path(__file__).parent / "data" / "graphs"
CATALOG = default_catalog()
PROJECT = "urn:pulumi:prod::gpu"
PROVIDER = f"{PROJECT}::pulumi:providers:aws::default_7_7_0"
SECRET = {SIG_KEY: SECRET_SIG, "ciphertext": "v1:AAAA:BBBB"}


def invoke(*argv: str, stdin: bytes | None = None, code: int = 0) -> Any:
    result = runner.invoke(app, ["estimate", *argv], input=stdin)
    assert result.exit_code == code, f"exit {result.exit_code}, expected {code}: {result.output}"
    return result


def as_json(*argv: str, stdin: bytes | None = None) -> dict[str, Any]:
    return json.loads(invoke(*argv, "--format", "json", stdin=stdin).stdout)


def resource(type_: str, name: str, inputs: dict[str, Any], outputs: dict[str, Any] | None = None) -> dict:
    return {
        "urn": f"{PROJECT}::{type_}::{name}",
        "custom": True,
        "type": type_,
        "inputs": inputs,
        "outputs": outputs or {},
        "provider": f"{PROVIDER}::6f0c",
    }


def export(*resources: dict[str, Any]) -> dict[str, Any]:
    """A `pulumi stack export` document (DeploymentV3) with an AWS default provider in us-east-1."""
    provider = {
        "urn": PROVIDER,
        "custom": True,
        "id": "6f0c",
        "type": "pulumi:providers:aws",
        "inputs": {"region": "us-east-1"},
        "outputs": {"region": "us-east-1"},
    }
    return {
        "version": 3,
        "deployment": {"manifest": {"version": "v3.200.0"}, "resources": [provider, *resources]},
    }


def line_of(doc: dict[str, Any], name: str, unit: str) -> dict[str, Any]:
    found = [ln for ln in doc["lines"] if ln["resource"] == name and ln["unit"] == unit]
    assert len(found) == 1, (
        f"one {unit} line for {name}: {[(ln['resource'], ln['unit']) for ln in doc['lines']]}"
    )
    return found[0]


# -- standard input and encodings -------------------------------------------------------------------------

ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16-le-bom": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be-bom": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "crlf": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "utf-16-le-bom-crlf": lambda text: codecs.BOM_UTF16_LE + text.replace("\n", "\r\n").encode("utf-16-le"),
}


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_a_preview_piped_to_standard_input_is_estimated_in_every_encoding_shells_write(encoding: str) -> None:
    text = (GRAPHS / "preview.json").read_text(encoding="utf-8")
    expected = as_json("--from", str(GRAPHS / "preview.json"))
    piped = as_json("--from", "-", stdin=ENCODINGS[encoding](text))
    assert piped["lines"] == expected["lines"], f"{encoding} on stdin reads as the same preview"
    assert piped["totals"] == expected["totals"]


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_an_export_file_in_any_encoding_gives_the_same_estimate(encoding: str, tmp_path: Path) -> None:
    text = (GRAPHS / "export.json").read_text(encoding="utf-8")
    path = tmp_path / "state.json"
    path.write_bytes(ENCODINGS[encoding](text))
    assert as_json("--from", str(path))["lines"] == as_json("--from", str(GRAPHS / "export.json"))["lines"]


def test_standard_input_that_is_not_json_is_refused_with_exit_2_naming_standard_input() -> None:
    result = invoke("--from", "-", stdin=b"Previewing update (dev):\n", code=2)
    assert "standard input is not JSON" in result.output and "Traceback" not in result.output


# -- the shapes of documents ---------------------------------------------------------------------------


def test_a_preview_trimmed_to_its_steps_is_estimated(tmp_path: Path) -> None:
    doc = json.loads((GRAPHS / "preview.json").read_text())
    path = tmp_path / "steps.json"
    path.write_text(json.dumps({"steps": doc["steps"]}))
    lines = as_json("--from", str(path))["lines"]
    assert [ln["resource"] for ln in lines if ln["unit"] == "instance-hours"] == ["train-0"], (
        "the created instance is priced without config or changeSummary (its region is its provider's)"
    )


def test_an_export_of_a_stack_without_resources_is_an_empty_estimate_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text('{"version":3,"deployment":{}}')
    doc = as_json("--from", str(path))
    assert doc["lines"] == [] and doc["totals"]["monthly_cost_usd"] == 0, "nothing deployed costs nothing"


@pytest.mark.parametrize(
    ("doc", "named"),
    [
        (
            {"manifest": {"time": "t"}, "config": {}, "resourcePlans": {"urn:pulumi:a::b::c:d:E::f": {}}},
            "a Pulumi update plan (`pulumi preview --save-plan`)",
        ),
        ({"version": 1, "plan": {"manifest": {}, "resourcePlans": {}}}, "a Pulumi update plan"),
        ({"stack": "x", "totals": {}, "lines": []}, "an estimate (`infra estimate --format json`)"),
        ({"format_version": "1.2", "resource_changes": []}, "a Terraform plan"),
        ({"name": "x", "runtime": "python"}, "a JSON object with the keys name, runtime"),
        ({"a": 1}, "a JSON object with the key a."),
        ({}, "an empty JSON object."),
        ({k: 1 for k in "abcdefgh"}, "a JSON object with the keys a, b, c, d, e, f and 2 more."),
        ([1, 2, 3], "a JSON list of 3 items"),
        ("hello", "a JSON string"),
    ],
    ids=[
        "save-plan",
        "versioned-save-plan",
        "estimate",
        "terraform",
        "other-object",
        "one-key",
        "empty-object",
        "many-keys",
        "list",
        "string",
    ],
)
def test_json_that_is_no_graph_is_named_with_what_to_give_instead(
    doc: Any, named: str, tmp_path: Path
) -> None:
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc))
    result = invoke("--from", str(path), code=2)
    assert named in result.output, f"the refusal says what the document is: {result.output}"
    assert "pulumi preview --json" in result.output and "pulumi stack export" in result.output, (
        "and what to give instead"
    )
    assert "Traceback" not in result.output


def test_a_stack_with_from_is_refused_as_exclusive() -> None:
    result = invoke("-s", "example", "--from", str(GRAPHS / "export.json"), code=2)
    assert "-s STACK and --from FILE are exclusive" in result.output


def test_compare_to_reads_a_saved_estimate_through_the_guard_in_utf_16(tmp_path: Path) -> None:
    saved = invoke("--from", str(GRAPHS / "export.json"), "--format", "json").stdout
    path = tmp_path / "before.json"
    path.write_bytes(codecs.BOM_UTF16_LE + saved.encode("utf-16-le"))
    doc = as_json("--from", str(GRAPHS / "export.json"), "--compare-to", str(path))
    assert doc["diff"]["changes"] == [], (
        "the same estimate saved in UTF-16 (PowerShell's >) compares as equal"
    )


def test_compare_to_a_broken_json_file_exits_2_naming_the_option(tmp_path: Path) -> None:
    path = tmp_path / "before.json"
    path.write_text('{"totals": ')
    result = invoke("--from", str(GRAPHS / "export.json"), "--compare-to", str(path), code=2)
    assert f"--compare-to {path} is not JSON" in result.output and "Traceback" not in result.output


# -- special values --------------------------------------------------------------------------------------


def test_the_signatures_are_the_installed_sdks() -> None:
    from pulumi.runtime import rpc

    assert (rpc._special_sig_key, rpc._special_secret_sig) == (SIG_KEY, SECRET_SIG)
    assert (
        rpc._special_asset_sig,
        rpc._special_archive_sig,
        rpc._special_resource_sig,
    ) == (ASSET_SIG, ARCHIVE_SIG, RESOURCE_SIG)
    assert rpc.UNKNOWN == UNKNOWN_SENTINEL


def test_secrets_assets_archives_and_resource_references_are_understood_as_such() -> None:
    doc = export(
        resource(
            "aws:lambda/function:Function",
            "fn",
            {
                "code": {SIG_KEY: ARCHIVE_SIG, "path": "./app"},
                "layer": {SIG_KEY: ASSET_SIG, "text": "x"},
                "role": {SIG_KEY: RESOURCE_SIG, "urn": f"{PROJECT}::aws:iam/role:Role::r", "id": "role-123"},
                "environment": SECRET,
                "memorySize": UNKNOWN_SENTINEL,
            },
        )
    )
    (fn,) = [r for r in graph_from_state(doc).resources if r.name == "fn"]
    assert value_kind(fn.inputs["code"]) == "an archive" and value_kind(fn.inputs["layer"]) == "an asset"
    assert fn.inputs["role"] == "role-123", "a resource reference reads as the id a provider sees"
    assert fn.inputs["environment"] == SECRET and value_kind(fn.inputs["environment"]) == "a secret"
    assert fn.inputs["memorySize"] == UNKNOWN and value_kind("[secret]") == "a secret"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (SECRET, "scalingConfig.desiredSize: the value is a secret"),
        ("[secret]", "scalingConfig.desiredSize: the value is a secret"),
        (UNKNOWN_SENTINEL, "scalingConfig.desiredSize: the value is unknown until apply"),
    ],
    ids=["export-secret", "preview-secret", "unknown"],
)
def test_a_secret_or_unknown_node_count_makes_the_line_unpriced_with_the_reason(
    value: Any, reason: str
) -> None:
    group = resource(
        "aws:eks/nodeGroup:NodeGroup",
        "gpu",
        {"instanceTypes": ["p5.48xlarge"], "scalingConfig": {"desiredSize": value, "maxSize": 4}},
    )
    graph = graph_from_state(export(group))
    (ln,) = estimate(graph, CATALOG).lines
    assert ln.monthly_cost_usd is None, "a count the document hides is never a number"
    assert reason in ln.reason, ln.reason


@pytest.mark.parametrize(
    ("value", "kind"), [("[secret]", "is a secret"), (UNKNOWN_SENTINEL, "is unknown until apply")]
)
def test_a_hidden_instance_type_with_no_output_is_unpriced_not_a_crash(value: str, kind: str) -> None:
    graph = graph_from_state(export(resource("aws:ec2/instance:Instance", "vm", {"instanceType": value})))
    (ln,) = estimate(graph, CATALOG).lines
    assert ln.monthly_cost_usd is None and f"instanceType: the value {kind}" in ln.reason, ln.reason


# -- deployed outputs --------------------------------------------------------------------------------------


def test_an_eks_node_group_without_instance_types_is_priced_from_its_deployed_outputs() -> None:
    group = resource(
        "aws:eks/nodeGroup:NodeGroup",
        "gpu",
        {"clusterName": "c"},
        {"instanceTypes": ["p5.48xlarge"], "scalingConfig": {"desiredSize": 2, "minSize": 2, "maxSize": 2}},
    )
    (ln,) = [x for x in estimate(graph_from_state(export(group)), CATALOG).lines if x.unit == "node-hours"]
    offer = CATALOG.offer("p5.48xlarge", "us-east-1")
    assert offer is not None and offer.on_demand is not None, "the catalog prices p5.48xlarge in us-east-1"
    assert ln.monthly_cost_usd == 2 * HOURS_PER_MONTH * offer.on_demand, "two deployed nodes all month"
    assert "instanceTypes = p5.48xlarge from deployed outputs" in ln.assumptions, ln.assumptions
    assert any(a.startswith("scalingConfig = ") and "deployed outputs" in a for a in ln.assumptions)


def test_an_input_wins_over_the_deployed_output_and_is_not_noted() -> None:
    vm = resource(
        "aws:ec2/instance:Instance", "vm", {"instanceType": "p5.48xlarge"}, {"instanceType": "m7i.large"}
    )
    lines = estimate(graph_from_state(export(vm)), CATALOG).lines
    (ln,) = [ln for ln in lines if ln.unit == "instance-hours"]
    assert "p5.48xlarge" in ln.description and not any("deployed outputs" in a for a in ln.assumptions)


def test_an_ec2_instance_ebs_volume_and_eks_cluster_read_what_the_cloud_decided() -> None:
    doc = export(
        resource("aws:ec2/instance:Instance", "vm", {"ami": "ami-1"}, {"instanceType": "m7i.xlarge"}),
        resource(
            "aws:ebs/volume:Volume", "data", {"availabilityZone": "us-east-1a"}, {"size": 500, "type": "gp3"}
        ),
        resource("aws:eks/cluster:Cluster", "eks", {"roleArn": "arn"}, {"version": "1.31"}),
    )
    lines = {
        ln.resource: ln for ln in estimate(graph_from_state(doc), CATALOG).lines if ln.unit != "GiB-months"
    }
    lines["data"] = next(ln for ln in estimate(graph_from_state(doc), CATALOG).lines if ln.resource == "data")
    assert "m7i.xlarge" in lines["vm"].description and lines["vm"].monthly_cost_usd is not None
    assert "instanceType = m7i.xlarge from deployed outputs" in lines["vm"].assumptions
    gp3 = CATALOG.storage_price("aws", "ebs", "gp3", "us-east-1")
    assert gp3 is not None and gp3.usd_per_gib_month is not None
    assert lines["data"].monthly_cost_usd == 500 * gp3.usd_per_gib_month, "500 GiB gp3 from the outputs"
    assert "size = 500 from deployed outputs" in lines["data"].assumptions
    # the deployed 1.31 is past EKS's end of extended support on the tests' day (2026-11-26): EKS runs 1.32
    assert "version = 1.31 from deployed outputs" in lines["eks"].assumptions
    assert any("Kubernetes 1.31 reached the end of extended support" in a for a in lines["eks"].assumptions)
    assert "Kubernetes 1.32, extended support" in lines["eks"].description


def _pool(type_: str, name: str, inputs: dict[str, Any], outputs: dict[str, Any]) -> PlannedResource:
    return PlannedResource(
        type=type_,
        name=name,
        urn=f"{PROJECT}::{type_}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
        outputs=outputs,
    )


def test_gke_and_aks_pools_take_machine_and_count_from_deployed_outputs() -> None:
    gke = _pool(
        "gcp:container/nodePool:NodePool",
        "h100",
        {"location": "us-east4", "nodeLocations": ["us-east4-a"]},
        {"nodeConfig": {"machineType": "a3-highgpu-8g"}, "nodeCount": 2},
    )
    aks = _pool(
        "azure-native:containerservice:AgentPool",
        "gpu",
        {"resourceGroupName": "rg"},
        {"vmSize": "Standard_ND96isr_H100_v5", "count": 3},
    )
    graph = ResourceGraph("prod", "gpu", [gke, aks], config={"azure-native:location": "eastus"})
    lines = {
        ln.resource: ln
        for ln in estimate(graph, CATALOG, profile=PROFILES["training-steady"]).lines
        if ln.unit == "node-hours"
    }
    assert lines["h100"].quantity == 2 * HOURS_PER_MONTH and "a3-highgpu-8g" in lines["h100"].description
    assert any("nodeConfig" in a and "deployed outputs" in a for a in lines["h100"].assumptions)
    assert lines["gpu"].quantity == 3 * HOURS_PER_MONTH and "ND96isr_H100_v5" in lines["gpu"].description
    assert "vmSize = Standard_ND96isr_H100_v5 from deployed outputs" in lines["gpu"].assumptions


def test_outputs_stay_out_of_plan_json_unless_there_are_some() -> None:
    plain = PlannedResource(
        "aws:s3/bucket:Bucket", "b", f"{PROJECT}::aws:s3/bucket:Bucket::b", None, {}, True
    )
    assert "outputs" not in plain.to_json(), "the `infra plan --format json` contract is unchanged"
    deployed = PlannedResource(**{**_fields(plain), "outputs": {"arn": "arn:aws:s3:::b"}})
    back = ResourceGraph.from_json({"stack": "s", "resources": [deployed.to_json()]}).resources[0]
    assert back.outputs == {"arn": "arn:aws:s3:::b"}, "outputs survive a round trip when present"


def _fields(r: PlannedResource) -> dict[str, Any]:
    return {f: getattr(r, f) for f in r.__slots__}  # type: ignore[attr-defined]


# -- what a preview changes ------------------------------------------------------------------------------


def test_a_preview_shows_the_monthly_change_per_resource_by_what_the_update_does() -> None:
    doc = as_json("--from", str(GRAPHS / "preview.json"))
    changes = {c["resource"]: c for c in doc["diff"]["changes"] if c["resource"] != "train-0"}
    (train,) = [
        c
        for c in doc["diff"]["changes"]
        if c["resource"] == "train-0" and c["key"].endswith("::instance-hours")
    ]
    assert train["change"] == "created" and train["delta_monthly_cost_usd"] > 0
    assert changes["scratch"]["change"] == "deleted" and changes["scratch"]["delta_monthly_cost_usd"] < 0, (
        "the deleted volume's cost leaves with it"
    )
    assert doc["diff"]["before"]["stack"] == "dev before this update"
    assert Decimal(str(doc["diff"]["delta"]["monthly_cost_usd"])) == Decimal(
        str(doc["diff"]["after"]["totals"]["monthly_cost_usd"])
    ) - Decimal(str(doc["diff"]["before"]["totals"]["monthly_cost_usd"]))


def test_an_update_and_a_replacement_are_named_with_the_cost_they_move(tmp_path: Path) -> None:
    def state(itype: str) -> dict[str, Any]:
        return {
            **resource("aws:ec2/instance:Instance", "vm", {"instanceType": itype}),
            "provider": f"{PROVIDER}::6f0c",
        }

    provider = export()["deployment"]["resources"][0]
    steps = [
        {"op": "same", "urn": PROVIDER, "oldState": provider, "newState": provider},
        {
            "op": "update",
            "urn": state("x")["urn"],
            "oldState": state("m7i.large"),
            "newState": state("m7i.xlarge"),
        },
    ]
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"steps": steps, "changeSummary": {"same": 1, "update": 1}}))
    result = invoke("--from", str(path), "--format", "json")
    (change,) = json.loads(result.stdout)["diff"]["changes"]
    assert (
        change["change"] == "updated"
        and "instance type m7i.large (CPU only) → m7i.xlarge (CPU only)" in change["driver"]
    )
    assert change["delta_monthly_cost_usd"] > 0, "a bigger instance costs more"
    assert "without --show-sames" not in result.output, "every unchanged resource is listed"

    steps[1]["op"] = "replace"
    path.write_text(json.dumps({"steps": steps}))
    (change,) = as_json("--from", str(path))["diff"]["changes"]
    assert change["change"] == "replaced"


def test_a_preview_without_show_sames_says_the_totals_are_of_the_changed_resources_only(
    tmp_path: Path,
) -> None:
    doc = json.loads((GRAPHS / "preview.json").read_text())
    doc["steps"] = [s for s in doc["steps"] if s["op"] != "same" or s["urn"].endswith("Stack::gpu-train-dev")]
    path = tmp_path / "p.json"
    path.write_text(json.dumps(doc))
    result = invoke("--from", str(path))
    assert "taken without --show-sames: the totals are of the changed resources only" in result.output


def test_the_markdown_of_a_preview_shows_the_changes_against_the_stack_before_it() -> None:
    out = invoke("--from", str(GRAPHS / "preview.json"), "--format", "markdown").stdout
    assert "Changes since dev before this update" in out
    assert "| train-0 (instance-hours) | created | +$" in out, out
    assert "| scratch (GiB-months) | deleted | -$" in out, out


def test_an_instance_root_volume_comes_from_inputs_else_deployed_outputs_else_is_assumed_with_a_warning() -> (
    None
):
    given = resource(
        "aws:ec2/instance:Instance",
        "given",
        {"instanceType": "m7i.large", "rootBlockDevice": {"volumeSize": 30, "volumeType": "gp3"}},
        {"rootBlockDevice": {"volumeSize": 8, "volumeType": "gp2"}},
    )
    deployed = resource(
        "aws:ec2/instance:Instance",
        "deployed",
        {"instanceType": "m7i.large"},
        {"rootBlockDevice": {"volumeSize": 8, "volumeType": "gp2"}},
    )
    silent = resource("aws:ec2/instance:Instance", "silent", {"instanceType": "m7i.large"}, {})
    result = estimate(graph_from_state(export(given, deployed, silent)), CATALOG)
    lines = {ln.resource: ln for ln in result.lines if ln.unit == "GiB-months"}
    gp3 = CATALOG.storage_price("aws", "ebs", "gp3", "us-east-1")
    gp2 = CATALOG.storage_price("aws", "ebs", "gp2", "us-east-1")
    assert gp3 is not None and gp3.usd_per_gib_month is not None
    assert gp2 is not None and gp2.usd_per_gib_month is not None
    assert lines["given"].monthly_cost_usd == 30 * gp3.usd_per_gib_month, "the program's 30 GiB gp3"
    assert lines["deployed"].monthly_cost_usd == 8 * gp2.usd_per_gib_month, "the AMI's 8 GiB gp2, as deployed"
    assert any("rootBlockDevice" in a and "deployed outputs" in a for a in lines["deployed"].assumptions)
    assert lines["silent"].monthly_cost_usd == 8 * gp2.usd_per_gib_month, "Infracost's assumed 8 GiB gp2"
    assert lines["silent"].description.startswith("EBS gp2 root volume: 8 GiB assumed")
    warnings = [w for w in result.warnings if "rootBlockDevice.volumeSize" in w]
    assert [w.split(":")[0] for w in warnings] == ["silent"], "only the instance whose size is assumed"
