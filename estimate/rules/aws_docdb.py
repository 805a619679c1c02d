"""Amazon DocumentDB (jaxxstorm/pulumi-examples python/aws/ec2_docdb declares a cluster).

A cluster's compute is its instances (`aws:docdb/clusterInstance`), each billed per hour by instance class;
the cluster itself bills its storage volume (GB-month, usage `storageGiB`) and, in the standard storage
configuration, the I/O against it (per million, usage `ioRequestsMillions`; the I/O-optimized configuration
has no I/O charge). Backup storage up to the cluster's size is free and is not modelled. Subnet and parameter
groups cost nothing. Prices are `service_prices` rows (service `docdb`) of catalog/data/aws/services.yaml:
an instance class is the item `<class>-hour`."""

from __future__ import annotations

import functools
from decimal import Decimal

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import unpriced
from aiinfra.estimate.model import HOURS_PER_MONTH, Charge
from aiinfra.estimate.registry import free_listed, rule
from aiinfra.estimate.rules.common import item_charge, missing_usage, noted, text, usage_amount

CLOUD = "aws"

_charge = functools.partial(item_charge, cloud=CLOUD)

FREE_TYPES: list[str] = []
"""Every type this file lists as free (tests check each is a real pulumi-aws token)."""


@rule("aws:docdb/cluster:Cluster")
def docdb_cluster(r: PlannedResource, ctx: Context) -> list[Charge]:
    """The cluster volume's storage, and its I/O unless the storage type is iopt1 (I/O-optimized)."""
    usage = ctx.usage_for(r)
    storage = _charge(
        r,
        ctx,
        "docdb",
        "storage-gb-month",
        usage_amount(usage.storage_gib),
        "GB-months",
        "DocumentDB cluster storage",
        missing_usage(ctx, r, "stored amount", "storageGiB"),
    )
    storage = noted(storage, "compute is billed on the cluster's instances; backups up to its size are free")
    if text(r.inputs.get("storageType")).lower() == "iopt1":
        return [noted(storage, "I/O-optimized storage: no I/O charge (its storage price is higher)")]
    io = _charge(
        r,
        ctx,
        "docdb",
        "io-request-million",
        usage_amount(usage.io_requests_millions),
        "million I/O requests",
        "DocumentDB I/O (standard storage)",
        missing_usage(ctx, r, "I/O requests", "ioRequestsMillions"),
    )
    return [storage, io]


@rule("aws:docdb/clusterInstance:ClusterInstance")
def docdb_instance(r: PlannedResource, ctx: Context) -> list[Charge]:
    """One instance of its class, every hour."""
    klass = text(r.inputs.get("instanceClass"))
    if not klass:
        return [unpriced("DocumentDB instance", "instance-hours", "its instance class is not known offline")]
    return [
        _charge(
            r,
            ctx,
            "docdb",
            f"{klass}-hour",
            HOURS_PER_MONTH * Decimal(1),
            "instance-hours",
            f"DocumentDB instance ({klass}, on-demand)",
        )
    ]


free_listed(
    FREE_TYPES,
    "DocumentDB configuration: no charge (subnet and parameter groups)",
    "aws:docdb/subnetGroup:SubnetGroup",
    "aws:docdb/clusterParameterGroup:ClusterParameterGroup",
)
