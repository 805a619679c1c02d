"""The GCP components under the recording mocks: the exact children and their key inputs, and what must be
absent (no extra networks for A2/G2, no placement policy on reserved capacity, no public endpoint)."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.components.gcp.gpu_cluster import TYPE as CLUSTER_TYPE
from aiinfra.components.gcp.gpu_cluster import declare
from aiinfra.engine.graph import ResourceGraph
from aiinfra.engine.plan import plan_program
from aiinfra.spec import parse_spec
from tests.conftest import children_of, id_of, names_by_type

GKE = "gcp:container/cluster:Cluster"
POOL = "gcp:container/nodePool:NodePool"
NET = "gcp:compute/network:Network"
SUB = "gcp:compute/subnetwork:Subnetwork"
FW = "gcp:compute/firewall:Firewall"
PARAMS = "kubernetes:networking.gke.io/v1:GKENetworkParamSet"
GKE_NET = "kubernetes:networking.gke.io/v1:Network"
MANIFEST = "kubernetes:yaml/v2:ConfigFile"
PINNED = "https://raw.githubusercontent.com/GoogleCloudPlatform/container-engine-accelerators/992db81257553607f1477945f1b3219632991829/"
PROJECT = "ml-project-1"


def cluster_doc(*pools: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "name": "train",
        "cloud": "gcp",
        "region": "us-central1",
        "zone": "us-central1-a",
        "project": PROJECT,
        "nodePools": list(pools),
        **extra,
    }


@functools.cache
def _plan(key: str) -> ResourceGraph:
    import json

    doc = json.loads(key)
    spec = parse_spec({"clusters": [doc]}, default_catalog())

    def program() -> None:
        declare(spec.clusters, default_catalog())

    return plan_program(program, stack="test", config={"gcp:region": "us-central1"})


def plan_cluster(*pools: dict[str, Any], **extra: Any) -> ResourceGraph:
    import json

    return _plan(json.dumps(cluster_doc(*pools, **extra), sort_keys=True))


MEGA = {"name": "h100", "instanceType": "a3-megagpu-8g", "nodes": 2}


def test_an_a3_mega_cluster_has_exactly_its_network_fabric_gke_and_pool() -> None:
    graph = plan_cluster(MEGA)
    assert names_by_type(children_of(graph, CLUSTER_TYPE, "train")) == {
        ("aiinfra:gcp:ClusterNetwork", "train-net"),
        ("aiinfra:gcp:GpuFabricNetwork", "train-tcpxo"),
        ("aiinfra:gcp:GkeCluster", "train"),
        ("aiinfra:gcp:GpuNodePool", "train-h100"),
        ("aiinfra:gcp:WorkloadReady", "train-workload"),
    }
    assert names_by_type(children_of(graph, "aiinfra:gcp:ClusterNetwork", "train-net")) == {
        (NET, "train-net-vpc"),
        (SUB, "train-net-nodes"),
        ("gcp:compute/router:Router", "train-net-router"),
        ("gcp:compute/routerNat:RouterNat", "train-net-nat"),
    }, "the cluster VPC adds no firewall rule of its own"
    gke_children = names_by_type(children_of(graph, "aiinfra:gcp:GkeCluster", "train"))
    assert gke_children == {
        (GKE, "train-gke"),
        (POOL, "train-system"),
        ("gcp:kms/keyRing:KeyRing", "train-keyring"),
        ("gcp:kms/cryptoKey:CryptoKey", "train-secrets"),
        ("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "train-secrets-gke"),
        ("gcp:serviceaccount/account:Account", "train-nodes"),
        ("gcp:projects/iAMMember:IAMMember", "train-nodes-container"),
        ("gcp:projects/iAMMember:IAMMember", "train-nodes-artifactregistry"),
        ("pulumi:providers:kubernetes", "train-k8s"),
        *((PARAMS, f"train-vpc{i}-params") for i in range(1, 9)),
        *((GKE_NET, f"train-vpc{i}-network") for i in range(1, 9)),
        (MANIFEST, "train-nccl-tcpxo-installer"),
        (MANIFEST, "train-nri-device-injector"),
    }


def test_the_node_subnet_carries_pods_and_services_ranges_from_the_cidr() -> None:
    sub = plan_cluster(MEGA, network={"cidr": "10.40.0.0/16"}).get(SUB, "train-net-nodes").inputs
    assert sub["ipCidrRange"] == "10.40.128.0/18" and sub["privateIpGoogleAccess"] is True
    assert sub["secondaryIpRanges"] == [
        {"rangeName": "pods", "ipCidrRange": "10.40.0.0/17"},
        {"rangeName": "services", "ipCidrRange": "10.40.192.0/20"},
    ]


def test_gke_is_private_encrypted_with_workload_identity_dataplane_v2_and_multi_networking() -> None:
    graph = plan_cluster(MEGA)
    gke = graph.get(GKE, "train-gke").inputs
    assert gke["privateClusterConfig"] == {
        "enablePrivateNodes": True,
        "enablePrivateEndpoint": True,
        "masterGlobalAccessConfig": {"enabled": True},
    }
    assert gke["masterAuthorizedNetworksConfig"] == {"cidrBlocks": [], "gcpPublicCidrsAccessEnabled": False}
    assert gke["workloadIdentityConfig"] == {"workloadPool": f"{PROJECT}.svc.id.goog"}
    assert gke["datapathProvider"] == "ADVANCED_DATAPATH"
    assert gke["enableMultiNetworking"] is True, "GPU NICs on extra VPCs need multi-networking"
    key = id_of(graph, "gcp:kms/cryptoKey:CryptoKey", "train-secrets")
    assert gke["databaseEncryption"] == {"state": "ENCRYPTED", "keyName": key}
    assert gke["removeDefaultNodePool"] is True and gke["deletionProtection"] is True
    assert gke["enableShieldedNodes"] is True and gke["releaseChannel"] == {"channel": "REGULAR"}
    assert gke["location"] == "us-central1-a", "a cluster with a zone is zonal"
    assert gke["ipAllocationPolicy"] == {
        "clusterSecondaryRangeName": "pods",
        "servicesSecondaryRangeName": "services",
    }
    assert gke["nodeConfig"]["serviceAccount"] == f"train-nodes@{PROJECT}.iam.gserviceaccount.com", (
        "even the short-lived default pool does not run as the Compute Engine default account"
    )


def test_the_secrets_key_rotates_and_the_gke_service_agent_may_use_it() -> None:
    graph = plan_cluster(MEGA)
    assert graph.get("gcp:kms/cryptoKey:CryptoKey", "train-secrets").inputs["rotationPeriod"] == "7776000s"
    grant = graph.get("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "train-secrets-gke").inputs
    assert grant["role"] == "roles/cloudkms.cryptoKeyEncrypterDecrypter"
    assert (
        grant["member"]
        == "serviceAccount:service-123456789012@container-engine-robot.iam.gserviceaccount.com"
    )


def test_nodes_run_as_a_least_privilege_account() -> None:
    graph = plan_cluster(MEGA)
    roles = {r.inputs["role"] for r in graph.by_type("gcp:projects/iAMMember:IAMMember")}
    assert roles == {"roles/container.defaultNodeServiceAccount", "roles/artifactregistry.reader"}


def test_listed_networks_open_a_public_endpoint_to_exactly_them() -> None:
    gke = plan_cluster(MEGA, endpointPublicAccessCidrs=["203.0.113.0/24"]).get(GKE, "train-gke").inputs
    assert gke["privateClusterConfig"]["enablePrivateEndpoint"] is False
    assert gke["masterAuthorizedNetworksConfig"]["cidrBlocks"] == [
        {"cidrBlock": "203.0.113.0/24", "displayName": "public-0"}
    ]


def test_the_mega_pool_attaches_eight_gpu_networks_with_compact_placement() -> None:
    graph = plan_cluster(MEGA)
    pool = graph.get(POOL, "train-h100-nodes").inputs
    extra = pool["networkConfig"]["additionalNodeNetworkConfigs"]
    assert extra == [
        {"network": f"train-tcpxo-gpu-{i}", "subnetwork": f"train-tcpxo-gpu-{i}-sub"} for i in range(8)
    ]
    assert pool["placementPolicy"] == {"type": "COMPACT"}
    assert pool["nodeLocations"] == ["us-central1-a"] and pool["nodeCount"] == 2
    config = pool["nodeConfig"]
    assert config["guestAccelerators"] == [
        {
            "type": "nvidia-h100-mega-80gb",
            "count": 8,
            "gpuDriverInstallationConfig": {"gpuDriverVersion": "DEFAULT"},
        }
    ]
    assert config["gvnic"] == {"enabled": True} and config["imageType"] == "COS_CONTAINERD"
    assert config["taints"] == [{"key": "nvidia.com/gpu", "value": "present", "effect": "NO_SCHEDULE"}]
    assert config["labels"]["aiinfra.dev/fabric"] == "gpudirect-tcpxo"
    assert config["workloadMetadataConfig"] == {"mode": "GKE_METADATA"}
    assert "spot" not in config and "reservationAffinity" not in config and "flexStart" not in config


def test_the_tcpxo_plugin_installer_and_nri_injector_come_from_a_pinned_commit() -> None:
    graph = plan_cluster(MEGA)
    files = {r.name: r.inputs["file"] for r in graph.by_type(MANIFEST)}
    assert files == {
        "train-nccl-tcpxo-installer": PINNED + "gpudirect-tcpxo/nccl-tcpxo-installer.yaml",
        "train-nri-device-injector": PINNED + "nri_device_injector/nri-device-injector.yaml",
    }


def test_the_tcpxo_networks_have_mtu_8244_and_firewalls_limited_to_their_subnet() -> None:
    graph = plan_cluster(MEGA)
    nets = [r for r in graph.by_type(NET) if r.name.startswith("train-tcpxo-")]
    assert len(nets) == 8 and {n.inputs["mtu"] for n in nets} == {8244}
    assert all("networkProfile" not in n.inputs for n in nets), "TCPXO VPCs are ordinary VPCs"
    fws = graph.by_type(FW)
    assert len(fws) == 8
    assert all(
        len(f.inputs["sourceRanges"]) == 1 and f.inputs["sourceRanges"][0].startswith("192.168.") for f in fws
    )
    assert not any("0.0.0.0/0" in f.inputs["sourceRanges"] for f in fws)
    params = graph.get(PARAMS, "train-vpc1-params").inputs
    assert params["spec"] == {
        "vpc": "train-tcpxo-gpu-0",
        "vpcSubnet": "train-tcpxo-gpu-0-sub",
        "deviceMode": "NetDevice",
    }
    network = graph.get(GKE_NET, "train-vpc1-network").inputs
    assert network["spec"] == {
        "type": "Device",
        "parametersRef": {"group": "networking.gke.io", "kind": "GKENetworkParamSet", "name": "vpc1"},
    }


def test_an_a3_ultra_reservation_pool_gets_rdma_networks_and_no_placement_policy() -> None:
    graph = plan_cluster(
        {
            "name": "h200",
            "instanceType": "a3-ultragpu-8g",
            "nodes": 2,
            "capacity": "reservation",
            "reservation": "ultra-res-1",
        },
        zone="us-central1-b",
    )
    nets = {r.name: r.inputs for r in graph.by_type(NET) if r.name.startswith("train-rdma-")}
    assert set(nets) == {"train-rdma-gvnic", "train-rdma-rdma"}
    assert nets["train-rdma-rdma"]["networkProfile"] == (
        f"projects/{PROJECT}/global/networkProfiles/us-central1-b-vpc-roce"
    )
    assert {n["mtu"] for n in nets.values()} == {8896}
    assert [f.name for f in graph.by_type(FW)] == ["train-rdma-gvnic-internal"], "no firewall on a RoCE VPC"
    pool = graph.get(POOL, "train-h200-nodes").inputs
    assert "placementPolicy" not in pool, "a forced placement could shrink the usable reservation"
    assert pool["nodeConfig"]["reservationAffinity"] == {
        "consumeReservationType": "SPECIFIC_RESERVATION",
        "key": "compute.googleapis.com/reservation-name",
        "values": ["ultra-res-1"],
    }
    assert len(pool["networkConfig"]["additionalNodeNetworkConfigs"]) == 9, "1 gVNIC + 8 RDMA NICs"
    assert pool["nodeConfig"]["diskType"] == "hyperdisk-balanced"
    assert any("no compact placement on reservation" in w for w in graph.warnings)
    assert {r.name: r.inputs["file"] for r in graph.by_type(MANIFEST)} == {
        "train-nccl-rdma-installer": PINNED + "gpudirect-rdma/nccl-rdma-installer.yaml"
    }, "RDMA needs the gIB installer and no NRI injector"
    modes = {r.inputs["metadata"]["name"]: r.inputs["spec"]["deviceMode"] for r in graph.by_type(PARAMS)}
    assert modes == {"gvnic-1": "NetDevice", **{f"rdma-{i}": "RDMA" for i in range(8)}}


def test_an_a2_pool_without_interconnect_gets_no_extra_networks_and_no_multi_networking() -> None:
    graph = plan_cluster({"name": "a100", "instanceType": "a2-highgpu-8g", "nodes": 1, "interconnect": False})
    assert graph.by_type("aiinfra:gcp:GpuFabricNetwork") == []
    assert graph.by_type(PARAMS) == [] and graph.by_type(GKE_NET) == [] and graph.by_type(FW) == []
    assert graph.by_type(MANIFEST) == [], "no GPUDirect host components without a fabric"
    assert [r.name for r in graph.by_type(NET)] == ["train-net-vpc"]
    assert "enableMultiNetworking" not in graph.get(GKE, "train-gke").inputs
    pool = graph.get(POOL, "train-a100-nodes").inputs
    assert "networkConfig" not in pool and "placementPolicy" not in pool
    assert pool["nodeConfig"]["guestAccelerators"][0]["type"] == "nvidia-tesla-a100"


def test_spot_and_flex_start_pools() -> None:
    graph = plan_cluster(
        {"name": "spot", "instanceType": "a3-megagpu-8g", "nodes": 2, "capacity": "spot"},
        {
            "name": "flex",
            "instanceType": "a3-megagpu-8g",
            "minNodes": 0,
            "maxNodes": 4,
            "capacity": "capacity-block",
        },
    )
    spot = graph.get(POOL, "train-spot-nodes").inputs
    assert spot["nodeConfig"]["spot"] is True and spot["placementPolicy"] == {"type": "COMPACT"}
    flex = graph.get(POOL, "train-flex-nodes").inputs
    assert flex["nodeConfig"]["flexStart"] is True and "spot" not in flex["nodeConfig"]
    assert flex["nodeConfig"]["reservationAffinity"] == {"consumeReservationType": "NO_RESERVATION"}
    assert flex["autoscaling"] == {"minNodeCount": 0, "maxNodeCount": 4, "locationPolicy": "ANY"}
    assert flex["initialNodeCount"] == 0 and "nodeCount" not in flex
    assert flex["management"] == {"autoRepair": False, "autoUpgrade": True}
    assert "placementPolicy" not in flex
    assert len(graph.by_type("aiinfra:gcp:GpuFabricNetwork")) == 1, "pools of one fabric share its networks"


def test_a_v5p_2x2x4_slice_is_one_pool_of_four_hosts_with_the_tpu_topology() -> None:
    graph = plan_cluster({"name": "v5p", "accelerator": "TPU-v5p", "topology": "2x2x4"})
    assert names_by_type(children_of(graph, "aiinfra:gcp:TpuNodePool", "train-v5p")) == {
        (POOL, "train-v5p-nodes")
    }
    pool = graph.get(POOL, "train-v5p-nodes").inputs
    assert pool["nodeConfig"]["machineType"] == "ct5p-hightpu-4t" and pool["nodeCount"] == 4
    assert pool["placementPolicy"] == {"type": "COMPACT", "tpuTopology": "2x2x4"}
    assert "guestAccelerators" not in pool["nodeConfig"] and "networkConfig" not in pool
    assert graph.by_type("aiinfra:gcp:GpuFabricNetwork") == []


def test_a_single_host_v6e_slice_takes_the_8_chip_machine_and_no_placement() -> None:
    graph = plan_cluster(
        {"name": "v6e", "accelerator": "TPU-v6e", "topology": "2x4", "nodes": 3, "capacity": "spot"}
    )
    pool = graph.get(POOL, "train-v6e-nodes").inputs
    assert pool["nodeConfig"]["machineType"] == "ct6e-standard-8t" and pool["nodeCount"] == 3
    assert "placementPolicy" not in pool and pool["nodeConfig"]["spot"] is True


def test_a_regional_cluster_spreads_its_system_pool_and_keeps_accelerators_in_one_zone() -> None:
    graph = plan_cluster(MEGA, zone=None)
    gke = graph.get(GKE, "train-gke").inputs
    assert gke["location"] == "us-central1"
    system = graph.get(POOL, "train-system").inputs
    assert system["nodeLocations"] == ["us-central1-a", "us-central1-b"] and system["nodeCount"] == 1
    assert graph.get(POOL, "train-h100-nodes").inputs["nodeLocations"] == ["us-central1-a"]


@pytest.mark.parametrize(
    ("kinds", "addons"),
    [
        ([], {"gcsFuseCsiDriverConfig"}),
        (
            [
                {"name": "s", "kind": "parallel", "capacityGiB": 12000},
                {"name": "f", "kind": "file", "capacityGiB": 1024},
            ],
            {"gcsFuseCsiDriverConfig", "parallelstoreCsiDriverConfig", "gcpFilestoreCsiDriverConfig"},
        ),
    ],
)
def test_the_storage_csi_drivers_the_cluster_uses_are_enabled(
    kinds: list[dict[str, Any]], addons: set[str]
) -> None:
    gke = plan_cluster(MEGA, storage=kinds).get(GKE, "train-gke").inputs
    assert set(gke["addonsConfig"]) == addons
    assert all(v == {"enabled": True} for v in gke["addonsConfig"].values())


def test_a_gpu_pool_gets_a_kueue_queue_of_its_whole_size_and_gke_watches_its_gpus() -> None:
    graph = plan_cluster(MEGA)
    assert names_by_type(children_of(graph, "aiinfra:gcp:WorkloadReady", "train-workload")) == {
        ("kubernetes:core/v1:Namespace", "train-workload-ns"),
        ("kubernetes:helm.sh/v3:Release", "train-workload-kueue"),
        ("kubernetes:kueue.x-k8s.io/v1beta2:ResourceFlavor", "train-workload-resourceflavor-h100"),
        ("kubernetes:kueue.x-k8s.io/v1beta2:ClusterQueue", "train-workload-clusterqueue-h100"),
        ("kubernetes:kueue.x-k8s.io/v1beta2:LocalQueue", "train-workload-localqueue-h100"),
    }, "GKE scales the pools and repairs GPU nodes itself: no autoscaler or DCGM chart"
    flavor = graph.get(
        "kubernetes:kueue.x-k8s.io/v1beta2:ResourceFlavor", "train-workload-resourceflavor-h100"
    )
    assert flavor.inputs["spec"]["nodeLabels"] == {"aiinfra.dev/pool": "train-h100"}
    assert flavor.inputs["spec"]["tolerations"] == [
        {"key": "nvidia.com/gpu", "operator": "Equal", "value": "present", "effect": "NoSchedule"}
    ], "the flavor tolerates the taint the pool's nodes carry"
    queue = graph.get("kubernetes:kueue.x-k8s.io/v1beta2:ClusterQueue", "train-workload-clusterqueue-h100")
    quota = {
        r["name"]: r["nominalQuota"]
        for r in queue.inputs["spec"]["resourceGroups"][0]["flavors"][0]["resources"]
    }
    assert quota["nvidia.com/gpu"] == 16 and quota["cpu"] == 2 * 208, "2 nodes of 8 GPUs and 208 vCPUs"
    assert graph.get(GKE, "train-gke").inputs["monitoringConfig"] == {
        "enableComponents": ["SYSTEM_COMPONENTS", "DCGM"],
        "managedPrometheus": {"enabled": True},
    }


def test_a_tpu_only_cluster_gets_no_gpu_queue_and_no_gpu_metrics() -> None:
    graph = plan_cluster({"name": "v5p", "accelerator": "TPU-v5p", "topology": "2x2x4"})
    assert names_by_type(children_of(graph, "aiinfra:gcp:WorkloadReady", "train-workload")) == {
        ("kubernetes:core/v1:Namespace", "train-workload-ns")
    }
    assert "monitoringConfig" not in graph.get(GKE, "train-gke").inputs


def test_every_planned_name_is_one_the_spec_sanity_checks_know() -> None:
    from aiinfra.clouds.gcp import LIMITS

    known = {t.format(cluster="train", pool=p) for t in LIMITS.cluster_names for p in ("h100",)}
    known |= {
        t.format(cluster="train", pool=p) for t in LIMITS.pool_names for p in ("h100", "h200", "flex", "spot")
    }
    for graph in (
        plan_cluster(MEGA),
        plan_cluster(
            {
                "name": "h200",
                "instanceType": "a3-ultragpu-8g",
                "nodes": 2,
                "capacity": "reservation",
                "reservation": "ultra-res-1",
            },
            zone="us-central1-b",
        ),
    ):
        planned = {r.name for r in graph.resources}
        assert planned - known == set(), "clouds/gcp.py LIMITS must list every name the components derive"


def test_node_pools_carry_the_spec_pool_name_and_a_pool_named_system_is_refused() -> None:
    graph = plan_cluster(MEGA)
    assert graph.get(POOL, "train-h100-nodes").inputs["name"] == "h100"
    assert graph.get(POOL, "train-system").inputs["name"] == "system"
    from aiinfra.spec import SpecError

    with pytest.raises(SpecError) as caught:
        parse_spec({"clusters": [cluster_doc({**MEGA, "name": "system"})]}, default_catalog())
    assert any(i.path.startswith("clusters[0].nodePools[0]") for i in caught.value.issues), (
        caught.value.issues
    )


def test_a_pool_off_the_fabric_moves_to_a_zone_that_sells_its_machine() -> None:
    # The catalog sells a2-highgpu-8g in us-central1-f and a3-megagpu-8g only in us-central1-a/b/c.
    graph = plan_cluster(
        {"name": "a100", "instanceType": "a2-highgpu-8g", "nodes": 1, "interconnect": False},
        {**MEGA, "interconnect": False},
        zone="us-central1-f",
    )
    assert graph.get(POOL, "train-a100-nodes").inputs["nodeLocations"] == ["us-central1-f"]
    assert graph.get(POOL, "train-h100-nodes").inputs["nodeLocations"] == ["us-central1-a"]
