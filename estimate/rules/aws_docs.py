"""AWS resources that the programs of the Pulumi documentation (pulumi/docs static/programs) create and
no other rule module priced: each is priced as the AWS resource it is or creates, by handing a stand-in of
that resource to its rule.

- `aws-apigateway:index:RestAPI` (pulumi-aws-apigateway, a remote component: no children under an
  offline plan) creates one REST API with its deployment and stage (pulumi/pulumi-aws-apigateway
  provider/cmd/pulumi-resource-aws-apigateway/restAPI.ts @4a54677, read 2026-12-05): priced as
  `aws:apigateway/restApi:RestApi`, its requests from the component's usage entry. Four of the docs'
  Python programs (awsx-apigateway-*) were *not estimated* for it.
- `aws-native:stepfunctions:StateMachine` (the Cloud Control provider) is the same Step Functions state
  machine as the classic `aws:sfn/stateMachine:StateMachine`, with its kind in `stateMachineType`
  (STANDARD, the default, or EXPRESS): priced by the classic rule (aws-lambda-stepfunctions-jsonhelper).
- `aws:acm/certificate:Certificate`: a public certificate ACM issues is free ("Public SSL/TLS certificates
  provisioned through ACM are free of charge", digitaliceroom.com AWS Certificate Manager cheat sheet,
  updated 2025-06-23, read 2026-12-05); one issued by a private CA (`certificateAuthorityArn`) is billed by
  AWS Private CA, and an exportable one (`options.export: ENABLED`) per certificate: those are unpriced
  by name, the catalog having no price for them. Its `CertificateValidation` only waits for the DNS
  record: free (awsx-apigateway-custom-domain-python).
- AWS Batch (`aws:batch/*`, pulumi/pulumi-aws examples/arm64-job-definition) has no charge of its own:
  jobs pay for the EC2 or Fargate capacity its compute environments run ("Batch is free! AWS Batch only
  consumes the underlying EC2 or Fargate resources", handbook.vantage.sh/aws/services/batch-pricing,
  read 2026-12-05). Job queues, job definitions and scheduling policies are free; an UNMANAGED compute
  environment runs on instances declared (and priced) elsewhere, so it is free too; a MANAGED one is
  unpriced by name: what it runs depends on the jobs submitted, which the plan does not hold (with
  `minvCpus` above 0, that many vCPUs stay running)."""

from __future__ import annotations

from typing import Any

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import as_dict, unpriced, with_notes
from aiinfra.estimate.model import Charge, Free
from aiinfra.estimate.registry import free, rule
from aiinfra.estimate.rules import aws_integration, aws_serverless
from aiinfra.estimate.rules.common import priced, stand_in

APIGATEWAY_SOURCE = "pulumi-aws-apigateway @4a54677 restAPI.ts"
NATIVE_REGION_KEY = "aws-native:region"


@rule("aws-apigateway:index:RestAPI")
def apigateway_rest_api(r: PlannedResource, ctx: Context) -> list[Charge]:
    """The component's REST API, by the REST API rule (requests from the usage file)."""
    resource = stand_in(r, "aws:apigateway/restApi:RestApi", {})
    return with_notes(
        priced(aws_serverless.rest_api(resource, ctx)),
        [f"one REST API with its deployment and stage ({APIGATEWAY_SOURCE})"],
    )


def native_region(r: PlannedResource, ctx: Context) -> str | None:
    """Where a Cloud Control resource lives: its provider's `region`, else the stack's aws-native:region;
    None leaves it to the classic provider's config (aws:region, AWS_REGION)."""
    provider = ctx.provider(r)
    found = provider.inputs.get("region") if provider is not None else None
    if isinstance(found, str) and found:
        return found
    configured = ctx.graph.config.get(NATIVE_REGION_KEY)
    return configured if isinstance(configured, str) and configured else None


@rule("aws-native:stepfunctions:StateMachine")
def native_state_machine(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A Cloud Control state machine, by the classic rule: STANDARD transitions or EXPRESS requests and
    duration, from the usage file."""
    inputs: dict[str, Any] = {"type": r.inputs.get("stateMachineType") or "STANDARD"}
    region = native_region(r, ctx)
    if region is not None:
        inputs["region"] = region
    return priced(
        aws_integration.state_machine(stand_in(r, "aws:sfn/stateMachine:StateMachine", inputs), ctx)
    )


@rule("aws:acm/certificate:Certificate")
def acm_certificate(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """Free when public; a private CA's or an exportable certificate is unpriced by name."""
    if r.inputs.get("certificateAuthorityArn"):
        return [
            unpriced(
                f"private certificate {r.name}",
                "certificates",
                "issued by an AWS Private CA, which bills each certificate (and the CA itself, where "
                "declared); the catalog has no Private CA price",
            )
        ]
    if str(as_dict(r.inputs.get("options")).get("export", "")).upper() == "ENABLED":
        return [
            unpriced(
                f"exportable public certificate {r.name}",
                "certificates",
                "an exportable ACM certificate is billed when issued and renewed; the catalog has no price "
                "for it",
            )
        ]
    return Free("public ACM certificate: no charge (the services that use it are priced)")


free(
    "certificate validation: waits for the DNS or e-mail validation of an ACM certificate, no resource",
    "aws:acm/certificateValidation:CertificateValidation",
)


free(
    "AWS Batch queue, job definition or scheduling policy: no charge of its own (jobs pay for the compute "
    "their compute environment runs)",
    "aws:batch/jobQueue:JobQueue",
    "aws:batch/jobDefinition:JobDefinition",
    "aws:batch/schedulingPolicy:SchedulingPolicy",
)


@rule("aws:batch/computeEnvironment:ComputeEnvironment")
def batch_compute_environment(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """Free when UNMANAGED; a MANAGED environment's capacity is unpriced by name (jobs decide it)."""
    if str(r.inputs.get("type") or "").upper() == "UNMANAGED":
        return Free(
            "unmanaged AWS Batch compute environment: its instances are declared and priced elsewhere"
        )
    resources = as_dict(r.inputs.get("computeResources"))
    kind = str(resources.get("type") or "EC2").upper()
    floor = resources.get("minVcpus")
    kept = (
        f"; minvCpus {floor}: that many vCPUs stay running"
        if isinstance(floor, (int, float)) and floor
        else ""
    )
    return [
        unpriced(
            f"{kind} capacity of AWS Batch compute environment {r.name}",
            "vCPU-hours",
            "AWS Batch is free; the jobs pay for the capacity it launches, which depends on the jobs "
            f"submitted (how many, how large, how long), not in the plan{kept}",
        )
    ]
