"""A workload-ready cluster, under the recording mocks: the example stacks get the exact storage add-ons
and roles (their policies scoped to what the stack created), Helm releases, Kueue objects, volumes and
claims, and an autoscaled pool the autoscaler can find and grow from zero; the example job fits them."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from aiinfra.components import workload
from aiinfra.components.aws.rules import autoscaler_asg_tags, cluster_autoscaler_tag
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from tests.conftest import ROOT, id_of
from tests.test_plan_stacks import plan_stack

WORKLOAD = "aiinfra:aws:WorkloadReady"
ADDON = "aws:eks/addon:Addon"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ATTACH = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
HELM = "kubernetes:helm.sh/v3:Release"
ASG_TAG = "aws:autoscaling/tag:Tag"
SG = "aws:ec2/securityGroup:SecurityGroup"
PV = "kubernetes:core/v1:PersistentVolume"
PVC = "kubernetes:core/v1:PersistentVolumeClaim"
KUEUE = "kubernetes:kueue.x-k8s.io/v1beta2"
ACCOUNT = "123456789012"


@pytest.fixture(scope="module")
def example() -> ResourceGraph:
    return plan_stack("example")


@pytest.fixture(scope="module")
def reserved() -> ResourceGraph:
    return plan_stack("reserved")


def under_workload(graph: ResourceGraph, cluster: str) -> list[PlannedResource]:
    return graph.children(graph.get(WORKLOAD, f"{cluster}-workload").urn)


def of_type(graph: ResourceGraph, cluster: str, type_: str) -> dict[str, PlannedResource]:
    return {r.name: r for r in under_workload(graph, cluster) if r.type == type_}


def policy(graph: ResourceGraph, name: str) -> Any:
    return json.loads(graph.get(ROLE_POLICY, name).inputs["policy"])


def test_the_example_gets_exactly_the_storage_and_health_add_ons_with_pod_identity_roles(
    example: ResourceGraph,
) -> None:
    addons = {r.inputs["addonName"]: r.inputs for r in of_type(example, "train", ADDON).values()}
    assert set(addons) == {
        "aws-ebs-csi-driver",
        "aws-fsx-csi-driver",
        "aws-mountpoint-s3-csi-driver",
        "eks-node-monitoring-agent",
    }
    expected = {
        "aws-ebs-csi-driver": ("ebs-csi-controller-sa", "train-workload-ebs-csi-role"),
        "aws-fsx-csi-driver": ("fsx-csi-controller-sa", "train-workload-fsx-csi-role"),
        "aws-mountpoint-s3-csi-driver": ("s3-csi-driver-sa", "train-workload-s3-csi-role"),
    }
    for addon, (sa, role) in expected.items():
        assert addons[addon]["podIdentityAssociations"] == [
            {"serviceAccount": sa, "roleArn": f"arn:aws:iam::{ACCOUNT}:role/{role}"}
        ], f"{addon} gets its own role through EKS Pod Identity"
    assert "podIdentityAssociations" not in addons["eks-node-monitoring-agent"], "the agent needs no role"
    ebs = example.get(ATTACH, "train-workload-ebs-csi-policy").inputs
    assert ebs["policyArn"] == "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"


def test_the_s3_role_reads_and_writes_only_the_created_bucket_and_uses_only_its_key(
    example: ResourceGraph,
) -> None:
    bucket = "arn:aws:s3:::train-datasets-bucket-mock"  # the created one's (offline: `<name>-mock`)
    key = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{id_of(example, 'aws:kms/key:Key', 'train-datasets-key')}"
    assert policy(example, "train-workload-s3-csi-policy") == {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "ListBuckets", "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": [bucket]},
            {
                "Sid": "ReadWriteObjects",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:DeleteObject"],
                "Resource": [f"{bucket}/*"],
            },
            {
                "Sid": "BucketKeys",
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": [key],
            },
        ],
    }


def test_the_fsx_role_only_describes_the_created_file_system(example: ResourceGraph) -> None:
    fs_id = id_of(example, "aws:fsx/lustreFileSystem:LustreFileSystem", "train-scratch-fs")
    fs = f"arn:aws:fsx:us-east-1:{ACCOUNT}:file-system/{fs_id}"  # the created one's (offline)
    assert policy(example, "train-workload-fsx-csi-policy") == {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["fsx:DescribeFileSystems"], "Resource": [fs]}],
    }


def test_helm_releases_are_pinned_to_their_documented_charts(
    example: ResourceGraph, reserved: ResourceGraph
) -> None:
    def releases(graph: ResourceGraph, cluster: str) -> dict[str, tuple[str, str, str | None, str]]:
        return {
            r.inputs["name"]: (
                r.inputs["chart"],
                r.inputs["version"],
                (r.inputs.get("repositoryOpts") or {}).get("repo"),
                r.inputs["namespace"],
            )
            for r in of_type(graph, cluster, HELM).values()
        }

    common = {
        "kueue": ("oci://registry.k8s.io/kueue/charts/kueue", "0.19.2", None, "kueue-system"),
        "dcgm-exporter": (
            "dcgm-exporter",
            "4.8.2",
            "https://nvidia.github.io/dcgm-exporter/helm-charts",
            "kube-system",
        ),
    }
    assert releases(example, "train") == common, "fixed pools only: no autoscaler in the example"
    assert releases(reserved, "research") == {
        **common,
        "cluster-autoscaler": (
            "cluster-autoscaler",
            "9.59.0",
            "https://kubernetes.github.io/autoscaler",
            "kube-system",
        ),
    }


def test_kueue_waits_for_all_pods_of_a_job_before_admitting_the_next(example: ResourceGraph) -> None:
    release = example.get(HELM, "train-workload-kueue").inputs
    config = yaml.safe_load(release["values"]["managerConfig"]["controllerManagerConfigYaml"])
    assert config["apiVersion"] == "config.kueue.x-k8s.io/v1beta2"
    assert config["waitForPodsReady"]["blockAdmission"] is True, "all-or-nothing admission of a gang"
    assert config["waitForPodsReady"]["timeout"] == "30m"
    assert "batch/job" in config["integrations"]["frameworks"]


def test_each_gpu_pool_gets_a_flavor_and_queues_whose_quota_is_the_pool_at_its_maximum(
    example: ResourceGraph,
) -> None:
    kueue = {
        (r.type.rsplit(":", 1)[1], r.name): r.inputs
        for r in under_workload(example, "train")
        if r.type.startswith(KUEUE)
    }
    assert set(kueue) == {
        ("Topology", "train-workload-topology-h100-fabric"),
        ("ResourceFlavor", "train-workload-resourceflavor-h100"),
        ("ClusterQueue", "train-workload-clusterqueue-h100"),
        ("LocalQueue", "train-workload-localqueue-h100"),
    }
    flavor = kueue[("ResourceFlavor", "train-workload-resourceflavor-h100")]
    assert flavor["spec"] == {
        "nodeLabels": {"aiinfra.dev/pool": "train-h100"},
        "tolerations": [
            {"key": "nvidia.com/gpu", "operator": "Equal", "value": "true", "effect": "NoSchedule"}
        ],
        "topologyName": "h100-fabric",
    }
    cq = kueue[("ClusterQueue", "train-workload-clusterqueue-h100")]["spec"]["resourceGroups"][0]
    quota = {r["name"]: r["nominalQuota"] for r in cq["flavors"][0]["resources"]}
    assert quota == {"nvidia.com/gpu": 32, "cpu": 768, "memory": "8192Gi", "vpc.amazonaws.com/efa": 128}, (
        "4 x p5.48xlarge: 4 x 8 GPUs, 4 x 32 EFA devices"
    )
    assert cq["coveredResources"] == list(quota)
    local = kueue[("LocalQueue", "train-workload-localqueue-h100")]
    assert local["metadata"] == {"name": "h100", "namespace": "ml"}
    assert local["spec"] == {"clusterQueue": "h100"}
    levels = kueue[("Topology", "train-workload-topology-h100-fabric")]["spec"]["levels"]
    assert [lv["nodeLabel"] for lv in levels] == [
        "topology.k8s.aws/network-node-layer-1",
        "topology.k8s.aws/network-node-layer-2",
        "topology.k8s.aws/network-node-layer-3",
        "kubernetes.io/hostname",
    ]


def test_a_pool_without_efa_gets_no_topology(reserved: ResourceGraph) -> None:
    flavors = {
        r.name: r.inputs["spec"]
        for r in under_workload(reserved, "research")
        if r.type == f"{KUEUE}:ResourceFlavor"
    }
    assert set(flavors) == {"research-workload-resourceflavor-h200", "research-workload-resourceflavor-eval"}
    assert "topologyName" not in flavors["research-workload-resourceflavor-eval"]


def test_every_storage_entry_is_a_static_volume_bound_to_a_claim_of_its_name(example: ResourceGraph) -> None:
    pvs = {r.inputs["metadata"]["name"]: r.inputs["spec"] for r in of_type(example, "train", PV).values()}
    assert pvs["ml-scratch"]["csi"] == {
        "driver": "fsx.csi.aws.com",
        "volumeHandle": id_of(example, "aws:fsx/lustreFileSystem:LustreFileSystem", "train-scratch-fs"),
        "volumeAttributes": {
            "dnsname": "fs-train-scratch-fs.fsx.us-east-1.amazonaws.com",
            "mountname": "mockmnt",
        },
    }
    assert pvs["ml-scratch"]["capacity"] == {"storage": "4800Gi"}
    assert pvs["ml-scratch"]["mountOptions"] == ["flock"]
    assert pvs["ml-datasets"]["csi"] == {
        "driver": "s3.csi.aws.com",
        "volumeHandle": "s3-ml-datasets",
        "volumeAttributes": {"bucketName": "train-datasets-bucket-mock"},
    }
    assert pvs["ml-datasets"]["mountOptions"] == ["allow-delete", "region us-east-1"]
    for name, spec in pvs.items():
        assert spec["storageClassName"] == "" and spec["persistentVolumeReclaimPolicy"] == "Retain", name
    claims = {
        (r.inputs["metadata"]["namespace"], r.inputs["metadata"]["name"]): r.inputs["spec"]
        for r in of_type(example, "train", PVC).values()
    }
    assert set(claims) == {("ml", "scratch"), ("ml", "datasets")}
    assert claims[("ml", "scratch")]["volumeName"] == "ml-scratch"
    assert claims[("ml", "scratch")]["storageClassName"] == "", "no default class may provision instead"


def test_the_lustre_file_system_admits_the_gpu_pools_security_group(example: ResourceGraph) -> None:
    lt = example.get("aws:ec2/launchTemplate:LaunchTemplate", "train-h100-lt").inputs
    node_groups = set(lt["networkInterfaces"][0]["securityGroups"])
    sources = {
        r.inputs["referencedSecurityGroupId"]
        for r in example.resources
        if r.type == "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
        and r.inputs.get("securityGroupId") == id_of(example, SG, "train-scratch-sg")
        and r.inputs["fromPort"] == 988
    }
    assert sources & node_groups, "the GPU nodes' primary interface carries a group the file system admits"


def test_a_pool_with_min_nodes_0_is_discoverable_and_grows_from_zero(reserved: ResourceGraph) -> None:
    tags = {
        r.inputs["tag"]["key"]: (
            r.inputs["tag"]["value"],
            r.inputs["autoscalingGroupName"],
            r.inputs["tag"]["propagateAtLaunch"],
        )
        for r in of_type(reserved, "research", ASG_TAG).values()
    }
    asg = "eks-research-eval-nodes-asg"
    prefix = "k8s.io/cluster-autoscaler"
    assert tags == {
        f"{prefix}/enabled": ("true", asg, False),
        f"{prefix}/research-eks": ("owned", asg, False),
        f"{prefix}/node-template/resources/nvidia.com/gpu": ("4", asg, False),
        f"{prefix}/node-template/label/aiinfra.dev/pool": ("research-eval", asg, False),
        f"{prefix}/node-template/label/aiinfra.dev/accelerator": ("L40S", asg, False),
        f"{prefix}/node-template/label/aiinfra.dev/accelerator-vendor": ("nvidia", asg, False),
        f"{prefix}/node-template/taint/nvidia.com/gpu": ("true:NoSchedule", asg, False),
    }, "only the autoscaled pool is tagged; the capacity-block pool is fixed and left alone"
    ng = reserved.get("aws:eks/nodeGroup:NodeGroup", "research-eval-nodes").inputs
    assert ng["scalingConfig"]["minSize"] == 0


def test_fixed_pools_get_no_autoscaler_and_no_tags(example: ResourceGraph) -> None:
    assert not [r.name for r in example.resources if r.type == ASG_TAG], "the example's pools are all fixed"
    assert not [r.name for r in example.resources if "autoscaler" in r.name], (
        "nothing to scale, no autoscaler"
    )


def test_the_autoscaler_may_change_only_this_clusters_groups(reserved: ResourceGraph) -> None:
    doc = policy(reserved, "research-workload-autoscaler-policy")
    change = doc["Statement"][1]
    assert change["Action"] == [
        "autoscaling:SetDesiredCapacity",
        "autoscaling:TerminateInstanceInAutoScalingGroup",
    ]
    assert change["Condition"] == {
        "StringEquals": {"aws:ResourceTag/k8s.io/cluster-autoscaler/research-eks": "owned"}
    }
    assert all(a.split(":")[1].startswith(("Describe", "Get")) for a in doc["Statement"][0]["Action"]), (
        "the unconditioned statement only reads"
    )
    assoc = reserved.get(
        "aws:eks/podIdentityAssociation:PodIdentityAssociation", "research-workload-autoscaler-pod-identity"
    ).inputs
    assert (assoc["namespace"], assoc["serviceAccount"]) == ("kube-system", "cluster-autoscaler")
    values = reserved.get(HELM, "research-workload-cluster-autoscaler").inputs["values"]
    assert values["rbac"]["serviceAccount"]["name"] == "cluster-autoscaler", "the SA the association names"
    assert values["autoDiscovery"]["clusterName"] == "research-eks"
    assert values["image"] == {
        "repository": "registry.k8s.io/autoscaling/cluster-autoscaler",
        "tag": "v1.35.2",
    }


def test_gpu_node_groups_repair_themselves(example: ResourceGraph) -> None:
    ng = example.get("aws:eks/nodeGroup:NodeGroup", "train-h100-nodes").inputs
    assert ng["nodeRepairConfig"] == {"enabled": True}


def test_nothing_is_pulled_from_a_place_the_readme_does_not_name(
    example: ResourceGraph, reserved: ResourceGraph
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Using the cluster") :]
    places = set()
    for graph in (example, reserved):
        for r in graph.resources:
            if r.type != HELM:
                continue
            repo = (r.inputs.get("repositoryOpts") or {}).get("repo") or r.inputs["chart"].rsplit("/", 1)[0]
            places.add(repo)
            image = (r.inputs.get("values") or {}).get("image", {}).get("repository")
            if image:
                places.add(image.split("/", 1)[0])
    places |= {"nvcr.io", "registry.k8s.io"}  # the default images of the DCGM exporter and Kueue charts
    missing = sorted(p for p in places if p not in section)
    assert not missing, f"README 'Using the cluster' must name where these come from: {missing}"


def test_the_example_job_uses_the_names_the_plan_creates(example: ResourceGraph) -> None:
    job = yaml.safe_load((ROOT / "examples" / "train-job.yaml").read_text(encoding="utf-8"))
    ns = job["metadata"]["namespace"]
    queue = job["metadata"]["labels"]["kueue.x-k8s.io/queue-name"]
    locals_ = {
        (r.inputs["metadata"]["namespace"], r.inputs["metadata"]["name"]): r.inputs["spec"]["clusterQueue"]
        for r in example.resources
        if r.type == f"{KUEUE}:LocalQueue"
    }
    assert (ns, queue) in locals_, f"the job's queue {ns}/{queue} is a LocalQueue the plan creates"
    claims = {
        (r.inputs["metadata"]["namespace"], r.inputs["metadata"]["name"])
        for r in example.resources
        if r.type == PVC
    }
    pod = job["spec"]["template"]["spec"]
    for v in pod["volumes"]:
        assert (ns, v["persistentVolumeClaim"]["claimName"]) in claims, f"claim {v} exists in {ns}"
    cq = next(
        r.inputs["spec"]
        for r in example.resources
        if r.type == f"{KUEUE}:ClusterQueue" and r.inputs["metadata"]["name"] == locals_[(ns, queue)]
    )
    quota = {x["name"]: x["nominalQuota"] for x in cq["resourceGroups"][0]["flavors"][0]["resources"]}
    pods = job["spec"]["parallelism"]
    for c in pod["containers"]:
        requested = c["resources"]["requests"]
        assert set(requested) <= set(cq["resourceGroups"][0]["coveredResources"]), (
            "Kueue never admits a job asking for a resource its queue does not cover"
        )
        for res in ("nvidia.com/gpu", "vpc.amazonaws.com/efa", "cpu"):
            assert pods * int(requested[res]) <= int(quota[res]), f"the whole job's {res} fits the quota"
    submit = re.search(r"kubectl create -f examples/train-job.yaml", (ROOT / "README.md").read_text())
    assert submit, "the README gives the one command that submits it"


def test_the_neutral_plan_names_volumes_and_queues_and_finds_autoscaled_pools() -> None:
    machine = workload.PoolMachine(
        gpus=8,
        vcpu=192,
        memory_gib=2048,
        min_nodes=0,
        max_nodes=2,
        labels={"p": "a"},
        template_labels={"p": "a"},
        taint=("nvidia.com/gpu", "true", "NoSchedule"),
    )
    cpu = workload.PoolMachine(
        gpus=0,
        vcpu=8,
        memory_gib=32,
        min_nodes=1,
        max_nodes=1,
        labels={},
        template_labels={},
        taint=("k", "v", "NoSchedule"),
    )
    plan = workload.plan_workload({"scratch": "lustre"}, {"a": machine, "cpu": cpu})
    assert [(v.claim, v.volume, v.namespace) for v in plan.volumes] == [("scratch", "ml-scratch", "ml")]
    assert [q.local_queue for q in plan.queues] == ["a"], "a pool without GPUs gets no GPU queue"
    assert plan.queues[0].quota == {"nvidia.com/gpu": 16, "cpu": 384, "memory": "4096Gi"}
    assert plan.queues[0].topology is None, "no fabric labels: no topology"
    assert plan.autoscaled_pools == ["a"] and plan.needs_autoscaler


def test_the_neutral_workload_module_does_not_import_pulumi() -> None:
    import subprocess
    import sys

    code = (
        "import sys, aiinfra.components.workload; print([m for m in sys.modules if m.startswith('pulumi')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", f"the shared pattern is pure data: {out}"


def test_autoscaler_tags_leave_out_efa_when_the_pool_has_none_and_an_unknown_kubernetes_is_refused() -> None:
    tags = autoscaler_asg_tags(
        "c", gpus=4, efa_devices=0, labels={}, taint=("nvidia.com/gpu", "true", "NO_SCHEDULE")
    )
    assert not any("vpc.amazonaws.com/efa" in k for k in tags)
    with_efa = autoscaler_asg_tags(
        "c", gpus=8, efa_devices=32, labels={}, taint=("nvidia.com/gpu", "true", "NO_SCHEDULE")
    )
    assert with_efa["k8s.io/cluster-autoscaler/node-template/resources/vpc.amazonaws.com/efa"] == "32"
    with pytest.raises(ValueError, match=r"known: 1\.31"):
        cluster_autoscaler_tag("1.20")
