"""A stack file that imports Pulumi ESC environments (`environment:`, as 0xThresh/vllm-quickstart's does
for its DataDog and Hugging Face settings) holds config only the Pulumi Cloud service can open. The
offline plan says so: a required value it lacks names the environment and --config, and a plan that ran
without them warns that what they provide is unset."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiinfra.engine.program import MissingConfig, plan_directory

MAIN = """\
import pulumi
config = pulumi.Config()
size = config.get("size") or "t3.micro"
pulumi.CustomResource("aws:ec2/instance:Instance", "vm", {"instanceType": size, "ami": "ami-1"})
"""


def program(directory: Path, environment: str, main: str = MAIN) -> Path:
    directory.mkdir(parents=True)
    (directory / "Pulumi.yaml").write_text("name: esc\nruntime: python\n")
    (directory / "Pulumi.dev.yaml").write_text(f"{environment}config:\n  aws:region: us-west-2\n")
    (directory / "__main__.py").write_text(main)
    return directory


@pytest.mark.parametrize(
    ("environment", "names"),
    [
        ("environment:\n  - team/llm\n  - team/creds\n", "team/llm, team/creds"),
        ("environment: team/llm\n", "team/llm"),
        ("environment:\n  imports:\n    - team/llm\n", "team/llm"),
    ],
)
def test_a_plan_without_the_imported_environments_warns_that_their_values_are_unset(
    tmp_path: Path, environment: str, names: str
) -> None:
    graph = plan_directory(program(tmp_path / "p", environment), stack="dev")
    assert [r.inputs["instanceType"] for r in graph.resources] == ["t3.micro"]
    (warning,) = [w for w in graph.warnings if "ESC" in w]
    assert f"Pulumi.dev.yaml imports ({names})" in warning and "--config" in warning


def test_a_required_value_names_the_environment_it_would_come_from(tmp_path: Path) -> None:
    main = "import pulumi\npulumi.Config().require('HFToken')\n"
    directory = program(tmp_path / "p", "environment:\n  - team/llm\n", main)
    with pytest.raises(MissingConfig) as caught:
        plan_directory(directory, stack="dev")
    assert "--config esc:HFToken=VALUE" in caught.value.fix
    assert "imports the Pulumi ESC environment team/llm" in caught.value.fix
    assert "cannot be read offline" in caught.value.fix


def test_a_stack_without_environments_says_nothing_of_them(tmp_path: Path) -> None:
    graph = plan_directory(program(tmp_path / "p", ""), stack="dev")
    assert not [w for w in graph.warnings if "ESC" in w]
    main = "import pulumi\npulumi.Config().require('HFToken')\n"
    with pytest.raises(MissingConfig) as caught:
        plan_directory(program(tmp_path / "q", "", main), stack="dev")
    assert "ESC" not in caught.value.fix
