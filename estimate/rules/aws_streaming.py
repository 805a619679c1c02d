"""AWS streaming: Amazon MSK (managed Kafka) clusters and Amazon Data Firehose delivery streams.

A provisioned MSK cluster is billed per broker-hour by broker instance type and per GB-month of broker EBS
storage (`volumeSize` on every broker). MSK Serverless is billed per cluster-hour plus data in, partition-hours
and storage. A Firehose delivery stream is billed per GB ingested (the usage file's `dataProcessedGB`).
Prices are `service_prices` rows of catalog/data/aws/services.yaml (service `msk`, `firehose`)."""

from __future__ import annotations

import functools
from decimal import Decimal

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import as_dict, count, size, unpriced
from aiinfra.estimate.model import HOURS_PER_MONTH, Charge
from aiinfra.estimate.registry import rule
from aiinfra.estimate.rules.common import item_charge, missing_usage, noted, text, usage_amount

CLOUD = "aws"

_charge = functools.partial(item_charge, cloud=CLOUD)


@rule("aws:msk/cluster:Cluster")
def msk_cluster(r: PlannedResource, ctx: Context) -> list[Charge]:
    """`numberOfBrokerNodes` brokers of `brokerNodeGroupInfo.instanceType` every hour, and each broker's EBS
    volume (`storageInfo.ebsStorageInfo.volumeSize` GB). Provisioned storage throughput, storage auto-scaling,
    tiered storage and data transfer are not modelled, and said so on the line."""
    group = as_dict(r.inputs.get("brokerNodeGroupInfo"))
    kind = text(group.get("instanceType"))
    brokers = count(r.inputs.get("numberOfBrokerNodes"), "numberOfBrokerNodes")
    if not kind:
        hours = unpriced(
            "MSK broker instances",
            "broker-hours",
            "broker instance type unknown: the plan has no instanceType",
        )
    else:
        hours = _charge(
            r,
            ctx,
            "msk",
            f"{kind}-broker-hour",
            Decimal(brokers) * HOURS_PER_MONTH if brokers is not None else None,
            "broker-hours",
            f"MSK brokers: {brokers} × {kind}" if brokers is not None else f"MSK brokers: {kind}",
            "broker count unknown: the cluster gives no numberOfBrokerNodes the plan knows",
        )
    ebs = as_dict(as_dict(group.get("storageInfo")).get("ebsStorageInfo"))
    gb = size(ebs.get("volumeSize"), "brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize", unit="GB")
    storage = _charge(
        r,
        ctx,
        "msk",
        "broker-storage-gb-month",
        gb * brokers if gb is not None and brokers is not None else None,
        "GB-months",
        f"MSK broker storage: {brokers} × {gb} GB"
        if gb is not None and brokers is not None
        else "MSK broker storage",
        "broker storage unknown: the cluster gives no ebsStorageInfo.volumeSize (or broker count) the plan knows",
    )
    note = "provisioned storage throughput, storage auto-scaling and data transfer are not modelled"
    return [hours, noted(storage, note)]


@rule("aws:msk/serverlessCluster:ServerlessCluster")
def msk_serverless_cluster(r: PlannedResource, ctx: Context) -> list[Charge]:
    """The cluster's hours, and data in (usage `dataProcessedGB`); partition-hours, storage and data out have
    no usage key and are not modelled, which the line says."""
    return [
        noted(
            _charge(
                r,
                ctx,
                "msk",
                "serverless-cluster-hour",
                HOURS_PER_MONTH,
                "cluster-hours",
                "MSK Serverless cluster",
            ),
            "partition-hours, storage and data out are billed too and are not modelled",
        ),
        _charge(
            r,
            ctx,
            "msk",
            "serverless-ingress-gb",
            usage_amount(ctx.usage_for(r).data_processed_gb),
            "GB",
            "MSK Serverless data in",
            missing_usage(ctx, r, "data in", "dataProcessedGB"),
        ),
    ]


@rule("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream")
def firehose_delivery_stream(r: PlannedResource, ctx: Context) -> list[Charge]:
    """Data ingested (usage `dataProcessedGB`) at the first-tier price (up to 500 TB a month). Format
    conversion, VPC delivery and dynamic partitioning are billed apart and not modelled, which the line says."""
    line = _charge(
        r,
        ctx,
        "firehose",
        "ingested-gb",
        usage_amount(ctx.usage_for(r).data_processed_gb),
        "GB",
        "Firehose data ingested",
        missing_usage(ctx, r, "data ingested", "dataProcessedGB"),
    )
    return [
        noted(
            line,
            "first-tier price (up to 500 TB a month); format conversion, VPC delivery and dynamic partitioning "
            "are not modelled",
        )
    ]
