"""AWS network edges real programs declare beside their VPCs (jaxxstorm/pulumi-examples, pulumi/workshops
aws-advanced-networking): Network Firewall, CloudFront, and the types that cost nothing by themselves.

A Network Firewall is billed per endpoint-hour, one endpoint per subnet it maps (one per Availability Zone),
plus the GB its endpoints process (usage `dataProcessedGB`). A CloudFront distribution bills only traffic:
data out to viewers and requests, from the usage file (`dataProcessedGB`, `requestsMillions`); both are
priced at the United States / Mexico / Canada first-10-TB rates, which the line says. Firewall policies and
rule groups, VPC peering, Route 53 records, SES identities and CloudFront origin identities bill nothing
themselves. Prices are `service_prices` rows of catalog/data/aws/services.yaml."""

from __future__ import annotations

import functools
from decimal import Decimal

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import as_list
from aiinfra.estimate.model import HOURS_PER_MONTH, Charge
from aiinfra.estimate.registry import free_listed, rule
from aiinfra.estimate.rules.common import item_charge, missing_usage, noted, usage_amount

CLOUD = "aws"

_charge = functools.partial(item_charge, cloud=CLOUD)

FREE_TYPES: list[str] = []
"""Every type this file lists as free (tests check each is a real pulumi-aws token)."""


@rule("aws:networkfirewall/firewall:Firewall")
def network_firewall(r: PlannedResource, ctx: Context) -> list[Charge]:
    """An endpoint per mapped subnet, every hour, and the GB the endpoints process."""
    mapped = len(as_list(r.inputs.get("subnetMappings")))
    endpoints = mapped or 1
    shape = f"{endpoints} endpoint{'s' if endpoints != 1 else ''}"
    lines = [
        _charge(
            r,
            ctx,
            "network-firewall",
            "endpoint-hour",
            Decimal(endpoints) * HOURS_PER_MONTH,
            "endpoint-hours",
            f"Network Firewall: {shape} (one per mapped subnet)",
        ),
        _charge(
            r,
            ctx,
            "network-firewall",
            "gb-processed",
            usage_amount(ctx.usage_for(r).data_processed_gb),
            "GB",
            "Network Firewall data processed",
            missing_usage(ctx, r, "data processed", "dataProcessedGB"),
        ),
    ]
    if mapped:
        return lines
    return [noted(lines[0], "one endpoint: the subnet mappings are not known before deployment"), lines[1]]


_US_RATES = "priced at CloudFront's United States / Mexico / Canada rate (first 10 TB); other edges cost more"


@rule("aws:cloudfront/distribution:Distribution")
def cloudfront_distribution(r: PlannedResource, ctx: Context) -> list[Charge]:
    """Data transferred out to viewers and HTTPS requests; nothing while idle."""
    usage = ctx.usage_for(r)
    millions = usage_amount(usage.requests_millions)
    return [
        noted(
            _charge(
                r,
                ctx,
                "cloudfront",
                "us-data-out-gb",
                usage_amount(usage.data_processed_gb),
                "GB",
                "CloudFront data transfer out to viewers",
                missing_usage(ctx, r, "data served", "dataProcessedGB"),
                region="*",
            ),
            _US_RATES,
        ),
        noted(
            _charge(
                r,
                ctx,
                "cloudfront",
                "us-https-request-10k",
                millions * 100 if millions is not None else None,
                "10k requests",
                "CloudFront HTTPS requests",
                missing_usage(ctx, r, "requests", "requestsMillions"),
                region="*",
            ),
            _US_RATES,
        ),
    ]


free_listed(
    FREE_TYPES,
    "Network Firewall policy or rule group: no charge of its own (the firewall's endpoints are billed)",
    "aws:networkfirewall/firewallPolicy:FirewallPolicy",
    "aws:networkfirewall/ruleGroup:RuleGroup",
    "aws:networkfirewall/loggingConfiguration:LoggingConfiguration",
)
free_listed(
    FREE_TYPES,
    "VPC peering: no charge for the connection (traffic across it is billed as data transfer, not modelled)",
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
    "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter",
    "aws:ec2/peeringConnectionOptions:PeeringConnectionOptions",
)
free_listed(
    FREE_TYPES,
    "DNS record: no charge of its own (its hosted zone is billed a month; queries per million are not modelled)",
    "aws:route53/record:Record",
)
free_listed(
    FREE_TYPES,
    "SES identity or its DNS verification: no charge (emails sent are billed per 1,000, not modelled)",
    "aws:ses/domainIdentity:DomainIdentity",
    "aws:ses/domainIdentityVerification:DomainIdentityVerification",
    "aws:ses/domainDkim:DomainDkim",
    "aws:ses/emailIdentity:EmailIdentity",
)
free_listed(
    FREE_TYPES,
    "CloudFront origin access identity or control: no charge (the distribution's traffic is billed)",
    "aws:cloudfront/originAccessIdentity:OriginAccessIdentity",
    "aws:cloudfront/originAccessControl:OriginAccessControl",
)
