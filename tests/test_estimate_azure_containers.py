"""Azure Container Instances and Container Apps rules (estimate/rules/azure_containers.py): what a container
group requests by OS, kind and GPU, and for how long; a container app's active and idle replica-seconds and
requests on the Consumption plan; dedicated workload profiles on the environment. Prices come from the
shipped catalog, never hard-coded; an unpriced line says why and names the fix."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aiinfra.catalog import default_catalog
from aiinfra.cli.main import app as cli
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.inputs import BadNumber
from aiinfra.estimate.model import HOURS_PER_MONTH, Line
from aiinfra.estimate.rules.azure_containers import FREE_GRANT, SECONDS_PER_MONTH, memory_gib, replica_seconds
from aiinfra.estimate.usage import ResourceUsage, UsageFile
from tests.conftest import line

D = Decimal
CATALOG = default_catalog()
GROUP = "azure-native:containerinstance:ContainerGroup"
APP = "azure-native:app:ContainerApp"
ENV = "azure-native:app:ManagedEnvironment"


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


def run(*resources: PlannedResource, region: str | None = "centralus", **usage: dict[str, Any]) -> Estimate:
    config = {"azure-native:location": region} if region else {}
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config=config)
    file = UsageFile(resources={k: ResourceUsage.model_validate(v) for k, v in usage.items()})
    return estimate(graph, CATALOG, usage=file, usage_path="stacks/usage.t.yaml")


def price(service: str, item: str, region: str = "centralus") -> Decimal:
    row = CATALOG.service_price("azure", service, item, region)
    assert row is not None and row.usd is not None, f"the catalog prices {service} {item} in {region}"
    return row.usd


def lines_of(result: Estimate, resource: str) -> list[Line]:
    return [ln for ln in result.lines if ln.resource == resource]


def container(cpu: Any, memory: Any, **gpu: Any) -> dict[str, Any]:
    requests: dict[str, Any] = {"cpu": cpu, "memoryInGB": memory}
    if gpu:
        requests["gpu"] = gpu
    return {"name": "c", "image": "nginx", "resources": {"requests": requests}}


# -- Container Instances -----------------------------------------------------------------------------------------


def test_a_linux_group_is_its_containers_summed_requests_all_month_by_default() -> None:
    result = run(res(GROUP, "g", osType="Linux", containers=[container(1, 1.5), container(0.5, 2)]))
    cpu, memory = line(result, "g", "vCPU-hours"), line(result, "g", "GB-hours")
    assert cpu.quantity == D("1.5") * HOURS_PER_MONTH and memory.quantity == D("3.5") * HOURS_PER_MONTH
    assert "1.5 vCPU" in cpu.description and "3.5 GB memory" in memory.description
    assert "runs all month (restartPolicy Always, the default)" in cpu.assumptions[0]
    # no citable ACI price was read: unpriced, naming the row to add, never $0
    assert cpu.monthly_cost_usd is None and "item: linux-vcpu-hour" in cpu.reason
    assert "item: linux-gb-hour" in memory.reason
    assert [ln.unit for ln in lines_of(result, "g")] == ["vCPU-hours", "GB-hours"], "no GPU or Windows line"


def test_a_groups_hours_come_from_the_usage_file_and_a_run_to_completion_group_needs_them() -> None:
    result = run(
        res(GROUP, "timed", osType="Linux", containers=[container(2, 4)]),
        res(GROUP, "job", osType="Linux", restartPolicy="Never", containers=[container(1, 1)]),
        timed={"hoursPerMonth": 200},
    )
    assert line(result, "timed", "vCPU-hours").quantity == 2 * 200
    assert line(result, "timed", "GB-hours").quantity == 4 * 200
    job = line(result, "job", "vCPU-hours")
    assert job.monthly_cost_usd is None and job.reason == (
        "run time unknown: a group with restartPolicy Never runs to completion; set hoursPerMonth for job in "
        "stacks/usage.t.yaml"
    )


def test_windows_spot_and_confidential_groups_and_gpus_use_their_own_meters() -> None:
    result = run(
        res(
            GROUP,
            "win",
            osType="Windows",
            priority="Spot",
            containers=[container(4, 8, count=2, sku="V100")],
        ),
        res(GROUP, "conf", osType="Linux", sku="Confidential", containers=[container(1, 2)]),
    )
    reasons = {ln.unit + " " + ln.description: ln.reason for ln in lines_of(result, "win")}
    assert len(reasons) == 4
    assert any("item: spot-windows-vcpu-hour" in r for r in reasons.values())
    assert any("item: spot-windows-gb-hour" in r for r in reasons.values())
    gpu = line(result, "win", "GPU-hours")
    assert gpu.quantity == 2 * HOURS_PER_MONTH and "2 × V100 GPU" in gpu.description
    assert "item: gpu-V100-hour" in gpu.reason
    software = [ln for ln in lines_of(result, "win") if "Windows software" in ln.description]
    assert len(software) == 1 and "item: windows-software-vcpu-hour" in software[0].reason
    assert "item: confidential-linux-vcpu-hour" in line(result, "conf", "vCPU-hours").reason


def test_a_group_without_requests_or_region_says_what_to_set() -> None:
    result = run(res(GROUP, "empty", osType="Linux", containers=[{"name": "c", "image": "x"}]))
    (empty,) = lines_of(result, "empty")
    assert empty.monthly_cost_usd is None and "requests.cpu and memoryInGB" in empty.reason
    nowhere = run(res(GROUP, "g", containers=[container(1, 1)]), region=None)
    assert line(nowhere, "g", "vCPU-hours").reason.startswith(
        "the region is unknown: set the resource's location, or azure-native:location"
    )


def test_a_cpu_request_that_is_not_a_number_is_an_invalid_input_naming_the_field() -> None:
    result = run(res(GROUP, "g", containers=[container("lots", 1)]))
    (ln,) = lines_of(result, "g")
    assert ln.monthly_cost_usd is None
    (invalid,) = result.invalid_inputs
    assert invalid.startswith(
        f"g ({GROUP}): containers[0].resources.requests.cpu = 'lots' is not a size in vCPU; give a size"
    )


# -- Container Apps: pure helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "gib"),
    [
        ("1Gi", D(1)),
        ("0.5Gi", D("0.5")),
        ("512Mi", D("0.5")),
        ("250Mb", D(250 * 10**6) / D(2**30)),
        ("2G", D(2 * 10**9) / D(2**30)),
        (2, D(2)),
        (None, None),
    ],
)
def test_memory_sizes_are_read_as_gib(given: Any, gib: Decimal | None) -> None:
    assert memory_gib(given, "m") == gib


@pytest.mark.parametrize("given", ["lots", "-1Gi", "1Tb", "1.5.2Gi"])
def test_a_memory_size_that_is_not_one_names_its_path_and_the_fix(given: str) -> None:
    with pytest.raises(BadNumber) as e:
        memory_gib(given, "template.containers[0].resources.memory")
    assert e.value.reason.startswith("template.containers[0].resources.memory = ")
    assert 'write a size such as "0.5Gi"' in e.value.reason


def test_idle_time_is_the_minimum_replicas_month_less_the_active_time() -> None:
    assert replica_seconds(0, None) == (None, D(0))
    assert replica_seconds(2, D(1000)) == (D(1000), 2 * SECONDS_PER_MONTH - 1000)
    assert replica_seconds(1, None) == (None, SECONDS_PER_MONTH)
    assert replica_seconds(1, 2 * SECONDS_PER_MONTH) == (2 * SECONDS_PER_MONTH, D(0))


# -- Container Apps: rules -----------------------------------------------------------------------------------------


def _app(name: str = "app", min_replicas: int | None = None, **extra: Any) -> PlannedResource:
    template: dict[str, Any] = {
        "containers": [
            {"name": "web", "image": "x", "resources": {"cpu": 0.5, "memory": "1Gi"}},
            {"name": "side", "image": "y", "resources": {"cpu": 0.25, "memory": "0.5Gi"}},
        ]
    }
    if min_replicas is not None:
        template["scale"] = {"minReplicas": min_replicas, "maxReplicas": 5}
    return res(APP, name, managedEnvironmentId="env-id", template=template, **extra)


def test_a_consumption_app_pays_active_seconds_from_usage_and_idle_for_the_rest_of_its_minimum() -> None:
    active = D(1_000_000)
    result = run(
        res(ENV, "env"), _app(min_replicas=1), app={"instanceSeconds": 1_000_000, "requestsMillions": 3}
    )
    by = {ln.description: ln for ln in lines_of(result, "app")}
    label = "Container app (0.75 vCPU, 1.5 GiB per replica)"
    idle = SECONDS_PER_MONTH - active
    assert by[f"{label}: vCPU, active"].quantity == D("0.75") * active
    assert by[f"{label}: memory, active"].quantity == D("1.5") * active
    assert by[f"{label}: vCPU, idle"].quantity == D("0.75") * idle
    assert by[f"{label}: memory, idle"].quantity == D("1.5") * idle
    expected = (
        D("0.75") * active * price("container-apps", "vcpu-second-active")
        + D("1.5") * active * price("container-apps", "gib-second-active")
        + D("0.75") * idle * price("container-apps", "vcpu-second-idle")
        + D("1.5") * idle * price("container-apps", "gib-second-idle")
    )
    priced = sum((ln.monthly_cost_usd or D(0) for ln in lines_of(result, "app")), D(0))
    assert priced == expected
    assert FREE_GRANT in by[f"{label}: vCPU, active"].assumptions and "not deducted" in FREE_GRANT
    assert "1 minimum replica kept all month" in by[f"{label}: vCPU, idle"].assumptions
    requests = line(result, "app", "million requests")
    assert requests.quantity == 3 and "item: request-million" in requests.reason
    assert result.free[0].resource == "env" and "Consumption plan" in result.free[0].reason


def test_an_app_that_scales_to_zero_has_no_idle_time_and_names_the_usage_keys() -> None:
    result = run(res(ENV, "env"), _app())
    units = [(ln.unit, ln.description.rsplit(": ", 1)[-1]) for ln in lines_of(result, "app")]
    assert units == [
        ("vCPU-seconds", "vCPU, active"),
        ("GiB-seconds", "memory, active"),
        ("million requests", "HTTP requests"),
    ]
    reasons = [ln.reason for ln in lines_of(result, "app")]
    assert reasons[0] == "active replica time unknown: set instanceSeconds for app in stacks/usage.t.yaml"
    assert reasons[2] == "requests unknown: set requestsMillions for app in stacks/usage.t.yaml"


def test_an_app_kept_at_its_minimum_without_usage_is_billed_idle_all_month() -> None:
    result = run(res(ENV, "env"), _app(min_replicas=2))
    idle = [ln for ln in lines_of(result, "app") if ln.description.endswith("vCPU, idle")]
    assert len(idle) == 1 and idle[0].quantity == D("0.75") * 2 * SECONDS_PER_MONTH
    assert idle[0].monthly_cost_usd == idle[0].quantity * price("container-apps", "vcpu-second-idle")
    assert "all of it counted idle until instanceSeconds says how much is active" in idle[0].assumptions


def test_an_app_outside_central_us_names_the_missing_regions_row() -> None:
    result = run(res(ENV, "env"), _app(min_replicas=1), region="westeurope")
    (idle,) = [ln for ln in lines_of(result, "app") if ln.description.endswith("vCPU, idle")]
    assert idle.monthly_cost_usd is None and "item: vcpu-second-idle" in idle.reason


def test_an_app_without_resources_or_with_a_bad_memory_size_is_unpriced_saying_what_to_set() -> None:
    bare = res(APP, "bare", template={"containers": [{"name": "c", "image": "x"}]})
    bad = res(APP, "bad", template={"containers": [{"name": "c", "resources": {"cpu": 1, "memory": "lots"}}]})
    result = run(bare, bad)
    (ln,) = lines_of(result, "bare")
    assert ln.monthly_cost_usd is None and ln.reason.startswith(
        "no cpu and memory on template.containers[0].resources: the service then applies its default size"
    )
    (invalid,) = result.invalid_inputs
    assert "template.containers[0].resources.memory = 'lots' is not a memory size" in invalid


def test_an_app_on_a_dedicated_profile_is_free_and_the_environment_pays_its_profile_instances() -> None:
    env = res(
        ENV,
        "env",
        workloadProfiles=[
            {"name": "Consumption", "workloadProfileType": "Consumption"},
            {"name": "big", "workloadProfileType": "D4", "minimumCount": 2, "maximumCount": 6},
        ],
    )
    result = run(
        env,
        _app("dedicated", workloadProfileName="big"),
        _app("serverless", workloadProfileName="Consumption"),
    )
    (free,) = [s for s in result.free if s.resource == "dedicated"]
    assert "dedicated workload profile 'big'" in free.reason
    assert len(lines_of(result, "serverless")) == 3, "the Consumption profile bills the app by its use"
    profile = line(result, "env", "instance-hours")
    assert (
        profile.quantity == 2 * HOURS_PER_MONTH
        and profile.description == "Workload profile big (D4) × 2 instances"
    )
    assert "minimumCount 2 all month (scales to 6)" in profile.assumptions
    assert "item: dedicated-D4-instance-hour" in profile.reason
    management = line(result, "env", "hours")
    assert (
        management.quantity == HOURS_PER_MONTH and "item: dedicated-plan-management-hour" in management.reason
    )
    scaled = run(env, env={"nodes": 3})
    assert line(scaled, "env", "instance-hours").quantity == 3 * HOURS_PER_MONTH


def test_a_profile_without_a_minimum_names_the_nodes_key() -> None:
    env = res(ENV, "env", workloadProfiles=[{"name": "gpu", "workloadProfileType": "NC24-A100"}])
    profile = line(run(env), "env", "instance-hours")
    assert profile.reason == (
        "instances unknown: profile gpu sets no minimumCount above 0; set nodes for env in stacks/usage.t.yaml"
    )


# -- through the CLI ---------------------------------------------------------------------------------------------


def test_a_program_with_a_container_group_and_a_container_app_is_estimated(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: boxes\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  azure-native:location: centralus\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi_azure_native as az\n"
        "rg = az.resources.ResourceGroup('rg')\n"
        "az.containerinstance.ContainerGroup('aci', resource_group_name=rg.name, os_type='Linux',\n"
        "    containers=[az.containerinstance.ContainerArgs(name='c', image='nginx',\n"
        "        resources=az.containerinstance.ResourceRequirementsArgs(\n"
        "            requests=az.containerinstance.ResourceRequestsArgs(cpu=1, memory_in_gb=1.5)))])\n"
        "env = az.app.ManagedEnvironment('env', resource_group_name=rg.name)\n"
        "az.app.ContainerApp('web', resource_group_name=rg.name, managed_environment_id=env.id,\n"
        "    template=az.app.TemplateArgs(scale=az.app.ScaleArgs(min_replicas=1),\n"
        "        containers=[az.app.ContainerArgs(name='w', image='nginx',\n"
        "            resources=az.app.ContainerResourcesArgs(cpu=0.5, memory='1Gi'))]))\n"
    )
    out = CliRunner().invoke(cli, ["estimate", "--program", str(tmp_path), "--format", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["unsupported"] == []
    assert {f["resource"] for f in doc["free"]} == {"rg", "env"}
    idle_cost = D("0.5") * SECONDS_PER_MONTH * price("container-apps", "vcpu-second-idle") + D(
        1
    ) * SECONDS_PER_MONTH * price("container-apps", "gib-second-idle")
    assert D(str(doc["totals"]["monthly_cost_usd"])) == round(idle_cost, 2)
    units = sorted(ln["unit"] for ln in doc["lines"] if ln["resource"] == "aci")
    assert units == ["GB-hours", "vCPU-hours"]


def test_an_app_on_a_serverless_gpu_profile_is_never_idle_and_names_its_gpu_meter() -> None:
    env = res(
        ENV, "env", workloadProfiles=[{"name": "gpu", "workloadProfileType": "Consumption-GPU-NC24-A100"}]
    )
    template = {
        "containers": [{"name": "m", "resources": {"cpu": 24, "memory": "220Gi", "gpu": 1}}],
        "scale": {"minReplicas": 1},
    }
    app = res(APP, "llm", managedEnvironmentId="env-id", workloadProfileName="gpu", template=template)
    result = run(env, app, llm={"instanceSeconds": 1000})
    assert [s.resource for s in result.free] == ["env"], "a serverless GPU profile is billed by use"
    by = {ln.description.rsplit(": ", 1)[-1]: ln for ln in lines_of(result, "llm")}
    kept = by["vCPU, kept at the minimum (active rate)"]
    assert kept.quantity == 24 * (SECONDS_PER_MONTH - 1000)
    assert kept.monthly_cost_usd == kept.quantity * price("container-apps", "vcpu-second-active")
    assert "a serverless GPU replica is billed at the active rate while kept" in kept.assumptions
    assert "vCPU, idle" not in by
    gpu = line(result, "llm", "GPU-seconds")
    assert gpu.quantity == SECONDS_PER_MONTH and "item: Consumption-GPU-NC24-A100-gpu-second" in gpu.reason
