"""Azure storage under the recording mocks: blob storage accounts, Azure Managed Lustre (with and without its
HSM link to a blob container), Azure Files premium NFS shares and the cluster's storage composite; their
pure helpers (names, SKUs, links); and what the estimate makes of the resources they create."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiinfra.catalog import Catalog, default_catalog
from aiinfra.catalog.model import StoragePrice
from aiinfra.clouds.azure import PROFILE as AZURE
from aiinfra.components.azure.files import TYPE as SHARE
from aiinfra.components.azure.files import NfsFileShare, NfsFileShareArgs
from aiinfra.components.azure.managed_lustre import TYPE as LUSTRE
from aiinfra.components.azure.managed_lustre import (
    HsmLink,
    ManagedLustre,
    ManagedLustreArgs,
    amlfs_sku,
    lustre_mount,
)
from aiinfra.components.azure.storage import TYPE as CLUSTER_STORAGE
from aiinfra.components.azure.storage import AzureClusterStorage, AzureStorageArgs, linked_object_stores
from aiinfra.components.azure.storage_account import TYPE as ACCOUNT
from aiinfra.components.azure.storage_account import (
    BlobStorageAccount,
    BlobStorageAccountArgs,
    blob_container_name,
    storage_account_name,
)
from aiinfra.engine.graph import ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.spec.models import Storage
from tests.conftest import children_of, id_of, names_by_type, plan

SA = "azure-native:storage:StorageAccount"
BLOB_SERVICE = "azure-native:storage:BlobServiceProperties"
LIFECYCLE = "azure-native:storage:ManagementPolicy"
CONTAINER = "azure-native:storage:BlobContainer"
FILE_SERVICE = "azure-native:storage:FileServiceProperties"
FILE_SHARE = "azure-native:storage:FileShare"
AMLFS = "azure-native:storagecache:AmlFilesystem"
ROLE = "azure-native:authorization:RoleAssignment"
SUBSCRIPTION = "00000000-0000-0000-0000-000000000005"  # the offline client-config answer (clouds/azure.py)
HPC_PRINCIPAL = "11111111-2222-3333-4444-555555555555"
HPC_CACHE_APP = "4392ab71-2ce2-4b0d-8770-b352745c73f5"
STORAGE_ACCOUNT_CONTRIBUTOR = "17d1049b-9a84-46fb-8f53-869881c3d3ab"
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
ACCOUNT_NAME = re.compile(r"^[a-z0-9]{3,24}$")
SPEC_NAME = st.from_regex(r"^[a-z][a-z0-9-]{0,22}[a-z0-9]$|^[a-z]$", fullmatch=True)


def storage(**entry: Any) -> Storage:
    return Storage.model_validate(entry)


# -- pure helpers -----------------------------------------------------------------------------------------


@given(name=SPEC_NAME, scope=st.text(max_size=40))
def test_storage_account_names_are_3_to_24_lower_case_letters_and_digits_and_stable(
    name: str, scope: str
) -> None:
    first = storage_account_name(f"train-{name}", scope)
    assert ACCOUNT_NAME.fullmatch(first), f"{first!r} is not a valid storage account name"
    assert storage_account_name(f"train-{name}", scope) == first, "the same inputs give the same name"


def test_storage_account_names_keep_a_readable_prefix_and_differ_between_stacks() -> None:
    prod = storage_account_name("train-datasets", "aiinfra/prod")
    dev = storage_account_name("train-datasets", "aiinfra/dev")
    assert prod.startswith("traindatasets") and dev.startswith("traindatasets")
    assert prod != dev, "two stacks must not race for one globally unique name"
    long = storage_account_name("a-very-long-cluster-name-datasets-archive", "s")
    assert len(long) == 24 and long.startswith("averylongclusterna"[:16])


@given(name=SPEC_NAME)
def test_container_and_share_names_follow_azures_rules_for_any_spec_name(name: str) -> None:
    got = blob_container_name(name)
    assert 3 <= len(got) <= 63
    assert re.fullmatch(r"[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*", got), (
        f"{got!r}: letters, digits, single hyphens"
    )


def test_container_names_keep_good_names_and_repair_short_or_doubled_ones() -> None:
    assert blob_container_name("datasets") == "datasets"
    assert blob_container_name("a") == "a-data"
    assert blob_container_name("ab--cd") == "ab-cd"


def test_the_amlfs_sku_follows_the_throughput_and_unknown_throughputs_are_refused() -> None:
    assert [amlfs_sku(t) for t in (40, 125, 250, 500)] == [
        "AMLFS-Durable-Premium-40",
        "AMLFS-Durable-Premium-125",
        "AMLFS-Durable-Premium-250",
        "AMLFS-Durable-Premium-500",
    ]
    with pytest.raises(ValueError, match="use one of 40, 125, 250, 500"):
        amlfs_sku(200)


def test_the_lustre_mount_is_the_mgs_address_and_lustrefs_and_empty_before_creation() -> None:
    assert lustre_mount("10.0.4.5") == "10.0.4.5@tcp:/lustrefs"
    assert lustre_mount(None) == "" and lustre_mount("") == ""


def test_linked_object_stores_maps_each_store_to_the_file_systems_that_link_it() -> None:
    entries = [
        storage(name="datasets", kind="object"),
        storage(name="logs", kind="object"),
        storage(name="scratch", kind="lustre", capacityGiB=8192, dataRepository="datasets"),
        storage(
            name="fast", kind="lustre", capacityGiB=4096, throughputMBpsPerTiB=500, dataRepository="datasets"
        ),
        storage(name="plain", kind="lustre", capacityGiB=8192),
    ]
    assert linked_object_stores(entries) == {"datasets": ["scratch", "fast"]}


@pytest.mark.parametrize(
    ("capacity", "message"),
    [
        (None, "needs a size"),
        (99, "99 GiB is not a size of an Azure Files premium share"),
        (102401, "102401 GiB is not a size"),
    ],
)
def test_a_file_entry_needs_a_premium_share_size(capacity: int | None, message: str) -> None:
    problems = AZURE.storage_problems(storage(name="home", kind="file", capacityGiB=capacity))
    assert [p.field for p in problems] == ["capacityGiB"]
    assert message in problems[0].message and problems[0].fix


def test_a_file_entry_within_the_premium_range_has_no_problem_and_takes_capacity_only() -> None:
    assert AZURE.storage_problems(storage(name="home", kind="file", capacityGiB=100)) == []
    assert AZURE.storage_problems(storage(name="home", kind="file", capacityGiB=102400)) == []
    assert AZURE.storage_keys["file"] == ("capacityGiB",), "throughput does not apply to a file share"


# -- BlobStorageAccount -------------------------------------------------------------------------------------


def account_graph(shared_key: bool = False, protect: bool = True) -> ResourceGraph:
    def program() -> None:
        BlobStorageAccount(
            "train-datasets",
            BlobStorageAccountArgs(
                resource_group_name="rg",
                location="eastus",
                allowed_subnet_ids=["subnet-nodes", "subnet-gpu"],
                container="datasets",
                shared_key_access=shared_key,
                protect=protect,
                tags={"team": "ml"},
                scope="aiinfra/test",
            ),
        )

    return plan(program)


def test_blob_account_children_are_exact() -> None:
    assert names_by_type(children_of(account_graph(), ACCOUNT, "train-datasets")) == {
        (SA, "train-datasets-account"),
        (BLOB_SERVICE, "train-datasets-blob-service"),
        (LIFECYCLE, "train-datasets-lifecycle"),
        (CONTAINER, "train-datasets-container"),
    }


def test_blob_account_is_private_tls_1_2_https_only_double_encrypted_and_keyless() -> None:
    inputs = account_graph().get(SA, "train-datasets-account").inputs
    assert inputs["accountName"] == storage_account_name("train-datasets", "aiinfra/test")
    assert inputs["kind"] == "StorageV2" and inputs["sku"] == {"name": "Standard_LRS"}
    assert inputs["allowBlobPublicAccess"] is False, "no anonymous reads of any container"
    assert inputs["allowSharedKeyAccess"] is False, "Entra ID only: no account keys, no SAS"
    assert inputs["defaultToOAuthAuthentication"] is True
    assert inputs["enableHttpsTrafficOnly"] is True
    assert inputs["minimumTlsVersion"] == "TLS1_2"
    assert inputs["allowCrossTenantReplication"] is False
    assert inputs["encryption"]["requireInfrastructureEncryption"] is True
    assert inputs["encryption"]["services"] == {"blob": {"enabled": True, "keyType": "Account"}}
    assert inputs["tags"] == {"team": "ml"}


def test_blob_account_denies_every_network_but_the_clusters_subnets() -> None:
    rules = account_graph().get(SA, "train-datasets-account").inputs["networkRuleSet"]
    assert rules["defaultAction"] == "Deny"
    assert rules["ipRules"] == [], "no public IP ranges"
    assert rules["virtualNetworkRules"] == [
        {"virtualNetworkResourceId": "subnet-nodes", "action": "Allow"},
        {"virtualNetworkResourceId": "subnet-gpu", "action": "Allow"},
    ]
    assert rules["bypass"] == "AzureServices"


def test_blob_account_versions_and_soft_deletes_and_expires_old_versions() -> None:
    graph = account_graph()
    service = graph.get(BLOB_SERVICE, "train-datasets-blob-service").inputs
    assert service["isVersioningEnabled"] is True
    assert service["deleteRetentionPolicy"] == {"enabled": True, "days": 14}
    assert service["containerDeleteRetentionPolicy"] == {"enabled": True, "days": 14}
    assert service["blobServicesName"] == "default"
    name = storage_account_name("train-datasets", "aiinfra/test")
    assert service["accountName"] == name, "children name the account by its real name"
    (rule,) = graph.get(LIFECYCLE, "train-datasets-lifecycle").inputs["policy"]["rules"]
    assert rule["definition"]["actions"] == {"version": {"delete": {"daysAfterCreationGreaterThan": 30}}}
    assert "baseBlob" not in rule["definition"]["actions"], "current data is never expired"


def test_blob_container_is_private_and_account_and_container_are_protected_and_retained() -> None:
    graph = account_graph()
    container = graph.get(CONTAINER, "train-datasets-container")
    assert container.inputs["containerName"] == "datasets"
    assert container.inputs["publicAccess"] == "None"
    for type_, name in ((SA, "train-datasets-account"), (CONTAINER, "train-datasets-container")):
        r = graph.get(type_, name)
        assert r.protect and r.retain_on_delete, f"{name} holds data"
    loose = account_graph(protect=False)
    assert not loose.get(SA, "train-datasets-account").protect, "protect: false in the spec turns it off"
    assert not loose.get(CONTAINER, "train-datasets-container").retain_on_delete


def test_shared_key_access_is_on_only_when_asked_for() -> None:
    assert (
        account_graph(shared_key=True).get(SA, "train-datasets-account").inputs["allowSharedKeyAccess"]
        is True
    )


# -- ManagedLustre ------------------------------------------------------------------------------------------


def lustre_graph(
    capacity: int = 8192,
    throughput: int = 250,
    hsm: bool = False,
    zone: str | None = "2",
    protect: bool = True,
) -> ResourceGraph:
    def program() -> None:
        link = (
            HsmLink(
                account_id="/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct",
                account_name="acct",
                resource_group_name="rg",
                container_id="acct-container-id",
                principal_id=HPC_PRINCIPAL,
            )
            if hsm
            else None
        )
        ManagedLustre(
            "train-scratch",
            ManagedLustreArgs(
                resource_group_name="rg",
                location="eastus",
                subnet_id="subnet-lustre",
                capacity_gib=capacity,
                throughput_mbps_per_tib=throughput,
                zone=zone,
                hsm=link,
                protect=protect,
                tags={"team": "ml"},
            ),
        )

    return plan(program)


def test_lustre_without_a_data_repository_is_one_file_system_and_nothing_else() -> None:
    graph = lustre_graph()
    assert names_by_type(children_of(graph, LUSTRE, "train-scratch")) == {(AMLFS, "train-scratch-fs")}
    assert "hsm" not in graph.get(AMLFS, "train-scratch-fs").inputs, "no HSM without dataRepository"
    assert not graph.by_type(ROLE), "no role assignments without a linked container"


def test_lustre_sku_size_subnet_zone_and_maintenance_window() -> None:
    fs = lustre_graph().get(AMLFS, "train-scratch-fs")
    assert fs.inputs["sku"] == {"name": "AMLFS-Durable-Premium-250"}
    assert fs.inputs["storageCapacityTiB"] == 8, "8192 GiB = 8 TiB"
    assert fs.inputs["filesystemSubnet"] == "subnet-lustre"
    assert fs.inputs["zones"] == ["2"]
    assert fs.inputs["maintenanceWindow"] == {"dayOfWeek": "Sunday", "timeOfDayUTC": "02:00"}
    assert fs.inputs["location"] == "eastus" and fs.inputs["tags"] == {"team": "ml"}
    assert fs.protect and fs.retain_on_delete, "the file system holds data"
    assert "zones" not in lustre_graph(zone=None).get(AMLFS, "train-scratch-fs").inputs
    assert not lustre_graph(protect=False).get(AMLFS, "train-scratch-fs").protect


def test_lustre_throughput_500_takes_4_tib_steps() -> None:
    fs = lustre_graph(capacity=4096, throughput=500).get(AMLFS, "train-scratch-fs").inputs
    assert fs["sku"] == {"name": "AMLFS-Durable-Premium-500"} and fs["storageCapacityTiB"] == 4


def test_lustre_refuses_a_size_its_sku_does_not_take() -> None:
    with pytest.raises(
        Exception, match="5000 GiB is not a size Azure Managed Lustre AMLFS-Durable-Premium-250"
    ):
        lustre_graph(capacity=5000)


def test_lustre_with_a_data_repository_links_the_container_and_a_separate_logging_container() -> None:
    graph = lustre_graph(hsm=True)
    assert names_by_type(children_of(graph, LUSTRE, "train-scratch")) == {
        (AMLFS, "train-scratch-fs"),
        (CONTAINER, "train-scratch-hsm-logs"),
        (ROLE, "train-scratch-hsm-account-contributor"),
        (ROLE, "train-scratch-hsm-blob-data-contributor"),
    }
    settings = graph.get(AMLFS, "train-scratch-fs").inputs["hsm"]["settings"]
    assert settings["container"] == "acct-container-id"
    logs_id = id_of(graph, CONTAINER, "train-scratch-hsm-logs")
    assert settings["loggingContainer"] == logs_id, "logs in their own container"
    logs = graph.get(CONTAINER, "train-scratch-hsm-logs")
    assert logs.inputs["accountName"] == "acct", "the logging container lives in the same account"
    assert logs.inputs["publicAccess"] == "None"


def test_lustre_hsm_grants_the_hpc_cache_provider_exactly_the_two_documented_roles_on_the_account() -> None:
    roles = lustre_graph(hsm=True).by_type(ROLE)
    assert sorted(r.inputs["roleDefinitionId"] for r in roles) == sorted(
        f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/{guid}"
        for guid in (STORAGE_ACCOUNT_CONTRIBUTOR, STORAGE_BLOB_DATA_CONTRIBUTOR)
    )
    for r in roles:
        assert r.inputs["principalId"] == HPC_PRINCIPAL
        assert r.inputs["principalType"] == "ServicePrincipal"
        assert r.inputs["scope"].endswith("/storageAccounts/acct"), "scoped to the one account, not wider"


# -- NfsFileShare -------------------------------------------------------------------------------------------


def share_graph(capacity: int = 1024, protect: bool = True) -> ResourceGraph:
    def program() -> None:
        NfsFileShare(
            "train-home",
            NfsFileShareArgs(
                resource_group_name="rg",
                location="eastus",
                allowed_subnet_ids=["subnet-nodes"],
                capacity_gib=capacity,
                share="home",
                protect=protect,
                scope="aiinfra/test",
            ),
        )

    return plan(program)


def test_file_share_children_are_exact() -> None:
    assert names_by_type(children_of(share_graph(), SHARE, "train-home")) == {
        (SA, "train-home-account"),
        (FILE_SERVICE, "train-home-file-service"),
        (FILE_SHARE, "train-home-share"),
    }


def test_file_share_is_a_premium_nfs_share_of_the_given_size_in_a_locked_down_account() -> None:
    graph = share_graph()
    account = graph.get(SA, "train-home-account").inputs
    assert account["kind"] == "FileStorage" and account["sku"] == {"name": "Premium_LRS"}
    assert account["allowSharedKeyAccess"] is False and account["allowBlobPublicAccess"] is False
    assert account["minimumTlsVersion"] == "TLS1_2"
    assert account["enableHttpsTrafficOnly"] is True, (
        "secure transfer on: NFS mounts must be encrypted in transit"
    )
    assert account["networkRuleSet"]["defaultAction"] == "Deny"
    assert account["networkRuleSet"]["virtualNetworkRules"] == [
        {"virtualNetworkResourceId": "subnet-nodes", "action": "Allow"}
    ]
    assert account["networkRuleSet"]["ipRules"] == []
    assert account["encryption"]["requireInfrastructureEncryption"] is True
    share = graph.get(FILE_SHARE, "train-home-share")
    assert share.inputs["enabledProtocols"] == "NFS" and share.inputs["shareQuota"] == 1024
    assert share.inputs["shareName"] == "home" and share.inputs["accessTier"] == "Premium"
    assert share.inputs["accountName"] == storage_account_name("train-home", "aiinfra/test")
    service = graph.get(FILE_SERVICE, "train-home-file-service").inputs
    assert service["shareDeleteRetentionPolicy"] == {"enabled": True, "days": 14}
    for type_, name in ((SA, "train-home-account"), (FILE_SHARE, "train-home-share")):
        assert graph.get(type_, name).protect and graph.get(type_, name).retain_on_delete
    assert not share_graph(protect=False).get(FILE_SHARE, "train-home-share").protect


def test_file_share_refuses_a_size_azure_files_premium_does_not_take() -> None:
    with pytest.raises(Exception, match="50 GiB is not a size of an Azure Files premium share"):
        share_graph(capacity=50)


# -- AzureClusterStorage ------------------------------------------------------------------------------------

ALL_KINDS = [
    {"name": "datasets", "kind": "object"},
    {"name": "checkpoints", "kind": "object"},
    {"name": "scratch", "kind": "lustre", "capacityGiB": 8192, "dataRepository": "datasets"},
    {"name": "home", "kind": "file", "capacityGiB": 1024},
]


def cluster_storage(
    entries: list[dict[str, Any]] = ALL_KINDS,
    principal: str | None = HPC_PRINCIPAL,
    seen: dict[str, str] | None = None,
    **extra: Any,
) -> ResourceGraph:
    def program() -> None:
        built = AzureClusterStorage(
            "train",
            AzureStorageArgs(
                storage=[storage(**e) for e in entries],
                resource_group_name="rg",
                location="eastus",
                lustre_subnet_id=extra.pop("lustre_subnet_id", "subnet-lustre"),
                node_subnet_ids=["subnet-system", "subnet-gpu"],
                tags={"aiinfra.dev/cluster": "train"},
                zone="1",
                hpc_cache_principal_id=principal,
                scope="aiinfra/test",
                **extra,
            ),
        )
        if seen is not None:
            for key, out in built.mounts.items():
                out.apply(lambda v, key=key: seen.__setitem__(key, v))

    return plan(program)


def test_cluster_storage_builds_one_component_per_entry() -> None:
    graph = cluster_storage()
    assert names_by_type(children_of(graph, CLUSTER_STORAGE, "train")) == {
        (ACCOUNT, "train-datasets"),
        (ACCOUNT, "train-checkpoints"),
        (LUSTRE, "train-scratch"),
        (SHARE, "train-home"),
    }


def test_only_the_linked_account_allows_shared_keys_and_the_lustre_subnet() -> None:
    graph = cluster_storage()
    linked = graph.get(SA, "train-datasets-account").inputs
    unlinked = graph.get(SA, "train-checkpoints-account").inputs
    assert linked["allowSharedKeyAccess"] is True, "AMLFS HSM works through SAS tokens"
    assert unlinked["allowSharedKeyAccess"] is False, "nothing needs keys on an unlinked store"
    subnets = [r["virtualNetworkResourceId"] for r in linked["networkRuleSet"]["virtualNetworkRules"]]
    assert subnets == ["subnet-system", "subnet-gpu", "subnet-lustre"]
    other = [r["virtualNetworkResourceId"] for r in unlinked["networkRuleSet"]["virtualNetworkRules"]]
    assert other == ["subnet-system", "subnet-gpu"]
    share = [
        r["virtualNetworkResourceId"]
        for r in graph.get(SA, "train-home-account").inputs["networkRuleSet"]["virtualNetworkRules"]
    ]
    assert share == ["subnet-system", "subnet-gpu"]


def test_the_linked_file_system_points_at_its_stores_container_and_roles_scope_that_account() -> None:
    graph = cluster_storage()
    fs = graph.get(AMLFS, "train-scratch-fs").inputs
    assert fs["hsm"]["settings"]["container"] == id_of(graph, CONTAINER, "train-datasets-container")
    assert fs["zones"] == ["1"] and fs["filesystemSubnet"] == "subnet-lustre"
    assert {r.inputs["scope"] for r in graph.by_type(ROLE)} == {id_of(graph, SA, "train-datasets-account")}
    logs = graph.get(CONTAINER, "train-scratch-hsm-logs").inputs
    assert logs["accountName"] == storage_account_name("train-datasets", "aiinfra/test")


def test_no_hsm_no_roles_and_no_shared_keys_when_lustre_names_no_data_repository() -> None:
    entries = [
        {"name": "datasets", "kind": "object"},
        {"name": "scratch", "kind": "lustre", "capacityGiB": 8192},
    ]
    graph = cluster_storage(entries, principal=None)
    assert "hsm" not in graph.get(AMLFS, "train-scratch-fs").inputs
    assert not graph.by_type(ROLE)
    assert graph.get(SA, "train-datasets-account").inputs["allowSharedKeyAccess"] is False
    assert not graph.by_type(FILE_SHARE) and len(graph.by_type(CONTAINER)) == 1


def test_a_linked_lustre_without_a_given_principal_looks_the_hpc_cache_service_up_in_entra_id() -> None:
    graph = cluster_storage(principal=None)
    roles = graph.by_type(ROLE)
    assert len(roles) == 2
    found = {r.inputs["principalId"] for r in roles}
    assert len(found) == 1 and HPC_PRINCIPAL not in found, "one looked-up principal, not a given one"
    (principal,) = found
    looked_up = AZURE.invoke(
        "azuread:index/getServicePrincipal:getServicePrincipal", {"clientId": HPC_CACHE_APP}, "eastus"
    )
    assert looked_up is not None and principal == looked_up["objectId"], "the HPC Cache service's own ID"


def test_two_lustre_file_systems_need_two_subnets() -> None:
    entries = [
        {"name": "scratch", "kind": "lustre", "capacityGiB": 8192},
        {"name": "fast", "kind": "lustre", "capacityGiB": 4096, "throughputMBpsPerTiB": 500},
    ]
    with pytest.raises(Exception, match="each needs its own"):
        cluster_storage(entries)
    graph = cluster_storage(entries, lustre_subnet_ids={"fast": "subnet-fast"})
    assert graph.get(AMLFS, "train-scratch-fs").inputs["filesystemSubnet"] == "subnet-lustre"
    assert graph.get(AMLFS, "train-fast-fs").inputs["filesystemSubnet"] == "subnet-fast"


def test_mounts_name_what_each_client_points_at() -> None:
    seen: dict[str, str] = {}
    cluster_storage(seen=seen)
    datasets = storage_account_name("train-datasets", "aiinfra/test")
    home = storage_account_name("train-home", "aiinfra/test")
    assert seen["datasets"] == f"https://{datasets}.blob.core.windows.net/datasets"
    assert seen["home"] == f"{home}.file.core.windows.net:/{home}/home"
    assert "scratch" not in seen, (
        "the MGS address is known only once the file system exists: the plan runs as a preview, where the "
        "mount is unknown and no apply runs on it"
    )
    assert set(seen) == {"datasets", "checkpoints", "home"}


# -- estimate -----------------------------------------------------------------------------------------------

CATALOG = default_catalog()
TEST_FILES_PRICE = Decimal("0.5")


def catalog_with_files_price() -> Catalog:
    """The shipped catalog's Azure storage rows plus a test price for premium files (not a real price)."""
    shipped = [
        p
        for p in (
            CATALOG.storage_price("azure", "amlfs", "AMLFS-Durable-Premium-250", "eastus"),
            CATALOG.storage_price("azure", "blob", "Hot-LRS", "eastus"),
        )
        if p is not None
    ]
    files = StoragePrice(
        "azure",
        "azure-files",
        "Premium-LRS",
        "eastus",
        TEST_FILES_PRICE,
        "test sheet",
        dt.date(2026, 12, 4),
        3,
    )
    return Catalog(
        accelerators=CATALOG.accelerators,
        instance_types=CATALOG.instance_types(),
        pue=[p for p in (CATALOG.pue("azure", "eastus"),) if p is not None],
        grid=[g for g in (CATALOG.grid("azure", "eastus"),) if g is not None],
        storage_prices=[*shipped, files],
        service_prices=[],
        storage_power=[
            p for p in (CATALOG.storage_power("ssd"), CATALOG.storage_power("hdd")) if p is not None
        ],
    )


def test_the_premium_share_is_priced_by_its_provisioned_gib_in_its_accounts_region() -> None:
    result = estimate(cluster_storage(), catalog_with_files_price())
    (share,) = [ln for ln in result.lines if ln.resource == "train-home-share"]
    assert share.quantity == 1024 and share.unit == "GiB-months"
    assert share.monthly_cost_usd == 1024 * TEST_FILES_PRICE
    assert "Premium-LRS NFS share" in share.description


def test_without_a_files_price_the_share_is_unpriced_with_the_reason_never_zero() -> None:
    bare = Catalog(
        accelerators=CATALOG.accelerators,
        instance_types=CATALOG.instance_types(),
        pue=[],
        grid=[],
        storage_prices=[],
        service_prices=[],
        storage_power=[],
    )
    result = estimate(cluster_storage(), bare)
    (share,) = [ln for ln in result.lines if ln.resource == "train-home-share"]
    assert share.monthly_cost_usd is None
    assert share.reason == "no azure-files Premium-LRS price in eastus in the catalog"
    assert "train-home-share" in {s.resource for s in result.unpriced}


def test_every_resource_of_cluster_storage_is_priced_unpriced_or_free_with_a_reason() -> None:
    result = estimate(cluster_storage(), catalog_with_files_price())
    assert not result.unsupported, f"no rule for {[s.type for s in result.unsupported]}"
    free = {s.resource: s.reason for s in result.free}
    assert "FileStorage account" in free["train-home-account"], "capacity is priced on the share"
    for name in ("train-scratch-hsm-account-contributor", "train-scratch-hsm-blob-data-contributor"):
        assert "identity and access" in free[name]
    for name in ("train-datasets-container", "train-datasets-blob-service", "train-home-file-service"):
        assert name in free
    lines = {ln.resource for ln in result.lines}
    assert {
        "train-scratch-fs",
        "train-datasets-account",
        "train-checkpoints-account",
        "train-home-share",
    } <= lines


def test_the_blob_account_line_warns_that_versions_are_billed_and_amlfs_notes_its_hsm_link() -> None:
    result = estimate(cluster_storage(), catalog_with_files_price())
    (account,) = [ln for ln in result.lines if ln.resource == "train-datasets-account"]
    assert any("previous versions" in a for a in account.assumptions)
    (fs,) = [ln for ln in result.lines if ln.resource == "train-scratch-fs"]
    assert fs.quantity == 8 * 1024
    assert any("HSM link" in a for a in fs.assumptions)
    unlinked = estimate(
        cluster_storage([{"name": "scratch", "kind": "lustre", "capacityGiB": 8192}], principal=None),
        catalog_with_files_price(),
    )
    (plain,) = [ln for ln in unlinked.lines if ln.resource == "train-scratch-fs"]
    assert not any("HSM link" in a for a in plain.assumptions)
