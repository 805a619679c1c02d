"""Guardrail rules (policy/rules.py), each through its registered check and through `check_graph`: the
violation a user reads (rule, severity, message, Checkov ID) for the inputs that should fail, and nothing for
the inputs that should pass, including the edge cases bench/mutation.py found untested (GKE authorized
networks, FSx for Windows / ONTAP, `httpEndpoint: disabled`, an all-ports rule followed by another)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aiinfra.engine.graph import PlannedResource, ResourceGraph, make_urn
from aiinfra.engine.inputs import UNKNOWN
from aiinfra.policy import RULES_BY_ID, check_graph
from aiinfra.policy.model import Violation

OPEN = "0.0.0.0/0"
EBS = "aws:ebs/volume:Volume"
LT = "aws:ec2/launchTemplate:LaunchTemplate"
INSTANCE = "aws:ec2/instance:Instance"
SG = "aws:ec2/securityGroup:SecurityGroup"
DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EKS = "aws:eks/cluster:Cluster"
KEY = "aws:kms/key:Key"
LUSTRE = "aws:fsx/lustreFileSystem:LustreFileSystem"
WINDOWS = "aws:fsx/windowsFileSystem:WindowsFileSystem"
ONTAP = "aws:fsx/ontapFileSystem:OntapFileSystem"
ZFS = "aws:fsx/openZfsFileSystem:OpenZfsFileSystem"
BUCKET = "aws:s3/bucket:Bucket"
BUCKET_V2 = "aws:s3/bucketV2:BucketV2"
ACL = "aws:s3/bucketAcl:BucketAcl"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"
GCS = "gcp:storage/bucket:Bucket"
GCS_MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember"
GCS_BINDING = "gcp:storage/bucketIAMBinding:BucketIAMBinding"
GKE = "gcp:container/cluster:Cluster"


def res(
    type_: str, name: str = "r", protect: bool = True, retain: bool = False, **inputs: Any
) -> PlannedResource:
    return PlannedResource(
        type=type_,
        name=name,
        urn=make_urn("t", "aiinfra", type_, name),
        parent=None,
        inputs=inputs,
        custom=True,
        protect=protect,
        retain_on_delete=retain,
    )


def check(rule_id: str, r: PlannedResource) -> list[Violation]:
    found_ = RULES_BY_ID[rule_id].check(r)  # type: ignore[call-arg,arg-type]
    assert all(v.rule_id == rule_id for v in found_), f"every finding names its rule: {found_}"
    assert all(v.resource == r.name and v.type == r.type for v in found_), "every finding names its resource"
    return found_


def messages(rule_id: str, r: PlannedResource) -> list[str]:
    return [v.message for v in check(rule_id, r)]


def found(rule_id: str, *resources: PlannedResource) -> list[tuple[str, str]]:
    """(rule, resource) pairs `infra check` reports for `rule_id` over a graph of `resources`."""
    graph = ResourceGraph(
        stack="t", project="aiinfra", resources=list(resources), config={"aws:region": "us-east-1"}
    )
    report = check_graph(graph)
    return [(v.rule_id, v.resource) for v in report.violations if v.rule_id == rule_id]


# -- encryption at rest ------------------------------------------------------------------------------------------


def test_an_unencrypted_ebs_volume_is_a_high_violation_naming_checkov_ckv_aws_3() -> None:
    [v] = check("ebs-encrypted", res(EBS, "vol", encrypted=False))
    assert (v.severity, v.message, v.checkov) == (
        "high",
        "EBS volume vol is not encrypted at rest.",
        "CKV_AWS_3",
    )
    assert v.resource == "vol" and v.type == EBS and v.urn == make_urn("t", "aiinfra", EBS, "vol")
    assert messages("ebs-encrypted", res(EBS, "vol")) == ["EBS volume vol is not encrypted at rest."]
    assert check("ebs-encrypted", res(EBS, encrypted=True)) == []
    assert check("ebs-encrypted", res(EBS, encrypted="true")) == [], "a 'true' string is true"
    assert check("ebs-encrypted", res(EBS, encrypted=UNKNOWN)) == [], "unknown until apply: no finding"


def test_each_unencrypted_launch_template_block_device_is_reported_by_its_name_or_index() -> None:
    lt = res(
        LT,
        "lt",
        blockDeviceMappings=[
            {"deviceName": "/dev/xvda", "ebs": {"encrypted": False}},
            {"deviceName": "/dev/xvdb", "ebs": {"encrypted": True}},
            {"deviceName": "/dev/xvdc", "ebs": {"encrypted": UNKNOWN}},
            {"deviceName": "/dev/xvdd"},
            {"ebs": {"volumeSize": 100}},
        ],
    )
    assert messages("ebs-encrypted", lt) == [
        "launch template lt: block device /dev/xvda is not encrypted at rest.",
        "launch template lt: block device #4 is not encrypted at rest.",
    ]


def test_an_instance_reports_an_undeclared_root_volume_and_each_unencrypted_disk() -> None:
    bare = check("ebs-encrypted", res(INSTANCE, "vm"))
    assert [(v.message, v.checkov) for v in bare] == [
        (
            "instance vm: the root volume is not declared, so it is unencrypted unless the account encrypts EBS "
            "by default.",
            "CKV_AWS_8",
        )
    ]
    assert check("ebs-encrypted", res(INSTANCE, "vm", launchTemplate={"id": "lt"})) == [], (
        "the launch template declares the root volume and is checked itself"
    )
    vm = res(
        INSTANCE,
        "vm",
        rootBlockDevice={"encrypted": False},
        ebsBlockDevices=[
            {"deviceName": "/dev/sdf", "encrypted": False},
            {"deviceName": "/dev/sdg", "encrypted": UNKNOWN},
            {"encrypted": False},
            {"deviceName": "/dev/sdh", "encrypted": True},
        ],
    )
    assert messages("ebs-encrypted", vm) == [
        "instance vm: the root volume is not encrypted at rest.",
        "instance vm: the EBS device /dev/sdf is not encrypted at rest.",
        "instance vm: the EBS device 2 is not encrypted at rest.",
    ]
    assert check("ebs-encrypted", res(INSTANCE, rootBlockDevice={"encrypted": True})) == []


@pytest.mark.parametrize("type_", [WINDOWS, ONTAP, ZFS])
def test_every_fsx_file_system_without_a_customer_key_is_reported(type_: str) -> None:
    [v] = check("fsx-customer-key", res(type_, "files"))
    assert (
        v.severity == "medium"
        and v.message == "FSx file system files is encrypted only with the AWS-managed aws/fsx key."
    )
    assert check("fsx-customer-key", res(type_, "files", kmsKeyId="arn:aws:kms:key")) == []
    assert found("fsx-customer-key", res(type_, "files")) == [("fsx-customer-key", "files")], (
        "infra check runs the rule on this file system type"
    )


def test_persistent_lustre_needs_a_customer_key_and_scratch_lustre_passes() -> None:
    assert len(check("fsx-customer-key", res(LUSTRE, deploymentType="PERSISTENT_2"))) == 1
    assert len(check("fsx-customer-key", res(LUSTRE, deploymentType="persistent_1"))) == 1, (
        "case does not matter"
    )
    assert check("fsx-customer-key", res(LUSTRE, deploymentType="PERSISTENT_2", kmsKeyId="k")) == []
    assert check("fsx-customer-key", res(LUSTRE, deploymentType="SCRATCH_2")) == []
    assert check("fsx-customer-key", res(LUSTRE)) == [], "the default deployment is SCRATCH_1"
    assert check("fsx-customer-key", res(LUSTRE, deploymentType=UNKNOWN)) == []
    assert check("fsx-customer-key", res(EBS)) == [], "another type is not this rule's business"


def test_a_symmetric_key_without_rotation_is_reported_and_keys_that_cannot_rotate_pass() -> None:
    [v] = check("kms-rotation", res(KEY, "key"))
    assert (v.message, v.checkov, v.severity) == (
        "KMS key key does not rotate its key material.",
        "CKV_AWS_7",
        "medium",
    )
    assert len(check("kms-rotation", res(KEY, enableKeyRotation=False, keySpec="SYMMETRIC_DEFAULT"))) == 1
    assert check("kms-rotation", res(KEY, enableKeyRotation=True)) == []
    assert check("kms-rotation", res(KEY, enableKeyRotation=UNKNOWN)) == []
    assert check("kms-rotation", res(KEY, keySpec="RSA_2048")) == []
    assert check("kms-rotation", res(KEY, customerMasterKeySpec="HMAC_256")) == []
    assert check("kms-rotation", res(EBS)) == []


# -- network ---------------------------------------------------------------------------------------------------


def test_an_all_ports_rule_followed_by_an_ssh_rule_reports_both() -> None:
    sg = res(
        SG,
        "sg",
        ingress=[
            {"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": [OPEN]},
            {"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": [OPEN]},
        ],
    )
    found_ = check("sg-open-admin-ingress", sg)
    assert [(v.message, v.checkov) for v in found_] == [
        ("sg (ingress[0]) admits 0.0.0.0/0 on every port.", "CKV_AWS_277"),
        ("sg (ingress[1]) admits 0.0.0.0/0 on port 22 (SSH).", "CKV_AWS_24"),
    ]
    assert check("sg-open-ingress", sg) == [], "both are admin findings, not repeated as open ingress"


@pytest.mark.parametrize(
    ("protocol", "lo", "hi", "expected"),
    [
        ("tcp", 0, 65535, ["every port"]),
        ("all", None, None, ["every port"]),
        ("6", None, None, ["every port"]),
        ("udp", 0, 65535, ["every port"]),
        ("17", -1, -1, ["every port"]),
        ("tcp", -1, None, ["every port"]),
        ("tcp", 3389, 3389, ["port 3389 (RDP)"]),
        ("udp", 20, 25, ["port 22 (SSH)"]),
        ("17", 22, 3389, ["port 22 (SSH)", "port 3389 (RDP)"]),
        ("tcp", 23, 3388, []),
        ("tcp", 3390, 4000, []),
        ("tcp", 1, 21, []),
        ("icmp", -1, -1, []),
        ("tcp", None, 22, []),
    ],
)
def test_admin_ports_are_found_inside_port_ranges(
    protocol: str, lo: Any, hi: Any, expected: list[str]
) -> None:
    sg = res(SG, "sg", ingress=[{"protocol": protocol, "fromPort": lo, "toPort": hi, "cidrBlocks": [OPEN]}])
    assert messages("sg-open-admin-ingress", sg) == [
        f"sg (ingress[0]) admits 0.0.0.0/0 on {e}." for e in expected
    ]


def test_only_whole_internet_sources_count_and_ipv6_does() -> None:
    private = res(
        SG, ingress=[{"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["10.0.0.0/8"]}]
    )
    assert check("sg-open-admin-ingress", private) == []
    v6 = res(
        DEFAULT_SG,
        "d",
        ingress=[{"protocol": "tcp", "fromPort": 22, "toPort": 22, "ipv6CidrBlocks": ["::/0"]}],
    )
    assert messages("sg-open-admin-ingress", v6) == ["d (ingress[0]) admits ::/0 on port 22 (SSH)."]


def test_standalone_ingress_rules_are_checked_and_egress_rules_are_not() -> None:
    ingress = res(SG_RULE, "in", type="ingress", protocol="tcp", fromPort=22, toPort=22, cidrBlocks=[OPEN])
    assert messages("sg-open-admin-ingress", ingress) == ["in (rule) admits 0.0.0.0/0 on port 22 (SSH)."]
    egress = res(SG_RULE, "out", type="egress", protocol="-1", fromPort=0, toPort=0, cidrBlocks=[OPEN])
    assert check("sg-open-admin-ingress", egress) == [] and check("sg-open-ingress", egress) == []
    vpc_rule = res(INGRESS, "vpc", ipProtocol="tcp", fromPort=3389, toPort=3389, cidrIpv6="::/0")
    assert messages("sg-open-admin-ingress", vpc_rule) == ["vpc (rule) admits ::/0 on port 3389 (RDP)."]
    v4 = res(INGRESS, "v4", ipProtocol="tcp", fromPort=443, toPort=443, cidrIpv4=OPEN)
    assert messages("sg-open-ingress", v4) == ["v4 (rule) admits 0.0.0.0/0 on port 443 (tcp)."]


def test_other_open_ports_are_medium_findings_naming_the_ports() -> None:
    sg = res(
        SG,
        "web",
        ingress=[
            {"protocol": "tcp", "fromPort": 80, "toPort": 80, "cidrBlocks": [OPEN]},
            {"protocol": "tcp", "fromPort": 8000, "toPort": 9000, "cidrBlocks": [OPEN]},
            {"protocol": "icmp", "fromPort": -1, "toPort": -1, "cidrBlocks": [OPEN]},
            {"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": [OPEN]},
            {"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["10.0.0.0/8"]},
        ],
    )
    found_ = check("sg-open-ingress", sg)
    assert [(v.message, v.checkov, v.severity) for v in found_] == [
        ("web (ingress[0]) admits 0.0.0.0/0 on port 80 (tcp).", "CKV_AWS_260", "medium"),
        ("web (ingress[1]) admits 0.0.0.0/0 on ports 8000-9000 (tcp).", None, "medium"),
        ("web (ingress[2]) admits 0.0.0.0/0 on ICMP (icmp).", None, "medium"),
    ]


def test_imdsv1_is_reported_unless_tokens_are_required_or_the_endpoint_is_off() -> None:
    assert messages("imdsv2-required", res(LT, "lt")) == [
        "lt allows IMDSv1 (metadataOptions.httpTokens is not set)."
    ]
    optional = res(LT, "lt", metadataOptions={"httpTokens": "optional"})
    [v] = check("imdsv2-required", optional)
    assert (v.message, v.checkov, v.severity) == (
        "lt allows IMDSv1 (metadataOptions.httpTokens is optional).",
        "CKV_AWS_79",
        "high",
    )
    assert check("imdsv2-required", res(LT, metadataOptions={"httpTokens": "required"})) == []
    disabled = res(LT, metadataOptions={"httpTokens": "optional", "httpEndpoint": "disabled"})
    assert check("imdsv2-required", disabled) == [], "no metadata endpoint, nothing to steal"
    enabled = res(LT, metadataOptions={"httpTokens": "optional", "httpEndpoint": "enabled"})
    assert len(check("imdsv2-required", enabled)) == 1
    assert check("imdsv2-required", res(LT, metadataOptions={"httpTokens": UNKNOWN})) == []
    assert len(check("imdsv2-required", res(INSTANCE, "vm"))) == 1
    assert check("imdsv2-required", res(INSTANCE, launchTemplate={"id": "lt"})) == [], "the template decides"
    templated = res(INSTANCE, launchTemplate={"id": "lt"}, metadataOptions={"httpTokens": "optional"})
    assert len(check("imdsv2-required", templated)) == 1, "its own options override the template's"
    assert check("imdsv2-required", res(EKS)) == []


def test_a_hop_limit_above_one_lets_containers_reach_the_metadata() -> None:
    [v] = check("imds-hop-limit", res(LT, "lt", metadataOptions={"httpPutResponseHopLimit": 2}))
    assert (v.message, v.severity, v.checkov) == (
        "lt lets metadata responses travel 2 hops, into containers.",
        "low",
        "CKV_AWS_341",
    )
    assert check("imds-hop-limit", res(INSTANCE, metadataOptions={"httpPutResponseHopLimit": 1})) == []
    assert check("imds-hop-limit", res(INSTANCE)) == []
    assert check("imds-hop-limit", res(EKS, metadataOptions={"httpPutResponseHopLimit": 3})) == []


# -- clusters ----------------------------------------------------------------------------------------------------


def test_an_eks_endpoint_is_reported_when_public_to_everyone_or_to_no_listed_cidr() -> None:
    assert messages("eks-private-endpoint", res(EKS, "k")) == [
        "EKS cluster k has a public API endpoint that lists no publicAccessCidrs, so EKS admits 0.0.0.0/0."
    ]
    both = res(EKS, "k", vpcConfig={"endpointPublicAccess": True, "publicAccessCidrs": [OPEN, "1.2.3.4/32"]})
    [v] = check("eks-private-endpoint", both)
    assert (
        v.message == "EKS cluster k has a public API endpoint that admits 0.0.0.0/0."
        and v.checkov == "CKV_AWS_38"
    )
    listed = res(EKS, vpcConfig={"endpointPublicAccess": True, "publicAccessCidrs": ["1.2.3.4/32"]})
    assert check("eks-private-endpoint", listed) == []
    assert check("eks-private-endpoint", res(EKS, vpcConfig={"endpointPublicAccess": False})) == []
    assert check("eks-private-endpoint", res(EKS, vpcConfig={"endpointPublicAccess": UNKNOWN})) == []
    assert check("eks-private-endpoint", res(EKS, vpcConfig={"publicAccessCidrs": [UNKNOWN]})) == []
    assert check("eks-private-endpoint", res(GKE)) == []


def test_eks_secrets_need_an_encryption_entry_for_secrets_with_a_key() -> None:
    [v] = check("eks-secrets-encryption", res(EKS, "k"))
    assert (v.message, v.checkov) == (
        "EKS cluster k does not encrypt Kubernetes secrets with KMS.",
        "CKV_AWS_58",
    )
    good = [{"resources": ["secrets"], "provider": {"keyArn": "arn:key"}}]
    assert check("eks-secrets-encryption", res(EKS, encryptionConfig=good)) == []
    other = [{"resources": ["configmaps"], "provider": {"keyArn": "arn:key"}}]
    assert len(check("eks-secrets-encryption", res(EKS, encryptionConfig=other))) == 1
    keyless = [{"resources": ["secrets"], "provider": {}}]
    assert len(check("eks-secrets-encryption", res(EKS, encryptionConfig=keyless))) == 1
    assert check("eks-secrets-encryption", res(EKS, encryptionConfig=UNKNOWN)) == []
    assert check("eks-secrets-encryption", res(GKE)) == []


def test_a_gke_cluster_must_be_private_and_its_public_endpoint_limited_to_authorized_networks() -> None:
    [v] = check("gke-private-endpoint", res(GKE, "g"))
    assert (v.message, v.checkov, v.severity) == (
        "GKE cluster g is not a private cluster.",
        "CKV_GCP_25",
        "high",
    )
    nodes_only = {"enablePrivateNodes": True}
    public = "GKE cluster g has a public control-plane endpoint open to any address."
    assert messages("gke-private-endpoint", res(GKE, "g", privateClusterConfig=nodes_only)) == [public]
    limited = {"cidrBlocks": [{"cidrBlock": "10.0.0.0/8"}, {"cidrBlock": "192.168.0.0/16"}]}
    assert (
        check(
            "gke-private-endpoint",
            res(GKE, privateClusterConfig=nodes_only, masterAuthorizedNetworksConfig=limited),
        )
        == []
    ), "authorized networks that are not the internet"
    everyone = {"cidrBlocks": [{"cidrBlock": "10.0.0.0/8"}, {"cidrBlock": OPEN}]}
    assert messages(
        "gke-private-endpoint",
        res(GKE, "g", privateClusterConfig=nodes_only, masterAuthorizedNetworksConfig=everyone),
    ) == [public]
    private_endpoint = {"enablePrivateNodes": True, "enablePrivateEndpoint": True}
    assert check("gke-private-endpoint", res(GKE, privateClusterConfig=private_endpoint)) == []
    assert check("gke-private-endpoint", res(GKE, privateClusterConfig=UNKNOWN)) == []
    assert check("gke-private-endpoint", res(EKS)) == []


# -- public data ---------------------------------------------------------------------------------------------------


def test_public_acls_and_grants_on_buckets_are_reported() -> None:
    [v] = check("s3-public-grant", res(BUCKET, "b", acl="public-read"))
    assert (v.message, v.checkov) == ("b grants the `public-read` ACL.", "CKV_AWS_20")
    assert len(check("s3-public-grant", res(ACL, acl="authenticated-read"))) == 1
    assert check("s3-public-grant", res(BUCKET, acl="private")) == []
    grants = {
        "grants": [
            {"grantee": {"uri": "http://acs.amazonaws.com/groups/global/AllUsers"}, "permission": "READ"},
            {"grantee": {"id": "owner"}, "permission": "FULL_CONTROL"},
        ]
    }
    [v] = check("s3-public-grant", res(BUCKET_V2, "b", accessControlPolicy=grants))
    assert (v.message, v.checkov) == (
        "b grants READ to http://acs.amazonaws.com/groups/global/AllUsers.",
        "CKV_AWS_20",
    )
    assert v.fix.startswith("Remove the ACL"), v.fix


def test_a_policy_that_allows_everyone_without_a_condition_is_reported() -> None:
    doc = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}
    [v] = check("s3-public-grant", res(POLICY, "p", policy=json.dumps(doc)))
    assert v.message == 'p\'s policy allows s3:GetObject to any principal ("*") without a condition.'
    assert v.checkov == "CKV_AWS_70"
    assert len(check("s3-public-grant", res(BUCKET, policy=json.dumps(doc)))) == 1
    assert check("s3-public-grant", res(ACL, policy=json.dumps(doc))) == [], "an ACL resource has no policy"
    assert check("s3-public-grant", res(POLICY, policy=None)) == []


def test_gcs_grants_to_all_users_are_reported_with_the_role() -> None:
    member = res(GCS_MEMBER, "m", member="allUsers", role="roles/storage.objectViewer")
    assert messages("s3-public-grant", member) == ["m grants roles/storage.objectViewer to allUsers."]
    binding = res(
        GCS_BINDING, "b", members=["user:a@example.com", "allAuthenticatedUsers", "allUsers"], role="r"
    )
    assert messages("s3-public-grant", binding) == ["b grants r to allAuthenticatedUsers, allUsers."]
    assert check("s3-public-grant", res(GCS_MEMBER, member="user:a@example.com", role="r")) == []


def test_gcs_buckets_must_enforce_public_access_prevention() -> None:
    [v] = check("gcs-public-access-prevention", res(GCS, "g"))
    assert (v.message, v.checkov) == (
        "GCS bucket g does not enforce public access prevention (inherited).",
        "CKV_GCP_114",
    )
    assert messages("gcs-public-access-prevention", res(GCS, "g", publicAccessPrevention="inherited")) == [
        "GCS bucket g does not enforce public access prevention (inherited)."
    ]
    assert check("gcs-public-access-prevention", res(GCS, publicAccessPrevention="enforced")) == []
    assert check("gcs-public-access-prevention", res(GCS, publicAccessPrevention=UNKNOWN)) == []
    assert check("gcs-public-access-prevention", res(BUCKET)) == []


# -- data safety ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("type_", [BUCKET, BUCKET_V2, LUSTRE, WINDOWS, ONTAP, ZFS, EBS, GCS])
def test_storage_without_protect_or_retain_on_delete_is_reported(type_: str) -> None:
    [v] = check("storage-deletion-protection", res(type_, "data", protect=False))
    assert v.message.startswith("data holds data but has neither `protect` nor `retainOnDelete`"), v.message
    assert check("storage-deletion-protection", res(type_, protect=True)) == []
    assert check("storage-deletion-protection", res(type_, protect=False, retain=True)) == []
    assert found("storage-deletion-protection", res(type_, "data", protect=False)) == [
        ("storage-deletion-protection", "data")
    ]


def test_a_resource_that_holds_no_data_needs_no_protection() -> None:
    assert check("storage-deletion-protection", res(KEY, protect=False)) == []
