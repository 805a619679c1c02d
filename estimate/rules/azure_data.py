"""Azure Databricks: a workspace (azure-native `databricks:Workspace`, classic `databricks/workspace:Workspace`)
has no fee of its own. What it costs is the compute started in it at run time: each cluster, job and SQL
warehouse runs VMs in the workspace's managed resource group, billed as VMs, plus Databricks units (DBUs)
per hour at the rate of the workspace's tier (standard or premium) and the workload. None of that is in the
Pulumi graph, so the workspace is one *unpriced* line that says so, never a silent $0 (found in public
programs: MitchellGerdisch/pulumi-work databricks-work, tusharshahrs/pulumi-home azure-py-databricks)."""

from __future__ import annotations

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import as_dict, unpriced
from aiinfra.estimate.model import Charge
from aiinfra.estimate.registry import rule
from aiinfra.estimate.rules.common import text

WORKSPACE = "azure-native:databricks:Workspace"
CLASSIC_WORKSPACE = "azure:databricks/workspace:Workspace"


def tier(r: PlannedResource) -> str:
    """The workspace's pricing tier: `sku.name` (azure-native) or `sku` (classic); both providers require
    it, and a plan where it is unknown shows standard."""
    sku = r.inputs.get("sku")
    name = text(as_dict(sku).get("name")) if isinstance(sku, dict) else text(sku)
    return name.lower() or "standard"


@rule(WORKSPACE, CLASSIC_WORKSPACE)
def workspace(r: PlannedResource, ctx: Context) -> list[Charge]:
    return [
        unpriced(
            f"Databricks compute run in workspace {r.name} ({tier(r)} tier)",
            "DBU-hours",
            "a Databricks workspace has no fee of its own: its clusters, jobs and SQL warehouses are started "
            "at run time, outside the Pulumi graph, and bill their VMs (in the workspace's managed resource "
            "group) and Databricks units at the tier's rate; how many and for how long is not in the plan",
        )
    ]
