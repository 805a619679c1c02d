"""GCP managed-service estimate rules (estimate/rules/gcp_services.py): Cloud SQL by tier and edition, Cloud
Run and Cloud Functions from the usage file, persistent and boot disks, GKE Autopilot pods, Vertex AI
deployments, and the free types; and one program planned under the mocks. Prices are read from the shipped
catalog, never hard-coded; an unpriced line says why and names the fix."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.engine.inputs import SECRET_SIG, SIG_KEY
from aiinfra.engine.plan import plan_program
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.model import HOURS_PER_MONTH
from aiinfra.estimate.rules.gcp_services import (
    FREE_TYPES,
    cpu_count,
    function_tier,
    memory_gib,
    sql_edition,
    sql_tier,
)
from aiinfra.estimate.usage import ResourceUsage, UsageFile
from tests.conftest import line

D = Decimal
CATALOG = default_catalog()
SQL = "gcp:sql/databaseInstance:DatabaseInstance"
RUN_V1 = "gcp:cloudrun/service:Service"
RUN_V2 = "gcp:cloudrunv2/service:Service"
FN_V1 = "gcp:cloudfunctions/function:Function"
FN_V2 = "gcp:cloudfunctionsv2/function:Function"
DISK = "gcp:compute/disk:Disk"


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
    assert row is not None and row.usd is not None, f"the catalog prices {service} {item}"
    return row.usd


# -- Cloud SQL ---------------------------------------------------------------------------------------------------


def test_sql_tiers_map_to_vcpus_and_memory_and_unmappable_ones_say_why() -> None:
    assert (sql_tier("db-custom-2-7680").vcpus, sql_tier("db-custom-2-7680").memory_gb) == (2, D("7.5"))
    assert (sql_tier("db-n1-standard-4").vcpus, sql_tier("db-n1-standard-4").memory_gb) == (4, 15)
    assert (sql_tier("db-n1-highmem-2").vcpus, sql_tier("db-n1-highmem-2").memory_gb) == (2, 13)
    assert "shared-core" in sql_tier("db-f1-micro").why_not and sql_tier("db-f1-micro").vcpus is None
    assert "Enterprise Plus" in sql_tier("db-perf-optimized-N-8").why_not
    assert "not one this estimate maps" in sql_tier("db-fancy-9").why_not


def test_the_edition_is_the_input_else_enterprise_plus_from_postgres_16() -> None:
    assert sql_edition({}, "POSTGRES_16") == "ENTERPRISE_PLUS"
    assert sql_edition({}, "POSTGRES_15") == "ENTERPRISE"
    assert sql_edition({}, "MYSQL_8_0") == "ENTERPRISE"
    assert sql_edition({"edition": "enterprise"}, "POSTGRES_17") == "ENTERPRISE"


def test_a_custom_tier_bills_vcpu_and_memory_hours_and_ha_bills_them_twice() -> None:
    zonal = res(
        SQL, "db", databaseVersion="POSTGRES_15", settings={"tier": "db-custom-2-7680", "diskSize": 50}
    )
    result = run(zonal)
    cpu, mem = line(result, "db", "vCPU-hours"), line(result, "db", "GB-hours")
    assert cpu.quantity == 2 * HOURS_PER_MONTH
    assert cpu.monthly_cost_usd == 2 * HOURS_PER_MONTH * price("cloud-sql", "enterprise-vcpu-hour")
    assert mem.quantity == D("7.5") * HOURS_PER_MONTH
    assert mem.monthly_cost_usd == D("7.5") * HOURS_PER_MONTH * price(
        "cloud-sql", "enterprise-memory-gb-hour"
    )
    disk = line(result, "db", "GB-months")
    assert disk.quantity == 50
    assert disk.monthly_cost_usd == 50 * price("cloud-sql", "pd_ssd-storage-gb-month")
    hdd = run(
        res(
            SQL,
            "hdd",
            databaseVersion="MYSQL_8_0",
            settings={"tier": "db-custom-1-3840", "diskType": "PD_HDD"},
        )
    )
    reason = line(hdd, "hdd", "GB-months").reason
    assert "item: pd_hdd-storage-gb-month" in reason and "catalog/data/gcp/services.yaml" in reason

    ha = res(
        SQL,
        "ha",
        databaseVersion="MYSQL_8_0",
        settings={"tier": "db-n1-standard-1", "availabilityType": "REGIONAL"},
    )
    result = run(ha)
    assert line(result, "ha", "vCPU-hours").quantity == 2 * HOURS_PER_MONTH
    assert line(result, "ha", "GB-hours").quantity == 2 * D("3.75") * HOURS_PER_MONTH
    assert line(result, "ha", "GB-months").quantity == 2 * 10, "the minimum 10 GB disk, twice"
    assert any("standby" in a for a in line(result, "ha", "vCPU-hours").assumptions)


def test_shared_core_is_a_flat_instance_price_and_other_regions_enterprise_plus_and_sql_server_say_why() -> (
    None
):
    micro = run(res(SQL, "micro", databaseVersion="POSTGRES_12", settings={"tier": "db-f1-micro"}))
    hours = line(micro, "micro", "instance-hours")
    assert hours.monthly_cost_usd == HOURS_PER_MONTH * price("cloud-sql", "db-f1-micro-hour")
    elsewhere = run(
        res(SQL, "eu", databaseVersion="MYSQL_8_0", settings={"tier": "db-custom-1-3840"}),
        region="europe-west1",
    )
    assert line(elsewhere, "eu", "vCPU-hours").monthly_cost_usd is None
    assert "no price for cloud-sql enterprise-vcpu-hour" in line(elsewhere, "eu", "vCPU-hours").reason
    result = run(
        res(SQL, "pg16", databaseVersion="POSTGRES_16", settings={"tier": "db-custom-2-7680"}),
        res(SQL, "mssql", databaseVersion="SQLSERVER_2019_STANDARD", settings={"tier": "db-custom-2-7680"}),
    )
    assert "ENTERPRISE_PLUS" in line(result, "pg16", "vCPU-hours").reason
    assert "POSTGRES_16's default" in line(result, "pg16", "vCPU-hours").reason
    assert "licence" in line(result, "mssql", "vCPU-hours").reason
    assert [ln.resource for ln in result.lines if ln.monthly_cost_usd is None] == ["pg16", "mssql"]
    assert len(result.unpriced) == 2, "their disks are still priced"


# -- Cloud Run and Cloud Functions --------------------------------------------------------------------------------


def test_quantities_read_as_kubernetes_does() -> None:
    assert memory_gib("512Mi") == D("0.5") and memory_gib("1Gi") == 1
    assert memory_gib("2G") == D(2 * 10**9) / D(2**30)
    assert memory_gib("lots") is None
    assert cpu_count("1000m") == 1 and cpu_count("2") == 2 and cpu_count("0.5") == D("0.5")
    assert cpu_count("two") is None


def test_a_cloud_run_service_prices_its_limits_times_instance_time_and_its_requests_from_usage() -> None:
    svc = res(
        RUN_V2,
        "api",
        location="us-central1",
        template={"containers": [{"resources": {"limits": {"cpu": "2", "memory": "1Gi"}}}]},
    )
    result = run(svc, api={"instanceSeconds": 1000, "requestsMillions": 3})
    cpu = line(result, "api", "vCPU-seconds")
    assert cpu.quantity == 2000 and cpu.monthly_cost_usd == 2000 * price("cloud-run", "request-vcpu-second")
    mem = line(result, "api", "GiB-seconds")
    assert mem.monthly_cost_usd == 1000 * price("cloud-run", "request-memory-gib-second")
    req = line(result, "api", "million requests")
    assert req.monthly_cost_usd == 3 * price("cloud-run", "million-requests")

    assert any(a.startswith("Tier 1 region prices") for a in cpu.assumptions)
    frankfurt = res(RUN_V2, "eu", location="europe-west3", template=svc.inputs["template"])
    eu = line(run(frankfurt, eu={"instanceSeconds": 1000}), "eu", "vCPU-seconds")
    tier2 = price("cloud-run", "request-vcpu-second", "europe-west3")
    assert tier2 > price("cloud-run", "request-vcpu-second")
    assert eu.monthly_cost_usd == 2000 * tier2
    assert any(a.startswith("the europe-west3 prices") for a in eu.assumptions)

    bare = run(res(RUN_V2, "bare", location="us-central1", template={"containers": [{"image": "x"}]}))
    cpu = line(bare, "bare", "vCPU-seconds")
    assert cpu.monthly_cost_usd is None
    assert "set instanceSeconds for bare in stacks/usage.t.yaml" in cpu.reason
    assert "set requestsMillions" in line(bare, "bare", "million requests").reason
    assert any("default 1 vCPU" in a for a in cpu.assumptions)
    assert "0.500 GiB" in line(bare, "bare", "GiB-seconds").description


def test_cpu_always_allocated_is_instance_based_without_a_request_charge() -> None:
    svc = res(
        RUN_V2,
        "worker",
        location="us-central1",
        template={"containers": [{"resources": {"cpuIdle": False}}], "scaling": {"minInstanceCount": 1}},
    )
    result = run(svc, worker={"instanceSeconds": 3600})
    cpu = line(result, "worker", "vCPU-seconds")
    assert cpu.monthly_cost_usd == 3600 * price("cloud-run", "instance-vcpu-second")
    mem = line(result, "worker", "GiB-seconds")
    assert mem.monthly_cost_usd is None and "instance-memory-gib-second" in mem.reason
    assert [ln for ln in result.lines if ln.unit == "million requests"] == []
    missing = run(svc)
    assert "at least 1 minimum instance always kept" in line(missing, "worker", "vCPU-seconds").reason


def test_a_v1_service_whose_template_holds_a_secret_is_sized_from_the_programs_value_only() -> None:
    template = {
        "metadata": {"annotations": {"run.googleapis.com/cpu-throttling": "false"}},
        "spec": {"containers": [{"resources": {"limits": {"cpu": "1000m", "memory": "2Gi"}}}]},
    }
    wrapped = res(RUN_V1, "web", location="us-central1", template={SIG_KEY: SECRET_SIG, "value": template})
    result = run(wrapped, web={"instanceSeconds": 100})
    cpu = line(result, "web", "vCPU-seconds")
    assert cpu.monthly_cost_usd == 100 * price("cloud-run", "instance-vcpu-second")
    assert any("template is a secret" in a for a in cpu.assumptions)
    assert line(result, "web", "GiB-seconds").quantity == 200
    sealed = res(RUN_V1, "sealed", location="us-central1", template={SIG_KEY: SECRET_SIG, "ciphertext": "x"})
    result = run(sealed)
    assert [ln.reason for ln in result.lines if ln.resource == "sealed"] == [
        "template: the value is a secret in this document, so it is not read"
    ]


def test_function_tiers_follow_memory() -> None:
    assert function_tier(D(256)) == (D("0.167"), D("0.4"))
    assert function_tier(D(300)) == (D("0.333"), D("0.8"))
    assert function_tier(D(2048)) == (D(1), D("2.4"))
    assert function_tier(D(99999)) == (D(8), D("19.2"))


def test_a_first_gen_function_bills_invocations_gb_and_ghz_seconds_from_usage() -> None:
    fn = res(FN_V1, "hook", region="us-central1", availableMemoryMb=512)
    result = run(fn, hook={"requestsMillions": 5, "instanceSeconds": 10_000})
    assert line(result, "hook", "million invocations").monthly_cost_usd == 5 * price(
        "cloud-functions-v1", "million-invocations"
    )
    gb = line(result, "hook", "GB-seconds")
    assert gb.quantity == 5000 and gb.monthly_cost_usd == 5000 * price("cloud-functions-v1", "gb-second")
    ghz = line(result, "hook", "GHz-seconds")
    assert ghz.quantity == 8000 and ghz.monthly_cost_usd == 8000 * price("cloud-functions-v1", "ghz-second")
    default = run(res(FN_V1, "tiny", region="us-central1"))
    assert any("default 256 MB" in a for a in line(default, "tiny", "GB-seconds").assumptions)
    assert all(ln.monthly_cost_usd is None for ln in default.lines)


def test_a_second_gen_function_is_billed_as_cloud_run_with_its_memory_tiers_cpu() -> None:
    fn = res(FN_V2, "fn", location="us-central1", serviceConfig={"availableMemory": "1Gi"})
    result = run(fn, fn={"instanceSeconds": 1000, "requestsMillions": 1})
    cpu = line(result, "fn", "vCPU-seconds")
    assert cpu.quantity == D("583") and cpu.monthly_cost_usd == 583 * price(
        "cloud-run", "request-vcpu-second"
    )
    assert line(result, "fn", "GiB-seconds").quantity == 1000
    assert line(result, "fn", "million requests").monthly_cost_usd == price("cloud-run", "million-requests")


# -- disks, VMs, Autopilot, Vertex AI -----------------------------------------------------------------------------


def test_a_persistent_disk_is_its_gb_times_the_type_price_and_one_sized_by_its_image_is_unpriced() -> None:
    ssd = res(DISK, "data", zone="us-central1-a", type="pd-ssd", size=100)
    plain = res(DISK, "plain", zone="us-central1-a", size=20)
    imaged = res(DISK, "boot", zone="us-central1-a", image="debian-cloud/debian-12")
    regional = res(
        "gcp:compute/regionDisk:RegionDisk", "shared", region="us-central1", type="pd-ssd", size=10
    )
    hyper = res(DISK, "hyper", zone="us-central1-a", type="hyperdisk-balanced", size=10)
    result = run(ssd, plain, imaged, regional, hyper)
    ssd_price = CATALOG.storage_price("gcp", "persistent-disk", "pd-ssd", "us-central1")
    std_price = CATALOG.storage_price("gcp", "persistent-disk", "pd-standard", "us-central1")
    assert ssd_price is not None and std_price is not None
    assert line(result, "data", "GiB-months").monthly_cost_usd == 100 * ssd_price.usd_per_gib_month
    p = line(result, "plain", "GiB-months")
    assert p.monthly_cost_usd == 20 * std_price.usd_per_gib_month
    assert "no type: Compute Engine's default pd-standard" in p.assumptions
    assert "image's or snapshot's size; set size" in line(result, "boot", "GiB-months").reason
    assert "regional rates" in line(result, "shared", "GiB-months").reason
    assert "no persistent-disk hyperdisk-balanced price" in line(result, "hyper", "GiB-months").reason


def test_a_vm_named_by_a_zonal_machine_type_url_is_priced_and_its_image_sized_boot_disk_is_unpriced() -> None:
    vm = res(
        "gcp:compute/instance:Instance",
        "vm",
        zone="us-central1-a",
        machineType="zones/us-central1-a/machineTypes/e2-medium",
        bootDisk={"initializeParams": {"image": "debian-cloud/debian-12"}},
    )
    result = run(vm)
    hours = line(result, "vm", "instance-hours")
    offer = CATALOG.offer("e2-medium", "us-central1")
    assert offer is not None and offer.on_demand is not None
    assert hours.monthly_cost_usd == HOURS_PER_MONTH * offer.on_demand
    boot = line(result, "vm", "GiB-months")
    assert boot.monthly_cost_usd is None and "set bootDisk.initializeParams.size" in boot.reason
    sized = res(
        "gcp:compute/instance:Instance",
        "sized",
        zone="us-central1-a",
        machineType="e2-medium",
        bootDisk={"initializeParams": {"size": 20}},
    )
    assert line(run(sized), "sized", "GiB-months").monthly_cost_usd is not None


def test_an_autopilot_cluster_adds_an_unpriced_pod_line_and_a_standard_cluster_does_not() -> None:
    autopilot = res("gcp:container/cluster:Cluster", "auto", location="us-central1", enableAutopilot=True)
    standard = res("gcp:container/cluster:Cluster", "std", location="us-central1", removeDefaultNodePool=True)
    result = run(autopilot, standard)
    pods = line(result, "auto", "vCPU-hours")
    assert pods.monthly_cost_usd is None and "pod's resource requests" in pods.reason
    assert line(result, "auto", "cluster-hours").monthly_cost_usd == HOURS_PER_MONTH * price(
        "gke", "cluster-hour"
    )
    assert [ln.unit for ln in result.lines if ln.resource == "std"] == ["cluster-hours"]


def test_vertex_deployments_are_unpriced_with_their_machines_and_the_endpoint_is_free() -> None:
    garden = res(
        "gcp:vertex/aiEndpointWithModelGardenDeployment:AiEndpointWithModelGardenDeployment",
        "llm",
        location="us-central1",
        deployConfig={
            "dedicatedResources": {
                "machineSpec": {
                    "machineType": "g2-standard-12",
                    "acceleratorType": "NVIDIA_L4",
                    "acceleratorCount": 1,
                },
                "minReplicaCount": 2,
            }
        },
    )
    endpoint = res("gcp:vertex/aiEndpoint:AiEndpoint", "ep", location="us-central1")
    result = run(garden, endpoint)
    node = line(result, "llm", "node-hours")
    assert "2 × g2-standard-12 + 1 × NVIDIA_L4" in node.description
    assert node.monthly_cost_usd is None and "Vertex AI's own rates" in node.reason
    assert [s.resource for s in result.free] == ["ep"] and result.unsupported == []


# -- free types -------------------------------------------------------------------------------------------------


def test_configuration_types_are_free_with_a_reason() -> None:
    result = run(
        res("gcp:sql/user:User", "u"),
        res("gcp:cloudrunv2/serviceIamMember:ServiceIamMember", "invoker"),
        res("gcp:storage/bucketObject:BucketObject", "obj"),
        res("gcp:compute/instanceTemplate:InstanceTemplate", "tpl"),
    )
    assert result.lines == [] and result.unsupported == []
    reasons = {s.resource: s.reason for s in result.free}
    assert "instance is priced" in reasons["u"] and "IAM" in reasons["invoker"]
    assert "priced on the bucket" in reasons["obj"] and "no charge" in reasons["tpl"]


def test_every_type_listed_free_is_a_real_pulumi_gcp_token() -> None:
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


# -- a program planned under the mocks ----------------------------------------------------------------------------


def _program() -> None:
    import pulumi_gcp as gcp

    sql = gcp.sql.DatabaseInstance(
        "orders",
        database_version="POSTGRES_15",
        region="us-central1",
        settings={"tier": "db-custom-1-3840", "disk_size": 20},
    )
    gcp.sql.Database("orders-db", instance=sql.name)
    svc = gcp.cloudrunv2.Service(
        "api",
        location="us-central1",
        template={"containers": [{"image": "us-docker.pkg.dev/cloudrun/container/hello"}]},
    )
    gcp.cloudrunv2.ServiceIamMember(
        "public", name=svc.name, location="us-central1", role="roles/run.invoker", member="allUsers"
    )
    gcp.compute.Disk("scratch", zone="us-central1-a", type="pd-balanced", size=200)
    gcp.compute.Network("net", auto_create_subnetworks=False)


def test_a_program_with_cloud_sql_cloud_run_and_a_disk_is_estimated_line_by_line() -> None:
    graph = plan_program(_program, stack="t", config={"gcp:region": "us-central1", "gcp:project": "p"})
    usage = UsageFile(
        resources={"api": ResourceUsage.model_validate({"instanceSeconds": 50_000, "requestsMillions": 2})}
    )
    result = estimate(graph, CATALOG, usage=usage)
    assert result.unsupported == [], [s.type for s in result.unsupported]
    assert {s.resource for s in result.free} >= {"orders-db", "public", "net"}
    priced = {(ln.resource, ln.unit): ln.monthly_cost_usd for ln in result.lines}
    balanced = CATALOG.storage_price("gcp", "persistent-disk", "pd-balanced", "us-central1")
    assert balanced is not None
    expected = {
        ("orders", "vCPU-hours"): HOURS_PER_MONTH * price("cloud-sql", "enterprise-vcpu-hour"),
        ("orders", "GB-hours"): D("3.75") * HOURS_PER_MONTH * price("cloud-sql", "enterprise-memory-gb-hour"),
        ("api", "vCPU-seconds"): 50_000 * price("cloud-run", "request-vcpu-second"),
        ("api", "GiB-seconds"): D("0.5") * 50_000 * price("cloud-run", "request-memory-gib-second"),
        ("api", "million requests"): 2 * price("cloud-run", "million-requests"),
        ("scratch", "GiB-months"): 200 * balanced.usd_per_gib_month,
    }
    for key, cost in expected.items():
        assert priced.get(key) == pytest.approx(cost), key
    expected[("orders", "GB-months")] = 20 * price("cloud-sql", "pd_ssd-storage-gb-month")
    assert priced[("orders", "GB-months")] == pytest.approx(expected[("orders", "GB-months")])
    assert result.monthly_cost_usd == pytest.approx(sum(expected.values()))
    assert result.unpriced == []


# -- managed instance groups and load balancing --------------------------------------------------------------------

MIG = "gcp:compute/instanceGroupManager:InstanceGroupManager"


def test_a_managed_instance_group_runs_its_templates_machine_type_times_its_size_or_autoscaler_range() -> (
    None
):
    template = res("gcp:compute/instanceTemplate:InstanceTemplate", "tpl", machineType="e2-medium")
    fixed = res(MIG, "web", zone="us-central1-a", versions=[{"instanceTemplate": "tpl-id"}], targetSize=3)
    scaled = res(MIG, "batch", zone="us-central1-a", versions=[{"instanceTemplate": "tpl-id"}])
    scaler = res(
        "gcp:compute/autoscaler:Autoscaler",
        "batch-scaler",
        zone="us-central1-a",
        target="batch-id",
        autoscalingPolicy={"minReplicas": 2, "maxReplicas": 5},
    )
    unsized = res(MIG, "idle", zone="us-central1-a", versions=[{"instanceTemplate": "tpl-id"}])
    result = run(template, fixed, scaled, scaler, unsized)
    offer = CATALOG.offer("e2-medium", "us-central1")
    assert offer is not None and offer.on_demand is not None
    web = line(result, "web", "instance-hours")
    assert web.monthly_cost_usd == 3 * HOURS_PER_MONTH * offer.on_demand
    assert "machine type from its instance template tpl" in web.assumptions
    batch = line(result, "batch", "instance-hours")
    assert batch.monthly_cost_usd == 2 * HOURS_PER_MONTH * offer.on_demand
    assert "autoscaled by batch-scaler: 2 to 5 VMs" in batch.assumptions
    assert "no targetSize" in line(result, "idle", "instance-hours").reason
    assert {s.resource for s in result.free} == {"tpl", "batch-scaler"}
    orphan = run(
        res(MIG, "lost", zone="us-central1-a", versions=[{"instanceTemplate": "gone"}], targetSize=1)
    )
    assert "instance template is not in the plan" in line(orphan, "lost", "instance-hours").reason


def test_a_forwarding_rule_is_priced_per_rule_hour_and_lb_configuration_is_free() -> None:
    result = run(
        res("gcp:compute/globalForwardingRule:GlobalForwardingRule", "fe"),
        res("gcp:compute/backendService:BackendService", "be"),
        res("gcp:compute/uRLMap:URLMap", "map"),
        res("gcp:compute/targetHttpProxy:TargetHttpProxy", "proxy"),
    )
    fe = line(result, "fe", "rule-hours")
    assert fe.quantity == HOURS_PER_MONTH
    assert fe.monthly_cost_usd == HOURS_PER_MONTH * price("cloud-load-balancing", "forwarding-rule-hour")
    assert "the first-five charge: covers up to 5 global forwarding rules (the only one in this plan)" in (
        fe.assumptions
    )
    assert "set dataProcessedGB for fe" in line(result, "fe", "GB processed").reason
    assert {s.resource for s in result.free} == {"be", "map", "proxy"}


FR = "gcp:compute/forwardingRule:ForwardingRule"
GFR = "gcp:compute/globalForwardingRule:GlobalForwardingRule"


def test_the_first_five_forwarding_rules_of_a_region_share_one_charge_and_later_ones_bill_the_additional_rate() -> (
    None
):
    # given out of order: the place of a rule is its URN order within its region, not the program's order
    regional = [res(FR, f"r{i}", region="us-central1") for i in (7, 3, 1, 6, 2, 5, 4)]
    result = run(*regional, res(GFR, "g1"), res(GFR, "g2"), res(FR, "eu", region="europe-west1"))
    first_five = HOURS_PER_MONTH * price("cloud-load-balancing", "forwarding-rule-hour")
    additional = HOURS_PER_MONTH * price("cloud-load-balancing", "forwarding-rule-additional-hour")
    assert additional < first_five

    r1 = line(result, "r1", "rule-hours")
    assert (r1.quantity, r1.monthly_cost_usd) == (HOURS_PER_MONTH, first_five)
    assert r1.description == "Cloud Load Balancing forwarding rule (EXTERNAL)"
    assert "the first-five charge: covers up to 5 forwarding rules in us-central1: also r2, r3, r4, r5" in (
        r1.assumptions
    )
    for name, nth in (("r2", "2nd"), ("r3", "3rd"), ("r4", "4th"), ("r5", "5th")):
        covered = line(result, name, "rule-hours")
        assert (covered.quantity, covered.unit_price_usd, covered.monthly_cost_usd) == (HOURS_PER_MONTH, 0, 0)
        assert (
            covered.description
            == "Cloud Load Balancing forwarding rule (EXTERNAL), in r1's first-five charge"
        )
        assert (
            f"the {nth} of the forwarding rules in us-central1: no charge of its own, the first-five charge on "
            "r1 covers it"
        ) in covered.assumptions
        assert covered.reason == ""
    for name, nth in (("r6", "6th"), ("r7", "7th")):
        extra = line(result, name, "rule-hours")
        assert extra.monthly_cost_usd == additional
        assert extra.description == "Cloud Load Balancing forwarding rule (EXTERNAL), additional rule"
        assert (
            f"the {nth} of the forwarding rules in us-central1: past the 5 that the first-five charge on r1 "
            "covers, billed per additional rule"
        ) in extra.assumptions

    # global rules are counted together, apart from any region's; another region starts its own five
    g1, g2 = line(result, "g1", "rule-hours"), line(result, "g2", "rule-hours")
    assert g1.monthly_cost_usd == first_five and g2.monthly_cost_usd == 0
    assert "the first-five charge: covers up to 5 global forwarding rules: also g2" in g1.assumptions
    eu = line(result, "eu", "rule-hours")
    assert eu.monthly_cost_usd == HOURS_PER_MONTH * price(
        "cloud-load-balancing", "forwarding-rule-hour", "europe-west1"
    )
    assert (
        "the first-five charge: covers up to 5 forwarding rules in europe-west1 (the only one in this plan)"
        in (eu.assumptions)
    )
    hours = [ln for ln in result.lines if ln.unit == "rule-hours"]
    assert len(hours) == 10 and all(ln.reason == "" and ln.unit_price_usd is not None for ln in hours)
    assert sum(ln.monthly_cost_usd or 0 for ln in hours) == 3 * first_five + 2 * additional


def test_forwarding_rules_of_different_projects_each_have_their_own_first_five() -> None:
    result = run(
        res(FR, "a1", region="us-central1", project="alpha"),
        res(FR, "a2", region="us-central1", project="alpha"),
        res(FR, "b1", region="us-central1", project="beta"),
    )
    first_five = HOURS_PER_MONTH * price("cloud-load-balancing", "forwarding-rule-hour")
    assert line(result, "a1", "rule-hours").monthly_cost_usd == first_five
    assert line(result, "a2", "rule-hours").monthly_cost_usd == 0
    assert line(result, "b1", "rule-hours").monthly_cost_usd == first_five


def test_a_pubsub_topic_line_leaves_delivery_to_its_subscriptions_and_names_its_own_retention() -> None:
    result = run(
        res("gcp:pubsub/topic:Topic", "kept", messageRetentionDuration="86400s"),
        res("gcp:pubsub/topic:Topic", "plain"),
    )
    kept, plain = line(result, "kept", "GB ingested"), line(result, "plain", "GB ingested")
    delivery = (
        "each subscription's delivered data and retained acknowledged messages are priced on its own line"
    )
    assert delivery in kept.assumptions and delivery in plain.assumptions
    assert (
        "the topic's own message retention (messageRetentionDuration 86400s) is not priced"
        in kept.assumptions
    )
    assert "the topic retains no messages itself (no messageRetentionDuration)" in plain.assumptions
    assert not [a for ln in result.lines for a in ln.assumptions if "are not priced" in a]


def test_dns_zones_and_secret_versions_are_monthly_and_registries_and_topics_take_usage() -> None:
    result = run(
        res("gcp:dns/managedZone:ManagedZone", "zone"),
        res("gcp:dns/recordSet:RecordSet", "www"),
        res("gcp:secretmanager/secret:Secret", "s"),
        res("gcp:secretmanager/secretVersion:SecretVersion", "v1"),
        res("gcp:secretmanager/secretVersion:SecretVersion", "old", enabled=False),
        res("gcp:artifactregistry/repository:Repository", "images", location="us-central1"),
        res("gcp:pubsub/topic:Topic", "events"),
        images={"storageGiB": 40},
    )
    assert line(result, "zone", "zone-months").monthly_cost_usd == price("cloud-dns", "managed-zone-month")
    assert line(result, "v1", "version-months").monthly_cost_usd == price(
        "secret-manager", "active-version-month"
    )
    assert line(result, "images", "GB-months").monthly_cost_usd == 40 * price(
        "artifact-registry", "storage-gb-month"
    )
    assert "set dataProcessedGB for events" in line(result, "events", "GB ingested").reason
    assert {s.resource for s in result.free} == {"www", "s", "old"}


def test_a_google_native_resource_is_unsupported_and_names_pulumi_gcp() -> None:
    result = run(
        res("google-native:compute/v1:Instance", "vm"),
        res("digitalocean:index/droplet:Droplet", "drop"),
    )
    reasons = {s.resource: s.reason for s in result.unsupported}
    assert reasons["vm"] == (
        "no estimate rule for this resource type: the google-native provider has no rules here; it is "
        "pulumi-google-native, deprecated: the same resource through pulumi-gcp (its `gcp:` type) is estimated"
    )
    assert (
        "pulumi-gcp" not in reasons["drop"] and "no rule prices the digitalocean provider" in reasons["drop"]
    )
    assert result.lines == [] and result.free == []
