"""Classic Azure provider managed services (estimate/rules/azure_classic_services.py): the legacy App Service
plan and Function App, azure:sql databases, Service Bus and Event Hubs namespaces (both providers), IoT Hub,
DNS zones, metric alerts, action groups, Automation accounts, classic Application Insights, the classic CDN
profile, and the free types beside them. Every expected amount is computed here from the catalog row it looks
up, never typed in."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aiinfra.catalog import default_catalog
from aiinfra.cli.main import app
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.model import HOURS_PER_MONTH, Free, Line
from aiinfra.estimate.registry import rule_for
from aiinfra.estimate.rules.azure_classic_services import (
    FREE_TYPES,
    _operation_tiers,
    _time_series,
    dns_pricing_zone,
)
from aiinfra.estimate.usage import ResourceUsage, UsageFile
from tests.conftest import line

D = Decimal
CATALOG = default_catalog()
PLAN = "azure:appservice/plan:Plan"
FUNCTION_APP = "azure:appservice/functionApp:FunctionApp"
SQL_DB = "azure:sql/database:Database"
BUS = "azure:servicebus/namespace:Namespace"
NATIVE_BUS = "azure-native:servicebus:Namespace"
HUBS = "azure:eventhub/eventHubNamespace:EventHubNamespace"
NATIVE_HUBS = "azure-native:eventhub:Namespace"
HUB = "azure:eventhub/eventHub:EventHub"
IOT = "azure:iot/ioTHub:IoTHub"
ZONE = "azure:dns/zone:Zone"
ALERT = "azure:monitoring/metricAlert:MetricAlert"
GROUP = "azure:monitoring/actionGroup:ActionGroup"
AUTOMATION = "azure:automation/account:Account"
INSIGHTS = "azure:appinsights/insights:Insights"
CDN = "azure:cdn/profile:Profile"
ACCOUNT = "azure:storage/account:Account"


def res(type_token: str, name: str, *, rid: str = "", outputs: dict[str, Any] | None = None, **inputs: Any):
    return PlannedResource(
        type=type_token,
        name=name,
        urn=f"urn:pulumi:t::p::{type_token}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
        outputs=outputs or {},
        id=rid,
    )


def run(*resources: PlannedResource, region: str = "eastus", **usage: dict[str, Any]) -> Estimate:
    graph = ResourceGraph(
        stack="t", project="p", resources=list(resources), config={"azure:location": region}
    )
    file = UsageFile(resources={k: ResourceUsage.model_validate(v) for k, v in usage.items()})
    return estimate(graph, CATALOG, usage=file, usage_path="stacks/usage.t.yaml")


def lines(result: Estimate, resource: str) -> list[Line]:
    return [ln for ln in result.lines if ln.resource == resource]


def price(service: str, item: str, region: str = "eastus") -> Decimal:
    row = CATALOG.service_price("azure", service, item, region)
    assert row is not None and row.usd is not None, f"{service} {item} {region}"
    assert row.region in (region, "*"), f"{service} {item}: the {region} row, or the every-region one"
    return row.usd


def free_reason(result: Estimate, resource: str) -> str:
    (found,) = [f.reason for f in result.free if f.resource == resource]
    return found


# -- App Service ------------------------------------------------------------------------------------------------


def test_a_legacy_plan_is_its_size_times_its_workers_by_os_and_a_consumption_plan_is_free() -> None:
    windows = res(
        PLAN, "win", location="eastus", kind="Windows", sku={"tier": "Standard", "size": "S1", "capacity": 2}
    )
    linux = res(
        PLAN, "lin", location="eastus", kind="Linux", reserved=True, sku={"tier": "Basic", "size": "B1"}
    )
    dynamic = res(PLAN, "dyn", location="eastus", kind="FunctionApp", sku={"tier": "Dynamic", "size": "Y1"})
    result = run(windows, linux, dynamic)
    win = line(result, "win", "instance-hours")
    assert win.monthly_cost_usd == 2 * HOURS_PER_MONTH * price("app-service", "windows/S1")
    lin = line(result, "lin", "instance-hours")
    assert lin.monthly_cost_usd == HOURS_PER_MONTH * price("app-service", "linux/B1"), "reserved: Linux"
    assert "no sku.capacity: one instance" in lin.assumptions
    assert "no sku.capacity: one instance" not in win.assumptions
    assert not lines(result, "dyn") and "billed per execution" in free_reason(result, "dyn")
    assert result.unpriced == [] and result.unsupported == []


def test_a_legacy_plan_takes_its_capacity_from_a_state_exports_outputs_when_its_inputs_have_none() -> None:
    deployed = {"sku": {"tier": "Standard", "size": "S1", "capacity": 3}}
    bare = res(PLAN, "p", location="eastus", outputs=deployed)
    sized = res(PLAN, "q", location="eastus", sku={"tier": "Standard", "size": "S1"}, outputs=deployed)
    result = run(bare, sized)
    for name in ("p", "q"):
        got = line(result, name, "instance-hours")
        assert got.monthly_cost_usd == 3 * HOURS_PER_MONTH * price("app-service", "windows/S1"), name
    bare_notes = line(result, "p", "instance-hours").assumptions
    assert any(a.startswith("sku = ") and a.endswith("from deployed outputs") for a in bare_notes), bare_notes
    assert "sku.capacity 3 read from the deployed outputs" in line(result, "q", "instance-hours").assumptions


def test_a_function_app_on_a_dedicated_plan_is_free_and_on_a_consumption_plan_is_its_executions_and_gb_seconds() -> (
    None
):
    dedicated = res(PLAN, "std", rid="/plans/std", location="eastus", sku={"tier": "Standard", "size": "S1"})
    dynamic = res(PLAN, "dyn", rid="/plans/dyn", location="eastus", sku={"tier": "Dynamic", "size": "Y1"})
    on_std = res(FUNCTION_APP, "f1", location="eastus", appServicePlanId="/plans/std")
    on_dyn = res(FUNCTION_APP, "f2", location="eastus", appServicePlanId="/plans/dyn")
    result = run(
        dedicated,
        dynamic,
        on_std,
        on_dyn,
        f2={"requestsMillions": 3, "instanceSeconds": 10_000, "memoryMB": 512},
    )
    assert "App Service plan (std)" in free_reason(result, "f1") and not lines(result, "f1")
    execs = line(result, "f2", "1M executions")
    assert execs.monthly_cost_usd == 3 * price("functions", "consumption-execution-million")
    gbs = line(result, "f2", "GB-seconds")
    assert gbs.quantity == D(5000), "10,000 s at 512 MB is 5,000 GB-seconds"
    assert gbs.monthly_cost_usd == 5000 * price("functions", "consumption-gb-second")
    assert any("free tier" in a for a in execs.assumptions)


def test_a_consumption_function_app_without_usage_names_the_keys_and_one_without_its_plan_says_so() -> None:
    dynamic = res(PLAN, "dyn", rid="/plans/dyn", location="eastus", sku={"tier": "Dynamic", "size": "Y1"})
    result = run(
        dynamic,
        res(FUNCTION_APP, "bare", location="eastus", appServicePlanId="/plans/dyn"),
        res(FUNCTION_APP, "half", location="eastus", appServicePlanId="/plans/dyn"),
        half={"instanceSeconds": 100},
    )
    reasons = {(u.resource, u.reason) for u in result.unpriced}
    assert any(n == "bare" and "requestsMillions" in why for n, why in reasons)
    assert any(n == "bare" and "instanceSeconds and memoryMB" in why for n, why in reasons)
    assert any(n == "half" and "set memoryMB" in why for n, why in reasons)
    (lost,) = run(res(FUNCTION_APP, "lost", location="eastus", appServicePlanId="/plans/elsewhere")).unpriced
    assert "appServicePlanId" in lost.reason and "unknown" in lost.reason


# -- Azure SQL (azure:sql) --------------------------------------------------------------------------------------


def test_a_legacy_sql_database_is_priced_by_its_service_objective_as_the_azure_native_one() -> None:
    given = res(SQL_DB, "s1", location="eastus", requestedServiceObjectiveName="S1")
    chosen = res(SQL_DB, "gp", location="eastus", outputs={"requestedServiceObjectiveName": "GP_Gen5_2"})
    result = run(given, chosen)
    assert line(result, "s1", "database-hours").monthly_cost_usd == HOURS_PER_MONTH * price(
        "sql-database", "S1"
    )
    compute = line(result, "gp", "vCore-hours")
    assert compute.monthly_cost_usd == 2 * HOURS_PER_MONTH * price("sql-database", "GP_Gen5/vcore-hour")
    licence = line(result, "gp", "licence vCore-hours")
    assert licence.monthly_cost_usd == 2 * HOURS_PER_MONTH * price("sql-database", "GP/license-vcore-hour")


def test_a_legacy_database_in_a_pool_is_free_one_without_an_objective_names_it_and_server_and_rule_are_free() -> (
    None
):
    result = run(
        res(SQL_DB, "pooled", location="eastus", elasticPoolName="pool", requestedServiceObjectiveName="S1"),
        res(SQL_DB, "bare", location="eastus", edition="Standard"),
        res("azure:sql/sqlServer:SqlServer", "srv", location="eastus"),
        res("azure:sql/firewallRule:FirewallRule", "fw"),
    )
    assert "elastic pool" in free_reason(result, "pooled") and not lines(result, "pooled")
    (bare,) = [u for u in result.unpriced if u.resource == "bare"]
    assert "requestedServiceObjectiveName" in bare.reason
    assert "databases are priced" in free_reason(result, "srv") and "databases are priced" in free_reason(
        result, "fw"
    )


# -- Service Bus ------------------------------------------------------------------------------------------------


def test_standard_operations_above_the_included_13_million_fall_in_three_tiers() -> None:
    assert _operation_tiers(D(10)) == []
    assert _operation_tiers(D(50)) == [("standard-operations-13m-100m-million", D(37), "13M-100M")]
    tiers = _operation_tiers(D(3000))
    assert [(item, amount) for item, amount, _ in tiers] == [
        ("standard-operations-13m-100m-million", D(87)),
        ("standard-operations-100m-2500m-million", D(2400)),
        ("standard-operations-over-2500m-million", D(500)),
    ]


def test_a_standard_namespace_is_its_base_hours_and_its_operations_by_tier() -> None:
    ns = res(BUS, "sb", location="westeurope", sku="Standard", capacity=0)
    result = run(ns, region="westeurope", sb={"requestsMillions": 3000})
    base = line(result, "sb", "hours")
    assert base.monthly_cost_usd == HOURS_PER_MONTH * price("service-bus", "standard-base-hour", "westeurope")
    ops = {ln.description: ln.monthly_cost_usd for ln in lines(result, "sb") if ln.unit == "1M operations"}
    we = "westeurope"
    assert ops == {
        "Service Bus Standard: messaging operations (13M-100M)": 87
        * price("service-bus", "standard-operations-13m-100m-million", we),
        "Service Bus Standard: messaging operations (100M-2,500M)": 2400
        * price("service-bus", "standard-operations-100m-2500m-million", we),
        "Service Bus Standard: messaging operations (over 2,500M)": 500
        * price("service-bus", "standard-operations-over-2500m-million", we),
    }
    assert result.unpriced == []


def test_premium_is_messaging_units_basic_is_operations_and_standard_without_usage_names_the_key() -> None:
    we = "westeurope"
    result = run(
        res(BUS, "prem", location=we, sku="Premium", capacity=4),
        res(NATIVE_BUS, "native", location=we, sku={"name": "Premium", "capacity": 2}),
        res(BUS, "basic", location=we, sku="Basic"),
        res(BUS, "std", location=we, sku="Standard"),
        region=we,
        basic={"requestsMillions": 10},
    )
    mu = price("service-bus", "premium-mu-hour", we)
    assert line(result, "prem", "messaging-unit-hours").monthly_cost_usd == 4 * HOURS_PER_MONTH * mu
    assert line(result, "native", "messaging-unit-hours").monthly_cost_usd == 2 * HOURS_PER_MONTH * mu
    assert line(result, "basic", "1M operations").monthly_cost_usd == 10 * price(
        "service-bus", "basic-operations-million", we
    )
    (std_ops,) = [u for u in result.unpriced if u.resource == "std"]
    assert "set requestsMillions for std" in std_ops.reason
    assert line(result, "std", "hours").monthly_cost_usd is not None, "the base is priced without usage"


def test_a_namespace_where_the_catalog_has_no_row_is_unpriced_naming_the_row_and_entities_are_free() -> None:
    result = run(
        res(BUS, "sb", location="eastus", sku="Premium", capacity=1),
        res("azure:servicebus/queue:Queue", "q"),
        res("azure-native:servicebus:Topic", "t"),
    )
    (gap,) = [u for u in result.unpriced if u.resource == "sb"]
    assert "service-bus premium-mu-hour" in gap.reason
    assert "namespace" in free_reason(result, "q") and "namespace" in free_reason(result, "t")


# -- Event Hubs -------------------------------------------------------------------------------------------------


def test_an_event_hubs_namespace_is_its_units_its_ingress_and_capture_when_a_hub_in_it_captures() -> None:
    ns = res(HUBS, "ns", location="eastus", sku="Standard", capacity=2)
    hub = res(HUB, "eh", namespaceName="ns", captureDescription={"enabled": True, "encoding": "Avro"})
    result = run(ns, hub, ns={"requestsMillions": 100})
    units = line(result, "ns", "throughput unit-hours")
    assert units.monthly_cost_usd == 2 * HOURS_PER_MONTH * price("event-hubs", "standard-unit-hour")
    ingress = line(result, "ns", "1M events")
    assert ingress.monthly_cost_usd == 100 * price("event-hubs", "ingress-event-million")
    capture = line(result, "ns", "throughput-unit-hours")
    assert capture.monthly_cost_usd == 2 * HOURS_PER_MONTH * price("event-hubs", "capture-unit-hour")
    assert any("eh" in a for a in capture.assumptions)
    assert "namespace" in free_reason(result, "eh")


def test_basic_has_no_capture_premium_no_ingress_and_a_dedicated_namespace_is_free() -> None:
    result = run(
        res(HUBS, "basic", location="eastus", sku="Basic", capacity=1),
        res(NATIVE_HUBS, "prem", location="eastus", sku={"name": "Premium", "capacity": 3}),
        res(HUBS, "ded", location="eastus", sku="Standard", dedicatedClusterId="/clusters/c"),
        basic={"requestsMillions": 10},
    )
    assert line(result, "basic", "throughput unit-hours").monthly_cost_usd == HOURS_PER_MONTH * price(
        "event-hubs", "basic-unit-hour"
    )
    assert line(result, "basic", "1M events").monthly_cost_usd == 10 * price(
        "event-hubs", "ingress-event-million"
    )
    (prem,) = lines(result, "prem")
    assert prem.unit == "processing unit-hours"
    assert prem.monthly_cost_usd == 3 * HOURS_PER_MONTH * price("event-hubs", "premium-unit-hour")
    assert "Dedicated cluster" in free_reason(result, "ded")


# -- IoT Hub ----------------------------------------------------------------------------------------------------


def test_an_iot_hub_is_its_units_a_month_the_free_tier_is_free_and_a_region_without_a_row_is_unpriced() -> (
    None
):
    we = "westeurope"
    result = run(
        res(IOT, "hub", location=we, sku={"name": "S1", "capacity": 4}),
        res(IOT, "free", location=we, sku={"name": "F1", "capacity": 1}),
        res(IOT, "east", location="eastus", sku={"name": "S1", "capacity": 1}),
        region=we,
    )
    assert line(result, "hub", "unit-months").monthly_cost_usd == 4 * price("iot-hub", "S1-unit-month", we)
    assert "F1" in free_reason(result, "free")
    (gap,) = [u for u in result.unpriced if u.resource == "east"]
    assert "iot-hub S1-unit-month" in gap.reason


# -- DNS --------------------------------------------------------------------------------------------------------


def test_dns_pricing_zones_follow_the_region_prefix() -> None:
    assert dns_pricing_zone("eastus") == "zone-1" and dns_pricing_zone(None) == "zone-1"
    assert dns_pricing_zone("germanywestcentral") == "de-zone-1"
    assert dns_pricing_zone("usgovvirginia") == "us-gov-zone-1"
    assert dns_pricing_zone("chinanorth3") == "china-zone-1"


def test_a_dns_zone_is_a_zone_month_and_its_queries_in_two_tiers_and_records_are_free() -> None:
    result = run(
        res(ZONE, "z"),
        res("azure:dns/aRecord:ARecord", "a", zoneName="z", records=["10.0.0.1"]),
        z={"requestsMillions": 1500},
    )
    zone = line(result, "z", "zone-months")
    assert zone.monthly_cost_usd == price("dns", "zone-1/hosted-zone-month")
    queries = {ln.description: ln.monthly_cost_usd for ln in lines(result, "z") if ln.unit == "1M queries"}
    assert queries == {
        "DNS queries (first 1 billion)": 1000 * price("dns", "zone-1/queries-first-1b-million"),
        "DNS queries (over 1 billion)": 500 * price("dns", "zone-1/queries-over-1b-million"),
    }
    assert "its zone" in free_reason(result, "a")


def test_an_azure_native_public_zone_is_priced_as_the_classic_one_and_a_private_one_is_unpriced() -> None:
    result = run(
        res("azure-native:dns:Zone", "pub", location="global", zoneType="Public"),
        res("azure-native:dns:Zone", "priv", location="global", zoneType="Private"),
        res("azure-native:dns:RecordSet", "rs", zoneName="pub", recordType="A"),
        pub={"requestsMillions": 3},
    )
    assert line(result, "pub", "zone-months").monthly_cost_usd == price(
        "dns", "zone-1/hosted-zone-month", "global"
    )
    assert line(result, "pub", "1M queries").monthly_cost_usd == 3 * price(
        "dns", "zone-1/queries-first-1b-million", "global"
    )
    (priv,) = result.unpriced
    assert priv.resource == "priv" and "private zones" in priv.reason
    assert "its zone" in free_reason(result, "rs")


def test_a_german_zone_is_priced_at_de_zone_1_and_queries_without_usage_name_the_key() -> None:
    result = run(res(ZONE, "z"), region="germanywestcentral")
    assert line(result, "z", "zone-months").monthly_cost_usd == price(
        "dns", "de-zone-1/hosted-zone-month", "germanywestcentral"
    )
    assert price("dns", "de-zone-1/hosted-zone-month") != price("dns", "zone-1/hosted-zone-month")
    (queries,) = result.unpriced
    assert "set requestsMillions for z" in queries.reason
    assert len(lines(result, "z")) == 2, "no over-1-billion line without usage"


# -- Azure Monitor ----------------------------------------------------------------------------------------------


def test_time_series_are_criteria_times_dimension_values_with_a_wildcard_counted_once() -> None:
    assert _time_series([{"metricName": "a"}]) == (1, [])
    n, notes = _time_series(
        [
            {"metricName": "a", "dimensions": [{"name": "ApiName", "values": ["x", "y"]}]},
            {"metricName": "b", "dimensions": [{"name": "Geo", "values": ["*"]}]},
        ]
    )
    assert n == 3 and len(notes) == 1 and "Geo" in notes[0]


def test_a_metric_alert_is_its_scopes_times_its_time_series_in_the_region_of_what_it_watches() -> None:
    watched = res(ACCOUNT, "acct", rid="/accounts/acct", location="eastus", accountTier="Standard")
    alert = res(
        ALERT,
        "alert",
        scopes=["/accounts/acct", "/accounts/other"],
        criterias=[{"metricName": "Transactions", "dimensions": [{"name": "ApiName", "values": ["a", "b"]}]}],
        dynamicCriteria={"metricName": "Latency"},
    )
    disabled = res(ALERT, "off", enabled=False, scopes=["/accounts/acct"], criterias=[{"metricName": "x"}])
    result = run(watched, alert, disabled, region="westeurope")
    monitored, dynamic = [ln for ln in lines(result, "alert")]
    assert monitored.quantity == 2 * (2 + 1) and monitored.region == "eastus"
    assert monitored.monthly_cost_usd == 6 * price("monitor", "metric-alert-time-series-month")
    assert any("acct" in a for a in monitored.assumptions), "says whose region it took"
    assert dynamic.monthly_cost_usd == 2 * price("monitor", "dynamic-threshold-time-series-month")
    assert "disabled" in free_reason(result, "off")


def test_an_action_group_is_its_notifications_per_receiver_kind_and_sms_is_unpriced() -> None:
    group = res(
        GROUP,
        "ag",
        location="eastus",
        emailReceivers=[{"name": "a"}, {"name": "b"}],
        webhookReceivers=[{"name": "w"}, {"name": "s", "aadAuth": {"objectId": "o"}}],
        smsReceivers=[{"name": "sms", "countryCode": "1"}],
    )
    result = run(group, ag={"requestsMillions": 0.01})
    got = {ln.description: ln.monthly_cost_usd for ln in lines(result, "ag")}
    assert got == {
        "Action group: emails (2 receivers)": 2
        * 10_000
        * price("monitor", "action-group-email-notification"),
        "Action group: secure webhook calls (1 receiver)": 10_000
        * price("monitor", "action-group-secure-webhook-notification"),
        "Action group: webhook calls (1 receiver)": 10_000
        * price("monitor", "action-group-webhook-notification"),
        "Action group: SMS messages (1 receiver)": None,
    }
    (sms,) = result.unpriced
    assert "country code" in sms.reason
    empty = run(res(GROUP, "none", location="eastus", shortName="x"))
    assert "nothing to bill" in free_reason(empty, "none")


# -- Automation, Application Insights, CDN ----------------------------------------------------------------------


def test_an_automation_account_is_its_job_minutes_and_its_runbooks_are_free() -> None:
    result = run(
        res(AUTOMATION, "auto", location="eastus", skuName="Basic"),
        res("azure:automation/runBook:RunBook", "rb", automationAccountName="auto"),
        auto={"instanceSeconds": 1200},
    )
    job = line(result, "auto", "job minutes")
    assert job.quantity == 20 and job.monthly_cost_usd == 20 * price("automation", "job-runtime-minute")
    assert "Automation account" in free_reason(result, "rb")
    (missing,) = run(res(AUTOMATION, "a2", location="eastus")).unpriced
    assert "set instanceSeconds for a2" in missing.reason


def test_classic_insights_bill_gb_ingested_and_workspace_based_ones_are_free() -> None:
    result = run(
        res(INSIGHTS, "ai", location="eastus", applicationType="web"),
        res(INSIGHTS, "ws", location="eastus", workspaceId="/workspaces/w"),
        ai={"logIngestedGB": 10},
    )
    assert line(result, "ai", "GB ingested").monthly_cost_usd == 10 * price(
        "application-insights", "gb-ingested"
    )
    assert "Log Analytics workspace" in free_reason(result, "ws")


def test_a_classic_cdn_profile_is_free_as_the_azure_native_one_and_front_door_pays_its_base_fee() -> None:
    result = run(
        res(CDN, "cdn", location="westeurope", sku="Standard_Microsoft"),
        res(CDN, "afd", location="westeurope", sku="Standard_AzureFrontDoor"),
    )
    assert "endpoints" in free_reason(result, "cdn")
    (afd,) = lines(result, "afd")
    assert (
        afd.description == "Azure Front Door Standard_AzureFrontDoor base fee"
        and afd.unit == "profile-months"
    )
    assert "front-door Standard_AzureFrontDoor-base-month" in afd.reason, "no row yet: unpriced naming it"


# -- container registry and instances (classic tokens) ----------------------------------------------------------


def test_a_classic_registry_and_container_group_are_priced_as_the_azure_native_ones() -> None:
    registry = res("azure:containerservice/registry:Registry", "acr", location="westeurope", sku="Basic")
    group = res(
        "azure:containerservice/group:Group",
        "aci",
        location="centralus",
        osType="Linux",
        containers=[{"name": "a", "cpu": 1, "memory": 1.5}, {"name": "b", "cpu": 0.5, "memory": 0.5}],
    )
    native = res(
        "azure-native:containerinstance:ContainerGroup",
        "twin",
        location="centralus",
        osType="Linux",
        containers=[
            {"name": "a", "resources": {"requests": {"cpu": 1, "memoryInGB": 1.5}}},
            {"name": "b", "resources": {"requests": {"cpu": 0.5, "memoryInGB": 0.5}}},
        ],
    )
    result = run(registry, group, native, region="westeurope")
    (acr,) = lines(result, "acr")
    assert acr.monthly_cost_usd == HOURS_PER_MONTH / 24 * price(
        "container-registry", "Basic-day", "westeurope"
    )
    got = [(ln.description, ln.unit, ln.quantity, ln.monthly_cost_usd) for ln in lines(result, "aci")]
    assert got and got == [
        (ln.description, ln.unit, ln.quantity, ln.monthly_cost_usd) for ln in lines(result, "twin")
    ]
    assert line(result, "aci", "vCPU-hours").quantity == D("1.5") * HOURS_PER_MONTH


# -- free types -------------------------------------------------------------------------------------------------


def test_every_listed_free_type_has_a_free_rule_and_the_azure_native_ones_are_real_tokens() -> None:
    import pulumi_azure_native

    root = Path(pulumi_azure_native.__file__).parent
    assert FREE_TYPES
    for token in FREE_TYPES:
        rule = rule_for(token)
        assert rule is not None and isinstance(rule(res(token, "x"), None), Free), token  # type: ignore[arg-type]
        pkg, module, kind = token.split(":")
        if pkg == "azure-native":
            snake = re.sub(r"(?<!^)(?=[A-Z])", "_", kind).lower()
            assert f"'{token}'" in (root / module / f"{snake}.py").read_text(), token
        else:
            assert pkg == "azure" and "/" in module, token


@pytest.mark.parametrize(
    "token",
    [
        "azure:management/lock:Lock",
        "azure:compute/dataDiskAttachment:DataDiskAttachment",
        "azure-native:keyvault:AccessPolicy",
        "azure-native:web:WebAppSlotConfigurationNames",
        "azure-native:sql:VirtualNetworkRule",
    ],
)
def test_the_types_the_real_documents_left_unsupported_are_free_with_a_reason(token: str) -> None:
    result = run(res(token, "x"))
    assert result.unsupported == [] and free_reason(result, "x")


# -- through the CLI --------------------------------------------------------------------------------------------


def test_a_state_export_of_a_legacy_plan_and_its_apps_is_estimated_end_to_end(tmp_path: Path) -> None:
    plan_id = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Web/serverFarms/plan"
    resources = [
        (
            PLAN,
            "plan",
            plan_id,
            {"kind": "Windows", "location": "eastus", "sku": {"size": "S1", "tier": "Standard"}},
        ),
        ("azure:appservice/appService:AppService", "app", "/sites/app", {"appServicePlanId": plan_id}),
        (FUNCTION_APP, "fn", "/sites/fn", {"appServicePlanId": plan_id, "location": "eastus"}),
    ]
    doc = {
        "version": 3,
        "deployment": {
            "resources": [
                {"urn": f"urn:pulumi:dev::p::{t}::{n}", "type": t, "custom": True, "id": i, "inputs": inputs}
                for t, n, i, inputs in resources
            ]
        },
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps(doc))
    out = CliRunner().invoke(app, ["estimate", "--from", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    got = json.loads(out.stdout)
    (plan,) = got["lines"]
    assert D(str(plan["monthly_cost_usd"])) == round(HOURS_PER_MONTH * price("app-service", "windows/S1"), 2)
    assert got["totals"]["unsupported_resources"] == 0 and got["totals"]["unpriced_lines"] == 0
    assert {f["resource"] for f in got["free"]} >= {"app", "fn"}
