"""Guardrail rules for GCP resources (pulumi_gcp 9.x inputs, camelCase as the engine sends them): GKE
clusters and node pools, Cloud KMS keys, Cloud Storage buckets, Filestore, VPC firewall rules. Each rule is a
plain function over one `PlannedResource` returning its violations ([] when it passes, and for a value not
known before create). Provider defaults count: a setting whose default is safe (shielded nodes, cluster
deletion protection) is reported only when set off.

Checkov IDs were read from bridgecrewio/checkov, checkov/terraform/checks/resource/gcp/ (mirror at commit
03d5fdad8d61, 2026-08-20), as in rules.py."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from aiinfra.engine.graph import PlannedResource
from aiinfra.policy.ingress import ALL_PROTOCOLS, OpenIngress, port_ranges
from aiinfra.policy.model import Violation
from aiinfra.policy.values import dig, flag, is_everywhere, is_unknown, items

GKE_CLUSTER = "gcp:container/cluster:Cluster"
GKE_NODE_POOL = "gcp:container/nodePool:NodePool"
KMS_CRYPTO_KEY = "gcp:kms/cryptoKey:CryptoKey"
GCS_BUCKET = "gcp:storage/bucket:Bucket"
FILESTORE = "gcp:filestore/instance:Instance"
PARALLELSTORE = "gcp:parallelstore/instance:Instance"
MANAGED_LUSTRE = "gcp:lustre/instance:Instance"
FIREWALL = "gcp:compute/firewall:Firewall"

STORAGE_TYPES = (GCS_BUCKET, FILESTORE, PARALLELSTORE, MANAGED_LUSTRE)
"""GCP resources whose deletion loses data (rules.storage_deletion_protection: protect / retainOnDelete)."""

MAX_ROTATION_SECONDS = 90 * 24 * 3600
"""Cloud KMS keys rotate at least every 90 days (CIS GCP 1.10, Checkov CKV_GCP_43)."""

ROTATING_PURPOSES = ("ENCRYPT_DECRYPT",)
"""Only symmetric encryption keys rotate automatically; asymmetric and MAC keys take no rotationPeriod."""

ADMIN_CHECKOV = {22: "CKV_GCP_2", 3389: "CKV_GCP_3"}
HTTP_CHECKOV = "CKV_GCP_106"


def _v(
    rule_id: str, severity: str, r: PlannedResource, message: str, fix: str, checkov: str | None
) -> Violation:
    return Violation(rule_id, severity, r.name, r.type, message, fix, checkov, r.urn)  # type: ignore[arg-type]


# -- GKE ---------------------------------------------------------------------------------------------------


def gke_private_nodes(r: PlannedResource) -> list[Violation]:
    """GKE nodes have internal IP addresses only (`privateClusterConfig.enablePrivateNodes`), and no node
    pool turns that off (`networkConfig.enablePrivateNodes: false`): a node with a public IP is reachable
    from the internet wherever a firewall rule slips."""
    fix = "Set `privateClusterConfig.enablePrivateNodes: true` (egress through Cloud NAT)."
    fix_pool = (
        "Remove `networkConfig.enablePrivateNodes: false` so the pool keeps the cluster's private nodes."
    )
    out = []
    if r.type == GKE_CLUSTER:
        private = dig(r.inputs, "privateClusterConfig", "enablePrivateNodes")
        if (
            not is_unknown(r.inputs.get("privateClusterConfig"))
            and not is_unknown(private)
            and flag(private) is not True
        ):
            out.append(
                _v(
                    "gke-private-nodes",
                    "high",
                    r,
                    f"GKE cluster {r.name} gives its nodes public IP addresses (privateClusterConfig."
                    f"enablePrivateNodes is {'false' if flag(private) is False else 'not set'}).",
                    fix,
                    "CKV_GCP_64",
                )
            )
        for i, pool in enumerate(items(r.inputs.get("nodePools"))):
            if flag(dig(pool, "networkConfig", "enablePrivateNodes")) is False:
                where = f"nodePools[{i}] {dig(pool, 'name') or ''}".rstrip()
                out.append(
                    _v(
                        "gke-private-nodes",
                        "high",
                        r,
                        f"GKE cluster {r.name}: {where} gives its nodes public IP addresses "
                        "(networkConfig.enablePrivateNodes: false).",
                        fix_pool,
                        "CKV_GCP_64",
                    )
                )
    if r.type == GKE_NODE_POOL and flag(dig(r.inputs, "networkConfig", "enablePrivateNodes")) is False:
        out.append(
            _v(
                "gke-private-nodes",
                "high",
                r,
                f"GKE node pool {r.name} gives its nodes public IP addresses (networkConfig.enablePrivateNodes: "
                "false).",
                fix_pool,
                "CKV_GCP_64",
            )
        )
    return out


def gke_workload_identity(r: PlannedResource) -> list[Violation]:
    """A GKE cluster has Workload Identity (`workloadIdentityConfig.workloadPool`): pods get their own
    short-lived Google credentials through Kubernetes service accounts instead of the node's service
    account, which every pod on the node could otherwise use."""
    if r.type != GKE_CLUSTER:
        return []
    pool = dig(r.inputs, "workloadIdentityConfig", "workloadPool")
    if pool or is_unknown(pool) or is_unknown(r.inputs.get("workloadIdentityConfig")):
        return []
    return [
        _v(
            "gke-workload-identity",
            "high",
            r,
            f"GKE cluster {r.name} has no Workload Identity: pods act as the node's service account.",
            "Set `workloadIdentityConfig.workloadPool: <project>.svc.id.goog` and give pods their own Google "
            "service accounts through Kubernetes service accounts.",
            None,
        )
    ]


def gke_shielded_nodes(r: PlannedResource) -> list[Violation]:
    """GKE nodes are Shielded VMs (secure boot chain, vTPM, integrity monitoring), which GKE verifies before
    a node joins. On by default (`enableShieldedNodes`); reported when a cluster turns it off or a node pool
    turns off integrity monitoring."""
    if r.type == GKE_CLUSTER and flag(r.inputs.get("enableShieldedNodes")) is False:
        return [
            _v(
                "gke-shielded-nodes",
                "medium",
                r,
                f"GKE cluster {r.name} turns Shielded GKE Nodes off (enableShieldedNodes: false).",
                "Remove `enableShieldedNodes: false` (the default is on).",
                "CKV_GCP_71",
            )
        ]
    out = []
    for where, config in _node_configs(r):
        if flag(dig(config, "shieldedInstanceConfig", "enableIntegrityMonitoring")) is False:
            out.append(
                _v(
                    "gke-shielded-nodes",
                    "medium",
                    r,
                    f"{_what(r)} {r.name}: {where} turns integrity monitoring of its Shielded VM nodes off.",
                    "Remove `shieldedInstanceConfig.enableIntegrityMonitoring: false` (the default is on).",
                    "CKV_GCP_72",
                )
            )
    return out


def gke_secrets_encryption(r: PlannedResource) -> list[Violation]:
    """A GKE cluster encrypts Kubernetes secrets in etcd with a Cloud KMS key of its own
    (`databaseEncryption: {state: ENCRYPTED, keyName}`), on top of Google's default encryption at rest: the
    key can be rotated, audited and revoked."""
    if r.type != GKE_CLUSTER:
        return []
    config = r.inputs.get("databaseEncryption")
    state, key = dig(config, "state"), dig(config, "keyName")
    if is_unknown(config) or is_unknown(state) or (state == "ENCRYPTED" and key):
        return []
    if not config:
        why = "databaseEncryption is not set"
    elif state != "ENCRYPTED":
        why = f"databaseEncryption.state is {state or 'not set'}"
    else:
        why = "no keyName is given"
    return [
        _v(
            "gke-secrets-encryption",
            "medium",
            r,
            f"GKE cluster {r.name} does not encrypt Kubernetes secrets with a Cloud KMS key ({why}).",
            "Set `databaseEncryption: {state: ENCRYPTED, keyName: <Cloud KMS crypto key ID>}` and grant the GKE "
            "service agent roles/cloudkms.cryptoKeyEncrypterDecrypter on the key.",
            None,
        )
    ]


def gke_deletion_protection(r: PlannedResource) -> list[Violation]:
    """A GKE cluster keeps the provider's deletion protection (`deletionProtection`, on by default), so a
    replace or `pulumi destroy` cannot delete the cluster and every workload on it by accident."""
    if r.type != GKE_CLUSTER or flag(r.inputs.get("deletionProtection")) is not False:
        return []
    return [
        _v(
            "gke-deletion-protection",
            "medium",
            r,
            f"GKE cluster {r.name} turns deletion protection off (deletionProtection: false).",
            "Remove `deletionProtection: false`; set it false in a change of its own just before deleting the "
            "cluster on purpose.",
            None,
        )
    ]


def _what(r: PlannedResource) -> str:
    return "GKE cluster" if r.type == GKE_CLUSTER else "GKE node pool"


def _node_configs(r: PlannedResource) -> list[tuple[str, Mapping[str, Any]]]:
    """(where, nodeConfig) of the node pools a resource defines: a NodePool's own, a cluster's inline
    `nodePools[]`, and a cluster's `nodeConfig` (its default pool) unless the default pool is removed."""
    configs: list[tuple[str, Any]] = []
    if r.type == GKE_NODE_POOL:
        configs.append(("nodeConfig", r.inputs.get("nodeConfig")))
    elif r.type == GKE_CLUSTER:
        if flag(r.inputs.get("removeDefaultNodePool")) is not True:
            configs.append(("nodeConfig (the default node pool)", r.inputs.get("nodeConfig")))
        for i, pool in enumerate(items(r.inputs.get("nodePools"))):
            configs.append((f"nodePools[{i}] {dig(pool, 'name') or ''}".rstrip(), dig(pool, "nodeConfig")))
    return [(where, c if isinstance(c, Mapping) else {}) for where, c in configs if not is_unknown(c)]


def gke_metadata_server(r: PlannedResource) -> list[Violation]:
    """GKE node pools run the GKE metadata server (`nodeConfig.workloadMetadataConfig.mode: GKE_METADATA`)
    and keep the legacy metadata endpoints off: pods then see only their Workload Identity, never the node's
    service-account token or the kube-env with the kubelet's credentials. A node pool sets the mode itself;
    a cluster's inline pools may inherit it from the cluster's Workload Identity."""
    if r.type not in (GKE_NODE_POOL, GKE_CLUSTER):
        return []
    inherits = r.type == GKE_CLUSTER and bool(dig(r.inputs, "workloadIdentityConfig", "workloadPool"))
    out = []
    for where, config in _node_configs(r):
        mode = dig(config, "workloadMetadataConfig", "mode")
        legacy = dig(config, "metadata", "disable-legacy-endpoints")
        if not is_unknown(mode) and mode != "GKE_METADATA" and not (mode is None and inherits):
            out.append(
                _v(
                    "gke-metadata-server",
                    "high",
                    r,
                    f"{_what(r)} {r.name}: {where} exposes the node's metadata to pods "
                    f"(workloadMetadataConfig.mode is {mode or 'not set'}).",
                    "Set `nodeConfig.workloadMetadataConfig.mode: GKE_METADATA` (with Workload Identity on the "
                    "cluster).",
                    "CKV_GCP_69",
                )
            )
        if flag(legacy) is False:
            out.append(
                _v(
                    "gke-metadata-server",
                    "high",
                    r,
                    f"{_what(r)} {r.name}: {where} turns the legacy metadata endpoints on "
                    "(metadata.disable-legacy-endpoints: false).",
                    'Remove `disable-legacy-endpoints: "false"` from `nodeConfig.metadata`.',
                    None,
                )
            )
    return out


# -- Cloud KMS ---------------------------------------------------------------------------------------------

_DURATION = re.compile(r"^\s*(\d+(?:\.\d{1,9})?)s\s*$")


def rotation_seconds(value: Any) -> float | None:
    """A Cloud KMS `rotationPeriod` (`"7776000s"`, up to 9 fractional digits) in seconds; None if unreadable."""
    match = _DURATION.match(value) if isinstance(value, str) else None
    return float(match.group(1)) if match else None


def gcp_kms_rotation(r: PlannedResource) -> list[Violation]:
    """A symmetric Cloud KMS key rotates its key material at least every 90 days (`rotationPeriod`).
    Asymmetric and MAC keys cannot rotate automatically and pass."""
    if r.type != KMS_CRYPTO_KEY:
        return []
    purpose = r.inputs.get("purpose") or "ENCRYPT_DECRYPT"
    period = r.inputs.get("rotationPeriod")
    if is_unknown(purpose) or purpose not in ROTATING_PURPOSES or is_unknown(period):
        return []
    seconds = rotation_seconds(period)
    if seconds is not None and seconds <= MAX_ROTATION_SECONDS:
        return []
    why = (
        "does not rotate (no rotationPeriod)"
        if period is None
        else f"rotates every {period}, more than 90 days (7776000s)"
    )
    return [
        _v(
            "gcp-kms-rotation",
            "medium",
            r,
            f"Cloud KMS key {r.name} {why}.",
            'Set `rotationPeriod: "7776000s"` (90 days) or shorter.',
            "CKV_GCP_43",
        )
    ]


# -- Cloud Storage, Filestore ------------------------------------------------------------------------------


def gcs_uniform_access(r: PlannedResource) -> list[Violation]:
    """A GCS bucket uses uniform bucket-level access: IAM alone decides who reads it, with no per-object
    ACL that could make one object public unseen."""
    if r.type != GCS_BUCKET:
        return []
    value = r.inputs.get("uniformBucketLevelAccess")
    if is_unknown(value) or flag(value) is True:
        return []
    return [
        _v(
            "gcs-uniform-access",
            "medium",
            r,
            f"GCS bucket {r.name} allows per-object ACLs (uniformBucketLevelAccess is "
            f"{'false' if flag(value) is False else 'not set'}).",
            "Set `uniformBucketLevelAccess: true`.",
            "CKV_GCP_29",
        )
    ]


def filestore_deletion_protection(r: PlannedResource) -> list[Violation]:
    """A Filestore instance has the API's deletion protection on (`deletionProtectionEnabled`), so nothing
    — not the console, gcloud or another tool — deletes the share until it is turned off. Parallelstore and
    Managed Lustre have no such setting in their API (pulumi_gcp 9.37.1 offers only the provider-side
    `deletionPolicy`): `storage-deletion-protection` (Pulumi's protect / retainOnDelete) guards them."""
    if r.type != FILESTORE:
        return []
    value = r.inputs.get("deletionProtectionEnabled")
    if is_unknown(value) or flag(value) is True:
        return []
    return [
        _v(
            "filestore-deletion-protection",
            "medium",
            r,
            f"Filestore instance {r.name} can be deleted by any tool (deletionProtectionEnabled is "
            f"{'false' if flag(value) is False else 'not set'}).",
            "Set `deletionProtectionEnabled: true` and a `deletionProtectionReason`.",
            None,
        )
    ]


# -- VPC firewall ------------------------------------------------------------------------------------------


def firewall_open_ingress(r: PlannedResource) -> list[OpenIngress]:
    """The `allows` entries of an enabled INGRESS firewall rule whose sources include the whole internet. A
    rule with no source ranges, tags or service accounts gets 0.0.0.0/0 (the provider's default, noted in
    hashicorp/terraform-provider-google#6789, read 2026-12-04)."""
    if r.type != FIREWALL:
        return []
    direction = r.inputs.get("direction") or "INGRESS"
    if direction != "INGRESS" or flag(r.inputs.get("disabled")) is True:
        return []
    ranges = items(r.inputs.get("sourceRanges"))
    if any(is_unknown(c) for c in ranges) or is_unknown(r.inputs.get("sourceRanges")):
        return []
    if ranges:
        sources = [str(c) for c in ranges if is_everywhere(c)]
    elif r.inputs.get("sourceTags") or r.inputs.get("sourceServiceAccounts"):
        sources = []
    else:
        sources = ["0.0.0.0/0 (no source given)"]
    out = []
    for i, allow in enumerate(items(r.inputs.get("allows"))):
        protocol = str(dig(allow, "protocol") or "").lower()
        if not protocol or is_unknown(protocol):
            continue
        ports = items(dig(allow, "ports"))
        if any(is_unknown(p) for p in ports):
            continue
        for source in sources:
            out.append(
                OpenIngress(
                    f"allows[{i}]",
                    source,
                    ALL_PROTOCOLS if protocol == "all" else protocol,
                    port_ranges(ports),
                )
            )
    return out


def firewall_open_admin_ingress(r: PlannedResource) -> list[Violation]:
    """No VPC firewall rule admits the whole internet on SSH (22), RDP (3389) or every port. Reach nodes
    through IAP TCP forwarding (source 35.235.240.0/20) or a bastion instead."""
    out = []
    for e in firewall_open_ingress(r):
        for port, what in e.admin_hits():
            out.append(
                _v(
                    "gcp-firewall-open-admin-ingress",
                    "high",
                    r,
                    f"firewall {r.name} ({e.where}) admits {e.source} on {what} ({e.protocol}).",
                    "Restrict `sourceRanges` to your own CIDRs, or use IAP TCP forwarding (35.235.240.0/20) "
                    "for SSH and RDP.",
                    ADMIN_CHECKOV.get(port) if port is not None else None,
                )
            )
    return out


def firewall_open_ingress_other(r: PlannedResource) -> list[Violation]:
    """No VPC firewall rule admits the whole internet on any other port either: nothing in a training
    cluster serves the internet directly (a public service goes behind a load balancer)."""
    return [
        _v(
            "gcp-firewall-open-ingress",
            "medium",
            r,
            f"firewall {r.name} ({e.where}) admits {e.source} on {e.describe_ports()} ({e.protocol}).",
            "Restrict `sourceRanges` to the CIDRs that need it, or use target tags behind a load balancer.",
            HTTP_CHECKOV if e.covers(80) else None,
        )
        for e in firewall_open_ingress(r)
        if not e.every_port and not e.admin_ports()
    ]
