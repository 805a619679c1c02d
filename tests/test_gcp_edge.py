"""GCP edge sites (Google Distributed Cloud connected) under the recording mocks: the exact children, their key
inputs and what must be absent, the plan's warnings, and the pure helpers behind them."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from aiinfra.catalog import default_catalog
from aiinfra.cli.main import app
from aiinfra.clouds import gcp as gcp_profile
from aiinfra.components.gcp.edge_site import (
    TYPE,
    GdcEdgeSite,
    GdcEdgeSiteArgs,
    control_plane_nodes,
    gdc_networking,
    label_value,
)
from aiinfra.components.stack import build_edge_sites
from aiinfra.engine.graph import ResourceGraph
from aiinfra.spec.models import EdgeSite
from tests.conftest import children_of, id_of, names_by_type

CLUSTER = "gcp:edgecontainer/cluster:Cluster"
POOL = "gcp:edgecontainer/nodePool:NodePool"
RING = "gcp:kms/keyRing:KeyRing"
KEY = "gcp:kms/cryptoKey:CryptoKey"
GRANT = "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember"
ZONE = "us-central1-edge-customer-a"


def site(**overrides: Any) -> EdgeSite:
    return EdgeSite.model_validate(
        {"name": "den", "cloud": "gcp", "location": ZONE, "accelerator": "L4", "nodes": 3, **overrides}
    )


def plan_site(program_site: EdgeSite) -> ResourceGraph:
    from aiinfra.engine.plan import plan_program

    def program() -> None:
        build_edge_sites([program_site], {}, default_catalog())

    return plan_program(program, stack="edge-test", config={"gcp:region": "us-central1"})


@pytest.fixture(scope="module")
def graph() -> ResourceGraph:
    return plan_site(site())


def test_a_gdc_site_builds_exactly_a_key_a_cluster_and_a_node_pool(graph: ResourceGraph) -> None:
    assert names_by_type(children_of(graph, TYPE, "den")) == {
        (RING, "den-keys"),
        (KEY, "den-disk-key"),
        (GRANT, "den-disk-key-agent"),
        (CLUSTER, "den"),
        (POOL, "den-gpu"),
    }
    others = [r for r in graph.resources if r.custom and r.type.startswith("gcp:") and r.parent is None]
    assert others == [], "every GCP resource of the site is a child of its component"


def test_the_cluster_is_in_the_zones_region_with_a_local_control_plane_on_site(graph: ResourceGraph) -> None:
    cluster = graph.get(CLUSTER, "den").inputs
    assert cluster["location"] == "us-central1"
    assert cluster["controlPlane"] == {
        "local": {"nodeLocation": ZONE, "nodeCount": 3, "sharedDeploymentPolicy": "ALLOWED"}
    }
    assert "remote" not in cluster["controlPlane"], "GDC connected clusters run their control plane on site"
    assert "controlPlaneEncryption" not in cluster, "that field is for remote control planes only"


def test_the_cluster_joins_the_projects_fleet_and_gets_gclouds_default_ranges(graph: ResourceGraph) -> None:
    cluster = graph.get(CLUSTER, "den").inputs
    assert cluster["fleet"] == {"project": f"projects/{gcp_profile.PROJECT_NUMBER}"}
    assert cluster["networking"] == {
        "clusterIpv4CidrBlocks": ["10.0.0.0/17"],
        "servicesIpv4CidrBlocks": ["10.96.0.0/12"],
    }
    assert cluster["authorization"] == {"adminUsers": {"username": "offline-plan@example.com"}}, (
        "the account running Pulumi is the cluster's admin"
    )


def test_the_cluster_is_upgraded_by_google_in_a_weekly_window(graph: ResourceGraph) -> None:
    cluster = graph.get(CLUSTER, "den").inputs
    assert cluster["releaseChannel"] == "REGULAR"
    window = cluster["maintenancePolicy"]["window"]["recurringWindow"]
    assert window["recurrence"] == "FREQ=WEEKLY;BYDAY=SU"
    assert window["window"] == {"startTime": "2026-01-04T02:00:00Z", "endTime": "2026-01-04T08:00:00Z"}
    assert cluster["labels"] == {"aiinfra-stack": "edge-test", "aiinfra-edge-site": "den"}


def test_no_external_load_balancer_pool_is_opened_when_the_site_is_not_public(graph: ResourceGraph) -> None:
    assert "externalLoadBalancerIpv4AddressPools" not in graph.get(CLUSTER, "den").inputs


def test_the_node_pool_takes_the_zones_machines_with_disks_under_the_sites_key(graph: ResourceGraph) -> None:
    pool = graph.get(POOL, "den-gpu").inputs
    assert pool["cluster"] == "den"
    assert pool["location"] == "us-central1"
    assert pool["nodeLocation"] == ZONE
    assert pool["nodeCount"] == 3
    assert pool["localDiskEncryption"] == {"kmsKey": id_of(graph, KEY, "den-disk-key")}
    assert pool["nodeConfig"] == {
        "labels": {
            "aiinfra.dev/pool": "den-gpu",
            "aiinfra.dev/edge-site": "den",
            "aiinfra.dev/accelerator": "L4",
            "aiinfra.dev/accelerator-vendor": "nvidia",
        }
    }
    assert "machineFilter" not in pool, "no filter was given, so none is invented"


def test_only_the_edge_container_service_agent_may_use_the_disk_key(graph: ResourceGraph) -> None:
    grant = graph.get(GRANT, "den-disk-key-agent").inputs
    assert grant == {
        "cryptoKeyId": id_of(graph, KEY, "den-disk-key"),
        "role": "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        "member": f"serviceAccount:service-{gcp_profile.PROJECT_NUMBER}"
        "@gcp-sa-edgecontainer.iam.gserviceaccount.com",
    }


def test_the_disk_key_rotates_and_waits_before_its_material_goes(graph: ResourceGraph) -> None:
    key = graph.get(KEY, "den-disk-key").inputs
    assert key["rotationPeriod"] == "7776000s"
    assert key["destroyScheduledDuration"] == "2592000s"
    ring = graph.get(RING, "den-keys").inputs
    assert ring["location"] == "us-central1"
    assert "name" not in ring, (
        "a key ring can never be deleted: a fixed name would block re-creating the site"
    )


def test_the_plan_says_what_pulumi_cannot_do_for_a_gdc_site(graph: ResourceGraph) -> None:
    text = " ".join(graph.warnings)
    assert "ordered and installed outside Pulumi" in text
    assert "project with no other kind of cluster" in text
    assert "does not say which machines carry the L4" in text
    assert "take no taints" in text and "nvidia.com/gpu" in text
    assert "public is set" not in text


def test_gpu_pods_on_a_gdc_site_are_a_precise_warning_not_a_guessed_install(graph: ResourceGraph) -> None:
    """The provider has no GPU setting and the docs found do not say who runs the device plugin: the plan
    says what is known, what is not and how to check, and the site installs nothing in the cluster."""
    (note,) = [w for w in graph.warnings if "exposes the L4s to pods" in w]
    assert note.startswith(f"edge site 'den' ({ZONE}): this stack installs nothing")
    assert "no GPU setting" in note
    assert '"provisions and manages the operating system on the worker nodes"' in note, "the doc, quoted"
    assert "feature-matrix" in note and "not whether Google runs the NVIDIA device plugin" in note
    assert (
        "`kubectl get nodes -l aiinfra.dev/accelerator=L4 -o custom-columns=NODE:.metadata.name,"
        "GPUS:.status.allocatable.nvidia\\.com/gpu`"
    ) in note
    assert not [
        r for r in graph.resources if r.type.startswith(("kubernetes:", "pulumi:providers:kubernetes"))
    ]
    pool = graph.get(POOL, "den-gpu").inputs
    assert set(pool) <= {
        "cluster",
        "location",
        "nodeLocation",
        "nodeCount",
        "machineFilter",
        "localDiskEncryption",
        "nodeConfig",
        "labels",
    }, "nothing beyond what the provider's node pool takes"
    assert set(pool["nodeConfig"]) == {"labels"}, "a GDC node pool takes labels, no taints"


def test_a_site_without_an_accelerator_gets_no_gpu_warning() -> None:
    graph = plan_site(site(name="cpu", accelerator=None, instanceType=None))
    assert any("ordered and installed outside Pulumi" in w for w in graph.warnings), "the site was planned"
    assert graph.get(POOL, "cpu-nodes").inputs["nodeCount"] == 3
    assert not any("exposes the" in w or "nvidia.com/gpu" in w for w in graph.warnings)


def test_a_small_site_gets_one_control_plane_replica_and_its_own_labels() -> None:
    graph = plan_site(site(name="bos", nodes=2, labels={"team": "vision"}))
    assert graph.get(CLUSTER, "bos").inputs["controlPlane"]["local"]["nodeCount"] == 1
    labels = graph.get(POOL, "bos-gpu").inputs["nodeConfig"]["labels"]
    assert labels["team"] == "vision"
    assert labels["aiinfra.dev/edge-site"] == "bos"


def test_a_public_gdc_site_is_warned_that_reachability_is_the_local_networks() -> None:
    graph = plan_site(site(public=True))
    assert any("public is set" in w for w in graph.warnings)
    assert "externalLoadBalancerIpv4AddressPools" not in graph.get(CLUSTER, "den").inputs


def test_a_machine_filter_given_to_the_component_reaches_the_pool_and_control_plane() -> None:
    from aiinfra.engine.plan import plan_program

    def program() -> None:
        GdcEdgeSite(
            "den",
            GdcEdgeSiteArgs(
                site=site(),
                region="us-central1",
                project_number="42",
                admin_user="ops@example.com",
                accelerator="L4",
                machine_filter="name=den-gpu-*",
            ),
        )

    graph = plan_program(program, stack="t", config={})
    assert graph.get(POOL, "den-gpu").inputs["machineFilter"] == "name=den-gpu-*"
    assert graph.get(CLUSTER, "den").inputs["controlPlane"]["local"]["machineFilter"] == "name=den-gpu-*"
    assert not any("which machines carry" in w for w in graph.warnings)


def test_spot_capacity_is_refused_by_the_component() -> None:
    from aiinfra.engine.plan import plan_program

    def program() -> None:
        GdcEdgeSite(
            "den",
            GdcEdgeSiteArgs(
                site=site(capacity="spot"), region="us-central1", project_number="1", admin_user="a"
            ),
        )

    with pytest.raises(Exception, match="no spot capacity"):
        plan_program(program, stack="t", config={})


# -- pure helpers --------------------------------------------------------------------------------------------


def test_stack_names_become_valid_gcp_label_values() -> None:
    assert label_value("Prod.EU_west") == "prod-eu_west"
    assert len(label_value("x" * 80)) == 63


def test_gdc_networking_returns_gclouds_defaults() -> None:
    assert gdc_networking() == ("10.0.0.0/17", "10.96.0.0/12")


@pytest.mark.parametrize(
    ("pods", "services", "avoid", "message"),
    [
        ("100.64.0.0/16", "10.96.0.0/12", (), "not inside an RFC 1918 block"),
        ("10.0.0.0/17", "10.0.0.0/16", (), "overlap"),
        ("10.0.0.0/17", "10.96.0.0/12", ("10.0.64.0/24",), "overlaps 10.0.64.0/24"),
    ],
)
def test_gdc_networking_refuses_public_or_overlapping_ranges(
    pods: str, services: str, avoid: tuple[str, ...], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        gdc_networking(
            ipaddress.IPv4Network(pods),
            ipaddress.IPv4Network(services),
            [ipaddress.IPv4Network(a) for a in avoid],
        )


@pytest.mark.parametrize(("nodes", "replicas"), [(0, 1), (1, 1), (2, 1), (3, 3), (12, 3)])
def test_the_control_plane_has_one_or_three_replicas(nodes: int, replicas: int) -> None:
    assert control_plane_nodes(nodes) == replicas


def test_a_gdc_zone_names_its_parent_region_and_kind() -> None:
    assert gcp_profile.region_of_edge_zone("us-central1-edge-customer-a") == "us-central1"
    assert gcp_profile.region_of_edge_zone("europe-west4-edge-ams-1") == "europe-west4"
    assert gcp_profile.PROFILE.edge_kind("us-central1-edge-customer-a") == "distributed-cloud"
    assert gcp_profile.PROFILE.edge_kind("us-central1-a") is None, "a regional zone is not an edge site"
    with pytest.raises(ValueError, match="not a Distributed Cloud zone"):
        gcp_profile.region_of_edge_zone("us-central1-a")


def test_gcp_builds_edge_sites_now() -> None:
    assert gcp_profile.PROFILE.why_not("edge-sites") is None
    assert gcp_profile.PROFILE.edge_kinds == ("distributed-cloud",)


# -- through the CLI ---------------------------------------------------------------------------------------


def write_stack(tmp_path: Path, **overrides: Any) -> Path:
    entry = {"name": "den", "cloud": "gcp", "location": ZONE, "accelerator": "L4", "nodes": 3, **overrides}
    doc = {"config": {"aiinfra:edgeSites": [{k: v for k, v in entry.items() if v is not None}]}}
    path = tmp_path / "Pulumi.gdc.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("overrides", "where", "words"),
    [
        ({"capacity": "spot"}, "edgeSites[0].capacity", "sells no spot capacity"),
        ({"nodes": None, "minNodes": 1, "maxNodes": 3}, "edgeSites[0].maxNodes", "no cluster autoscaler"),
        ({"accelerator": "T4"}, "edgeSites[0].accelerator", "has L4, not T4"),
        ({"location": "us-central1-a"}, "edgeSites[0].location", "such as us-central1-edge-customer-a"),
        ({"public": True}, "edgeSites[0].public", "sit on your local network"),
        ({"localCluster": True}, "edgeSites[0].localCluster", "for AWS Outposts"),
        ({"cluster": "train"}, "edgeSites[0].cluster", "joins no regional cluster"),
    ],
)
def test_bad_gdc_sites_exit_2_with_the_field_and_the_fix(
    tmp_path: Path, overrides: dict[str, Any], where: str, words: str
) -> None:
    result = CliRunner().invoke(app, ["plan", "-s", str(write_stack(tmp_path, **overrides))])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert where in result.stderr and words in result.stderr and "Fix:" in result.stderr


def test_a_gdc_site_plans_and_its_capacity_is_unpriced_as_bought_with_the_hardware(tmp_path: Path) -> None:
    path = str(write_stack(tmp_path))
    plan_run = CliRunner().invoke(app, ["plan", "-s", path, "--format", "json"])
    assert plan_run.exit_code == 0, plan_run.output
    types = sorted(
        r["type"] for r in json.loads(plan_run.stdout)["resources"] if r["type"].startswith("gcp:")
    )
    assert types == [CLUSTER, POOL, KEY, GRANT, RING], "the plan carries the site's resources"

    run = CliRunner().invoke(app, ["estimate", "-s", path, "--format", "json"])
    assert run.exit_code == 0, run.output
    doc = json.loads(run.stdout)
    lines = {line["resource"]: line for line in doc["lines"]}
    pool = lines["den-gpu"]
    assert pool["monthly_cost_usd"] is None and pool["unit_price_usd"] is None, "never $0"
    assert pool["quantity"] == 3 * 730 and pool["unit"] == "node-hours"
    assert pool["reason"].startswith("bought with the hardware")
    assert "distributed-cloud" in pool["source"] and "pricing" in pool["source"]
    assert pool["monthly_energy_kwh"] is None and "customer site" in pool["energy_detail"]
    assert lines["den"]["monthly_cost_usd"] is None and "bought with the hardware" in lines["den"]["reason"]
    unpriced = {u["resource"] for u in doc["unpriced"]}
    assert unpriced == {"den", "den-gpu"}
    assert doc["totals"]["monthly_cost_usd"] == lines["den-disk-key"]["monthly_cost_usd"], (
        "only the KMS key has a price; the total does not pretend the hardware is free"
    )


def test_a_gdc_site_passes_the_guardrails(tmp_path: Path) -> None:
    run = CliRunner().invoke(app, ["check", "-s", str(write_stack(tmp_path)), "--format", "json"])
    assert run.exit_code == 0, run.output


def test_destroy_says_the_hardware_commitment_outlives_the_cluster(graph: ResourceGraph) -> None:
    lines = gcp_profile.PROFILE.committed_spend(graph.resources)
    assert len(lines) == 1 and lines[0].startswith("Distributed Cloud hardware behind cluster den:")
    assert "36- or 60-month commitment" in lines[0]
    assert gcp_profile.gdc_committed_spend([r for r in graph.resources if r.type != CLUSTER]) == []


def test_the_multicloud_example_plans_estimates_and_checks_its_edge_sites() -> None:
    plan_run = CliRunner().invoke(app, ["plan", "-s", "edge-multicloud", "--format", "json"])
    assert plan_run.exit_code == 0, plan_run.output
    components = {(r["type"], r["name"]) for r in json.loads(plan_run.stdout)["resources"]}
    assert (TYPE, "den") in components and (POOL, "den-gpu") in components
    assert any(t == "aiinfra:aws:EdgeSite" for t, _ in components), "the Local Zone site joins serve"

    run = CliRunner().invoke(app, ["estimate", "-s", "edge-multicloud", "--format", "json"])
    assert run.exit_code == 0, run.output
    unpriced = {u["resource"]: u["reason"] for u in json.loads(run.stdout)["unpriced"]}
    assert unpriced["den-gpu"].startswith("bought with the hardware")

    check = CliRunner().invoke(app, ["check", "-s", "edge-multicloud"])
    assert check.exit_code == 0, check.output
