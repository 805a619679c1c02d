"""GCP facts and pure helpers the GCP components share: which extra networks each GPU fabric needs (VPC
count, MTU, subnets, GKE device mode), GKE's accelerator names, the cluster's address plan, where the
system pool goes, and what each capacity option sets on a node pool. No Pulumi import: tested on their own.
Facts the spec checks share (TPU topologies, reservation names, storage sizes) live in `aiinfra.clouds.gcp`.

Sources (read 2026-12-04): GoogleCloudPlatform/cluster-toolkit modules/compute/gke-node-pool/gpu_direct.tf,
modules/network/gpu-rdma-vpc, examples/gke-a3-megagpu, examples/gke-a3-ultragpu (via the reference sheet
/work/shared/reference/gcp-gke-gpu-tpu.md); https://cloud.google.com/kubernetes-engine/docs/how-to/gpu-bandwidth-gpudirect-tcpx ;
https://cloud.google.com/ai-hypercomputer/docs/create/gke-ai-hypercompute-custom (A3 Ultra / A4 RDMA);
https://cloud.google.com/vpc/docs/rdma-network-profiles.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

TCPX_DOC = "https://cloud.google.com/kubernetes-engine/docs/how-to/gpu-bandwidth-gpudirect-tcpx"
RDMA_DOC = "https://cloud.google.com/ai-hypercomputer/docs/create/gke-ai-hypercompute-custom"
DWS_FLEX_DOC = "https://cloud.google.com/kubernetes-engine/docs/how-to/dws-flex-start-training"

# MTUs: TCPX/TCPXO GPU VPCs 8244 (cluster-toolkit gke-a3-*); RDMA (gVNIC and RoCE VPCs) 8896, the largest
# a VPC takes (RDMA network profiles doc; cluster-toolkit gke-a3-ultragpu).
TCPX_MTU = 8244
RDMA_MTU = 8896

FABRIC_BASE = ipaddress.IPv4Network("192.168.0.0/16")
FABRIC_BASE_ALT = ipaddress.IPv4Network("172.24.0.0/16")
"""The GPU networks' addresses: separate VPCs, but kept apart from the cluster network so a route or a
peering never meets an overlap; the alternative when the cluster network itself is in 192.168/16."""

DEVICE_NETDEVICE = "NetDevice"
DEVICE_RDMA = "RDMA"


@dataclass(frozen=True, slots=True)
class FabricSubnet:
    key: str
    """Resource-name part (`gpu-0`, `rdma-3`)."""
    cidr: ipaddress.IPv4Network
    gke_network: str
    """The name of the GKE `Network` / `GKENetworkParamSet` pods ask for (Google's sample manifests use
    these names: vpc1..vpc8 for TCPX/TCPXO, gvnic-1 and rdma-0..rdma-7 for RDMA)."""
    device_mode: str


@dataclass(frozen=True, slots=True)
class FabricVpc:
    key: str
    mtu: int
    roce: bool
    """True: created on the zone's RDMA (RoCE) network profile; takes only the machine's MRDMA NICs."""
    subnets: tuple[FabricSubnet, ...]


@dataclass(frozen=True, slots=True)
class FabricLayout:
    fabric: str
    title: str
    vpcs: tuple[FabricVpc, ...]
    doc: str

    @property
    def subnets(self) -> tuple[FabricSubnet, ...]:
        """Every extra subnet in NIC order: the node pool's additional node networks."""
        return tuple(s for v in self.vpcs for s in v.subnets)


FABRIC_TITLES = {
    "gpudirect-tcpx": "GPUDirect-TCPX",
    "gpudirect-tcpxo": "GPUDirect-TCPXO",
    "gpudirect-rdma": "GPUDirect-RDMA",
}
TCP_NICS = {"gpudirect-tcpx": 4, "gpudirect-tcpxo": 8}
RDMA_NICS = 8


def fabric_base(cluster_cidr: ipaddress.IPv4Network) -> ipaddress.IPv4Network:
    """Where the GPU networks' subnets come from: 192.168.0.0/16 unless the cluster network overlaps it."""
    return FABRIC_BASE_ALT if cluster_cidr.overlaps(FABRIC_BASE) else FABRIC_BASE


def fabric_layout(fabric: str, base: ipaddress.IPv4Network = FABRIC_BASE) -> FabricLayout | None:
    """The extra VPCs a machine with `fabric` (the catalog's fabric) needs, or None for a machine whose
    GPUs talk over its ordinary network (A2, G2) or a TPU (ICI needs no VPC).

    - TCPX (a3-highgpu-8g): 4 VPCs, one /24 subnet each, MTU 8244, NetDevice mode;
    - TCPXO (a3-megagpu-8g): 8 such VPCs;
    - RDMA (a3-ultragpu-8g, a4-highgpu-8g): one gVNIC VPC (the second gVNIC, MTU 8896) and one RoCE VPC on
      the zone's RDMA network profile with 8 subnets, one per CX-7 NIC, RDMA mode.
    """
    slash24 = list(base.subnets(new_prefix=24))
    if fabric in TCP_NICS:
        vpcs = tuple(
            FabricVpc(
                f"gpu-{i}",
                TCPX_MTU,
                False,
                (FabricSubnet(f"gpu-{i}", slash24[i], f"vpc{i + 1}", DEVICE_NETDEVICE),),
            )
            for i in range(TCP_NICS[fabric])
        )
        return FabricLayout(fabric, FABRIC_TITLES[fabric], vpcs, TCPX_DOC)
    if fabric == "gpudirect-rdma":
        gvnic = FabricVpc(
            "gvnic", RDMA_MTU, False, (FabricSubnet("gvnic", slash24[0], "gvnic-1", DEVICE_NETDEVICE),)
        )
        rdma = FabricVpc(
            "rdma",
            RDMA_MTU,
            True,
            tuple(
                FabricSubnet(f"rdma-{i}", slash24[64 + i], f"rdma-{i}", DEVICE_RDMA) for i in range(RDMA_NICS)
            ),
        )
        return FabricLayout(fabric, FABRIC_TITLES[fabric], (gvnic, rdma), RDMA_DOC)
    return None


def roce_network_profile(project: str, zone: str) -> str:
    """The RDMA network profile of a zone, as `compute.Network.network_profile` takes it."""
    return f"projects/{project}/global/networkProfiles/{zone}-vpc-roce"


# GKE accelerator type names per machine family (`gcloud compute accelerator-types list`; reference sheet
# §1). Longest prefix wins.
GKE_ACCELERATORS = {
    "a3-highgpu-": "nvidia-h100-80gb",
    "a3-megagpu-": "nvidia-h100-mega-80gb",
    "a3-ultragpu-": "nvidia-h200-141gb",
    "a4-highgpu-": "nvidia-b200",
    "a2-highgpu-": "nvidia-tesla-a100",
    "a2-ultragpu-": "nvidia-a100-80gb",
    "g2-standard-": "nvidia-l4",
}


def gke_accelerator(machine: str) -> str:
    for prefix, name in GKE_ACCELERATORS.items():
        if machine.startswith(prefix):
            return name
    raise ValueError(
        f"no GKE accelerator type known for machine {machine}; known families: {', '.join(GKE_ACCELERATORS)}"
    )


# Boot disks: A3 Ultra, A4 and TPU v6e take only Hyperdisk; the others take Persistent Disk
# (https://cloud.google.com/compute/docs/disks#disk-types, machine series support tables; not re-read).
HYPERDISK_ONLY = ("a3-ultragpu-", "a4-highgpu-", "ct6e-")


def boot_disk_type(machine: str) -> str:
    return "hyperdisk-balanced" if machine.startswith(HYPERDISK_ONLY) else "pd-balanced"


# GKE taints GPU nodes nvidia.com/gpu=present:NoSchedule itself; declaring the same taint keeps it visible
# in the plan (https://cloud.google.com/kubernetes-engine/docs/how-to/gpus#create). TPU nodes get
# google.com/tpu=present:NoSchedule from GKE.
GPU_TAINT = ("nvidia.com/gpu", "present", "NO_SCHEDULE")
TPU_TAINT = ("google.com/tpu", "present", "NO_SCHEDULE")
GPU_DRIVER_VERSION = "DEFAULT"
"""GKE installs the driver its version pins (cluster-toolkit does the same for A3/A4; LATEST can break
GPUDirect-TCPX: cluster-toolkit issue 3032)."""
IMAGE_TYPE = "COS_CONTAINERD"
"""Container-Optimized OS: gVNIC and the GPUDirect stacks are supported on it."""

# Least-privilege node identity: GKE's own role for node service accounts (logs, metrics, resource
# metadata), and reading images from Artifact Registry
# (https://cloud.google.com/kubernetes-engine/docs/how-to/service-accounts#default-gke-service-agent).
NODE_ROLES = ("roles/container.defaultNodeServiceAccount", "roles/artifactregistry.reader")
RELEASE_CHANNEL = "REGULAR"
KEY_ROTATION = "7776000s"
"""90 days: Cloud KMS rotates the secrets key and GKE re-encrypts with the new version."""
KMS_ENCRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"


def gke_service_agent(project_number: str) -> str:
    """The GKE service agent that must use the key to encrypt secrets (application-layer secrets doc)."""
    return f"serviceAccount:service-{project_number}@container-engine-robot.iam.gserviceaccount.com"


@dataclass(frozen=True, slots=True)
class GkeRanges:
    nodes: ipaddress.IPv4Network
    pods: ipaddress.IPv4Network
    services: ipaddress.IPv4Network


def plan_ranges(cidr: ipaddress.IPv4Network) -> GkeRanges:
    """The node subnet and its pods / services secondary ranges from the cluster's block: pods get the
    first half (a /24 per node at GKE's 110 pods), nodes the third quarter, services the first sixteenth of
    the last quarter; the rest stays free for later ranges."""
    if cidr.prefixlen > 20:
        raise ValueError(f"{cidr} is smaller than a /20")
    halves = list(cidr.subnets(prefixlen_diff=1))
    quarters = list(halves[1].subnets(prefixlen_diff=1))
    return GkeRanges(
        nodes=quarters[0],
        pods=halves[0],
        services=next(quarters[1].subnets(prefixlen_diff=2)),
    )


def private_services_range(cidr: ipaddress.IPv4Network, prefixlen: int = 20) -> ipaddress.IPv4Network | None:
    """The private services access range (Parallelstore, Filestore, Managed Lustre peer into it) from the
    part of the cluster's block `plan_ranges` leaves free: the first /20 of the last quarter that does not
    hold the services range; None when the block is too small (Google then picks a free range)."""
    ranges = plan_ranges(cidr)
    last_quarter = ranges.services.supernet(new_prefix=ranges.nodes.prefixlen)
    if last_quarter.prefixlen > prefixlen:
        return None
    return next(
        (n for n in last_quarter.subnets(new_prefix=prefixlen) if not n.overlaps(ranges.services)), None
    )


def system_pool_layout(zones: list[str], nodes: int) -> tuple[list[str], int]:
    """(node locations, nodes per zone) for a regional cluster's system pool: spread over as many zones as
    divide the node count evenly (GKE counts nodes per zone), at most three."""
    for spread in (3, 2, 1):
        if spread <= len(zones) and nodes % spread == 0:
            return zones[:spread], nodes // spread
    return zones[:1], nodes


@dataclass(frozen=True, slots=True)
class CapacitySettings:
    spot: bool
    flex_start: bool
    reservation_affinity: dict[str, object] | None
    forced_placement_allowed: bool
    """False on reserved capacity: a compact placement policy could leave part of a reservation unusable,
    and DWS flex-start places capacity itself."""
    auto_repair: bool


def capacity_settings(capacity: str, reservation: str | None) -> CapacitySettings:
    """What a capacity option sets on a GKE node pool.

    - on-demand: nothing; spot: `spot`;
    - reservation: a SPECIFIC_RESERVATION affinity on the reservation's name;
    - capacity-block: Dynamic Workload Scheduler flex-start (`flex_start`, NO_RESERVATION, no auto-repair,
      autoscaled from 0: DWS_FLEX_DOC; cluster-toolkit gke-node-pool main.tf).
    """
    if capacity == "spot":
        return CapacitySettings(True, False, None, True, True)
    if capacity == "reservation":
        if not reservation:
            raise ValueError("capacity: reservation needs the reservation's name")
        affinity: dict[str, object] = {
            "consume_reservation_type": "SPECIFIC_RESERVATION",
            "key": "compute.googleapis.com/reservation-name",
            "values": [reservation],
        }
        return CapacitySettings(False, False, affinity, False, True)
    if capacity == "capacity-block":
        return CapacitySettings(False, True, {"consume_reservation_type": "NO_RESERVATION"}, False, False)
    if capacity == "on-demand":
        return CapacitySettings(False, False, None, True, True)
    raise ValueError(f"unknown capacity {capacity!r}")


CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
"""With a dedicated least-privilege service account, IAM (not scopes) limits what nodes may do."""


def secure_node_config(
    *,
    machine: str,
    service_account: object,
    disk_gib: int,
    labels: dict[str, str],
    taints: list[tuple[str, str, str]] | None = None,
) -> dict[str, object]:
    """The node settings every pool shares: the cluster's node service account, Workload Identity's
    metadata server (pods never see the node's identity), shielded nodes (secure boot, integrity
    monitoring), Container-Optimized OS, the machine's boot disk type."""
    return {
        "machine_type": machine,
        "service_account": service_account,
        "oauth_scopes": [CLOUD_PLATFORM_SCOPE],
        "image_type": IMAGE_TYPE,
        "disk_size_gb": disk_gib,
        "disk_type": boot_disk_type(machine),
        "shielded_instance_config": {"enable_secure_boot": True, "enable_integrity_monitoring": True},
        "workload_metadata_config": {"mode": "GKE_METADATA"},
        "labels": labels,
        "taints": [{"key": k, "value": v, "effect": e} for k, v, e in taints or []] or None,
    }


def pool_sizing(min_nodes: int, desired: int, max_nodes: int, *, flex_start: bool) -> dict[str, object]:
    """A single-zone pool's size inputs: a fixed size as `node_count`; a range as autoscaling limits with
    `initial_node_count`; flex-start always autoscales from 0 to the pool's maximum (DWS_FLEX_DOC)."""
    if flex_start:
        return {
            "initial_node_count": 0,
            "autoscaling": {"min_node_count": 0, "max_node_count": max_nodes, "location_policy": "ANY"},
        }
    if min_nodes == max_nodes:
        return {"node_count": desired}
    return {
        "initial_node_count": desired,
        "autoscaling": {"min_node_count": min_nodes, "max_node_count": max_nodes},
    }


UPGRADE_SETTINGS = {"strategy": "SURGE", "max_surge": 0, "max_unavailable": 1}
"""Accelerator pools upgrade one node at a time without surge: spare GPU/TPU capacity rarely exists."""


# The host components GPUDirect workloads need on the nodes, as Google's GKE guides apply them: the NCCL
# plugin installer DaemonSet of the fabric, and for TCPX/TCPXO the NRI device injector that hands the GPU
# NICs' devices to the RxDM sidecar. Pinned to one commit of GoogleCloudPlatform/container-engine-accelerators
# (read 2026-12-04): TCPX plugin v3.1.9, TCPXO v1.0.15, gIB (RDMA) v1.1.1. A workload's RxDM sidecar image
# must match the plugin version (TCPX v3.1.9 ↔ RxDM v2.0.12; see the repository's nccl-test manifests):
# bump both together.
GPUDIRECT_REPO = "https://raw.githubusercontent.com/GoogleCloudPlatform/container-engine-accelerators"
GPUDIRECT_COMMIT = "992db81257553607f1477945f1b3219632991829"
_NRI_INJECTOR = "nri_device_injector/nri-device-injector.yaml"
GPUDIRECT_MANIFESTS: dict[str, tuple[tuple[str, str], ...]] = {
    "gpudirect-tcpx": (
        ("nccl-tcpx-installer", "gpudirect-tcpx/nccl-tcpx-installer.yaml"),
        ("nri-device-injector", _NRI_INJECTOR),
    ),
    "gpudirect-tcpxo": (
        ("nccl-tcpxo-installer", "gpudirect-tcpxo/nccl-tcpxo-installer.yaml"),
        ("nri-device-injector", _NRI_INJECTOR),
    ),
    "gpudirect-rdma": (("nccl-rdma-installer", "gpudirect-rdma/nccl-rdma-installer.yaml"),),
}


def gpudirect_manifests(fabric: str) -> list[tuple[str, str]]:
    """(name, pinned URL) of every manifest a fabric's nodes need; empty for a machine without one."""
    return [
        (name, f"{GPUDIRECT_REPO}/{GPUDIRECT_COMMIT}/{path}")
        for name, path in GPUDIRECT_MANIFESTS.get(fabric, ())
    ]
