"""The Azure components' pure facts and helpers: VNet plan, pool names, kubeconfig rewrite, RDMA values."""

from __future__ import annotations

import base64
import ipaddress
import json

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from aiinfra.components.azure import rules
from aiinfra.components.azure.key_vault import VAULT_NAME_MAX, vault_name
from aiinfra.components.azure.resource_group import resource_group_name

# -- VNet plan ---------------------------------------------------------------------------------------------

private_blocks = st.builds(
    lambda first, second, prefix: ipaddress.IPv4Network(f"10.{first}.{second}.0/{prefix}", strict=False),
    st.integers(0, 255),
    st.integers(0, 255),
    st.integers(16, 20),
)


@given(private_blocks)
def test_every_subnet_lies_inside_the_vnet_and_none_overlap(cidr: ipaddress.IPv4Network) -> None:
    plan = rules.plan_vnet(cidr)
    subnets = [plan.gpu, plan.system, plan.lustre, plan.api_server, plan.endpoints]
    for s in subnets:
        assert s.subnet_of(cidr), f"{s} must lie inside {cidr}"
    for i, a in enumerate(subnets):
        for b in subnets[i + 1 :]:
            assert not a.overlaps(b), f"{a} and {b} overlap"


@given(private_blocks)
def test_pod_and_service_ranges_clear_the_vnet_the_rdma_range_and_each_other(
    cidr: ipaddress.IPv4Network,
) -> None:
    plan = rules.plan_vnet(cidr)
    for r in (plan.pod_cidr, plan.service_cidr):
        assert not r.overlaps(cidr), f"{r} overlaps the VNet {cidr}: overlay ranges must not"
        assert not r.overlaps(rules.RDMA_RESERVED), f"{r} overlaps Azure's RDMA range"
    assert not plan.pod_cidr.overlaps(plan.service_cidr)
    assert ipaddress.IPv4Address(plan.dns_service_ip) in plan.service_cidr


def test_a_16_gets_quarter_subnets_a_28_for_the_api_server_and_aks_default_overlay_ranges() -> None:
    plan = rules.plan_vnet(ipaddress.IPv4Network("10.40.0.0/16"))
    assert (str(plan.gpu), str(plan.system), str(plan.lustre)) == (
        "10.40.0.0/18",
        "10.40.64.0/18",
        "10.40.128.0/18",
    )
    assert str(plan.api_server) == "10.40.192.0/28", "API Server VNet Integration needs at least a /28"
    assert str(plan.endpoints) == "10.40.208.0/20"
    assert (str(plan.pod_cidr), str(plan.service_cidr), plan.dns_service_ip) == (
        "10.244.0.0/16",
        "10.0.0.0/16",
        "10.0.0.10",
    ), "AKS's own defaults when they do not clash"


def test_a_vnet_on_aks_default_service_range_moves_the_service_range() -> None:
    plan = rules.plan_vnet(ipaddress.IPv4Network("10.0.0.0/16"))
    assert str(plan.service_cidr) == "10.1.0.0/16"


def test_a_20_still_leaves_lustre_a_24_or_more() -> None:
    plan = rules.plan_vnet(ipaddress.IPv4Network("10.40.0.0/20"))
    assert plan.lustre.prefixlen <= rules.LUSTRE_MIN_PREFIX, "Managed Lustre needs at least a /24"


def test_a_vnet_over_the_rdma_range_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="InfiniBand"):
        rules.plan_vnet(ipaddress.IPv4Network("172.16.0.0/16"))


# -- pool names --------------------------------------------------------------------------------------------


def test_pool_names_are_short_lowercase_alphanumerics_and_unique() -> None:
    names = rules.agent_pool_names(["h100", "h100-spot-large-train", "h100spotlargetrain", "system"])
    assert names == {
        "h100": "h100",
        "h100-spot-large-train": "h100spotlarg",
        "h100spotlargetrain": "h100spotlar1",
        "system": "system1",
    }


@given(st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,22}[a-z0-9]", fullmatch=True), min_size=1, max_size=8))
def test_any_spec_pool_names_give_valid_distinct_aks_names(pools: list[str]) -> None:
    names = rules.agent_pool_names(list(dict.fromkeys(pools)))
    values = list(names.values())
    assert len(set(values)) == len(values), "AKS pool names must be unique in a cluster"
    assert rules.SYSTEM_POOL_NAME not in values, "the system pool's name is taken"
    for v in values:
        assert v[0].isalpha() and v.isalnum() and v == v.lower() and len(v) <= 12, v


# -- names of the cluster's resources ----------------------------------------------------------------------


def test_vault_names_fit_azure_and_differ_by_subscription() -> None:
    a = vault_name("a-very-long-cluster-name", "sub-1", "rg")
    b = vault_name("a-very-long-cluster-name", "sub-2", "rg")
    assert a != b, "vault names are global: two subscriptions must not collide"
    for name in (a, b, vault_name("t", "s", "rg")):
        assert 3 <= len(name) <= VAULT_NAME_MAX and name[0].isalpha() and "--" not in name, name
    assert vault_name("train", "sub", "rg") == vault_name("train", "sub", "rg"), "stable across runs"


def test_resource_group_name_joins_stack_and_cluster() -> None:
    assert resource_group_name("prod", "train") == "aiinfra-prod-train"
    assert resource_group_name("a/b", "c") == "aiinfra-a-b-c", "characters Azure refuses become '-'"


# -- kubeconfig --------------------------------------------------------------------------------------------


def test_the_aks_kubeconfig_is_rewritten_to_log_in_with_the_azure_cli() -> None:
    original = {
        "apiVersion": "v1",
        "clusters": [{"name": "c", "cluster": {"server": "https://c.example:443"}}],
        "users": [
            {"name": "u", "user": {"exec": {"command": "kubelogin", "args": ["--login", "devicecode"]}}}
        ],
    }
    out = yaml.safe_load(rules.azurecli_kubeconfig(base64.b64encode(json.dumps(original).encode()).decode()))
    assert out["clusters"] == original["clusters"], "the server and CA stay as AKS gave them"
    exec_ = out["users"][0]["user"]["exec"]
    assert exec_["command"] == "kubelogin"
    assert exec_["args"] == ["get-token", "--login", "azurecli", "--server-id", rules.AKS_AAD_SERVER_ID]
    assert "devicecode" not in json.dumps(out), "no interactive login in CI"


# -- the RDMA stack ----------------------------------------------------------------------------------------


def test_gpu_operator_builds_the_rdma_driver_only_with_infiniband_and_leaves_nfd_to_the_network_operator() -> (
    None
):
    with_ib, without = rules.gpu_operator_values(rdma=True), rules.gpu_operator_values(rdma=False)
    assert with_ib["driver"]["rdma"]["enabled"] is True and with_ib["nfd"]["enabled"] is False
    assert without["driver"]["rdma"]["enabled"] is False and without["nfd"]["enabled"] is True
    assert {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"} in with_ib["daemonsets"][
        "tolerations"
    ], "the operator's node agents must run on tainted GPU nodes"


def test_the_nic_cluster_policy_exposes_ib_nics_as_rdma_ib_on_mellanox_nodes_only() -> None:
    spec = rules.nic_cluster_policy()
    config = json.loads(spec["sriovDevicePlugin"]["config"])
    (resource,) = config["resourceList"]
    assert f"{resource['resourcePrefix']}/{resource['resourceName']}" == rules.RDMA_RESOURCE == "rdma/ib"
    assert resource["selectors"] == {"vendors": ["15b3"], "linkTypes": ["infiniband"], "isRdma": True}
    term = spec["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"][0]
    assert term["matchExpressions"] == [{"key": rules.MELLANOX_LABEL, "operator": "In", "values": ["true"]}]
    assert spec["ofedDriver"]["version"] == rules.DOCA_DRIVER[2]
    assert spec["ofedDriver"]["upgradePolicy"]["maxParallelUpgrades"] == 1
    assert "docaTelemetryService" not in spec and "rdmaSharedDevicePlugin" not in spec


def test_the_node_feature_rule_labels_the_nodes_the_policy_selects() -> None:
    (rule,) = rules.node_feature_rule()["rules"]
    assert rule["labels"] == {rules.MELLANOX_LABEL: "true"}
    assert rule["matchFeatures"][0]["matchExpressions"]["device"]["value"] == ["101c", "101e"]
