"""Resource rules: plain functions over one resource (`PlannedResource`: type, name, inputs as Pulumi passes
them to the provider, `protect`, `retain_on_delete`) returning the violations they find, [] when it passes.
Each is safe on any resource (another type returns []), and reports nothing when a value is unknown.

The Checkov IDs name the check that finds the same problem in Terraform; they were read from Checkov's own
check sources (bridgecrewio/checkov, checkov/terraform/checks/resource/...)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiinfra.engine.graph import PlannedResource
from aiinfra.policy import azure, gcp
from aiinfra.policy.model import Violation
from aiinfra.policy.values import (
    dig,
    flag,
    is_everywhere,
    is_unknown,
    items,
    number,
    policy_document,
    public_allow_statements,
)

# -- type tokens -----------------------------------------------------------------------------------------

EBS_VOLUME = "aws:ebs/volume:Volume"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
INSTANCE = "aws:ec2/instance:Instance"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EKS_CLUSTER = "aws:eks/cluster:Cluster"
KMS_KEY = "aws:kms/key:Key"
LUSTRE = "aws:fsx/lustreFileSystem:LustreFileSystem"
FSX_FILE_SYSTEMS = (
    LUSTRE,
    "aws:fsx/openZfsFileSystem:OpenZfsFileSystem",
    "aws:fsx/windowsFileSystem:WindowsFileSystem",
    "aws:fsx/ontapFileSystem:OntapFileSystem",
)
S3_BUCKETS = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
S3_ACLS = ("aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2")
S3_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
GCS_BUCKET = "gcp:storage/bucket:Bucket"
GCS_IAM = ("gcp:storage/bucketIAMMember:BucketIAMMember", "gcp:storage/bucketIAMBinding:BucketIAMBinding")
GKE_CLUSTER = "gcp:container/cluster:Cluster"

SECURITY_GROUP_TYPES = (SECURITY_GROUP, DEFAULT_SECURITY_GROUP, SECURITY_GROUP_RULE, INGRESS_RULE)
STORAGE_TYPES = (*S3_BUCKETS, *FSX_FILE_SYSTEMS, EBS_VOLUME, *gcp.STORAGE_TYPES, *azure.STORAGE_TYPES)
"""Resources whose deletion loses data: they must carry `protect` or `retain_on_delete`."""

PUBLIC_ACLS = ("public-read", "public-read-write", "authenticated-read")
PUBLIC_GRANTEES = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)
PUBLIC_MEMBERS = ("allUsers", "allAuthenticatedUsers")
ADMIN_PORTS = {22: ("SSH", "CKV_AWS_24"), 3389: ("RDP", "CKV_AWS_25")}


def _v(
    rule_id: str, severity: str, r: PlannedResource, message: str, fix: str, checkov: str | None
) -> Violation:
    return Violation(rule_id, severity, r.name, r.type, message, fix, checkov, r.urn)  # type: ignore[arg-type]


# -- encryption at rest ------------------------------------------------------------------------------------


def ebs_encrypted(r: PlannedResource) -> list[Violation]:
    """EBS volumes, launch-template block devices and instance disks are encrypted. A GPU node's root
    volume holds container images, cached datasets and checkpoints written to local disk."""
    fix_lt = "Set `blockDeviceMappings[].ebs.encrypted: true` (with `kmsKeyId` for a customer key)."
    out: list[Violation] = []
    if r.type == EBS_VOLUME:
        if flag(r.inputs.get("encrypted")) is not True and not is_unknown(r.inputs.get("encrypted")):
            out.append(
                _v(
                    "ebs-encrypted",
                    "high",
                    r,
                    f"EBS volume {r.name} is not encrypted at rest.",
                    "Set `encrypted: true` (and `kmsKeyId` for a customer-managed key).",
                    "CKV_AWS_3",
                )
            )
    elif r.type == LAUNCH_TEMPLATE:
        for i, bd in enumerate(items(r.inputs.get("blockDeviceMappings"))):
            ebs = dig(bd, "ebs")
            if not isinstance(ebs, Mapping) or is_unknown(ebs.get("encrypted")):
                continue
            if flag(ebs.get("encrypted")) is not True:
                device = dig(bd, "deviceName") or f"#{i}"
                out.append(
                    _v(
                        "ebs-encrypted",
                        "high",
                        r,
                        f"launch template {r.name}: block device {device} is not encrypted at rest.",
                        fix_lt,
                        None,
                    )
                )
    elif r.type == INSTANCE:
        disks = [("root volume", dig(r.inputs, "rootBlockDevice"))]
        disks += [
            (f"EBS device {dig(d, 'deviceName') or i}", d)
            for i, d in enumerate(items(r.inputs.get("ebsBlockDevices")))
        ]
        uses_template = r.inputs.get("launchTemplate") is not None
        for label, disk in disks:
            if disk is None:
                if label == "root volume" and not uses_template:
                    out.append(
                        _v(
                            "ebs-encrypted",
                            "high",
                            r,
                            f"instance {r.name}: the root volume is not declared, so it is unencrypted unless the "
                            "account encrypts EBS by default.",
                            "Add `rootBlockDevice: {encrypted: true}`.",
                            "CKV_AWS_8",
                        )
                    )
                continue
            if is_unknown(dig(disk, "encrypted")):
                continue
            if flag(dig(disk, "encrypted")) is not True:
                out.append(
                    _v(
                        "ebs-encrypted",
                        "high",
                        r,
                        f"instance {r.name}: the {label} is not encrypted at rest.",
                        "Set `encrypted: true` on the device.",
                        "CKV_AWS_8",
                    )
                )
    return out


def fsx_customer_key(r: PlannedResource) -> list[Violation]:
    """A persistent FSx file system is encrypted with a customer-managed KMS key (`kmsKeyId`), not only the
    AWS-managed `aws/fsx` key: with a key of your own, access can be revoked and every use is audited.
    Scratch Lustre file systems are always encrypted with an AWS key and take no `kmsKeyId`: they pass."""
    if r.type not in FSX_FILE_SYSTEMS:
        return []
    if r.type == LUSTRE:
        deployment = r.inputs.get("deploymentType") or "SCRATCH_1"
        if is_unknown(deployment) or not str(deployment).upper().startswith("PERSISTENT"):
            return []
    key = r.inputs.get("kmsKeyId")
    if key:
        return []
    return [
        _v(
            "fsx-customer-key",
            "medium",
            r,
            f"FSx file system {r.name} is encrypted only with the AWS-managed aws/fsx key.",
            "Set `kmsKeyId` to a customer-managed KMS key with rotation on (aiinfra's Lustre component does).",
            None,
        )
    ]


def kms_rotation(r: PlannedResource) -> list[Violation]:
    """Symmetric customer-managed KMS keys rotate their key material yearly (`enableKeyRotation`).
    Asymmetric and HMAC keys cannot rotate and pass."""
    if r.type != KMS_KEY:
        return []
    spec = r.inputs.get("customerMasterKeySpec") or r.inputs.get("keySpec") or "SYMMETRIC_DEFAULT"
    if spec != "SYMMETRIC_DEFAULT" or is_unknown(r.inputs.get("enableKeyRotation")):
        return []
    if flag(r.inputs.get("enableKeyRotation")) is True:
        return []
    return [
        _v(
            "kms-rotation",
            "medium",
            r,
            f"KMS key {r.name} does not rotate its key material.",
            "Set `enableKeyRotation: true`.",
            "CKV_AWS_7",
        )
    ]


# -- network -----------------------------------------------------------------------------------------------


def _open_ingress(r: PlannedResource) -> list[tuple[str, str, int | None, int | None, str]]:
    """(protocol, cidr, from, to, where) of every ingress entry of `r` that admits the whole internet."""
    entries: list[tuple[str, Any, Any, list[Any], str]] = []
    if r.type in (SECURITY_GROUP, DEFAULT_SECURITY_GROUP):
        for i, rule in enumerate(items(r.inputs.get("ingress"))):
            cidrs = items(dig(rule, "cidrBlocks")) + items(dig(rule, "ipv6CidrBlocks"))
            entries.append(
                (
                    str(dig(rule, "protocol")),
                    dig(rule, "fromPort"),
                    dig(rule, "toPort"),
                    cidrs,
                    f"ingress[{i}]",
                )
            )
    elif r.type == SECURITY_GROUP_RULE:
        if r.inputs.get("type") == "ingress":
            cidrs = items(r.inputs.get("cidrBlocks")) + items(r.inputs.get("ipv6CidrBlocks"))
            entries.append(
                (
                    str(r.inputs.get("protocol")),
                    r.inputs.get("fromPort"),
                    r.inputs.get("toPort"),
                    cidrs,
                    "rule",
                )
            )
    elif r.type == INGRESS_RULE:
        cidrs = [c for c in (r.inputs.get("cidrIpv4"), r.inputs.get("cidrIpv6")) if c]
        entries.append(
            (
                str(r.inputs.get("ipProtocol")),
                r.inputs.get("fromPort"),
                r.inputs.get("toPort"),
                cidrs,
                "rule",
            )
        )
    out = []
    for protocol, lo, hi, cidrs, where in entries:
        for cidr in cidrs:
            if is_everywhere(cidr):
                out.append((protocol.lower(), cidr, number(lo), number(hi), where))
    return out


def _all_ports(protocol: str, lo: int | None, hi: int | None) -> bool:
    return protocol in ("-1", "all") or (
        lo in (0, None, -1) and hi in (65535, None, -1) and protocol in ("tcp", "6", "udp", "17")
    )


def _covers(protocol: str, lo: int | None, hi: int | None, port: int) -> bool:
    if _all_ports(protocol, lo, hi):
        return True
    if protocol not in ("tcp", "6", "udp", "17") or lo is None or hi is None:
        return False
    return lo <= port <= hi


def sg_open_admin_ingress(r: PlannedResource) -> list[Violation]:
    """No security group admits the whole internet (0.0.0.0/0 or ::/0) on SSH (22), RDP (3389) or on every
    port: the ports scanners try first. Reach nodes through SSM Session Manager or a bastion instead."""
    out = []
    for protocol, cidr, lo, hi, where in _open_ingress(r):
        if _all_ports(protocol, lo, hi):
            out.append(
                _v(
                    "sg-open-admin-ingress",
                    "high",
                    r,
                    f"{r.name} ({where}) admits {cidr} on every port.",
                    "Restrict the source to your own CIDRs or a security group (`referencedSecurityGroupId`).",
                    "CKV_AWS_277",
                )
            )
            continue
        for port, (what, checkov) in ADMIN_PORTS.items():
            if _covers(protocol, lo, hi, port):
                out.append(
                    _v(
                        "sg-open-admin-ingress",
                        "high",
                        r,
                        f"{r.name} ({where}) admits {cidr} on port {port} ({what}).",
                        "Remove the rule and use SSM Session Manager, or restrict the source to a bastion's "
                        "security group or your VPN's CIDR.",
                        checkov,
                    )
                )
    return out


def sg_open_ingress(r: PlannedResource) -> list[Violation]:
    """No security group admits the whole internet on any other port either: nothing in a training cluster
    serves the internet directly (a public service goes behind a load balancer with its own group)."""
    out = []
    for protocol, cidr, lo, hi, where in _open_ingress(r):
        if _all_ports(protocol, lo, hi) or any(_covers(protocol, lo, hi, p) for p in ADMIN_PORTS):
            continue  # reported by sg-open-admin-ingress
        ports = f"port {lo}" if lo == hi else f"ports {lo}-{hi}"
        if protocol in ("icmp", "1", "icmpv6", "58"):
            ports = "ICMP"
        out.append(
            _v(
                "sg-open-ingress",
                "medium",
                r,
                f"{r.name} ({where}) admits {cidr} on {ports} ({protocol}).",
                "Restrict the source to the CIDRs or security groups that need it.",
                "CKV_AWS_260" if _covers(protocol, lo, hi, 80) else None,
            )
        )
    return out


def imdsv2_required(r: PlannedResource) -> list[Violation]:
    """Instances require IMDSv2 session tokens (`metadataOptions.httpTokens: required`): with IMDSv1 a
    single SSRF in any pod reads the node role's credentials."""
    if r.type not in (LAUNCH_TEMPLATE, INSTANCE):
        return []
    options = r.inputs.get("metadataOptions")
    if options is None and r.type == INSTANCE and r.inputs.get("launchTemplate") is not None:
        return []  # the launch template decides, and is checked itself
    tokens, endpoint = dig(options, "httpTokens"), dig(options, "httpEndpoint")
    if tokens == "required" or endpoint == "disabled" or is_unknown(tokens):
        return []
    return [
        _v(
            "imdsv2-required",
            "high",
            r,
            f"{r.name} allows IMDSv1 (metadataOptions.httpTokens is {tokens or 'not set'}).",
            "Set `metadataOptions: {httpTokens: required, httpPutResponseHopLimit: 1}`.",
            "CKV_AWS_79",
        )
    ]


def imds_hop_limit(r: PlannedResource) -> list[Violation]:
    """The metadata response hop limit is 1, so containers (one hop further) cannot reach the node's
    credentials; pods get their own through EKS Pod Identity / IRSA."""
    if r.type not in (LAUNCH_TEMPLATE, INSTANCE):
        return []
    hops = number(dig(r.inputs, "metadataOptions", "httpPutResponseHopLimit"))
    if hops is None or hops <= 1:
        return []
    return [
        _v(
            "imds-hop-limit",
            "low",
            r,
            f"{r.name} lets metadata responses travel {hops} hops, into containers.",
            "Set `metadataOptions.httpPutResponseHopLimit: 1` and give pods credentials through EKS Pod "
            "Identity or IRSA.",
            "CKV_AWS_341",
        )
    ]


# -- clusters ----------------------------------------------------------------------------------------------


def eks_private_endpoint(r: PlannedResource) -> list[Violation]:
    """The Kubernetes API of an EKS cluster is private, or public only to listed CIDRs that are not the
    whole internet. EKS defaults to a public endpoint open to 0.0.0.0/0."""
    if r.type != EKS_CLUSTER:
        return []
    vpc = dig(r.inputs, "vpcConfig")
    public = dig(vpc, "endpointPublicAccess")
    if is_unknown(public) or flag(public) is False:
        return []
    cidrs = items(dig(vpc, "publicAccessCidrs"))
    if any(is_unknown(c) for c in cidrs):
        return []
    open_ = [c for c in cidrs if is_everywhere(c)]
    if cidrs and not open_:
        return []
    why = f"admits {', '.join(open_)}" if open_ else "lists no publicAccessCidrs, so EKS admits 0.0.0.0/0"
    return [
        _v(
            "eks-private-endpoint",
            "high",
            r,
            f"EKS cluster {r.name} has a public API endpoint that {why}.",
            "Set `vpcConfig.endpointPublicAccess: false` (aiinfra: leave `endpointPublicAccessCidrs` empty), "
            "or list only your egress CIDRs in `publicAccessCidrs`.",
            "CKV_AWS_38",
        )
    ]


def eks_secrets_encryption(r: PlannedResource) -> list[Violation]:
    """Kubernetes secrets of an EKS cluster are envelope-encrypted with a KMS key (`encryptionConfig`)."""
    if r.type != EKS_CLUSTER:
        return []
    config = r.inputs.get("encryptionConfig")
    if is_unknown(config):
        return []
    for entry in items(config):
        resources = items(dig(entry, "resources"))
        if "secrets" in resources and dig(entry, "provider", "keyArn"):
            return []
    return [
        _v(
            "eks-secrets-encryption",
            "medium",
            r,
            f"EKS cluster {r.name} does not encrypt Kubernetes secrets with KMS.",
            "Set `encryptionConfig: {resources: [secrets], provider: {keyArn: <KMS key ARN>}}`.",
            "CKV_AWS_58",
        )
    ]


def gke_private_endpoint(r: PlannedResource) -> list[Violation]:
    """A GKE cluster is private (`privateClusterConfig`), and its control plane is either private or
    limited to authorized networks that are not the whole internet."""
    if r.type != GKE_CLUSTER:
        return []
    private = r.inputs.get("privateClusterConfig")
    if is_unknown(private):
        return []
    fix = (
        "Set `privateClusterConfig: {enablePrivateNodes: true, enablePrivateEndpoint: true}`, or list your "
        "CIDRs in `masterAuthorizedNetworksConfig.cidrBlocks`."
    )
    if not private:
        return [
            _v(
                "gke-private-endpoint",
                "high",
                r,
                f"GKE cluster {r.name} is not a private cluster.",
                fix,
                "CKV_GCP_25",
            )
        ]
    if flag(dig(private, "enablePrivateEndpoint")) is True:
        return []
    authorized = dig(r.inputs, "masterAuthorizedNetworksConfig")
    blocks = [dig(b, "cidrBlock") for b in items(dig(authorized, "cidrBlocks"))]
    if any(is_unknown(b) for b in blocks):
        return []
    if flag(dig(authorized, "gcpPublicCidrsAccessEnabled")) is True:
        why = "open to every Google Cloud public IP (masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled)"
    elif blocks and not any(is_everywhere(b) for b in blocks):
        return []
    else:
        why = "open to any address"
    return [
        _v(
            "gke-private-endpoint",
            "high",
            r,
            f"GKE cluster {r.name} has a public control-plane endpoint {why}.",
            fix,
            "CKV_GCP_25",
        )
    ]


# -- public data -------------------------------------------------------------------------------------------


def s3_public_grant(r: PlannedResource) -> list[Violation]:
    """No bucket ACL or policy grants access to everyone: a public-read ACL (`acl`, or an AllUsers grantee)
    or a policy statement that Allows `Principal: "*"` without a Condition. Also GCS IAM grants to
    allUsers / allAuthenticatedUsers."""
    out: list[Violation] = []
    fix_acl = "Remove the ACL (keep `BucketOwnerEnforced` object ownership) and share through IAM roles."
    if r.type in S3_BUCKETS or r.type in S3_ACLS:
        acl = r.inputs.get("acl")
        if acl in PUBLIC_ACLS:
            out.append(
                _v("s3-public-grant", "high", r, f"{r.name} grants the `{acl}` ACL.", fix_acl, "CKV_AWS_20")
            )
        for grant in items(dig(r.inputs, "accessControlPolicy", "grants")):
            uri = dig(grant, "grantee", "uri")
            if uri in PUBLIC_GRANTEES:
                out.append(
                    _v(
                        "s3-public-grant",
                        "high",
                        r,
                        f"{r.name} grants {dig(grant, 'permission')} to {uri}.",
                        fix_acl,
                        "CKV_AWS_20",
                    )
                )
    if r.type in S3_BUCKETS or r.type == S3_POLICY:
        doc = policy_document(r.inputs.get("policy"))
        if doc is not None:
            for st in public_allow_statements(doc):
                actions = st.get("Action")
                out.append(
                    _v(
                        "s3-public-grant",
                        "high",
                        r,
                        f'{r.name}\'s policy allows {actions} to any principal ("*") without a condition.',
                        "Name the principals (accounts, roles) in the statement, or add a Condition that narrows it.",
                        "CKV_AWS_70",
                    )
                )
    if r.type in GCS_IAM:
        members = items(r.inputs.get("members")) + items(r.inputs.get("member"))
        public = [m for m in members if m in PUBLIC_MEMBERS]
        if public:
            out.append(
                _v(
                    "s3-public-grant",
                    "high",
                    r,
                    f"{r.name} grants {r.inputs.get('role')} to {', '.join(public)}.",
                    "Grant the role to named users, groups or service accounts.",
                    None,
                )
            )
    return out


def gcs_public_access_prevention(r: PlannedResource) -> list[Violation]:
    """A GCS bucket enforces public access prevention, the GCS counterpart of S3's public access block."""
    if r.type != GCS_BUCKET:
        return []
    value = r.inputs.get("publicAccessPrevention")
    if value == "enforced" or is_unknown(value):
        return []
    return [
        _v(
            "gcs-public-access-prevention",
            "medium",
            r,
            f"GCS bucket {r.name} does not enforce public access prevention ({value or 'inherited'}).",
            "Set `publicAccessPrevention: enforced`.",
            "CKV_GCP_114",
        )
    ]


# -- data safety -------------------------------------------------------------------------------------------


def storage_deletion_protection(r: PlannedResource) -> list[Violation]:
    """Storage that holds data (S3 and GCS buckets, FSx file systems, EBS volumes, Filestore, Parallelstore,
    Managed Lustre on GCP and Azure, Azure storage accounts and blob containers) carries Pulumi's
    `protect` or `retain_on_delete`, so a rename, a replace or a `pulumi destroy` cannot delete the data."""
    if r.type not in STORAGE_TYPES or r.protect or r.retain_on_delete:
        return []
    return [
        _v(
            "storage-deletion-protection",
            "medium",
            r,
            f"{r.name} holds data but has neither `protect` nor `retainOnDelete`: a replace or destroy deletes it.",
            "Pass `opts=ResourceOptions(protect=True, retain_on_delete=True)`; in an aiinfra stack, remove "
            "`protect: false` from the storage entry.",
            None,
        )
    ]
