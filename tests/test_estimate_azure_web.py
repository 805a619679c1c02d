"""Azure Logic Apps, API connections, CDN and static website rules (estimate/rules/azure_web.py), and the
region-unknown reason Azure lines give (estimate/rules/azure_services.py `regional_charge`), down to the
programs pulumi/examples ships. Prices come from the shipped catalog, never hard-coded."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from aiinfra.catalog import default_catalog
from aiinfra.cli.main import app as cli
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.model import Line
from aiinfra.estimate.rules.azure_services import REGION_UNKNOWN
from aiinfra.estimate.rules.azure_web import FREE_TYPES
from aiinfra.estimate.usage import ResourceUsage, UsageFile
from tests.conftest import line

D = Decimal
CATALOG = default_catalog()
FLOW = "azure-native:logic:Workflow"
PROFILE = "azure-native:cdn:Profile"
ENDPOINT = "azure-native:cdn:Endpoint"


def res(type_token: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_token,
        name=name,
        urn=f"urn:pulumi:t::p::{type_token}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
        id=f"{name}-id",
    )


def run(*resources: PlannedResource, region: str | None = "eastus", **usage: dict[str, Any]) -> Estimate:
    config = {"azure-native:location": region} if region else {}
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config=config)
    file = UsageFile(resources={k: ResourceUsage.model_validate(v) for k, v in usage.items()})
    return estimate(graph, CATALOG, usage=file, usage_path="stacks/usage.t.yaml")


def of(result: Estimate, resource: str) -> list[Line]:
    return [ln for ln in result.lines if ln.resource == resource]


def cdn_price(item: str) -> Decimal:
    row = CATALOG.service_price("azure", "cdn", item, "*")
    assert row is not None and row.usd is not None, f"the catalog prices cdn {item}"
    return row.usd


# -- Logic Apps ------------------------------------------------------------------------------------------------


def test_a_workflow_is_its_executions_from_the_usage_file_and_names_the_keys_without_them() -> None:
    given = run(res(FLOW, "flow"), flow={"actionExecutions": 100_000, "connectorExecutions": 5_000})
    actions, connectors = of(given, "flow")
    assert (actions.quantity, connectors.quantity) == (100_000, 5_000)
    assert actions.unit == connectors.unit == "executions"
    # no citable Consumption price was read: unpriced, naming the row to add
    assert "item: action-execution" in actions.reason and actions.monthly_cost_usd is None
    assert "item: standard-connector-execution" in connectors.reason
    assert "enterprise connector calls, integration accounts and data retention are not priced" in (
        actions.assumptions
    )
    bare = of(run(res(FLOW, "flow")), "flow")
    assert [ln.reason for ln in bare] == [
        "action executions unknown: set actionExecutions for flow in stacks/usage.t.yaml",
        "connector calls unknown: set connectorExecutions for flow in stacks/usage.t.yaml",
    ]


def test_a_disabled_workflow_an_api_connection_and_a_static_website_are_free_with_their_reason() -> None:
    result = run(
        res(FLOW, "off", state="Disabled"),
        res("azure-native:web:Connection", "conn"),
        res("azure-native:storage:StorageAccountStaticWebsite", "site", indexDocument="index.html"),
    )
    assert result.lines == [] and result.unsupported == []
    reasons = {s.resource: s.reason for s in result.free}
    assert reasons["off"] == "workflow in state Disabled: it does not run, no charge"
    assert "connector executions" in reasons["conn"] and "setting on its storage account" in reasons["site"]


def test_every_type_listed_free_is_a_real_azure_native_token() -> None:
    import pulumi_azure_native

    root = Path(pulumi_azure_native.__file__).parent
    for token in FREE_TYPES:
        _, module, kind = token.split(":")
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", kind).lower()
        assert f"'{token}'" in (root / module / f"{snake}.py").read_text(), token


# -- CDN ----------------------------------------------------------------------------------------------------------


def test_a_cdn_endpoint_is_its_gb_out_in_tiers_by_its_profiles_sku_and_the_profile_is_free() -> None:
    profile = res(PROFILE, "cdn", sku={"name": "Standard_Microsoft"})
    small = run(profile, res(ENDPOINT, "ep", profileName="cdn-id"), ep={"dataProcessedGB": 500})
    (ln,) = of(small, "ep")
    assert ln.quantity == 500 and ln.monthly_cost_usd == 500 * cdn_price("Standard_Microsoft/first-10tb-gb")
    assert (
        "Zone 1 rate (North America, Europe); traffic delivered from other zones costs more" in ln.assumptions
    )
    assert [s.resource for s in small.free] == ["cdn"]
    large = of(run(profile, res(ENDPOINT, "ep", profileName="cdn-id"), ep={"dataProcessedGB": 12_000}), "ep")
    assert [x.quantity for x in large] == [10_000, 2_000]
    assert large[0].monthly_cost_usd == 10_000 * cdn_price("Standard_Microsoft/first-10tb-gb")
    assert large[1].monthly_cost_usd is None and "item: Standard_Microsoft/over-10tb-gb" in large[1].reason
    (unknown,) = of(run(profile, res(ENDPOINT, "ep", profileName="cdn-id")), "ep")
    assert unknown.reason == "data transfer out unknown: set dataProcessedGB for ep in stacks/usage.t.yaml"


def test_a_front_door_profile_pays_a_base_fee_and_an_endpoint_without_its_profile_says_so() -> None:
    (fee,) = of(run(res(PROFILE, "afd", sku={"name": "Standard_AzureFrontDoor"})), "afd")
    assert fee.unit == "profile-months" and "item: Standard_AzureFrontDoor-base-month" in fee.reason
    assert "requests and data transfer of its endpoints are not priced" in fee.assumptions
    (lost,) = of(run(res(ENDPOINT, "lost", profileName="elsewhere"), lost={"dataProcessedGB": 1}), "lost")
    assert "(profile SKU unknown)" in lost.description and lost.monthly_cost_usd is None


# -- region unknown -------------------------------------------------------------------------------------------------


def test_an_azure_line_without_a_region_says_the_region_not_the_catalog_is_missing() -> None:
    result = run(
        res("azure-native:containerregistry:Registry", "acr", sku={"name": "Basic"}),
        res("azure-native:web:AppServicePlan", "plan", kind="linux", reserved=True, sku={"name": "B1"}),
        region=None,
    )
    for resource, item in (("acr", "container-registry Basic-day"), ("plan", "app-service linux/B1")):
        (ln,) = of(result, resource)
        assert ln.reason == f"{REGION_UNKNOWN}; {item} is priced per region"
    assert "--config azure-native:location=eastus" in REGION_UNKNOWN
    priced = run(
        res("azure-native:web:AppServicePlan", "plan", kind="linux", reserved=True, sku={"name": "B1"})
    )
    row = CATALOG.service_price("azure", "app-service", "linux/B1", "eastus")
    assert row is not None and row.usd is not None
    assert line(priced, "plan", "instance-hours").monthly_cost_usd == 730 * row.usd


# -- through the CLI ---------------------------------------------------------------------------------------------


def test_the_static_website_program_prices_its_cdn_traffic_from_its_usage_file(tmp_path: Path) -> None:
    """The shape of pulumi/examples azure-py-static-website: a CDN profile and endpoint over a storage
    account's static website."""
    (tmp_path / "Pulumi.yaml").write_text("name: site\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  azure-native:location: eastus\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi_azure_native as az\n"
        "rg = az.resources.ResourceGroup('rg')\n"
        "profile = az.cdn.Profile('profile', resource_group_name=rg.name,\n"
        "    sku=az.cdn.SkuArgs(name='Standard_Microsoft'))\n"
        "sa = az.storage.StorageAccount('sa', resource_group_name=rg.name, kind='StorageV2',\n"
        "    sku=az.storage.SkuArgs(name='Standard_LRS'))\n"
        "az.cdn.Endpoint('endpoint', resource_group_name=rg.name, profile_name=profile.name,\n"
        "    origins=[az.cdn.DeepCreatedOriginArgs(name='o', host_name='example.org')])\n"
        "az.storage.StorageAccountStaticWebsite('web', account_name=sa.name, resource_group_name=rg.name,\n"
        "    index_document='index.html')\n"
    )
    usage = tmp_path / "given-usage.yaml"
    usage.write_text("resources:\n  endpoint: {dataProcessedGB: 250}\n")
    out = CliRunner().invoke(
        cli, ["estimate", "--program", str(tmp_path), "--usage", str(usage), "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["unsupported"] == []
    assert {f["resource"] for f in doc["free"]} == {"rg", "profile", "web"}
    (endpoint,) = [ln for ln in doc["lines"] if ln["resource"] == "endpoint"]
    expected = 250 * cdn_price("Standard_Microsoft/first-10tb-gb")
    assert D(str(endpoint["monthly_cost_usd"])) == round(expected, 2)
    assert doc["totals"]["unpriced_lines"] == 1, "the storage account's size is still not given"


def test_a_negative_usage_value_through_the_cli_exits_2_naming_the_field(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: flows\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi_azure_native as az\naz.logic.Workflow('flow', resource_group_name='rg')\n"
    )
    usage = tmp_path / "given-usage.yaml"
    usage.write_text("resources:\n  flow: {actionExecutions: -5}\n")
    out = CliRunner().invoke(cli, ["estimate", "--program", str(tmp_path), "--usage", str(usage)])
    assert out.exit_code == 2, out.output
    assert "resources.flow.actionExecutions: Input should be greater than or equal to 0" in out.output
    assert "Traceback" not in out.output
