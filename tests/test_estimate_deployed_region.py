"""The region of resources in a state export whose program set no `aws:region` (it relied on AWS_REGION): the
AWS profile reads it from a regional ARN in the deployed outputs (`Aws.deployed_region`), and the estimate
uses the resource's own ARN, else the one region its provider's other deployed resources' ARNs agree on —
after the resource's and its provider's own `region` inputs, before the stack config's default."""

from __future__ import annotations

from typing import Any

import pytest

from aiinfra import clouds
from aiinfra.catalog import default_catalog
from aiinfra.clouds.aws import arn_region
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.context import Context
from aiinfra.estimate.usage import PROFILES

CATALOG = default_catalog()
AWS = clouds.get("aws")
PROVIDER = "urn:pulumi:t::p::pulumi:providers:aws::default"
PROVIDER_REF = f"{PROVIDER}::4d3c2b1a"
NAT = "aws:ec2/natGateway:NatGateway"
VPC = "aws:ec2/vpc:Vpc"


@pytest.mark.parametrize(
    ("value", "region"),
    [
        ("arn:aws:ec2:us-west-2:616138583583:vpc/vpc-047b9cb167b0dbfdc", "us-west-2"),
        ("arn:aws:eks:eu-central-1:1:cluster/c", "eu-central-1"),
        ("arn:aws-us-gov:ec2:us-gov-west-1:1:subnet/subnet-1", "us-gov-west-1"),
        ("arn:aws-cn:ec2:cn-northwest-1:1:vpc/vpc-1", "cn-northwest-1"),
        ("arn:aws:ec2:ap-southeast-5:1:vpc/vpc-1", "ap-southeast-5"),
        ("arn:aws:iam::616138583583:role/nodes", None),  # global: no region field
        ("arn:aws:s3:::my-bucket", None),
        ("arn:aws:ec2:not a region:1:vpc/vpc-1", None),
        ("vpc-047b9cb167b0dbfdc", None),
        ("", None),
        (None, None),
        ({"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "x"}, None),
    ],
)
def test_the_region_of_an_arn_is_its_fourth_field_when_it_has_one(value: Any, region: str | None) -> None:
    assert arn_region(value) == region
    assert AWS.deployed_region({"arn": value}) == region


def test_only_the_arn_output_is_read_and_other_clouds_read_none() -> None:
    assert AWS.deployed_region({"id": "arn:aws:ec2:us-west-2:1:vpc/vpc-1"}) is None
    assert AWS.deployed_region({}) is None
    for name in ("gcp", "azure"):
        assert clouds.get(name).deployed_region({"arn": "arn:aws:ec2:us-west-2:1:vpc/vpc-1"}) is None


def resource(
    type_token: str,
    name: str,
    outputs: dict[str, Any] | None = None,
    provider: str | None = PROVIDER_REF,
    **inputs: Any,
) -> PlannedResource:
    return PlannedResource(
        type=type_token,
        name=name,
        urn=f"urn:pulumi:t::p::{type_token}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
        provider=provider,
        outputs=outputs or {},
    )


def provider(**inputs: Any) -> PlannedResource:
    return PlannedResource(
        type="pulumi:providers:aws",
        name="default",
        urn=PROVIDER,
        parent=None,
        inputs={"version": "6.0.0", **inputs},
        custom=True,
        id="4d3c2b1a",
    )


def context(*resources: PlannedResource, **config: Any) -> Context:
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config=config)
    return Context(CATALOG, graph, PROFILES["training-steady"])


def arn(region: str, what: str) -> dict[str, str]:
    return {"arn": f"arn:aws:ec2:{region}:616138583583:{what}"}


def test_a_resource_without_an_arn_takes_the_region_its_providers_other_resources_were_deployed_in() -> None:
    nat = resource(NAT, "nat", {"publicIp": "52.1.2.3"})
    ctx = context(provider(), resource(VPC, "vpc", arn("us-west-2", "vpc/vpc-1")), nat)
    assert ctx.region(nat, "aws") == "us-west-2"
    assert ctx.outputs_used(nat) == {"region": "us-west-2"}, "the line will say where the region came from"


def test_its_own_arn_wins_over_its_providers_other_resources() -> None:
    vpc = resource(VPC, "vpc", arn("eu-west-1", "vpc/vpc-1"))
    ctx = context(provider(), vpc, resource(VPC, "other", arn("us-west-2", "vpc/vpc-2")))
    assert ctx.region(vpc, "aws") == "eu-west-1"


def test_providers_resources_that_disagree_give_no_region_and_the_config_decides() -> None:
    nat = resource(NAT, "nat")
    two = (
        resource(VPC, "a", arn("us-west-2", "vpc/vpc-1")),
        resource(VPC, "b", arn("eu-west-1", "vpc/vpc-2")),
    )
    assert context(provider(), *two, nat).region(nat, "aws") is None
    ctx = context(provider(), *two, nat, **{"aws:region": "ap-south-1"})
    assert ctx.region(nat, "aws") == "ap-south-1" and ctx.outputs_used(nat) == {}


def test_a_resource_that_names_its_own_region_does_not_speak_for_its_provider() -> None:
    nat = resource(NAT, "nat")
    elsewhere = resource(VPC, "far", arn("eu-west-1", "vpc/vpc-9"), region="eu-west-1")
    ctx = context(provider(), resource(VPC, "near", arn("us-west-2", "vpc/vpc-1")), elsewhere, nat)
    assert ctx.region(nat, "aws") == "us-west-2"
    assert ctx.region(elsewhere, "aws") == "eu-west-1"


def test_inputs_and_the_providers_region_come_before_deployed_outputs_and_deployed_before_config() -> None:
    vpc = resource(VPC, "vpc", arn("us-west-2", "vpc/vpc-1"))
    assert context(provider(region="us-east-2"), vpc).region(vpc, "aws") == "us-east-2"
    own = resource(VPC, "own", arn("us-west-2", "vpc/vpc-1"), region="ca-central-1")
    assert context(provider(), own).region(own, "aws") == "ca-central-1"
    ctx = context(provider(), vpc, **{"aws:region": "us-east-1"})
    assert ctx.region(vpc, "aws") == "us-west-2", "where it was deployed, not the config's default"


def test_resources_of_another_provider_say_nothing_about_this_one() -> None:
    nat = resource(NAT, "nat", provider=None)
    ctx = context(provider(), resource(VPC, "vpc", arn("us-west-2", "vpc/vpc-1")), nat)
    assert ctx.region(nat, "aws") is None


def test_an_offline_plan_has_no_outputs_and_keeps_the_config_region() -> None:
    nat = resource(NAT, "nat", provider=None)
    ctx = context(resource(VPC, "vpc", provider=None), nat, **{"aws:region": "us-east-1"})
    assert ctx.region(nat, "aws") == "us-east-1" and ctx.outputs_used(nat) == {}


def test_an_estimate_prices_a_nat_gateway_in_the_deployed_region_and_notes_it() -> None:
    nat = resource(NAT, "nat")
    graph = ResourceGraph(
        stack="t",
        project="p",
        resources=[provider(), resource(VPC, "vpc", arn("eu-west-1", "vpc/vpc-1")), nat],
    )
    hours = next(
        ln for ln in estimate(graph, CATALOG).lines if ln.resource == "nat" and ln.unit == "gateway-hours"
    )
    assert hours.region == "eu-west-1"
    assert "region = eu-west-1 from deployed outputs" in hours.assumptions
    row = CATALOG.service_price("aws", "nat-gateway", "gateway-hour", "eu-west-1")
    assert row is not None and hours.unit_price_usd == row.usd
