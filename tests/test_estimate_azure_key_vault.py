"""Key Vault priced the same by both Azure providers (estimate/rules/azure.py `key_vault_operations`): an
azure-native Vault and a classic KeyVault take their operations from the same usage key (requestsMillions)
and the same `key-vault` `operations-10k` rows; secrets and software keys are free, billed through their
vault. Prices are read from the shipped catalog, never hard-coded."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.model import Line
from aiinfra.estimate.usage import ResourceUsage, UsageFile

CATALOG = default_catalog()
NATIVE = "azure-native:keyvault:Vault"
CLASSIC = "azure:keyvault/keyVault:KeyVault"


def res(type_token: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_token,
        name=name,
        urn=f"urn:pulumi:t::p::{type_token}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
    )


def run(*resources: PlannedResource, **usage: dict[str, Any]) -> Estimate:
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config={})
    file = UsageFile(resources={k: ResourceUsage.model_validate(v) for k, v in usage.items()})
    return estimate(graph, CATALOG, usage=file, usage_path="stacks/usage.t.yaml")


def only(result: Estimate, name: str) -> Line:
    (found,) = [ln for ln in result.lines if ln.resource == name]
    return found


def native(name: str, sku: str | None = "standard", location: str = "eastus") -> PlannedResource:
    props: dict[str, Any] = {"tenantId": "t"}
    if sku is not None:
        props["sku"] = {"family": "A", "name": sku}
    return res(NATIVE, name, location=location, properties=props)


def test_an_azure_native_vault_is_its_operations_from_the_usage_file() -> None:
    row = CATALOG.service_price("azure", "key-vault", "operations-10k", "eastus")
    assert row is not None and row.usd is not None
    priced = only(run(native("kv", "premium"), kv={"requestsMillions": 2}), "kv")
    assert (priced.unit, priced.quantity) == ("10K operations", 200), "2 million operations = 200 × 10K"
    assert priced.description == "Key Vault (premium): operations, 2 million"
    assert priced.monthly_cost_usd == 200 * row.usd == Decimal("6.00"), "200 × the eastus row (0.03)"
    assert "HSM-protected keys are priced on each key (Premium vault)" in priced.assumptions
    assert only(run(native("d", None), d={"requestsMillions": 1}), "d").description == (
        "Key Vault (standard): operations, 1 million"
    ), "no properties.sku.name: a standard vault"


def test_without_usage_the_vault_is_unpriced_naming_the_key_never_free() -> None:
    result = run(native("kv"))
    line = only(result, "kv")
    assert line.monthly_cost_usd is None
    assert line.reason == (
        "Key Vault operations (requests to its secrets, keys and certificates) unknown: set requestsMillions "
        "for kv in stacks/usage.t.yaml"
    )
    assert [s.resource for s in result.unpriced] == ["kv"] and result.free == []


def test_both_providers_price_the_same_usage_the_same_way() -> None:
    for usage in ({"requestsMillions": 0.5}, None):
        given = {"a": usage, "b": usage} if usage else {}
        result = run(native("a", "premium"), res(CLASSIC, "b", location="eastus", skuName="premium"), **given)
        a, b = only(result, "a"), only(result, "b")
        fields = ("description", "unit", "quantity", "unit_price_usd", "monthly_cost_usd", "assumptions")
        assert [getattr(a, f) for f in fields] == [getattr(b, f) for f in fields]
        assert a.reason == b.reason.replace("for b in", "for a in"), "the same reason, naming each vault"
    west = run(native("w", location="westus"), w={"requestsMillions": 1})
    assert only(west, "w").monthly_cost_usd is None, "no westus row: unpriced, never $0"
    assert "operations-10k" in only(west, "w").reason


def test_secrets_and_software_keys_are_free_through_their_vault_in_both_providers() -> None:
    result = run(
        res("azure-native:keyvault:Secret", "s1", properties={"value": "x"}),
        res("azure:keyvault/secret:Secret", "s2", value="x"),
        res("azure-native:keyvault:Key", "k1", properties={"kty": "RSA"}),
        res("azure:keyvault/key:Key", "k2", keyType="RSA"),
    )
    free = {s.resource: s.reason for s in result.free}
    assert set(free) == {"s1", "s2", "k1", "k2"} and result.lines == []
    assert (
        free["k1"]
        == free["k2"]
        == ("software-protected Key Vault key: no monthly charge (billed through its vault's operations)")
    )
    assert all("vault's operations" in reason for reason in free.values())
