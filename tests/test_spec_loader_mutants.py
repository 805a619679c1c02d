"""Reading a stack file and turning pydantic's errors into the user's words (spec/loader.py): each test is
one bad value in an otherwise valid stack, and asserts the field path, the message and the fix the user
reads. Written to kill the mutants bench/mutation.py found alive (issue 19)."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from aiinfra.catalog import default_catalog
from aiinfra.spec import SpecError, SpecIssue
from aiinfra.spec.loader import load_stack_spec, parse_spec, read_stack_config, stack_file
from aiinfra.spec.models import NAME_RULE

REPO = Path(__file__).resolve().parents[1]
CATALOG = default_catalog()


def example() -> dict[str, Any]:
    """The example stack's spec as parse_spec takes it (`aiinfra:` stripped from the keys)."""
    doc = yaml.safe_load((REPO / "stacks" / "Pulumi.example.yaml").read_text(encoding="utf-8"))
    return {
        k.split(":", 1)[1]: copy.deepcopy(v) for k, v in doc["config"].items() if k.startswith("aiinfra:")
    }


def issue_of(data: dict[str, Any]) -> SpecIssue:
    with pytest.raises(SpecError) as caught:
        parse_spec(data, CATALOG)
    assert len(caught.value.issues) == 1, [str(i) for i in caught.value.issues]
    return caught.value.issues[0]


def pool(data: dict[str, Any]) -> dict[str, Any]:
    return data["clusters"][0]["nodePools"][0]


def with_pool(**values: Any) -> dict[str, Any]:
    data = example()
    pool(data).update(values)
    return data


def test_the_example_this_file_starts_from_is_valid() -> None:
    assert parse_spec(example(), CATALOG).clusters[0].name == "train"


# -- finding and reading the stack file ---------------------------------------------------------------------


def test_a_stack_file_name_or_a_path_is_taken_as_a_path_and_a_bare_name_as_a_stack(tmp_path: Path) -> None:
    assert stack_file("Pulumi.dev.yaml", tmp_path) == Path("Pulumi.dev.yaml")
    assert stack_file("dev.yml", tmp_path) == Path("dev.yml")
    assert stack_file("elsewhere/dev", tmp_path) == Path("elsewhere/dev")
    assert stack_file("dev", tmp_path) == tmp_path / "stacks" / "Pulumi.dev.yaml"


def test_a_missing_stack_lists_the_stacks_beside_it_or_says_what_to_give(tmp_path: Path) -> None:
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "Pulumi.prod.yaml").write_text("config: {}\n")
    with pytest.raises(SpecError) as caught:
        load_stack_spec("dev", root=tmp_path)
    assert caught.value.issues[0].fix == "Stacks here: Pulumi.prod.yaml."
    with pytest.raises(SpecError) as caught:
        load_stack_spec(tmp_path / "nowhere" / "Pulumi.dev.yaml")
    assert caught.value.issues[0].fix == "Give a stack name or a path to a stack file."


def test_a_stack_file_that_is_a_directory_is_refused_naming_a_stack_file(tmp_path: Path) -> None:
    path = tmp_path / "Pulumi.dir.yaml"
    path.mkdir()
    with pytest.raises(SpecError) as caught:
        read_stack_config(path)
    assert "a stack file" in str(caught.value.issues[0]), str(caught.value.issues[0])


def test_a_stack_file_that_is_no_mapping_or_whose_config_is_no_mapping_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "Pulumi.bad.yaml"
    path.write_text("- config\n")
    with pytest.raises(SpecError) as caught:
        read_stack_config(path)
    assert caught.value.issues[0].fix == "Start the file with `config:`."
    path.write_text("config:\n  - aws:region\n")
    with pytest.raises(SpecError) as caught:
        read_stack_config(path)
    assert (caught.value.issues[0].path, caught.value.issues[0].message) == (
        "config",
        "must be a mapping of config keys.",
    )


# -- keys ----------------------------------------------------------------------------------------------


def test_a_key_yaml_reads_as_a_number_is_named_a_number() -> None:
    data = example()
    data["clusters"][0]["tags"] = {7: "lucky"}
    issue = issue_of(data)
    assert issue.message == "the key 7 reads as a number, where a name is expected.", issue.message


def test_a_snake_case_key_is_refused_with_its_camel_case_spelling() -> None:
    data = example()
    data["clusters"][0]["node_pools"] = data["clusters"][0].pop("nodePools")
    with pytest.raises(SpecError) as caught:
        parse_spec(data, CATALOG)
    issue = next(i for i in caught.value.issues if i.path == "clusters[0].node_pools")
    assert issue.fix == "Write nodePools." and "keys in a stack file are camelCase" in issue.message


def test_a_misspelt_aliased_key_is_suggested_by_its_alias() -> None:
    data = example()
    data["clusters"][0]["storage"][1]["capacityGib"] = data["clusters"][0]["storage"][1].pop("capacityGiB")
    issue = issue_of(data)
    assert issue.message == "unknown key 'capacityGib'."
    assert issue.fix.startswith("Did you mean 'capacityGiB'? Valid: capacityGiB, dataRepository, kind,"), (
        issue.fix
    )


# -- values in the user's words ---------------------------------------------------------------------------


def test_a_name_of_the_wrong_shape_gives_the_naming_rule() -> None:
    issue = issue_of(with_pool(name="H100_Pool"))
    assert (issue.path, issue.message, issue.fix) == (
        "clusters[0].nodePools[0].name",
        "'H100_Pool' is not a valid name.",
        f"Names are {NAME_RULE}.",
    )


def test_a_kubernetes_version_of_the_wrong_shape_says_to_write_text() -> None:
    data = example()
    data["clusters"][0]["kubernetesVersion"] = "v1.35"
    issue = issue_of(data)
    assert (issue.message, issue.fix) == (
        "'v1.35' is not a valid kubernetesVersion.",
        'Write it as text, such as "1.35".',
    )
    data["clusters"][0]["kubernetesVersion"] = 1.30
    issue = issue_of(data)
    assert issue.message == "YAML reads 1.3 as a number (1.30 becomes 1.3), not a version."
    assert issue.fix == 'Quote it: kubernetesVersion: "1.30".'


def test_a_value_outside_a_fixed_set_lists_the_allowed_ones() -> None:
    issue = issue_of(with_pool(capacity="sometimes"))
    assert issue.message == "'sometimes' is not allowed."
    assert issue.fix.startswith("Use one of 'on-demand'"), issue.fix


def test_a_bound_broken_gives_the_bound_in_the_fix() -> None:
    issue = issue_of(with_pool(nodes=-1))
    assert issue.fix == "Use a number of at least 0."
    assert issue.message.endswith("(got -1)."), issue.message
    issue = issue_of(with_pool(nodes=5000))
    assert issue.fix == "Use a number of at most 2000."


def test_a_budget_that_is_not_finite_or_of_the_wrong_type_says_what_to_write() -> None:
    data = example()
    data["budget"]["maxMonthlyUsd"] = "lots"
    issue = issue_of(data)
    assert issue.message == "expected a number, got text 'lots'."
    assert issue.fix == "Write a number without quotes, such as maxMonthlyUsd: 200000."
    data["budget"]["maxMonthlyUsd"] = float("inf")
    assert issue_of(data).fix == "Write a finite number."


def test_a_list_or_mapping_where_the_other_is_expected_says_how_to_write_it() -> None:
    data = example()
    data["clusters"][0]["nodePools"] = {"name": "h100"}
    assert issue_of(data).fix == "Write a YAML list (lines starting with '- ')."
    data = example()
    data["clusters"][0]["network"] = ["10.40.0.0/16"]
    assert issue_of(data).fix == "Write a YAML mapping (key: value lines).", "an object of the spec"
    data = example()
    data["clusters"][0]["tags"] = ["team=ml"]
    assert issue_of(data).fix == "Write a YAML mapping (key: value lines).", "a mapping of names to text"


def test_a_check_of_the_model_reads_as_a_sentence_without_pydantics_prefix() -> None:
    issue = issue_of(with_pool(minNodes=4, maxNodes=2, nodes=None))
    assert issue.message == "minNodes (4) is larger than maxNodes (2).", issue.message


@pytest.mark.parametrize(
    ("values", "message", "fix"),
    [
        (
            {"interconnect": "yes"},
            "expected true or false, got text 'yes'.",
            "Write true or false, without quotes.",
        ),
        (
            {"nodes": [4]},
            "expected a whole number, got a list [4].",
            "Write a whole number without quotes, such as 4.",
        ),
        (
            {"nodes": "4"},
            "expected a whole number, got text '4'.",
            "Write a whole number without quotes, such as 4.",
        ),
        ({"name": 42}, "YAML reads 42 as a number; text is expected.", 'Quote it: "42".'),
        ({"name": None}, "expected text, got null.", "Write text."),
        ({"name": ["a"]}, "expected text, got a list.", "Write text."),
        ({"name": dt.date(2026, 12, 5)}, "expected text, got a value.", "Write text."),
    ],
    ids=[
        "bool-as-text",
        "int-as-list",
        "int-as-text",
        "text-as-number",
        "text-as-null",
        "text-as-list",
        "date",
    ],
)
def test_a_value_of_the_wrong_yaml_type_says_what_yaml_read_and_what_to_write(
    values: dict[str, Any], message: str, fix: str
) -> None:
    issue = issue_of(with_pool(**values))
    assert (issue.path, issue.message, issue.fix) == (
        f"clusters[0].nodePools[0].{next(iter(values))}",
        message,
        fix,
    )
