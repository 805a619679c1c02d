"""AksGpuOperators: what the cluster runs so pods get GPUs, and InfiniBand through RDMA, as Azure documents it
for AKS (Azure/aks-rdma-infiniband @700dabb; the versions and values are in `rules`).

- The NVIDIA GPU Operator on every GPU pool (AKS installs no driver there): driver, container toolkit,
  device plugin (`nvidia.com/gpu`), GPU feature discovery, DCGM exporter. With InfiniBand pools its driver
  is built with GPUDirect RDMA, and it leaves node feature discovery to the Network Operator.
- With InfiniBand pools, the NVIDIA Network Operator: node feature discovery, a NodeFeatureRule that labels
  nodes with Mellanox ConnectX VFs, and a NicClusterPolicy that runs the DOCA OFED driver and the SR-IOV
  device plugin there, so a pod can request `rdma/ib` (one per IB NIC; eight on an ND H100 v5 VM) and
  needs the IPC_LOCK capability.
- Both operators run privileged pods: their namespaces enforce the `privileged` pod security level.
- Everything on the cluster's Kubernetes provider, after the cluster and the deployer's admin role exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi

from aiinfra.components.azure.rules import (
    GPU_OPERATOR,
    NETWORK_OPERATOR,
    PRIVILEGED_NAMESPACE_LABELS,
    RDMA_RESOURCE,
    HelmChart,
    gpu_operator_values,
    network_operator_values,
    nic_cluster_policy,
    node_feature_rule,
)

TYPE = "aiinfra:azure:GpuOperators"


@dataclass
class AksGpuOperatorsArgs:
    k8s_provider: pulumi.ProviderResource
    infiniband: bool
    """Whether any pool of the cluster is on InfiniBand (then the Network Operator and RDMA)."""
    depends_on: Sequence[pulumi.Resource] = field(default_factory=list)
    """The cluster, the deployer's role on it, and the GPU pools."""


class AksGpuOperators(pulumi.ComponentResource):
    rdma_resource: str | None
    """The extended resource a pod requests for InfiniBand, or None without InfiniBand pools."""

    def __init__(
        self, name: str, args: AksGpuOperatorsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        # Imported here: pulumi_kubernetes is needed only once a cluster is declared.
        import pulumi_kubernetes as k8s

        self._k8s = k8s
        self._provider = args.k8s_provider
        after = list(args.depends_on)
        network_operator: list[pulumi.Resource] = []
        if args.infiniband:
            release = self._release(name, NETWORK_OPERATOR, network_operator_values(), after)
            rule = k8s.apiextensions.CustomResource(
                f"{name}-mellanox-nodes",
                api_version="nfd.k8s-sigs.io/v1alpha1",
                kind="NodeFeatureRule",
                # Cluster-scoped, as Azure's rule is (no namespace).
                metadata=k8s.meta.v1.ObjectMetaArgs(name="aiinfra-mellanox-ib"),
                spec=node_feature_rule(),
                opts=self._opts([release]),
            )
            policy = k8s.apiextensions.CustomResource(
                f"{name}-nic-cluster-policy",
                api_version="mellanox.com/v1alpha1",
                kind="NicClusterPolicy",
                # The Network Operator reconciles only the policy of this name.
                metadata=k8s.meta.v1.ObjectMetaArgs(name="nic-cluster-policy"),
                spec=nic_cluster_policy(),
                opts=self._opts([release, rule]),
            )
            network_operator = [release, policy]
        self._release(name, GPU_OPERATOR, gpu_operator_values(rdma=args.infiniband), after + network_operator)
        self.rdma_resource = RDMA_RESOURCE if args.infiniband else None
        self.register_outputs({"rdmaResource": self.rdma_resource})

    def _opts(self, depends_on: Sequence[pulumi.Resource]) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, provider=self._provider, depends_on=list(depends_on))

    def _release(
        self, name: str, chart: HelmChart, values: dict[str, object], after: Sequence[pulumi.Resource]
    ) -> pulumi.Resource:
        """The chart's namespace (privileged pods allowed), then the chart in it."""
        k8s = self._k8s
        namespace = k8s.core.v1.Namespace(
            f"{name}-{chart.namespace}-ns",
            metadata=k8s.meta.v1.ObjectMetaArgs(name=chart.namespace, labels=PRIVILEGED_NAMESPACE_LABELS),
            opts=self._opts(after),
        )
        return k8s.helm.v3.Release(
            f"{name}-{chart.release}",
            # The release name Azure's guide uses; one of each per cluster, so no random suffix (and no
            # risk of passing Helm's 53-character limit with a long cluster name).
            name=chart.release,
            chart=chart.chart,
            version=chart.version,
            namespace=chart.namespace,
            repository_opts=k8s.helm.v3.RepositoryOptsArgs(repo=chart.repo),
            values=values,
            # Wait for the operator to be ready: its CRDs must exist before the custom resources.
            skip_await=False,
            timeout=900,
            opts=self._opts([*after, namespace]),
        )
