"""Azure facts and pure helpers only the Azure components use: the VNet plan, AKS pool names, GPU taints and
labels, role definitions, the RDMA stack (NVIDIA Network Operator + GPU Operator) and its values, and the
kubeconfig rewrite. No Pulumi import: tested on their own. Facts the spec checks share with the components
(capacity reservation IDs, Managed Lustre SKUs) live in `aiinfra.clouds.azure`."""

from __future__ import annotations

import base64
import ipaddress
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from aiinfra.clouds.azure import RDMA_RESERVED, VNET_MAX_PREFIX, VNET_MIN_PREFIX

# -- network -----------------------------------------------------------------------------------------------

# API Server VNet Integration: the API server subnet is delegated to AKS and needs at least a /28
# (learn.microsoft.com/azure/aks/api-server-vnet-integration, read 2026-12-04).
API_SERVER_PREFIX = 28
API_SERVER_DELEGATION = "Microsoft.ContainerService/managedClusters"
# Azure Managed Lustre needs a /24 for up to 196 TiB, a /23 for up to 400 TiB (AMLFS prerequisites,
# learn.microsoft.com/azure/azure-managed-lustre/amlfs-prerequisites, read 2026-12-04).
LUSTRE_MIN_PREFIX = 24
# Pod and service ranges for Azure CNI overlay: outside the VNet and outside the RDMA range. AKS's own
# defaults come first (pod 10.244.0.0/16, service 10.0.0.0/16; learn.microsoft.com/azure/aks/
# azure-cni-overlay, read 2026-12-04).
POD_CIDR_CHOICES = ("10.244.0.0/16", "10.248.0.0/16", "192.168.0.0/16")
SERVICE_CIDR_CHOICES = ("10.0.0.0/16", "10.1.0.0/16", "192.168.0.0/20")


@dataclass(frozen=True, slots=True)
class VnetPlan:
    """Where each subnet of a cluster's VNet goes. The first quarter holds GPU nodes, the second system
    nodes, the third the Lustre file system; the last quarter the API server subnet (/28) and a subnet for
    private endpoints (storage accounts, Key Vault), the rest of it left free."""

    gpu: ipaddress.IPv4Network
    system: ipaddress.IPv4Network
    lustre: ipaddress.IPv4Network
    api_server: ipaddress.IPv4Network
    endpoints: ipaddress.IPv4Network
    pod_cidr: ipaddress.IPv4Network
    service_cidr: ipaddress.IPv4Network

    @property
    def dns_service_ip(self) -> str:
        """The cluster DNS service address: the tenth of the service range, as AKS's default is."""
        return str(self.service_cidr.network_address + 10)


def _first_clear(choices: Iterable[str], avoid: Sequence[ipaddress.IPv4Network]) -> ipaddress.IPv4Network:
    for text in choices:
        candidate = ipaddress.IPv4Network(text)
        if not any(candidate.overlaps(a) for a in avoid):
            return candidate
    raise ValueError(f"no free range among {', '.join(choices)} beside {', '.join(map(str, avoid))}")


def plan_vnet(cidr: ipaddress.IPv4Network) -> VnetPlan:
    """The subnets of a /16 to /20 VNet (see `VnetPlan`), and overlay pod and service ranges that overlap
    neither the VNet nor the RDMA range."""
    if not VNET_MIN_PREFIX <= cidr.prefixlen <= VNET_MAX_PREFIX:
        raise ValueError(f"{cidr} must be a /16 to /20 block")
    if cidr.overlaps(RDMA_RESERVED):
        raise ValueError(
            f"{cidr} overlaps {RDMA_RESERVED}, which Azure's InfiniBand network uses inside ND VMs; "
            "choose another range, e.g. 10.40.0.0/16"
        )
    gpu, system, lustre, rest = cidr.subnets(prefixlen_diff=2)
    api_server = next(rest.subnets(new_prefix=API_SERVER_PREFIX))
    endpoints = list(rest.subnets(prefixlen_diff=2))[1]
    pod = _first_clear(POD_CIDR_CHOICES, [cidr, RDMA_RESERVED])
    service = _first_clear(SERVICE_CIDR_CHOICES, [cidr, RDMA_RESERVED, pod])
    return VnetPlan(gpu, system, lustre, api_server, endpoints, pod, service)


# -- AKS pools ---------------------------------------------------------------------------------------------

# "Linux node pool names must be lowercase, 1-12 alphanumeric characters, and start with a letter"
# (learn.microsoft.com/azure/aks/create-node-pools, read 2026-12-04).
POOL_NAME_MAX = 12
SYSTEM_POOL_NAME = "system"


def agent_pool_names(pools: Sequence[str]) -> dict[str, str]:
    """An AKS agent pool name per spec pool name: its letters and digits, at most 12, made unique (a clash,
    or `system`, ends in a digit instead)."""
    taken = {SYSTEM_POOL_NAME}
    out: dict[str, str] = {}
    for pool in pools:
        base = re.sub(r"[^a-z0-9]", "", pool.lower())[:POOL_NAME_MAX] or "gpu"
        name, n = base, 1
        while name in taken:
            suffix = str(n)
            name = base[: POOL_NAME_MAX - len(suffix)] + suffix
            n += 1
        taken.add(name)
        out[pool] = name
    return out


# The GPU taint, as on AWS (`aiinfra.components.aws.rules.GPU_TAINT`): only pods that tolerate it land on
# GPU nodes. AKS writes taints as key=value:Effect.
GPU_TAINT = ("nvidia.com/gpu", "true", "NoSchedule")
# AKS puts this taint on every Spot node itself; declaring it keeps Pulumi's view and AKS's the same
# (learn.microsoft.com/azure/aks/spot-node-pool, read 2026-12-04).
SPOT_TAINT = ("kubernetes.azure.com/scalesetpriority", "spot", "NoSchedule")


def taint_text(taint: tuple[str, str, str]) -> str:
    key, value, effect = taint
    return f"{key}={value}:{effect}"


def pool_labels(
    pool: str, accelerator: str | None, infiniband: bool, extra: dict[str, str]
) -> dict[str, str]:
    """The node labels of a GPU pool, the same keys as on AWS (`aiinfra.dev/efa` there, `infiniband` here)."""
    return {
        "aiinfra.dev/pool": pool,
        **({"aiinfra.dev/accelerator": accelerator} if accelerator else {}),
        "aiinfra.dev/accelerator-vendor": "nvidia",
        **({"aiinfra.dev/infiniband": "true"} if infiniband else {}),
        **extra,
    }


# InfiniBand reaches only the VMs of one scale-set placement group, and a placement group holds at most 100
# VMs (learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-placement-groups and
# learn.microsoft.com/azure/virtual-machines/setup-infiniband, read 2026-12-04).
IB_FABRIC_MAX_NODES = 100

# Spot: "-1 means the default price is up to on-demand" (AgentPool.spotMaxPrice, pulumi-azure-native 3.29.0
# docstring; learn.microsoft.com/azure/aks/spot-node-pool). The cap follows Azure's on-demand price as it
# changes, where a number copied from the catalog would go stale and evict the pool when Azure raises it.
SPOT_MAX_PRICE_ON_DEMAND = -1
SPOT_EVICTION = "Delete"
# AKS agent pool values (containerservice API 2025-09-01).
PRIORITY = {"spot": "Spot"}
# With the GPU Operator managing drivers, AKS must not install its own (they are exclusive:
# Azure/aks-rdma-infiniband website/docs/configurations/02-gpu-drivers.md @700dabb). `gpuProfile.driver`
# is create-only.
GPU_DRIVER = "None"
GPU_OS_SKU = "Ubuntu"  # the DOCA OFED driver and the GPU Operator's driver containers build for Ubuntu
SYSTEM_OS_SKU = "AzureLinux"
# The system pool's OS disk, said rather than left to AKS: Standard_D4s_v5 has no temp disk, so AKS would
# give it a managed disk anyway, 128 GiB (P10) for 1-7 vCPUs (MicrosoftDocs/azure-aks-docs
# articles/aks/concepts-storage.md "Managed OS disks" @fb060abe); saying it keeps the estimate exact.
SYSTEM_OS_DISK = ("Managed", 128)


# -- Azure built-in roles (learn.microsoft.com/azure/role-based-access-control/built-in-roles, read
# 2026-12-04) ----------------------------------------------------------------------------------------------

NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7"
KEY_VAULT_CRYPTO_USER = "12338af0-0e69-4776-bea7-57ae8d297424"
KEY_VAULT_CONTRIBUTOR = "f25e0fa2-a7c8-4377-a976-54943a77a395"
AKS_RBAC_CLUSTER_ADMIN = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"


def role_definition_id(subscription_id: str, role: str) -> str:
    return f"/subscriptions/{subscription_id}/providers/Microsoft.Authorization/roleDefinitions/{role}"


# -- kubeconfig --------------------------------------------------------------------------------------------

# The AKS AAD server application every Entra-enabled cluster's tokens are for (kubelogin's --server-id;
# learn.microsoft.com/azure/aks/kubelogin-authentication, read 2026-12-04).
AKS_AAD_SERVER_ID = "6dae42f8-4368-4678-94ff-3960e28e3630"


def azurecli_kubeconfig(encoded: str) -> str:
    """The user kubeconfig AKS returns (base64, exec format), rewritten so kubelogin takes its token from
    the Azure CLI's login (`azure/login` in CI, `az login` at a desk) instead of a device-code prompt:
    what `kubelogin convert-kubeconfig -l azurecli` does. Local accounts are disabled, so there is no
    certificate user to fall back on."""
    config: dict[str, Any] = yaml.safe_load(base64.b64decode(encoded).decode("utf-8"))
    for user in config.get("users") or []:
        user["user"] = {
            "exec": {
                "apiVersion": "client.authentication.k8s.io/v1beta1",
                "command": "kubelogin",
                "args": ["get-token", "--login", "azurecli", "--server-id", AKS_AAD_SERVER_ID],
                "interactiveMode": "Never",
                "provideClusterInfo": False,
            }
        }
    return yaml.safe_dump(config, sort_keys=False)


# -- the RDMA stack in the cluster -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HelmChart:
    release: str
    chart: str
    version: str
    repo: str
    namespace: str
    source: str
    retrieved: str


# Versions and values as Azure documents its AKS + InfiniBand setup: Azure/aks-rdma-infiniband @700dabb
# (website/docs/configurations/01-network-operator.md, 02-gpu-drivers.md; configs/values/*).
RDMA_SOURCE = "https://github.com/Azure/aks-rdma-infiniband/tree/700dabb"
NVIDIA_HELM_REPO = "https://helm.ngc.nvidia.com/nvidia"
NETWORK_OPERATOR = HelmChart(
    release="network-operator",
    chart="network-operator",
    version="v26.4.0",
    repo=NVIDIA_HELM_REPO,
    namespace="network-operator",
    source=RDMA_SOURCE,
    retrieved="2026-12-04",
)
GPU_OPERATOR = HelmChart(
    release="gpu-operator",
    chart="gpu-operator",
    version="v26.3.3",
    repo=NVIDIA_HELM_REPO,
    namespace="gpu-operator",
    source=RDMA_SOURCE,
    retrieved="2026-12-04",
)
# The DOCA OFED driver container the NicClusterPolicy runs on IB nodes, and the SR-IOV device plugin that
# exposes each InfiniBand NIC as one `rdma/ib` (configs/nicclusterpolicy/{base,sriov-device-plugin} @700dabb).
DOCA_DRIVER = ("nvcr.io/nvidia/mellanox", "doca-driver", "doca3.2.0-25.10-1.2.8.0-2")
SRIOV_DEVICE_PLUGIN = ("nvcr.io/nvidia/mellanox", "sriov-network-device-plugin", "network-operator-v25.10.0")
RDMA_RESOURCE = "rdma/ib"
# NFD labels nodes with Mellanox (vendor 15b3) ConnectX VFs, device 101c or 101e, as Azure's rule does
# (tests/setup-infra/network-operator-nfd.yaml @700dabb); the NicClusterPolicy runs only there.
MELLANOX_LABEL = "feature.node.kubernetes.io/pci-15b3.present"
MELLANOX_DEVICES = ("101c", "101e")
PRIVILEGED_NAMESPACE_LABELS = {"pod-security.kubernetes.io/enforce": "privileged"}


def gpu_tolerations() -> list[dict[str, str]]:
    """What the operators' node agents tolerate: the GPU taint and AKS's Spot taint."""
    return [
        {"key": GPU_TAINT[0], "operator": "Exists", "effect": GPU_TAINT[2]},
        {"key": SPOT_TAINT[0], "operator": "Exists", "effect": SPOT_TAINT[2]},
    ]


def network_operator_values() -> dict[str, Any]:
    """Azure's values (its own NodeFeatureRule instead of the chart's), plus tolerations: our GPU pools are
    tainted, Azure's example pools are not, and NFD must label the IB nodes."""
    return {
        "nfd": {"enabled": True, "deployNodeFeatureRules": False},
        "node-feature-discovery": {"worker": {"tolerations": gpu_tolerations()}},
    }


def gpu_operator_values(rdma: bool) -> dict[str, Any]:
    """Azure's GPU Operator values: NFD comes from the Network Operator when there is one; the driver
    built with GPUDirect RDMA when InfiniBand pools exist; MIG, vGPU, VFIO and sandboxes off. Azure's
    ServiceMonitor is left out (it needs the Prometheus Operator's CRDs)."""
    return {
        "nfd": {"enabled": not rdma},
        "driver": {"enabled": True, "rdma": {"enabled": rdma}},
        "migManager": {"enabled": False},
        "vgpuDeviceManager": {"enabled": False},
        "vfioManager": {"enabled": False},
        "sandboxDevicePlugin": {"enabled": False},
        "daemonsets": {"tolerations": gpu_tolerations()},
    }


def node_feature_rule() -> dict[str, Any]:
    return {
        "rules": [
            {
                "name": "aiinfra-mellanox-ib",
                "labels": {MELLANOX_LABEL: "true"},
                "matchFeatures": [
                    {
                        "feature": "pci.device",
                        "matchExpressions": {
                            "vendor": {"op": "In", "value": ["15b3"]},
                            "device": {"op": "In", "value": list(MELLANOX_DEVICES)},
                        },
                    }
                ],
            }
        ]
    }


def nic_cluster_policy() -> dict[str, Any]:
    """The NicClusterPolicy spec: on Mellanox nodes only, the DOCA OFED driver (upgraded one node at a
    time, drained first) and the SR-IOV device plugin that advertises each IB NIC as `rdma/ib`."""
    repo, image, version = DOCA_DRIVER
    srepo, simage, sversion = SRIOV_DEVICE_PLUGIN
    prefix, _, name = RDMA_RESOURCE.partition("/")
    return {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [
                    {"matchExpressions": [{"key": MELLANOX_LABEL, "operator": "In", "values": ["true"]}]}
                ]
            }
        },
        "tolerations": gpu_tolerations(),
        "ofedDriver": {
            "repository": repo,
            "image": image,
            "version": version,
            # Azure's workaround for a module-load race (Mellanox/doca-driver-build#52).
            "env": [
                {
                    "name": "OFED_BLACKLIST_MODULES_FILE",
                    "value": "/host/etc/modprobe.d/blacklist-ofed-modules.conf",
                }
            ],
            "upgradePolicy": {
                "autoUpgrade": True,
                "maxParallelUpgrades": 1,
                "drain": {"enable": True, "force": True, "deleteEmptyDir": True, "timeoutSeconds": 300},
            },
            "startupProbe": {"initialDelaySeconds": 10, "periodSeconds": 20},
            "livenessProbe": {"initialDelaySeconds": 30, "periodSeconds": 30},
            "readinessProbe": {"initialDelaySeconds": 10, "periodSeconds": 30},
        },
        "sriovDevicePlugin": {
            "repository": srepo,
            "image": simage,
            "version": sversion,
            "config": json.dumps(
                {
                    "resourceList": [
                        {
                            "resourcePrefix": prefix,
                            "resourceName": name,
                            "selectors": {"vendors": ["15b3"], "linkTypes": ["infiniband"], "isRdma": True},
                        }
                    ]
                }
            ),
        },
    }
