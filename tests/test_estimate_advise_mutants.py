"""`infra advise` and the estimate's cheaper / greener alternatives (estimate/advise.py): what a user reads
in the advice (a named profile's month, a job of several months, the per-GPU-hour figures, the notes on an
option, the JSON's rounding), the stack file it writes, and the alternatives rows. Written to kill the
mutants bench/mutation.py found alive (issue 19). Small in-memory catalogs, so every figure is written out
here; the alternatives test reads the shipped catalog's prices in the test."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from aiinfra import clouds
from aiinfra.catalog import (
    Accelerator,
    Catalog,
    GridIntensity,
    InstanceType,
    Offer,
    Pue,
    default_catalog,
)
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import advise as adv
from aiinfra.estimate import estimate
from aiinfra.estimate.advise import Advice, AdviseError, Exclusion, Option, advise, stack_yaml, workload

DAY = dt.date(2026, 11, 22)
D = Decimal


def machine(name: str, cloud: str, fabric: str = "none", **kw: object) -> InstanceType:
    return InstanceType(
        name=name,
        cloud=cloud,
        accelerator="H100",
        accelerator_count=8,
        accelerator_memory_total_gib=640,
        vcpu=96,
        memory_gib=1024,
        fabric=fabric,  # type: ignore[arg-type]
        fabric_gbps=3200 if fabric != "none" else 0,
        network_gbps=200,
        local_ssd_gib=0,
        source="test",
        retrieved=DAY,
        **kw,  # type: ignore[arg-type]
    )


def small(unverified: tuple[str, ...] = ()) -> Catalog:
    """H100 boards draw 80 W idle to 700 W at full load, so a machine of 8 at 90 % draws 5,104 W. AWS PUE
    1.2, GCP 1.1; grids us-east-1 400 g, us-central1 300 g."""
    return Catalog(
        accelerators=[Accelerator("H100", "nvidia", "gpu", 80, 700, 80, "test", DAY)],
        instance_types=[machine("big.plain", "aws"), machine("g-8", "gcp", "gpudirect-tcpx", gpu_nics=4)],
        offers=[
            Offer(
                cloud="aws",
                instance_type="big.plain",
                region="us-east-1",
                source="test",
                retrieved=DAY,
                on_demand=D(80),
                spot=D(30),
                unverified=unverified,
            ),
            Offer(
                cloud="gcp",
                instance_type="g-8",
                region="us-central1",
                source="test",
                retrieved=DAY,
                on_demand=D(70),
            ),
        ],
        pue=[Pue("aws", "*", D("1.2"), 2024, "test", DAY), Pue("gcp", "*", D("1.1"), 2024, "test", DAY)],
        grid=[
            GridIntensity("aws", "us-east-1", D(400), 2024, "PJM", "test", DAY),
            GridIntensity("gcp", "us-central1", D(300), 2024, "MISO", "test", DAY),
        ],
    )


# 16 H100 = 2 machines of 8; at 90 % each draws 8 × (80 + 620 × 0.9) = 5,104 W.
KW_2_NODES = D("10.208")


def options(catalog: Catalog | None = None, **kw: object) -> dict[tuple[str, str], Option]:
    cat = catalog or small()
    work = workload(
        cat,
        gpus=16,
        accelerator="H100",
        hours=kw.pop("hours", 100),  # type: ignore[arg-type]
        profile=kw.pop("profile", None),  # type: ignore[arg-type]
    )
    return {(o.instance_type, o.capacity): o for o in advise(cat, work, **kw).options}  # type: ignore[arg-type]


# -- how long the job runs ----------------------------------------------------------------------------------


def test_a_named_profile_is_priced_as_one_month_of_that_profile() -> None:
    by = options(hours=None, profile="training-steady", capacities=("on-demand",))
    o = by[("big.plain", "on-demand")]
    assert o.cost_usd == 80 * 2 * 730, "training-steady: 2 nodes all month, once"
    assert o.energy_kwh == KW_2_NODES * 730 * D("1.2")


def test_a_job_of_several_months_bills_each_whole_month_and_the_rest() -> None:
    o = options(hours=2000, capacities=("on-demand",))[("big.plain", "on-demand")]
    assert o.cost_usd == 80 * 2 * 2000, "two whole months of 730 h and 540 h: 2 nodes × 2,000 h"
    assert o.energy_kwh == KW_2_NODES * 2000 * D("1.2")
    assert o.co2e_kg == KW_2_NODES * 2000 * D("1.2") * D("0.4")


def test_the_per_gpu_hour_figures_divide_the_jobs_totals_by_its_gpu_hours() -> None:
    o = options(capacities=("on-demand",))[("big.plain", "on-demand")]
    assert o.usd_per_gpu_hour == D(80 * 2 * 100) / (16 * 100)
    assert o.kg_co2e_per_gpu_hour == KW_2_NODES * 100 * D("1.2") * D("0.4") / (16 * 100)


def test_the_score_of_the_cost_objective_is_the_cost() -> None:
    o = options(capacities=("on-demand",))[("big.plain", "on-demand")]
    assert o.score("cost") == D(16_000)
    assert o.score("carbon") == o.co2e_kg


# -- which machines are candidates --------------------------------------------------------------------------


def test_a_cloud_filter_leaves_the_other_clouds_machines_out() -> None:
    assert {o.cloud for o in options(clouds=("aws",)).values()} == {"aws"}
    assert {o.cloud for o in options().values()} == {"aws", "gcp"}, "no filter: both clouds"


def test_any_positive_accelerator_memory_is_a_memory_size() -> None:
    work = workload(small(), gpus=8, min_gpu_memory_gb=1, hours=10)
    assert work.min_gpu_memory_gb == 1 and work.accelerator is None
    with pytest.raises(AdviseError) as e:
        workload(small(), gpus=8, min_gpu_memory_gb=0, hours=10)
    assert e.value.message == "--min-gpu-memory 0 is not a memory size."


# -- notes on an option -------------------------------------------------------------------------------------


def test_a_spot_option_warns_of_interruption_and_on_demand_does_not() -> None:
    by = options(capacities=("on-demand", "spot"))
    warning = "spot: can be interrupted at short notice (AWS 2 min, GCP/Azure 30 s); checkpoint often"
    assert warning in by[("big.plain", "spot")].notes
    assert warning not in by[("big.plain", "on-demand")].notes


def test_an_unverified_price_is_noted_on_the_options_that_use_it() -> None:
    by = options(small(unverified=("on_demand",)), capacities=("on-demand", "spot", "reservation"))
    note = "price unverified (catalog 2026-11-22)"
    assert note in by[("big.plain", "on-demand")].notes
    assert note in by[("big.plain", "reservation")].notes, "a reservation is billed at the on-demand price"
    assert note not in by[("big.plain", "spot")].notes, "the spot price is verified"
    plain = options(capacities=("on-demand",))[("big.plain", "on-demand")]
    assert not [n for n in plain.notes if n.startswith("price unverified")]


def test_a_cloud_whose_clusters_are_not_built_is_noted_and_its_stack_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    profile = type(clouds.get("gcp"))
    monkeypatch.setattr(profile, "unsupported", {**profile.unsupported, "cluster": "not in this test"})
    by = options(capacities=("on-demand",))
    note = "gcp clusters are not built yet: --write-stack refuses this option"
    assert note in by[("g-8", "on-demand")].notes
    assert note not in by[("big.plain", "on-demand")].notes
    work = workload(small(), gpus=16, accelerator="H100", hours=100)
    with pytest.raises(AdviseError) as e:
        stack_yaml(by[("g-8", "on-demand")], work)
    assert e.value.message.startswith("gcp clusters are not built yet")
    assert e.value.fix == "Pick an option on aws or azure (--pick N, or --cloud aws,azure)."


# -- the JSON -----------------------------------------------------------------------------------------------


def hand_option(**kw: object) -> Option:
    base = dict(
        cloud="aws", region="us-east-1", zone=None, instance_type="p5.48xlarge", accelerator="H100",
        gpus_per_node=8, nodes=2, capacity="on-demand", cost_usd=D("1234.567"), energy_kwh=D("10.26"),
        co2e_kg=D("4.26"), embodied_co2e_kg=D("0.26"), usd_per_gpu_hour=D("1.234567"),
        kg_co2e_per_gpu_hour=D("0.0123456"), notes=("a note",),
    )  # fmt: skip
    return Option(**{**base, **kw})  # type: ignore[arg-type]


def test_an_options_json_is_rounded_for_reading() -> None:
    assert hand_option().to_json() == {
        "cloud": "aws",
        "region": "us-east-1",
        "zone": None,
        "instance_type": "p5.48xlarge",
        "accelerator": "H100",
        "nodes": 2,
        "capacity": "on-demand",
        "cost_usd": 1234.57,
        "energy_kwh": 10.3,
        "co2e_kg": 4.3,
        "embodied_co2e_kg": 0.3,
        "usd_per_gpu_hour": 1.2346,
        "kg_co2e_per_gpu_hour": 0.0123,
        "notes": ["a note"],
    }


def test_the_advice_json_names_the_ranking_the_carbon_price_and_what_is_left_off() -> None:
    work = workload(small(), gpus=16, accelerator="H100", hours=D("100.126"))
    advice = Advice(
        work,
        "balanced",
        D("12.346"),
        [hand_option(), hand_option(region="us-west-2"), hand_option(region="eu-north-1")],
        [Exclusion(adv.NO_FABRIC, 1, ("big.plain (aws)",))],
    )
    doc = advice.to_json(top=2)
    assert doc["workload"]["hours"] == 100.13, "hours to 2 places"
    assert doc["objective"] == "balanced"
    assert doc["carbon_price_usd_per_tonne"] == 12.35
    assert doc["ranking"] == "by cost + operational carbon × $12 per tonne CO2e"
    assert [o["region"] for o in doc["options"]] == ["us-east-1", "us-west-2"]
    assert doc["more_options"] == 1
    assert doc["excluded"] == [{"reason": adv.NO_FABRIC, "count": 1, "examples": ["big.plain (aws)"]}]
    every = advice.to_json()
    assert len(every["options"]) == 3 and every["more_options"] == 0, "no --top: every option"


# -- the stack file -----------------------------------------------------------------------------------------


def test_the_written_pool_is_named_after_the_accelerator_with_dashes() -> None:
    work = workload(small(), gpus=8, accelerator="H100", hours=10)
    text = stack_yaml(hand_option(accelerator="H100-NVL", nodes=1), work)
    assert "        - name: h100-nvl\n" in text
    assert "          accelerator: H100-NVL\n" in text


def test_a_pool_name_that_would_start_with_a_digit_gets_a_prefix_and_stays_within_24_characters() -> None:
    work = workload(small(), gpus=8, accelerator="H100", hours=10)
    text = stack_yaml(hand_option(accelerator="3rd-generation-tensor-processor", nodes=1), work)
    assert "        - name: gpu-3rd-generation-tenso\n" in text, "a spec name is at most 24 characters"


def test_a_pool_name_cut_at_24_characters_never_ends_in_a_dash() -> None:
    """A spec pool name must start and end with a letter or digit; the cut may fall on a separator."""
    work = workload(small(), gpus=8, accelerator="H100", hours=10)
    cut = stack_yaml(hand_option(accelerator="Tensor Processing Units v5", nodes=1), work)
    assert "        - name: tensor-processing-units\n" in cut, "the 24th character was a separator"
    prefixed = stack_yaml(hand_option(accelerator="4 Gen Tensor Engine Set", nodes=1), work)
    assert "        - name: gpu-4-gen-tensor-engine\n" in prefixed, "the prefix pushed a separator to the cut"


def test_a_custom_job_writes_its_hours_and_utilisation_and_a_named_profile_only_its_name() -> None:
    cat = small()
    custom = stack_yaml(hand_option(), workload(cat, gpus=16, accelerator="H100", hours=100))
    assert "  aiinfra:usage:\n    profile: custom\n    hoursPerMonth: 100\n    utilization: 0.9\n" in custom
    assert "for 100 h at 90 % busy." in custom
    named = stack_yaml(hand_option(), workload(cat, gpus=16, accelerator="H100", profile="training-steady"))
    assert named.endswith("  aiinfra:usage:\n    profile: training-steady\n")
    assert "for one month of usage profile training-steady." in named


# -- alternatives of an estimate's GPU pool -----------------------------------------------------------------


def test_alternatives_are_cheaper_than_the_pool_and_flag_their_unverified_prices() -> None:
    catalog = default_catalog()
    vm = PlannedResource(
        type="aws:ec2/instance:Instance",
        name="vm",
        urn="urn:pulumi:t::p::aws:ec2/instance:Instance::vm",
        parent=None,
        inputs={"instanceType": "p5.48xlarge"},
        custom=True,
    )
    graph = ResourceGraph(stack="t", project="p", resources=[vm], config={"aws:region": "us-east-1"})
    result = estimate(graph, catalog)
    (line,) = [ln for ln in result.lines if "root volume" not in ln.description]
    offers = catalog.offers(instance_type="p5.48xlarge")
    assert any(o.on_demand is not None and o.on_demand > line.unit_price_usd for o in offers), (  # type: ignore[operator]
        "some region is dearer than us-east-1: what must not be listed as cheaper"
    )
    (pool,) = adv.alternatives(result, catalog, limit=1000)
    assert pool["cheaper"], "spot in us-east-1 at least is cheaper"
    assert all(r["monthly_cost_usd"] < line.monthly_cost_usd for r in pool["cheaper"])  # type: ignore[operator]
    for r in pool["cheaper"] + pool["greener"]:
        offer = catalog.offer("p5.48xlarge", r["region"])
        assert offer is not None
        assert r["unverified"] == (r["purchase_option"] in offer.unverified), r
