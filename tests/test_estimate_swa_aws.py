"""Network Firewall, CloudFront, DocumentDB and awsx ECR (estimate/rules/aws_network.py, aws_docdb.py,
components.py), as jaxxstorm/pulumi-examples and pulumi/workshops programs declare them: each line's quantity
and the catalog row's unit price; usage-priced lines unpriced without the usage key, naming it; free types
listed free, and each a real pulumi-aws token."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.model import HOURS_PER_MONTH, Estimate
from aiinfra.estimate.rules import aws_docdb, aws_network
from aiinfra.estimate.usage import ResourceUsage, UsageFile
from tests.conftest import line

D = Decimal
CATALOG = default_catalog()
USAGE_PATH = "stacks/usage.t.yaml"


def res(type_token: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_token,
        name=name,
        urn=f"urn:pulumi:t::p::{type_token}::{name}",
        parent=None,
        inputs=inputs,
        custom=not type_token.startswith("awsx:"),
        remote=type_token.startswith("awsx:"),
    )


def run(*resources: PlannedResource, region: str = "us-east-1", **usage: dict[str, Any]) -> Estimate:
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config={"aws:region": region})
    file = UsageFile(resources={k: ResourceUsage.model_validate(v) for k, v in usage.items()})
    return estimate(graph, CATALOG, usage=file, usage_path=USAGE_PATH)


def price(service: str, item: str, region: str = "us-east-1") -> Decimal:
    row = CATALOG.service_price("aws", service, item, region)
    assert row is not None and row.usd is not None, f"the catalog prices {service} {item} in {region}"
    return row.usd


FIREWALL = "aws:networkfirewall/firewall:Firewall"
CDN = "aws:cloudfront/distribution:Distribution"
DOCDB = "aws:docdb/cluster:Cluster"
DOCDB_INSTANCE = "aws:docdb/clusterInstance:ClusterInstance"


# -- Network Firewall ------------------------------------------------------------------------------------------


def test_a_firewall_is_an_endpoint_per_mapped_subnet_every_hour_and_the_gb_it_processes() -> None:
    mappings = [{"subnetId": "subnet-a"}, {"subnetId": "subnet-b"}]
    result = run(res(FIREWALL, "inspect", subnetMappings=mappings), inspect={"dataProcessedGB": 200})
    hours = line(result, "inspect", "endpoint-hours")
    assert hours.quantity == 2 * HOURS_PER_MONTH
    assert hours.monthly_cost_usd == 2 * HOURS_PER_MONTH * price("network-firewall", "endpoint-hour")
    assert price("network-firewall", "endpoint-hour") == D("0.395"), (
        "the Infracost golden figure, $288.35/730"
    )
    assert "2 endpoints" in hours.description and hours.assumptions == ()
    data = line(result, "inspect", "GB")
    assert data.monthly_cost_usd == 200 * price("network-firewall", "gb-processed") == D("13.000")


def test_a_firewall_whose_subnets_are_unknown_is_one_endpoint_said_so_and_its_traffic_names_the_key() -> None:
    result = run(res(FIREWALL, "inspect"), region="eu-west-1")
    hours = line(result, "inspect", "endpoint-hours")
    assert hours.quantity == HOURS_PER_MONTH and hours.monthly_cost_usd is not None
    assert any("one endpoint" in a for a in hours.assumptions)
    data = line(result, "inspect", "GB")
    assert data.monthly_cost_usd is None
    assert data.reason == f"data processed unknown: set dataProcessedGB for inspect in {USAGE_PATH}"


# -- CloudFront -----------------------------------------------------------------------------------------------


def test_a_distribution_is_its_data_out_and_https_requests_at_the_us_rates() -> None:
    result = run(res(CDN, "site"), site={"dataProcessedGB": 500, "requestsMillions": 2})
    out = line(result, "site", "GB")
    assert out.monthly_cost_usd == 500 * price("cloudfront", "us-data-out-gb") == D("42.500")
    requests = line(result, "site", "10k requests")
    assert requests.quantity == 200, "2 million requests are 200 × 10k"
    assert requests.monthly_cost_usd == 200 * price("cloudfront", "us-https-request-10k")
    assert all(any("United States" in a for a in ln.assumptions) for ln in (out, requests))


def test_a_distribution_without_usage_costs_nothing_known_and_names_both_keys() -> None:
    result = run(res(CDN, "site"))
    reasons = sorted(u.reason for u in result.unpriced)
    assert reasons == [
        f"data served unknown: set dataProcessedGB for site in {USAGE_PATH}",
        f"requests unknown: set requestsMillions for site in {USAGE_PATH}",
    ]
    assert result.monthly_cost_usd == 0 and result.unsupported == []


# -- DocumentDB -------------------------------------------------------------------------------------------------


def test_a_docdb_cluster_is_its_storage_and_io_from_the_usage_file() -> None:
    result = run(res(DOCDB, "db", engine="docdb"), db={"storageGiB": 50, "ioRequestsMillions": 10})
    storage = line(result, "db", "GB-months")
    assert storage.monthly_cost_usd == 50 * price("docdb", "storage-gb-month") == D("5.00")
    io = line(result, "db", "million I/O requests")
    assert io.monthly_cost_usd == 10 * price("docdb", "io-request-million") == D("2.00")
    assert any("instances" in a for a in storage.assumptions), "compute is said to be on the instances"


def test_an_io_optimized_cluster_has_no_io_line_and_a_cluster_without_usage_names_its_keys() -> None:
    result = run(res(DOCDB, "fast", storageType="iopt1"), res(DOCDB, "plain"))
    assert [ln.unit for ln in result.lines if ln.resource == "fast"] == ["GB-months"]
    assert sorted(u.reason for u in result.unpriced) == [
        f"I/O requests unknown: set ioRequestsMillions for plain in {USAGE_PATH}",
        f"stored amount unknown: set storageGiB for fast in {USAGE_PATH}",
        f"stored amount unknown: set storageGiB for plain in {USAGE_PATH}",
    ]


def test_a_docdb_instance_is_its_class_every_hour_and_a_class_without_a_row_names_the_row() -> None:
    result = run(
        res(DOCDB_INSTANCE, "one", instanceClass="db.t3.medium"),
        res(DOCDB_INSTANCE, "two", instanceClass="db.r6g.large"),
    )
    one = line(result, "one", "instance-hours")
    assert one.monthly_cost_usd == HOURS_PER_MONTH * price("docdb", "db.t3.medium-hour") == D("56.940")
    two = line(result, "two", "instance-hours")
    assert two.monthly_cost_usd is None
    assert "service: docdb, item: db.r6g.large-hour" in two.reason


def test_a_docdb_instance_outside_the_regions_priced_is_unpriced_not_guessed() -> None:
    result = run(res(DOCDB_INSTANCE, "one", instanceClass="db.t3.medium"), region="ap-south-1")
    assert line(result, "one", "instance-hours").monthly_cost_usd is None


# -- awsx ECR ----------------------------------------------------------------------------------------------------


def test_an_awsx_repository_is_its_image_storage_and_an_awsx_image_is_free() -> None:
    result = run(
        res("awsx:ecr:Repository", "repo"),
        res("awsx:ecr:Image", "image", repositoryUrl="x", context="./app"),
        repo={"storageGiB": 4},
    )
    storage = line(result, "repo", "GB-months")
    assert storage.monthly_cost_usd == 4 * price("ecr", "storage-gb-month")
    assert any("one ECR repository" in a for a in storage.assumptions)
    assert [f.resource for f in result.free] == ["image"] and result.unsupported == []


# -- free types --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("listed", [aws_network.FREE_TYPES, aws_docdb.FREE_TYPES])
def test_every_type_listed_free_is_a_real_pulumi_aws_token(listed: list[str]) -> None:
    import pulumi_aws

    root = Path(pulumi_aws.__file__).parent
    missing = []
    for token in listed:
        module, kind = token.split(":")[1].split("/")
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", kind).lower()
        if f'"{token}"' not in (root / module / f"{snake}.py").read_text():
            missing.append(token)
    assert missing == [] and listed


def test_peering_records_identities_and_firewall_policies_are_free_not_unsupported() -> None:
    tokens = [
        "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
        "aws:route53/record:Record",
        "aws:ses/domainIdentity:DomainIdentity",
        "aws:networkfirewall/firewallPolicy:FirewallPolicy",
        "aws:cloudfront/originAccessIdentity:OriginAccessIdentity",
        "aws:docdb/subnetGroup:SubnetGroup",
    ]
    result = run(*(res(t, f"r{i}") for i, t in enumerate(tokens)))
    assert len(result.free) == len(tokens) and result.unsupported == [] and result.lines == []
