"""Sanity messages (spec/sanity.py) read word for word: how a long value is cut, how much of the internet an
allow-list opens, which names collide, which rules still apply without an interconnect pool, the fix for a
reserved tag, label prefixes that only look reserved. Written to kill the mutants bench/mutation.py found
alive (issue 19)."""

from __future__ import annotations

import ipaddress
from typing import Any

from aiinfra.clouds.aws import LIMITS as AWS
from aiinfra.spec import StackSpec
from aiinfra.spec.errors import SpecIssue
from aiinfra.spec.sanity import (
    ALLOW_LIST_MAX,
    allow_list_entry_problem,
    label_issues,
    sanity_issues,
    show,
    tag_issues,
)


def cluster(name: str = "train", pools: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "cloud": "aws",
        "region": "us-east-1",
        "nodePools": pools if pools is not None else [{"name": "h100", "instanceType": "p5.48xlarge"}],
        **extra,
    }


def issues_of(*clusters: dict[str, Any]) -> list[SpecIssue]:
    return sanity_issues(StackSpec.model_validate({"clusters": list(clusters)}))[0]


def test_a_long_value_is_shown_as_its_first_sixty_characters_and_an_ellipsis() -> None:
    assert show("y" * 100) == "'" + "y" * 60 + "...'"
    assert show("y" * 60) == "'" + "y" * 60 + "'", "exactly the limit is shown whole"


def test_an_allow_list_entry_too_wide_says_its_share_of_the_internet() -> None:
    problem = allow_list_entry_problem(ipaddress.IPv4Network("64.0.0.0/2"))  # 2**30 addresses
    assert problem is not None
    assert problem[0] == (
        f"64.0.0.0/2 alone opens the Kubernetes API to 1,073,741,824 addresses (25% of the IPv4 internet); at "
        f"most {ALLOW_LIST_MAX:,} (a /8's worth) are allowed."
    )


def test_an_allow_list_too_wide_together_names_its_widest_ranges() -> None:
    ranges = ["11.0.0.0/9", "12.0.0.0/10", "13.0.0.0/9", "14.0.0.0/9", "15.0.0.0/24"]
    issues = [i for i in issues_of(cluster(endpointPublicAccessCidrs=ranges)) if i.path.endswith("Cidrs")]
    assert len(issues) == 1
    # 3 × 2**23 + 2**22 + 256 = 29,360,384 addresses, 0.68 % of 2**32
    assert "29,360,384 addresses (0.7% of the IPv4 internet; widest: 11.0.0.0/9, 13.0.0.0/9, 14.0.0.0/9)" in (
        issues[0].message
    ), issues[0].message


def test_a_collision_says_the_first_shared_name_and_how_many_more() -> None:
    # a + b-c and a-b + c share the pool names {c}-{p}, -pg, -lt and -nodes (clouds/aws.py pool_names)
    issues = issues_of(cluster("a", [{"name": "b-c"}]), cluster("a-b", [{"name": "c"}]))
    assert [i.message for i in issues if i.path == "clusters[1].nodePools[0].name"] == [
        "node pool 'c' of cluster 'a-b' and node pool 'b-c' of cluster 'a' (clusters[0].nodePools[0]) both make "
        "the resource name 'a-b-c' (and 3 more): their resources could not be told apart, and two of the "
        "same type stop `pulumi up`."
    ]
    one = issues_of(cluster("a", [{"name": "net"}]))
    assert [i.message for i in one] == [
        "node pool 'net' of cluster 'a' and cluster 'a' (clusters[0]) both make the resource name 'a-net': their "
        "resources could not be told apart, and two of the same type stop `pulumi up`."
    ]


def test_storage_entries_of_a_cloud_without_storage_name_templates_collide_only_on_their_own_names() -> None:
    def gcp(storage: list[dict[str, Any]], pools: list[dict[str, Any]]) -> dict[str, Any]:
        return {**cluster("g", pools), "cloud": "gcp", "region": "us-central1", "storage": storage}

    two = [
        {"name": "datasets", "kind": "object"},
        {"name": "scratch", "kind": "parallel", "capacityGiB": 12000},
    ]
    assert issues_of(gcp(two, [{"name": "h100", "instanceType": "a3-megagpu-8g"}])) == []
    clash = issues_of(gcp(two, [{"name": "datasets", "instanceType": "a3-megagpu-8g"}]))
    assert [i.path for i in clash] == ["clusters[0].storage[0].name"], (
        "pool and storage 'datasets': g-datasets"
    )


def test_name_limits_after_the_interconnect_only_ones_apply_to_a_cluster_without_interconnect() -> None:
    no_efa = [{"name": "l40s", "instanceType": "g6e.12xlarge", "interconnect": False}]
    issues = issues_of(cluster("a" * 24, no_efa))
    assert [(i.path, i.fix) for i in issues] == [
        ("clusters[0].name", "Shorten the cluster name by 1 character (in total).")
    ], "the NVIDIA device plugin's Helm release: 24 + len('-nvidia-device-plugin') 21 + 9 random = 54 > 53"
    assert "Helm release (NVIDIA device plugin)" in issues[0].message


def test_a_reserved_tag_key_is_renamed() -> None:
    issues = tag_issues("t", {"aws:team": "ml"}, AWS)
    assert [(i.message, i.fix) for i in issues] == [
        ("tag keys starting with 'aws:' (in any case) are reserved by AWS.", "Rename the key.")
    ]


def test_a_label_prefix_that_only_ends_like_a_reserved_domain_is_the_users() -> None:
    labels = {"notkubernetes.io/team": "ml", "myk8s.io/tier": "gold", "notaiinfra.dev/pool": "a"}
    assert label_issues("l", labels, AWS) == []
