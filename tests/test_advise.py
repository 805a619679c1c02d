"""The advisor's logic on small in-memory catalogs: hand-computed rankings for each objective, every reason
an option is left out, and a property: no option the advisor could have listed beats its first one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiinfra.catalog import Accelerator, Catalog, GridIntensity, InstanceType, Offer, Pue
from aiinfra.estimate import advise as adv
from aiinfra.estimate.advise import AdviseError, advise, evaluate, rank_key, workload

DAY = dt.date(2026, 11, 22)
D = Decimal


def machine(
    name: str, cloud: str, accelerator: str = "H100", count: int = 8, fabric: str = "none", **kw: object
):
    return InstanceType(
        name=name,
        cloud=cloud,
        accelerator=accelerator,
        accelerator_count=count,
        accelerator_memory_total_gib=count * 80,
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


def offer(itype: str, cloud: str, region: str, **prices: object) -> Offer:
    return Offer(cloud=cloud, instance_type=itype, region=region, source="test", retrieved=DAY, **prices)  # type: ignore[arg-type]


def small(**overrides: dict[str, object]) -> Catalog:
    """H100 boards draw 80 W idle to 700 W at full load; no host coefficients, so a machine of 8 draws
    8 × (80 + 620 × u) W. AWS PUE 1.2, GCP 1.1; grids us-east-1 400 g, eu-north-1 50 g, us-central1 300 g."""
    prices = {
        ("big.efa", "us-east-1"): {"on_demand": D(100), "spot": D(30)},
        ("big.efa", "eu-north-1"): {"on_demand": D(120), "spot": D(50), "capacity_block": D(90)},
        ("big.plain", "us-east-1"): {"on_demand": D(80)},
        ("cb.only", "us-east-1"): {"capacity_block": D(60)},
        ("g-8", "us-central1"): {"on_demand": D(90)},
        ("l4.one", "us-east-1"): {"on_demand": D(1)},
    }
    for key, value in overrides.items():
        prices[tuple(key.split("@"))] = value  # type: ignore[index]
    clouds = {"big.efa": "aws", "big.plain": "aws", "cb.only": "aws", "g-8": "gcp", "l4.one": "aws"}
    return Catalog(
        accelerators=[
            Accelerator("H100", "nvidia", "gpu", 80, 700, 80, "test", DAY),
            Accelerator("L4", "nvidia", "gpu", 24, 72, 16, "test", DAY),
        ],
        instance_types=[
            machine("big.efa", "aws", fabric="efa", efa_cards=32),
            machine("big.plain", "aws"),
            machine("cb.only", "aws", fabric="efa", efa_cards=32, on_demand=False),
            machine("g-8", "gcp", fabric="gpudirect-tcpx", gpu_nics=4),
            machine("l4.one", "aws", accelerator="L4", count=1),
        ],
        offers=[offer(t, clouds[t], r, **p) for (t, r), p in prices.items()],
        pue=[Pue("aws", "*", D("1.2"), 2024, "test", DAY), Pue("gcp", "*", D("1.1"), 2024, "test", DAY)],
        grid=[
            GridIntensity("aws", "us-east-1", D(400), 2024, "PJM", "test", DAY),
            GridIntensity("aws", "eu-north-1", D(50), 2024, "SE", "test", DAY),
            GridIntensity("gcp", "us-central1", D(300), 2024, "MISO", "test", DAY),
        ],
    )


# 16 H100 for 100 h at 90 %: 2 machines; each draws 8 × (80 + 620 × 0.9) = 5,104 W, so 2 × 5.104 kW × 100 h
# = 1,020.8 kWh of IT energy; × PUE 1.2 (AWS) = 1,224.96 kWh, × 1.1 (GCP) = 1,122.88 kWh.
AWS_KWH = D("1224.96")
GCP_KWH = D("1122.88")
US_EAST, EU_NORTH, US_CENTRAL = AWS_KWH * D("0.4"), AWS_KWH * D("0.05"), GCP_KWH * D("0.3")
NODE_HOURS = 2 * 100  # billed by the hour the nodes run
RESERVED_HOURS = 2 * 730  # reserved capacity: every hour of the month, as `infra estimate` bills it


def run(catalog: Catalog | None = None, **kw: object) -> adv.Advice:
    cat = catalog or small()
    work = workload(
        cat,
        gpus=int(kw.pop("gpus", 16)),  # type: ignore[call-overload]
        accelerator=kw.pop("accelerator", "H100"),  # type: ignore[arg-type]
        hours=kw.pop("hours", 100),  # type: ignore[arg-type]
        min_gpu_memory_gb=kw.pop("min_gpu_memory_gb", None),  # type: ignore[arg-type]
        interconnect=bool(kw.pop("interconnect", False)),
    )
    return advise(cat, work, **kw)  # type: ignore[arg-type]


def rows(advice: adv.Advice) -> list[tuple[str, str, str, Decimal | None, Decimal | None]]:
    return [(o.instance_type, o.region, o.capacity, o.cost_usd, o.co2e_kg) for o in advice.options]


def excluded(advice: adv.Advice) -> dict[str, int]:
    return {e.reason: e.count for e in advice.excluded}


def test_by_cost_the_cheapest_total_comes_first_and_unpriced_options_come_last() -> None:
    advice = run(capacities=("on-demand", "spot"))
    assert rows(advice) == [
        ("big.efa", "us-east-1", "spot", 30 * D(NODE_HOURS), US_EAST),
        ("big.efa", "eu-north-1", "spot", 50 * D(NODE_HOURS), EU_NORTH),
        ("big.plain", "us-east-1", "on-demand", 80 * D(NODE_HOURS), US_EAST),
        ("g-8", "us-central1", "on-demand", 90 * D(NODE_HOURS), US_CENTRAL),
        ("big.efa", "us-east-1", "on-demand", 100 * D(NODE_HOURS), US_EAST),
        ("big.efa", "eu-north-1", "on-demand", 120 * D(NODE_HOURS), EU_NORTH),
        ("g-8", "us-central1", "spot", None, US_CENTRAL),
        ("big.plain", "us-east-1", "spot", None, US_EAST),
    ], "sorted by 200 node-hours × the hourly price; options without a spot price after every priced one"
    first = advice.options[0]
    assert first.energy_kwh == AWS_KWH and first.nodes == 2, "16 GPUs on machines of 8 is 2 machines"
    assert first.usd_per_gpu_hour == D(6000) / (16 * 100), "cost per GPU-hour of the job"
    unpriced = advice.options[-1]
    assert unpriced.unpriced_reason and any("unpriced" in n for n in unpriced.notes), (
        "an unpriced option says why, and is never $0"
    )


def test_by_carbon_the_cleanest_grid_comes_first_with_cost_breaking_ties() -> None:
    advice = run(objective="carbon", capacities=("on-demand", "spot"))
    assert [(t, r, c) for t, r, c, _, _ in rows(advice)] == [
        ("big.efa", "eu-north-1", "spot"),  # 61.2 kg, $10,000
        ("big.efa", "eu-north-1", "on-demand"),  # 61.2 kg, $24,000
        ("g-8", "us-central1", "on-demand"),  # 336.9 kg
        ("big.efa", "us-east-1", "spot"),  # 490.0 kg, $6,000
        ("big.plain", "us-east-1", "on-demand"),  # 490.0 kg, $16,000
        ("big.efa", "us-east-1", "on-demand"),  # 490.0 kg, $20,000
        ("g-8", "us-central1", "spot"),  # unpriced: after the priced ones
        ("big.plain", "us-east-1", "spot"),
    ], "sorted by operational CO2e; an unknown price still goes last"


def test_balanced_adds_carbon_at_its_price_and_a_high_price_moves_the_cleaner_region_up() -> None:
    cheap = run(objective="balanced", carbon_price=D(100), capacities=("spot",))
    assert [o.region for o in cheap.options[:2]] == ["us-east-1", "eu-north-1"], (
        "$100/t adds $49 and $6: the $4,000 price gap decides"
    )
    dear = run(objective="balanced", carbon_price=D(10_000), capacities=("spot",))
    scores = [o.score("balanced", D(10_000)) for o in dear.options[:2]]
    assert [o.region for o in dear.options[:2]] == ["eu-north-1", "us-east-1"], (
        "$10,000/t: 10,000 + 612.48 beats 6,000 + 4,899.84"
    )
    assert scores == [D(10_000) + EU_NORTH * 10, D(6000) + US_EAST * 10], "cost + kg / 1000 × price"


def test_reserved_capacity_is_billed_for_the_whole_month_as_the_estimate_bills_it() -> None:
    advice = run(capacities=("reservation", "capacity-block"))
    by = {(o.instance_type, o.region, o.capacity): o.cost_usd for o in advice.options}
    assert by[("cb.only", "us-east-1", "capacity-block")] == 60 * D(RESERVED_HOURS)
    assert by[("big.efa", "eu-north-1", "capacity-block")] == 90 * D(RESERVED_HOURS)
    assert by[("big.efa", "us-east-1", "reservation")] == 100 * D(RESERVED_HOURS), (
        "a reservation is billed at the on-demand rate for every reserved hour"
    )
    assert by[("big.efa", "us-east-1", "capacity-block")] is None, "no capacity-block price there: unpriced"
    assert advice.options[0].instance_type == "cb.only"
    notes = " ".join(advice.options[0].notes)
    assert "fixed windows" in notes, "a capacity block says it is sold in fixed windows"


def test_a_job_longer_than_a_month_is_whole_months_and_the_rest() -> None:
    one = run(hours=730, capacities=("on-demand",)).options[0]
    longer = run(hours=1000, capacities=("on-demand",)).options[0]
    assert one.cost_usd == 80 * D(2 * 730) and longer.cost_usd == 80 * D(2 * 1000), (
        "on-demand: the node-hours run, month after month"
    )
    reserved = run(hours=1000, capacities=("reservation",)).options[0]
    assert reserved.cost_usd == 80 * D(2 * 730 * 2), "a reservation held into a second month bills it whole"


def test_a_machine_not_offered_in_the_requested_regions_is_left_out() -> None:
    advice = run(regions=("eu-north-1",), capacities=("on-demand",))
    assert {o.region for o in advice.options} == {"eu-north-1"}
    assert excluded(advice)[adv.NOT_IN_REGION] == 3, "big.plain, cb.only and g-8 are not sold there"


def test_interconnect_leaves_out_machines_without_a_fabric() -> None:
    advice = run(interconnect=True, capacities=("on-demand",))
    assert "big.plain" not in {o.instance_type for o in advice.options}
    assert excluded(advice)[adv.NO_FABRIC] == 1, "big.plain has no low-latency fabric"


def test_interconnect_puts_the_nodes_in_one_known_zone() -> None:
    cat = small(**{"g-8@us-central1": {"on_demand": D(90)}})
    zoned = Catalog(
        accelerators=cat.accelerators,
        instance_types=[cat.instance_type("g-8")],
        offers=[
            offer("g-8", "gcp", "us-central1", on_demand=D(90), zones=("us-central1-b", "us-central1-c"))
        ],
    )
    (o,) = run(zoned, interconnect=True, capacities=("on-demand",)).options
    assert o.zone == "us-central1-b", "all nodes of an interconnected option in one zone that offers it"


def test_too_little_accelerator_memory_is_left_out() -> None:
    advice = run(accelerator=None, min_gpu_memory_gb=40, capacities=("on-demand",))
    assert "l4.one" not in {o.instance_type for o in advice.options}
    assert excluded(advice)[adv.TOO_LITTLE_MEMORY] == 1, "an L4 has 24 GB, below 40"
    assert {o.accelerator for o in advice.options} == {"H100"}


def test_a_purchase_option_that_is_not_sold_is_left_out_not_listed_as_unpriced() -> None:
    advice = run(capacities=("on-demand", "capacity-block"))
    listed = {(o.instance_type, o.capacity) for o in advice.options}
    assert ("cb.only", "on-demand") not in listed and ("g-8", "capacity-block") not in listed
    assert excluded(advice)[adv.NOT_SOLD] == 2, "cb.only is sold only as blocks; GCP sells no blocks here"


def test_options_over_the_budget_and_unpriced_ones_are_left_out_with_a_budget() -> None:
    advice = run(capacities=("on-demand", "spot"), max_usd=D(15_000))
    assert all(o.cost_usd is not None and o.cost_usd <= 15_000 for o in advice.options)
    assert excluded(advice) == {adv.OVER_BUDGET: 4, adv.UNPRICED_WITH_BUDGET: 2, adv.NOT_SOLD: 2}, (
        "$16,000, $18,000, $20,000 and $24,000 are over; two spot prices are unknown; cb.only is blocks only"
    )


def test_more_nodes_than_a_pool_holds_are_left_out() -> None:
    advice = run(accelerator="L4", gpus=2001, capacities=("on-demand",))
    assert advice.options == [] and excluded(advice)[adv.TOO_MANY_NODES] == 1


@pytest.mark.parametrize(
    ("kw", "needle"),
    [
        ({"accelerator": "H10"}, "Did you mean 'H100'"),
        ({"gpus": 0}, "--gpus"),
        ({"gpus": -8}, "--gpus"),
        ({"gpus": 10**9}, "--gpus"),
        ({"hours": 0}, "--hours"),
        ({"hours": float("nan")}, "--hours"),
        ({"hours": 10**9}, "--hours"),
        ({"accelerator": None}, "--min-gpu-memory"),
    ],
)
def test_an_unusable_workload_is_refused_with_the_fix(kw: dict[str, object], needle: str) -> None:
    with pytest.raises(AdviseError) as e:
        run(**kw)
    assert needle in str(e.value), f"the message names the flag and the fix: {e.value}"


@pytest.mark.parametrize(
    ("kw", "needle"),
    [
        ({"clouds": ("awz",)}, "Did you mean 'aws'"),
        ({"regions": ("us-east-9",)}, "--region"),
        ({"capacities": ("spott",)}, "Did you mean 'spot'"),
        ({"objective": "speed"}, "--objective"),
    ],
)
def test_an_unknown_cloud_region_capacity_or_objective_is_refused(kw: dict[str, object], needle: str) -> None:
    with pytest.raises(AdviseError) as e:
        run(**kw)
    assert needle in str(e.value), f"the message names the flag and the fix: {e.value}"


PRICE = st.one_of(st.none(), st.decimals(min_value=1, max_value=200, places=2))


@settings(max_examples=60, deadline=None)
@given(
    prices=st.fixed_dictionaries(
        {
            key: st.fixed_dictionaries({"on_demand": PRICE, "spot": PRICE, "capacity_block": PRICE})
            for key in ("big.efa@us-east-1", "big.efa@eu-north-1", "big.plain@us-east-1", "g-8@us-central1")
        }
    ),
    objective=st.sampled_from(adv.OBJECTIVES),
    carbon_price=st.decimals(min_value=0, max_value=5000, places=0),
    max_usd=st.one_of(st.none(), st.decimals(min_value=1000, max_value=300_000, places=0)),
    interconnect=st.booleans(),
    top=st.integers(1, 3),
)
def test_no_option_left_out_beats_the_first_one_under_the_objective(
    prices: dict[str, dict[str, Decimal | None]],
    objective: str,
    carbon_price: Decimal,
    max_usd: Decimal | None,
    interconnect: bool,
    top: int,
) -> None:
    cat = small(**prices)  # type: ignore[arg-type]
    advice = run(
        cat, objective=objective, carbon_price=carbon_price, max_usd=max_usd, interconnect=interconnect
    )
    work = advice.workload
    # Every machine × region × purchase option the catalog sells that fits the workload, priced the same way.
    every = [
        evaluate(cat, work, t, o, cap, 2)
        for t in cat.instance_types(accelerator="H100")
        if t.has_fabric or not interconnect
        for o in cat.offers(instance_type=t.name)
        for cap in adv.CAPACITIES
        if not adv._not_sold(t, cap, {"aws"})
    ]
    if not advice.options:
        assert max_usd is not None and all(o.cost_usd is None or o.cost_usd > max_usd for o in every), (
            "nothing listed only when the budget leaves everything out"
        )
        return
    first = rank_key(advice.options[0], objective, carbon_price)
    for o in every:
        within = max_usd is None or (o.cost_usd is not None and o.cost_usd <= max_usd)
        if within:
            assert rank_key(o, objective, carbon_price) >= first, f"{o} beats the first {advice.options[0]}"
        if objective == "cost" and not within and o.cost_usd is not None:
            assert o.cost_usd > (advice.options[0].cost_usd or 0), "what the budget left out costs more"
    shown = advice.to_json(top)["options"]
    assert (
        len(shown) == min(top, len(advice.options))
        and shown[0]["instance_type"] == advice.options[0].instance_type
    )


@pytest.mark.parametrize("hours", [500, 1000])
def test_every_option_of_the_shipped_catalog_equals_the_option_priced_on_its_own(hours: int) -> None:
    from aiinfra.catalog import default_catalog

    cat = default_catalog()
    advice = run(cat, accelerator=None, min_gpu_memory_gb=1, gpus=64, hours=hours)
    assert len(advice.options) > 100, "the whole catalog's accelerator machines are candidates"
    for o in advice.options:
        t = cat.instance_type(o.instance_type)
        alone = evaluate(cat, advice.workload, t, cat.offer(t.name, o.region), o.capacity, o.nodes)  # type: ignore[arg-type]
        assert alone == o, (
            f"sharing lines between purchase options changed {o.instance_type} {o.region} {o.capacity}"
        )
