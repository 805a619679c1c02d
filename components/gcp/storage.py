"""GcpClusterStorage: every `storage` entry of a GCP cluster, built next to its GPUs.

| kind | becomes | why |
|---|---|---|
| object | Cloud Storage bucket (GcsBucket) in the cluster's region | datasets and checkpoints, GCS FUSE |
| parallel | Parallelstore (SCRATCH) in the interconnect zone | DAOS scratch at the GPUs' zone |
| file | Filestore ZONAL in the interconnect zone | shared NFS (home, code, small data) |
| lustre | Google Cloud Managed Lustre in the interconnect zone | POSIX scratch with GKE's Lustre CSI |

The file services reach the VPC through one private services access peering, made only when an entry needs
it. Each service's API is enabled in the project (and left enabled on destroy). `mounts` says, per entry,
what a pod needs to mount it; `data_repositories` the command that loads a Managed Lustre instance from its
linked bucket (the import is an API operation, not a resource: see managed_lustre.py).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from aiinfra.components.gcp.bucket import GcsBucket, GcsBucketArgs
from aiinfra.components.gcp.filestore import Filestore, FilestoreArgs
from aiinfra.components.gcp.managed_lustre import DEFAULT_THROUGHPUT, ManagedLustre, ManagedLustreArgs
from aiinfra.components.gcp.names import lustre_fsname
from aiinfra.components.gcp.parallelstore import Parallelstore, ParallelstoreArgs
from aiinfra.components.gcp.private_service_access import PrivateServiceAccess, PrivateServiceAccessArgs
from aiinfra.spec.models import Storage

TYPE = "aiinfra:gcp:ClusterStorage"
APIS: dict[str, str] = {
    "object": "storage.googleapis.com",
    "parallel": "parallelstore.googleapis.com",
    "file": "file.googleapis.com",
    "lustre": "lustre.googleapis.com",
}
"""The API each kind needs enabled in the project."""
PEERED = frozenset({"parallel", "file", "lustre"})
"""Kinds reached through private services access."""


@dataclass
class GcpStorageArgs:
    storage: Sequence[Storage]
    """All of a cluster's storage entries, any kind."""
    project: str
    region: str
    zone: str
    """The interconnect zone: zonal services go here, next to the GPUs."""
    network_id: pulumi.Input[str]
    """projects/P/global/networks/N of the cluster VPC."""
    labels: Mapping[str, str]
    psa_address: str | None = None
    """First address of the private services range; None lets Google pick a free /20 in the VPC."""
    client_cidrs: Sequence[str] = ()
    """Networks allowed to mount Filestore shares (node and pod ranges); empty leaves Filestore's default."""
    bucket_kms_key_name: pulumi.Input[str] | None = None
    """A Cloud KMS key for the buckets (CMEK); None keeps Google-managed encryption."""


def lustre_problem() -> str | None:
    """Why `kind: lustre` cannot be built with the installed pulumi-gcp, or None."""
    try:
        module = importlib.import_module("pulumi_gcp.lustre")
    except ImportError:
        module = None
    if module is None or not hasattr(module, "Instance"):
        return (
            "kind lustre needs Google Cloud Managed Lustre (pulumi_gcp.lustre.Instance), which the installed "
            "pulumi-gcp does not have: upgrade pulumi-gcp, or use kind: parallel (Parallelstore)."
        )
    return None


class GcpClusterStorage(pulumi.ComponentResource):
    buckets: dict[str, GcsBucket]
    parallelstores: dict[str, Parallelstore]
    filestores: dict[str, Filestore]
    lustres: dict[str, ManagedLustre]
    private_service_access: PrivateServiceAccess | None
    mounts: dict[str, pulumi.Output[str]]
    """Entry name → what a pod needs to mount it: the bucket name (GCS FUSE), the Parallelstore access
    points, the Filestore IP:/share, the Managed Lustre IP@tcp:/fsname."""
    data_repositories: dict[str, pulumi.Output[str]]
    """Managed Lustre entry name → the command that imports its linked bucket."""

    def __init__(self, name: str, args: GcpStorageArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        kinds = {s.kind for s in args.storage}
        if "lustre" in kinds and (problem := lustre_problem()):
            raise ValueError(problem)
        apis = {
            kind: gcp.projects.Service(
                f"{name}-api-{kind}",
                project=args.project,
                service=APIS[kind],
                disable_on_destroy=False,  # other workloads in the project may use it
                opts=pulumi.ResourceOptions(parent=self),
            )
            for kind in sorted(kinds)
            if kind in APIS
        }
        labels = dict(args.labels)
        self.buckets = {
            s.name: GcsBucket(
                f"{name}-{s.name}",
                GcsBucketArgs(
                    project=args.project,
                    location=args.region,
                    protect=s.protect,
                    kms_key_name=args.bucket_kms_key_name,
                    depends_on=[apis["object"]],
                    labels=labels,
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
            for s in args.storage
            if s.kind == "object"
        }
        self.private_service_access = (
            PrivateServiceAccess(
                f"{name}-psa",
                PrivateServiceAccessArgs(
                    project=args.project,
                    network_id=args.network_id,
                    address=args.psa_address,
                    servers_connect_back=bool(kinds & {"parallel", "lustre"}),
                    labels=labels,
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
            if kinds & PEERED
            else None
        )
        self.parallelstores = {}
        self.filestores = {}
        self.lustres = {}
        self.data_repositories = {}
        for s in args.storage:
            if s.kind in PEERED:
                self._create_file_service(name, s, args, apis[s.kind], labels)

        self.mounts = {
            **{k: b.bucket_name for k, b in self.buckets.items()},
            **{k: p.access_points for k, p in self.parallelstores.items()},
            **{k: f.mount for k, f in self.filestores.items()},
            **{k: lus.mount_point for k, lus in self.lustres.items()},
        }
        self.register_outputs({"mounts": self.mounts, "dataRepositories": self.data_repositories})

    def _create_file_service(
        self, name: str, s: Storage, args: GcpStorageArgs, api: gcp.projects.Service, labels: dict[str, str]
    ) -> None:
        psa = self.private_service_access
        assert psa is not None  # made above whenever a peered kind is present
        assert s.capacity_gib is not None  # the spec validator requires a size for these kinds
        needs: list[pulumi.Resource] = [psa.connection, api]
        child = pulumi.ResourceOptions(parent=self)
        if s.kind == "parallel":
            self.parallelstores[s.name] = Parallelstore(
                f"{name}-{s.name}",
                ParallelstoreArgs(
                    project=args.project,
                    zone=args.zone,
                    network_id=args.network_id,
                    capacity_gib=s.capacity_gib,
                    psa_range_name=psa.range_name,
                    depends_on=needs,
                    protect=s.protect,
                    labels=labels,
                ),
                opts=child,
            )
        elif s.kind == "file":
            self.filestores[s.name] = Filestore(
                f"{name}-{s.name}",
                FilestoreArgs(
                    project=args.project,
                    zone=args.zone,
                    network_id=args.network_id,
                    capacity_gib=s.capacity_gib,
                    psa_range_name=psa.range_name,
                    depends_on=needs,
                    client_cidrs=args.client_cidrs,
                    protect=s.protect,
                    labels=labels,
                ),
                opts=child,
            )
        else:
            linked = self.buckets[s.data_repository].url if s.data_repository else None
            lustre = ManagedLustre(
                f"{name}-{s.name}",
                ManagedLustreArgs(
                    project=args.project,
                    zone=args.zone,
                    network_id=args.network_id,
                    capacity_gib=s.capacity_gib,
                    depends_on=needs,
                    throughput_mbps_per_tib=s.throughput_mbps_per_tib or DEFAULT_THROUGHPUT,
                    filesystem=lustre_fsname(s.name),
                    data_repository=linked,
                    protect=s.protect,
                    labels=labels,
                ),
                opts=child,
            )
            self.lustres[s.name] = lustre
            if lustre.import_command is not None:
                self.data_repositories[s.name] = lustre.import_command
