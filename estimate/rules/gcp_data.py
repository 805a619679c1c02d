"""GCP data and operations services real programs create: BigQuery (datasets, tables, routines, access),
Pub/Sub subscriptions, Cloud Logging sinks, Cloud Monitoring alerting policies, Service Directory and
Datastream, and the IAM and configuration types around them. Type tokens and input names are pulumi-gcp 9's
(camelCase, as Pulumi passes them to the provider).

Prices are `service_prices` rows of catalog/data/gcp/services.yaml (service, item, region): an item the
catalog does not price in a location is an unpriced line naming the row to add. What only usage can say
(GiB stored, GB delivered or scanned, logs routed) comes from the usage file, else the line is unpriced with
the key to set — never $0. Pure helpers (a BigQuery location as a catalog region, a log sink's destination
kind, a retention duration) are plain functions, tested alone."""

from __future__ import annotations

import dataclasses
import functools
import re
from decimal import Decimal

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import as_list, unpriced, with_notes
from aiinfra.estimate.model import Charge, Free
from aiinfra.estimate.registry import free_listed, rule
from aiinfra.estimate.rules.common import item_charge, usage_amount
from aiinfra.estimate.rules.common import missing_usage as _missing
from aiinfra.estimate.rules.common import text as _text

CLOUD = "gcp"
D = Decimal
GIB_PER_TIB = D(1024)

BQ_DATASET = "gcp:bigquery/dataset:Dataset"
BQ_TABLE = "gcp:bigquery/table:Table"
SUBSCRIPTION = "gcp:pubsub/subscription:Subscription"
PROJECT_SINK = "gcp:logging/projectSink:ProjectSink"
SINKS = (
    PROJECT_SINK,
    "gcp:logging/folderSink:FolderSink",
    "gcp:logging/organizationSink:OrganizationSink",
    "gcp:logging/billingAccountSink:BillingAccountSink",
)
ALERT_POLICY = "gcp:monitoring/alertPolicy:AlertPolicy"
SD_TYPES = (
    "gcp:servicedirectory/namespace:Namespace",
    "gcp:servicedirectory/service:Service",
    "gcp:servicedirectory/endpoint:Endpoint",
)

_charge = functools.partial(item_charge, cloud=CLOUD)
"""One catalog-priced item of a service (`common.item_charge`)."""


# -- BigQuery ---------------------------------------------------------------------------------------------------

BQ_DEFAULT_LOCATION = "US"
"""Where a dataset lives when its program says nothing: the multi-region US (pulumi-gcp 9 Dataset.location,
"The default value is multi-regional location `US`")."""

BQ_DEFAULT_BILLING = "LOGICAL"
"""Dataset.storageBillingModel when not set (pulumi-gcp 9: "LOGICAL is the default")."""

BQ_FREE_TIER = (
    "BigQuery's free tier (10 GiB of storage and 1 TiB of on-demand queries a month per billing account) is "
    "not subtracted"
)


def bigquery_location(location: str) -> str:
    """A dataset location as the catalog's region key: `US` → `us`, `EU` → `eu` (multi-regions), a region as
    it is (`europe-west2`), all lower case."""
    return location.strip().lower()


def _at(c: Charge, location: str) -> Charge:
    """A BigQuery line the catalog does not price at `location` says which location the row needs (BigQuery
    prices differ by location, and the generic reason names no region)."""
    if c.unit_price_usd is None and c.reason.startswith("no price for"):
        return dataclasses.replace(c, reason=f"{c.reason} with region: {location} (the dataset's location)")
    return c


def _dataset_of(table: PlannedResource, ctx: Context) -> PlannedResource | None:
    """The dataset a table's datasetId names (by the dataset's datasetId, resource name or id), else the
    plan's only dataset; None when the plan has no such dataset."""
    ref = _text(ctx.value(table, "datasetId"))
    datasets = ctx.resources(BQ_DATASET)
    for d in datasets:
        if ref and ref in (_text(d.inputs.get("datasetId")), d.name, d.id, d.id.rsplit("/", 1)[-1]):
            return d
    return datasets[0] if len(datasets) == 1 and not ref else None


def _expiry_note(table: PlannedResource, dataset: PlannedResource | None) -> list[str]:
    """A table that expires holds its data for less than a month: the GiB-months to give say how much."""
    ms = dataset.inputs.get("defaultTableExpirationMs") if dataset is not None else None
    if table.inputs.get("expirationTime"):
        return ["the table expires (expirationTime): give the GiB-months it holds on average"]
    if isinstance(ms, (int, float)) and not isinstance(ms, bool) and ms > 0:
        hours = D(str(ms)) / D(3_600_000)
        return [
            f"its dataset expires tables after {hours.normalize():f} h (defaultTableExpirationMs): give the "
            "GiB-months they hold on average"
        ]
    return []


@rule(BQ_TABLE)
def bigquery_table(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """A BigQuery table: active and long-term storage per GiB-month (`storageGiB`, `longTermStorageGiB`) at
    its dataset's storage billing model, and the bytes on-demand queries scan in it (`dataProcessedGB`, per
    TiB), all at its dataset's location. A logical view stores nothing; an external table's data lives
    outside BigQuery (only its queries bill)."""
    view = r.inputs.get("view")
    if view and not r.inputs.get("materializedView"):
        return Free(
            "BigQuery logical view: stores no data; queries that read it are billed as on-demand queries by the "
            "bytes of the tables it reads (dataProcessedGB on those tables)"
        )
    dataset = _dataset_of(r, ctx)
    usage = ctx.usage_for(r)
    notes = [BQ_FREE_TIER, *_expiry_note(r, dataset)]
    if dataset is None:
        where = _text(ctx.value(r, "datasetId")) or "(no datasetId)"
        why = (
            f"its dataset {where} is not in the plan, so its location (which sets the price) is unknown; "
            "estimate the program that creates the dataset with it"
        )
        return [
            unpriced("BigQuery table storage", "GiB-months", why),
            unpriced("BigQuery on-demand queries", "TiB scanned", why),
        ]
    given = _text(ctx.value(dataset, "location"))
    location = bigquery_location(given or BQ_DEFAULT_LOCATION)
    if not given:
        notes.append(f"dataset {dataset.name} has no location: BigQuery's default {BQ_DEFAULT_LOCATION}")
    billing = _text(ctx.value(dataset, "storageBillingModel")).upper() or BQ_DEFAULT_BILLING
    model = billing.lower()
    charges: list[Charge] = []
    external = bool(r.inputs.get("externalDataConfiguration"))
    if external:
        notes.append(
            "external table: its data is stored (and billed) outside BigQuery; only queries bill here"
        )
    else:
        charges += [
            _charge(
                r,
                ctx,
                "bigquery",
                f"active-{model}-gib-month",
                usage_amount(usage.storage_gib),
                "GiB-months",
                f"BigQuery active storage ({billing.lower()} bytes, {location})",
                _missing(ctx, r, "active storage", "storageGiB"),
                region=location,
            ),
            _charge(
                r,
                ctx,
                "bigquery",
                f"long-term-{model}-gib-month",
                usage_amount(usage.long_term_storage_gib),
                "long-term GiB-months",
                f"BigQuery long-term storage ({billing.lower()} bytes, {location})",
                _missing(ctx, r, "long-term storage (unmodified 90 days or more)", "longTermStorageGiB"),
                region=location,
            ),
        ]
    scanned = usage_amount(usage.data_processed_gb)
    charges.append(
        _charge(
            r,
            ctx,
            "bigquery",
            "on-demand-query-tib",
            scanned / GIB_PER_TIB if scanned is not None else None,
            "TiB scanned",
            f"BigQuery on-demand queries ({location})",
            _missing(ctx, r, "bytes queries scan (GB a month)", "dataProcessedGB"),
            region=location,
        )
    )
    notes.append(
        "on-demand query pricing; a project on capacity (editions) pricing pays slot-hours instead, not priced"
    )
    return with_notes([_at(c, location) for c in charges], notes)


# -- Pub/Sub subscriptions --------------------------------------------------------------------------------------


def duration_seconds(text: str) -> Decimal | None:
    """A protobuf duration as seconds: `604800s` → 604800, `86400.5s` → 86400.5; None when unreadable."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)s\s*", text)
    return D(m.group(1)) if m else None


@rule(SUBSCRIPTION)
def pubsub_subscription(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A subscription bills the message data delivered to it (`dataProcessedGB`, the topic bills what is
    published) and, when retainAckedMessages is true, the acknowledged messages it keeps (`storageGiB`).
    Unacknowledged messages in its backlog carry no storage fee."""
    usage = ctx.usage_for(r)
    charges = [
        _charge(
            r,
            ctx,
            "pubsub",
            "gb-delivered",
            usage_amount(usage.data_processed_gb),
            "GB delivered",
            "Pub/Sub message data delivered",
            _missing(ctx, r, "message data delivered", "dataProcessedGB"),
        )
    ]
    notes = [
        "the first 10 GiB of throughput a month are free (not subtracted); cross-region delivery is not priced"
    ]
    if ctx.value(r, "retainAckedMessages") is True:
        window = duration_seconds(_text(ctx.value(r, "messageRetentionDuration")))
        days = f"{(window / 86400).normalize():f} days" if window is not None else "7 days (the default)"
        charges.append(
            _charge(
                r,
                ctx,
                "pubsub",
                "retained-acked-gib-month",
                usage_amount(usage.storage_gib),
                "GiB-months",
                f"Pub/Sub retained acknowledged messages (kept {days})",
                _missing(ctx, r, "retained acknowledged messages", "storageGiB"),
            )
        )
    else:
        notes.append(
            "acknowledged messages are not retained (retainAckedMessages is not true): no storage fee"
        )
    return with_notes(charges, notes)


# -- Cloud Logging ----------------------------------------------------------------------------------------------


def sink_destination(destination: str) -> str:
    """The kind of a log sink destination: `storage`, `bigquery`, `pubsub`, `log-bucket`, `project` (another
    project's log router) or `other`."""
    d = destination.strip().lower()
    for prefix, kind in (
        ("storage.googleapis.com/", "storage"),
        ("bigquery.googleapis.com/", "bigquery"),
        ("pubsub.googleapis.com/", "pubsub"),
    ):
        if d.startswith(prefix):
            return kind
    if d.startswith("logging.googleapis.com/"):
        return "log-bucket" if "/buckets/" in d else "project"
    return "other"


_SINK_FREE = {
    "storage": "the Cloud Storage bucket it writes to bills the stored logs (priced on the bucket from storageGiB)",
    "bigquery": "the BigQuery dataset it writes to bills the stored logs and streaming inserts",
    "pubsub": "the Pub/Sub topic it publishes to bills the message data (priced on the topic)",
    "project": "the project it routes to bills the logs where its own sinks store them",
    "other": "its destination bills what it stores",
}


@rule(*SINKS)
def logging_sink(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """Routing logs costs nothing (Cloud Logging: "Log routing ... Destination charges might apply"); a sink
    into a log bucket bills Cloud Logging ingestion there (`logIngestedGB`)."""
    destination = _text(ctx.value(r, "destination"))
    kind = sink_destination(destination)
    if kind != "log-bucket":
        return Free(f"log sink: routing logs is not charged; {_SINK_FREE[kind]}")
    return with_notes(
        [
            _charge(
                r,
                ctx,
                "cloud-logging",
                "gib-ingested",
                usage_amount(ctx.usage_for(r).log_ingested_gb),
                "GB ingested",
                "Cloud Logging ingestion into a log bucket",
                _missing(ctx, r, "logs routed to the bucket", "logIngestedGB"),
            )
        ],
        [
            "the first 50 GiB a project ingests a month are free (not subtracted); retention past 30 days not priced"
        ],
    )


# -- Cloud Monitoring -------------------------------------------------------------------------------------------


@rule(ALERT_POLICY)
def alert_policy(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """Cloud Monitoring alerting bills each condition per month; the time series its conditions return are
    billed too ($0.35 per million), which depends on the resources they match: noted, not priced."""
    conditions = as_list(ctx.value(r, "conditions"))
    if ctx.value(r, "enabled") is False:
        return Free("disabled alerting policy: its conditions are not evaluated")
    n = D(len(conditions) or 1)
    return with_notes(
        [
            _charge(
                r,
                ctx,
                "cloud-monitoring",
                "alert-condition-month",
                n,
                "condition-months",
                f"Cloud Monitoring alerting policy: {n} condition{'s' if n != 1 else ''}",
            )
        ],
        [
            "time series the conditions return ($0.35 per million) are not priced: they depend on the resources "
            "matched and the evaluation period",
            "Google announced alerting charges from no sooner than April 2025",
        ],
    )


# -- Service Directory ------------------------------------------------------------------------------------------


@rule(*SD_TYPES)
def service_directory(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A Service Directory namespace, service or endpoint: one resource-month each."""
    kind = r.type.rsplit(":", 1)[-1].lower()
    return with_notes(
        [
            _charge(
                r,
                ctx,
                "service-directory",
                "resource-month",
                D(1),
                "resource-months",
                f"Service Directory {kind}",
            )
        ],
        ["Service Directory API calls ($1.00 per million) are not priced"],
    )


# -- free types -------------------------------------------------------------------------------------------------

FREE_TYPES: list[str] = []
"""Every type this file lists as free (tests check each is a real pulumi-gcp token)."""

_free = functools.partial(free_listed, FREE_TYPES)

_free(
    "BigQuery dataset: no charge by itself (storage is billed per table, and queries by the bytes they scan, "
    "priced on the tables)",
    BQ_DATASET,
)
_free(
    "BigQuery routine: no charge by itself (the queries that call it are billed as on-demand queries by the "
    "bytes they scan, priced on the tables)",
    "gcp:bigquery/routine:Routine",
)
_free(
    "BigQuery access or row policy: no charge (access configuration)",
    "gcp:bigquery/datasetAccess:DatasetAccess",
    "gcp:bigquery/rowAccessPolicy:RowAccessPolicy",
)
_free(
    "IAM: no charge",
    "gcp:bigquery/datasetIamBinding:DatasetIamBinding",
    "gcp:bigquery/datasetIamMember:DatasetIamMember",
    "gcp:bigquery/datasetIamPolicy:DatasetIamPolicy",
    "gcp:bigquery/iamBinding:IamBinding",
    "gcp:bigquery/iamMember:IamMember",
    "gcp:bigquery/iamPolicy:IamPolicy",
    "gcp:bigquery/routineIamBinding:RoutineIamBinding",
    "gcp:bigquery/routineIamMember:RoutineIamMember",
    "gcp:bigquery/routineIamPolicy:RoutineIamPolicy",
    "gcp:bigquery/connectionIamBinding:ConnectionIamBinding",
    "gcp:bigquery/connectionIamMember:ConnectionIamMember",
    "gcp:bigquery/connectionIamPolicy:ConnectionIamPolicy",
    "gcp:pubsub/topicIAMBinding:TopicIAMBinding",
    "gcp:pubsub/topicIAMMember:TopicIAMMember",
    "gcp:pubsub/topicIAMPolicy:TopicIAMPolicy",
    "gcp:pubsub/subscriptionIAMBinding:SubscriptionIAMBinding",
    "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember",
    "gcp:pubsub/subscriptionIAMPolicy:SubscriptionIAMPolicy",
    "gcp:pubsub/schemaIamBinding:SchemaIamBinding",
    "gcp:pubsub/schemaIamMember:SchemaIamMember",
    "gcp:pubsub/schemaIamPolicy:SchemaIamPolicy",
    "gcp:servicedirectory/namespaceIamBinding:NamespaceIamBinding",
    "gcp:servicedirectory/namespaceIamMember:NamespaceIamMember",
    "gcp:servicedirectory/namespaceIamPolicy:NamespaceIamPolicy",
    "gcp:servicedirectory/serviceIamBinding:ServiceIamBinding",
    "gcp:servicedirectory/serviceIamMember:ServiceIamMember",
    "gcp:servicedirectory/serviceIamPolicy:ServiceIamPolicy",
)
_free(
    "Pub/Sub schema: no charge (messages are billed on the topic and its subscriptions)",
    "gcp:pubsub/schema:Schema",
)
_free(
    "log exclusion: no charge (it lowers what log buckets ingest)",
    "gcp:logging/projectExclusion:ProjectExclusion",
)
_free(
    "Datastream connection profile: no charge by itself (Datastream bills only the data its streams process; "
    "an idle stream costs nothing)",
    "gcp:datastream/connectionProfile:ConnectionProfile",
)
