"""EksCluster under the recording mocks: encryption, private endpoint, least-privilege roles, GPU plumbing."""

from __future__ import annotations

import json

from aiinfra.components.aws.eks_cluster import TYPE, EksCluster, EksClusterArgs, kubeconfig
from aiinfra.engine.graph import ResourceGraph
from tests.conftest import children_of, id_of, names_by_type, plan

CLUSTER = "aws:eks/cluster:Cluster"
ATTACH = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
ROLE = "aws:iam/role:Role"
ADDON = "aws:eks/addon:Addon"
HELM = "kubernetes:helm.sh/v3:Release"


def eks_graph(**overrides: object) -> ResourceGraph:
    def program() -> None:
        args = EksClusterArgs(vpc_id="vpc-1", subnet_ids=["subnet-a", "subnet-b"], region="us-east-1")
        for key, value in overrides.items():
            setattr(args, key, value)
        EksCluster("train", args)

    return plan(program)


def test_eks_component_children_are_exact() -> None:
    assert names_by_type(children_of(eks_graph(), TYPE, "train")) == {
        ("aws:kms/key:Key", "train-secrets-key"),
        (ROLE, "train-cluster-role"),
        (ATTACH, "train-cluster-AmazonEKSClusterPolicy"),
        (CLUSTER, "train-eks"),
        (ROLE, "train-node-role"),
        (ATTACH, "train-node-AmazonEKSWorkerNodePolicy"),
        (ATTACH, "train-node-AmazonEC2ContainerRegistryPullOnly"),
        (ROLE, "train-vpc-cni-role"),
        (ATTACH, "train-vpc-cni-policy"),
        (ADDON, "train-eks-pod-identity-agent"),
        (ADDON, "train-vpc-cni"),
        (ADDON, "train-kube-proxy"),
        (ADDON, "train-coredns"),
        ("aws:ec2/launchTemplate:LaunchTemplate", "train-system-lt"),
        ("aws:eks/nodeGroup:NodeGroup", "train-system"),
        ("pulumi:providers:kubernetes", "train-k8s"),
        (HELM, "train-nvidia-device-plugin"),
        (HELM, "train-aws-efa-k8s-device-plugin"),
    }


def test_secrets_are_encrypted_with_a_rotated_customer_key() -> None:
    graph = eks_graph()
    cluster = graph.get(CLUSTER, "train-eks").inputs
    assert cluster["encryptionConfig"]["resources"] == ["secrets"]
    assert (
        cluster["encryptionConfig"]["provider"]["keyArn"]
        == f"arn:aws:kms:us-east-1:123456789012:key/{id_of(graph, 'aws:kms/key:Key', 'train-secrets-key')}"
    )
    assert graph.get("aws:kms/key:Key", "train-secrets-key").inputs["enableKeyRotation"] is True


def test_api_endpoint_is_private_by_default() -> None:
    vpc = eks_graph().get(CLUSTER, "train-eks").inputs["vpcConfig"]
    assert vpc["endpointPrivateAccess"] is True
    assert vpc["endpointPublicAccess"] is False, "no public Kubernetes API unless the spec lists CIDRs"
    assert "publicAccessCidrs" not in vpc, "AWS would default an unset list to 0.0.0.0/0"


def test_public_endpoint_is_open_only_to_the_listed_cidrs() -> None:
    vpc = eks_graph(public_access_cidrs=["203.0.113.0/24"]).get(CLUSTER, "train-eks").inputs["vpcConfig"]
    assert vpc["endpointPublicAccess"] is True and vpc["endpointPrivateAccess"] is True
    assert vpc["publicAccessCidrs"] == ["203.0.113.0/24"]


def test_cluster_uses_access_entries_and_audit_logs() -> None:
    cluster = eks_graph().get(CLUSTER, "train-eks").inputs
    assert cluster["accessConfig"]["authenticationMode"] == "API", (
        "access entries, not the aws-auth ConfigMap"
    )
    assert set(cluster["enabledClusterLogTypes"]) >= {"api", "audit", "authenticator"}
    assert cluster["version"] == "1.35", "the default is a version in EKS standard support on 2026-12-04"


def test_node_role_has_only_what_a_kubelet_needs() -> None:
    graph = eks_graph()
    node = [a.inputs["policyArn"] for a in graph.by_type(ATTACH) if a.inputs["role"] == "train-node-role"]
    assert sorted(node) == [
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
        "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    ], "the CNI policy goes to the vpc-cni service account through Pod Identity, not to every node"
    trust = json.loads(graph.get(ROLE, "train-node-role").inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}
    cni = [a.inputs["policyArn"] for a in graph.by_type(ATTACH) if a.inputs["role"] == "train-vpc-cni-role"]
    assert cni == ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]
    addon = graph.get(ADDON, "train-vpc-cni").inputs
    assert addon["podIdentityAssociations"] == [
        {"roleArn": "arn:aws:iam::123456789012:role/train-vpc-cni-role", "serviceAccount": "aws-node"}
    ]


def test_system_nodes_require_imdsv2_on_encrypted_disks() -> None:
    graph = eks_graph(system_nodes=3, system_instance_type="m7i.2xlarge")
    lt = graph.get("aws:ec2/launchTemplate:LaunchTemplate", "train-system-lt").inputs
    assert lt["metadataOptions"]["httpTokens"] == "required"
    assert lt["blockDeviceMappings"][0]["ebs"]["encrypted"] == "true"
    ng = graph.get("aws:eks/nodeGroup:NodeGroup", "train-system").inputs
    assert ng["instanceTypes"] == ["m7i.2xlarge"] and ng["scalingConfig"]["desiredSize"] == 3
    assert ng["amiType"] == "AL2023_x86_64_STANDARD"
    assert "taints" not in ng, "system nodes take the pods GPU nodes refuse"


def test_device_plugins_tolerate_the_gpu_taint_and_select_their_nodes() -> None:
    graph = eks_graph()
    nvidia = graph.get(HELM, "train-nvidia-device-plugin").inputs
    assert nvidia["chart"] == "nvidia-device-plugin" and nvidia["repositoryOpts"]["repo"].startswith(
        "https://"
    )
    assert nvidia["values"]["tolerations"] == [
        {"key": "nvidia.com/gpu", "operator": "Equal", "value": "true", "effect": "NoSchedule"}
    ]
    efa = graph.get(HELM, "train-aws-efa-k8s-device-plugin").inputs
    assert efa["values"]["nodeSelector"] == {"aiinfra.dev/efa": "true"}
    assert nvidia["version"] and efa["version"], "chart versions are pinned"


def test_efa_device_plugin_is_absent_when_no_pool_uses_the_fabric() -> None:
    graph = eks_graph(efa_device_plugin=False)
    assert [r.name for r in graph.by_type(HELM)] == ["train-nvidia-device-plugin"]


def test_kubeconfig_authenticates_with_aws_eks_get_token() -> None:
    config = json.loads(kubeconfig("train-eks", "https://x.eks.amazonaws.com", "Q0E=", "us-west-2"))
    assert config["clusters"][0]["cluster"]["server"] == "https://x.eks.amazonaws.com"
    user = config["users"][0]["user"]["exec"]
    assert user["command"] == "aws"
    assert user["args"] == ["eks", "get-token", "--cluster-name", "train-eks", "--region", "us-west-2"]
