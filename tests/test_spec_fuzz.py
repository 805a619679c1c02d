"""Property: whatever a stack file holds, validation ends in a StackSpec or a SpecError whose every issue
says something. Never a TypeError, KeyError, AttributeError or other crash that would surface as a
traceback instead of an error naming the field."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from aiinfra.spec import Cluster, NodePool, SpecError, StackSpec, Storage, load_stack_spec, parse_spec

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "stacks" / "Pulumi.example.yaml"
EXAMPLE_CLUSTER: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["config"][
    "aiinfra:clusters"
][0]

# Values that get past the type checks and reach the catalog and semantic checks.
PLAUSIBLE = [
    "H100",
    "h100",
    "H1000",
    "p5.48xlarge",
    "g5.xlarge",
    "us-east-1",
    "eu-west-3",
    "aws",
    "gcp",
    "azure",
    "lustre",
    "object",
    "file",
    "parallel",
    "spot",
    "capacity-block",
    "reservation",
    "cr-0a1b2c3d4e5f67890",
    "0.0.0.0/0",
    "10.0.0.0/8",
    "1.33",
    "datasets",
    "scratch",
    "",
    " ",
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-3, max_value=5000)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(PLAUSIBLE)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(max_size=12) | st.sampled_from(["name", "kind", "cloud"]), children, max_size=4
        )
    ),
    max_leaves=16,
)


def keys_of(model: type[Any]) -> list[str]:
    """The keys a user writes for `model` (camelCase aliases), plus near misses."""
    keys = [field.alias or name for name, field in model.model_fields.items()]
    return [*keys, "acelerator", "Nodes", ""]


def check_outcome(data: dict[str, Any]) -> None:
    try:
        spec = parse_spec(data)
    except SpecError as e:
        assert e.issues, f"a SpecError must carry at least one issue; input {data!r}"
        for issue in e.issues:
            assert isinstance(issue.message, str) and issue.message.strip(), (
                f"every issue must say what is wrong; got {issue!r} for input {data!r}"
            )
            assert isinstance(issue.path, str), f"an issue's path is a string; got {issue!r}"
        assert e.render().strip(), f"a SpecError must render to a message; input {data!r}"
    else:
        assert isinstance(spec, StackSpec), f"parse_spec must return a StackSpec, got {type(spec)}"


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["clusters", "edgeSites", "usage"]) | st.text(max_size=10), json_values, max_size=4
    )
)
def test_any_json_like_document_ends_in_a_stack_spec_or_a_spec_error(data: dict[str, Any]) -> None:
    check_outcome(data)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["clusters", "edgeSites", "usage"]),
    st.booleans(),
    json_values,
)
def test_any_value_under_a_top_level_key_ends_in_a_stack_spec_or_a_spec_error(
    key: str, wrap_in_list: bool, value: Any
) -> None:
    check_outcome({key: [value] if wrap_in_list else value})


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_any_value_as_the_node_pools_of_a_valid_cluster_ends_in_a_stack_spec_or_a_spec_error(
    value: Any,
) -> None:
    check_outcome({"clusters": [{**copy.deepcopy(EXAMPLE_CLUSTER), "nodePools": value}]})


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(keys_of(Cluster)), json_values)
def test_any_value_for_one_cluster_key_ends_in_a_stack_spec_or_a_spec_error(key: str, value: Any) -> None:
    cluster = copy.deepcopy(EXAMPLE_CLUSTER)
    cluster[key] = value
    check_outcome({"clusters": [cluster]})


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(keys_of(NodePool)), json_values)
def test_any_value_for_one_node_pool_key_ends_in_a_stack_spec_or_a_spec_error(key: str, value: Any) -> None:
    cluster = copy.deepcopy(EXAMPLE_CLUSTER)
    cluster["nodePools"][0][key] = value
    check_outcome({"clusters": [cluster]})


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=1), st.sampled_from(keys_of(Storage)), json_values)
def test_any_value_for_one_storage_key_ends_in_a_stack_spec_or_a_spec_error(
    index: int, key: str, value: Any
) -> None:
    cluster = copy.deepcopy(EXAMPLE_CLUSTER)
    cluster["storage"][index][key] = value
    check_outcome({"clusters": [cluster]})


@pytest.fixture(scope="module")
def stack_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-stacks")


@settings(max_examples=200, deadline=None)
@given(
    st.text()
    | st.builds(lambda tail: "config:\n  aiinfra:clusters: " + tail, st.text())
    | st.builds(lambda tail: "config:\n  aiinfra:clusters:\n    - " + tail, st.text())
)
def test_any_text_as_a_stack_file_ends_in_a_stack_spec_or_a_spec_error(stack_dir: Path, text: str) -> None:
    path = stack_dir / "Pulumi.fuzz.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        spec = load_stack_spec(path)
    except SpecError as e:
        assert e.issues and all(i.message.strip() for i in e.issues), (
            f"every issue must say what is wrong; got {e.issues!r} for file text {text!r}"
        )
    else:
        assert isinstance(spec, StackSpec), f"load_stack_spec must return a StackSpec, got {type(spec)}"
