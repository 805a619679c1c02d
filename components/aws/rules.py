"""AWS facts and pure helpers only the AWS components use (EFA layouts, placement, node group types, device
plugins). No Pulumi import: tested on their own. Facts the spec checks share with the components (FSx for
Lustre sizes and tiers) live in `aiinfra.clouds.aws`."""

from __future__ import annotations

from dataclasses import dataclass

EFA_LAYOUT_DOC = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-acc-inst-types.html"
PLACEMENT_RESERVATION_ISSUE = "https://github.com/eksctl-io/eksctl/issues/7949"
# Ports FSx for Lustre clients and servers talk on (FSx Lustre user guide, "File system access control
# with Amazon VPC"): 988 and 1018-1023 over TCP.
LUSTRE_PORTS = ((988, 988), (1018, 1023))

# EKS managed node group capacity types and AMI type for NVIDIA GPUs (EKS API CreateNodegroup).
CAPACITY_TYPE = {
    "on-demand": "ON_DEMAND",
    "spot": "SPOT",
    "reservation": "ON_DEMAND",  # a targeted capacity reservation is on-demand capacity
    "capacity-block": "CAPACITY_BLOCK",
}
GPU_AMI_TYPE = "AL2023_x86_64_NVIDIA"
SYSTEM_AMI_TYPE = "AL2023_x86_64_STANDARD"


@dataclass(frozen=True, slots=True)
class NetworkInterfaceSpec:
    network_card_index: int
    device_index: int
    interface_type: str | None
    """'efa' (EFA with ENA), 'efa-only', or None for a plain ENA interface."""


def efa_interfaces(efa_cards: int) -> list[NetworkInterfaceSpec]:
    """The EFA network-interface layout AWS documents for instance types with several network cards:
    the primary interface (card 0, device 0) is EFA with ENA, since an EFA-only interface cannot be
    primary; every other card gets an EFA-only interface at device index 1 (EFA_LAYOUT_DOC)."""
    if efa_cards < 1:
        raise ValueError("an EFA layout needs at least one EFA-capable network card")
    primary = NetworkInterfaceSpec(network_card_index=0, device_index=0, interface_type="efa")
    rest = [
        NetworkInterfaceSpec(network_card_index=card, device_index=1, interface_type="efa-only")
        for card in range(1, efa_cards)
    ]
    return [primary, *rest]


@dataclass(frozen=True, slots=True)
class Placement:
    cluster_placement_group: bool
    warning: str | None = None


def placement_for(pool: str, *, interconnect: bool, capacity: str) -> Placement:
    """Whether a pool gets a `cluster` placement group. Not on reserved capacity: a capacity block is
    already placed for low latency, and forcing a placement group onto a capacity reservation can leave
    part of it unusable (16 reserved, 11 launched: PLACEMENT_RESERVATION_ISSUE)."""
    if not interconnect:
        return Placement(cluster_placement_group=False)
    if capacity in ("reservation", "capacity-block"):
        return Placement(
            cluster_placement_group=False,
            warning=(
                f"node pool '{pool}': no cluster placement group on {capacity} capacity. "
                "The reserved instances are already placed by AWS, and a forced placement group can leave "
                f"part of the reservation unusable ({PLACEMENT_RESERVATION_ISSUE}). Ask AWS for a "
                "reservation in one placement group if you need one."
            ),
        )
    return Placement(cluster_placement_group=True)


@dataclass(frozen=True, slots=True)
class HelmChart:
    release: str
    chart: str
    version: str
    repo: str
    namespace: str
    source: str
    retrieved: str


# Device plugins the EKS AL2023 NVIDIA AMI does not ship: without them the kubelet advertises no
# `nvidia.com/gpu` and no `vpc.amazonaws.com/efa` ("Manage EFA devices on Amazon EKS": the AL2023 and
# Bottlerocket AMIs include the host EFA components but not the device plugin).
NVIDIA_DEVICE_PLUGIN = HelmChart(
    release="nvidia-device-plugin",
    chart="nvidia-device-plugin",
    version="0.17.1",
    repo="https://nvidia.github.io/k8s-device-plugin",
    namespace="kube-system",
    source="https://github.com/NVIDIA/k8s-device-plugin/releases",
    retrieved="2026-11-21",
)
EFA_DEVICE_PLUGIN = HelmChart(
    release="aws-efa-k8s-device-plugin",
    chart="aws-efa-k8s-device-plugin",
    version="v0.5.7",
    repo="https://aws.github.io/eks-charts",
    namespace="kube-system",
    source="https://docs.aws.amazon.com/eks/latest/userguide/device-management-efa.html",
    retrieved="2026-11-21",
)
GPU_TAINT = ("nvidia.com/gpu", "true", "NO_SCHEDULE")
