"""GkeWorkloadReady: the neutral workload plan (`aiinfra.components.workload`) made real on GKE.

- the jobs' namespace;
- Kueue with gang admission, and per GPU pool its ResourceFlavor (the pool's nodes, the GPU taint
  tolerated), ClusterQueue (the pool at its maximum size) and LocalQueue — the same names as on AWS;
- what GKE does itself is not reinstalled: the cluster autoscaler is GKE's own (the pools' autoscaling
  limits), GPU health is watched by node auto-repair and GKE's managed DCGM metrics (the cluster's
  monitoring config, `gke_cluster.py`), and the storage CSI drivers are GKE add-ons.

Storage claims are added when the GCP storage components are wired in (`GcpGpuCluster._create_storage`);
TPU pools get no queue here (the neutral plan queues GPUs only).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from aiinfra.components.workload import KUEUE, KUEUE_API, WorkloadPlan, kueue_manager_config

TYPE = "aiinfra:gcp:WorkloadReady"


@dataclass
class GkeWorkloadReadyArgs:
    plan: WorkloadPlan
    k8s_provider: pulumi.ProviderResource
    system_pool: pulumi.Resource


class GkeWorkloadReady(pulumi.ComponentResource):
    namespace: str
    local_queues: dict[str, str]

    def __init__(
        self, name: str, args: GkeWorkloadReadyArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        import pulumi_kubernetes as k8s

        self._name, self._args = name, args
        ns = k8s.core.v1.Namespace(
            f"{name}-ns",
            metadata={"name": args.plan.namespace, "labels": {"app.kubernetes.io/managed-by": "aiinfra"}},
            opts=self._k8s(),
        )
        self._kueue(ns)
        self.namespace = args.plan.namespace
        self.local_queues = {q.pool: q.local_queue for q in args.plan.queues}
        self.register_outputs({"namespace": self.namespace, "localQueues": self.local_queues})

    def _k8s(self, depends_on: list[pulumi.Resource] | None = None) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(
            parent=self,
            provider=self._args.k8s_provider,
            depends_on=[self._args.system_pool, *(depends_on or [])],
        )

    def _kueue(self, namespace: pulumi.Resource) -> None:
        import pulumi_kubernetes as k8s

        if not self._args.plan.queues:
            return
        kueue = k8s.helm.v3.Release(
            f"{self._name}-{KUEUE.release}",
            name=KUEUE.release,
            chart=KUEUE.chart,
            version=KUEUE.version,
            namespace=KUEUE.namespace,
            create_namespace=True,
            values={"managerConfig": {"controllerManagerConfigYaml": kueue_manager_config()}},
            opts=self._k8s(),
        )

        def cr(kind: str, name: str, spec: dict[str, object], ns: str | None = None) -> None:
            k8s.apiextensions.CustomResource(
                f"{self._name}-{kind.lower()}-{name}",
                api_version=KUEUE_API,
                kind=kind,
                metadata={"name": name, **({"namespace": ns} if ns else {})},
                spec=spec,
                opts=self._k8s([kueue, namespace] if ns else [kueue]),
            )

        for q in self._args.plan.queues:
            if q.topology:
                cr("Topology", q.topology, q.topology_spec())
            cr("ResourceFlavor", q.flavor, q.resource_flavor())
            cr("ClusterQueue", q.cluster_queue, q.cluster_queue_spec())
            cr("LocalQueue", q.local_queue, {"clusterQueue": q.cluster_queue}, ns=q.namespace)
