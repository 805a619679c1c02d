"""Nonsense in a stack spec is refused with the fix (spec/sanity.py): CIDRs no cloud takes, names that
collide or grow too long once the components join them, tags and labels the cloud or Kubernetes refuses;
sizes above a default quota are warnings. Pure checks first, then through the real `infra plan`."""

from __future__ import annotations

import copy
import ipaddress
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from aiinfra.cli.main import app
from aiinfra.clouds.aws import LIMITS as AWS
from aiinfra.components.stack import run_program
from aiinfra.engine.plan import plan_program
from aiinfra.spec import StackSpec, load_stack_spec
from aiinfra.spec.errors import SpecIssue
from aiinfra.spec.loader import read_stack_config, stack_file
from aiinfra.spec.sanity import (
    ALLOW_LIST_MAX,
    allow_list_entry_problem,
    allow_list_union_problem,
    cidr_text_issue,
    derived_names,
    label_issues,
    network_cidr_problem,
    sanity_issues,
    show,
    tag_issues,
)

REPO = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
V4 = ipaddress.IPv4Network


def cluster(name: str = "train", pools: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "cloud": "aws",
        "region": "us-east-1",
        "nodePools": pools if pools is not None else [{"name": "h100", "instanceType": "p5.48xlarge"}],
        **extra,
    }


def spec_of(*clusters: dict[str, Any]) -> StackSpec:
    return StackSpec.model_validate({"clusters": list(clusters)})


def issues_of(*clusters: dict[str, Any]) -> list[SpecIssue]:
    return sanity_issues(spec_of(*clusters))[0]


def at(issues: list[SpecIssue], path: str) -> list[SpecIssue]:
    return [i for i in issues if i.path == path]


def only(issues: list[SpecIssue], path: str) -> SpecIssue:
    found = at(issues, path)
    assert len(found) == 1, f"expected one issue at {path}, got: {[str(i) for i in issues]}"
    return found[0]


# -- the shipped stacks ------------------------------------------------------------------------------------


@pytest.mark.parametrize("stack", ["example", "reserved"])
def test_the_example_stacks_pass_every_sanity_check_without_a_warning(stack: str) -> None:
    issues, warnings = sanity_issues(load_stack_spec(stack, root=REPO))
    assert issues == [], f"the shipped stack {stack} must stay valid: {[str(i) for i in issues]}"
    assert warnings == [], f"the shipped stack {stack} must plan without warnings: {warnings}"


@pytest.mark.parametrize("stack", ["example", "reserved"])
def test_every_resource_name_the_plan_declares_is_one_the_collision_check_knows(stack: str) -> None:
    spec = load_stack_spec(stack, root=REPO)
    graph = plan_program(run_program, stack=stack, config=read_stack_config(stack_file(stack, REPO)))
    known = set(derived_names(spec))
    unknown = sorted(
        r.name for r in graph.resources if r.name not in known and r.type != "pulumi:pulumi:Stack"
    )
    assert unknown == [], (
        "clouds/aws.py LIMITS name templates must cover every name the components derive, or a collision "
        f"could slip through; missing: {unknown}"
    )


# -- CIDRs -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cidr", "says"),
    [
        ("127.0.0.0/16", "loopback"),
        ("169.254.0.0/16", "link-local"),
        ("0.0.0.0/16", "this network"),
        ("224.0.0.0/16", "multicast"),
        ("240.0.0.0/16", "reserved"),
        ("100.64.0.0/16", "carrier-grade NAT"),
        ("198.18.0.0/16", "benchmarking"),
        ("8.8.0.0/16", "public range"),
        ("10.0.0.0/7", "reaches beyond the private range 10.0.0.0/8"),
    ],
)
def test_a_cluster_network_outside_the_private_ranges_is_refused_by_what_it_is(cidr: str, says: str) -> None:
    problem = network_cidr_problem(V4(cidr))
    assert problem is not None, f"{cidr} cannot hold a VPC and must be refused"
    message, fix = problem
    assert says in message, f"the message must say what {cidr} is ({says}): {message}"
    assert "10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16" in fix, (
        f"the fix must name the private ranges: {fix}"
    )


@pytest.mark.parametrize("cidr", ["10.40.0.0/16", "172.16.0.0/16", "192.168.0.0/20", "172.31.0.0/16"])
def test_a_private_cluster_network_is_accepted(cidr: str) -> None:
    assert network_cidr_problem(V4(cidr)) is None, f"{cidr} is private (RFC 1918) and must pass"


@given(st.integers(0, 2**32 - 1), st.integers(0, 32))
def test_an_accepted_cluster_network_is_private_and_nothing_special(address: int, prefix: int) -> None:
    net = V4((address, prefix), strict=False)
    if network_cidr_problem(net) is None:
        assert any(net.subnet_of(V4(p)) for p in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")), net
        for flag in ("is_loopback", "is_link_local", "is_multicast", "is_reserved", "is_unspecified"):
            assert not getattr(net, flag), f"{net} was accepted but {flag}"


def test_two_halves_of_the_internet_in_an_allow_list_are_refused_together() -> None:
    issues = issues_of(cluster(endpointPublicAccessCidrs=["0.0.0.0/1", "128.0.0.0/1"]))
    for j in (0, 1):
        issue = only(issues, f"clusters[0].endpointPublicAccessCidrs[{j}]")
        assert "2,147,483,648 addresses" in issue.message, f"each half alone is far too wide: {issue}"
        assert "office" in issue.fix, f"the fix says what to list instead: {issue.fix}"


def test_many_ranges_that_together_cover_more_than_a_slash_8_are_refused_as_a_list() -> None:
    ranges = [f"{n}.0.0.0/9" for n in (11, 12, 13)]  # each half a /8: 1.5 /8s together
    problem = allow_list_union_problem([V4(c) for c in ranges])
    assert problem is not None, "three /9s open 25 million addresses and must be refused"
    assert "25,165,824 addresses" in problem[0] and "a /8's worth" in problem[0], problem[0]
    issues = issues_of(cluster(endpointPublicAccessCidrs=ranges))
    assert only(issues, "clusters[0].endpointPublicAccessCidrs").fix, "the list-level issue carries a fix"


def test_a_small_public_allow_list_and_documentation_ranges_are_accepted() -> None:
    cidrs = [V4("198.51.100.0/24"), V4("52.94.0.0/22"), V4("3.5.140.7/32"), V4("203.0.113.0/24")]
    assert [allow_list_entry_problem(c) for c in cidrs] == [None] * 4, "public office ranges must pass"
    assert allow_list_union_problem(cidrs) is None, "a few small ranges stay far below a /8"


@pytest.mark.parametrize(
    ("cidr", "says"),
    [
        ("10.1.0.0/16", "is private"),
        ("192.168.1.0/24", "is private"),
        ("127.0.0.1/32", "loopback"),
        ("169.254.169.254/32", "link-local"),
        ("224.0.0.0/24", "multicast"),
    ],
)
def test_an_allow_list_entry_no_internet_client_can_have_is_refused(cidr: str, says: str) -> None:
    problem = allow_list_entry_problem(V4(cidr))
    assert problem is not None and says in problem[0], f"{cidr} must be refused as {says}: {problem}"


@given(st.lists(st.tuples(st.integers(0, 2**32 - 1), st.integers(4, 32)), max_size=6))
def test_an_accepted_allow_list_opens_at_most_a_slash_8_to_public_addresses(
    raw: list[tuple[int, int]],
) -> None:
    cidrs = [V4(r, strict=False) for r in raw]
    if all(allow_list_entry_problem(c) is None for c in cidrs) and allow_list_union_problem(cidrs) is None:
        total = sum(n.num_addresses for n in ipaddress.collapse_addresses(cidrs))
        assert total <= ALLOW_LIST_MAX, f"accepted {cidrs} open {total} addresses"
        assert not any(c.is_loopback or c.is_multicast or c.is_link_local for c in cidrs), cidrs
        assert not any(c.overlaps(V4("10.0.0.0/8")) or c.overlaps(V4("192.168.0.0/16")) for c in cidrs)


@pytest.mark.parametrize(
    ("text", "says", "fix"),
    [
        ("10.40.0.1/16", "host bits set", "Did you mean 10.40.0.0/16?"),
        ("fd00::/8", "IPv6 range; every cluster network is an IPv4 block", "e.g. 10.40.0.0/16"),
        ("10.0.0.0/33", "'/33' is not an IPv4 prefix length: it runs from /0 to /32", "/16 to /20"),
        ("10.300.0.0/16", "'10.300.0.0' is not an IPv4 address", "address/prefix"),
    ],
)
def test_cidr_text_pydantic_refuses_is_explained_with_a_fix(text: str, says: str, fix: str) -> None:
    issue = cidr_text_issue("clusters[0].network.cidr", text)
    assert says in issue.message, f"the message must say what is wrong with {text}: {issue.message}"
    assert fix in issue.fix, f"the fix for {text} must say what to write: {issue.fix}"


def test_an_ipv6_range_in_the_allow_list_says_the_list_takes_ipv4() -> None:
    issue = cidr_text_issue("clusters[0].endpointPublicAccessCidrs[0]", "2001:db8::/32")
    assert "takes IPv4 client ranges" in issue.message and "198.51.100.0/24" in issue.fix, str(issue)


# -- names as the components join them ---------------------------------------------------------------------


def test_cluster_a_pool_b_c_and_cluster_a_b_pool_c_collide_and_both_are_named() -> None:
    issues = issues_of(cluster("a", [{"name": "b-c"}]), cluster("a-b", [{"name": "c"}]))
    issue = only(issues, "clusters[1].nodePools[0].name")
    assert "'a-b-c" in issue.message, f"the message shows a clashing name: {issue.message}"
    assert "clusters[0].nodePools[0]" in issue.message, f"the other entry is named: {issue.message}"
    assert "Rename one of them" in issue.fix, issue.fix


def test_a_pool_named_like_a_part_of_the_cluster_collides_with_it() -> None:
    issue = only(issues_of(cluster("a", [{"name": "net"}])), "clusters[0].nodePools[0].name")
    assert "cluster 'a' (clusters[0])" in issue.message and "'a-net'" in issue.message, issue.message
    assert issue.fix.startswith("Rename the node pool: the cluster's own resources"), issue.fix


def test_a_pool_and_a_storage_entry_of_the_same_name_collide() -> None:
    issues = issues_of(cluster("a", [{"name": "data"}], storage=[{"name": "data", "kind": "object"}]))
    assert only(issues, "clusters[0].storage[0].name"), "pool 'data' and storage 'data' both make 'a-data'"


def test_a_pool_name_used_twice_is_left_to_the_duplicate_check() -> None:
    issues = issues_of(cluster("a", [{"name": "x"}, {"name": "x"}]))
    assert issues == [], f"a plain duplicate is reported once by semantics, not again here: {issues}"


NAMES = st.from_regex(r"[ab](-?[ab]){0,3}", fullmatch=True)


@settings(max_examples=100)
@given(NAMES, NAMES, NAMES, NAMES)
def test_joined_names_are_distinct_or_a_collision_is_reported(c1: str, p1: str, c2: str, p2: str) -> None:
    if c1 == c2:
        return  # one cluster name twice is the duplicate check's
    issues = issues_of(cluster(c1, [{"name": p1}]), cluster(c2, [{"name": p2}]))
    names = derived_names(spec_of(cluster(c1, [{"name": p1}]), cluster(c2, [{"name": p2}])))
    shared = [n for n, owners in names.items() if len(owners) > 1]
    assert bool(shared) == bool(issues), f"shared names {shared} and issues {issues} must go together"
    if f"{c1}-{p1}" == f"{c2}-{p2}":
        assert issues, f"{c1}+{p1} and {c2}+{p2} join to the same pool name and must be refused"


def test_a_bucket_name_over_63_characters_with_the_random_suffix_is_refused_with_the_count() -> None:
    long_cluster, long_store = "c" * 24, "s" * 24  # c-s-bucket is 56 + 8 random = 64
    issues = issues_of(cluster(long_cluster, storage=[{"name": long_store, "kind": "object"}]))
    issue = only(issues, "clusters[0].storage[0].name")
    assert "S3 bucket" in issue.message and "64 characters" in issue.message, issue.message
    assert issue.fix == "Shorten the storage name or the cluster name by 1 character (in total).", issue.fix


def test_a_long_cluster_name_overflows_the_helm_release_of_the_efa_device_plugin() -> None:
    name = "a" * 19  # a...-aws-efa-k8s-device-plugin is 45, + 9 random = 54 > 53
    issue = only(issues_of(cluster(name)), "clusters[0].name")
    assert "Helm release (EFA device plugin)" in issue.message and "53" in issue.message, issue.message
    assert "by 1 character" in issue.fix, issue.fix
    no_efa = [{"name": "l40s", "instanceType": "g6e.12xlarge", "interconnect": False}]
    assert issues_of(cluster(name, no_efa)) == [], "without an interconnect pool there is no EFA plugin"


def test_a_cluster_name_that_makes_bucket_names_start_with_xn_dash_dash_is_refused() -> None:
    issue = only(issues_of(cluster("xn--a", storage=[{"name": "d", "kind": "object"}])), "clusters[0].name")
    assert "starts with 'xn--'" in issue.message and "Rename the cluster" in issue.fix, str(issue)


# -- tags --------------------------------------------------------------------------------------------------


def test_tags_plus_the_ones_aiinfra_adds_may_not_exceed_fifty() -> None:
    assert tag_issues("t", {f"k{i}": "v" for i in range(45)}, AWS) == [], "45 + 5 added is exactly 50"
    issue = only(tag_issues("t", {f"k{i}": "v" for i in range(47)}, AWS), "t")
    assert "47 tags plus the 5 aiinfra adds" in issue.message and issue.fix == "Remove 2 tags.", str(issue)


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("AWS:owner", "x", "reserved by AWS"),
        ("aiinfra:cluster", "x", "aiinfra sets the tag"),
        ("Name", "x", "aiinfra sets the tag"),
        ("k" * 129, "x", "1 to 128 characters"),
        ("team", "v" * 257, "at most 256 characters"),
        ("team#1", "x", "'#'"),
        ("team", "aws:thing", "tag values starting with 'aws:'"),
    ],
)
def test_a_tag_aws_refuses_is_refused_with_its_key_in_the_path(key: str, value: str, says: str) -> None:
    issues = tag_issues("clusters[0].tags", {key: value}, AWS)
    assert issues, f"{key!r}: {value!r} must be refused"
    assert any(says in i.message for i in issues), f"expected '{says}' in {[str(i) for i in issues]}"
    assert all(i.path.startswith('clusters[0].tags."') and i.fix for i in issues), issues


def test_tags_with_unicode_letters_spaces_and_the_allowed_signs_pass() -> None:
    assert tag_issues("t", {"équipe": "ML plateforme", "cost-center": "a+b=c@d/e:f_g.h"}, AWS) == []


def test_a_quoted_user_value_is_capped_and_control_characters_escaped() -> None:
    shown = show("x\n\x1b[31m" + "y" * 500)
    assert "\n" not in shown and "\x1b" not in shown, f"control characters must be escaped: {shown!r}"
    assert len(shown) <= 65 and shown.endswith("...'"), f"long input is cut at about 60: {shown!r}"


# -- Kubernetes labels -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("bad key", "x", "not a Kubernetes label name"),
        ("kubernetes.io/role", "x", "reserved for Kubernetes"),
        ("node.kubernetes.io/pool", "x", "reserved for Kubernetes"),
        ("k8s.io/x", "x", "reserved for Kubernetes"),
        ("aiinfra.dev/pool", "x", "aiinfra's own"),
        ("Example.com/team", "x", "not a DNS subdomain"),
        ("a/b/c", "x", "more than one '/'"),
        ("example.com/" + "k" * 60, "x", "whole key"),
        ("team", "", "empty label value"),
        ("team", "-ml", "not a Kubernetes label value"),
        ("team", "v" * 64, "not a Kubernetes label value"),
    ],
)
def test_a_node_label_kubernetes_or_eks_refuses_is_refused(key: str, value: str, says: str) -> None:
    issues = label_issues("clusters[0].nodePools[0].labels", {key: value}, AWS)
    assert any(says in i.message for i in issues), f"expected '{says}' for {key!r}={value!r}: {issues}"
    assert all(i.fix for i in issues), f"every label issue carries a fix: {issues}"


def test_the_path_of_a_bad_label_quotes_its_key() -> None:
    issues = issues_of(cluster(pools=[{"name": "h100", "labels": {"bad key": "x"}}]))
    issue = only(issues, 'clusters[0].nodePools[0].labels."bad key"')
    assert "Rename the key, e.g. bad-key" in issue.fix, issue.fix


def test_good_node_labels_pass() -> None:
    labels = {"team": "ml", "example.com/tier": "gold", "a.b-c.io/x_y.z": "", "w": "A-1_b.2"}
    assert label_issues("l", {k: v or "x" for k, v in labels.items()}, AWS) == []


# -- quotas: warnings, not errors --------------------------------------------------------------------------


def test_more_pools_than_the_node_group_quota_is_a_warning_with_how_to_ask_for_more() -> None:
    pools = [{"name": f"p{i}", "instanceType": "g6e.12xlarge", "interconnect": False} for i in range(30)]
    issues, warnings = sanity_issues(spec_of(cluster("a", pools)))
    assert issues == [], f"a quota is adjustable: a warning, not an error: {issues}"
    assert len(warnings) == 1 and "31 managed node groups" in warnings[0], warnings
    assert "Service Quotas" in warnings[0] and "service-quotas.html" in warnings[0], warnings[0]


def test_a_pool_beyond_the_nodes_per_node_group_quota_is_a_warning() -> None:
    pools = [{"name": "p5", "instanceType": "p5.48xlarge", "maxNodes": 500}]
    issues, warnings = sanity_issues(spec_of(cluster("a", pools)))
    assert issues == [] and len(warnings) == 1, (issues, warnings)
    assert warnings[0].startswith("clusters[0].nodePools[0]: pool 'p5' scales to 500 nodes"), warnings[0]
    assert "450" in warnings[0] and "vCPU quota" in warnings[0], warnings[0]


def test_lustre_beyond_the_regional_default_quota_is_a_warning() -> None:
    storage = [
        {"name": "s1", "kind": "lustre", "capacityGiB": 72000},
        {"name": "s2", "kind": "lustre", "capacityGiB": 48000},
    ]
    _, warnings = sanity_issues(spec_of(cluster("a", storage=storage)))
    assert len(warnings) == 1 and "120,000 GiB" in warnings[0] and "100,800" in warnings[0], warnings


# -- through the real CLI ----------------------------------------------------------------------------------


def example_doc() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load((REPO / "stacks" / "Pulumi.example.yaml").read_text("utf-8")))


def run_plan(tmp_path: Path, doc: dict[str, Any]) -> tuple[int, str, str]:
    path = tmp_path / "Pulumi.bad.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = CliRunner().invoke(app, ["plan", "-s", str(path)])
    return result.exit_code, ANSI.sub("", result.stdout), ANSI.sub("", result.stderr)


def test_infra_plan_refuses_host_bits_with_did_you_mean(tmp_path: Path) -> None:
    doc = example_doc()
    doc["config"]["aiinfra:clusters"][0]["network"]["cidr"] = "10.40.0.1/16"
    code, out, err = run_plan(tmp_path, doc)
    assert code == 2 and out == "", f"bad input exits 2 with nothing on stdout: {code}\n{err}"
    assert "clusters[0].network.cidr" in err and "Did you mean 10.40.0.0/16?" in err, err
    assert "Traceback" not in err, err


def test_infra_plan_refuses_colliding_cluster_and_pool_names(tmp_path: Path) -> None:
    doc = example_doc()
    first = doc["config"]["aiinfra:clusters"][0]
    first["name"], first["nodePools"][0]["name"] = "a", "b-h100"
    second = copy.deepcopy(first)
    second["name"], second["nodePools"][0]["name"], second["storage"] = "a-b", "h100", []
    second["network"]["cidr"] = "10.41.0.0/16"
    doc["config"]["aiinfra:clusters"].append(second)
    code, _, err = run_plan(tmp_path, doc)
    assert code == 2, f"a duplicate URN must stop the plan with exit 2: {code}\n{err}"
    assert "clusters[1].nodePools[0].name" in err and "'a-b-h100" in err and "Rename one" in err, err


def test_infra_plan_refuses_a_reserved_label_prefix_naming_the_label(tmp_path: Path) -> None:
    doc = example_doc()
    doc["config"]["aiinfra:clusters"][0]["nodePools"][0]["labels"] = {"kubernetes.io/role": "gpu"}
    code, _, err = run_plan(tmp_path, doc)
    assert code == 2 and 'labels."kubernetes.io/role"' in err and "Fix:" in err, err


@pytest.mark.parametrize("command", [["plan"], ["estimate", "--format", "json"], ["check"]])
def test_plan_estimate_and_check_print_a_quota_warning_on_stderr_and_go_on(
    tmp_path: Path, command: list[str]
) -> None:
    doc = example_doc()
    pool = doc["config"]["aiinfra:clusters"][0]["nodePools"][0]
    del pool["nodes"]
    pool["minNodes"], pool["maxNodes"] = 0, 460
    # without the example's usage file beside it, its budget would fail closed on the unpriced traffic
    del doc["config"]["aiinfra:budget"]
    path = tmp_path / "Pulumi.quota.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = CliRunner().invoke(app, [*command, "-s", str(path)])
    err = ANSI.sub("", result.stderr)
    assert result.exit_code == 0, f"a quota is a warning, {command[0]} goes on: {result.exit_code}\n{err}"
    assert "warning: clusters[0].nodePools[0]: pool 'h100' scales to 460 nodes" in err, err
    assert "warning:" not in ANSI.sub("", result.stdout), "warnings belong on stderr, not with the results"
    assert result.stdout.strip(), f"{command[0]} still prints its result on stdout"
