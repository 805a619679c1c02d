"""estimate/rules/aws_docs.py: a pulumi-aws-apigateway RestAPI (a remote component) is its REST API's
requests, and a Cloud Control (aws-native) state machine is priced as the classic one, each amount at the
catalog's row; without usage each line is unpriced naming the key. pulumi/docs awsx-apigateway-* and
aws-lambda-stepfunctions-jsonhelper-python were *not estimated* for them before."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.model import Estimate
from aiinfra.estimate.usage import ResourceUsage, UsageFile
from tests.conftest import line

D = Decimal
CATALOG = default_catalog()
USAGE_PATH = "stacks/usage.t.yaml"
REST_API = "aws-apigateway:index:RestAPI"
NATIVE_SFN = "aws-native:stepfunctions:StateMachine"


def res(type_token: str, name: str, provider: str | None = None, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_token,
        name=name,
        urn=f"urn:pulumi:t::p::{type_token}::{name}",
        parent=None,
        inputs=inputs,
        custom=type_token != REST_API,
        provider=provider,
        remote=type_token == REST_API,
    )


def run(
    *resources: PlannedResource, config: dict[str, str] | None = None, **usage: dict[str, Any]
) -> Estimate:
    graph = ResourceGraph(
        stack="t", project="p", resources=list(resources), config=config or {"aws:region": "us-east-1"}
    )
    file = UsageFile(resources={k: ResourceUsage.model_validate(v) for k, v in usage.items()})
    return estimate(graph, CATALOG, usage=file, usage_path=USAGE_PATH)


def price(service: str, item: str, region: str) -> Decimal:
    row = CATALOG.service_price("aws", service, item, region)
    assert row is not None and row.usd is not None, f"the catalog prices {service} {item} in {region}"
    return row.usd


def test_a_rest_api_component_is_its_rest_api_requests() -> None:
    result = run(res(REST_API, "api", routes=[{"path": "/", "method": "GET"}]), api={"requestsMillions": 3})
    requests = line(result, "api", "million requests")
    assert requests.type == REST_API
    assert requests.monthly_cost_usd == 3 * price("api-gateway", "rest-request-million", "us-east-1")
    assert requests.description == "API Gateway REST API requests"
    assert "one REST API with its deployment and stage (pulumi-aws-apigateway @4a54677 restAPI.ts)" in (
        requests.assumptions
    )
    assert len(result.lines) == 1 and result.unsupported == [] and result.unpriced == []


def test_a_rest_api_component_without_usage_is_unpriced_naming_the_key() -> None:
    result = run(res(REST_API, "api"))
    requests = line(result, "api", "million requests")
    assert requests.monthly_cost_usd is None and "set requestsMillions for api" in requests.reason
    assert [(s.resource, s.type) for s in result.unpriced] == [("api", REST_API)]
    assert result.unsupported == []


def test_a_native_express_state_machine_is_priced_as_the_classic_one() -> None:
    usage = {"requestsMillions": 10, "instanceSeconds": 720_000, "memoryMB": 100}
    result = run(res(NATIVE_SFN, "flow", stateMachineType="EXPRESS"), flow=usage)
    requests = line(result, "flow", "million requests")
    assert requests.type == NATIVE_SFN
    assert requests.monthly_cost_usd == 10 * price("step-functions", "express-request-million", "us-east-1")
    duration = line(result, "flow", "GB-hours")
    assert duration.quantity == D(25), "720,000 s at 128 MB (100 MB rounded up to 64 MB steps)"
    assert duration.monthly_cost_usd == 25 * price("step-functions", "express-gb-hour", "us-east-1")


def test_a_native_state_machine_defaults_to_standard_and_takes_the_native_region() -> None:
    config = {"aws-native:region": "eu-west-1"}
    result = run(res(NATIVE_SFN, "flow"), config=config, flow={"transitionsMillions": 2})
    transitions = line(result, "flow", "thousand state transitions")
    assert transitions.region == "eu-west-1"
    assert transitions.monthly_cost_usd == 2000 * price(
        "step-functions", "state-transition-thousand", "eu-west-1"
    )
    assert len(result.lines) == 1, "a Standard workflow has no request or duration line"


def test_a_native_state_machine_takes_its_providers_region_over_the_config() -> None:
    provider_urn = "urn:pulumi:t::p::pulumi:providers:aws-native::west"
    provider = PlannedResource(
        type="pulumi:providers:aws-native",
        name="west",
        urn=provider_urn,
        parent=None,
        inputs={"region": "us-west-2"},
        custom=True,
    )
    flow = res(NATIVE_SFN, "flow", provider=f"{provider_urn}::west-id")
    result = run(provider, flow, config={"aws-native:region": "eu-west-1"}, flow={"transitionsMillions": 1})
    assert line(result, "flow", "thousand state transitions").region == "us-west-2"


def test_a_native_state_machine_without_a_native_region_falls_back_to_aws_region() -> None:
    result = run(res(NATIVE_SFN, "flow"), config={"aws:region": "us-east-2"}, flow={"transitionsMillions": 1})
    assert line(result, "flow", "thousand state transitions").region == "us-east-2"


ACM = "aws:acm/certificate:Certificate"


def test_a_public_acm_certificate_and_its_validation_are_free() -> None:
    result = run(
        res(ACM, "cert", domainName="example.com", validationMethod="DNS"),
        res("aws:acm/certificateValidation:CertificateValidation", "check", certificateArn="arn:x"),
    )
    assert result.lines == [] and result.unpriced == [] and result.unsupported == []
    assert sorted((f.resource, f.reason) for f in result.free) == [
        ("cert", "public ACM certificate: no charge (the services that use it are priced)"),
        (
            "check",
            "certificate validation: waits for the DNS or e-mail validation of an ACM certificate, no resource",
        ),
    ]


def test_a_private_or_exportable_certificate_is_unpriced_by_name() -> None:
    result = run(
        res(
            ACM,
            "internal",
            domainName="a.internal",
            certificateAuthorityArn="arn:aws:acm-pca:us-east-1:1:ca/x",
        ),
        res(ACM, "portable", domainName="example.com", options={"export": "ENABLED"}),
        res(ACM, "plain", domainName="example.com", options={"export": "DISABLED"}),
    )
    assert sorted((u.resource, u.reason.split(",")[0]) for u in result.unpriced) == [
        ("internal", "issued by an AWS Private CA"),
        (
            "portable",
            "an exportable ACM certificate is billed when issued and renewed; the catalog has no price for it",
        ),
    ]
    assert line(result, "internal", "certificates").description == "private certificate internal"
    assert [f.resource for f in result.free] == ["plain"]


def test_aws_batch_is_free_and_a_managed_environment_s_capacity_is_unpriced_by_name() -> None:
    result = run(
        res("aws:batch/jobQueue:JobQueue", "queue", priority=10),
        res("aws:batch/jobDefinition:JobDefinition", "job", type="container"),
        res("aws:batch/computeEnvironment:ComputeEnvironment", "own", type="UNMANAGED"),
        res(
            "aws:batch/computeEnvironment:ComputeEnvironment",
            "fargate",
            type="MANAGED",
            computeResources={"type": "FARGATE", "maxVcpus": 10},
        ),
        res(
            "aws:batch/computeEnvironment:ComputeEnvironment",
            "warm",
            type="MANAGED",
            computeResources={"type": "EC2", "minVcpus": 4, "maxVcpus": 16},
        ),
    )
    assert sorted(f.resource for f in result.free) == ["job", "own", "queue"]
    assert result.unsupported == [] and result.monthly_cost_usd == 0
    fargate = line(result, "fargate", "vCPU-hours")
    assert fargate.description == "FARGATE capacity of AWS Batch compute environment fargate"
    assert fargate.monthly_cost_usd is None and fargate.reason.endswith("not in the plan")
    warm = line(result, "warm", "vCPU-hours")
    assert warm.reason.endswith("not in the plan; minvCpus 4: that many vCPUs stay running")
