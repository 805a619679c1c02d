"""GCP data and operations estimate rules (estimate/rules/gcp_data.py): BigQuery tables by location and
storage billing model from the usage file, free datasets, routines and access grants; Pub/Sub subscriptions
(delivery, retained acknowledged messages); log sinks by destination; alerting policies per condition;
Service Directory resources; Datastream connection profiles; and one program planned under the mocks. Every
amount is computed from the catalog row it uses, never typed in; an unpriced line names the fix."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.engine.plan import plan_program
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.model import HOURS_PER_MONTH
from aiinfra.estimate.rules.gcp_data import (
    FREE_TYPES,
    bigquery_location,
    duration_seconds,
    sink_destination,
)
from aiinfra.estimate.usage import ResourceUsage, UsageFile
from tests.conftest import line

D = Decimal
CATALOG = default_catalog()
DATASET = "gcp:bigquery/dataset:Dataset"
TABLE = "gcp:bigquery/table:Table"
SUB = "gcp:pubsub/subscription:Subscription"
SINK = "gcp:logging/projectSink:ProjectSink"
ALERT = "gcp:monitoring/alertPolicy:AlertPolicy"


def res(type_token: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_token,
        name=name,
        urn=f"urn:pulumi:t::p::{type_token}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
    )


def run(*resources: PlannedResource, region: str = "us-central1", **usage: dict[str, Any]) -> Estimate:
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config={"gcp:region": region})
    file = UsageFile(resources={k: ResourceUsage.model_validate(v) for k, v in usage.items()})
    return estimate(graph, CATALOG, usage=file, usage_path="stacks/usage.t.yaml")


def price(service: str, item: str, region: str = "us-central1") -> Decimal:
    row = CATALOG.service_price("gcp", service, item, region)
    assert row is not None and row.usd is not None, f"the catalog prices {service} {item} in {region}"
    return row.usd


# -- pure helpers ---------------------------------------------------------------------------------------------


def test_a_bigquery_location_is_the_catalog_region_key() -> None:
    assert bigquery_location("US") == "us"
    assert bigquery_location(" EU ") == "eu"
    assert bigquery_location("europe-west2") == "europe-west2"


def test_a_retention_duration_reads_as_seconds() -> None:
    assert duration_seconds("604800s") == 604800
    assert duration_seconds("86400.5s") == D("86400.5")
    assert duration_seconds("7d") is None
    assert duration_seconds("") is None


def test_a_sink_destination_is_classified_by_its_service() -> None:
    assert sink_destination("storage.googleapis.com/my-bucket") == "storage"
    assert sink_destination("bigquery.googleapis.com/projects/p/datasets/d") == "bigquery"
    assert sink_destination("pubsub.googleapis.com/projects/p/topics/t") == "pubsub"
    assert sink_destination("logging.googleapis.com/projects/p/locations/global/buckets/b") == "log-bucket"
    assert sink_destination("logging.googleapis.com/projects/other") == "project"
    assert sink_destination("splunk.example.com") == "other"


# -- BigQuery -------------------------------------------------------------------------------------------------


def test_a_table_in_a_us_dataset_bills_active_and_long_term_storage_and_scanned_tib() -> None:
    result = run(
        res(DATASET, "ds", datasetId="events"),
        res(TABLE, "clicks", datasetId="events", tableId="clicks"),
        clicks={"storageGiB": 300, "longTermStorageGiB": 1000, "dataProcessedGB": 5120},
    )
    active = line(result, "clicks", "GiB-months")
    assert active.quantity == 300
    assert active.monthly_cost_usd == 300 * price("bigquery", "active-logical-gib-month", "us")
    long_term = line(result, "clicks", "long-term GiB-months")
    assert long_term.monthly_cost_usd == 1000 * price("bigquery", "long-term-logical-gib-month", "us")
    queries = line(result, "clicks", "TiB scanned")
    assert queries.quantity == 5, "5,120 GB scanned is 5 TiB"
    assert queries.monthly_cost_usd == 5 * price("bigquery", "on-demand-query-tib", "us")
    assert "dataset ds has no location: BigQuery's default US" in active.assumptions
    assert any("free tier" in a for a in queries.assumptions)
    assert [s.resource for s in result.free] == ["ds"]
    assert "storage is billed per table" in result.free[0].reason


def test_a_regional_dataset_prices_its_tables_at_that_region() -> None:
    result = run(
        res(DATASET, "ds", datasetId="d", location="us-central1"),
        res(TABLE, "t", datasetId="d"),
        region="europe-west1",
        t={"storageGiB": 50, "longTermStorageGiB": 10, "dataProcessedGB": 1024},
    )
    assert line(result, "t", "GiB-months").monthly_cost_usd == 50 * price(
        "bigquery", "active-logical-gib-month"
    )
    assert line(result, "t", "long-term GiB-months").monthly_cost_usd == 10 * price(
        "bigquery", "long-term-logical-gib-month"
    )
    assert line(result, "t", "TiB scanned").monthly_cost_usd == price("bigquery", "on-demand-query-tib")
    assert line(result, "t", "TiB scanned").region == "us-central1", (
        "the dataset's location, not the provider's"
    )


def test_a_location_or_billing_model_without_a_row_is_unpriced_naming_the_row_and_location() -> None:
    result = run(
        res(DATASET, "eu", datasetId="e", location="EU"),
        res(TABLE, "t", datasetId="e"),
        t={"storageGiB": 10, "longTermStorageGiB": 0, "dataProcessedGB": 0},
    )
    reason = line(result, "t", "GiB-months").reason
    assert "item: active-logical-gib-month" in reason and "region: eu" in reason
    physical = run(
        res(DATASET, "ds", datasetId="p", location="US", storageBillingModel="PHYSICAL"),
        res(TABLE, "t", datasetId="p"),
        t={"storageGiB": 10},
    )
    reason = line(physical, "t", "GiB-months").reason
    assert "item: active-physical-gib-month" in reason and "region: us" in reason
    assert line(physical, "t", "GiB-months").description == "BigQuery active storage (physical bytes, us)"


def test_missing_usage_names_each_key_for_the_table() -> None:
    result = run(res(DATASET, "ds", datasetId="d"), res(TABLE, "t", datasetId="d"))
    assert "set storageGiB for t" in line(result, "t", "GiB-months").reason
    assert "set longTermStorageGiB for t" in line(result, "t", "long-term GiB-months").reason
    assert "set dataProcessedGB for t" in line(result, "t", "TiB scanned").reason
    assert result.monthly_cost_usd == 0 and len(result.unpriced) == 3


def test_views_are_free_external_tables_bill_only_queries_and_a_missing_dataset_is_unpriced() -> None:
    result = run(
        res(DATASET, "ds", datasetId="d"),
        res(TABLE, "v", datasetId="d", view={"query": "SELECT 1", "useLegacySql": False}),
        res(TABLE, "mv", datasetId="d", materializedView={"query": "SELECT 1"}, view={"query": "x"}),
        res(TABLE, "ext", datasetId="d", externalDataConfiguration={"sourceUris": ["gs://b/*.csv"]}),
        res(TABLE, "lost", datasetId="elsewhere"),
        ext={"dataProcessedGB": 2048},
        mv={"storageGiB": 1},
    )
    assert {s.resource for s in result.free} == {"ds", "v"}
    assert "logical view: stores no data" in next(s.reason for s in result.free if s.resource == "v")
    assert line(result, "mv", "GiB-months").quantity == 1, "a materialized view stores data"
    assert [ln.unit for ln in result.lines if ln.resource == "ext"] == ["TiB scanned"]
    assert line(result, "ext", "TiB scanned").monthly_cost_usd == 2 * price(
        "bigquery", "on-demand-query-tib", "us"
    )
    lost = [ln for ln in result.lines if ln.resource == "lost"]
    assert len(lost) == 2 and all("dataset elsewhere is not in the plan" in ln.reason for ln in lost)


def test_an_expiring_table_says_to_give_the_average_it_holds() -> None:
    result = run(
        res(DATASET, "ds", datasetId="d", defaultTableExpirationMs=3_600_000),
        res(TABLE, "t", datasetId="d"),
        res(TABLE, "u", datasetId="d", expirationTime=1_700_000_000_000),
    )
    assert any("expires tables after 1 h" in a for a in line(result, "t", "GiB-months").assumptions)
    assert any("expirationTime" in a for a in line(result, "u", "GiB-months").assumptions)


def test_routines_and_access_grants_are_free_with_their_reasons() -> None:
    result = run(
        res(DATASET, "ds", datasetId="d"),
        res("gcp:bigquery/routine:Routine", "fn", datasetId="d", routineId="f"),
        res("gcp:bigquery/datasetAccess:DatasetAccess", "grant", datasetId="d"),
        res("gcp:bigquery/datasetIamMember:DatasetIamMember", "reader", datasetId="d"),
    )
    reasons = {s.resource: s.reason for s in result.free}
    assert set(reasons) == {"ds", "fn", "grant", "reader"}
    assert "queries that call it" in reasons["fn"]
    assert reasons["reader"] == "IAM: no charge"
    assert result.lines == [] and result.unsupported == []


# -- Pub/Sub subscriptions ------------------------------------------------------------------------------------


def test_a_subscription_bills_delivery_and_retained_acknowledged_messages_only_when_retained() -> None:
    result = run(
        res(SUB, "plain", topic="t", messageRetentionDuration="604800s"),
        res(SUB, "seek", topic="t", retainAckedMessages=True, messageRetentionDuration="259200s"),
        plain={"dataProcessedGB": 200, "storageGiB": 99},
        seek={"dataProcessedGB": 10, "storageGiB": 30},
    )
    delivered = line(result, "plain", "GB delivered")
    assert delivered.monthly_cost_usd == 200 * price("pubsub", "gb-delivered")
    assert [ln.unit for ln in result.lines if ln.resource == "plain"] == ["GB delivered"]
    assert any("no storage fee" in a for a in delivered.assumptions)
    kept = line(result, "seek", "GiB-months")
    assert kept.monthly_cost_usd == 30 * price("pubsub", "retained-acked-gib-month")
    assert kept.description == "Pub/Sub retained acknowledged messages (kept 3 days)"
    unset = run(res(SUB, "s", topic="t", retainAckedMessages=True))
    assert "(kept 7 days (the default))" in line(unset, "s", "GiB-months").description
    assert "set storageGiB for s" in line(unset, "s", "GiB-months").reason
    assert "set dataProcessedGB for s" in line(unset, "s", "GB delivered").reason


def test_topic_and_subscription_iam_is_free() -> None:
    result = run(
        res("gcp:pubsub/topicIAMBinding:TopicIAMBinding", "pub", topic="t", role="roles/pubsub.publisher"),
        res("gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember", "sub", subscription="s"),
    )
    assert {(s.resource, s.reason) for s in result.free} == {
        ("pub", "IAM: no charge"),
        ("sub", "IAM: no charge"),
    }


# -- Cloud Logging, Cloud Monitoring, Service Directory, Datastream ------------------------------------------------


def test_a_sink_is_free_unless_it_writes_into_a_log_bucket() -> None:
    result = run(
        res(SINK, "to-gcs", destination="storage.googleapis.com/bucket-1", filter="severity>=DEBUG"),
        res(SINK, "to-bq", destination="bigquery.googleapis.com/projects/p/datasets/logs"),
        res(SINK, "to-bucket", destination="logging.googleapis.com/projects/p/locations/global/buckets/b"),
        **{"to-bucket": {"logIngestedGB": 80}},
    )
    reasons = {s.resource: s.reason for s in result.free}
    assert set(reasons) == {"to-gcs", "to-bq"}
    assert "Cloud Storage bucket" in reasons["to-gcs"] and "routing logs is not charged" in reasons["to-gcs"]
    assert "BigQuery dataset" in reasons["to-bq"]
    ingested = line(result, "to-bucket", "GB ingested")
    assert ingested.monthly_cost_usd == 80 * price("cloud-logging", "gib-ingested")
    bare = run(res(SINK, "s", destination="logging.googleapis.com/projects/p/locations/global/buckets/b"))
    assert "set logIngestedGB for s" in line(bare, "s", "GB ingested").reason
    org = run(
        res("gcp:logging/organizationSink:OrganizationSink", "org", destination="pubsub.googleapis.com/t"),
        res("gcp:logging/folderSink:FolderSink", "dir", destination="storage.googleapis.com/b"),
        res(
            "gcp:logging/billingAccountSink:BillingAccountSink",
            "bill",
            destination="bigquery.googleapis.com/d",
        ),
    )
    assert {s.resource for s in org.free} == {"org", "dir", "bill"} and org.unsupported == []
    assert "Pub/Sub topic" in next(s.reason for s in org.free if s.resource == "org")


def test_an_alerting_policy_bills_each_condition_and_a_disabled_one_is_free() -> None:
    condition = {"displayName": "c", "conditionThreshold": {"filter": "x", "comparison": "COMPARISON_GT"}}
    result = run(
        res(ALERT, "two", combiner="OR", conditions=[condition, condition], enabled=True),
        res(ALERT, "off", combiner="OR", conditions=[condition], enabled=False),
    )
    two = line(result, "two", "condition-months")
    assert two.quantity == 2
    assert two.monthly_cost_usd == 2 * price("cloud-monitoring", "alert-condition-month")
    assert any("$0.35 per million" in a for a in two.assumptions)
    assert [s.resource for s in result.free] == ["off"]


def test_service_directory_resources_bill_one_month_each() -> None:
    result = run(
        res("gcp:servicedirectory/namespace:Namespace", "ns", location="us-central1", namespaceId="n"),
        res("gcp:servicedirectory/service:Service", "svc", namespace="n", serviceId="s"),
        res("gcp:servicedirectory/endpoint:Endpoint", "ep", service="s", endpointId="e"),
    )
    for name, kind in (("ns", "namespace"), ("svc", "service"), ("ep", "endpoint")):
        ln = line(result, name, "resource-months")
        assert ln.description == f"Service Directory {kind}"
        assert ln.monthly_cost_usd == price("service-directory", "resource-month")
    assert result.monthly_cost_usd == 3 * price("service-directory", "resource-month")


def test_a_datastream_connection_profile_is_free_because_only_streams_bill() -> None:
    result = run(
        res(
            "gcp:datastream/connectionProfile:ConnectionProfile",
            "cp",
            location="us-central1",
            bigqueryProfile={},
        )
    )
    assert result.lines == [] and "data its streams process" in result.free[0].reason


def test_a_forwarding_rule_is_priced_per_rule_hour_from_its_row() -> None:
    result = run(
        res("gcp:compute/forwardingRule:ForwardingRule", "fr", region="us-central1"),
        fr={"dataProcessedGB": 100},
    )
    hours = line(result, "fr", "rule-hours")
    assert hours.monthly_cost_usd == HOURS_PER_MONTH * price("cloud-load-balancing", "forwarding-rule-hour")
    data = line(result, "fr", "GB processed")
    assert data.monthly_cost_usd == 100 * price("cloud-load-balancing", "gb-processed")


def test_every_free_type_is_a_pulumi_gcp_token() -> None:
    import pulumi_gcp

    root = Path(pulumi_gcp.__file__).parent
    missing = []
    for token in FREE_TYPES:
        module, kind = token.split(":")[1].split("/")
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", kind).lower()
        files = [root / module / f"{snake}.py", *(root / module).glob("*.py")]
        if not any(f.exists() and f"'{token}'" in f.read_text() for f in files):
            missing.append(token)
    assert missing == [], f"free types that pulumi-gcp does not define: {missing}"


# -- a program planned under the mocks ------------------------------------------------------------------------


def _program() -> None:
    import pulumi_gcp as gcp

    ds = gcp.bigquery.Dataset("analytics", dataset_id="analytics", location="us-central1")
    gcp.bigquery.Table("events", dataset_id=ds.dataset_id, table_id="events", deletion_protection=False)
    gcp.bigquery.Routine(
        "add",
        dataset_id=ds.dataset_id,
        routine_id="add",
        routine_type="SCALAR_FUNCTION",
        language="SQL",
        definition_body="x + y",
    )
    topic = gcp.pubsub.Topic("orders")
    gcp.pubsub.Subscription("orders-audit", topic=topic.name, retain_acked_messages=True)
    gcp.logging.ProjectSink("audit", destination="storage.googleapis.com/audit-logs")
    gcp.monitoring.AlertPolicy(
        "cpu",
        display_name="cpu",
        combiner="OR",
        conditions=[
            {
                "display_name": "high cpu",
                "condition_threshold": {
                    "filter": 'metric.type="compute.googleapis.com/instance/cpu/utilization"',
                    "comparison": "COMPARISON_GT",
                    "duration": "60s",
                },
            }
        ],
    )


def test_a_program_with_bigquery_pubsub_logging_and_alerting_is_estimated_line_by_line() -> None:
    graph = plan_program(_program, stack="t", config={"gcp:region": "us-central1", "gcp:project": "p"})
    usage = UsageFile(
        resources={
            "events": ResourceUsage.model_validate(
                {"storageGiB": 40, "longTermStorageGiB": 200, "dataProcessedGB": 3072}
            ),
            "orders": ResourceUsage.model_validate({"dataProcessedGB": 10}),
            "orders-audit": ResourceUsage.model_validate({"dataProcessedGB": 10, "storageGiB": 2}),
        }
    )
    result = estimate(graph, CATALOG, usage=usage)
    assert result.unsupported == [], [s.type for s in result.unsupported]
    assert {s.resource for s in result.free} >= {"analytics", "add", "audit"}
    priced = {(ln.resource, ln.unit): ln.monthly_cost_usd for ln in result.lines}
    expected = {
        ("events", "GiB-months"): 40 * price("bigquery", "active-logical-gib-month"),
        ("events", "long-term GiB-months"): 200 * price("bigquery", "long-term-logical-gib-month"),
        ("events", "TiB scanned"): 3 * price("bigquery", "on-demand-query-tib"),
        ("orders", "GB ingested"): 10 * price("pubsub", "gb-ingested"),
        ("orders-audit", "GB delivered"): 10 * price("pubsub", "gb-delivered"),
        ("orders-audit", "GiB-months"): 2 * price("pubsub", "retained-acked-gib-month"),
        ("cpu", "condition-months"): price("cloud-monitoring", "alert-condition-month"),
    }
    assert priced == pytest.approx(expected)
    assert result.monthly_cost_usd == pytest.approx(sum(expected.values()))
    assert result.unpriced == []
