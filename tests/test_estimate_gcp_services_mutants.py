"""GCP managed-service rules (estimate/rules/gcp_services.py) seen through `estimate`: Cloud SQL's disk-type
default note and its unpriced extras, memory quantities in bytes and kilobytes, a Cloud Run container
without a memory limit, a v1 service's minimum scale, the 1st gen function tiers' boundaries, persistent
disks sized from a snapshot and their media, a Vector Search index on dedicated machines, spot managed
instance groups, a bad autoscaler maximum, load balancer schemes, Pub/Sub's line, and the free network
and load balancer types. Prices come from the catalog. Written to kill the mutants bench/mutation.py found
alive."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.model import HOURS_PER_MONTH
from aiinfra.estimate.rules.gcp_services import function_tier, memory_gib
from aiinfra.estimate.usage import ResourceUsage, UsageFile

from .conftest import line

D = Decimal
CATALOG = default_catalog()
REGION = "us-central1"
SQL = "gcp:sql/databaseInstance:DatabaseInstance"
RUN_V1 = "gcp:cloudrun/service:Service"
RUN_V2 = "gcp:cloudrunv2/service:Service"
DISK = "gcp:compute/disk:Disk"
MIG = "gcp:compute/instanceGroupManager:InstanceGroupManager"
TEMPLATE = "gcp:compute/instanceTemplate:InstanceTemplate"


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
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config={"gcp:region": REGION})
    file = UsageFile(resources={k: ResourceUsage.model_validate(v) for k, v in usage.items()})
    return estimate(graph, CATALOG, usage=file, usage_path="stacks/usage.t.yaml")


def price(service: str, item: str) -> Decimal:
    row = CATALOG.service_price("gcp", service, item, REGION)
    assert row is not None and row.usd is not None, f"the catalog prices {service} {item}"
    return row.usd


def test_a_sql_disk_names_the_default_type_only_when_none_is_given_and_says_what_is_not_priced() -> None:
    result = run(
        res(SQL, "plain", databaseVersion="MYSQL_8_0", settings={"tier": "db-custom-1-3840", "diskSize": 20}),
        res(
            SQL,
            "typed",
            databaseVersion="MYSQL_8_0",
            settings={"tier": "db-custom-1-3840", "diskSize": 20, "diskType": "PD_SSD"},
        ),
    )
    plain = line(result, "plain", "GB-months")
    assert "no settings.diskType: the default PD_SSD" in plain.assumptions
    assert plain.monthly_cost_usd == 20 * price("cloud-sql", "pd_ssd-storage-gb-month")
    typed = line(result, "typed", "GB-months")
    assert not [a for a in typed.assumptions if a.startswith("no settings.diskType")], typed.assumptions
    assert typed.monthly_cost_usd == plain.monthly_cost_usd
    for unit in ("vCPU-hours", "GB-hours", "GB-months"):
        assert "backups, network egress and the instance's IPv4 address are not priced" in (
            line(result, "typed", unit).assumptions
        )


def test_memory_quantities_without_a_unit_are_bytes_and_k_is_a_thousand() -> None:
    assert memory_gib(str(2**30)) == 1
    assert memory_gib("1073741824") == 1
    assert memory_gib("1000000k") == D(10**9) / D(2**30)
    assert memory_gib("1048576Ki") == 1


def test_a_cloud_run_container_without_a_memory_limit_says_it_gets_512_mib() -> None:
    svc = res(
        RUN_V2, "api", location=REGION, template={"containers": [{"resources": {"limits": {"cpu": "1"}}}]}
    )
    mem = line(run(svc, api={"instanceSeconds": 1000}), "api", "GiB-seconds")
    assert "no resources.limits.memory: Cloud Run's default 512 MiB" in mem.assumptions
    assert mem.quantity == 500
    assert mem.monthly_cost_usd == 500 * price("cloud-run", "request-memory-gib-second")
    sized = res(
        RUN_V2,
        "sized",
        location=REGION,
        template={"containers": [{"resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]},
    )
    own = line(run(sized, sized={"instanceSeconds": 1000}), "sized", "GiB-seconds")
    assert not [a for a in own.assumptions if a.startswith("no resources.limits.memory")], own.assumptions


def test_a_v1_services_minimum_scale_annotation_is_named_in_the_missing_usage_reason() -> None:
    template = {
        "metadata": {"annotations": {"autoscaling.knative.dev/minScale": "2"}},
        "spec": {"containers": [{"resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]},
    }
    result = run(res(RUN_V1, "web", location=REGION, template=template))
    cpu = line(result, "web", "vCPU-seconds")
    assert cpu.monthly_cost_usd is None
    assert cpu.reason.endswith("(at least 2 minimum instances always kept)"), cpu.reason
    plain = {"spec": template["spec"]}
    bare = line(run(res(RUN_V1, "bare", location=REGION, template=plain)), "bare", "vCPU-seconds")
    assert "minimum instance" not in bare.reason


def test_a_first_gen_functions_tier_is_the_smallest_at_least_its_memory() -> None:
    assert function_tier(D(128)) == (D("0.083"), D("0.2"))
    assert function_tier(D(129)) == (D("0.167"), D("0.4"))
    assert function_tier(D(512)) == (D("0.333"), D("0.8"))
    assert function_tier(D(513)) == (D("0.583"), D("1.4"))
    assert function_tier(D(8192)) == (D(2), D("4.8"))


def test_a_disk_from_a_snapshot_without_a_size_names_the_snapshot_and_a_sized_disk_its_size() -> None:
    result = run(
        res(DISK, "restored", zone="us-central1-a", snapshot="snap-1"),
        res(DISK, "blank", zone="us-central1-a", type="pd-ssd"),
        res(DISK, "data", zone="us-central1-a", type="pd-ssd", size=100),
    )
    restored = line(result, "restored", "GiB-months")
    assert restored.reason == "no size: the disk takes its image's or snapshot's size; set size"
    assert restored.description == "pd-standard persistent disk"
    assert line(result, "blank", "GiB-months").reason == "no size on the disk; set size (GB)"
    assert line(result, "data", "GiB-months").description == "pd-ssd persistent disk: 100 GB"


def test_a_pd_standard_disk_draws_hdd_power_and_a_pd_ssd_disk_ssd_power() -> None:
    result = run(
        res(DISK, "hdd", zone="us-central1-a", type="pd-standard", size=1000),
        res(DISK, "ssd", zone="us-central1-a", type="pd-ssd", size=1000),
    )
    hdd, ssd = CATALOG.storage_power("hdd"), CATALOG.storage_power("ssd")
    assert hdd is not None and ssd is not None and hdd.w_per_tb != ssd.w_per_tb
    assert f"{hdd.w_per_tb} W/TB (hdd)" in line(result, "hdd", "GiB-months").energy_detail
    assert f"{ssd.w_per_tb} W/TB (ssd)" in line(result, "ssd", "GiB-months").energy_detail


def test_a_vector_search_index_on_dedicated_machines_names_them_and_why_it_is_unpriced() -> None:
    token = "gcp:vertex/aiIndexEndpointDeployedIndex:AiIndexEndpointDeployedIndex"
    result = run(
        res(
            token,
            "idx",
            dedicatedResources={"machineSpec": {"machineType": "e2-standard-16"}, "minReplicaCount": 2},
        ),
        res(token, "auto"),
    )
    idx = line(result, "idx", "node-hours")
    assert idx.description == "Vertex AI Vector Search deployed index: 2 × e2-standard-16"
    assert idx.reason == "Vector Search serving nodes are billed per node-hour; no price in the catalog"
    assert idx.monthly_cost_usd is None
    auto = line(result, "auto", "node-hours")
    assert auto.description == "Vertex AI Vector Search deployed index (automatic resources)"


def test_a_group_whose_template_is_spot_or_preemptible_runs_spot_vms() -> None:
    spot = res(TEMPLATE, "spot", machineType="e2-medium", scheduling={"provisioningModel": "SPOT"})
    old = res(TEMPLATE, "old", machineType="e2-medium", scheduling={"preemptible": True})
    std = res(TEMPLATE, "std", machineType="e2-medium", scheduling={"provisioningModel": "STANDARD"})
    groups = [
        res(
            MIG,
            f"g-{t.name}",
            zone="us-central1-a",
            versions=[{"instanceTemplate": f"{t.name}-id"}],
            targetSize=2,
        )
        for t in (spot, old, std)
    ]
    result = run(spot, old, std, *groups)
    offer = CATALOG.offer("e2-medium", REGION)
    assert offer is not None and offer.spot is not None and offer.on_demand is not None
    for name in ("g-spot", "g-old"):
        hours = line(result, name, "instance-hours")
        assert hours.purchase_option == "spot"
        assert hours.monthly_cost_usd == 2 * HOURS_PER_MONTH * offer.spot
    assert line(result, "g-std", "instance-hours").purchase_option == "on_demand"


def test_an_autoscaler_maximum_that_is_not_a_whole_number_is_named_by_its_input_path() -> None:
    template = res(TEMPLATE, "tpl", machineType="e2-medium")
    group = res(MIG, "batch", zone="us-central1-a", versions=[{"instanceTemplate": "tpl-id"}])
    scaler = res(
        "gcp:compute/autoscaler:Autoscaler",
        "scaler",
        zone="us-central1-a",
        target="batch-id",
        autoscalingPolicy={"minReplicas": 1, "maxReplicas": 2.5},
    )
    result = run(template, group, scaler)
    assert [m for m in result.invalid_inputs if "autoscalingPolicy.maxReplicas" in m], result.invalid_inputs


def test_a_forwarding_rule_names_its_load_balancing_scheme() -> None:
    result = run(
        res("gcp:compute/forwardingRule:ForwardingRule", "ilb", loadBalancingScheme="internal_managed"),
        res("gcp:compute/forwardingRule:ForwardingRule", "ext"),
    )
    assert line(result, "ilb", "rule-hours").description == (
        "Cloud Load Balancing forwarding rule (INTERNAL_MANAGED), in ext's first-five charge"
    )
    assert line(result, "ext", "rule-hours").description == "Cloud Load Balancing forwarding rule (EXTERNAL)"


def test_a_pubsub_topic_is_priced_by_the_message_data_published() -> None:
    result = run(res("gcp:pubsub/topic:Topic", "events"), events={"dataProcessedGB": 50})
    published = line(result, "events", "GB ingested")
    assert published.description == "Pub/Sub message data published"
    assert published.quantity == 50


def test_health_checks_endpoint_groups_attached_disks_and_backend_buckets_are_free() -> None:
    result = run(
        res("gcp:compute/healthCheck:HealthCheck", "hc"),
        res("gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup", "neg"),
        res("gcp:compute/attachedDisk:AttachedDisk", "att"),
        res("gcp:compute/backendBucket:BackendBucket", "bb"),
    )
    assert result.lines == [] and result.unsupported == []
    reasons = {s.resource: s.reason for s in result.free}
    assert reasons["hc"] == reasons["neg"] == "networking configuration: no charge"
    assert reasons["att"].startswith("Compute Engine configuration: no charge")
    assert reasons["bb"] == "load balancer configuration: no charge (forwarding rules are priced)"


def test_a_group_naming_its_template_by_the_templates_real_id_finds_it_among_several() -> None:
    long_id = "projects/p/global/instanceTemplates/gpu-20261204"
    gpu = PlannedResource(
        type=TEMPLATE,
        name="gpu",
        urn=f"urn:pulumi:t::p::{TEMPLATE}::gpu",
        parent=None,
        inputs={"machineType": "n2-standard-8"},
        custom=True,
        id=long_id,
    )
    cpu = res(TEMPLATE, "cpu", machineType="e2-medium")
    group = res(MIG, "web", zone="us-central1-a", versions=[{"instanceTemplate": long_id}], targetSize=2)
    hours = line(run(gpu, cpu, group), "web", "instance-hours")
    offer = CATALOG.offer("n2-standard-8", REGION)
    assert offer is not None and offer.on_demand is not None
    assert hours.monthly_cost_usd == 2 * HOURS_PER_MONTH * offer.on_demand
    assert "machine type from its instance template gpu" in hours.assumptions


def test_bad_counts_are_refused_naming_the_annotation_or_the_input_path_they_came_from() -> None:
    result = run(
        res(
            RUN_V1,
            "web",
            location=REGION,
            template={
                "metadata": {"annotations": {"autoscaling.knative.dev/minScale": "2.5"}},
                "spec": {"containers": [{}]},
            },
        ),
        res(
            "gcp:vertex/aiIndexEndpointDeployedIndex:AiIndexEndpointDeployedIndex",
            "idx",
            dedicatedResources={"machineSpec": {"machineType": "e2-standard-16"}, "minReplicaCount": 2.5},
        ),
    )
    assert result.invalid_inputs == [
        "web (gcp:cloudrun/service:Service): autoscaling.knative.dev/minScale = '2.5' is not a whole number; "
        "give a whole number from 0 to 100,000",
        "idx (gcp:vertex/aiIndexEndpointDeployedIndex:AiIndexEndpointDeployedIndex): "
        "dedicatedResources.minReplicaCount = 2.5 is not a whole number; give a whole number from 0 to 100,000",
    ]
