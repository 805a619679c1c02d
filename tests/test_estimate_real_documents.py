"""`infra estimate --from` on documents the real Pulumi CLI wrote: `pulumi stack export` files recorded by
Pulumi's own provider repositories (pulumi-eks, pulumi-awsx, pulumi-gcp; the Azure ones, which the checks for
every document below also run on, are tested line by line in test_estimate_real_documents_azure.py; provenance
and licence in tests/data/real/README.md, contents unaltered). Each test runs the CLI as a user would and
checks the lines a platform engineer would check, against the shipped catalog's prices and EKS release
calendar (read here, never copied): deployed outputs where inputs are silent, control planes by the version's
support on a pinned day, self-managed node groups in CloudFormation, NAT per AZ, load balancers, GKE regional
pools, secrets and resource references, totals that are the sum of their lines and a lower bound ("≥") exactly
when something is unpriced, and standard input in UTF-16 with CRLF. No real `pulumi preview --json` output was
found in a public repository; previews are covered by generated documents (test_estimate_from.py,
test_estimate_diff.py)."""

from __future__ import annotations

import codecs
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aiinfra import clouds
from aiinfra.catalog import default_catalog
from aiinfra.catalog.model import KubernetesVersion
from aiinfra.cli.main import app
from aiinfra.engine.inputs import SECRET_SIG, SIG_KEY
from aiinfra.estimate.estimator import TODAY_ENV
from aiinfra.estimate.model import HOURS_PER_MONTH

REAL = Path(__file__).parent / "data" / "real"
DOCUMENTS = sorted(p.name for p in REAL.glob("*.json"))
CATALOG = default_catalog()
DAY = "2026-06-01"
"""The pinned day of every estimate unless a test says otherwise (EKS support depends on it)."""
D = Decimal
CENT = D("0.01")


def run(name: str, *argv: str, day: str = DAY, stdin: bytes | None = None, code: int = 0) -> str:
    source = "-" if stdin is not None else str(REAL / name)
    runner = CliRunner(env={"COLUMNS": "200", TODAY_ENV: day})
    result = runner.invoke(app, ["estimate", "--from", source, *argv], input=stdin)
    assert result.exit_code == code, f"{name}: exit {result.exit_code}: {result.output}"
    return result.stdout


def estimate_of(name: str, *argv: str, day: str = DAY) -> dict[str, Any]:
    return json.loads(run(name, *argv, "--format", "json", day=day))  # type: ignore[no-any-return]


def document(name: str) -> list[dict[str, Any]]:
    return json.loads((REAL / name).read_text())["deployment"]["resources"]  # type: ignore[no-any-return]


def lines(out: dict[str, Any], resource: str, unit: str | None = None) -> list[dict[str, Any]]:
    return [ln for ln in out["lines"] if ln["resource"] == resource and (unit is None or ln["unit"] == unit)]


def one(out: dict[str, Any], resource: str, unit: str) -> dict[str, Any]:
    found = lines(out, resource, unit)
    assert len(found) == 1, (
        f"one {unit} line for {resource}: {[(ln['resource'], ln['unit']) for ln in out['lines']]}"
    )
    return found[0]


def usd(value: Any) -> Decimal:
    return D(str(value))


def on_demand(kind: str, region: str, option: str = "on_demand") -> Decimal:
    offer = CATALOG.offer(kind, region)
    assert offer is not None and offer.price(option) is not None, f"the catalog prices {kind} in {region}"
    return offer.price(option)  # type: ignore[return-value]


def service(cloud: str, name: str, item: str, region: str) -> Decimal:
    found = CATALOG.service_price(cloud, name, item, region)
    assert found is not None and found.usd is not None, f"the catalog prices {cloud} {name} {item}"
    return found.usd


def storage(cloud: str, name: str, tier: str, region: str) -> Decimal:
    found = CATALOG.storage_price(cloud, name, tier, region)
    assert found is not None, f"the catalog prices {cloud} {name} {tier} in {region}"
    return found.usd_per_gib_month


def eks_row(version: str) -> KubernetesVersion:
    (row,) = [v for v in CATALOG.kubernetes_versions("aws") if v.version == version]
    return row


def monthly(hourly: Decimal, count: int = 1) -> Decimal:
    return (hourly * HOURS_PER_MONTH * count).quantize(CENT)


def total_row(table: str) -> str:
    return next(ln for ln in table.splitlines() if ln.startswith("│ total"))


# -- every document -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_real_document_is_read_and_its_total_is_the_sum_of_its_priced_lines(name: str) -> None:
    out = estimate_of(name)
    priced = [usd(ln["monthly_cost_usd"]) for ln in out["lines"] if ln["monthly_cost_usd"] is not None]
    total = usd(out["totals"]["monthly_cost_usd"])
    assert abs(total - sum(priced)) <= CENT * max(len(priced), 1), "the total is the sum of the priced lines"
    unpriced = [ln for ln in out["lines"] if ln["monthly_cost_usd"] is None]
    assert out["totals"]["unpriced_lines"] == len(unpriced), "the count is the unpriced lines'"
    assert all(ln["reason"] for ln in unpriced), "every unpriced line says why"


@pytest.mark.parametrize("name", DOCUMENTS)
def test_component_resources_cost_nothing_themselves_and_every_custom_resource_is_accounted_for(
    name: str,
) -> None:
    resources = document(name)
    components = {r["type"] for r in resources if r.get("custom") is False}
    out = estimate_of(name)
    assert not {ln["type"] for ln in out["lines"]} & components, "a component has no line of its own"
    accounted = (
        {(ln["resource"], ln["type"]) for ln in out["lines"]}
        | {(f["resource"], f["type"]) for f in out["free"]}
        | {(u["resource"], u["type"]) for u in out["unsupported"]}
    )
    for r in resources:
        if r.get("custom") is not False and not r["type"].startswith("pulumi:providers:"):
            profile = clouds.for_type(r["type"])  # an azure-native API version's token is read as its type's
            kind = profile.canonical_type(r["type"]) if profile is not None else r["type"]
            assert (r["urn"].rsplit("::", 1)[-1], kind) in accounted, f"{r['urn']} is in the estimate"


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_table_total_reads_as_a_lower_bound_exactly_when_something_is_unpriced(name: str) -> None:
    out = estimate_of(name)
    unknown = out["totals"]["unpriced_lines"] + out["totals"]["unsupported_resources"]
    row = total_row(run(name))
    assert ("≥" in row) == bool(unknown), f"{name}: {row}"
    if out["totals"]["unpriced_lines"]:
        assert f"{out['totals']['unpriced_lines']} unpriced line(s)" in row and "not included" in row
    if out["totals"]["unsupported_resources"]:
        assert f"{out['totals']['unsupported_resources']} unsupported resource(s)" in row


# -- pulumi-eks: managed node groups, deployed outputs, the control plane by version -------------------------

MNG3 = "eks-managed-nodegroups-3.0.0-stack.json"
MNG2 = "eks-managed-nodegroups-2.2.1-state.json"


def test_a_managed_node_group_created_without_instance_types_runs_the_type_its_outputs_say() -> None:
    ng1 = next(
        r
        for r in document(MNG3)
        if r["type"] == "aws:eks/nodeGroup:NodeGroup" and r["urn"].endswith("::example-managed-ng1")
    )
    assert "instanceTypes" not in ng1["inputs"] and ng1["outputs"]["instanceTypes"] == ["t3.medium"]
    nodes = one(estimate_of(MNG3), "example-managed-ng1", "node-hours")
    assert nodes["unit_price_usd"] == float(on_demand("t3.medium", "us-west-2"))
    assert nodes["quantity"] == 2 * 730, "scalingConfig.desiredSize 2, all month"
    assert usd(nodes["monthly_cost_usd"]) == monthly(on_demand("t3.medium", "us-west-2"), 2)
    assert "instanceTypes = t3.medium from deployed outputs" in nodes["assumptions"]
    assert nodes["region"] == "us-west-2", "the region of the stack's aws provider"


def test_a_managed_node_group_without_disk_size_gets_eks_default_root_volume_priced_from_the_catalog() -> (
    None
):
    root = one(estimate_of(MNG2), "example-managed-ng0", "GiB-months")
    assert root["quantity"] == 20 * 2, "EKS's default 20 GiB on each of the 2 desired nodes"
    assert usd(root["unit_price_usd"]) == storage("aws", "ebs", "gp2", "us-west-2")


def test_node_groups_on_launch_templates_without_volumes_leave_their_root_volumes_unpriced() -> None:
    out = estimate_of(MNG3)
    for name in ("example-managed-ng0", "example-managed-ng3", "example-managed-ng4"):
        root = one(out, name, "GiB-months")
        assert root["monthly_cost_usd"] is None and "blockDeviceMappings" in root["reason"]
    arm = one(out, "example-managed-ng4", "node-hours")
    assert arm["unit_price_usd"] == float(on_demand("t4g.medium", "us-west-2")), "instanceTypes given"


def test_the_control_plane_of_1_31_from_outputs_is_standard_the_day_before_its_end_of_standard_support() -> (
    None
):
    row = eks_row("1.31")
    day = (row.end_of_standard - dt.timedelta(days=1)).isoformat()
    plane = one(estimate_of(MNG3, day=day), "example-managed-nodegroups-eksCluster", "cluster-hours")
    assert plane["unit_price_usd"] == float(service("aws", "eks", "cluster-hour", "us-west-2"))
    assert plane["description"] == "EKS control plane (Kubernetes 1.31, standard support)"
    assert "version = 1.31 from deployed outputs" in plane["assumptions"]


def test_the_control_plane_of_1_31_is_in_extended_support_from_its_end_of_standard_support() -> None:
    row = eks_row("1.31")
    plane = one(
        estimate_of(MNG3, day=row.end_of_standard.isoformat()),
        "example-managed-nodegroups-eksCluster",
        "cluster-hours",
    )
    rate = service("aws", "eks", "extended-support-cluster-hour", "us-west-2")
    assert rate > service("aws", "eks", "cluster-hour", "us-west-2"), "extended support costs more"
    assert plane["unit_price_usd"] == float(rate)
    assert usd(plane["monthly_cost_usd"]) == monthly(rate)
    assert plane["description"] == "EKS control plane (Kubernetes 1.31, extended support)"


def test_a_1_29_cluster_past_its_end_of_extended_support_is_priced_as_the_version_eks_upgraded_it_to() -> (
    None
):
    row = eks_row("1.29")
    assert row.end_of_extended is not None
    plane = one(
        estimate_of(MNG2, day=row.end_of_extended.isoformat()),
        "example-managed-nodegroups-eksCluster",
        "cluster-hours",
    )
    assert "Kubernetes 1.29" not in plane["description"]
    assert any(
        "EKS auto-upgrades the control plane to the oldest supported version" in a
        for a in plane["assumptions"]
    )
    assert "version = 1.29 from deployed outputs" in plane["assumptions"]


def test_the_1_29_cluster_was_standard_before_and_extended_after_its_end_of_standard_support() -> None:
    row = eks_row("1.29")
    before = (row.end_of_standard - dt.timedelta(days=1)).isoformat()
    cluster = "example-managed-nodegroups-eksCluster"
    early = one(estimate_of(MNG2, day=before), cluster, "cluster-hours")
    late = one(estimate_of(MNG2, day=row.end_of_standard.isoformat()), cluster, "cluster-hours")
    assert early["unit_price_usd"] == float(service("aws", "eks", "cluster-hour", "us-west-2"))
    assert late["unit_price_usd"] == float(
        service("aws", "eks", "extended-support-cluster-hour", "us-west-2")
    )


def test_the_1_0_4_managed_node_group_export_is_complete_and_its_total_is_exact() -> None:
    """pulumi-eks 2.2.1 wrote no VPC (default subnets): nodes, root volumes and the control plane only."""
    row = eks_row("1.29")
    day = (row.end_of_standard - dt.timedelta(days=1)).isoformat()
    out = estimate_of(MNG2, day=day)
    t3 = on_demand("t3.medium", "us-west-2")
    gp2 = storage("aws", "ebs", "gp2", "us-west-2")
    nodes = 2 + 2 + 1  # desiredSize of ng0, ng1, ng2
    expected = (
        monthly(t3, nodes)
        + (gp2 * 20 * nodes).quantize(CENT)
        + monthly(service("aws", "eks", "cluster-hour", "us-west-2"))
    )
    assert out["totals"]["unpriced_lines"] == 0 and out["totals"]["unsupported_resources"] == 0
    assert usd(out["totals"]["monthly_cost_usd"]) == expected
    assert "≥" not in total_row(run(MNG2, day=day))


def test_the_table_shows_the_node_group_the_extended_control_plane_and_a_lower_bound() -> None:
    table = run(MNG3, day=eks_row("1.31").end_of_standard.isoformat())
    assert "EKS control plane (Kubernetes 1.31, extended support)" in table
    assert "1–2 (desired 2) × t3.medium (CPU only), on-demand, us-west-2" in table
    assert "EBS root volumes: their size and type come from the AMI" in table
    assert total_row(table).split("│")[5].strip().startswith("≥ "), "the $ column is a lower bound"


# -- pulumi-eks: classic (self-managed) node groups, old and new generations ---------------------------------

CLASSIC_OLD = "eks-encryption-provider-1.0.4-state.json"
CLASSIC_NEW = "eks-encryption-provider-3.0.0-stack.json"


def test_a_cloudformation_node_group_is_desired_count_times_its_launch_configurations_type() -> None:
    stack = next(r for r in document(CLASSIC_OLD) if r["type"] == "aws:cloudformation/stack:Stack")
    assert "DesiredCapacity: 2" in stack["inputs"]["templateBody"], "the real template says 2"
    out = estimate_of(CLASSIC_OLD)
    nodes = one(out, "encryption-provider-nodes", "node-hours")
    assert nodes["description"] == "NodeGroup: 1–2 (desired 2) × t2.medium (CPU only), on-demand, us-west-2"
    assert usd(nodes["monthly_cost_usd"]) == monthly(on_demand("t2.medium", "us-west-2"), 2)
    assert any(
        "launch configuration encryption-provider-nodeLaunchConfiguration" in a for a in nodes["assumptions"]
    )
    root = one(out, "encryption-provider-nodes", "GiB-months")
    assert root["quantity"] == 20 * 2, "rootBlockDevice.volumeSize 20 of the launch configuration, per node"
    assert usd(root["unit_price_usd"]) == storage("aws", "ebs", "gp2", "us-west-2")
    assert "encryption-provider-nodeLaunchConfiguration" in {f["resource"] for f in out["free"]}


def test_the_classic_export_is_complete_kms_and_all_and_the_total_is_exact() -> None:
    row = eks_row("1.28")
    day = (row.end_of_standard - dt.timedelta(days=1)).isoformat()
    out = estimate_of(CLASSIC_OLD, day=day)
    expected = (
        monthly(on_demand("t2.medium", "us-west-2"), 2)
        + (storage("aws", "ebs", "gp2", "us-west-2") * 40).quantize(CENT)
        + service("aws", "kms", "key-month", "us-west-2")
        + monthly(service("aws", "eks", "cluster-hour", "us-west-2"))
    )
    assert out["totals"]["unpriced_lines"] == 0
    assert usd(out["totals"]["monthly_cost_usd"]) == expected
    assert one(out, "encryption-provider-eksCluster", "cluster-hours")["description"] == (
        "EKS control plane (Kubernetes 1.28, standard support)"
    )


def test_the_same_program_on_pulumi_eks_3_is_an_autoscaling_group_on_a_launch_template() -> None:
    out = estimate_of(CLASSIC_NEW)
    nodes = one(out, "encryption-provider", "node-hours")
    assert nodes["type"] == "aws:autoscaling/group:Group"
    assert usd(nodes["monthly_cost_usd"]) == monthly(on_demand("t3.medium", "us-west-2"), 2)
    root = one(out, "encryption-provider", "GiB-months")
    assert root["monthly_cost_usd"] is None, "the template leaves the root volume to the AMI"
    assert not lines(out, "encryption-provider-nodes"), "no CloudFormation stack in the 3.0.0 generation"


# -- pulumi-eks: Fargate --------------------------------------------------------------------------------------

FARGATE = "eks-fargate-1.0.4-state.json"


PROFILE = "example-cluster-fargate-fargateProfile"
FARGATE_NATS = [f"example-cluster-fargate-{n}" for n in (1, 2, 3)]


def test_a_fargate_profile_without_usage_is_an_unpriced_line_naming_the_usage_keys() -> None:
    out = estimate_of(FARGATE)
    assert not [f for f in out["free"] if f["type"] == "aws:eks/fargateProfile:FargateProfile"]
    (pods,) = lines(out, PROFILE)
    assert pods["type"] == "aws:eks/fargateProfile:FargateProfile" and pods["monthly_cost_usd"] is None
    assert pods["reason"].endswith(f"set pods, podVcpu, podMemoryGB for {PROFILE} in a usage file (--usage)")
    assert {u["resource"] for u in out["unpriced"]} == {PROFILE, *FARGATE_NATS}, "pods and NAT traffic"
    assert out["totals"]["unpriced_lines"] == 4
    row = total_row(run(FARGATE))
    assert "≥" in row and "4 unpriced line(s) not included" in row
    assert len(lines(out, "example-cluster-fargate-eksCluster", "cluster-hours")) == 1


def test_a_usage_file_prices_the_fargate_pods_and_the_total_is_then_complete(tmp_path: Path) -> None:
    usage = tmp_path / "usage.yaml"
    usage.write_text(
        "resources:\n"
        f"  {PROFILE}:\n    pods: 2\n    podVcpu: 0.25\n    podMemoryGB: 0.5\n"
        + "".join(f"  {nat}:\n    dataProcessedGB: 10\n" for nat in FARGATE_NATS)
    )
    out = estimate_of(FARGATE, "--usage", str(usage))
    vcpu, gb = one(out, PROFILE, "vCPU-hours"), one(out, PROFILE, "GB-hours")
    assert vcpu["region"] == "us-west-2"
    # 0.25 vCPU / 0.5 GB + 256 MB → the 0.25 vCPU / 1 GB configuration, 2 pods all month
    assert usd(vcpu["quantity"]) == 2 * D("0.25") * HOURS_PER_MONTH
    assert usd(gb["quantity"]) == 2 * 1 * HOURS_PER_MONTH
    per_vcpu = service("aws", "fargate", "linux-x86-vcpu-hour", "us-west-2")
    per_gb = service("aws", "fargate", "linux-x86-gb-hour", "us-west-2")
    assert usd(vcpu["monthly_cost_usd"]) == (usd(vcpu["quantity"]) * per_vcpu).quantize(CENT)
    assert usd(gb["monthly_cost_usd"]) == (usd(gb["quantity"]) * per_gb).quantize(CENT)
    assert out["totals"]["unpriced_lines"] == 0 and "≥" not in total_row(run(FARGATE, "--usage", str(usage)))


# -- pulumi-awsx: VPC with a NAT gateway per AZ, load balancers, an instance -------------------------------

VPC = "awsx-default-args-1.0.6-stack.json"
NATS = [f"awsx-nodejs-default-args-{n}" for n in (1, 2, 3)]


def vpc_region(out: dict[str, Any]) -> str:
    """The region the estimate priced the awsx VPC in. The recording's aws provider has no `region` input
    (the test set AWS_REGION in the environment); the ARNs in the outputs of its VPC, subnets and route
    tables all say us-west-2, so the NAT gateways and addresses (which have no ARN of their own) are priced
    there, and each line says the region came from deployed outputs."""
    (regions,) = {ln["region"] for ln in out["lines"]}
    assert regions == "us-west-2"
    assert all("region = us-west-2 from deployed outputs" in ln["assumptions"] for ln in out["lines"])
    return str(regions)


def test_awsx_default_vpc_has_a_nat_gateway_and_an_address_in_each_of_its_three_azs() -> None:
    out = estimate_of(VPC)
    region = vpc_region(out)
    hourly = service("aws", "nat-gateway", "gateway-hour", region)
    for nat in NATS:
        gateway = one(out, nat, "gateway-hours")
        assert usd(gateway["monthly_cost_usd"]) == monthly(hourly)
        assert one(out, nat, "GB processed")["monthly_cost_usd"] is None, "traffic is usage, not guessed"
        ip = one(out, nat, "IP-hours")
        assert usd(ip["monthly_cost_usd"]) == monthly(service("aws", "public-ipv4", "ip-hour", region))
    groups = {ln["group"] for ln in out["lines"]}
    assert groups == {f"awsx-nodejs-default-args / awsx-nodejs-default-args-public-{n}" for n in (1, 2, 3)}


def test_a_usage_file_prices_the_nat_traffic_and_the_total_is_then_complete(tmp_path: Path) -> None:
    usage = tmp_path / "usage.yaml"
    usage.write_text(
        'version: "0.1"\nresources:\n' + "".join(f"  {nat}:\n    dataProcessedGB: 100\n" for nat in NATS)
    )
    out = estimate_of(VPC, "--usage", str(usage))
    region = vpc_region(out)
    per_gb = service("aws", "nat-gateway", "gb-processed", region)
    for nat in NATS:
        assert usd(one(out, nat, "GB processed")["monthly_cost_usd"]) == (per_gb * 100).quantize(CENT)
    assert out["totals"]["unpriced_lines"] == 0
    expected = 3 * (
        monthly(service("aws", "nat-gateway", "gateway-hour", region))
        + monthly(service("aws", "public-ipv4", "ip-hour", region))
        + (per_gb * 100).quantize(CENT)
    )
    assert usd(out["totals"]["monthly_cost_usd"]) == expected


LB = "awsx-ts-lb-attach-ec2-1.0.6-stack.json"


def test_an_alb_and_the_instance_behind_it_are_priced_and_their_unknowns_named() -> None:
    out = estimate_of(LB)
    instance = one(out, "instance", "instance-hours")
    assert instance["description"] == "1 × t2.micro (CPU only), on-demand, us-west-2"
    assert usd(instance["monthly_cost_usd"]) == monthly(on_demand("t2.micro", "us-west-2"))
    balancer = [ln for ln in lines(out, "lb") if ln["monthly_cost_usd"] is not None]
    assert [ln["description"] for ln in balancer] == ["Application Load Balancer"]
    units = [ln for ln in lines(out, "lb") if ln["monthly_cost_usd"] is None]
    assert len(units) == 1 and "set capacityUnits for lb" in units[0]["reason"]
    root = one(out, "instance", "GiB-months")
    assert root["quantity"] == 8, "rootBlockDevice from the instance's deployed outputs"
    assert (root["monthly_cost_usd"] is None) == (
        CATALOG.storage_price("aws", "ebs", "standard", "us-west-2") is None
    )


# -- secrets, resource references --------------------------------------------------------------------------


def secrets_in(value: Any) -> list[str]:
    """The ciphertexts of every signature-keyed secret envelope in a document."""
    if isinstance(value, dict):
        if value.get(SIG_KEY) == SECRET_SIG and isinstance(value.get("ciphertext"), str):
            return [value["ciphertext"]]
        return [c for v in value.values() for c in secrets_in(v)]
    if isinstance(value, list):
        return [c for v in value for c in secrets_in(v)]
    return []


@pytest.mark.parametrize("name", ["eks-fargate-1.0.4-state.json", "gcp-cluster-7.2.1-stack.json"])
def test_secret_envelopes_are_read_as_secrets_and_never_printed(name: str) -> None:
    ciphertexts = secrets_in(document(name))
    assert ciphertexts, "the document holds signature-keyed secrets"
    shown = run(name, "--format", "json") + run(name)
    for text in ciphertexts:
        assert text[:24] not in shown, "a secret's ciphertext never reaches the output"


def test_a_component_output_of_resource_references_is_read_and_the_repository_is_unpriced_storage() -> None:
    name = "awsx-ts-ecr-repo-1.0.6-stack.json"
    assert '"5cf8f73096256a8f31e491e813e4eb8e"' in (REAL / name).read_text(), "resource references inside"
    out = estimate_of(name)
    (repo,) = lines(out, "repository")
    assert repo["type"] == "aws:ecr/repository:Repository" and repo["monthly_cost_usd"] is None
    assert "set storageGiB for repository" in repo["reason"]
    assert "≥ 0.00" in total_row(run(name)), "nothing known is not $0: the total is a lower bound"


# -- pulumi-gcp: GKE regional node pool, Cloud NAT ----------------------------------------------------------

GKE = "gcp-cluster-7.2.1-stack.json"


def test_a_regional_preemptible_gke_pool_runs_node_count_in_each_of_its_deployed_zones_at_spot_price() -> (
    None
):
    pool = next(r for r in document(GKE) if r["type"] == "gcp:container/nodePool:NodePool")
    zones = pool["outputs"]["nodeLocations"]
    assert pool["inputs"]["nodeCount"] == 1 and len(zones) == 3 and "nodeLocations" not in pool["inputs"]
    out = estimate_of(GKE)
    nodes = one(out, "primarypreemptiblenodes", "node-hours")
    assert nodes["purchase_option"] == "spot", "preemptible: billed at the spot price"
    assert nodes["quantity"] == 3 * 730, "nodeCount 1 per zone × the 3 zones GKE chose"
    assert usd(nodes["monthly_cost_usd"]) == monthly(on_demand("e2-medium", "us-central1", "spot"), 3)
    disk = one(out, "primarypreemptiblenodes", "GiB-months")
    assert disk["quantity"] == 100 * 3, "diskSizeGb 100 from deployed outputs, per node"
    assert usd(disk["unit_price_usd"]) == storage("gcp", "persistent-disk", "pd-balanced", "us-central1")


def test_the_gke_cluster_is_its_management_fee_and_its_removed_default_pool_costs_nothing() -> None:
    out = estimate_of(GKE)
    (fee,) = lines(out, "primary")
    assert fee["description"] == "GKE cluster management fee"
    assert usd(fee["monthly_cost_usd"]) == monthly(service("gcp", "gke", "cluster-hour", "us-central1"))
    expected = usd(fee["monthly_cost_usd"]) + sum(
        usd(ln["monthly_cost_usd"]) for ln in lines(out, "primarypreemptiblenodes")
    )
    assert usd(out["totals"]["monthly_cost_usd"]) == expected, "removeDefaultNodePool: no default pool line"


def test_cloud_nat_is_priced_by_the_hour_with_its_address_and_its_traffic_left_to_usage() -> None:
    out = estimate_of("gcp-router-nat-6.67.0-stack.json")
    gateway = one(out, "iac-nat", "gateway-hours")
    assert usd(gateway["unit_price_usd"]) == service("gcp", "cloud-nat", "gateway-hour", "us-central1")
    assert one(out, "iac-nat", "GB processed")["monthly_cost_usd"] is None


# -- standard input, as a Windows shell writes it -----------------------------------------------------------


def test_a_real_export_piped_as_utf16_le_with_bom_and_crlf_gives_the_same_estimate_as_the_file() -> None:
    text = (REAL / VPC).read_text().replace("\n", "\r\n")
    piped = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    from_stdin = json.loads(run(VPC, "--format", "json", stdin=piped))
    assert from_stdin == estimate_of(VPC)
    assert len([ln for ln in from_stdin["lines"] if ln["unit"] == "gateway-hours"]) == 3
