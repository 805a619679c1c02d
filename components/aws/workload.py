"""AwsWorkloadReady: what makes an EKS GPU cluster usable by a job, realising the cloud-neutral
`aiinfra.components.workload.WorkloadPlan` on EKS.

- storage in pods: the EBS, FSx for Lustre and Mountpoint for S3 CSI drivers as EKS add-ons, each with an
  EKS Pod Identity role scoped to what this cluster created (the Lustre file systems, the buckets and
  their keys); per storage entry a static PersistentVolume bound to it and a claim of the same name in the
  workload namespace;
- autoscaling: Cluster Autoscaler (Helm) with its own Pod Identity role, and the discovery and
  scale-from-zero tags on each autoscaled pool's Auto Scaling group (managed node group tags do not
  reach the group);
- gang scheduling: Kueue (Helm) with waitForPodsReady, and per GPU pool a ResourceFlavor, ClusterQueue
  and LocalQueue (and a Topology where the pool has EFA);
- GPU health: the EKS node monitoring agent add-on (it feeds node auto repair, on in GpuNodePool) and the
  DCGM exporter (Helm) on GPU nodes.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from aiinfra.components.aws import iam
from aiinfra.components.aws.gpu_node_pool import GpuNodePool
from aiinfra.components.aws.lustre import LustreFileSystem
from aiinfra.components.aws.object_bucket import ObjectBucket
from aiinfra.components.aws.rules import (
    CLUSTER_AUTOSCALER,
    CLUSTER_AUTOSCALER_IMAGE,
    CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
    EBS_CSI,
    EBS_CSI_POLICY,
    FSX_CSI,
    GPU_TAINT,
    KUBERNETES_TAINT_EFFECT,
    NODE_MONITORING_AGENT,
    S3_CSI,
    CsiAddon,
    HelmChart,
    asg_tag_slug,
    autoscaler_asg_tags,
    autoscaler_policy,
    cluster_autoscaler_tag,
    fsx_csi_policy,
    mountpoint_s3_policy,
)
from aiinfra.components.workload import (
    DCGM_EXPORTER,
    KUEUE,
    KUEUE_API,
    PoolMachine,
    Volume,
    WorkloadPlan,
    kueue_manager_config,
)

TYPE = "aiinfra:aws:WorkloadReady"
SYSTEM_NODES = {"aiinfra.dev/pool": "system"}
S3_VOLUME_CAPACITY = "1200Gi"
"""A PersistentVolume must state a capacity; Mountpoint ignores it (a bucket has no size)."""


@dataclass
class AwsWorkloadReadyArgs:
    plan: WorkloadPlan
    cluster_name: pulumi.Input[str]
    region: str
    kubernetes_version: str
    k8s_provider: pulumi.ProviderResource
    pod_identity_agent: pulumi.Resource
    system_nodes: pulumi.Resource
    pools: dict[str, tuple[GpuNodePool, PoolMachine]]
    file_systems: dict[str, tuple[LustreFileSystem, int]]
    """Storage name → (file system, capacity GiB)."""
    buckets: dict[str, ObjectBucket]
    tags: dict[str, str] = field(default_factory=dict)


class AwsWorkloadReady(pulumi.ComponentResource):
    namespace: str
    claims: dict[str, str]
    local_queues: dict[str, str]

    def __init__(
        self, name: str, args: AwsWorkloadReadyArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        self._name, self._args = name, args
        self._partition = iam.partition_of(args.region)
        self._storage_addons()
        self._addon(NODE_MONITORING_AGENT)
        if args.plan.needs_autoscaler:
            self._autoscaler()
        namespace = self._k8s_namespace()
        self._volumes(namespace)
        self._kueue(namespace)
        self._helm(
            DCGM_EXPORTER,
            {
                "tolerations": [_toleration()],
                "nodeSelector": {"aiinfra.dev/accelerator-vendor": "nvidia"},
            },
        )

        self.namespace = args.plan.namespace
        self.claims = {v.storage: v.claim for v in args.plan.volumes}
        self.local_queues = {q.pool: q.local_queue for q in args.plan.queues}
        self.register_outputs(
            {"namespace": self.namespace, "claims": self.claims, "localQueues": self.local_queues}
        )

    # --- AWS side: add-ons and their roles
    def _child(self, depends_on: list[pulumi.Resource] | None = None) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, depends_on=depends_on)

    def _pod_role(self, short: str) -> aws.iam.Role:
        return aws.iam.Role(
            f"{self._name}-{short}-role",
            assume_role_policy=iam.assume_role_policy("pods.eks.amazonaws.com", tag_session=True),
            tags=self._args.tags,
            opts=self._child(),
        )

    def _addon(
        self, addon: str, role: aws.iam.Role | None = None, csi: CsiAddon | None = None
    ) -> aws.eks.Addon:
        associations = (
            [aws.eks.AddonPodIdentityAssociationArgs(role_arn=role.arn, service_account=csi.service_account)]
            if role is not None and csi is not None
            else None
        )
        return aws.eks.Addon(
            f"{self._name}-{addon}",
            cluster_name=self._args.cluster_name,
            addon_name=addon,
            resolve_conflicts_on_update="OVERWRITE",
            pod_identity_associations=associations,
            tags=self._args.tags,
            opts=self._child(depends_on=[self._args.pod_identity_agent, self._args.system_nodes]),
        )

    def _storage_addons(self) -> None:
        """EBS always (block volumes); FSx and Mountpoint for S3 when there is a file system / bucket, their
        roles allowed exactly those."""
        args = self._args
        ebs = self._pod_role("ebs-csi")
        aws.iam.RolePolicyAttachment(
            f"{self._name}-ebs-csi-policy",
            role=ebs.name,
            policy_arn=iam.managed_policy(self._partition, EBS_CSI_POLICY),
            opts=self._child(),
        )
        self._addon(EBS_CSI.addon, ebs, EBS_CSI)
        if args.file_systems:
            fsx = self._pod_role("fsx-csi")
            arns = [fs.file_system_arn for fs, _ in args.file_systems.values()]
            aws.iam.RolePolicy(
                f"{self._name}-fsx-csi-policy",
                role=fsx.id,
                policy=pulumi.Output.all(*arns).apply(lambda a: json.dumps(fsx_csi_policy(list(a)))),
                opts=self._child(),
            )
            self._addon(FSX_CSI.addon, fsx, FSX_CSI)
        if args.buckets:
            s3 = self._pod_role("s3-csi")
            pairs = [pulumi.Output.all(b.bucket_arn, b.kms_key_arn) for b in args.buckets.values()]
            aws.iam.RolePolicy(
                f"{self._name}-s3-csi-policy",
                role=s3.id,
                policy=pulumi.Output.all(*pairs).apply(
                    lambda p: json.dumps(mountpoint_s3_policy([(b, k) for b, k in p]))
                ),
                opts=self._child(),
            )
            self._addon(S3_CSI.addon, s3, S3_CSI)

    def _autoscaler(self) -> None:
        """Cluster Autoscaler's role (Pod Identity), the tags on each autoscaled pool's group, the chart."""
        args = self._args
        role = self._pod_role("autoscaler")
        aws.iam.RolePolicy(
            f"{self._name}-autoscaler-policy",
            role=role.id,
            policy=pulumi.Output.from_input(args.cluster_name).apply(
                lambda c: json.dumps(autoscaler_policy(c))
            ),
            opts=self._child(),
        )
        association = aws.eks.PodIdentityAssociation(
            f"{self._name}-autoscaler-pod-identity",
            cluster_name=args.cluster_name,
            namespace=CLUSTER_AUTOSCALER.namespace,
            service_account=CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
            role_arn=role.arn,
            tags=args.tags,
            opts=self._child(depends_on=[args.pod_identity_agent]),
        )
        for pool_name in args.plan.autoscaled_pools:
            pool, machine = args.pools[pool_name]
            self._asg_tags(pool_name, pool, machine)
        cluster = pulumi.Output.from_input(args.cluster_name)
        self._helm(
            CLUSTER_AUTOSCALER,
            {
                "cloudProvider": "aws",
                "awsRegion": args.region,
                "autoDiscovery": {"clusterName": cluster},
                "image": {
                    "repository": CLUSTER_AUTOSCALER_IMAGE,
                    "tag": cluster_autoscaler_tag(args.kubernetes_version),
                },
                "rbac": {"serviceAccount": {"name": CLUSTER_AUTOSCALER_SERVICE_ACCOUNT}},
                "nodeSelector": SYSTEM_NODES,
                "extraArgs": {"balance-similar-node-groups": True, "expander": "least-waste"},
            },
            depends_on=[association],
        )

    def _asg_tags(self, pool_name: str, pool: GpuNodePool, m: PoolMachine) -> None:
        marker = "\x00cluster\x00"
        efa = sum(m.fabric_resources.values())
        tags = autoscaler_asg_tags(
            marker, gpus=m.gpus, efa_devices=efa, labels=dict(m.template_labels), taint=GPU_TAINT
        )
        cluster = pulumi.Output.from_input(self._args.cluster_name)
        for key, value in tags.items():
            slug = asg_tag_slug(key, marker)
            aws.autoscaling.Tag(
                f"{self._name}-{pool_name}-{slug}",
                autoscaling_group_name=pool.autoscaling_group_name,
                tag=aws.autoscaling.TagTagArgs(
                    key=cluster.apply(functools.partial(_with_cluster, key, marker))
                    if marker in key
                    else key,
                    value=value,
                    propagate_at_launch=False,
                ),
                opts=self._child(),
            )

    # --- Kubernetes side
    def _k8s(self, depends_on: list[pulumi.Resource] | None = None) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(
            parent=self,
            provider=self._args.k8s_provider,
            depends_on=[self._args.system_nodes, *(depends_on or [])],
        )

    def _helm(
        self, chart: HelmChart, values: dict[str, object], depends_on: list[pulumi.Resource] | None = None
    ) -> pulumi.Resource:
        import pulumi_kubernetes as k8s

        oci = chart.chart.startswith("oci://")
        return k8s.helm.v3.Release(
            f"{self._name}-{chart.release}",
            name=chart.release,
            chart=chart.chart,
            version=chart.version,
            namespace=chart.namespace,
            create_namespace=chart.namespace != "kube-system",
            repository_opts=None if oci else k8s.helm.v3.RepositoryOptsArgs(repo=chart.repo),
            values=values,
            opts=self._k8s(depends_on),
        )

    def _k8s_namespace(self) -> pulumi.Resource:
        import pulumi_kubernetes as k8s

        return k8s.core.v1.Namespace(
            f"{self._name}-ns",
            metadata={
                "name": self._args.plan.namespace,
                "labels": {"app.kubernetes.io/managed-by": "aiinfra"},
            },
            opts=self._k8s(),
        )

    def _volumes(self, namespace: pulumi.Resource) -> None:
        """A static PersistentVolume per storage entry, bound to its claim (storageClassName "" keeps any
        default class from provisioning a new volume instead)."""
        import pulumi_kubernetes as k8s

        args = self._args
        for v in args.plan.volumes:
            csi, capacity, mount_options = self._volume_source(v)
            k8s.core.v1.PersistentVolume(
                f"{self._name}-{v.storage}-pv",
                metadata={"name": v.volume},
                spec={
                    "capacity": {"storage": capacity},
                    "accessModes": ["ReadWriteMany"],
                    "persistentVolumeReclaimPolicy": "Retain",
                    "storageClassName": "",
                    "claimRef": {"namespace": v.namespace, "name": v.claim},
                    "mountOptions": mount_options,
                    "csi": csi,
                },
                opts=self._k8s(),
            )
            k8s.core.v1.PersistentVolumeClaim(
                f"{self._name}-{v.storage}-pvc",
                metadata={"name": v.claim, "namespace": v.namespace},
                spec={
                    "accessModes": ["ReadWriteMany"],
                    "storageClassName": "",
                    "volumeName": v.volume,
                    "resources": {"requests": {"storage": capacity}},
                },
                opts=self._k8s([namespace]),
            )

    def _volume_source(self, v: Volume) -> tuple[dict[str, object], str, list[str]]:
        """(csi, capacity, mount options) for a storage entry (aws-fsx-csi-driver and
        mountpoint-s3-csi-driver examples/kubernetes/static_provisioning)."""
        if v.kind == "lustre":
            fs, capacity_gib = self._args.file_systems[v.storage]
            csi = {
                "driver": FSX_CSI.driver,
                "volumeHandle": fs.file_system_id,
                "volumeAttributes": {"dnsname": fs.dns_name, "mountname": fs.mount_name},
            }
            return csi, f"{capacity_gib}Gi", ["flock"]
        bucket = self._args.buckets[v.storage]
        csi = {
            "driver": S3_CSI.driver,
            "volumeHandle": f"s3-{v.namespace}-{v.storage}",
            "volumeAttributes": {"bucketName": bucket.bucket_name},
        }
        return csi, S3_VOLUME_CAPACITY, ["allow-delete", f"region {self._args.region}"]

    def _kueue(self, namespace: pulumi.Resource) -> None:
        """Kueue, then per GPU pool its Topology (with EFA), ResourceFlavor, ClusterQueue and LocalQueue."""
        import pulumi_kubernetes as k8s

        kueue = self._helm(KUEUE, {"managerConfig": {"controllerManagerConfigYaml": kueue_manager_config()}})

        def cr(kind: str, name: str, spec: dict[str, object], ns: str | None = None) -> pulumi.Resource:
            metadata: dict[str, str] = {"name": name, **({"namespace": ns} if ns else {})}
            return k8s.apiextensions.CustomResource(
                f"{self._name}-{kind.lower()}-{name}",
                api_version=KUEUE_API,
                kind=kind,
                metadata=metadata,
                spec=spec,
                opts=self._k8s([kueue, namespace] if ns else [kueue]),
            )

        for q in self._args.plan.queues:
            if q.topology:
                cr("Topology", q.topology, q.topology_spec())
            cr("ResourceFlavor", q.flavor, q.resource_flavor())
            cr("ClusterQueue", q.cluster_queue, q.cluster_queue_spec())
            cr("LocalQueue", q.local_queue, {"clusterQueue": q.cluster_queue}, ns=q.namespace)


def _toleration() -> dict[str, str]:
    key, value, effect = GPU_TAINT
    return {"key": key, "operator": "Equal", "value": value, "effect": KUBERNETES_TAINT_EFFECT[effect]}


def _with_cluster(key: str, marker: str, cluster: str) -> str:
    """A tag key naming the cluster (`k8s.io/cluster-autoscaler/<cluster>`), once its name is known."""
    return key.replace(marker, cluster)
