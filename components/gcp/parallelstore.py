"""Parallelstore: a zonal DAOS file system next to the GPUs, for training scratch.

In the interconnect zone (Parallelstore is zonal: clients in other zones pay cross-zone latency and
traffic), on the cluster VPC through private services access (private_service_access.py; Parallelstore
takes 64 addresses of its range per instance: https://cloud.google.com/parallelstore/docs/vpc, read
2026-12-04). SCRATCH deployment
(local-SSD backed, the faster type; a PERSISTENT instance trades throughput for durability) with file and
directory striping at MAX: training reads large shards and writes large checkpoints, and keeps many shard
files per directory, which the MAX levels spread over every server
(https://cloud.google.com/parallelstore/docs/performance, recalled). Protected and retained on delete unless
`protect` is off.

Importing from or exporting to Cloud Storage is an API operation on a running instance (importData /
exportData), not a field of `pulumi_gcp.parallelstore.Instance` in pulumi-gcp 9.37.1, so it is not declared
here: run `gcloud parallelstore instances import-data` after `pulumi up`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_gcp as gcp

from aiinfra.clouds.gcp import parallelstore_size_problem
from aiinfra.components.gcp.names import resource_id

TYPE = "aiinfra:gcp:Parallelstore"
LOCATIONS_DOC = "https://cloud.google.com/parallelstore/docs/locations (read 2026-12-04)"
ZONES: dict[str, tuple[str, ...]] = {
    "asia-east1": ("a", "b", "c"),
    "asia-southeast1": ("a", "b", "c"),
    "europe-north1": ("a", "b", "c"),
    "europe-west1": ("b", "c", "d"),
    "europe-west4": ("a", "b", "c"),
    "us-central1": ("a", "b", "c", "f"),
    "us-east1": ("b", "c", "d"),
    "us-east4": ("a", "b", "c"),
    "us-east5": ("a", "b", "c"),
    "us-west1": ("a", "b", "c"),
    "us-west2": ("a", "b", "c"),
    "us-west3": ("a", "b", "c"),
    "us-west4": ("a", "b", "c"),
}
"""Region → the zones Parallelstore is sold in (LOCATIONS_DOC)."""
DEPLOYMENT_TYPE = "SCRATCH"
FILE_STRIPE = "FILE_STRIPE_LEVEL_MAX"
DIRECTORY_STRIPE = "DIRECTORY_STRIPE_LEVEL_MAX"


def parallelstore_zone_problem(zone: str) -> str | None:
    """Why Parallelstore cannot be made in `zone`, or None. Plain data: the spec validator can call it."""
    region, _, letter = zone.lower().rpartition("-")
    offered = ZONES.get(region, ())
    if letter in offered:
        return None
    where = (
        f"in {region} it is in {', '.join(f'{region}-{z}' for z in offered)}"
        if offered
        else f"regions with it: {', '.join(sorted(ZONES))}"
    )
    return f"Parallelstore is not offered in {zone}: {where} ({LOCATIONS_DOC})."


@dataclass
class ParallelstoreArgs:
    project: str
    zone: str
    network_id: pulumi.Input[str]
    capacity_gib: int
    psa_range_name: pulumi.Input[str]
    """The private services range the instance takes its addresses from."""
    depends_on: list[pulumi.Resource] = field(default_factory=list)
    """The private services connection (and API enablement) the instance needs first."""
    deployment_type: str = DEPLOYMENT_TYPE
    file_stripe_level: str = FILE_STRIPE
    directory_stripe_level: str = DIRECTORY_STRIPE
    protect: bool = True
    labels: Mapping[str, str] = field(default_factory=dict)


class Parallelstore(pulumi.ComponentResource):
    instance_id: pulumi.Output[str]
    access_points: pulumi.Output[str]
    """The servers' IP addresses, comma-separated, as the Parallelstore CSI driver and dfuse take them."""

    def __init__(
        self, name: str, args: ParallelstoreArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        problem = parallelstore_size_problem(args.capacity_gib) or parallelstore_zone_problem(args.zone)
        if problem:
            raise ValueError(problem)
        instance = gcp.parallelstore.Instance(
            f"{name}-fs",
            project=args.project,
            instance_id=resource_id(name),
            location=args.zone,
            capacity_gib=str(args.capacity_gib),
            network=args.network_id,
            reserved_ip_range=args.psa_range_name,
            deployment_type=args.deployment_type,
            file_stripe_level=args.file_stripe_level,
            directory_stripe_level=args.directory_stripe_level,
            description=f"Training scratch {name}",
            labels=dict(args.labels),
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=args.protect,
                retain_on_delete=args.protect,
                depends_on=list(args.depends_on),
            ),
        )
        self.instance_id = instance.instance_id
        self.access_points = instance.access_points.apply(lambda ips: ",".join(ips or []))
        self.register_outputs({"instanceId": self.instance_id, "accessPoints": self.access_points})
