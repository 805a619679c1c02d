"""What a workload-ready cluster gets, on any cloud: pure data, no Pulumi import.

A cluster is workload-ready when a job can (1) mount every storage entry by name from one namespace,
(2) ask for GPUs through a queue that admits a multi-node job whole or not at all, (3) make an
autoscaled pool grow from zero, and (4) have its GPUs' health watched. `plan_workload` turns a cluster spec
and the machines of its pools into that description; each cloud's component realises it with its own CSI
drivers, autoscaler and roles (AWS: `components/aws/workload.py`). Later slices (GKE, AKS) reuse this
module and write only their realisation, so names a user types (`scratch`, the queue `h100`, the
namespace `ml`) are the same on every cloud.

Why here and not in `clouds/`: a cloud profile answers "what can this cloud do"; this answers "what a
cluster built by these components contains", which is a component concern shared by the clouds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from aiinfra.components.aws.rules import HelmChart

WORKLOAD_NAMESPACE = "ml"
"""The namespace jobs run in: the storage claims and the local queues live here."""
GPU_RESOURCE = "nvidia.com/gpu"
TOPOLOGY_HOST_LABEL = "kubernetes.io/hostname"

# Kueue: chart from its documented OCI registry ("Install by Helm",
# kubernetes-sigs/kueue site/content/en/docs/getting-started/installation.md @ff69552; Chart.yaml there
# says version 0.19.2). API kueue.x-k8s.io/v1beta2 (v1beta1 deprecated).
KUEUE = HelmChart(
    release="kueue",
    chart="oci://registry.k8s.io/kueue/charts/kueue",
    version="0.19.2",
    repo="oci://registry.k8s.io/kueue/charts",
    namespace="kueue-system",
    source="https://github.com/kubernetes-sigs/kueue/blob/ff69552/charts/kueue/Chart.yaml",
    retrieved="2026-12-04",
)
KUEUE_API = "kueue.x-k8s.io/v1beta2"
# DCGM exporter rather than the GPU Operator: the EKS AL2023 NVIDIA AMI (and GKE/AKS GPU images) ship the
# driver and container toolkit, and the device plugin is installed already; the Operator would have to
# turn most of itself off (a second driver on a GPU AMI breaks nodes). NVIDIA/dcgm-exporter
# deployment/Chart.yaml @d5e5f51: 4.8.2; repo from its README.
DCGM_EXPORTER = HelmChart(
    release="dcgm-exporter",
    chart="dcgm-exporter",
    version="4.8.2",
    repo="https://nvidia.github.io/dcgm-exporter/helm-charts",
    namespace="kube-system",
    source="https://github.com/NVIDIA/dcgm-exporter/blob/d5e5f51/deployment/Chart.yaml",
    retrieved="2026-12-04",
)

# Gang admission: without waitForPodsReady two half-admitted jobs can hold each other's GPUs forever
# (Kueue "Sequential admission with ready pods"). blockAdmission admits the next job only once the last
# one's pods all run; a job whose pods are not all ready in `timeout` is evicted and requeued whole.
WAIT_FOR_PODS_READY = {
    "timeout": "30m",
    "blockAdmission": True,
    "requeuingStrategy": {"timestamp": "Eviction", "backoffBaseSeconds": 60, "backoffMaxSeconds": 3600},
}
KUEUE_FRAMEWORKS = [
    "batch/job",
    "jobset.x-k8s.io/jobset",
    "kubeflow.org/mpijob",
    "trainer.kubeflow.org/trainjob",
]


def kueue_manager_config() -> str:
    """The controller's configuration (the chart's `managerConfig.controllerManagerConfigYaml`): the
    chart's defaults for health, metrics, webhook and leader election, plus waitForPodsReady and the job
    kinds it manages. JSON is YAML, so it is written as JSON."""
    return json.dumps(
        {
            "apiVersion": "config.kueue.x-k8s.io/v1beta2",
            "kind": "Configuration",
            "health": {"healthProbeBindAddress": ":8081"},
            "metrics": {"bindAddress": ":8443"},
            "webhook": {"port": 9443},
            "leaderElection": {"leaderElect": True, "resourceName": "c1f6bfd2.kueue.x-k8s.io"},
            "waitForPodsReady": WAIT_FOR_PODS_READY,
            "integrations": {"frameworks": KUEUE_FRAMEWORKS},
        },
        indent=2,
    )


@dataclass(frozen=True, slots=True)
class PoolMachine:
    """What the neutral plan needs to know of a pool's machine and placement."""

    gpus: int
    vcpu: int
    memory_gib: int
    max_nodes: int
    min_nodes: int
    labels: Mapping[str, str]
    """The labels that pick out this pool's nodes (the queue's flavor selects nodes by them)."""
    template_labels: Mapping[str, str]
    """Every label the pool's nodes carry (an autoscaler growing the pool from zero matches pods by them)."""
    taint: tuple[str, str, str]
    """(key, value, effect) in Kubernetes spelling, e.g. ('nvidia.com/gpu', 'true', 'NoSchedule')."""
    fabric_resources: Mapping[str, int] = field(default_factory=dict)
    """Per-node device resources of the fabric, e.g. {'vpc.amazonaws.com/efa': 32}."""
    topology_labels: tuple[str, ...] = ()
    """Node labels of the fabric's topology, coarsest first (empty: no topology-aware placement)."""

    @property
    def autoscaled(self) -> bool:
        return self.min_nodes != self.max_nodes


@dataclass(frozen=True, slots=True)
class Volume:
    storage: str
    """The storage entry's name; also the claim's name, what a pod mounts."""
    kind: str
    namespace: str = WORKLOAD_NAMESPACE

    @property
    def claim(self) -> str:
        return self.storage

    @property
    def volume(self) -> str:
        """The PersistentVolume (cluster-scoped, so named with its namespace)."""
        return f"{self.namespace}-{self.storage}"


@dataclass(frozen=True, slots=True)
class GpuQueue:
    pool: str
    quota: Mapping[str, int | str]
    """Resource → nominal quota: the pool at its maximum size."""
    node_labels: Mapping[str, str]
    tolerations: list[dict[str, str]]
    topology: str | None
    topology_levels: tuple[str, ...]
    namespace: str = WORKLOAD_NAMESPACE

    @property
    def flavor(self) -> str:
        return self.pool

    @property
    def cluster_queue(self) -> str:
        return self.pool

    @property
    def local_queue(self) -> str:
        """The name a job puts in its `kueue.x-k8s.io/queue-name` label."""
        return self.pool

    def resource_flavor(self) -> dict[str, object]:
        spec: dict[str, object] = {"nodeLabels": dict(self.node_labels), "tolerations": self.tolerations}
        if self.topology:
            spec["topologyName"] = self.topology
        return spec

    def cluster_queue_spec(self) -> dict[str, object]:
        return {
            "namespaceSelector": {},
            "resourceGroups": [
                {
                    "coveredResources": list(self.quota),
                    "flavors": [
                        {
                            "name": self.flavor,
                            "resources": [{"name": k, "nominalQuota": v} for k, v in self.quota.items()],
                        }
                    ],
                }
            ],
        }

    def topology_spec(self) -> dict[str, object]:
        return {"levels": [{"nodeLabel": label} for label in self.topology_levels]}


@dataclass(frozen=True, slots=True)
class WorkloadPlan:
    namespace: str
    volumes: list[Volume]
    queues: list[GpuQueue]
    autoscaled_pools: list[str]
    """Pools with minNodes != maxNodes: the autoscaler must be able to find and grow them."""

    @property
    def needs_autoscaler(self) -> bool:
        return bool(self.autoscaled_pools)


def _gi(value: int) -> str:
    return f"{value}Gi"


def queue_for(pool: str, m: PoolMachine) -> GpuQueue:
    """One ClusterQueue per GPU pool whose quota is the whole pool at its maximum: every resource a job's
    pod asks for must be covered, or Kueue never admits it, so CPU, memory and the fabric's devices are
    in it beside the GPUs."""
    quota: dict[str, int | str] = {
        GPU_RESOURCE: m.max_nodes * m.gpus,
        "cpu": m.max_nodes * m.vcpu,
        "memory": _gi(m.max_nodes * m.memory_gib),
        **{k: m.max_nodes * v for k, v in m.fabric_resources.items()},
    }
    key, value, effect = m.taint
    levels = (*m.topology_labels, TOPOLOGY_HOST_LABEL) if m.topology_labels else ()
    return GpuQueue(
        pool=pool,
        quota=quota,
        node_labels=dict(m.labels),
        tolerations=[{"key": key, "operator": "Equal", "value": value, "effect": effect}],
        topology=f"{pool}-fabric" if levels else None,
        topology_levels=levels,
    )


def plan_workload(storage: Mapping[str, str], pools: Mapping[str, PoolMachine]) -> WorkloadPlan:
    """The workload description of a cluster: `storage` maps each mountable entry's name to its kind (in
    spec order), `pools` each node pool's name to its machine."""
    return WorkloadPlan(
        namespace=WORKLOAD_NAMESPACE,
        volumes=[Volume(name, kind) for name, kind in storage.items()],
        queues=[queue_for(name, m) for name, m in pools.items() if m.gpus > 0],
        autoscaled_pools=[name for name, m in pools.items() if m.autoscaled],
    )
