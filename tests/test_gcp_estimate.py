"""The estimate of what the GCP components plan: every resource priced or listed free/unpriced with a
reason, and DWS flex-start pools priced as an upper bound with that said."""

from __future__ import annotations

from aiinfra.catalog import default_catalog
from aiinfra.estimate import estimate
from aiinfra.estimate.usage import PROFILES
from tests.test_gcp_components import plan_cluster


def test_a_flex_start_pool_is_priced_at_on_demand_and_says_it_is_an_upper_bound() -> None:
    graph = plan_cluster(
        {
            "name": "flex",
            "instanceType": "a3-megagpu-8g",
            "minNodes": 0,
            "maxNodes": 2,
            "capacity": "capacity-block",
        }
    )
    result = estimate(graph, default_catalog(), profile=PROFILES["training-steady"])
    compute = [
        ln for ln in result.lines if ln.resource == "train-flex-nodes" and "a3-megagpu-8g" in ln.description
    ]
    assert len(compute) == 1
    assert any("DWS flex-start" in a and "upper bound" in a for a in compute[0].assumptions)
    on_demand = [
        ln
        for ln in estimate(
            plan_cluster({"name": "flex", "instanceType": "a3-megagpu-8g", "minNodes": 0, "maxNodes": 2}),
            default_catalog(),
            profile=PROFILES["training-steady"],
        ).lines
        if ln.resource == "train-flex-nodes" and "a3-megagpu-8g" in ln.description
    ]
    assert on_demand[0].unit_price_usd == compute[0].unit_price_usd, "the same on-demand rate"
    assert not any("DWS" in a for a in on_demand[0].assumptions), "only flex-start pools carry the note"


def test_every_resource_of_a_gcp_cluster_is_priced_free_or_unpriced_with_a_reason() -> None:
    graph = plan_cluster({"name": "v5p", "accelerator": "TPU-v5p", "topology": "2x2x4"})
    result = estimate(graph, default_catalog(), profile=PROFILES["training-steady"])
    seen = (
        {ln.resource for ln in result.lines}
        | {u.resource for u in result.unpriced}
        | {f.resource for f in result.free}
    )
    custom = {r.name for r in graph.resources if r.custom}
    assert custom - seen == set(), f"resources the estimate does not account for: {custom - seen}"
    assert [(u.resource, u.reason.split(":")[0]) for u in result.unpriced] == [
        ("train-net-nat", "traffic unknown")
    ], "only NAT traffic, which depends on usage, is unpriced"
    tpu = [
        ln for ln in result.lines if ln.resource == "train-v5p-nodes" and "ct5p-hightpu-4t" in ln.description
    ]
    assert len(tpu) == 1 and tpu[0].description.startswith("4 × ct5p-hightpu-4t"), "4 hosts of the slice"
