"""A program that asks a class for an attribute it does not have (`pulumi.Output.strimzi_name`, pulumi/docs
strimzi-kafka-python) fails the same way under a preview: the message says so and what to fix, instead of
the general advice that blames the offline plan's unknown outputs and placeholders."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiinfra.engine.program import ProgramFailed, plan_directory


def test_a_missing_class_attribute_is_the_program_s_own_name_error(tmp_path: Path) -> None:
    directory = tmp_path / "p"
    directory.mkdir()
    (directory / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (directory / "__main__.py").write_text("import pulumi\n\nname = pulumi.Output.strimzi_name('x')\n")
    with pytest.raises(ProgramFailed) as caught:
        plan_directory(directory, stack="dev")
    assert (
        "failed at __main__.py:3: AttributeError: type object 'Output' has no attribute 'strimzi_name'"
        in (caught.value.message)
    )
    fix = caught.value.fix
    assert fix.startswith("The program uses a name that what it imports does not have")
    assert "It fails the same way in a preview: fix that line" in fix
    assert "as a preview does" not in fix and "pulumi preview" not in fix


def test_a_missing_attribute_of_a_lowercase_type_keeps_the_general_advice(tmp_path: Path) -> None:
    directory = tmp_path / "p"
    directory.mkdir()
    (directory / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (directory / "__main__.py").write_text("import pulumi\n\nstr.nothing_here\n")
    with pytest.raises(ProgramFailed) as caught:
        plan_directory(directory, stack="dev")
    assert "type object 'str' has no attribute 'nothing_here'" in caught.value.message
    assert "as a preview does" in caught.value.fix
