"""How a stack is used, which the resource graph cannot say: usage profiles (billed hours and utilisation,
kept apart) and the per-stack usage file (`stacks/usage.<stack>.yaml`, after Infracost's usage files)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError
from pydantic.alias_generators import to_camel

from aiinfra.estimate.inputs import MAX_COUNT, MAX_GIB
from aiinfra.estimate.model import HOURS_PER_MONTH
from aiinfra.spec.models import NamedUsageProfile

Scale = Literal["min", "desired", "max", "off"]
"""Pool size in a phase; `off` = no nodes (billed hours end)."""


@dataclass(frozen=True)
class Phase:
    """Part of a month: `hours` at the pool's `scale` (autoscaled pools; fixed pools are the same at every
    scale), its accelerators busy `utilization` of the time."""

    hours: Decimal
    scale: Scale
    utilization: Decimal


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    phases: tuple[Phase, ...]

    @property
    def mean_utilization(self) -> Decimal:
        hours = sum((p.hours for p in self.phases), Decimal(0))
        return sum((p.hours * p.utilization for p in self.phases), Decimal(0)) / hours


D = Decimal
WEEKDAY_HOURS = D(10) * D(5) * D(52) / D(12)  # 10 h × 5 days × 52 weeks / 12 months = 216.67 h

PROFILE_NAMES: tuple[str, ...] = get_args(NamedUsageProfile)
"""The named profiles, in the order the spec lists them (`custom` is built from the spec's own figures)."""

PROFILES: dict[str, Profile] = {
    "training-steady": Profile(
        "training-steady",
        "a training job around the clock: every node all month, accelerators 90 % busy",
        (Phase(HOURS_PER_MONTH, "desired", D("0.9")),),
    ),
    "inference-diurnal": Profile(
        "inference-diurnal",
        "serving with a daily peak: 12 h a day at max nodes, 60 % busy; 12 h at min nodes, 25 % busy",
        (Phase(HOURS_PER_MONTH / 2, "max", D("0.6")), Phase(HOURS_PER_MONTH / 2, "min", D("0.25"))),
    ),
    "batch-weekday": Profile(
        "batch-weekday",
        "batch jobs in working hours: 10 h × 5 days a week at max nodes, 80 % busy; the rest at min, idle",
        (Phase(WEEKDAY_HOURS, "max", D("0.8")), Phase(HOURS_PER_MONTH - WEEKDAY_HOURS, "min", D("0.05"))),
    ),
    "idle-reserved": Profile(
        "idle-reserved",
        "capacity held but barely used: every node all month, accelerators 5 % busy",
        (Phase(HOURS_PER_MONTH, "desired", D("0.05")),),
    ),
}


def custom_profile(hours_per_month: Decimal, utilization: Decimal) -> Profile:
    """`profile: custom`: the nodes exist (and are billed) `hours_per_month` at `utilization`, and not at
    all the rest of the month."""
    phases = [Phase(hours_per_month, "desired", utilization)]
    if hours_per_month < HOURS_PER_MONTH:
        phases.append(Phase(HOURS_PER_MONTH - hours_per_month, "off", D(0)))
    return Profile(
        "custom", f"custom: {hours_per_month} h a month at {utilization * 100:.0f} % busy", tuple(phases)
    )


def profile_for(name: str, hours_per_month: float | None = None, utilization: float | None = None) -> Profile:
    if name == "custom":
        if hours_per_month is None or utilization is None:
            raise ValueError("profile custom needs hoursPerMonth and utilization")
        return custom_profile(D(str(hours_per_month)), D(str(utilization)))
    return PROFILES[name]


# -- the usage file ----------------------------------------------------------------------------------------


class ResourceUsage(BaseModel):
    """Quantities for one resource, or for every resource under one component (a pool, a cluster)."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, alias_generator=to_camel, populate_by_name=True, allow_inf_nan=False
    )

    nodes: int | None = Field(
        default=None, ge=0, le=MAX_COUNT, description="Nodes of a pool, all month (overrides the plan)."
    )
    hours_per_month: float | None = Field(
        default=None,
        gt=0,
        le=744,
        description="Billed hours a month: a pool's nodes, an EKS Fargate profile's pods, an Azure container "
        "group (default: all month), a Glue job's runs (each run billed at the job's DPUs).",
    )
    utilization: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="Accelerator busy share, 0..1; for a Cosmos DB autoscale throughput, the average share of "
        "its maximum RU/s it scales to (billed at least 0.1).",
    )
    storage_gib: float | None = Field(
        default=None,
        ge=0,
        le=float(MAX_GIB),
        alias="storageGiB",
        description="Data held, GiB-months: object storage, ECR images, DynamoDB tables, Aurora cluster "
        "volumes, Redshift managed storage, Artifact Registry repositories, Cosmos DB accounts (per region), "
        "BigQuery tables (active storage), Pub/Sub subscriptions (retained acknowledged messages).",
    )
    long_term_storage_gib: float | None = Field(
        default=None,
        ge=0,
        le=float(MAX_GIB),
        alias="longTermStorageGiB",
        description="Data held unmodified for 90 days or more, GiB-months: BigQuery tables (long-term "
        "storage, billed at a lower rate than storageGiB's active storage).",
    )
    data_processed_gb: float | None = Field(
        default=None,
        ge=0,
        le=float(MAX_GIB),
        alias="dataProcessedGB",
        description="Traffic processed, GB a month: NAT gateways, VPC interface endpoints, transit gateway "
        "attachments, Azure Standard load balancers, GCP forwarding rules, Pub/Sub topics (data published), "
        "Kinesis on-demand streams (data ingested), Firehose delivery streams (data ingested), MSK Serverless "
        "clusters (data in), Azure CDN endpoints (data transfer out), Pub/Sub "
        "subscriptions (data delivered), BigQuery tables (bytes their on-demand queries process).",
    )
    log_ingested_gb: float | None = Field(
        default=None,
        ge=0,
        le=float(MAX_GIB),
        alias="logIngestedGB",
        description="Logs ingested, GB a month (a GCP log sink into a log bucket: the logs it routes there).",
    )
    capacity_units: float | None = Field(
        default=None,
        ge=0,
        le=MAX_COUNT,
        description="Capacity units in use each hour, averaged over the month: a load balancer's LCUs (NLCUs "
        "for a network load balancer), an Aurora Serverless v2 instance's ACUs.",
    )
    read_requests_millions: float | None = Field(
        default=None, ge=0, le=1e9, description="DynamoDB on-demand read request units, millions a month."
    )
    write_requests_millions: float | None = Field(
        default=None, ge=0, le=1e9, description="DynamoDB on-demand write request units, millions a month."
    )
    io_requests_millions: float | None = Field(
        default=None, ge=0, le=1e9, description="Aurora (standard storage) I/O requests, millions a month."
    )
    pods: int | None = Field(
        default=None,
        ge=0,
        le=MAX_COUNT,
        description="Pods an EKS Fargate profile runs at a time, averaged over the month (each pod is its own "
        "Fargate task, billed per vCPU- and GB-hour).",
    )
    pod_vcpu: float | None = Field(
        default=None,
        gt=0,
        le=1024,
        alias="podVcpu",
        description="vCPU each Fargate pod requests (its containers' requests added up, or its largest init "
        "container's if more); billed as the Fargate configuration EKS rounds it up to.",
    )
    pod_memory_gb: float | None = Field(
        default=None,
        gt=0,
        le=float(MAX_GIB),
        alias="podMemoryGB",
        description="Memory each Fargate pod requests, GB (EKS adds 256 MB and rounds up to a Fargate "
        "configuration).",
    )
    pod_ephemeral_gb: float | None = Field(
        default=None,
        ge=0,
        le=float(MAX_GIB),
        alias="podEphemeralGB",
        description="Ephemeral storage each Fargate pod requests, GB (the first 20 GB are included).",
    )
    requests_millions: float | None = Field(
        default=None,
        ge=0,
        le=1e9,
        description="Requests or invocations, millions a month: Cloud Run services, Cloud Functions, Lambda "
        "functions, API Gateway APIs, SQS queues, SNS topics (publishes), Secrets Manager secrets (API calls), "
        "Step Functions Express workflows (executions), EventBridge buses (custom events published), AppSync "
        "APIs (queries and mutations), Parameter Store parameters (API interactions), Azure container apps "
        "(HTTP requests), Key Vaults (operations).",
    )
    transitions_millions: float | None = Field(
        default=None,
        ge=0,
        le=1e9,
        description="State transitions of a Step Functions Standard workflow, millions a month.",
    )
    memory_mb: float | None = Field(
        default=None,
        gt=0,
        le=1_048_576,
        alias="memoryMB",
        description="Memory a Step Functions Express workflow uses, MB (billed in 64 MB steps).",
    )
    dpu_hours: float | None = Field(
        default=None,
        ge=0,
        le=1e9,
        description="DPU-hours a month of a Glue crawler (its run time × the DPUs AWS gives it).",
    )
    connection_minutes_millions: float | None = Field(
        default=None,
        ge=0,
        le=1e9,
        description="Real-time (subscription) connection minutes of an AppSync API, millions a month.",
    )
    registered_instances: int | None = Field(
        default=None,
        ge=0,
        le=MAX_COUNT,
        description="Instances registered in a Cloud Map service, averaged over the month (an ECS service "
        "registers one per running task).",
    )
    instance_seconds: float | None = Field(
        default=None,
        ge=0,
        le=1e12,
        description="Billed instance time, seconds a month: a Cloud Run service's instance time (request-based "
        "billing: while serving requests; instance-based: while instances run), a function's invocations × "
        "average duration (Cloud Functions, Lambda, Step Functions Express workflows), an Azure container app's "
        "replica-seconds at the active rate.",
    )
    request_units_millions: float | None = Field(
        default=None,
        ge=0,
        le=1e9,
        description="Request units consumed, millions a month: a serverless Cosmos DB account.",
    )
    action_executions: float | None = Field(
        default=None,
        ge=0,
        le=1e12,
        description="Built-in action and trigger executions a month: a Consumption Logic Apps workflow.",
    )
    connector_executions: float | None = Field(
        default=None,
        ge=0,
        le=1e12,
        description="Standard connector calls a month: a Consumption Logic Apps workflow.",
    )


@dataclass(frozen=True)
class UserPrice:
    """A machine price the user gave (`--price TYPE=USD` or the usage file's `prices:`), used only where the
    catalog has none."""

    usd_per_hour: Decimal
    source: str


NOT_USED = "catalog price used, not your price"
"""How a line says the user gave a price for a machine the catalog already prices (the services warn)."""


class UsageFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    version: str | None = None
    resources: dict[str, ResourceUsage] = Field(default_factory=dict)
    prices: dict[str, Annotated[float, Field(ge=0, le=1_000_000)]] = Field(
        default_factory=dict,
        description="USD per hour for machine types the catalog does not price (never over a catalog price).",
    )
    _flag_prices: dict[str, UserPrice] = PrivateAttr(default_factory=dict)

    def with_flag_prices(self, flags: Mapping[str, UserPrice]) -> UsageFile:
        """This usage file with `--price` flags, which win over its own `prices:`."""
        out = self.model_copy()
        out._flag_prices = dict(flags)
        return out

    def user_price(self, machine_type: str) -> UserPrice | None:
        if machine_type in self._flag_prices:
            return self._flag_prices[machine_type]
        if machine_type in self.prices:
            return UserPrice(Decimal(str(self.prices[machine_type])), "your price (usage file prices:)")
        return None


def parse_prices(values: Iterable[str]) -> dict[str, UserPrice]:
    """`--price TYPE=USD_PER_HOUR` flags as user prices; a value that is not one (no `=`, not a number,
    NaN, an infinity, negative) raises ValueError with the fix."""
    import math

    out: dict[str, UserPrice] = {}
    for value in values:
        fix = "Write --price TYPE=USD_PER_HOUR with a number 0 or more, e.g. --price t2.micro=0.0116."
        machine_type, sep, amount = value.partition("=")
        machine_type, amount = machine_type.strip(), amount.strip()
        if not sep or not machine_type or not amount:
            raise ValueError(f"--price {value!r} is not TYPE=USD_PER_HOUR. {fix}")
        try:
            number = float(amount)
        except ValueError:
            raise ValueError(f"--price {value!r}: {amount!r} is not a number. {fix}") from None
        if not math.isfinite(number) or number < 0:
            raise ValueError(f"--price {value!r}: the price must be a finite number, 0 or more. {fix}")
        out[machine_type] = UserPrice(Decimal(amount), f"your price (--price {machine_type}={amount})")
    return out


class UsageFileError(ValueError):
    """A usage file that cannot be used; the message names the file, the field and the fix."""


def usage_file_for(stack_file: Path) -> Path:
    """`stacks/Pulumi.example.yaml` → `stacks/usage.example.yaml`."""
    name = stack_file.name.removeprefix("Pulumi.").removesuffix(".yaml").removesuffix(".yml")
    return stack_file.with_name(f"usage.{name}.yaml")


def read_usage_file(path: Path) -> UsageFile:
    """The usage file at `path`, read through the input guard (a regular UTF-8 file of at most 16 MiB,
    bounded YAML, duplicate keys refused); every problem is a UsageFileError naming the field and the fix."""
    from aiinfra.guard import SPEC_LIMIT, InputError, load_yaml, non_string_key, read_text, show

    shape = (
        "The usage file is a mapping: `resources:` then resource (or component) names, each with "
        f"{', '.join(f.alias or to_camel(n) for n, f in ResourceUsage.model_fields.items())}; "
        "and `prices:` machine types with USD per hour (e.g. t2.micro: 0.0116); see stacks/usage.example.yaml."
    )
    try:
        doc: Any = load_yaml(read_text(path, what="a usage file", limit_bytes=SPEC_LIMIT), source=str(path))
    except InputError as e:
        raise UsageFileError(f"{e.message} {e.fix}") from None
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise UsageFileError(f"{path}: the usage file must be a mapping of resource names to usage. {shape}")
    found = non_string_key(doc)
    if found is not None:
        where, key = found
        raise UsageFileError(
            f'{path}: {where or "the top level"}: the key {show(key)} is not a name. Quote it: "{show(key)}":.'
        )
    try:
        return UsageFile.model_validate(doc, strict=True, by_alias=True, by_name=False)
    except ValidationError as e:
        problems = []
        for err in e.errors(include_url=False):
            where = ".".join(
                show(p) if isinstance(p, str) and (len(p) > 60 or not p.isprintable()) else str(p)
                for p in err["loc"]
            )
            got = err.get("input")
            msg = f"{err['msg']} (got {show(got)})"
            aliases = {n: f.alias or n for n, f in ResourceUsage.model_fields.items()}
            key = err["loc"][-1] if err["loc"] else ""
            if err["type"] == "extra_forbidden" and key in aliases:
                msg = f"keys are camelCase: write {aliases[key]}"
            problems.append(f"{path}: {where or 'the top level'}: {msg}")
            if len(problems) == 5:
                problems.append(f"… and {len(e.errors()) - 5} more")
                break
        raise UsageFileError("; ".join(problems) + f". {shape}") from None


def check_names(usage: UsageFile, names: set[str], path: Path) -> None:
    """Every entry must name a resource or component of the plan: a typo would silently change nothing."""
    from aiinfra.catalog.query import closest

    for key in usage.resources:
        if key not in names:
            near = closest(key, names)
            hint = f"Did you mean '{near}'? " if near else ""
            raise UsageFileError(
                f"{path}: resources.{key}: no resource or component of that name in the plan. {hint}"
                "Names are the ones `infra plan` shows."
            )
