"""What the first measured mutation run of estimate/rules/azure_containers.py (seed 1, sample 60; 80 %) found
unchecked: the seconds of a month, the Container Instances note and meter, a group with CPU but no memory,
memory written in MiB or M, a container app's GPUs, its label and units when sizes are missing."""

from __future__ import annotations

from decimal import Decimal

from aiinfra.estimate.model import HOURS_PER_MONTH
from aiinfra.estimate.rules.azure_containers import memory_gib
from tests.conftest import line
from tests.test_estimate_azure_containers import APP, ENV, GROUP, _app, container, lines_of, res, run

D = Decimal


def test_an_app_kept_at_its_minimum_is_idle_730_hours_of_seconds() -> None:
    app_lines = lines_of(run(res(ENV, "env"), _app(min_replicas=1)), "app")
    (idle,) = [ln for ln in app_lines if ln.description.endswith("memory, idle")]
    assert idle.unit == "GiB-seconds"
    assert idle.quantity == D("1.5") * HOURS_PER_MONTH * 3600, "1.5 GiB × 730 h × 3,600 s"


def test_a_container_group_line_names_its_meter_and_what_is_left_out() -> None:
    result = run(res(GROUP, "g", osType="Linux", containers=[container(1, 1)]))
    cpu, memory = line(result, "g", "vCPU-hours"), line(result, "g", "GB-hours")
    assert "(service: container-instances, item: linux-vcpu-hour)" in cpu.reason
    assert "(service: container-instances, item: linux-gb-hour)" in memory.reason
    assert any(
        a.startswith("windows software, GPU and spot rates are separate meters") for a in cpu.assumptions
    )


def test_a_group_with_cpu_but_no_memory_is_unpriced() -> None:
    (only,) = lines_of(run(res(GROUP, "g", osType="Linux", containers=[container(1, 0)])), "g")
    assert only.monthly_cost_usd is None and only.reason.startswith("no containers[].resources.requests.cpu")


def test_memory_in_mib_and_in_m_is_read_as_gib() -> None:
    assert memory_gib("512MiB", "m") == D("0.5")
    assert memory_gib("1000M", "m") == D(1000 * 10**6) / D(2**30)


def test_an_app_on_a_gpu_profile_counts_its_gpus_and_one_when_none_is_said() -> None:
    env = res(
        ENV, "env", workloadProfiles=[{"name": "gpu", "workloadProfileType": "Consumption-GPU-NC24-A100"}]
    )

    def app(resources: dict[str, object]) -> object:
        template = {"containers": [{"name": "m", "resources": resources}], "scale": {"minReplicas": 1}}
        return res(APP, "llm", managedEnvironmentId="env-id", workloadProfileName="gpu", template=template)

    two = line(
        run(env, app({"cpu": 24, "memory": "220Gi", "gpu": 2}), llm={"instanceSeconds": 0}),
        "llm",
        "GPU-seconds",
    )
    assert two.quantity == 2 * HOURS_PER_MONTH * 3600
    one = line(
        run(env, app({"cpu": 24, "memory": "220Gi"}), llm={"instanceSeconds": 0}), "llm", "GPU-seconds"
    )
    assert one.quantity == HOURS_PER_MONTH * 3600


def test_an_app_without_sizes_is_labelled_plainly() -> None:
    bare = res(APP, "bare", template={"containers": [{"name": "c", "image": "x"}]})
    (ln,) = lines_of(run(bare), "bare")
    assert ln.description.startswith("Container app")
    assert "vCPU" not in ln.description.split(":")[0]
