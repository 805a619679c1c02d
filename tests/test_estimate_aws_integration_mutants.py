"""What the first measured mutation run of estimate/rules/aws_integration.py (seed 1, sample 60) found unchecked:
a Glue job on Standard workers, a Ray job's catalog item, the note on a Cloud Map instance line, the unit of an
API cache without a type."""

from __future__ import annotations

from decimal import Decimal

from tests.conftest import line
from tests.test_estimate_aws_integration import CACHE, CATALOG, JOB, SD_INSTANCE, price, res, run


def test_a_glue_job_on_standard_workers_holds_one_dpu_a_worker() -> None:
    job = res(JOB, "etl", numberOfWorkers=3, workerType="Standard")
    hours = line(run(job, etl={"hoursPerMonth": 10}), "etl", "DPU-hours")
    assert hours.quantity == 3 * 10, "3 Standard workers (1 DPU each) × 10 h"
    assert hours.monthly_cost_usd == 30 * price("glue", "etl-dpu-hour")
    assert "3 × Standard (3 DPUs)" in hours.description


def test_a_ray_job_is_its_own_catalog_item() -> None:
    assert CATALOG.service_price("aws", "glue", "ray-dpu-hour", "us-east-1") is None
    job = res(JOB, "ray", numberOfWorkers=2, workerType="G.1X", command={"name": "glueray"})
    hours = line(run(job, ray={"hoursPerMonth": 4}), "ray", "DPU-hours")
    assert hours.monthly_cost_usd is None and "(service: glue, item: ray-dpu-hour)" in hours.reason
    assert hours.quantity == Decimal(8)


def test_a_cloud_map_instance_line_says_discovery_calls_are_left_out() -> None:
    instance = line(run(res(SD_INSTANCE, "web-1")), "web-1", "instance-months")
    assert "discovery API calls (per million) are not modelled" in instance.assumptions


def test_an_api_cache_without_a_type_is_counted_in_cache_hours() -> None:
    (no_type,) = run(res(CACHE, "cache")).lines
    assert no_type.unit == "cache-hours" and no_type.description == "AppSync API cache"
