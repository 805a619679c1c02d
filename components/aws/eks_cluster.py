"""EksCluster: the Kubernetes control plane a GPU cluster runs on, and what makes its GPUs schedulable.

- a KMS key (rotated) that envelope-encrypts Kubernetes secrets;
- private API endpoint by default (public only for the CIDRs the spec lists, never 0.0.0.0/0);
- access entries (API authentication mode), control-plane audit logs;
- a least-privilege node role (the VPC CNI gets its policy through EKS Pod Identity, not the node role);
- a small system node group (CPU) for CoreDNS and the device plugins' controllers;
- the NVIDIA and EFA device plugins (Helm), tolerating the GPU taint.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from aiinfra.components.aws import iam, launch
from aiinfra.components.aws.kms import customer_key
from aiinfra.components.aws.rules import (
    EFA_DEVICE_PLUGIN,
    GPU_TAINT,
    NVIDIA_DEVICE_PLUGIN,
    SYSTEM_AMI_TYPE,
    HelmChart,
)

TYPE = "aiinfra:aws:EksCluster"
LOG_TYPES = ["api", "audit", "authenticator"]


@dataclass
class EksClusterArgs:
    vpc_id: pulumi.Input[str]
    subnet_ids: Sequence[pulumi.Input[str]]
    region: str
    kubernetes_version: str = "1.35"
    public_access_cidrs: list[str] = field(default_factory=list)
    """Empty: private endpoint only. Otherwise the public endpoint is open to exactly these CIDRs."""
    system_instance_type: str = "m7i.xlarge"
    system_nodes: int = 2
    efa_device_plugin: bool = True
    tags: dict[str, str] = field(default_factory=dict)


class EksCluster(pulumi.ComponentResource):
    cluster_name: pulumi.Output[str]
    endpoint: pulumi.Output[str]
    cluster_security_group_id: pulumi.Output[str]
    node_role_arn: pulumi.Output[str]
    secrets_key_arn: pulumi.Output[str]
    kubeconfig: pulumi.Output[str]
    pod_identity_agent: aws.eks.Addon
    """Add-ons whose roles come through EKS Pod Identity depend on it."""
    k8s_provider: pulumi.ProviderResource
    """The Kubernetes provider of this cluster (Helm releases and objects go through it)."""

    def __init__(self, name: str, args: EksClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        partition = iam.partition_of(args.region)
        key = customer_key(
            f"{name}-secrets-key", f"EKS secrets envelope encryption for {name}", args.tags, self._child()
        )
        cluster = self._create_cluster(name, args, partition, key)
        node_role, node_attachments = self._create_node_role(name, args, partition)
        self._install_network_addons(name, args, partition, cluster)
        system_nodes = self._create_system_nodes(name, args, cluster, node_role, node_attachments)
        self._install_coredns(name, args, cluster, system_nodes)

        self.cluster_name = cluster.name
        self.endpoint = cluster.endpoint
        self.certificate_authority = cluster.certificate_authority.data
        """Base64 CA of the API server (self-managed nodes at edge sites need it to join)."""
        self.service_cidr = cluster.kubernetes_network_config.apply(
            lambda c: c.service_ipv4_cidr if c else None
        )
        self.cluster_security_group_id = cluster.vpc_config.cluster_security_group_id
        self.node_role_arn = node_role.arn
        self.secrets_key_arn = key.arn
        self.kubeconfig = pulumi.Output.all(
            cluster.name, cluster.endpoint, cluster.certificate_authority.data
        ).apply(lambda v: kubeconfig(v[0], v[1], v[2], args.region))
        self.system_nodes = system_nodes

        self._device_plugins(name, args, system_nodes)
        self.register_outputs(
            {
                "clusterName": self.cluster_name,
                "endpoint": self.endpoint,
                "clusterSecurityGroupId": self.cluster_security_group_id,
                "nodeRoleArn": self.node_role_arn,
                "secretsKeyArn": self.secrets_key_arn,
            }
        )

    def _child(self, depends_on: list[pulumi.Resource] | None = None) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, depends_on=depends_on)

    def _create_cluster(
        self, name: str, args: EksClusterArgs, partition: str, key: aws.kms.Key
    ) -> aws.eks.Cluster:
        """The cluster role and its policies, then the control plane: secrets in `key`, private endpoint
        unless CIDRs are listed, API authentication, audit logs."""
        cluster_role = aws.iam.Role(
            f"{name}-cluster-role",
            assume_role_policy=iam.assume_role_policy("eks.amazonaws.com", tag_session=True),
            tags=args.tags,
            opts=self._child(),
        )
        attachments = [
            aws.iam.RolePolicyAttachment(
                f"{name}-cluster-{policy}",
                role=cluster_role.name,
                policy_arn=iam.managed_policy(partition, policy),
                opts=self._child(),
            )
            for policy in iam.CLUSTER_POLICIES
        ]
        public = bool(args.public_access_cidrs)
        return aws.eks.Cluster(
            f"{name}-eks",
            version=args.kubernetes_version,
            role_arn=cluster_role.arn,
            vpc_config=aws.eks.ClusterVpcConfigArgs(
                subnet_ids=args.subnet_ids,
                endpoint_private_access=True,
                endpoint_public_access=public,
                public_access_cidrs=list(args.public_access_cidrs) if public else None,
            ),
            encryption_config=aws.eks.ClusterEncryptionConfigArgs(
                resources=["secrets"],
                provider=aws.eks.ClusterEncryptionConfigProviderArgs(key_arn=key.arn),
            ),
            access_config=aws.eks.ClusterAccessConfigArgs(
                authentication_mode="API",
                bootstrap_cluster_creator_admin_permissions=True,
            ),
            enabled_cluster_log_types=LOG_TYPES,
            tags=args.tags,
            opts=self._child(depends_on=attachments),
        )

    def _create_node_role(
        self, name: str, args: EksClusterArgs, partition: str
    ) -> tuple[aws.iam.Role, list[aws.iam.RolePolicyAttachment]]:
        """The nodes' role, limited to what the kubelet needs."""
        node_role = aws.iam.Role(
            f"{name}-node-role",
            assume_role_policy=iam.assume_role_policy("ec2.amazonaws.com"),
            tags=args.tags,
            opts=self._child(),
        )
        attachments = [
            aws.iam.RolePolicyAttachment(
                f"{name}-node-{policy}",
                role=node_role.name,
                policy_arn=iam.managed_policy(partition, policy),
                opts=self._child(),
            )
            for policy in iam.NODE_POLICIES
        ]
        return node_role, attachments

    def _install_network_addons(
        self, name: str, args: EksClusterArgs, partition: str, cluster: aws.eks.Cluster
    ) -> None:
        """The Pod Identity agent, the VPC CNI (its policy through a Pod Identity role, not the node
        role) and kube-proxy."""
        cni_role = aws.iam.Role(
            f"{name}-vpc-cni-role",
            assume_role_policy=iam.assume_role_policy("pods.eks.amazonaws.com", tag_session=True),
            tags=args.tags,
            opts=self._child(),
        )
        aws.iam.RolePolicyAttachment(
            f"{name}-vpc-cni-policy",
            role=cni_role.name,
            policy_arn=iam.managed_policy(partition, iam.CNI_POLICY),
            opts=self._child(),
        )
        pod_identity = self._addon(name, args, cluster, "eks-pod-identity-agent")
        self.pod_identity_agent = pod_identity
        self._addon(
            name,
            args,
            cluster,
            "vpc-cni",
            depends_on=[pod_identity],
            pod_identity_associations=[
                aws.eks.AddonPodIdentityAssociationArgs(role_arn=cni_role.arn, service_account="aws-node")
            ],
        )
        self._addon(name, args, cluster, "kube-proxy")

    def _addon(
        self,
        name: str,
        args: EksClusterArgs,
        cluster: aws.eks.Cluster,
        addon: str,
        depends_on: list[pulumi.Resource] | None = None,
        **extra: object,
    ) -> aws.eks.Addon:
        return aws.eks.Addon(
            f"{name}-{addon}",
            cluster_name=cluster.name,
            addon_name=addon,
            resolve_conflicts_on_update="OVERWRITE",
            **extra,
            tags=args.tags,
            opts=self._child(depends_on=depends_on),
        )

    def _create_system_nodes(
        self,
        name: str,
        args: EksClusterArgs,
        cluster: aws.eks.Cluster,
        node_role: aws.iam.Role,
        node_attachments: list[aws.iam.RolePolicyAttachment],
    ) -> aws.eks.NodeGroup:
        """A small CPU node group (IMDSv2, encrypted root) for CoreDNS and the device plugins' controllers."""
        system_lt = aws.ec2.LaunchTemplate(
            f"{name}-system-lt",
            metadata_options=launch.imdsv2(),
            block_device_mappings=launch.encrypted_root(100),
            tag_specifications=[
                aws.ec2.LaunchTemplateTagSpecificationArgs(
                    resource_type="instance", tags={**args.tags, "Name": f"{name}-system"}
                )
            ],
            tags=args.tags,
            opts=self._child(),
        )
        return aws.eks.NodeGroup(
            f"{name}-system",
            cluster_name=cluster.name,
            node_role_arn=node_role.arn,
            subnet_ids=args.subnet_ids,
            instance_types=[args.system_instance_type],
            ami_type=SYSTEM_AMI_TYPE,
            capacity_type="ON_DEMAND",
            # Fixed size: no autoscaler is asked to scale it (policy rule pool-autoscaler).
            scaling_config=aws.eks.NodeGroupScalingConfigArgs(
                desired_size=args.system_nodes, min_size=args.system_nodes, max_size=args.system_nodes
            ),
            launch_template=aws.eks.NodeGroupLaunchTemplateArgs(
                id=system_lt.id, version=system_lt.latest_version.apply(str)
            ),
            labels={"aiinfra.dev/pool": "system"},
            update_config=aws.eks.NodeGroupUpdateConfigArgs(max_unavailable=1),
            tags=args.tags,
            opts=self._child(depends_on=node_attachments),
        )

    def _install_coredns(
        self, name: str, args: EksClusterArgs, cluster: aws.eks.Cluster, system_nodes: aws.eks.NodeGroup
    ) -> None:
        """CoreDNS, once the system nodes can run it."""
        self._addon(name, args, cluster, "coredns", depends_on=[system_nodes])

    def _device_plugins(self, name: str, args: EksClusterArgs, system_nodes: aws.eks.NodeGroup) -> None:
        # Imported here: pulumi_kubernetes is needed only once a cluster is declared.
        import pulumi_kubernetes as k8s

        provider = k8s.Provider(
            f"{name}-k8s",
            kubeconfig=self.kubeconfig,
            enable_server_side_apply=True,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.k8s_provider = provider
        key, value, _ = GPU_TAINT
        tolerations = [{"key": key, "operator": "Equal", "value": value, "effect": "NoSchedule"}]
        gpu_nodes = {"aiinfra.dev/accelerator-vendor": "nvidia"}
        charts: list[tuple[HelmChart, dict[str, object]]] = [
            (
                NVIDIA_DEVICE_PLUGIN,
                {
                    "tolerations": tolerations,
                    "nodeSelector": gpu_nodes,
                    # The chart's default affinity admits only nodes labelled by node feature discovery
                    # (`feature.node.kubernetes.io/pci-10de.present`) or `nvidia.com/gpu.present`, and NFD is
                    # off and EKS sets neither label: the DaemonSet would run nowhere. Our GPU label replaces
                    # the chart's terms (Helm replaces lists; NVIDIA/k8s-device-plugin v0.17.1 values.yaml).
                    "affinity": required_node_labels(gpu_nodes),
                },
            )
        ]
        if args.efa_device_plugin:
            charts.append(
                (
                    EFA_DEVICE_PLUGIN,
                    {"tolerations": tolerations, "nodeSelector": {"aiinfra.dev/efa": "true"}},
                )
            )
        for chart, values in charts:
            k8s.helm.v3.Release(
                f"{name}-{chart.release}",
                chart=chart.chart,
                version=chart.version,
                namespace=chart.namespace,
                repository_opts=k8s.helm.v3.RepositoryOptsArgs(repo=chart.repo),
                values=values,
                opts=pulumi.ResourceOptions(parent=self, provider=provider, depends_on=[system_nodes]),
            )


def required_node_labels(labels: dict[str, str]) -> dict[str, object]:
    """A node affinity that requires every one of `labels` (one selector term: the terms of a list are ORed)."""
    return {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [
                    {
                        "matchExpressions": [
                            {"key": k, "operator": "In", "values": [v]} for k, v in labels.items()
                        ]
                    }
                ]
            }
        }
    }


def kubeconfig(cluster_name: str, endpoint: str, ca_data: str, region: str) -> str:
    """A kubeconfig that authenticates with `aws eks get-token` (the AWS CLI must be on the PATH)."""
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {"name": cluster_name, "cluster": {"server": endpoint, "certificate-authority-data": ca_data}}
            ],
            "contexts": [{"name": cluster_name, "context": {"cluster": cluster_name, "user": cluster_name}}],
            "current-context": cluster_name,
            "users": [
                {
                    "name": cluster_name,
                    "user": {
                        "exec": {
                            "apiVersion": "client.authentication.k8s.io/v1beta1",
                            "command": "aws",
                            "args": ["eks", "get-token", "--cluster-name", cluster_name, "--region", region],
                        }
                    },
                }
            ],
        }
    )
