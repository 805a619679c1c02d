"""ManagedLustre: Google Cloud Managed Lustre next to the GPUs (`pulumi_gcp.lustre.Instance`).

In the interconnect zone, on the cluster VPC through private services access, at the spec's performance
tier (MB/s per TiB; sizes checked against the tier's minimum, steps and maximum below). GKE support is on:
GKE nodes run the metadata server on Lustre's usual port 988, so the instance serves on another port
(https://cloud.google.com/managed-lustre/docs/create-instance, read 2026-12-04). The servers' TCP traffic
into the VPC is allowed from the private services range by private_service_access.py. Encrypted at rest by
Google, or with `kms_key` (CMEK). Protected and retained on delete unless `protect` is off.

Cloud Storage import and export (`dataRepository`) are API operations on a running instance (importData /
exportData; `gcloud lustre instances import-data|export-data`), not fields of `lustre.Instance` in
pulumi-gcp 9.37.1, so nothing is declared for them: `import_command` says what to run after `pulumi up`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_gcp as gcp

from aiinfra.clouds.gcp import (
    MANAGED_LUSTRE_DEFAULT_THROUGHPUT,
    MANAGED_LUSTRE_SIZES,
    managed_lustre_size_problem,
)
from aiinfra.components.gcp.names import lustre_fsname, resource_id

TYPE = "aiinfra:gcp:ManagedLustre"
DEFAULT_THROUGHPUT = MANAGED_LUSTRE_DEFAULT_THROUGHPUT
"""MB/s per TiB when the spec gives none: the same default as FSx for Lustre (clouds/aws.py), so one spec
means the same on both clouds. Google recommends the 1000 tier for throughput-bound training."""

TIER_SIZES = MANAGED_LUSTRE_SIZES
"""Sizes per tier: the facts and their check live in the GCP profile, where the spec validator reads them."""


@dataclass
class ManagedLustreArgs:
    project: str
    zone: str
    network_id: pulumi.Input[str]
    capacity_gib: int
    depends_on: list[pulumi.Resource] = field(default_factory=list)
    throughput_mbps_per_tib: int = DEFAULT_THROUGHPUT
    gke_support_enabled: bool = True
    kms_key: pulumi.Input[str] | None = None
    filesystem: str | None = None
    """The Lustre file system name (8 letters or digits); None derives it from the component's name."""
    data_repository: pulumi.Input[str] | None = None
    """gs://BUCKET to import from and export to; recorded in `import_command`, not declarable (see above)."""
    protect: bool = True
    labels: Mapping[str, str] = field(default_factory=dict)


class ManagedLustre(pulumi.ComponentResource):
    instance_id: pulumi.Output[str]
    mount_point: pulumi.Output[str]
    """IP@tcp:/fsname, what the Lustre client (and GKE's Lustre CSI driver) mounts."""
    import_command: pulumi.Output[str] | None
    """The gcloud command that loads the linked bucket, when one is linked."""

    def __init__(
        self, name: str, args: ManagedLustreArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        problem = managed_lustre_size_problem(args.capacity_gib, args.throughput_mbps_per_tib)
        if problem:
            raise ValueError(problem)
        instance_id = resource_id(name)
        instance = gcp.lustre.Instance(
            f"{name}-fs",
            project=args.project,
            instance_id=instance_id,
            location=args.zone,
            filesystem=args.filesystem or lustre_fsname(name),
            capacity_gib=str(args.capacity_gib),
            per_unit_storage_throughput=str(args.throughput_mbps_per_tib),
            network=args.network_id,
            gke_support_enabled=args.gke_support_enabled,
            kms_key=args.kms_key,
            description=f"Training file system {name}",
            labels=dict(args.labels),
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=args.protect,
                retain_on_delete=args.protect,
                depends_on=list(args.depends_on),
            ),
        )
        self.instance_id = instance.instance_id
        self.mount_point = instance.mount_point
        self.import_command = (
            pulumi.Output.concat(
                "gcloud lustre instances import-data ",
                instance_id,
                f" --project={args.project} --location={args.zone} --gcs-path-uri=",
                args.data_repository,
                " --lustre-path=/",
            )
            if args.data_repository is not None
            else None
        )
        outputs: dict[str, pulumi.Input[str]] = {
            "instanceId": self.instance_id,
            "mountPoint": self.mount_point,
        }
        if self.import_command is not None:
            outputs["importCommand"] = self.import_command
        self.register_outputs(outputs)
