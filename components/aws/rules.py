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

# --- What a workload-ready EKS cluster gets (aiinfra.components.workload says what; this says how on EKS).
KUBERNETES_TAINT_EFFECT = {
    "NO_SCHEDULE": "NoSchedule",
    "NO_EXECUTE": "NoExecute",
    "PREFER_NO_SCHEDULE": "PreferNoSchedule",
}
EFA_RESOURCE = "vpc.amazonaws.com/efa"
# Node labels EKS puts on instances that support the instance topology API (p4d, p5, p5e, p5en, p6, trn):
# the network nodes above the instance, layer 1 the farthest (https://docs.aws.amazon.com/eks/latest/
# userguide/ml-workload-topology.html). Kueue's topology-aware scheduling packs a job under the fewest.
EKS_TOPOLOGY_LABELS = (
    "topology.k8s.aws/network-node-layer-1",
    "topology.k8s.aws/network-node-layer-2",
    "topology.k8s.aws/network-node-layer-3",
)

# Cluster Autoscaler, not Karpenter: the GPU pools are EKS managed node groups with EFA launch templates,
# cluster placement groups, capacity reservations and capacity blocks, and node auto repair; Cluster
# Autoscaler scales those groups as they are (node-group auto-discovery), Karpenter would replace them.
# Chart: kubernetes/autoscaler cluster-autoscaler/charts/cluster-autoscaler/Chart.yaml @55c37cd (9.59.0).
CLUSTER_AUTOSCALER = HelmChart(
    release="cluster-autoscaler",
    chart="cluster-autoscaler",
    version="9.59.0",
    repo="https://kubernetes.github.io/autoscaler",
    namespace="kube-system",
    source="https://github.com/kubernetes/autoscaler/blob/55c37cd/cluster-autoscaler/charts/cluster-autoscaler/Chart.yaml",
    retrieved="2026-12-04",
)
CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = "cluster-autoscaler"
# The autoscaler's minor version must match Kubernetes' (its README); the latest patch of each minor,
# from the repository's cluster-autoscaler-1.x.y tags @55c37cd. Image: registry.k8s.io/autoscaling/.
CLUSTER_AUTOSCALER_IMAGE = "registry.k8s.io/autoscaling/cluster-autoscaler"
CLUSTER_AUTOSCALER_TAGS = {
    "1.31": "v1.31.5",
    "1.32": "v1.32.7",
    "1.33": "v1.33.6",
    "1.34": "v1.34.5",
    "1.35": "v1.35.2",
}


def cluster_autoscaler_tag(kubernetes_version: str) -> str:
    tag = CLUSTER_AUTOSCALER_TAGS.get(kubernetes_version)
    if tag is None:
        raise ValueError(
            f"no Cluster Autoscaler release known for Kubernetes {kubernetes_version}; known: "
            f"{', '.join(CLUSTER_AUTOSCALER_TAGS)} (add the matching tag to CLUSTER_AUTOSCALER_TAGS)"
        )
    return tag


AUTOSCALER_TAG_PREFIX = "k8s.io/cluster-autoscaler"


def autoscaler_asg_tags(
    cluster_name: str,
    *,
    gpus: int,
    efa_devices: int,
    labels: dict[str, str],
    taint: tuple[str, str, str],
) -> dict[str, str]:
    """The tags an autoscaled pool's Auto Scaling group needs: auto-discovery (EKS puts these on managed
    node groups' groups itself; set again so discovery does not depend on it) and the node-template hints
    that let the autoscaler grow a group from zero for a pending GPU/EFA pod (it cannot read a node that
    does not exist). kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/README.md @55c37cd."""
    key, value, effect = taint
    template = f"{AUTOSCALER_TAG_PREFIX}/node-template"
    tags = {
        f"{AUTOSCALER_TAG_PREFIX}/enabled": "true",
        f"{AUTOSCALER_TAG_PREFIX}/{cluster_name}": "owned",
        f"{template}/resources/nvidia.com/gpu": str(gpus),
        **({f"{template}/resources/{EFA_RESOURCE}": str(efa_devices)} if efa_devices else {}),
        **{f"{template}/label/{k}": v for k, v in labels.items()},
        f"{template}/taint/{key}": f"{value}:{KUBERNETES_TAINT_EFFECT[effect]}",
    }
    return tags


def asg_tag_slug(key: str, cluster_marker: str) -> str:
    """A short, stable resource-name part for an autoscaler tag key (names stay readable in a plan)."""
    rest = key.removeprefix(f"{AUTOSCALER_TAG_PREFIX}/")
    if rest == "enabled":
        return "discovery"
    if rest == cluster_marker:
        return "owner"
    kind, _, what = rest.removeprefix("node-template/").partition("/")
    what = what.removeprefix("aiinfra.dev/").removeprefix("nvidia.com/").removeprefix("vpc.amazonaws.com/")
    return f"{kind}-{what}".replace("/", "-").replace(".", "-")


def autoscaler_policy(cluster_name: str) -> dict[str, object]:
    """Cluster Autoscaler's role: describe anything (auto-discovery needs it), but change only groups
    tagged as this cluster's (the README's recommended policy, its second block restricted by tag)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ec2:GetInstanceTypesFromInstanceRequirements",
                    "eks:DescribeNodegroup",
                ],
                "Resource": "*",
            },
            {
                "Effect": "Allow",
                "Action": [
                    "autoscaling:SetDesiredCapacity",
                    "autoscaling:TerminateInstanceInAutoScalingGroup",
                ],
                "Resource": "*",
                "Condition": {
                    "StringEquals": {f"aws:ResourceTag/{AUTOSCALER_TAG_PREFIX}/{cluster_name}": "owned"}
                },
            },
        ],
    }


def mountpoint_s3_policy(buckets: list[tuple[str, str]]) -> dict[str, object]:
    """Mountpoint for S3's role, for the given (bucket ARN, KMS key ARN) pairs only: list the bucket,
    read, write and delete its objects (mountpoint-s3-csi-driver docs/install.md), and use its key."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ListBuckets",
                "Effect": "Allow",
                "Action": ["s3:ListBucket"],
                "Resource": [b for b, _ in buckets],
            },
            {
                "Sid": "ReadWriteObjects",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:DeleteObject"],
                "Resource": [f"{b}/*" for b, _ in buckets],
            },
            {
                "Sid": "BucketKeys",
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": [k for _, k in buckets],
            },
        ],
    }


def fsx_csi_policy(file_system_arns: list[str]) -> dict[str, object]:
    """The FSx CSI controller's role, for these file systems only. Volumes are provisioned statically
    (the file systems are Pulumi's), so the controller only describes them; creating or deleting file
    systems (AmazonFSxFullAccess) is not granted."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["fsx:DescribeFileSystems"], "Resource": list(file_system_arns)}
        ],
    }


@dataclass(frozen=True, slots=True)
class CsiAddon:
    addon: str
    service_account: str
    driver: str


# EKS add-ons and their controllers' service accounts (EKS user guide, "AWS add-ons").
EBS_CSI = CsiAddon("aws-ebs-csi-driver", "ebs-csi-controller-sa", "ebs.csi.aws.com")
FSX_CSI = CsiAddon("aws-fsx-csi-driver", "fsx-csi-controller-sa", "fsx.csi.aws.com")
S3_CSI = CsiAddon("aws-mountpoint-s3-csi-driver", "s3-csi-driver-sa", "s3.csi.aws.com")
EBS_CSI_POLICY = "service-role/AmazonEBSCSIDriverPolicy"
NODE_MONITORING_AGENT = "eks-node-monitoring-agent"
