"""Spec checks that need the catalog or the whole spec (spec/semantics.py), each seen as the one issue a
user reads: its field path, what is wrong and the fix. Written to kill the mutants bench/mutation.py found
alive (issue 19). Every spec starts from a shipped stack file and changes one thing."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from aiinfra import clouds
from aiinfra.catalog import Catalog, default_catalog
from aiinfra.catalog.load import DATA_DIR, CatalogData, load_dir
from aiinfra.spec import SpecError, SpecIssue
from aiinfra.spec.loader import spec_from_config

REPO = Path(__file__).resolve().parents[1]
CATALOG = default_catalog()


def stack(name: str) -> dict[str, Any]:
    """A fresh copy of a shipped stack file's config."""
    doc = yaml.safe_load((REPO / "stacks" / f"Pulumi.{name}.yaml").read_text(encoding="utf-8"))
    return copy.deepcopy(doc["config"])


def issues(config: dict[str, Any]) -> list[SpecIssue]:
    try:
        spec_from_config(config, CATALOG)
    except SpecError as e:
        return list(e.issues)
    return []


def only(config: dict[str, Any]) -> SpecIssue:
    found = issues(config)
    assert len(found) == 1, f"one issue, got {[str(i) for i in found]}"
    return found[0]


def test_the_stacks_these_tests_start_from_are_valid() -> None:
    for name in ("example", "gcp-a3mega", "edge-multicloud"):
        assert issues(stack(name)) == [], name


# -- names used twice -----------------------------------------------------------------------------------


def test_a_cluster_name_used_twice_is_named_at_the_second_cluster() -> None:
    config = stack("example")
    clusters = config["aiinfra:clusters"]
    second = copy.deepcopy(clusters[0])
    second["network"]["cidr"] = "10.41.0.0/16"
    clusters.append(second)
    found = [i for i in issues(config) if i.path == "clusters[1].name"]
    assert [(i.message, i.fix) for i in found] == [
        ("name 'train' is used twice.", "Give each entry its own name.")
    ]


def test_a_pool_or_storage_name_used_twice_in_a_cluster_is_named_at_the_second_entry() -> None:
    config = stack("example")
    cluster = config["aiinfra:clusters"][0]
    cluster["nodePools"].append({**cluster["nodePools"][0], "interconnect": False})
    cluster["storage"].append({"name": "datasets", "kind": "object"})
    paths = {i.path: i.message for i in issues(config)}
    assert paths.get("clusters[0].nodePools[1].name") == "name 'h100' is used twice."
    assert paths.get("clusters[0].storage[2].name") == "name 'datasets' is used twice."


# -- projects and pools ---------------------------------------------------------------------------------


def test_a_project_id_of_the_wrong_shape_is_refused_with_what_an_id_looks_like() -> None:
    config = stack("gcp-a3mega")
    config["gcp:project"] = "My Project"
    issue = only(config)
    assert (issue.path, issue.message) == ("config.gcp:project", "'My Project' is not a GCP project ID.")
    assert issue.fix.startswith(
        "A project ID is 6-30 lower-case letters, digits and '-', starting with a letter"
    )


def test_an_unknown_instance_type_is_reported_on_instance_type() -> None:
    config = stack("example")
    pool = config["aiinfra:clusters"][0]["nodePools"][0]
    del pool["accelerator"]
    pool["instanceType"] = "p9.48xlarge"
    assert only(config).path == "clusters[0].nodePools[0].instanceType"


def test_a_zone_the_region_lacks_is_one_issue_not_one_more_per_interconnect_pool() -> None:
    config = stack("example")
    config["aiinfra:clusters"][0]["zone"] = "us-east-1z"
    issue = only(config)
    assert issue.path == "clusters[0].zone" and "us-east-1z" in issue.message


# -- one fabric per cluster ----------------------------------------------------------------------------


def test_interconnect_pools_of_two_fabrics_in_one_cluster_are_refused_at_the_second() -> None:
    config = stack("gcp-a3mega")
    pools = config["aiinfra:clusters"][0]["nodePools"]
    pools.insert(0, {"name": "bad", "accelerator": "H1000", "nodes": 1, "interconnect": True})
    pools.insert(0, {"name": "infer", "instanceType": "g2-standard-8", "nodes": 1, "interconnect": False})
    pools.append({"name": "highgpu", "instanceType": "a3-highgpu-8g", "nodes": 1, "interconnect": True})
    found = {i.path: i for i in issues(config)}
    assert set(found) == {"clusters[0].nodePools[1].accelerator", "clusters[0].nodePools[3].instanceType"}, (
        "the unknown accelerator, then the second fabric: a pool off the fabric or one the catalog cannot "
        "resolve is skipped"
    )
    fabric = found["clusters[0].nodePools[3].instanceType"]
    fabrics = {CATALOG.instance_type(t).fabric for t in ("a3-highgpu-8g", "a3-megagpu-8g")}
    assert len(fabrics) == 2, "the catalog gives the two machines different fabrics"
    high, mega = CATALOG.instance_type("a3-highgpu-8g").fabric, CATALOG.instance_type("a3-megagpu-8g").fabric
    assert fabric.message == (
        f"pool 'highgpu' (a3-highgpu-8g) needs the {high} fabric, but pool 'h100' needs {mega}: the interconnect "
        "pools of one cluster share one fabric."
    )
    assert fabric.fix.startswith("Put pools of different fabrics in separate clusters")


# -- storage keys ----------------------------------------------------------------------------------------


def test_storage_keys_a_kind_does_not_take_are_refused_one_by_one() -> None:
    config = stack("example")
    storage = config["aiinfra:clusters"][0]["storage"]
    storage[0].update(capacityGiB=100, dataRepository="scratch")
    found = [(i.path, i.message, i.fix) for i in issues(config)]
    assert found == [
        (
            "clusters[0].storage[0].capacityGiB",
            "capacityGiB does not apply to kind object.",
            "Remove capacityGiB.",
        ),
        (
            "clusters[0].storage[0].dataRepository",
            "dataRepository does not apply to kind object.",
            "Remove dataRepository.",
        ),
    ], "lustre's capacityGiB and dataRepository stay valid"


def test_a_lustre_data_repository_must_name_an_object_entry_of_the_cluster() -> None:
    config = stack("example")
    storage = config["aiinfra:clusters"][0]["storage"]
    storage[1]["dataRepository"] = "scratch"
    issue = only(config)
    assert (issue.path, issue.message, issue.fix) == (
        "clusters[0].storage[1].dataRepository",
        "'scratch' is not an object storage entry of this cluster.",
        "Name one of: datasets.",
    )
    del storage[0]
    storage[0]["dataRepository"] = "datasets"
    issue = only(config)
    assert (issue.path, issue.fix) == (
        "clusters[0].storage[0].dataRepository",
        "Add a storage entry with kind: object.",
    )


# -- edge sites ----------------------------------------------------------------------------------------------


def edge_config(**site: Any) -> dict[str, Any]:
    config = stack("edge-multicloud")
    config["aiinfra:edgeSites"] = [
        s if s["name"] != "lax" else {k: v for k, v in {**s, **site}.items() if v is not None}
        for s in config["aiinfra:edgeSites"]
    ]
    return config


def test_an_edge_site_name_used_twice_is_named_at_the_second_site() -> None:
    config = stack("edge-multicloud")
    sites = config["aiinfra:edgeSites"]
    sites.append({**sites[0]})
    found = [i for i in issues(config) if i.path == "edgeSites[3].name"]
    assert [i.message for i in found] == ["name 'lax' is used twice."]


def test_an_edge_site_joining_a_cluster_of_another_cloud_names_the_clusters_of_its_own() -> None:
    config = edge_config()
    config["aiinfra:clusters"].append(
        {
            "name": "gke",
            "cloud": "gcp",
            "region": "us-central1",
            "project": "my-ml-project",
            "network": {"cidr": "10.60.0.0/16"},
            "nodePools": [{"name": "l4", "instanceType": "g2-standard-8", "nodes": 1, "interconnect": False}],
        }
    )
    config["aiinfra:edgeSites"][0]["cluster"] = "gke"
    issue = only(config)
    assert (issue.path, issue.message, issue.fix) == (
        "edgeSites[0].cluster",
        "cluster 'gke' is on gcp; a aws edge site joins a aws cluster.",
        "Name one of: serve.",
    )


def test_an_edge_site_in_another_region_names_the_clusters_of_its_region() -> None:
    config = edge_config(location="us-east-1-wl1-bos-wlz-1")
    config["aiinfra:clusters"].append(
        {
            **copy.deepcopy(config["aiinfra:clusters"][0]),
            "name": "east",
            "region": "us-east-1",
            "network": {"cidr": "10.51.0.0/16"},
        }
    )
    issue = only(config)
    assert issue.path == "edgeSites[0].cluster"
    assert issue.fix.startswith("Name a cluster in us-east-1 (east), or choose a location of us-west-2: "), (
        issue.fix
    )
    assert "us-west-2-lax-1a" in issue.fix, "the Local Zones of the cluster's region"


def test_a_distributed_cloud_site_takes_an_accelerator_it_has_not_an_instance_type() -> None:
    config = stack("edge-multicloud")
    den = config["aiinfra:edgeSites"][1]
    den["instanceType"] = "g2-standard-8"
    issue = only(config)
    assert (issue.path, issue.message) == (
        "edgeSites[1].instanceType",
        "a distributed-cloud site's hardware is not sold as instance types.",
    ), issue.message
    del den["instanceType"]
    den["accelerator"] = "l4"
    assert issues(config) == [], "the accelerator's name in any case"
    den["accelerator"] = "H100"
    issue = only(config)
    assert issue.path == "edgeSites[1].accelerator" and issue.message.endswith(", not H100.")
    del den["accelerator"]
    issue = only(config)
    assert issue.path == "edgeSites[1].accelerator" and issue.message.endswith(
        "; the site names no accelerator."
    )


# -- a cloud that cannot build a feature yet -----------------------------------------------------------------


def test_a_cluster_on_a_cloud_that_cannot_build_clusters_is_one_issue_on_its_cloud(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    profile = type(clouds.get("aws"))
    monkeypatch.setattr(profile, "unsupported", {**profile.unsupported, "cluster": "is not built yet"})
    issue = only(stack("example"))
    assert (issue.path, issue.message) == ("clusters[0].cloud", "cluster 'train' on aws is not built yet.")


def test_an_edge_site_on_a_cloud_that_cannot_build_edge_sites_is_one_issue_on_the_site(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    profile = type(clouds.get("gcp"))
    monkeypatch.setattr(profile, "unsupported", {**profile.unsupported, "edge-sites": "is not built yet"})
    issue = only(stack("edge-multicloud"))
    assert (issue.path, issue.message) == ("edgeSites[1]", "edge site 'den': is not built yet.")


def test_an_accelerator_sold_on_demand_and_as_capacity_blocks_resolves_by_the_pools_capacity() -> None:
    both = [t for t in CATALOG.instance_types(cloud="aws", accelerator="H200") if t.has_fabric]
    assert sorted((t.name, t.on_demand) for t in both) == [
        ("p5e.48xlarge", False),
        ("p5en.48xlarge", True),
    ], "the catalog sells one H200 machine on demand and one only as capacity blocks"
    for capacity in ("on-demand", "capacity-block"):
        config = stack("example")
        cluster = config["aiinfra:clusters"][0]
        cluster.update(region="us-east-2", zone=None, storage=[])
        pool = {"name": "h200", "accelerator": "H200", "nodes": 2, "capacity": capacity}
        if capacity == "capacity-block":
            pool["reservation"] = "cr-0123456789abcdef0"
        cluster["nodePools"] = [pool]
        config["aiinfra:clusters"][0] = {k: v for k, v in cluster.items() if v is not None}
        assert issues(config) == [], f"a {capacity} H200 pool gets a machine sold that way"


def test_a_tpu_slice_whose_machine_the_region_lacks_is_refused_at_topology() -> None:
    data = load_dir(DATA_DIR)
    offers = [
        o for o in data.get("offers") if (o.instance_type, o.region) != ("ct5lp-hightpu-4t", "us-central1")
    ]
    catalog = Catalog.from_data(CatalogData(data.versions, {**data.sections, "offers": offers}))
    config = stack("gcp-tpu")
    pool = config["aiinfra:clusters"][0]["nodePools"][0]
    pool.update(accelerator="TPU-v5e", topology="2x2")  # one host of ct5lp-hightpu-4t
    assert issues(config) == [], "the shipped catalog sells the 2x2 slice's machine in us-central1"
    with pytest.raises(SpecError) as caught:
        spec_from_config(config, catalog)
    assert [(i.path, i.message) for i in caught.value.issues] == [
        (
            "clusters[0].nodePools[0].topology",
            f"ct5lp-hightpu-4t is not offered in us-central1 (catalog "
            f"{catalog.instance_type('ct5lp-hightpu-4t').retrieved.isoformat()}).",
        )
    ], "the accelerator alone resolves (ct5lp-hightpu-8t is sold there); the slice's machine is not"


def test_a_pool_off_the_fabric_is_not_held_to_the_clusters_zone() -> None:
    offer = CATALOG.offer("a2-ultragpu-1g", "us-east4")
    assert offer is not None and "us-east4-a" not in offer.zones, "sold in us-east4, not in zone us-east4-a"
    config = stack("gcp-a3mega")  # its cluster lives in zone us-east4-a
    config["aiinfra:clusters"][0]["nodePools"].append(
        {"name": "a100", "instanceType": "a2-ultragpu-1g", "nodes": 1, "interconnect": False}
    )
    assert issues(config) == [], "only interconnect pools live in the cluster's zone"


def test_an_edge_site_whose_instance_type_is_unknown_is_named_at_instance_type() -> None:
    issue = only(edge_config(accelerator=None, instanceType="g9.xlarge"))
    assert issue.path == "edgeSites[0].instanceType" and "'g9.xlarge'" in issue.message


def test_an_edge_location_without_gpu_machines_says_it_sells_none() -> None:
    issue = only(edge_config(location="us-west-2-las-1a"))
    assert (issue.path, issue.message) == ("edgeSites[0].accelerator", "T4 is not sold at us-west-2-las-1a.")
    assert issue.fix.startswith("us-west-2-las-1a sells: no GPU machine in this catalog."), issue.fix


def test_the_locations_suggested_near_a_cluster_are_of_its_region_only() -> None:
    issue = only(edge_config(location="us-east-1-wl1-bos-wlz-1"))
    suggested = issue.fix.split("choose a location of us-west-2: ", 1)[1].rstrip(".").split(", ")
    for name in suggested:
        loc = CATALOG.edge.location("aws", name)
        assert loc is not None and not loc.pattern and loc.region == "us-west-2", name
    assert "us-west-2-lax-1a" in suggested
