"""Azure guardrails (policy/azure.py) on variants of the compliant resources of tests/test_policy_azure.py:
workload identity with a value unknown before create, the `Any` source of a network security group rule, an
open rule listed after a rule that does not match, and which storage accounts a Managed Lustre file system's
HSM link exempts from the Shared Key rule (a container named by its offline-plan ID, the logging container
alone). Written to kill the mutants bench/mutation.py found alive."""

from __future__ import annotations

from aiinfra.engine.graph import PlannedResource, ResourceGraph, make_urn
from aiinfra.engine.inputs import UNKNOWN
from tests.test_policy_azure import ARM_ID, CONTAINER, KEYED, check, hsm, open_rule, res

SHARED_KEY_TRUE = "storage account data accepts Shared Key authorization (allowSharedKeyAccess is true)."


def test_workload_identity_not_known_before_create_is_not_reported() -> None:
    off = ("securityProfile.workloadIdentity.enabled", False)
    unknown_issuer = res("aks", ("oidcIssuerProfile.enabled", UNKNOWN), off)
    assert check("aks-workload-identity", unknown_issuer) == []
    unknown_identity = res("aks", ("securityProfile.workloadIdentity.enabled", UNKNOWN))
    assert check("aks-workload-identity", unknown_identity) == []
    unknown_profile = res("aks", ("securityProfile", UNKNOWN), ("oidcIssuerProfile", {"enabled": False}))
    assert check("aks-workload-identity", unknown_profile) == []
    assert [v.message for v in check("aks-workload-identity", res("aks", off))] == [
        "AKS cluster aks has no workload identity for pods: securityProfile.workloadIdentity.enabled is false."
    ], "the same cluster with the issuer known is reported"


def test_the_any_source_is_the_whole_internet() -> None:
    any_ssh = open_rule(("sourceAddressPrefix", "Any"), ("destinationPortRanges", ["22"]))
    assert [v.message for v in check("nsg-open-admin-ingress", any_ssh)] == [
        "network security group lustre-in (rule) admits Any on port 22 (SSH) (tcp)."
    ]


def test_an_open_rule_after_a_deny_rule_is_still_found() -> None:
    ssh_from_internet, deny_internet = res(
        "nodes", ("securityRules.0.sourceAddressPrefix", "Internet")
    ).inputs["securityRules"]
    nsg = res("nodes", ("securityRules", [deny_internet, ssh_from_internet]))
    assert [v.message for v in check("nsg-open-admin-ingress", nsg)] == [
        "network security group nodes (securityRules[1] vnet-ssh) admits Internet on port 22 (SSH) (tcp)."
    ]


def _container(name: str, account: str) -> PlannedResource:
    inputs = {"accountName": account, "publicAccess": "None"}
    return PlannedResource(
        CONTAINER, name, make_urn("test", "aiinfra", CONTAINER, name), None, inputs, True, True, True
    )


def test_a_link_to_another_accounts_container_by_its_plan_id_leaves_the_keyed_account_reported() -> None:
    graph = hsm(KEYED, "theirs-id", "theirs-id")
    graph = ResourceGraph("test", "aiinfra", [*graph.resources, _container("theirs", "other")])
    assert [v.message for v in check("azure-storage-shared-key", graph)] == [SHARED_KEY_TRUE]


def test_a_link_through_the_logging_container_alone_exempts_its_account() -> None:
    graph = hsm(KEYED, ARM_ID.format("other"), ARM_ID.format("acct"))
    assert check("azure-storage-shared-key", graph) == []


def test_a_link_not_known_before_create_leaves_every_keyed_account_unreported() -> None:
    assert check("azure-storage-shared-key", hsm(KEYED, UNKNOWN, UNKNOWN)) == [], (
        "the link may name this account: not reported until it is known"
    )
    assert [v.message for v in check("azure-storage-shared-key", hsm(KEYED, None, None))] == [
        SHARED_KEY_TRUE
    ], "no link at all: the keyed account is reported"
