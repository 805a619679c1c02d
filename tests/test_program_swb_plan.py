"""Offline plans of patterns found in public programs (swept as a new user would, session 9) that the
mocks used to break although `pulumi preview` runs them. tests/programs/swb-iam-dict-policy gives IAM
policies as Python dicts: the provider takes an object for a string field as its JSON text, while the mocks
gave the dict back as the output and the SDK's output typing refused it ("Unexpected type; expected a value
of type str")."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from aiinfra.engine.mocks import UNKNOWN
from aiinfra.engine.plan import ORGANIZATION, SPECIAL_SIGNATURE_KEY
from aiinfra.engine.program import ProgramFailed, plan_directory
from tests.programs.expected import HOURS, PROGRAMS, Expect, check_lines, estimate_json, on_demand, storage

DICT_POLICY = PROGRAMS / "swb-iam-dict-policy"


def test_a_policy_given_as_a_dict_plans_with_the_dict_as_input_and_its_json_as_output() -> None:
    graph = plan_directory(DICT_POLICY, stack="dev")
    by_name = {r.name: r for r in graph.resources}
    assert sorted(by_name) == [
        "artifacts",
        "runner",
        "runner-artifacts",
        "runner-profile",
        "runner-role",
        "runner-self",
        "runner-token",
    ]
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}],
    }
    assert by_name["artifacts"].inputs["policy"] == document, "the input is recorded as the program gave it"
    attachment = by_name["runner-artifacts"].inputs
    assert isinstance(attachment["policyArn"], str) and attachment["policyArn"].startswith("arn:aws:iam::")
    assert by_name["runner-self"].inputs["policy"] == UNKNOWN, "a document holding an unknown is unknown"
    tags = by_name["runner"].inputs["tags"]  # recorded as the secret it derives from
    assert tags.pop(SPECIAL_SIGNATURE_KEY) == "1b47061264138c4ac30d75fd1eb44270"
    assert tags["value"] == {
        "policy-version": "2012-10-17",  # the policy output is its JSON text
        "token-length": "12",  # a secret string reads back as itself, not as JSON of its wrapper
    }


def test_the_dict_policy_program_estimates_its_instance() -> None:
    region = "us-east-1"
    check_lines(
        estimate_json(DICT_POLICY),
        [
            Expect(
                "runner", "aws:ec2/instance:Instance", "instance-hours", HOURS, on_demand("t3.micro", region)
            ),
            Expect(
                "runner",
                "aws:ec2/instance:Instance",
                "GiB-months",
                Decimal(8),
                storage("aws", "ebs", "gp2", region),
            ),
        ],
    )


def test_the_organization_a_program_reads_is_a_placeholder_not_none(tmp_path: Path) -> None:
    """pulumi.get_organization() passed on as a required input (a pulumiservice StackTag's organization)."""
    (tmp_path / "Pulumi.yaml").write_text("name: tagged\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi\n"
        "pulumi.CustomResource('pulumiservice:index:StackTag', 'tag', {'organization': "
        "pulumi.get_organization(), 'project': pulumi.get_project(), 'stack': pulumi.get_stack()})\n"
    )
    (tag,) = plan_directory(tmp_path, stack="blue").resources
    assert tag.inputs == {"organization": ORGANIZATION, "project": "tagged", "stack": "blue"}
    assert ORGANIZATION == "organization"


def test_a_secret_read_as_a_number_asks_for_a_stand_in_of_that_type(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: sized\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  sized:length:\n    secure: AAABAGarbled\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi\n"
        "n = pulumi.Config().require_int('length')\n"
        "pulumi.CustomResource('random:index/randomId:RandomId', 'id', {'byteLength': n})\n"
    )
    with pytest.raises(ProgramFailed) as caught:
        plan_directory(tmp_path, stack="dev")
    assert "ConfigTypeError: Configuration 'sized:length' value '[secret]' is not a valid 'int'" in (
        caught.value.message
    )
    assert caught.value.fix == (
        "The stack file gives sized:length as a `secure:` value, which an offline plan does not decrypt (the "
        "program sees [secret]), and the program reads it as an integer: give a stand-in of that type with "
        "`--config sized:length=VALUE` (nothing is sent anywhere)."
    )
    (tag,) = plan_directory(tmp_path, stack="dev", config={"sized:length": "8"}).resources
    assert tag.inputs == {"byteLength": 8}
