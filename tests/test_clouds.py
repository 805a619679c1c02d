"""The cloud profiles (`aiinfra.clouds`) as pure functions: registry, what each cloud builds, where a
resource lives, each cloud's own spec checks, offline-plan invokes and committed spend."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any

import pytest

from aiinfra import clouds
from aiinfra.catalog import default_catalog
from aiinfra.catalog.model import CLOUDS
from aiinfra.clouds import aws, azure, gcp

AWS, GCP, AZURE = clouds.get("aws"), clouds.get("gcp"), clouds.get("azure")
CRG = (
    "/subscriptions/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/resourceGroups/gpu-rg/providers/"
    "Microsoft.Compute/capacityReservationGroups/nd-h100"
)


@dataclass(frozen=True)
class Machine:
    name: str = "p5.48xlarge"
    on_demand: bool = True


@dataclass(frozen=True)
class Store:
    kind: str
    capacity_gib: int | None = None
    throughput_mbps_per_tib: int | None = None


@dataclass(frozen=True)
class Res:
    type: str
    name: str
    inputs: dict[str, Any] = field(default_factory=dict)


def fields(problems: list[clouds.Problem]) -> list[str]:
    return [p.field for p in problems]


# -- registry ----------------------------------------------------------------------------------------------


def test_the_registry_lists_the_three_clouds_in_a_fixed_order_and_the_catalog_agrees() -> None:
    assert clouds.names() == ("aws", "gcp", "azure"), "every profile module registers its cloud once"
    assert tuple(CLOUDS) == clouds.names(), "catalog.model.CLOUDS (catalog cannot import clouds) must match"


def test_an_unknown_cloud_name_fails_and_lists_the_known_ones() -> None:
    with pytest.raises(KeyError, match="aws, gcp, azure"):
        clouds.get("oracle")


@pytest.mark.parametrize(
    ("token", "cloud"),
    [
        ("aws:ec2/vpc:Vpc", "aws"),
        ("pulumi:providers:aws", "aws"),
        ("gcp:container/nodePool:NodePool", "gcp"),
        ("gcp:compute/getZones:getZones", "gcp"),
        ("azure-native:containerservice:AgentPool", "azure"),
        ("azure:compute/linuxVirtualMachine:LinuxVirtualMachine", "azure"),
        ("kubernetes:helm.sh/v3:Release", None),
        ("pulumi:providers:kubernetes", None),
    ],
)
def test_a_type_token_belongs_to_the_cloud_that_owns_its_package(token: str, cloud: str | None) -> None:
    profile = clouds.for_type(token)
    assert (profile.name if profile else None) == cloud, f"{token} belongs to {cloud}"


def test_the_profiles_import_no_pulumi_sdk() -> None:
    code = (
        "import sys; from aiinfra import clouds; clouds.profiles(); "
        "bad = sorted(m for m in sys.modules if m.startswith(('pulumi', 'aiinfra.spec', 'aiinfra.components', "
        "'aiinfra.engine'))); print(bad); sys.exit(1 if bad else 0)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert run.returncode == 0, f"aiinfra.clouds must stay pure (no pulumi, spec, components): {run.stdout}"


# -- what each cloud builds --------------------------------------------------------------------------------


def test_aws_builds_clusters_and_refuses_tpu_topology_and_a_separate_parallel_file_system() -> None:
    assert AWS.why_not("cluster") is None, "AWS clusters are built"
    assert "kind: lustre" in (AWS.why_not("storage:parallel") or ""), "FSx for Lustre is AWS's parallel FS"
    assert "TPUs exist only on GCP" in (AWS.why_not("topology") or "")
    assert AWS.why_not("storage:object") is None and AWS.why_not("storage:lustre") is None


@pytest.mark.parametrize("name", ["aws", "gcp", "azure"])
def test_every_cloud_builds_clusters_through_its_own_entry_point(name: str) -> None:
    import importlib

    profile = clouds.get(name)
    assert profile.why_not("cluster") is None, name
    module, _, function = profile.component.partition(":")
    assert callable(getattr(importlib.import_module(module), function)), profile.component


def test_aws_builds_local_zone_wavelength_and_outpost_sites_through_its_edge_component() -> None:
    assert AWS.why_not("edge-sites") is None, "AWS edge sites are built"
    assert AWS.edge_kinds == ("local-zone", "wavelength", "outpost")
    assert AWS.edge_component == "aiinfra.components.aws.edge_site:declare"


@pytest.mark.parametrize(
    ("location", "kind"),
    [
        ("us-west-2-lax-1a", "local-zone"),
        ("us-east-1-qro-1a", "local-zone"),
        ("us-east-1-wl1-bos-wlz-1", "wavelength"),
        ("arn:aws:outposts:us-west-2:123456789012:outpost/op-0123456789abcdef0", "outpost"),
        ("us-west-2a", None),
        ("losangeles", None),
    ],
)
def test_the_kind_of_an_aws_edge_site_follows_from_its_location(location: str, kind: str | None) -> None:
    assert AWS.edge_kind(location) == kind, f"{location} names a {kind}"


@pytest.mark.parametrize("name", ["aws", "gcp", "azure"])
def test_each_clouds_default_system_machine_is_a_cpu_machine_the_catalog_sells(name: str) -> None:
    catalog = default_catalog()
    machine = catalog.instance_type(clouds.get(name).default_system_machine, cloud=name)
    assert machine.accelerator is None, f"{machine.name}: the system pool runs no GPU"
    assert catalog.offers(instance_type=machine.name), f"{machine.name} must have a price somewhere"


def test_fabrics_and_zone_naming_are_the_clouds_own() -> None:
    assert (AWS.fabric, GCP.fabric, AZURE.fabric) == ("EFA", "GPUDirect", "InfiniBand")
    assert AWS.zones_per_account and not GCP.zones_per_account and not AZURE.zones_per_account, (
        "only AWS zone names map to different places per account"
    )


# -- where a resource lives ------------------------------------------------------------------------------


def test_aws_region_comes_from_the_resource_then_its_provider_then_the_config() -> None:
    config = {"aws:region": "us-west-2"}
    assert AWS.region({"region": "eu-west-1"}, {"region": "us-east-2"}, config) == "eu-west-1"
    assert AWS.region({}, {"region": "us-east-2"}, config) == "us-east-2"
    assert AWS.region({}, None, config) == "us-west-2"
    assert AWS.region({}, None, {"gcp:region": "us-central1"}) is None, "another cloud's config is not AWS's"


def test_gcp_region_reads_a_zone_as_its_region_from_inputs_provider_or_config() -> None:
    assert GCP.region({"location": "us-central1-a"}) == "us-central1", "a zonal location is in its region"
    assert GCP.region({"location": "europe-west4"}) == "europe-west4"
    assert GCP.region({}, {"zone": "us-east5-b"}) == "us-east5"
    assert GCP.region({}, {}, {"gcp:region": "asia-northeast1"}) == "asia-northeast1"
    # pulumi/examples gcp-py-webserver sets only gcp:zone: the provider derives the region from it
    assert GCP.region({}, {}, {"gcp:zone": "europe-west1-b"}) == "europe-west1"
    both = {"gcp:region": "asia-northeast1", "gcp:zone": "europe-west1-b"}
    assert GCP.region({}, {}, both) == "asia-northeast1", "the region key wins over the zone's region"
    assert GCP.region({}, {}, {"gcp:zone": ""}) is None
    assert AWS.region({}, None, {"gcp:zone": "europe-west1-b"}) is None, "another cloud's zone is not AWS's"
    assert GCP.zone({"location": "us-central1-a"}) == "us-central1-a"
    assert GCP.zone({"location": "us-central1"}) is None, "a region is not a zone"


def test_azure_region_is_the_location_as_the_catalog_spells_it() -> None:
    assert AZURE.region({"location": "East US 2"}) == "eastus2"
    assert AZURE.region({}, {"location": "westus3"}) == "westus3"
    assert AZURE.region({}, {}, {"azure-native:location": "Sweden Central"}) == "swedencentral"
    assert AZURE.zone({"availabilityZones": ["2"]}) == "2"
    # the classic provider's default location (pulumi/examples classic-azure-py-vm-scaleset: azure:location)
    assert AZURE.region({}, {}, {"azure:location": "WestUS"}) == "westus"
    both = {"azure-native:location": "eastus", "azure:location": "WestUS"}
    assert AZURE.region({}, {}, both) == "eastus", "azure-native's own key first"
    assert AZURE.config_env["azure:location"] == ("ARM_LOCATION",)


def test_aws_zone_is_the_availability_zone_input() -> None:
    assert AWS.zone({"availabilityZone": "us-east-1b"}) == "us-east-1b"
    assert AWS.zone({"cidrBlock": "10.0.0.0/16"}) is None


# -- AWS checks ----------------------------------------------------------------------------------------------


def test_aws_capacity_reservations_need_a_cr_id() -> None:
    assert AWS.capacity_problems("reservation", "cr-0a1b2c3d4e5f67890", Machine()) == []
    missing = AWS.capacity_problems("capacity-block", None, Machine())
    assert fields(missing) == ["reservation"] and "cr-..." in missing[0].fix
    bad = AWS.capacity_problems("reservation", "crg-123", Machine())
    assert bad[0].message == "'crg-123' is not an EC2 capacity reservation ID."


def test_aws_refuses_on_demand_for_a_machine_sold_only_as_capacity_blocks() -> None:
    problems = AWS.capacity_problems("spot", None, Machine("p5e.48xlarge", on_demand=False))
    assert fields(problems) == ["capacity"]
    assert "sold only as EC2 Capacity Blocks for ML, not spot" in problems[0].message


def test_a_reservation_without_reserved_capacity_is_refused_on_every_cloud() -> None:
    for profile in (AWS, GCP, AZURE):
        problems = profile.capacity_problems("on-demand", "anything", Machine())
        assert fields(problems) == ["capacity"], profile.name
        assert problems[0].message == "a reservation is given but capacity is on-demand.", profile.name


def test_aws_lustre_takes_persistent_2_sizes_and_tiers() -> None:
    assert AWS.storage_problems(Store("lustre", 4800, 250)) == []
    assert AWS.storage_problems(Store("lustre", 1200)) == []
    problems = AWS.storage_problems(Store("lustre", 1000, 300))
    assert fields(problems) == ["capacityGiB", "throughputMBpsPerTiB"]
    assert problems[0].message.endswith("Nearest: 1200 or 2400.")
    assert problems[1].fix == "Use one of 125, 250, 500, 1000."
    assert fields(AWS.storage_problems(Store("lustre"))) == ["capacityGiB"], "a Lustre size is required"


# -- GCP checks ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["a3-ultra-1", "r", "projects/my-project/reservations/shared-h100", "a" * 63]
)
def test_gcp_takes_rfc1035_reservation_names_and_shared_reservation_paths(name: str) -> None:
    assert gcp.reservation_problem(name) is None, name
    assert GCP.capacity_problems("reservation", name, Machine("a3-highgpu-8g")) == []


@pytest.mark.parametrize(
    "name", ["A3-Ultra", "1reservation", "ends-with-", "a" * 64, "cr-0a1b2c3d4e5f67890_"]
)
def test_gcp_refuses_what_is_not_a_reservation_name(name: str) -> None:
    problems = GCP.capacity_problems("reservation", name, Machine("a3-highgpu-8g"))
    assert fields(problems) == ["reservation"], name
    assert "not a GCP reservation name" in problems[0].message


def test_gcp_capacity_blocks_are_dynamic_workload_scheduler_and_take_no_reservation() -> None:
    assert GCP.capacity_problems("capacity-block", None, Machine("a3-megagpu-8g")) == []
    problems = GCP.capacity_problems("capacity-block", "my-res", Machine("a3-megagpu-8g"))
    assert fields(problems) == ["reservation"] and "Dynamic Workload Scheduler" in problems[0].message
    missing = GCP.capacity_problems("reservation", None, Machine("a3-megagpu-8g"))
    assert fields(missing) == ["reservation"] and "gcloud compute reservations list" in missing[0].fix


def test_gcp_machines_sold_only_through_reservations_refuse_other_capacity() -> None:
    problems = GCP.capacity_problems("on-demand", None, Machine("a3-ultragpu-8g", on_demand=False))
    assert fields(problems) == ["capacity"] and "only through reservations" in problems[0].message


@pytest.mark.parametrize(
    ("size", "ok"),
    [(12_000, True), (16_000, True), (100_000, True), (14_000, False), (8_000, False), (104_000, False)],
)
def test_parallelstore_takes_12000_to_100000_gib_in_4000_gib_steps(size: int, ok: bool) -> None:
    problems = GCP.storage_problems(Store("parallel", size))
    assert (problems == []) is ok, f"{size} GiB: {problems}"


def test_a_parallelstore_size_between_steps_suggests_both_neighbours() -> None:
    problems = GCP.storage_problems(Store("parallel", 14_000))
    assert problems[0].message.endswith("Nearest: 12000 or 16000."), problems[0].message
    assert GCP.storage_problems(Store("parallel"))[0].fix == "Set capacityGiB: 12000."


@pytest.mark.parametrize(
    ("tier", "size", "ok"),
    [
        ("ZONAL", 1024, True),
        ("ZONAL", 1280, True),
        ("ZONAL", 1000, False),
        ("ZONAL", 1100, False),
        ("ZONAL", 12_800, True),
        ("ZONAL", 11_000, False),
        ("BASIC_SSD", 2048, False),
        ("BASIC_SSD", 2560, True),
        ("BASIC_HDD", 1024, True),
        ("ENTERPRISE", 20_480, False),
    ],
)
def test_filestore_sizes_start_at_each_tiers_minimum(tier: str, size: int, ok: bool) -> None:
    assert (gcp.filestore_size_problem(size, tier) is None) is ok, f"{tier} {size} GiB"


def test_gcp_file_storage_is_checked_against_the_zonal_tier_and_managed_lustre_tiers() -> None:
    problems = GCP.storage_problems(Store("file", 500))
    assert fields(problems) == ["capacityGiB"] and "Filestore ZONAL" in problems[0].message
    lustre = GCP.storage_problems(Store("lustre", 72_000, 300))
    assert fields(lustre) == ["throughputMBpsPerTiB"] and lustre[0].fix == "Use one of 125, 250, 500, 1000."


# -- Azure checks --------------------------------------------------------------------------------------------


def test_azure_reservations_are_capacity_reservation_group_ids() -> None:
    assert AZURE.capacity_problems("reservation", CRG, Machine("Standard_ND96isr_H100_v5")) == []
    bad = AZURE.capacity_problems("reservation", "cr-0a1b2c3d4e5f67890", Machine())
    assert fields(bad) == ["reservation"]
    assert bad[0].message == "'cr-0a1b2c3d4e5f67890' is not an Azure capacity reservation group ID."
    missing = AZURE.capacity_problems("reservation", None, Machine())
    assert fields(missing) == ["reservation"] and "capacityReservationGroups" in missing[0].fix


def test_azure_offers_no_capacity_blocks() -> None:
    problems = AZURE.capacity_problems("capacity-block", CRG, Machine())
    assert fields(problems) == ["capacity"] and "capacity-block" in problems[0].message


@pytest.mark.parametrize(
    ("size", "throughput", "ok"),
    [
        (8192, 250, True),
        (8192, None, True),
        (4096, 500, True),
        (49_152, 40, True),
        (4096, 250, False),
        (8000, 250, False),
        (163_840, 125, False),
    ],
)
def test_amlfs_sizes_follow_the_sku_of_the_throughput(size: int, throughput: int | None, ok: bool) -> None:
    problems = AZURE.storage_problems(Store("lustre", size, throughput))
    assert (problems == []) is ok, f"{size} GiB at {throughput}: {problems}"


def test_amlfs_refuses_a_throughput_no_sku_has_and_asks_for_a_size() -> None:
    problems = AZURE.storage_problems(Store("lustre", None, 300))
    assert fields(problems) == ["capacityGiB", "throughputMBpsPerTiB"]
    assert problems[1].fix == "Use one of 40, 125, 250, 500."
    assert azure.amlfs_size_problem(4096, 250) is not None, "8 TiB is the 250 SKU's minimum"


# -- offline invokes -------------------------------------------------------------------------------------------


def test_aws_invokes_answer_zones_of_the_region_asked() -> None:
    zones = AWS.invoke("aws:index/getAvailabilityZones:getAvailabilityZones", {}, "eu-west-1")
    assert zones is not None and zones["names"] == ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    assert AWS.invoke("aws:ec2/getVpc:getVpc", {}, "us-east-1") is None, "an unknown invoke has no answer"


def test_gcp_invokes_answer_client_config_zones_and_project() -> None:
    config = GCP.invoke("gcp:organizations/getClientConfig:getClientConfig", {}, "us-east5")
    assert config is not None and (config["region"], config["zone"]) == ("us-east5", "us-east5-a")
    zones = GCP.invoke("gcp:compute/getZones:getZones", {"region": "europe-west4"}, "us-central1")
    assert zones is not None and zones["names"] == ["europe-west4-a", "europe-west4-b", "europe-west4-c"]
    project = GCP.invoke("gcp:organizations/getProject:getProject", {"projectId": "p-1"}, "us-central1")
    assert project is not None and project["projectId"] == "p-1" and project["number"]


def test_azure_invoke_answers_the_client_config() -> None:
    answer = AZURE.invoke("azure-native:authorization:getClientConfig", {}, "eastus")
    assert answer is not None and set(answer) == {"clientId", "objectId", "subscriptionId", "tenantId"}


def test_the_offline_plan_answers_each_clouds_invokes_in_its_own_default_region() -> None:
    import pulumi

    from aiinfra.engine.plan import plan_program

    seen: dict[str, Any] = {}

    def program() -> None:
        seen["gcp"] = pulumi.runtime.invoke("gcp:compute/getZones:getZones", {}).value
        seen["azure"] = pulumi.runtime.invoke("azure-native:authorization:getClientConfig", {}).value

    plan_program(program, stack="t", config={"gcp:region": "asia-northeast1"})
    assert seen["gcp"]["names"][0] == "asia-northeast1-a", "GCP look-ups run in gcp:region"
    assert seen["azure"]["tenantId"], "Azure's client config is answered"


def test_an_unmocked_invoke_names_it_and_does_not_send_the_user_into_our_code() -> None:
    import pulumi

    from aiinfra.engine.mocks import UnmockedInvokeError
    from aiinfra.engine.plan import plan_program

    with pytest.raises(UnmockedInvokeError) as caught:
        plan_program(
            lambda: pulumi.runtime.invoke("gcp:compute/getNoSuchThing:getNoSuchThing", {}) and None, stack="t"
        )
    assert "gcp:compute/getNoSuchThing:getNoSuchThing" in str(caught.value)
    assert "aiinfra" not in str(caught.value) and "pulumi preview" in str(caught.value)


# -- committed spend ---------------------------------------------------------------------------------------


def test_aws_names_capacity_blocks_reservations_and_zone_opt_ins() -> None:
    lines = AWS.committed_spend(
        [
            Res("aws:eks/nodeGroup:NodeGroup", "h200", {"capacityType": "CAPACITY_BLOCK"}),
            Res(
                "aws:ec2/launchTemplate:LaunchTemplate",
                "lt",
                {
                    "capacityReservationSpecification": {
                        "capacityReservationTarget": {"capacityReservationId": "cr-1"}
                    }
                },
            ),
            Res(
                "aws:ec2/availabilityZoneGroup:AvailabilityZoneGroup", "lz", {"groupName": "us-east-1-nyc-1"}
            ),
            Res("aws:eks/nodeGroup:NodeGroup", "plain", {"capacityType": "ON_DEMAND"}),
        ]
    )
    assert len(lines) == 3, lines
    assert "node group h200" in lines[0] and "cr-1 (lt)" in lines[1] and "us-east-1-nyc-1" in lines[2]
    assert "leaves the account opted in" in lines[2] and "AWS Support" in lines[2], (
        "destroy says opt-in stays"
    )


def test_gcp_and_azure_name_commitments_destroy_cannot_cancel() -> None:
    gcp_lines = GCP.committed_spend(
        [
            Res("gcp:compute/regionCommitment:RegionCommitment", "cud", {"plan": "TWELVE_MONTH"}),
            Res("gcp:x:Y", "n"),
        ]
    )
    assert len(gcp_lines) == 1 and "TWELVE_MONTH (cud)" in gcp_lines[0]
    azure_lines = AZURE.committed_spend([Res("azure-native:billingbenefits:ReservationOrderAlias", "ri")])
    assert len(azure_lines) == 1 and "reservation ri" in azure_lines[0]
    assert AWS.committed_spend([Res("gcp:compute/regionCommitment:RegionCommitment", "cud")]) == [], (
        "each profile speaks only for its own types"
    )


def test_destroy_lists_the_committed_spend_of_every_cloud_in_the_graph() -> None:
    from aiinfra.cli.deploy import _spend_destroy_cannot_remove
    from aiinfra.engine.graph import PlannedResource, ResourceGraph

    def planned(type_: str, name: str, inputs: dict[str, Any]) -> PlannedResource:
        return PlannedResource(
            type=type_, name=name, urn=f"urn:{name}", parent=None, inputs=inputs, custom=True
        )

    graph = ResourceGraph(
        stack="s",
        project="p",
        resources=[
            planned("aws:eks/nodeGroup:NodeGroup", "h200", {"capacityType": "CAPACITY_BLOCK"}),
            planned("gcp:compute/regionCommitment:RegionCommitment", "cud", {"plan": "THIRTY_SIX_MONTH"}),
        ],
    )
    lines = _spend_destroy_cannot_remove(graph)
    assert len(lines) == 2 and "h200" in lines[0] and "cud" in lines[1], lines


# -- shared helpers ------------------------------------------------------------------------------------------


def test_the_aws_lustre_facts_are_the_ones_the_components_use() -> None:
    from aiinfra.components.aws import lustre

    assert lustre.LUSTRE_DEFAULT_THROUGHPUT == aws.LUSTRE_DEFAULT_THROUGHPUT
    assert lustre.lustre_size_problem is aws.lustre_size_problem, "one definition of the sizes"


# -- the stack uses the profile ------------------------------------------------------------------------------


def _system_types(system_instance_type: str | None) -> list[str]:
    import json

    from aiinfra.components.stack import run_program
    from aiinfra.engine.plan import plan_program
    from aiinfra.spec.loader import read_stack_config, stack_file

    config = read_stack_config(stack_file("example"))
    clusters = config["aiinfra:clusters"]
    clusters = json.loads(clusters) if isinstance(clusters, str) else clusters
    if system_instance_type is not None:
        clusters = [{**clusters[0], "systemInstanceType": system_instance_type}]
    graph = plan_program(run_program, stack="example", config={**config, "aiinfra:clusters": clusters})
    return graph.get("aws:eks/nodeGroup:NodeGroup", "train-system").inputs["instanceTypes"]


@pytest.mark.slow
def test_the_system_pool_is_the_profiles_default_unless_the_spec_names_one() -> None:
    assert _system_types(None) == [AWS.default_system_machine], "unset: the cloud's default system machine"
    assert _system_types("m7i.2xlarge") == ["m7i.2xlarge"], "a spec's systemInstanceType wins"


def test_every_clouds_cluster_exports_the_same_keys_as_before() -> None:
    from aiinfra.components.outputs import ClusterOutputs

    out = ClusterOutputs("aws", "us-east-1", "train-eks", "us-east-1a", component=None).export()
    assert list(out) == ["cloud", "region", "clusterName", "interconnectZone"], (
        "stack outputs keep their keys"
    )
    assert AWS.component == "aiinfra.components.aws.gpu_cluster:declare", "AWS's entry point"


@pytest.mark.parametrize(
    ("cloud", "region", "machine", "fabric"),
    [
        ("aws", "us-east-1", "g6e.xlarge", "EFA"),
        ("gcp", "us-central1", "g2-standard-48", "GPUDirect-TCPX or GPUDirect-TCPXO or GPUDirect-RDMA"),
        ("azure", "eastus", "Standard_NC80adis_H100_v5", "InfiniBand"),
    ],
)
def test_the_catalog_names_the_missing_fabric_from_its_own_rows(
    cloud: str, region: str, machine: str, fabric: str
) -> None:
    from aiinfra.catalog import CatalogLookupError

    with pytest.raises(CatalogLookupError) as caught:
        default_catalog().resolve(cloud=cloud, region=region, instance_type=machine, interconnect=True)
    assert f"not offered with {fabric}," in caught.value.message, caught.value.message


def test_the_spec_validator_reports_gcps_own_problems_with_full_paths() -> None:
    from aiinfra.spec import SpecError, parse_spec

    assert GCP.why_not("cluster") is None, "GCP clusters are built"
    doc = {
        "clusters": [
            {
                "name": "tpu",
                "cloud": "gcp",
                "region": "us-central1",
                "project": "my-ml-project",
                "nodePools": [
                    {"name": "h100", "accelerator": "H100", "capacity": "capacity-block", "reservation": "r1"}
                ],
                "storage": [{"name": "scratch", "kind": "parallel", "capacityGiB": 14000}],
            }
        ]
    }
    with pytest.raises(SpecError) as caught:
        parse_spec(doc, default_catalog())
    paths = [i.path for i in caught.value.issues]
    assert paths == ["clusters[0].nodePools[0].reservation", "clusters[0].storage[0].capacityGiB"], paths
    assert "Dynamic Workload Scheduler" in caught.value.issues[0].message
