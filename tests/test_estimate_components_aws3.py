"""awsx's TargetGroupAttachment (free) and pulumi-aws-quickstart-vpc's Vpc (its NAT gateways and Elastic IPs,
one per zone with a public subnet) as estimate/rules/components.py prices them, seen through `estimate` on
hand-built graphs of remote components. Prices come from the catalog rows the AWS rules read."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.model import HOURS_PER_MONTH
from tests.conftest import line

CATALOG = default_catalog()
REGION = "us-west-2"
QUICKSTART = "aws-quickstart-vpc:index:Vpc"
SOURCE = "pulumi-aws-quickstart-vpc @2523b35 provider/pkg/provider/vpc.go"


def component(type_: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_,
        name=name,
        urn=f"urn:pulumi:t::p::{type_}::{name}",
        parent=None,
        inputs=inputs,
        custom=False,
        remote=True,
    )


def run(*resources: PlannedResource) -> Estimate:
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config={"aws:region": REGION})
    return estimate(graph, CATALOG)


def zone(name: str, public: str | None = "10.0.128.0/20") -> dict[str, Any]:
    entry: dict[str, Any] = {"availabilityZone": name, "privateSubnetACidr": "10.0.0.0/19"}
    if public:
        entry["publicSubnetCidr"] = public
    return entry


def single(kind: str, unit: str) -> Decimal:
    """The one-resource hourly price an AWS rule gives a plain NAT gateway or Elastic IP in REGION."""
    plain = run(PlannedResource(kind, "x", f"urn:pulumi:t::p::{kind}::x", None, {}, custom=True))
    price = line(plain, "x", unit).unit_price_usd
    assert price is not None, f"{kind} priced in {REGION}"
    return price


# -- awsx TargetGroupAttachment ---------------------------------------------------------------------------------


def test_an_awsx_target_group_attachment_is_free_with_its_reason() -> None:
    result = run(component("awsx:lb:TargetGroupAttachment", "att", targetGroup="tg", lambdaArn="arn:fn"))
    assert result.lines == [] and result.unsupported == []
    assert [(f.resource, f.reason) for f in result.free] == [
        (
            "att",
            "awsx target group attachment: registers an instance or Lambda function with a target group (and, "
            "for a function, a Lambda permission); no charge (the load balancer and its targets are priced "
            "apart)",
        )
    ]


# -- pulumi-aws-quickstart-vpc Vpc ------------------------------------------------------------------------------


def test_a_quickstart_vpc_has_a_nat_gateway_and_elastic_ip_per_public_zone() -> None:
    result = run(
        component(
            QUICKSTART,
            "qs",
            cidrBlock="10.0.0.0/16",
            availabilityZoneConfig=[zone("us-west-2a"), zone("us-west-2b"), zone("us-west-2c", public=None)],
        )
    )
    gateways = line(result, "qs", "gateway-hours")
    assert gateways.quantity == 2 * HOURS_PER_MONTH
    assert gateways.description.startswith("2 × ") and gateways.description.endswith("(quickstart Vpc)")
    assert gateways.monthly_cost_usd == 2 * HOURS_PER_MONTH * single(
        "aws:ec2/natGateway:NatGateway", "gateway-hours"
    )
    ips = line(result, "qs", "IP-hours")
    assert ips.quantity == 2 * HOURS_PER_MONTH
    assert ips.monthly_cost_usd == 2 * HOURS_PER_MONTH * single("aws:ec2/eip:Eip", "IP-hours")
    assert (
        f"one NAT gateway and Elastic IP per zone with a public subnet: 2 ({SOURCE})" in gateways.assumptions
    )
    assert "its VPC flow logs' CloudWatch Logs ingestion is not priced" in ips.assumptions
    assert sorted(ln.unit for ln in result.lines if ln.resource == "qs") == [
        "GB processed",
        "IP-hours",
        "gateway-hours",
    ]
    assert result.unsupported == [] and result.free == []


def test_flow_logs_off_drops_that_note() -> None:
    result = run(component(QUICKSTART, "qs", availabilityZoneConfig=[zone("a")], createFlowLogs=False))
    hours = line(result, "qs", "gateway-hours")
    assert hours.quantity == HOURS_PER_MONTH
    assert not any("flow logs" in a for a in hours.assumptions)


def test_no_nat_gateways_when_turned_off_or_no_public_subnet() -> None:
    result = run(
        component(QUICKSTART, "off", availabilityZoneConfig=[zone("a"), zone("b")], createNatGateways=False),
        component(QUICKSTART, "nopub", availabilityZoneConfig=[zone("a")], createPublicSubnets=False),
        component(QUICKSTART, "private", availabilityZoneConfig=[zone("a", public=None)]),
        component(QUICKSTART, "empty"),
    )
    assert result.lines == []
    reason = (
        "quickstart Vpc without NAT gateways (no zone with a public subnet, or createNatGateways / "
        "createPublicSubnets false): the VPC, subnets, routes and internet gateway cost nothing"
    )
    assert sorted((f.resource, f.reason) for f in result.free) == [
        ("empty", reason),
        ("nopub", reason),
        ("off", reason),
        ("private", reason),
    ]


def test_quickstart_is_priced_as_awsx_vpc_prices_the_same_gateways() -> None:
    """Same NAT gateway and Elastic IP charges as an awsx Vpc of as many zones."""
    qs = run(component(QUICKSTART, "n", availabilityZoneConfig=[zone("a"), zone("b"), zone("c")]))
    awsx = run(component("awsx:ec2:Vpc", "n", numberOfAvailabilityZones=3))
    for unit in ("gateway-hours", "IP-hours"):
        assert line(qs, "n", unit).monthly_cost_usd == line(awsx, "n", unit).monthly_cost_usd
