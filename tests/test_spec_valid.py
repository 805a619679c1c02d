"""Valid input: the shipped stacks load, defaults fill in what a spec leaves out, accelerator names ignore
case, and `infra schema` describes the stack file the shipped stacks are written in."""

from __future__ import annotations

import copy
import ipaddress
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from aiinfra import clouds
from aiinfra.catalog import default_catalog
from aiinfra.cli.main import app
from aiinfra.spec import StackSpec, load_stack_spec, parse_spec
from aiinfra.spec.loader import stack_name

REPO = Path(__file__).resolve().parents[1]
STACKS = sorted((REPO / "stacks").glob("Pulumi.*.yaml"))
EXAMPLE = REPO / "stacks" / "Pulumi.example.yaml"


def stack_config(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["config"]


def test_the_repository_ships_the_example_and_reserved_stacks() -> None:
    names = {p.name for p in STACKS}
    assert {"Pulumi.example.yaml", "Pulumi.reserved.yaml"} <= names, (
        f"the README and docs point at these stacks, so they must exist; found {sorted(names)}"
    )


@pytest.mark.parametrize("path", STACKS, ids=[p.name for p in STACKS])
def test_every_shipped_stack_file_loads_into_a_stack_spec(path: Path) -> None:
    spec = load_stack_spec(path)

    assert isinstance(spec, StackSpec), f"{path.name} must load into a StackSpec, got {type(spec)}"
    assert spec.clusters, f"{path.name} is shipped as an example cluster, so it must declare one"
    for cluster in spec.clusters:
        assert cluster.node_pools, f"cluster {cluster.name} in {path.name} must have a node pool"


@pytest.mark.parametrize("name", [stack_name(p) for p in STACKS])
def test_a_shipped_stack_loads_by_its_name_from_the_repository_root(name: str) -> None:
    by_name = load_stack_spec(name, root=REPO)
    by_path = load_stack_spec(REPO / "stacks" / f"Pulumi.{name}.yaml")

    assert by_name == by_path, f"-s {name} must mean stacks/Pulumi.{name}.yaml"


def test_the_example_pool_is_an_on_demand_h100_pool_on_the_interconnect() -> None:
    pool = load_stack_spec(EXAMPLE).clusters[0].node_pools[0]

    assert pool.capacity == "on-demand", f"the example pool is on-demand, got {pool.capacity}"
    assert pool.interconnect is True, "the example pool joins the EFA interconnect"
    assert pool.scaling == (4, 4, 4), f"nodes: 4 means a fixed pool of 4, got {pool.scaling}"


def test_defaults_fill_in_everything_a_minimal_cluster_leaves_out() -> None:
    spec = parse_spec(
        {
            "clusters": [
                {
                    "name": "mini",
                    "cloud": "aws",
                    "region": "us-east-1",
                    "nodePools": [{"name": "gpu", "accelerator": "H100"}],
                    "storage": [{"name": "data", "kind": "object"}],
                }
            ]
        }
    )

    cluster = spec.clusters[0]
    pool = cluster.node_pools[0]
    assert pool.capacity == "on-demand", f"capacity defaults to on-demand, got {pool.capacity}"
    assert pool.interconnect is True, "interconnect defaults to on: GPU pools are for distributed training"
    assert pool.disk_gib == 500, f"diskGiB defaults to 500, got {pool.disk_gib}"
    assert pool.reservation is None and pool.topology is None, "optional pool fields default to unset"
    assert pool.scaling == (0, 0, 1), f"a pool with no sizes scales 0..1, got {pool.scaling}"
    assert cluster.kubernetes_version == "1.35", (
        f"kubernetesVersion default, got {cluster.kubernetes_version}"
    )
    assert cluster.network.cidr == ipaddress.IPv4Network("10.40.0.0/16"), "the default VPC block"
    assert cluster.network.nat_gateways == "one", "one NAT gateway is the cheaper default"
    assert cluster.endpoint_public_access_cidrs == [], "the Kubernetes API is private unless ranges are given"
    assert cluster.system_nodes == 2, "two system nodes by default"
    assert cluster.system_instance_type is None, "the system machine type is left to the cloud unless given"
    assert clouds.get(cluster.cloud).default_system_machine == "m7i.xlarge", "AWS's system pool default"
    assert cluster.storage[0].protect is True, "data is protected from `pulumi destroy` unless said otherwise"
    assert spec.edge_sites == [], "no edge sites unless declared"
    assert spec.usage.profile == "training-steady", f"usage profile default, got {spec.usage.profile}"


def test_defaults_apply_to_the_example_pool_when_capacity_and_interconnect_are_left_out() -> None:
    config = copy.deepcopy(stack_config(EXAMPLE))
    pool = config["aiinfra:clusters"][0]["nodePools"][0]
    del pool["capacity"], pool["interconnect"]

    spec = parse_spec({"clusters": config["aiinfra:clusters"]})

    parsed = spec.clusters[0].node_pools[0]
    assert (parsed.capacity, parsed.interconnect) == ("on-demand", True), (
        f"left out, capacity and interconnect default to on-demand and on; got {parsed.capacity}, "
        f"{parsed.interconnect}"
    )


def test_the_reserved_stack_keeps_its_capacity_block_and_autoscaled_eval_pool() -> None:
    cluster = load_stack_spec(REPO / "stacks" / "Pulumi.reserved.yaml").clusters[0]
    pools = {p.name: p for p in cluster.node_pools}

    assert pools["h200"].capacity == "capacity-block", "the H200 pool runs on a capacity block"
    assert pools["h200"].reservation == "cr-0a1b2c3d4e5f67890", "the capacity block keeps its reservation"
    assert pools["eval"].scaling == (0, 0, 4), f"minNodes 0 / maxNodes 4, got {pools['eval'].scaling}"
    assert pools["eval"].interconnect is False, "the eval pool opts out of the interconnect"


@pytest.mark.parametrize(
    ("written", "canonical"),
    [("h100", "H100"), ("l40s", "L40S"), ("L40s", "L40S"), ("a100-80gb", "A100-80GB")],
)
def test_accelerator_names_resolve_the_same_whatever_their_case(written: str, canonical: str) -> None:
    catalog = default_catalog()
    expected = catalog.resolve(cloud="aws", region="us-east-1", accelerator=canonical, interconnect=False)

    got = catalog.resolve(cloud="aws", region="us-east-1", accelerator=written, interconnect=False)

    assert got == expected, f"{written!r} must resolve like {canonical!r} ({expected.name}), got {got.name}"
    assert got.accelerator == canonical, (
        f"{written!r} must resolve to a {canonical} type, got {got.accelerator}"
    )


@pytest.mark.parametrize("name", [a.name for a in default_catalog().accelerators])
def test_every_catalog_accelerator_is_found_in_lower_and_upper_case(name: str) -> None:
    catalog = default_catalog()

    assert catalog.accelerator(name.lower()) == catalog.accelerator(name), f"{name.lower()} must find {name}"
    assert catalog.accelerator(name.upper()) == catalog.accelerator(name), f"{name.upper()} must find {name}"


def test_a_lower_case_accelerator_in_a_spec_validates() -> None:
    config = copy.deepcopy(stack_config(EXAMPLE))
    config["aiinfra:clusters"][0]["nodePools"][0]["accelerator"] = "h100"

    spec = parse_spec({"clusters": config["aiinfra:clusters"]})

    assert spec.clusters[0].node_pools[0].accelerator == "h100", "the spec keeps what the user wrote"


# -- infra schema --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0, f"infra schema must succeed; stderr:\n{result.stderr}"
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError as e:
        pytest.fail(f"infra schema must print only JSON on stdout ({e}); stdout:\n{result.stdout[:500]}")


def test_infra_schema_describes_the_aiinfra_config_keys(schema: dict[str, Any]) -> None:
    props = schema["properties"]["config"]["properties"]

    assert "aiinfra:clusters" in props, f"the schema must describe aiinfra:clusters; has {sorted(props)}"
    assert {"aiinfra:edgeSites", "aiinfra:usage"} <= props.keys(), f"every spec key belongs; {sorted(props)}"
    assert schema["properties"]["config"].get("additionalProperties") is True, (
        "other namespaces (aws:region, pulumi:...) must stay allowed in config"
    )


def test_every_reference_in_the_schema_points_at_a_definition(schema: dict[str, Any]) -> None:
    text = json.dumps(schema)
    refs = set(re.findall(r'"\$ref": "#/\$defs/([^"]+)"', text))

    assert refs, "the schema should describe clusters through $defs references"
    missing = refs - schema.get("$defs", {}).keys()
    assert not missing, f"dangling $ref targets would break editors' validation: {sorted(missing)}"


@pytest.mark.parametrize("path", STACKS, ids=[p.name for p in STACKS])
def test_every_key_of_a_shipped_stack_is_known_to_the_schema(schema: dict[str, Any], path: Path) -> None:
    """A structural check of the shipped stacks against the schema's property names (jsonschema is not
    a dependency of this project, so this walks the keys itself)."""
    defs = schema["$defs"]
    config = stack_config(path)
    props = schema["properties"]["config"]["properties"]
    for key in config:
        if key.startswith("aiinfra:"):
            assert key in props, f"{path.name}: {key} is not in the schema"
    for cluster in config.get("aiinfra:clusters", []):
        unknown = cluster.keys() - defs["Cluster"]["properties"].keys()
        assert not unknown, f"{path.name}: cluster keys {unknown} are not in the schema (camelCase aliases?)"
        for pool in cluster["nodePools"]:
            unknown = pool.keys() - defs["NodePool"]["properties"].keys()
            assert not unknown, f"{path.name}: node pool keys {unknown} are not in the schema"
        for storage in cluster.get("storage", []):
            unknown = storage.keys() - defs["Storage"]["properties"].keys()
            assert not unknown, f"{path.name}: storage keys {unknown} are not in the schema"
    required = set(defs["Cluster"].get("required", []))
    assert {"name", "cloud", "region", "nodePools"} <= required, (
        f"the schema must mark what the loader requires of a cluster; it requires {sorted(required)}"
    )
