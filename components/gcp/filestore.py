"""Filestore: a zonal NFS share for home directories, code and small shared datasets.

The ZONAL tier (clouds/gcp.py FILESTORE_TIER; sizes checked against its steps) in the interconnect zone,
attached to the cluster VPC in PRIVATE_SERVICE_ACCESS mode so it takes its address from the cluster's
private services range (and works from peered and on-premises networks, which DIRECT_PEERING does not).
Deletion protection is on in the API as well as in Pulumi, and the instance is retained on delete, unless
`protect` is off. Exports are limited to `client_cidrs` when given (else Filestore's default: every client
that can reach the instance, which is the VPC and what it is peered with).

Filestore has no Cloud Storage import/export (backups go to Filestore backups, not to a bucket).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_gcp as gcp

from aiinfra.clouds.gcp import FILESTORE_TIER, filestore_size_problem
from aiinfra.components.gcp.names import resource_id

TYPE = "aiinfra:gcp:Filestore"
SHARE = "share"
"""The file share's name (at most 16 characters): clients mount IP:/share."""


@dataclass
class FilestoreArgs:
    project: str
    zone: str
    network_id: pulumi.Input[str]
    capacity_gib: int
    psa_range_name: pulumi.Input[str]
    depends_on: list[pulumi.Resource] = field(default_factory=list)
    tier: str = FILESTORE_TIER
    client_cidrs: Sequence[str] = ()
    """Networks allowed to mount the share read-write (the cluster's node and pod ranges); empty = all."""
    protect: bool = True
    labels: Mapping[str, str] = field(default_factory=dict)


def export_options(client_cidrs: Sequence[str]) -> list[gcp.filestore.InstanceFileSharesNfsExportOptionArgs]:
    """Read-write for the given networks only; no options (Filestore's open default) when none are given.
    Root is not squashed: GKE's Filestore CSI driver and training containers run as root."""
    if not client_cidrs:
        return []
    return [
        gcp.filestore.InstanceFileSharesNfsExportOptionArgs(
            ip_ranges=list(client_cidrs), access_mode="READ_WRITE", squash_mode="NO_ROOT_SQUASH"
        )
    ]


class Filestore(pulumi.ComponentResource):
    instance_name: pulumi.Output[str]
    mount: pulumi.Output[str]
    """IP:/share, what an NFS client (or a GKE PersistentVolume) mounts."""

    def __init__(self, name: str, args: FilestoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        problem = filestore_size_problem(args.capacity_gib, args.tier)
        if problem:
            raise ValueError(problem)
        exports = export_options(args.client_cidrs)
        instance = gcp.filestore.Instance(
            f"{name}-fs",
            project=args.project,
            name=resource_id(name),
            location=args.zone,
            tier=args.tier,
            file_shares=gcp.filestore.InstanceFileSharesArgs(
                name=SHARE, capacity_gb=args.capacity_gib, nfs_export_options=exports or None
            ),
            networks=[
                gcp.filestore.InstanceNetworkArgs(
                    network=args.network_id,
                    modes=["MODE_IPV4"],
                    connect_mode="PRIVATE_SERVICE_ACCESS",
                    reserved_ip_range=args.psa_range_name,
                )
            ],
            deletion_protection_enabled=args.protect,
            deletion_protection_reason="holds cluster data (aiinfra storage protect: true)"
            if args.protect
            else None,
            description=f"Shared files {name}",
            labels=dict(args.labels),
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=args.protect,
                retain_on_delete=args.protect,
                depends_on=list(args.depends_on),
            ),
        )
        self.instance_name = instance.name
        self.mount = instance.networks.apply(_mount_of)
        self.register_outputs({"instanceName": self.instance_name, "mount": self.mount})


def _mount_of(networks: list[object] | None) -> str:
    first = (networks or [None])[0]
    addresses = getattr(first, "ip_addresses", None) or []
    return f"{addresses[0]}:/{SHARE}" if addresses else ""
