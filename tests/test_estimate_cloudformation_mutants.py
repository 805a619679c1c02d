"""Reading a CloudFormation stack's template (estimate/cloudformation.py): every short tag CloudFormation
documents read as its long form, what a user is told when a template cannot be read (missing, too large, not
a mapping, a syntax error with its line, nesting the guard refuses, a character YAML refuses), and which
property values `resolve` follows (a parameter, a resource of the template) and which it leaves computed at
deploy time. Written to kill the mutants bench/mutation.py found alive."""

from __future__ import annotations

import pytest

from aiinfra.estimate import cloudformation as cfn
from aiinfra.guard import SPEC_LIMIT

# The short-form intrinsic functions of the CloudFormation template reference ("Intrinsic function
# reference", docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html):
# `!Name value` stands for `{"Fn::Name": value}`.
SHORT_FUNCTIONS = [
    ("And", "[!Equals [a, a], !Equals [b, b]]"),
    ("Base64", "text"),
    ("Cidr", "[10.0.0.0/16, 6, 5]"),
    ("Equals", "[a, b]"),
    ("FindInMap", "[Map, Key, Value]"),
    ("GetAZs", "us-east-1"),
    ("If", "[IsProd, a, b]"),
    ("ImportValue", "shared-vpc"),
    ("Join", "[':', [a, b]]"),
    ("Length", "[a, b]"),
    ("Not", "[!Equals [a, b]]"),
    ("Or", "[!Equals [a, a], !Equals [a, b]]"),
    ("Select", "[0, [a, b]]"),
    ("Split", "[',', 'a,b']"),
    ("Sub", "'${AWS::Region}-nodes'"),
    ("ToJsonString", "{a: b}"),
    ("Transform", "{Name: AWS::Include}"),
]


@pytest.mark.parametrize(("name", "value"), SHORT_FUNCTIONS, ids=[n for n, _ in SHORT_FUNCTIONS])
def test_every_documented_short_function_tag_reads_as_its_long_form(name: str, value: str) -> None:
    doc = cfn.parse(f"Resources: {{}}\nValue: !{name} {value}\n")
    assert isinstance(doc, dict), doc
    assert list(doc["Value"]) == [f"Fn::{name}"]


def test_a_condition_tag_reads_as_a_condition_reference() -> None:
    assert cfn.parse("Value: !Condition IsProd\n") == {"Value": {"Condition": "IsProd"}}


def test_get_att_splits_the_resource_from_the_attribute_at_the_first_dot_only() -> None:
    assert cfn.parse("A: !GetAtt Cluster.Endpoint.Address\nB: !GetAtt [Role, Arn]\n") == {
        "A": {"Fn::GetAtt": ["Cluster", "Endpoint.Address"]},
        "B": {"Fn::GetAtt": ["Role", "Arn"]},
    }


def test_a_template_already_parsed_is_used_as_it_is() -> None:
    template = {"Resources": {"Nodes": {"Type": "AWS::AutoScaling::AutoScalingGroup"}}}
    assert cfn.parse(template) is template


@pytest.mark.parametrize("body", [None, "", "   \n", 42])
def test_a_missing_or_blank_template_says_it_is_not_given(body: object) -> None:
    assert cfn.parse(body) == "templateBody is not given (or not known before deployment)"


def test_a_template_over_the_size_limit_is_refused_with_the_limit() -> None:
    assert cfn.parse("A: " + "x" * SPEC_LIMIT) == f"templateBody is larger than {SPEC_LIMIT // 1024:,} KiB"
    assert cfn.parse("A: " + "x" * (SPEC_LIMIT - 100)) == {"A": "x" * (SPEC_LIMIT - 100)}


def test_a_yaml_syntax_error_names_its_line_and_the_problem() -> None:
    assert cfn.parse("Resources:\n  A: [1, 2\n  B: 3\n") == (
        "templateBody is not a template this tool can read at line 3: expected ',' or ']', but got ':'"
    )


def test_nesting_the_guard_refuses_names_the_line_and_the_guards_reason() -> None:
    deep = "".join("  " * i + f"k{i}:\n" for i in range(70)) + "  " * 70 + "v\n"
    assert cfn.parse(deep) == (
        "templateBody is not a template this tool can read at line 64: nested more than 64 levels deep"
    )


def test_a_character_yaml_refuses_is_a_reason_not_a_crash() -> None:
    reason = cfn.parse("A: '\ud800'\n")
    assert isinstance(reason, str)
    assert reason.startswith(
        "templateBody is not a template this tool can read: unacceptable character #xd800: special characters"
    )


def test_a_template_that_is_not_a_mapping_is_refused() -> None:
    assert cfn.parse("- a\n- b\n") == "templateBody is not a mapping of template sections"
    assert cfn.parse('["a"]') == "templateBody is not a mapping of template sections"


# -- resolve ---------------------------------------------------------------------------------------------


TEMPLATE = {
    "Parameters": {"NodeType": {"Type": "String", "Default": "t3.large"}, "Bare": {"Type": "String"}},
    "Resources": {"Config": {"Type": "AWS::AutoScaling::LaunchConfiguration"}},
}


def test_a_function_other_than_ref_is_computed_at_deploy_time_even_when_its_argument_names_a_parameter() -> (
    None
):
    value = cfn.resolve(TEMPLATE, {"Fn::Sub": "NodeType"}, {"NodeType": "p5.48xlarge"})
    assert isinstance(value, cfn.Unresolved)
    assert value == "!Sub (computed at deploy time)"


def test_a_ref_that_is_not_a_name_is_unresolved_and_a_plain_mapping_is_kept() -> None:
    assert isinstance(cfn.resolve(TEMPLATE, {"Ref": ["NodeType"]}), cfn.Unresolved)
    assert cfn.resolve(TEMPLATE, {"Key": "value"}) == {"Key": "value"}
    assert cfn.resolve(TEMPLATE, {"Ref": "NodeType", "Other": 1}) == {"Ref": "NodeType", "Other": 1}


def test_a_ref_follows_a_given_parameter_then_the_default_then_a_resource() -> None:
    assert cfn.resolve(TEMPLATE, {"Ref": "NodeType"}, {"NodeType": "m5.large"}) == "m5.large"
    assert cfn.resolve(TEMPLATE, {"Ref": "NodeType"}) == "t3.large"
    found = cfn.resolve(TEMPLATE, {"Ref": "Config"})
    assert isinstance(found, tuple) and found[1:] == ("Config", TEMPLATE["Resources"]["Config"])


def test_a_ref_to_a_parameter_without_a_default_says_so() -> None:
    value = cfn.resolve(TEMPLATE, {"Ref": "Bare"})
    assert isinstance(value, cfn.Unresolved)
    assert value == "!Ref Bare (a parameter without a default)"
