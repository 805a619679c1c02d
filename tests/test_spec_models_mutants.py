"""The stack spec's structure (spec/models.py) as a user meets it: each bound, strict type and cross-field
rule as the message `infra plan` prints for one bad value in an otherwise valid stack, the value just inside
each bound accepted, the defaults a spec that says nothing gets, the node counts a pool's sizes mean, and
the key descriptions `infra schema` gives editors. The cases bench/mutation.py found untested."""

from __future__ import annotations

import copy
import ipaddress
from pathlib import Path
from typing import Any

import pytest
import yaml

from aiinfra.catalog import default_catalog
from aiinfra.cli.schema import stack_file_schema
from aiinfra.spec import SpecError
from aiinfra.spec.loader import parse_spec
from aiinfra.spec.models import Budget, Cluster, EdgeSite, Network, NodePool, StackSpec, Storage, Usage

REPO = Path(__file__).resolve().parents[1]
CATALOG = default_catalog()
NAME_FIX = "Fix: Names are lower-case letters, digits and '-', starting with a letter, at most 24 characters."


def stack(name: str) -> dict[str, Any]:
    """A shipped example stack's spec as parse_spec takes it (`aiinfra:` stripped from the keys)."""
    doc = yaml.safe_load((REPO / "stacks" / f"Pulumi.{name}.yaml").read_text(encoding="utf-8"))
    return {
        k.split(":", 1)[1]: copy.deepcopy(v) for k, v in doc["config"].items() if k.startswith("aiinfra:")
    }


def issues(data: dict[str, Any]) -> list[str]:
    """What `infra plan` prints for the spec: [] when it is valid."""
    try:
        parse_spec(data, CATALOG)
    except SpecError as e:
        return [str(i) for i in e.issues]
    return []


def edge(**values: Any) -> dict[str, Any]:
    """The edge example (a cluster whose first pool scales 1-4, a Local Zone site scaling 1-3)."""
    data = stack("edge")
    data["clusters"][0]["nodePools"][0].update(values.pop("pool", {}))
    data["clusters"][0].update(values.pop("cluster", {}))
    data["edgeSites"][0].update(values.pop("site", {}))
    assert not values
    return data


def with_usage(**usage: Any) -> dict[str, Any]:
    data = stack("example")
    data["usage"] = usage
    return data


def with_budget(**budget: Any) -> dict[str, Any]:
    data = stack("example")
    data["budget"] = budget
    return data


def test_the_stacks_these_tests_start_from_are_valid() -> None:
    assert issues(stack("edge")) == [] and issues(stack("example")) == []


# -- names, text and CIDRs ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a", "a" * 24, "h100-pool", "x9"])
def test_a_dns_label_name_is_accepted(name: str) -> None:
    assert issues(edge(pool={"name": name})) == []


@pytest.mark.parametrize("name", ["Train", "a" * 25, "9gpu", "gpu-", "gpu_pool"])
def test_a_name_that_is_no_dns_label_is_refused(name: str) -> None:
    assert issues(edge(pool={"name": name})) == [
        f"clusters[0].nodePools[0].name: {name!r} is not a valid name. {NAME_FIX}"
    ]


def test_text_and_labels_are_bounded_at_256_characters() -> None:
    over = "x" * 257
    shown = f"'{'x' * 60}'…(257 chars)"
    assert issues(edge(pool={"instanceType": over})) == [
        f"clusters[0].nodePools[0].instanceType: string should have at most 256 characters (got {shown}). "
        "Fix: Use at most 256 characters."
    ]
    assert issues(edge(pool={"labels": {"k": over}})) == [
        f"clusters[0].nodePools[0].labels.k: string should have at most 256 characters (got {shown}). "
        "Fix: Use at most 256 characters."
    ]
    # 256 characters pass the structure check and reach the semantic ones
    at_bound = issues(edge(pool={"labels": {"k": "x" * 256}}))
    assert len(at_bound) == 1 and "is not a Kubernetes label value" in at_bound[0]
    at_bound = issues(edge(pool={"topology": "x" * 256}))
    assert at_bound == [
        "clusters[0].nodePools[0].topology: topology sets a TPU slice shape, and TPUs exist only on GCP; remove it."
    ]


def test_a_cidr_must_be_text() -> None:
    assert issues(edge(cluster={"network": {"cidr": 10}})) == [
        "clusters[0].network.cidr: 10 is not a CIDR; write it as text such as 10.40.0.0/16."
    ]
    assert issues(edge(cluster={"network": {"cidr": "10.60.0.0/16"}})) == []


def test_a_network_built_in_code_keeps_its_cidr_object() -> None:
    cidr = ipaddress.IPv4Network("10.60.0.0/16")
    assert Network(cidr=cidr).cidr == cidr
    assert Network().cidr == ipaddress.IPv4Network("10.40.0.0/16")
    assert Network().nat_gateways == "one"


def test_an_unknown_key_is_refused() -> None:
    assert issues(edge(cluster={"colour": "red"})) == [
        "clusters[0].colour: unknown key 'colour'. Fix: Did you mean 'cloud'? Valid: cloud, "
        "endpointPublicAccessCidrs, kubernetesVersion, name, network, nodePools, project, region, storage, "
        "systemInstanceType, systemNodes, tags, zone."
    ]


# -- numbers: bounds and strict types -----------------------------------------------------------------------


def test_the_smallest_system_pool_and_disk_are_accepted_and_one_less_is_not() -> None:
    assert issues(edge(cluster={"systemNodes": 1}, pool={"diskGiB": 100})) == []
    assert issues(edge(cluster={"systemNodes": 0})) == [
        "clusters[0].systemNodes: input should be greater than or equal to 1 (got 0). Fix: Use a number of at "
        "least 1."
    ]
    assert issues(edge(pool={"diskGiB": 99})) == [
        "clusters[0].nodePools[0].diskGiB: input should be greater than or equal to 100 (got 99). Fix: Use a "
        "number of at least 100."
    ]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"site": {"nodes": "3", "minNodes": None, "maxNodes": None}},
            "edgeSites[0].nodes: expected a whole number, got text '3'. Fix: Write a whole number without "
            "quotes, such as 4.",
        ),
        (
            {"site": {"nodes": True, "minNodes": None, "maxNodes": None}},
            "edgeSites[0].nodes: expected a whole number, got a boolean True. Fix: Write a whole number without "
            "quotes, such as 4.",
        ),
        (
            {"cluster": {"systemNodes": "2"}},
            "clusters[0].systemNodes: expected a whole number, got text '2'. Fix: Write a whole number without "
            "quotes, such as 4.",
        ),
    ],
)
def test_a_node_count_must_be_a_whole_number_not_text_or_a_boolean(
    values: dict[str, Any], expected: str
) -> None:
    data = edge(**values)
    for entry in data["edgeSites"]:  # None stands for a key left out
        for key in [k for k, v in entry.items() if v is None]:
            del entry[key]
    assert issues(data) == [expected]


@pytest.mark.parametrize(
    ("usage", "expected"),
    [
        (
            {"hoursPerMonth": "100", "utilization": 0.5},
            "usage.hoursPerMonth: expected a number, got text '100'. Fix: Write a number without quotes, such as "
            "0.5.",
        ),
        (
            {"hoursPerMonth": 100, "utilization": "0.5"},
            "usage.utilization: expected a number, got text '0.5'. Fix: Write a number without quotes, such as "
            "0.5.",
        ),
        (
            {"hoursPerMonth": 100, "utilization": 1.5},
            "usage.utilization: input should be less than or equal to 1 (got 1.5). Fix: Use a number of at most 1.",
        ),
        (
            {"hoursPerMonth": 100, "utilization": float("nan")},
            "usage.utilization: input should be a finite number (got nan). Fix: Write a finite number.",
        ),
    ],
)
def test_custom_usage_numbers_are_bounded_finite_numbers(usage: dict[str, Any], expected: str) -> None:
    assert issues(with_usage(profile="custom", **usage)) == [expected]


def test_full_utilization_is_a_valid_custom_usage() -> None:
    assert issues(with_usage(profile="custom", hoursPerMonth=744, utilization=1)) == []
    assert issues(with_usage(profile="custom", hoursPerMonth=100, utilization=0)) == []


# -- pool sizes -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [
        ({"nodes": 2}, "clusters[0].nodePools[0]: give either nodes, or minNodes/maxNodes, not both."),
        (
            {"minNodes": 3, "maxNodes": 2},
            "clusters[0].nodePools[0]: minNodes (3) is larger than maxNodes (2).",
        ),
    ],
)
def test_pool_sizes_that_contradict_each_other_are_refused(sizes: dict[str, Any], expected: str) -> None:
    assert issues(edge(pool=sizes)) == [expected]


@pytest.mark.parametrize(
    "sizes",
    [
        {"minNodes": 2, "maxNodes": 2},
        {"maxNodes": None},
        {"minNodes": None},
        {"minNodes": None, "maxNodes": None, "nodes": 3},
        {"minNodes": None, "maxNodes": None},
    ],
)
def test_consistent_pool_sizes_are_accepted(sizes: dict[str, Any]) -> None:
    data = edge()
    pool = data["clusters"][0]["nodePools"][0]
    pool.update(sizes)
    for key in [k for k, v in pool.items() if v is None]:
        del pool[key]
    assert issues(data) == []


@pytest.mark.parametrize(
    ("sizes", "scaling"),
    [
        ({"nodes": 4}, (4, 4, 4)),
        ({"nodes": 0}, (0, 0, 1)),
        ({"minNodes": 2, "maxNodes": 5}, (2, 2, 5)),
        ({"maxNodes": 3}, (0, 0, 3)),
        ({"minNodes": 2}, (2, 2, 2)),
        ({"minNodes": 0}, (0, 0, 1)),
        ({}, (0, 0, 1)),
    ],
)
def test_a_pools_sizes_mean_min_desired_and_max_nodes(
    sizes: dict[str, int], scaling: tuple[int, int, int]
) -> None:
    assert NodePool(name="gpu", **sizes).scaling == scaling


@pytest.mark.parametrize(
    ("sizes", "scaling"),
    [
        ({}, (1, 1, 1)),
        ({"nodes": 3}, (3, 3, 3)),
        ({"nodes": 0}, (0, 0, 1)),
        ({"minNodes": 0, "maxNodes": 3}, (0, 0, 3)),
        ({"maxNodes": 2}, (0, 0, 2)),
        ({"minNodes": 2}, (2, 2, 2)),
    ],
)
def test_an_edge_sites_sizes_default_to_one_node(
    sizes: dict[str, int], scaling: tuple[int, int, int]
) -> None:
    site = EdgeSite(name="lax", cloud="aws", location="us-west-2-lax-1a", **sizes)
    assert site.scaling == scaling


def test_an_edge_site_with_both_sizes_is_refused() -> None:
    assert issues(edge(site={"nodes": 2})) == [
        "edgeSites[0]: give either nodes, or minNodes/maxNodes, not both."
    ]
    assert issues(edge(site={"minNodes": 3, "maxNodes": 2})) == [
        "edgeSites[0]: minNodes (3) is larger than maxNodes (2)."
    ]


def test_a_parsed_edge_site_is_the_site_written() -> None:
    spec = parse_spec(stack("edge"), CATALOG)
    lax, sfo = spec.edge_sites
    assert (lax.name, lax.scaling, lax.public, lax.capacity) == ("lax", (1, 1, 3), False, "on-demand")
    assert (sfo.name, sfo.scaling, sfo.public) == ("sfo-5g", (1, 1, 1), True)


# -- usage and budget -------------------------------------------------------------------------------------


CUSTOM_NEEDS = (
    "usage: profile custom needs hoursPerMonth (1-744) and utilization (0-1); or use a named profile such as "
    "training-steady."
)


@pytest.mark.parametrize(
    ("usage", "expected"),
    [
        ({"profile": "custom"}, [CUSTOM_NEEDS]),
        ({"profile": "custom", "hoursPerMonth": 100}, [CUSTOM_NEEDS]),
        ({"profile": "custom", "utilization": 0.5}, [CUSTOM_NEEDS]),
        ({"profile": "custom", "hoursPerMonth": 100, "utilization": 0.5}, []),
        ({"profile": "training-steady"}, []),
        ({}, []),
        (
            {"profile": "training-steady", "utilization": 0.5},
            [
                "usage: hoursPerMonth and utilization belong to profile custom, not training-steady; set profile: "
                "custom, or remove them."
            ],
        ),
        (
            {"profile": "batch-weekday", "hoursPerMonth": 100},
            [
                "usage: hoursPerMonth and utilization belong to profile custom, not batch-weekday; set profile: "
                "custom, or remove them."
            ],
        ),
    ],
)
def test_custom_usage_needs_both_numbers_and_a_named_profile_none(
    usage: dict[str, Any], expected: list[str]
) -> None:
    assert issues(with_usage(**usage)) == expected


@pytest.mark.parametrize(
    ("budget", "expected"),
    [
        ({"maxMonthlyUsd": 200000}, []),
        ({"maxMonthlyUsd": 5.5}, []),
        ({"maxMonthlyUsd": 10**15}, []),
        ({"maxMonthlyCo2eKg": 10000}, []),
        (
            {"maxMonthlyUsd": 10**16},
            [
                "budget.maxMonthlyUsd: 10000000000000000 is larger than any budget; write a number up to 1e+15."
            ],
        ),
        (
            {"maxMonthlyUsd": -(10**16)},
            [
                "budget.maxMonthlyUsd: -10000000000000000 is larger than any budget; write a number up to 1e+15."
            ],
        ),
        (
            {"maxMonthlyUsd": float("nan")},
            ["budget.maxMonthlyUsd: input should be a finite number (got nan). Fix: Write a finite number."],
        ),
        (
            {"failOnIncomplete": False},
            [
                "budget: a budget needs maxMonthlyUsd or maxMonthlyCo2eKg (or both); without a limit it gates "
                "nothing. Add one, or remove aiinfra:budget."
            ],
        ),
    ],
)
def test_a_budget_limits_something_with_a_finite_sensible_number(
    budget: dict[str, Any], expected: list[str]
) -> None:
    assert issues(with_budget(**budget)) == expected


# -- defaults a spec that says nothing gets -----------------------------------------------------------------


def test_the_defaults_of_an_unsaid_key() -> None:
    pool = NodePool(name="gpu", nodes=1)
    assert (pool.capacity, pool.interconnect, pool.disk_gib) == ("on-demand", True, 500)
    assert Storage(name="data", kind="object").protect is True
    cluster = Cluster(name="c", cloud="aws", region="us-east-1", node_pools=[pool])
    assert (cluster.system_nodes, cluster.kubernetes_version, cluster.endpoint_public_access_cidrs) == (
        2,
        "1.35",
        [],
    )
    site = EdgeSite(name="lax", cloud="aws", location="us-west-2-lax-1a")
    assert (site.capacity, site.public, site.local_cluster, site.disk_gib) == ("on-demand", False, False, 200)
    assert Budget(max_monthly_usd=1).fail_on_incomplete is True
    assert Usage().profile == "training-steady"
    assert StackSpec().budget is None


def test_the_example_stacks_storage_keys_are_read() -> None:
    spec = parse_spec(stack("example"), CATALOG)
    scratch = spec.clusters[0].storage[1]
    assert (scratch.capacity_gib, scratch.throughput_mbps_per_tib, scratch.data_repository) == (
        4800,
        250,
        "datasets",
    )
    assert spec.budget is not None and spec.budget.max_monthly_co2e_kg == 10000


# -- what `infra schema` tells an editor --------------------------------------------------------------------


def test_the_schema_describes_the_budget_and_its_keys() -> None:
    schema = stack_file_schema()
    budget = schema["properties"]["config"]["properties"]["aiinfra:budget"]
    assert budget["description"] == (
        "Monthly cost and carbon limits the estimate and check commands and the PR workflow gate on."
    )
    keys = schema["$defs"]["Budget"]["properties"]
    assert keys["maxMonthlyUsd"]["description"] == (
        "The most the stack may cost a month, in US dollars (the estimate's total, at its usage profile)."
    )
    assert keys["failOnIncomplete"]["default"] is True
    assert keys["failOnIncomplete"]["description"].startswith("Fail closed (the default)")
