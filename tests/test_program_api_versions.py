"""A program that pins an azure-native API version (`pulumi package add azure-native network v20230201` makes a
local SDK whose resources register `azure-native:network/v20230201:NatGateway`) is planned as its default
version's type, as `--from` reads documents: the estimate prices it with that type's rules and says so."""

from __future__ import annotations

import pulumi

from aiinfra.catalog import default_catalog
from aiinfra.engine.plan import plan_program
from aiinfra.estimate import estimate

VERSIONED = "azure-native:network/v20230201:NatGateway"
DEFAULT = "azure-native:network:NatGateway"


def program() -> None:
    for name, token in (("pinned", VERSIONED), ("plain", DEFAULT)):
        pulumi.CustomResource(
            token, name, {"location": "eastus", "resourceGroupName": "rg", "sku": {"name": "Standard"}}
        )


def test_a_versioned_azure_native_type_is_planned_and_priced_as_its_default_version() -> None:
    graph = plan_program(program, stack="t", config={"azure-native:location": "eastus"})
    types = {r.name: r.type for r in graph.resources}
    assert types == {"pinned": DEFAULT, "plain": DEFAULT}
    assert f"{VERSIONED} is read as {DEFAULT}" in " ".join(graph.warnings)
    result = estimate(graph, default_catalog(), usage_path="usage.yaml")
    assert not result.unsupported
    by = {(ln.resource, ln.unit): ln for ln in result.lines}
    pinned, plain = by[("pinned", "gateway-hours")], by[("plain", "gateway-hours")]
    assert pinned.monthly_cost_usd is not None and pinned.monthly_cost_usd == plain.monthly_cost_usd


def test_a_type_without_a_version_gives_no_warning() -> None:
    graph = plan_program(lambda: program_plain(), stack="t", config={"azure-native:location": "eastus"})
    assert not any("is read as" in w for w in graph.warnings)


def program_plain() -> None:
    pulumi.CustomResource(DEFAULT, "plain", {"location": "eastus", "resourceGroupName": "rg"})
