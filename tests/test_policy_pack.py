"""The CrossGuard pack: each rule becomes one policy, the adapters turn pulumi_policy's arguments (built
here from the real classes, props wrapped in its unknown-checking proxy as the engine sends them) into the
rules' inputs, and `report_violation` is called for a failing resource and not for a passing one."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any
from unittest.mock import MagicMock

import pytest
import yaml
from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

from aiinfra.engine.graph import make_urn
from aiinfra.policy import RULES
from aiinfra.policy.pack import PACK_NAME, build_policies, graph_from_stack_args, plain
from tests.conftest import ROOT

STACK_URN = make_urn("dev", "aiinfra", "pulumi:pulumi:Stack", "aiinfra-dev")
PROVIDER_URN = make_urn("dev", "aiinfra", "pulumi:providers:aws", "default_7_0_0")


def opts(protect: bool = False, parent: str | None = STACK_URN) -> PolicyResourceOptions:
    return PolicyResourceOptions(protect, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], parent)


def resource_args(
    type_: str, name: str, props: dict[str, Any], *, protect: bool = False
) -> ResourceValidationArgs:
    return ResourceValidationArgs(
        type_,
        unknown_checking_proxy(props),
        make_urn("dev", "aiinfra", type_, name),
        name,
        opts(protect),
        None,
    )


def policy(name: str) -> Any:
    return next(p for p in build_policies() if p.name == name)


def stack_resource(type_: str, name: str, props: dict[str, Any], *, protect: bool = False) -> PolicyResource:
    provider = PolicyProviderResource(
        "pulumi:providers:aws",
        unknown_checking_proxy({"region": "ap-south-1"}),
        PROVIDER_URN,
        "default_7_0_0",
    )
    return PolicyResource(
        type_,
        unknown_checking_proxy(props),
        make_urn("dev", "aiinfra", type_, name),
        name,
        opts(protect),
        provider,
        None,
        [],
        {},
    )


def stack_args(*resources: PolicyResource, config: dict[str, Any] | None = None) -> StackValidationArgs:
    root = PolicyResource(
        "pulumi:pulumi:Stack", {}, STACK_URN, "aiinfra-dev", opts(parent=None), None, None, [], {}
    )
    for r in resources:
        r.parent = root
    return StackValidationArgs([root, *resources], config)


def test_the_pack_registers_one_policy_per_rule_with_its_severity() -> None:
    policies = build_policies()
    assert [p.name for p in policies] == [r.id for r in RULES], "one policy per rule, named by the rule id"
    for p, rule in zip(policies, RULES, strict=True):
        kind = ResourceValidationPolicy if rule.kind == "resource" else StackValidationPolicy
        assert isinstance(p, kind), f"{rule.id}: a {rule.kind} rule becomes a {kind.__name__}"
        assert p.severity is not None and p.severity.value == rule.severity, f"{rule.id} keeps its severity"
        expected = EnforcementLevel.ADVISORY if rule.severity == "low" else EnforcementLevel.MANDATORY
        assert p.enforcement_level is expected, "low findings advise, medium and high block `pulumi up`"


def test_a_resource_policy_reports_a_failing_resource_and_not_a_passing_one() -> None:
    imds = policy("imdsv2-required")
    report = MagicMock()
    imds.validate(
        resource_args(
            "aws:ec2/launchTemplate:LaunchTemplate", "lt", {"metadataOptions": {"httpTokens": "optional"}}
        ),
        report,
    )
    report.assert_called_once()
    assert "IMDSv1" in report.call_args.args[0] and "CKV_AWS_79" in report.call_args.args[0], (
        "message, fix and Checkov ID"
    )
    report = MagicMock()
    imds.validate(
        resource_args(
            "aws:ec2/launchTemplate:LaunchTemplate", "lt", {"metadataOptions": {"httpTokens": "required"}}
        ),
        report,
    )
    report.assert_not_called()


@pytest.mark.parametrize(
    ("name", "type_", "failing", "passing", "finding"),
    [
        (
            "gke-private-nodes",
            "gcp:container/cluster:Cluster",
            {"privateClusterConfig": {"enablePrivateNodes": False}},
            {"privateClusterConfig": {"enablePrivateNodes": True}},
            "CKV_GCP_64",
        ),
        (
            "gcp-firewall-open-admin-ingress",
            "gcp:compute/firewall:Firewall",
            {"sourceRanges": ["0.0.0.0/0"], "allows": [{"protocol": "tcp", "ports": ["22"]}]},
            {"sourceRanges": ["10.0.0.0/8"], "allows": [{"protocol": "tcp", "ports": ["22"]}]},
            "CKV_GCP_2",
        ),
        (
            "aks-local-accounts",
            "azure-native:containerservice:ManagedCluster",
            {"disableLocalAccounts": False},
            {"disableLocalAccounts": True},
            "CKV_AZURE_141",
        ),
        (
            "nsg-open-admin-ingress",
            "azure-native:network:SecurityRule",
            {
                "direction": "Inbound",
                "access": "Allow",
                "protocol": "Tcp",
                "sourceAddressPrefix": "Internet",
                "destinationPortRange": "3389",
            },
            {
                "direction": "Inbound",
                "access": "Allow",
                "protocol": "Tcp",
                "sourceAddressPrefix": "VirtualNetwork",
                "destinationPortRange": "3389",
            },
            "CKV_AZURE_9",
        ),
    ],
)
def test_gcp_and_azure_policies_report_through_the_same_adapter(
    name: str, type_: str, failing: dict[str, Any], passing: dict[str, Any], finding: str
) -> None:
    report = MagicMock()
    policy(name).validate(resource_args(type_, "r", failing), report)
    report.assert_called_once()
    assert finding in report.call_args.args[0] and "Fix:" in report.call_args.args[0]
    report = MagicMock()
    policy(name).validate(resource_args(type_, "r", passing), report)
    report.assert_not_called()


def test_a_resource_policy_reads_protect_from_the_resource_options() -> None:
    keep = policy("storage-deletion-protection")
    report = MagicMock()
    keep.validate(resource_args("aws:s3/bucket:Bucket", "b", {}, protect=False), report)
    report.assert_called_once()
    report = MagicMock()
    keep.validate(resource_args("aws:s3/bucket:Bucket", "b", {}, protect=True), report)
    report.assert_not_called()


def test_an_unknown_value_in_preview_is_not_reported_and_does_not_raise() -> None:
    report = MagicMock()
    args = resource_args(
        "aws:ec2/launchTemplate:LaunchTemplate",
        "lt",
        {"metadataOptions": {"httpTokens": UNKNOWN_STRING_VALUE}},
    )
    policy("imdsv2-required").validate(args, report)  # the proxy raises on the unknown; the adapter must not
    report.assert_not_called()
    assert plain(args.props) == {"metadataOptions": {"httpTokens": "<unknown until created>"}}


def test_a_resource_policy_ignores_types_its_rule_does_not_read() -> None:
    report = MagicMock()
    policy("kms-rotation").validate(resource_args("aws:s3/bucket:Bucket", "b", {}), report)
    report.assert_not_called()


def test_a_stack_policy_reports_a_bucket_without_a_public_access_block_on_its_urn() -> None:
    bucket = stack_resource("aws:s3/bucket:Bucket", "b", {}, protect=True)
    report = MagicMock()
    policy("s3-public-access-block").validate(stack_args(bucket), report)
    report.assert_called_once()
    assert report.call_args.args[1] == bucket.urn, "a stack policy attaches the finding to the bucket"

    block = stack_resource(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "b-pab",
        {
            "bucket": "b-id",
            "blockPublicAcls": True,
            "blockPublicPolicy": True,
            "ignorePublicAcls": True,
            "restrictPublicBuckets": True,
        },
    )
    report = MagicMock()
    policy("s3-public-access-block").validate(
        stack_args(stack_resource("aws:s3/bucket:Bucket", "b", {}), block), report
    )
    report.assert_not_called()


def test_the_stack_graph_keeps_parents_and_finds_regions_through_the_provider() -> None:
    pool = stack_resource("aws:eks/nodeGroup:NodeGroup", "gpu", {"instanceTypes": ["p5.48xlarge"]})
    graph = graph_from_stack_args(stack_args(pool))
    assert [r.type for r in graph.resources] == ["aws:eks/nodeGroup:NodeGroup", "pulumi:providers:aws"], (
        "the stack root is left out and the pool's provider is added, as in every graph"
    )
    assert graph.resources[0].parent is None and graph.stack == "dev", "children of the root sit at the top"
    report = MagicMock()
    policy("gpu-carbon-intensity").validate(stack_args(pool), report)
    report.assert_called_once()
    assert "ap-south-1" in report.call_args.args[0], "the region came from the provider's props"
    report = MagicMock()
    policy("gpu-carbon-intensity").validate(stack_args(pool, config={"carbonThresholdGPerKwh": 800}), report)
    report.assert_not_called()  # the policy's config raised the threshold above ap-south-1's grid


def test_a_budget_policy_checks_only_when_its_figure_is_configured() -> None:
    pool = stack_resource(
        "aws:eks/nodeGroup:NodeGroup",
        "gpu",
        {"instanceTypes": ["p5.48xlarge"], "scalingConfig": {"desiredSize": 2, "minSize": 2, "maxSize": 2}},
    )
    report = MagicMock()
    policy("budget-monthly-cost").validate(stack_args(pool), report)
    report.assert_not_called()
    policy("budget-monthly-cost").validate(stack_args(pool, config={"maxMonthlyUsd": 100}), report)
    report.assert_called_once()
    assert len(report.call_args.args) == 1, "a budget is the stack's finding, not one resource's"
    assert "or raise maxMonthlyUsd in the policy's config." in report.call_args.args[0], (
        "the pack's own setting"
    )


def test_the_pack_module_constructs_its_policy_pack(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """`PolicyPack(...)` starts a gRPC server and serves the Pulumi engine until killed. A stand-in server
    and a serve loop that ends at once let the real constructor (its checks of the name and of every
    policy) run without an engine; then the module really is what `pulumi up --policy-pack` runs."""
    import pulumi_policy.policy as sdk

    class Server:
        def add_insecure_port(self, address: str) -> int:
            return 50051

        def __getattr__(self, _name: str) -> Any:
            return lambda *a, **k: None

    def stop(_seconds: float) -> None:
        raise KeyboardInterrupt

    built: list[Any] = []
    real = sdk._PolicyAnalyzerServicer

    def servicer(name: str, version: str, policies: list[Any], *rest: Any) -> Any:
        built.append((name, policies))
        return real(name, version, policies, *rest)

    monkeypatch.setattr(sdk.grpc, "server", lambda *a, **k: Server())
    monkeypatch.setattr(sdk.time, "sleep", stop)
    monkeypatch.setattr(sdk, "_PolicyAnalyzerServicer", servicer)
    runpy.run_module("aiinfra.policy.__main__", run_name="__main__")
    assert capfd.readouterr().out.strip() == "50051", "the pack announces its port to the engine on stdout"
    ((name, policies),) = built
    assert name == PACK_NAME and [p.name for p in policies] == [r.id for r in RULES]


def test_the_policy_project_file_runs_the_pack_in_the_repository_virtualenv() -> None:
    project = yaml.safe_load((ROOT / "policy" / "PulumiPolicy.yaml").read_text(encoding="utf-8"))
    assert project["runtime"]["name"] == "python", "the pack is a Python policy pack"
    venv = Path(project["runtime"]["options"]["virtualenv"])
    assert (ROOT / "policy" / venv / "bin").is_dir() or (ROOT / "policy" / venv / "Scripts").is_dir(), (
        "the virtualenv path is relative to policy/ and must point at the repository's .venv (uv sync)"
    )
    assert (ROOT / "policy" / "__main__.py").is_file(), "Pulumi runs the pack directory's __main__.py"
