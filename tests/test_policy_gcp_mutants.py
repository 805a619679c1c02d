"""GCP guardrail rules (policy/gcp.py) through `infra check`'s rule table: the Checkov IDs of the private-nodes
and uniform-access findings, a firewall rule whose whole source list is unknown until created, and a
firewall rule whose first `allows` entry has no protocol (or ports unknown until created) before an open
SSH entry. Written to kill the mutants bench/mutation.py found alive."""

from __future__ import annotations

from typing import Any

from aiinfra.engine.graph import PlannedResource, make_urn
from aiinfra.engine.inputs import UNKNOWN
from aiinfra.policy import RULES_BY_ID
from aiinfra.policy.model import Violation

GKE = "gcp:container/cluster:Cluster"
POOL = "gcp:container/nodePool:NodePool"
BUCKET = "gcp:storage/bucket:Bucket"
FIREWALL = "gcp:compute/firewall:Firewall"
OPEN = "0.0.0.0/0"


def res(type_: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type_, name, make_urn("test", "aiinfra", type_, name), None, inputs, True, True, True
    )


def check(rule_id: str, r: PlannedResource) -> list[Violation]:
    return RULES_BY_ID[rule_id].check(r)  # type: ignore[call-arg,arg-type]


def test_public_gke_nodes_are_checkovs_ckv_gcp_64_on_a_cluster_its_inline_pool_and_a_node_pool() -> None:
    cluster = res(
        GKE,
        "gke",
        privateClusterConfig={"enablePrivateNodes": False},
        nodePools=[{"name": "cpu", "networkConfig": {"enablePrivateNodes": False}}],
    )
    pool = res(POOL, "gpu", networkConfig={"enablePrivateNodes": False})
    found = check("gke-private-nodes", cluster) + check("gke-private-nodes", pool)
    assert [(v.resource, v.checkov) for v in found] == [
        ("gke", "CKV_GCP_64"),
        ("gke", "CKV_GCP_64"),
        ("gpu", "CKV_GCP_64"),
    ]


def test_a_bucket_allowing_object_acls_is_checkovs_ckv_gcp_29() -> None:
    found = check("gcs-uniform-access", res(BUCKET, "data", uniformBucketLevelAccess=False))
    assert [v.checkov for v in found] == ["CKV_GCP_29"]


def test_a_firewall_rule_whose_source_list_is_unknown_until_created_is_not_reported() -> None:
    unknown = res(
        FIREWALL,
        "fw",
        network="vpc",
        direction="INGRESS",
        sourceRanges=UNKNOWN,
        allows=[{"protocol": "tcp", "ports": ["22"]}],
    )
    assert check("gcp-firewall-open-admin-ingress", unknown) == []
    sourceless = res(FIREWALL, "fw", network="vpc", allows=[{"protocol": "tcp", "ports": ["22"]}])
    assert [v.message for v in check("gcp-firewall-open-admin-ingress", sourceless)] == [
        "firewall fw (allows[0]) admits 0.0.0.0/0 (no source given) on port 22 (SSH) (tcp)."
    ]


def test_an_entry_without_a_protocol_or_with_unknown_ports_does_not_hide_the_next_open_entry() -> None:
    for first in ({"ports": ["80"]}, {"protocol": "tcp", "ports": [UNKNOWN]}):
        fw = res(
            FIREWALL,
            "fw",
            network="vpc",
            sourceRanges=[OPEN],
            allows=[first, {"protocol": "tcp", "ports": ["22"]}],
        )
        assert [v.message for v in check("gcp-firewall-open-admin-ingress", fw)] == [
            "firewall fw (allows[1]) admits 0.0.0.0/0 on port 22 (SSH) (tcp)."
        ], first
