"""The guardrail rules as plain functions: every rule reports its failing fixture and passes its passing
one (hand-built resources and graphs, no Pulumi), unknown values are never reported, reports sort by
severity, and the example stacks' plans pass every rule."""

from __future__ import annotations

import json
import subprocess
import sys
from types import SimpleNamespace
from typing import Any

import pytest

from aiinfra.engine.graph import PlannedResource, ResourceGraph, make_urn
from aiinfra.engine.inputs import UNKNOWN
from aiinfra.policy import RULES, RULES_BY_ID, check_graph
from aiinfra.policy.model import CheckOptions, Violation
from tests.conftest import ROOT

STACK = "test"


def res(
    type_: str,
    name: str = "r",
    inputs: dict[str, Any] | None = None,
    *,
    parent: str | None = None,
    protect: bool = False,
    retain: bool = False,
) -> PlannedResource:
    return PlannedResource(
        type=type_,
        name=name,
        urn=make_urn(STACK, "aiinfra", type_, name),
        parent=parent,
        inputs=inputs or {},
        custom=True,
        protect=protect,
        retain_on_delete=retain,
    )


def graph(*resources: PlannedResource, region: str = "us-east-1") -> ResourceGraph:
    return ResourceGraph(
        stack=STACK, project="aiinfra", resources=list(resources), config={"aws:region": region}
    )


# -- fixtures: one or more failing and passing cases per rule -----------------------------------------------

BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
KEY = "aws:kms/key:Key"
LUSTRE = "aws:fsx/lustreFileSystem:LustreFileSystem"
LT = "aws:ec2/launchTemplate:LaunchTemplate"
SG = "aws:ec2/securityGroup:SecurityGroup"
SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EKS = "aws:eks/cluster:Cluster"
NODES = "aws:eks/nodeGroup:NodeGroup"
ALL_ON = {
    "blockPublicAcls": True,
    "blockPublicPolicy": True,
    "ignorePublicAcls": True,
    "restrictPublicBuckets": True,
}
COMPONENT = make_urn(STACK, "aiinfra", "aiinfra:aws:ObjectBucket", "data")
TLS_ONLY = json.dumps(
    {
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ]
    }
)
PUBLIC_POLICY = json.dumps(
    {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject"}]}
)
H100_POOL = {
    "instanceTypes": ["p5.48xlarge"],
    "scalingConfig": {"desiredSize": 4, "minSize": 4, "maxSize": 4},
}
OVER = SimpleNamespace(monthly_cost_usd=1000, monthly_co2e_kg=2000, lines=[])

HELM = "kubernetes:helm.sh/v3:Release"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
SCALING_POOL = {"scalingConfig": {"minSize": 0, "desiredSize": 0, "maxSize": 4}}
FIXED_POOL = {"scalingConfig": {"minSize": 2, "desiredSize": 2, "maxSize": 2}}
AUTOSCALER = res(
    HELM,
    "ca",
    {"chart": "cluster-autoscaler", "repositoryOpts": {"repo": "https://kubernetes.github.io/autoscaler"}},
)
POOL_ON_SG = [
    res(LT, "gpu-lt", {"vpcSecurityGroupIds": ["sg-nodes"]}),
    res(NODES, "gpu", {"launchTemplate": {"id": "gpu-lt-id"}}),
    res(LUSTRE, "fs", {"securityGroupIds": ["fs-sg-id"]}),
]


def lustre_ingress(source: str, port: int = 988) -> PlannedResource:
    return res(
        INGRESS,
        f"in-{source}-{port}",
        {
            "securityGroupId": "fs-sg-id",
            "referencedSecurityGroupId": source,
            "ipProtocol": "tcp",
            "fromPort": port,
            "toPort": port,
        },
    )


Case = tuple[str, PlannedResource | ResourceGraph, dict[str, Any]]

FAILING: dict[str, list[Case]] = {
    "ebs-encrypted": [
        ("an unencrypted volume", res("aws:ebs/volume:Volume", inputs={"encrypted": False, "size": 100}), {}),
        (
            "a launch template's unencrypted root device",
            res(
                LT,
                inputs={"blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {"encrypted": "false"}}]},
            ),
            {},
        ),
        (
            "an instance without a declared root volume",
            res("aws:ec2/instance:Instance", inputs={"instanceType": "m7i.large"}),
            {},
        ),
    ],
    "fsx-customer-key": [
        ("persistent Lustre on the AWS key", res(LUSTRE, inputs={"deploymentType": "PERSISTENT_2"}), {}),
    ],
    "s3-encrypted": [("a bucket alone", graph(res(BUCKET, "b")), {})],
    "kms-rotation": [
        ("rotation off", res(KEY, inputs={"enableKeyRotation": False}), {}),
        ("rotation not set", res(KEY), {}),
    ],
    "eks-secrets-encryption": [
        ("no encryptionConfig", res(EKS, inputs={"vpcConfig": {"endpointPublicAccess": False}}), {})
    ],
    "sg-open-admin-ingress": [
        (
            "SSH from anywhere, inline",
            res(
                SG,
                inputs={
                    "ingress": [
                        {"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0"]}
                    ]
                },
            ),
            {},
        ),
        (
            "RDP from any IPv6 address",
            res(
                SG_RULE,
                inputs={
                    "type": "ingress",
                    "protocol": "tcp",
                    "fromPort": 3389,
                    "toPort": 3389,
                    "ipv6CidrBlocks": ["::/0"],
                },
            ),
            {},
        ),
        ("every port from anywhere", res(INGRESS, inputs={"ipProtocol": "-1", "cidrIpv4": "0.0.0.0/0"}), {}),
    ],
    "sg-open-ingress": [
        (
            "HTTPS from anywhere",
            res(
                INGRESS, inputs={"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "0.0.0.0/0"}
            ),
            {},
        ),
    ],
    "eks-private-endpoint": [
        (
            "public with no CIDRs (EKS then admits 0.0.0.0/0)",
            res(EKS, inputs={"vpcConfig": {"endpointPublicAccess": True}}),
            {},
        ),
        (
            "public to 0.0.0.0/0",
            res(
                EKS, inputs={"vpcConfig": {"endpointPublicAccess": True, "publicAccessCidrs": ["0.0.0.0/0"]}}
            ),
            {},
        ),
        (
            "endpoint access not set (EKS defaults to public)",
            res(EKS, inputs={"vpcConfig": {"subnetIds": ["s"]}}),
            {},
        ),
    ],
    "gke-private-endpoint": [
        (
            "not a private cluster",
            res("gcp:container/cluster:Cluster", inputs={"location": "us-central1"}),
            {},
        )
    ],
    "imdsv2-required": [
        ("no metadata options", res(LT), {}),
        ("IMDSv1 allowed", res(LT, inputs={"metadataOptions": {"httpTokens": "optional"}}), {}),
    ],
    "edge-nodes-private": [
        (
            "a private edge site's launch template asks for carrier addresses",
            res(
                LT,
                inputs={
                    "tags": {"aiinfra:edge-location": "us-west-2-wl1-sfo-wlz-1"},
                    "networkInterfaces": [{"associateCarrierIpAddress": "true"}],
                },
            ),
            {},
        ),
        (
            "a private edge site's subnet maps public addresses",
            res(
                "aws:ec2/subnet:Subnet",
                inputs={"tags": {"aiinfra:edge-location": "us-west-2-lax-1a"}, "mapPublicIpOnLaunch": True},
            ),
            {},
        ),
    ],
    "imds-hop-limit": [
        (
            "two hops",
            res(LT, inputs={"metadataOptions": {"httpTokens": "required", "httpPutResponseHopLimit": 2}}),
            {},
        )
    ],
    "s3-public-access-block": [
        ("a bucket without a block", graph(res(BUCKET, "b")), {}),
        (
            "a block with one setting off",
            graph(
                res(BUCKET, "b"),
                res(PAB, "b-pab", {**ALL_ON, "restrictPublicBuckets": False, "bucket": "b-id"}),
            ),
            {},
        ),
    ],
    "s3-public-grant": [
        ("a public-read ACL", res(BUCKET, inputs={"acl": "public-read"}), {}),
        (
            "a policy that allows anyone",
            res("aws:s3/bucketPolicy:BucketPolicy", inputs={"policy": PUBLIC_POLICY}),
            {},
        ),
        (
            "a GCS grant to allUsers",
            res(
                "gcp:storage/bucketIAMMember:BucketIAMMember",
                inputs={"member": "allUsers", "role": "roles/storage.objectViewer"},
            ),
            {},
        ),
    ],
    "gcs-public-access-prevention": [
        (
            "prevention inherited",
            res("gcp:storage/bucket:Bucket", inputs={"publicAccessPrevention": "inherited"}),
            {},
        )
    ],
    "storage-deletion-protection": [
        ("an unprotected bucket", res(BUCKET), {}),
        ("an unprotected Lustre file system", res(LUSTRE, inputs={"kmsKeyId": "k"}), {}),
    ],
    "data-key-deletion-protection": [
        (
            "the key a file system names, unprotected",
            graph(
                res(KEY, "scratch-key", {"enableKeyRotation": True}),
                res(LUSTRE, "fs", {"kmsKeyId": "arn:aws:kms:us-east-1:1:key/scratch-key"}, protect=True),
            ),
            {},
        ),
        (
            "the key beside a bucket, unprotected",
            graph(res(KEY, "k", parent=COMPONENT), res(BUCKET, "b", parent=COMPONENT, protect=True)),
            {},
        ),
    ],
    "gpu-carbon-intensity": [
        ("an H100 pool in ap-south-1", graph(res(NODES, "gpu", H100_POOL), region="ap-south-1"), {})
    ],
    "budget-monthly-cost": [("$1,000 against $500", graph(), {"max_monthly_usd": 500, "estimate": OVER})],
    "budget-monthly-co2e": [("2 t against 1 t", graph(), {"max_monthly_co2e_kg": 1000, "estimate": OVER})],
    "pool-autoscaler": [("a 0-4 node group and no autoscaler", graph(res(NODES, "gpu", SCALING_POOL)), {})],
    "storage-reachable": [
        ("Lustre open only to another group", graph(*POOL_ON_SG, lustre_ingress("sg-laptops")), {}),
        (
            "Lustre open to the nodes on the wrong port",
            graph(*POOL_ON_SG, lustre_ingress("sg-nodes", 22)),
            {},
        ),
        ("Lustre with no ingress at all", graph(*POOL_ON_SG), {}),
    ],
}

PASSING: dict[str, list[Case]] = {
    "ebs-encrypted": [
        ("an encrypted volume", res("aws:ebs/volume:Volume", inputs={"encrypted": True}), {}),
        (
            "an encrypted launch-template device",
            res(LT, inputs={"blockDeviceMappings": [{"ebs": {"encrypted": "true"}}]}),
            {},
        ),
    ],
    "fsx-customer-key": [
        (
            "persistent Lustre on its own key",
            res(LUSTRE, inputs={"deploymentType": "PERSISTENT_2", "kmsKeyId": "arn:k"}),
            {},
        ),
        ("scratch Lustre (always AWS-encrypted)", res(LUSTRE, inputs={"deploymentType": "SCRATCH_2"}), {}),
    ],
    "s3-encrypted": [
        (
            "a bucket with its encryption resource",
            graph(
                res(BUCKET, "b"),
                res(
                    SSE,
                    "b-sse",
                    {
                        "bucket": "b-id",
                        "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}],
                    },
                ),
            ),
            {},
        ),
        (
            "a bucket whose encryption is a sibling with an unknown bucket ID",
            graph(
                res(BUCKET, "b", parent=COMPONENT), res(SSE, "b-sse", {"bucket": UNKNOWN}, parent=COMPONENT)
            ),
            {},
        ),
    ],
    "kms-rotation": [
        ("rotation on", res(KEY, inputs={"enableKeyRotation": True}), {}),
        ("an asymmetric key (cannot rotate)", res(KEY, inputs={"customerMasterKeySpec": "RSA_2048"}), {}),
    ],
    "eks-secrets-encryption": [
        (
            "secrets in KMS",
            res(
                EKS, inputs={"encryptionConfig": {"resources": ["secrets"], "provider": {"keyArn": "arn:k"}}}
            ),
            {},
        )
    ],
    "sg-open-admin-ingress": [
        (
            "SSH from the VPC only",
            res(
                SG,
                inputs={
                    "ingress": [
                        {"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["10.0.0.0/8"]}
                    ]
                },
            ),
            {},
        ),
        (
            "egress to anywhere",
            res(SG_RULE, inputs={"type": "egress", "protocol": "-1", "cidrBlocks": ["0.0.0.0/0"]}),
            {},
        ),
    ],
    "sg-open-ingress": [
        (
            "HTTPS from a security group",
            res(
                INGRESS,
                inputs={
                    "ipProtocol": "tcp",
                    "fromPort": 443,
                    "toPort": 443,
                    "referencedSecurityGroupId": "sg",
                },
            ),
            {},
        ),
        (
            "SSH from anywhere (the admin rule's finding, not this one's)",
            res(INGRESS, inputs={"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "0.0.0.0/0"}),
            {},
        ),
    ],
    "eks-private-endpoint": [
        ("private", res(EKS, inputs={"vpcConfig": {"endpointPublicAccess": False}}), {}),
        (
            "public to one listed CIDR",
            res(
                EKS,
                inputs={"vpcConfig": {"endpointPublicAccess": True, "publicAccessCidrs": ["203.0.113.0/24"]}},
            ),
            {},
        ),
    ],
    "gke-private-endpoint": [
        (
            "private nodes and endpoint",
            res(
                "gcp:container/cluster:Cluster",
                inputs={"privateClusterConfig": {"enablePrivateNodes": True, "enablePrivateEndpoint": True}},
            ),
            {},
        )
    ],
    "imdsv2-required": [
        ("tokens required", res(LT, inputs={"metadataOptions": {"httpTokens": "required"}}), {}),
        ("tokens not known until created", res(LT, inputs={"metadataOptions": {"httpTokens": UNKNOWN}}), {}),
    ],
    "edge-nodes-private": [
        (
            "a public edge site's carrier addresses",
            res(
                LT,
                inputs={
                    "tags": {"aiinfra:edge-location": "us-west-2-wl1-sfo-wlz-1", "aiinfra:public": "true"},
                    "networkInterfaces": [{"associateCarrierIpAddress": "true"}],
                },
            ),
            {},
        ),
        (
            "a private edge subnet",
            res(
                "aws:ec2/subnet:Subnet",
                inputs={"tags": {"aiinfra:edge-location": "us-west-2-lax-1a"}, "mapPublicIpOnLaunch": False},
            ),
            {},
        ),
        (
            "a regional public subnet (not an edge site's)",
            res("aws:ec2/subnet:Subnet", inputs={"mapPublicIpOnLaunch": True}),
            {},
        ),
    ],
    "imds-hop-limit": [
        (
            "one hop",
            res(LT, inputs={"metadataOptions": {"httpTokens": "required", "httpPutResponseHopLimit": 1}}),
            {},
        )
    ],
    "s3-public-access-block": [
        (
            "a bucket with all four settings on",
            graph(res(BUCKET, "b"), res(PAB, "b-pab", {**ALL_ON, "bucket": "b-id"})),
            {},
        ),
        (
            "an account-wide block",
            graph(
                res(BUCKET, "b"),
                res("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "acct", ALL_ON),
            ),
            {},
        ),
    ],
    "s3-public-grant": [
        ("a private ACL", res(BUCKET, inputs={"acl": "private"}), {}),
        (
            "a TLS-only Deny for everyone",
            res("aws:s3/bucketPolicy:BucketPolicy", inputs={"policy": TLS_ONLY}),
            {},
        ),
    ],
    "gcs-public-access-prevention": [
        (
            "prevention enforced",
            res("gcp:storage/bucket:Bucket", inputs={"publicAccessPrevention": "enforced"}),
            {},
        )
    ],
    "storage-deletion-protection": [
        ("a protected bucket", res(BUCKET, protect=True), {}),
        ("a retained file system", res(LUSTRE, retain=True), {}),
    ],
    "data-key-deletion-protection": [
        (
            "a protected data key",
            graph(
                res(KEY, "scratch-key", protect=True),
                res(LUSTRE, "fs", {"kmsKeyId": "arn:aws:kms:us-east-1:1:key/scratch-key"}, protect=True),
            ),
            {},
        ),
        (
            "a key that guards no stored data (EKS secrets)",
            graph(res(KEY, "secrets-key", parent="urn:eks"), res(EKS, "eks", parent="urn:eks")),
            {},
        ),
    ],
    "gpu-carbon-intensity": [
        ("an H100 pool in us-east-1", graph(res(NODES, "gpu", H100_POOL), region="us-east-1"), {}),
        (
            "a CPU pool in ap-south-1",
            graph(res(NODES, "cpu", {"instanceTypes": ["m7i.xlarge"]}), region="ap-south-1"),
            {},
        ),
        (
            "ap-south-1 under a threshold of 800",
            graph(res(NODES, "gpu", H100_POOL), region="ap-south-1"),
            {"carbon_threshold_g_per_kwh": 800},
        ),
    ],
    "budget-monthly-cost": [
        ("no budget given", graph(), {"estimate": OVER}),
        ("within the budget", graph(), {"max_monthly_usd": 1000, "estimate": OVER}),
    ],
    "budget-monthly-co2e": [
        ("no budget given", graph(), {"estimate": OVER}),
        ("within the budget", graph(), {"max_monthly_co2e_kg": 5000, "estimate": OVER}),
    ],
    "pool-autoscaler": [
        ("a 0-4 node group with Cluster Autoscaler", graph(res(NODES, "gpu", SCALING_POOL), AUTOSCALER), {}),
        ("a fixed node group", graph(res(NODES, "gpu", FIXED_POOL)), {}),
        (
            "an unknown maximum",
            graph(res(NODES, "gpu", {"scalingConfig": {"minSize": 0, "maxSize": UNKNOWN}})),
            {},
        ),
    ],
    "storage-reachable": [
        ("Lustre open to the nodes' group on 988", graph(*POOL_ON_SG, lustre_ingress("sg-nodes")), {}),
        ("Lustre open to an unknown group", graph(*POOL_ON_SG, lustre_ingress(UNKNOWN)), {}),
        (
            "a node group whose groups are unknown (the cluster's)",
            graph(res(NODES, "sys", {}), *POOL_ON_SG, lustre_ingress("sg-laptops")),
            {},
        ),
    ],
}


def run_rule(
    rule_id: str, subject: PlannedResource | ResourceGraph, options: dict[str, Any]
) -> list[Violation]:
    """Call the rule's function directly, as the CLI and the pack do: a resource rule on one resource, a
    graph rule on a graph with its options."""
    rule = RULES_BY_ID[rule_id]
    if rule.kind == "resource":
        assert isinstance(subject, PlannedResource) and not options
        return rule.check(subject)  # type: ignore[call-arg,arg-type]
    assert isinstance(subject, ResourceGraph)
    return rule.check(subject, CheckOptions(**options))  # type: ignore[call-arg,arg-type]


def cases(table: dict[str, list[Case]]) -> list[Any]:
    return [
        pytest.param(rule_id, subject, options, id=f"{rule_id}: {label}")
        for rule_id, rows in table.items()
        for label, subject, options in rows
    ]


def test_every_rule_has_a_failing_and_a_passing_fixture() -> None:
    """Here, or in the GCP and Azure rule tests (tests/test_policy_gcp.py, tests/test_policy_azure.py)."""
    from tests import test_policy_azure, test_policy_gcp

    ids = {r.id for r in RULES}
    failing = {*FAILING, *test_policy_gcp.FAILING, *test_policy_azure.FAILING}
    passing = {*PASSING, *test_policy_gcp.PASSING, *test_policy_azure.PASSING}
    assert failing == ids, f"each registered rule needs a fixture that violates it: {sorted(ids - failing)}"
    assert passing == ids, f"each registered rule needs a fixture that satisfies it: {sorted(ids - passing)}"


@pytest.mark.parametrize(("rule_id", "subject", "options"), cases(FAILING))
def test_a_rule_reports_its_failing_fixture(rule_id: str, subject: Any, options: dict[str, Any]) -> None:
    found = run_rule(rule_id, subject, options)
    assert found, f"{rule_id} must report this fixture"
    rule = RULES_BY_ID[rule_id]
    for v in found:
        assert v.rule_id == rule_id and v.severity == rule.severity, (
            "a violation carries its rule's id and severity"
        )
        assert v.message and v.fix, "every violation says what is wrong and how to fix it"


@pytest.mark.parametrize(("rule_id", "subject", "options"), cases(PASSING))
def test_a_rule_passes_its_passing_fixture(rule_id: str, subject: Any, options: dict[str, Any]) -> None:
    assert run_rule(rule_id, subject, options) == [], f"{rule_id} must not report this fixture"


def test_open_admin_ports_name_the_checkov_check_of_each_port() -> None:
    ssh = FAILING["sg-open-admin-ingress"][0][1]
    rdp = FAILING["sg-open-admin-ingress"][1][1]
    every = FAILING["sg-open-admin-ingress"][2][1]
    assert [v.checkov for v in run_rule("sg-open-admin-ingress", ssh, {})] == ["CKV_AWS_24"], (
        "port 22 is Checkov's CKV_AWS_24"
    )
    assert [v.checkov for v in run_rule("sg-open-admin-ingress", rdp, {})] == ["CKV_AWS_25"], (
        "port 3389 is CKV_AWS_25"
    )
    assert [v.checkov for v in run_rule("sg-open-admin-ingress", every, {})] == ["CKV_AWS_277"], (
        "all ports is CKV_AWS_277"
    )


def test_the_carbon_rule_names_cleaner_regions_that_sell_the_same_machine() -> None:
    (v,) = run_rule("gpu-carbon-intensity", FAILING["gpu-carbon-intensity"][0][1], {})
    assert "ap-south-1" in v.message and "708" in v.message, (
        "the message gives the region and its grid figure"
    )
    assert "eu-north-1" in v.fix, (
        "the fix points at the cleanest region that offers p5.48xlarge in the catalog"
    )


def test_a_budget_over_a_partly_unpriced_estimate_says_the_total_is_a_lower_bound() -> None:
    partial = SimpleNamespace(
        monthly_cost_usd=1000, monthly_co2e_kg=0, lines=[SimpleNamespace(monthly_cost_usd=None)]
    )
    (v,) = run_rule("budget-monthly-cost", graph(), {"max_monthly_usd": 10, "estimate": partial})
    assert "lower bound" in v.message, "an unpriced line makes the total a floor, and the message must say so"


def test_check_graph_sorts_by_severity_then_resource_and_counts_them() -> None:
    g = graph(
        res(KEY, "a-key"),  # kms-rotation: medium
        res(LT, "b-lt", {"metadataOptions": {"httpTokens": "required", "httpPutResponseHopLimit": 3}}),  # low
        res(
            INGRESS, "c-ssh", {"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "0.0.0.0/0"}
        ),  # high
    )
    report = check_graph(g)
    assert [v.severity for v in report.violations] == ["high", "medium", "low"], "most severe first"
    assert report.counts == {"high": 1, "medium": 1, "low": 1, "total": 3}
    assert report.failing("high") == report.violations[:1], "--fail-on high counts only the high one"
    doc = json.loads(json.dumps(report.to_json("medium")))
    assert doc["passed"] is False and doc["counts"]["total"] == 3 and len(doc["rules_run"]) == len(RULES)


def test_components_and_providers_are_not_checked_as_resources() -> None:
    component = PlannedResource("aiinfra:aws:ObjectBucket", "data", COMPONENT, None, {}, custom=False)
    provider = res("pulumi:providers:aws", "aws", {"region": "us-east-1"})
    report = check_graph(graph(component, provider))
    assert report.violations == [] and report.resources_checked == 0, (
        "they create no cloud resource of their own"
    )


@pytest.mark.parametrize("stack", ["example", "reserved"])
def test_the_example_stacks_pass_every_rule(stack: str) -> None:
    from aiinfra.services.stack import plan_stack

    report = check_graph(plan_stack(stack))
    assert report.violations == [], f"the {stack} stack is safe by default (README): {report.violations}"
    assert report.resources_checked > 40, "the plan was checked, not an empty graph"


def test_the_policy_package_does_not_import_pulumi() -> None:
    code = (
        "import sys, aiinfra.policy, aiinfra.policy.check, aiinfra.policy.render, aiinfra.policy.graph_rules;"
        "print([m for m in sys.modules if m.split('.')[0] in ('pulumi', 'pulumi_policy', 'pulumi_aws')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", (
        "only aiinfra.policy.pack may import pulumi (DESIGN rule 7, the estimator's rule)"
    )
