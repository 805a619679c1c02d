"""The GCP guardrail rules (policy/gcp.py, and the GKE/GCS rules of policy/rules.py): a compliant GKE
cluster, node pool, KMS key, bucket, Filestore, Parallelstore, Managed Lustre and firewall, built with
pulumi_gcp under the recording mocks, pass every rule; the hand-written inputs the variants start from are
exactly what that SDK sends; and each non-compliant variant fails its rule with the message a user reads."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from aiinfra.engine.graph import PlannedResource, ResourceGraph, make_urn
from aiinfra.engine.inputs import UNKNOWN
from aiinfra.policy import RULES_BY_ID, check_graph
from aiinfra.policy.gcp import rotation_seconds
from aiinfra.policy.model import Violation
from tests.conftest import plan

GKE = "gcp:container/cluster:Cluster"
POOL = "gcp:container/nodePool:NodePool"
KEY = "gcp:kms/cryptoKey:CryptoKey"
BUCKET = "gcp:storage/bucket:Bucket"
FILESTORE = "gcp:filestore/instance:Instance"
PARALLELSTORE = "gcp:parallelstore/instance:Instance"
LUSTRE = "gcp:lustre/instance:Instance"
FIREWALL = "gcp:compute/firewall:Firewall"
OPEN = "0.0.0.0/0"
DROP = object()
"""A variant's value that removes the input."""

COMPLIANT: dict[str, tuple[str, dict[str, Any]]] = {
    "gke": (
        GKE,
        {
            "location": "us-central1",
            "removeDefaultNodePool": True,
            "initialNodeCount": 1,
            "privateClusterConfig": {"enablePrivateNodes": True, "enablePrivateEndpoint": True},
            "masterAuthorizedNetworksConfig": {
                "cidrBlocks": [{"cidrBlock": "10.0.0.0/8", "displayName": "vpc"}]
            },
            "workloadIdentityConfig": {"workloadPool": "proj.svc.id.goog"},
            "enableShieldedNodes": True,
            "databaseEncryption": {
                "state": "ENCRYPTED",
                "keyName": "projects/p/locations/l/keyRings/r/cryptoKeys/k",
            },
            "deletionProtection": True,
        },
    ),
    "gpu": (
        POOL,
        {
            "cluster": "gke-id",
            "location": "us-central1",
            "nodeConfig": {
                "machineType": "a3-megagpu-8g",
                "workloadMetadataConfig": {"mode": "GKE_METADATA"},
                "metadata": {"disable-legacy-endpoints": "true"},
                "shieldedInstanceConfig": {"enableSecureBoot": True, "enableIntegrityMonitoring": True},
            },
        },
    ),
    "secrets": (KEY, {"keyRing": "ring-id", "rotationPeriod": "7776000s"}),
    "data": (
        BUCKET,
        {"location": "US-CENTRAL1", "uniformBucketLevelAccess": True, "publicAccessPrevention": "enforced"},
    ),
    "share": (
        FILESTORE,
        {
            "location": "us-central1-a",
            "tier": "ZONAL",
            "fileShares": {"name": "share", "capacityGb": 1024},
            "networks": [{"network": "vpc", "modes": ["MODE_IPV4"]}],
            "deletionProtectionEnabled": True,
            "deletionProtectionReason": "training data",
        },
    ),
    "scratch": (
        PARALLELSTORE,
        {"instanceId": "scratch", "location": "us-central1-a", "capacityGib": "12000", "network": "vpc"},
    ),
    "lustre": (
        LUSTRE,
        {
            "instanceId": "lustre",
            "location": "us-central1-a",
            "capacityGib": "18000",
            "filesystem": "lfs",
            "network": "vpc",
            "perUnitStorageThroughput": "1000",
        },
    ),
    "internal": (
        FIREWALL,
        {
            "network": "vpc",
            "direction": "INGRESS",
            "sourceRanges": ["10.0.0.0/8"],
            "allows": [{"protocol": "tcp", "ports": ["22", "443"]}],
        },
    ),
}
STORAGE = ("data", "share", "scratch", "lustre")


def compliant_program() -> None:
    """The COMPLIANT resources written as a user writes them with pulumi_gcp (snake_case, typed args)."""
    import pulumi
    import pulumi_gcp as gcp

    keep = pulumi.ResourceOptions(protect=True, retain_on_delete=True)
    gcp.container.Cluster(
        "gke",
        location="us-central1",
        remove_default_node_pool=True,
        initial_node_count=1,
        private_cluster_config={"enable_private_nodes": True, "enable_private_endpoint": True},
        master_authorized_networks_config={
            "cidr_blocks": [{"cidr_block": "10.0.0.0/8", "display_name": "vpc"}]
        },
        workload_identity_config={"workload_pool": "proj.svc.id.goog"},
        enable_shielded_nodes=True,
        database_encryption={
            "state": "ENCRYPTED",
            "key_name": "projects/p/locations/l/keyRings/r/cryptoKeys/k",
        },
        deletion_protection=True,
    )
    gcp.container.NodePool(
        "gpu",
        cluster="gke-id",
        location="us-central1",
        node_config={
            "machine_type": "a3-megagpu-8g",
            "workload_metadata_config": {"mode": "GKE_METADATA"},
            "metadata": {"disable-legacy-endpoints": "true"},
            "shielded_instance_config": {"enable_secure_boot": True, "enable_integrity_monitoring": True},
        },
    )
    gcp.kms.CryptoKey("secrets", key_ring="ring-id", rotation_period="7776000s")
    gcp.storage.Bucket(
        "data",
        location="US-CENTRAL1",
        uniform_bucket_level_access=True,
        public_access_prevention="enforced",
        opts=keep,
    )
    gcp.filestore.Instance(
        "share",
        location="us-central1-a",
        tier="ZONAL",
        file_shares={"name": "share", "capacity_gb": 1024},
        networks=[{"network": "vpc", "modes": ["MODE_IPV4"]}],
        deletion_protection_enabled=True,
        deletion_protection_reason="training data",
        opts=keep,
    )
    gcp.parallelstore.Instance(
        "scratch",
        instance_id="scratch",
        location="us-central1-a",
        capacity_gib="12000",
        network="vpc",
        opts=keep,
    )
    gcp.lustre.Instance(
        "lustre",
        instance_id="lustre",
        location="us-central1-a",
        capacity_gib="18000",
        filesystem="lfs",
        network="vpc",
        per_unit_storage_throughput="1000",
        opts=keep,
    )
    gcp.compute.Firewall(
        "internal",
        network="vpc",
        direction="INGRESS",
        source_ranges=["10.0.0.0/8"],
        allows=[{"protocol": "tcp", "ports": ["22", "443"]}],
    )


@pytest.fixture(scope="module")
def planned() -> ResourceGraph:
    return plan(compliant_program, region="us-central1")


def test_the_hand_written_inputs_are_exactly_what_pulumi_gcp_sends(planned: ResourceGraph) -> None:
    assert sorted(r.name for r in planned.resources if r.custom and r.type.startswith("gcp:")) == sorted(
        COMPLIANT
    )
    for name, (type_, inputs) in COMPLIANT.items():
        assert planned.get(type_, name).inputs == inputs, (
            f"{name}: the variants below start from these inputs, so they must be the SDK's camelCase shape"
        )


def test_the_compliant_resources_pass_every_rule(planned: ResourceGraph) -> None:
    report = check_graph(planned)
    assert report.violations == [], [v.message for v in report.violations]
    assert report.resources_checked == len(COMPLIANT)


# -- variants ----------------------------------------------------------------------------------------------


def res(
    name: str, *changes: tuple[str, Any], protect: bool = True, type_: str | None = None
) -> PlannedResource:
    """The compliant resource `name` with `changes` applied: ("a.b", value) sets a nested input, DROP
    removes it."""
    base_type, base = COMPLIANT[name]
    inputs = copy.deepcopy(base)
    for path, value in changes:
        *parents, last = path.split(".")
        node = inputs
        for step in parents:
            node = node.setdefault(step, {})
        if value is DROP:
            node.pop(last, None)
        else:
            node[last] = value
    t = type_ or base_type
    return PlannedResource(
        t, name, make_urn("test", "aiinfra", t, name), None, inputs, True, protect, protect
    )


def check(rule_id: str, r: PlannedResource) -> list[Violation]:
    found = RULES_BY_ID[rule_id].check(r)  # type: ignore[call-arg,arg-type]
    rule = RULES_BY_ID[rule_id]
    assert all(v.rule_id == rule_id and v.severity == rule.severity for v in found), found
    assert all(v.resource == r.name and v.type == r.type and v.urn == r.urn and v.fix for v in found), found
    return found


Case = tuple[str, PlannedResource, list[str]]

FAILING: dict[str, list[Case]] = {
    "gke-private-nodes": [
        (
            "private nodes off",
            res("gke", ("privateClusterConfig", {"enablePrivateNodes": False})),
            [
                "GKE cluster gke gives its nodes public IP addresses (privateClusterConfig.enablePrivateNodes is false)."
            ],
        ),
        (
            "private nodes not set",
            res("gke", ("privateClusterConfig", {"enablePrivateEndpoint": False})),
            [
                "GKE cluster gke gives its nodes public IP addresses (privateClusterConfig.enablePrivateNodes is "
                "not set)."
            ],
        ),
        (
            "a cluster's inline node pool that turns private nodes off",
            res("gke", ("nodePools", [{"name": "cpu", "networkConfig": {"enablePrivateNodes": False}}])),
            [
                "GKE cluster gke: nodePools[0] cpu gives its nodes public IP addresses "
                "(networkConfig.enablePrivateNodes: false)."
            ],
        ),
        (
            "a node pool that turns private nodes off",
            res("gpu", ("networkConfig", {"enablePrivateNodes": False})),
            [
                "GKE node pool gpu gives its nodes public IP addresses (networkConfig.enablePrivateNodes: false)."
            ],
        ),
    ],
    "gke-private-endpoint": [
        (
            "a public endpoint open to 0.0.0.0/0",
            res(
                "gke",
                ("privateClusterConfig.enablePrivateEndpoint", False),
                ("masterAuthorizedNetworksConfig", {"cidrBlocks": [{"cidrBlock": OPEN}]}),
            ),
            ["GKE cluster gke has a public control-plane endpoint open to any address."],
        ),
        (
            "a public endpoint open to every Google Cloud address",
            res(
                "gke",
                ("privateClusterConfig.enablePrivateEndpoint", False),
                (
                    "masterAuthorizedNetworksConfig",
                    {"cidrBlocks": [{"cidrBlock": "203.0.113.0/24"}], "gcpPublicCidrsAccessEnabled": True},
                ),
            ),
            [
                "GKE cluster gke has a public control-plane endpoint open to every Google Cloud public IP "
                "(masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled)."
            ],
        ),
    ],
    "gke-workload-identity": [
        (
            "no workload pool",
            res("gke", ("workloadIdentityConfig", DROP)),
            ["GKE cluster gke has no Workload Identity: pods act as the node's service account."],
        )
    ],
    "gke-metadata-server": [
        (
            "a node pool exposing the node's metadata",
            res("gpu", ("nodeConfig.workloadMetadataConfig", {"mode": "GCE_METADATA"})),
            [
                "GKE node pool gpu: nodeConfig exposes the node's metadata to pods (workloadMetadataConfig.mode is GCE_METADATA)."
            ],
        ),
        (
            "a node pool that does not set the mode",
            res("gpu", ("nodeConfig.workloadMetadataConfig", DROP)),
            [
                "GKE node pool gpu: nodeConfig exposes the node's metadata to pods (workloadMetadataConfig.mode is not set)."
            ],
        ),
        (
            "legacy metadata endpoints turned on",
            res("gpu", ("nodeConfig.metadata", {"disable-legacy-endpoints": "false"})),
            [
                "GKE node pool gpu: nodeConfig turns the legacy metadata endpoints on "
                "(metadata.disable-legacy-endpoints: false)."
            ],
        ),
        (
            "a cluster's kept default pool on the node's metadata",
            res(
                "gke",
                ("removeDefaultNodePool", DROP),
                ("nodeConfig", {"workloadMetadataConfig": {"mode": "GCE_METADATA"}}),
            ),
            [
                "GKE cluster gke: nodeConfig (the default node pool) exposes the node's metadata to pods "
                "(workloadMetadataConfig.mode is GCE_METADATA)."
            ],
        ),
    ],
    "gke-shielded-nodes": [
        (
            "shielded nodes off",
            res("gke", ("enableShieldedNodes", False)),
            ["GKE cluster gke turns Shielded GKE Nodes off (enableShieldedNodes: false)."],
        ),
        (
            "integrity monitoring off on a node pool",
            res("gpu", ("nodeConfig.shieldedInstanceConfig.enableIntegrityMonitoring", False)),
            ["GKE node pool gpu: nodeConfig turns integrity monitoring of its Shielded VM nodes off."],
        ),
    ],
    "gke-secrets-encryption": [
        (
            "no database encryption",
            res("gke", ("databaseEncryption", DROP)),
            [
                "GKE cluster gke does not encrypt Kubernetes secrets with a Cloud KMS key (databaseEncryption is not set)."
            ],
        ),
        (
            "encrypted with no key named",
            res("gke", ("databaseEncryption", {"state": "ENCRYPTED"})),
            [
                "GKE cluster gke does not encrypt Kubernetes secrets with a Cloud KMS key (no keyName is given)."
            ],
        ),
        (
            "a key named but no state",
            res("gke", ("databaseEncryption", {"keyName": "k"})),
            [
                "GKE cluster gke does not encrypt Kubernetes secrets with a Cloud KMS key (databaseEncryption.state is not set)."
            ],
        ),
        (
            "database encryption DECRYPTED",
            res("gke", ("databaseEncryption", {"state": "DECRYPTED"})),
            [
                "GKE cluster gke does not encrypt Kubernetes secrets with a Cloud KMS key "
                "(databaseEncryption.state is DECRYPTED)."
            ],
        ),
    ],
    "gke-deletion-protection": [
        (
            "deletion protection off",
            res("gke", ("deletionProtection", False)),
            ["GKE cluster gke turns deletion protection off (deletionProtection: false)."],
        )
    ],
    "gcp-kms-rotation": [
        (
            "no rotation",
            res("secrets", ("rotationPeriod", DROP)),
            ["Cloud KMS key secrets does not rotate (no rotationPeriod)."],
        ),
        (
            "a year",
            res("secrets", ("rotationPeriod", "31536000s")),
            ["Cloud KMS key secrets rotates every 31536000s, more than 90 days (7776000s)."],
        ),
        (
            "90 days and a second",
            res("secrets", ("rotationPeriod", "7776000.5s")),
            ["Cloud KMS key secrets rotates every 7776000.5s, more than 90 days (7776000s)."],
        ),
    ],
    "gcs-uniform-access": [
        (
            "ACLs allowed",
            res("data", ("uniformBucketLevelAccess", False)),
            ["GCS bucket data allows per-object ACLs (uniformBucketLevelAccess is false)."],
        ),
        (
            "not set",
            res("data", ("uniformBucketLevelAccess", DROP)),
            ["GCS bucket data allows per-object ACLs (uniformBucketLevelAccess is not set)."],
        ),
    ],
    "gcs-public-access-prevention": [
        (
            "inherited",
            res("data", ("publicAccessPrevention", "inherited")),
            ["GCS bucket data does not enforce public access prevention (inherited)."],
        )
    ],
    "filestore-deletion-protection": [
        (
            "not set",
            res("share", ("deletionProtectionEnabled", DROP)),
            ["Filestore instance share can be deleted by any tool (deletionProtectionEnabled is not set)."],
        )
    ],
    "storage-deletion-protection": [
        (
            f"an unprotected {name}",
            res(name, protect=False),
            [
                f"{name} holds data but has neither `protect` nor `retainOnDelete`: a replace or destroy deletes it."
            ],
        )
        for name in STORAGE
    ],
    "gcp-firewall-open-admin-ingress": [
        (
            "SSH from anywhere",
            res("internal", ("sourceRanges", [OPEN])),
            ["firewall internal (allows[0]) admits 0.0.0.0/0 on port 22 (SSH) (tcp)."],
        ),
        (
            "every protocol from anywhere over IPv6",
            res("internal", ("sourceRanges", ["::/0"]), ("allows", [{"protocol": "all"}])),
            ["firewall internal (allows[0]) admits ::/0 on every port (all)."],
        ),
        (
            "RDP inside a range, with no source at all (GCP then applies 0.0.0.0/0)",
            res(
                "internal", ("sourceRanges", DROP), ("allows", [{"protocol": "tcp", "ports": ["3000-4000"]}])
            ),
            ["firewall internal (allows[0]) admits 0.0.0.0/0 (no source given) on port 3389 (RDP) (tcp)."],
        ),
    ],
    "gcp-firewall-open-ingress": [
        (
            "HTTP and a range from anywhere",
            res(
                "internal",
                ("sourceRanges", ["10.0.0.0/8", OPEN]),
                ("allows", [{"protocol": "tcp", "ports": ["80", "8000-8100"]}]),
            ),
            ["firewall internal (allows[0]) admits 0.0.0.0/0 on ports 80, 8000-8100 (tcp)."],
        ),
        (
            "ICMP from anywhere",
            res("internal", ("sourceRanges", [OPEN]), ("allows", [{"protocol": "icmp"}])),
            ["firewall internal (allows[0]) admits 0.0.0.0/0 on ICMP (icmp)."],
        ),
    ],
}

PASSING: dict[str, list[tuple[str, PlannedResource]]] = {
    "gke-private-nodes": [
        ("private nodes", res("gke")),
        ("unknown until created", res("gke", ("privateClusterConfig.enablePrivateNodes", UNKNOWN))),
        ("a node pool that inherits them", res("gpu")),
    ],
    "gke-private-endpoint": [
        ("a private endpoint", res("gke")),
        (
            "a public endpoint limited to one network",
            res("gke", ("privateClusterConfig.enablePrivateEndpoint", False)),
        ),
    ],
    "gke-workload-identity": [
        ("a workload pool", res("gke")),
        ("unknown until created", res("gke", ("workloadIdentityConfig.workloadPool", UNKNOWN))),
    ],
    "gke-metadata-server": [
        ("GKE_METADATA", res("gpu")),
        (
            "a kept default pool that inherits the cluster's Workload Identity",
            res("gke", ("removeDefaultNodePool", DROP)),
        ),
        (
            "the default pool removed",
            res("gke", ("nodeConfig", {"workloadMetadataConfig": {"mode": "GCE_METADATA"}})),
        ),
        ("unknown until created", res("gpu", ("nodeConfig.workloadMetadataConfig.mode", UNKNOWN))),
    ],
    "gke-shielded-nodes": [
        ("on", res("gke")),
        ("left to the default (on)", res("gke", ("enableShieldedNodes", DROP))),
        ("a pool with integrity monitoring", res("gpu")),
    ],
    "gke-secrets-encryption": [
        ("encrypted with a key", res("gke")),
        ("unknown until created", res("gke", ("databaseEncryption", UNKNOWN))),
    ],
    "gke-deletion-protection": [
        ("on", res("gke")),
        ("left to the provider's default (on)", res("gke", ("deletionProtection", DROP))),
    ],
    "gcp-kms-rotation": [
        ("90 days", res("secrets")),
        ("30 days", res("secrets", ("rotationPeriod", "2592000s"))),
        (
            "an asymmetric signing key (cannot rotate)",
            res("secrets", ("rotationPeriod", DROP), ("purpose", "ASYMMETRIC_SIGN")),
        ),
        ("unknown until created", res("secrets", ("rotationPeriod", UNKNOWN))),
    ],
    "gcs-uniform-access": [("on", res("data"))],
    "gcs-public-access-prevention": [("enforced", res("data"))],
    "filestore-deletion-protection": [("on", res("share"))],
    "storage-deletion-protection": [(f"a protected {name}", res(name)) for name in STORAGE],
    "gcp-firewall-open-admin-ingress": [
        ("SSH from the VPC", res("internal")),
        ("SSH through IAP", res("internal", ("sourceRanges", ["35.235.240.0/20"]))),
        ("a source tag, no range", res("internal", ("sourceRanges", DROP), ("sourceTags", ["bastion"]))),
        ("egress to anywhere", res("internal", ("direction", "EGRESS"), ("destinationRanges", [OPEN]))),
        ("a disabled rule", res("internal", ("sourceRanges", [OPEN]), ("disabled", True))),
        (
            "HTTPS from anywhere (the other rule's finding)",
            res("internal", ("sourceRanges", [OPEN]), ("allows", [{"protocol": "tcp", "ports": ["443"]}])),
        ),
        ("an unknown source", res("internal", ("sourceRanges", [UNKNOWN]))),
    ],
    "gcp-firewall-open-ingress": [
        ("from the VPC", res("internal")),
        (
            "SSH from anywhere (the admin rule's finding)",
            res("internal", ("sourceRanges", [OPEN]), ("allows", [{"protocol": "tcp", "ports": ["22"]}])),
        ),
    ],
}


def cases_failing() -> list[Any]:
    return [
        pytest.param(rule_id, r, expected, id=f"{rule_id}: {label}")
        for rule_id, rows in FAILING.items()
        for label, r, expected in rows
    ]


def cases_passing() -> list[Any]:
    return [
        pytest.param(rule_id, r, id=f"{rule_id}: {label}")
        for rule_id, rows in PASSING.items()
        for label, r in rows
    ]


@pytest.mark.parametrize(("rule_id", "r", "expected"), cases_failing())
def test_a_non_compliant_variant_fails_its_rule_with_the_message(
    rule_id: str, r: PlannedResource, expected: list[str]
) -> None:
    assert [v.message for v in check(rule_id, r)] == expected


@pytest.mark.parametrize(("rule_id", "r"), cases_passing())
def test_a_compliant_variant_passes(rule_id: str, r: PlannedResource) -> None:
    assert check(rule_id, r) == []


def test_each_variant_fails_only_the_rule_it_breaks() -> None:
    """A variant breaks one thing: `infra check` on it reports that rule and no other (so the failing
    fixture is not passing by accident of another input)."""
    for rule_id, rows in FAILING.items():
        for label, r, _ in rows:
            found = {v.rule_id for v in check_graph(ResourceGraph("test", "aiinfra", [r])).violations}
            assert found == {rule_id}, f"{rule_id} / {label}: {found}"


def test_the_checkov_ids_name_the_port_or_setting_found() -> None:
    ssh, every, rdp = (r for _, r, _ in FAILING["gcp-firewall-open-admin-ingress"])
    assert [v.checkov for v in check("gcp-firewall-open-admin-ingress", ssh)] == ["CKV_GCP_2"]
    assert [v.checkov for v in check("gcp-firewall-open-admin-ingress", rdp)] == ["CKV_GCP_3"]
    assert [v.checkov for v in check("gcp-firewall-open-admin-ingress", every)] == [None]
    http, icmp = (r for _, r, _ in FAILING["gcp-firewall-open-ingress"])
    assert [v.checkov for v in check("gcp-firewall-open-ingress", http)] == ["CKV_GCP_106"]
    assert [v.checkov for v in check("gcp-firewall-open-ingress", icmp)] == [None]
    integrity = FAILING["gke-shielded-nodes"][1][1]
    assert [v.checkov for v in check("gke-shielded-nodes", integrity)] == ["CKV_GCP_72"]


def test_a_firewall_rule_with_ssh_and_rdp_open_reports_both() -> None:
    both = res(
        "internal",
        ("sourceRanges", [OPEN]),
        ("allows", [{"protocol": "tcp", "ports": ["22", "3389"]}, {"protocol": "udp", "ports": ["53"]}]),
    )
    assert [v.message for v in check("gcp-firewall-open-admin-ingress", both)] == [
        "firewall internal (allows[0]) admits 0.0.0.0/0 on port 22 (SSH) (tcp).",
        "firewall internal (allows[0]) admits 0.0.0.0/0 on port 3389 (RDP) (tcp).",
    ]
    assert [v.message for v in check("gcp-firewall-open-ingress", both)] == [
        "firewall internal (allows[1]) admits 0.0.0.0/0 on port 53 (udp)."
    ]


def test_an_inline_node_pool_of_a_cluster_is_checked_like_a_node_pool() -> None:
    inline = res(
        "gke",
        ("nodePools", [{"name": "cpu", "nodeConfig": {"workloadMetadataConfig": {"mode": "GCE_METADATA"}}}]),
    )
    assert [v.message for v in check("gke-metadata-server", inline)] == [
        "GKE cluster gke: nodePools[0] cpu exposes the node's metadata to pods (workloadMetadataConfig.mode is "
        "GCE_METADATA)."
    ]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("7776000s", 7776000.0),
        ("86400.123456789s", 86400.123456789),
        (" 60s ", 60.0),
        ("90d", None),
        ("s", None),
        (7776000, None),
    ],
)
def test_a_kms_rotation_period_is_read_in_seconds(text: Any, seconds: float | None) -> None:
    assert rotation_seconds(text) == seconds


def test_the_rules_do_not_read_resources_of_other_types() -> None:
    for rule_id in [*FAILING, *PASSING]:
        rule = RULES_BY_ID[rule_id]
        for _, r, _ in FAILING.get(rule_id, []):
            if r.type in rule.types:
                other = PlannedResource(
                    "aws:s3/bucket:Bucket", r.name, r.urn, None, r.inputs, True, True, True
                )
                assert rule.check(other) == [], f"{rule_id} reads only {rule.types}"  # type: ignore[call-arg,arg-type]


@pytest.mark.parametrize(
    ("ports", "expected"),
    [
        (["22"], ((22, 22),)),
        (["1000-2000", 443], ((1000, 2000), (443, 443))),
        ([], None),
        (["*"], None),
        (["0-65535"], None),
        (["22", "x"], ((22, 22),)),
    ],
)
def test_firewall_ports_are_read_as_ranges_and_none_means_every_port(ports: list[Any], expected: Any) -> None:
    from aiinfra.policy.ingress import port_ranges

    assert port_ranges(ports) == expected


def test_an_open_entry_covers_admin_ports_only_for_ported_protocols() -> None:
    from aiinfra.policy.ingress import OpenIngress

    assert OpenIngress("x", OPEN, "all", None).every_port
    assert not OpenIngress("x", OPEN, "all", ((22, 22),)).every_port, (
        "all protocols, one port: not every port"
    )
    assert OpenIngress("x", OPEN, "all", ((22, 22),)).admin_ports() == [22]
    assert OpenIngress("x", OPEN, "udp", ((3000, 4000),)).admin_ports() == [3389]
    icmp = OpenIngress("x", OPEN, "icmp", None)
    assert icmp.admin_ports() == [] and not icmp.every_port and icmp.describe_ports() == "ICMP"
    assert OpenIngress("x", OPEN, "tcp", ((80, 80), (8000, 8100))).describe_ports() == "ports 80, 8000-8100"
