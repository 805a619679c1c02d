"""estimate/registry.py after `free_listed` (one helper for the rule modules that keep their own list of free
types), second measured run: the types go on the module's list, each is registered as free with its reason,
and a type another rule module already registered keeps that rule instead of stopping every estimate.
Written to kill the mutants bench/mutation.py found alive in the module's new sample."""

from __future__ import annotations

import pytest

from aiinfra.estimate import registry
from aiinfra.estimate.model import Free


def test_free_listed_lists_every_type_and_registers_the_ones_no_rule_took(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def taken(_r: object, _ctx: object) -> Free:
        return Free("registered first")

    rules: dict[str, registry.Rule] = {"x:a/b:Taken": taken}
    monkeypatch.setattr(registry, "RULES", rules)
    listing = ["x:old/one:One"]
    registry.free_listed(listing, "configuration: no charge", "x:a/b:Taken", "x:a/c:New", "x:a/d:Other")
    assert listing == ["x:old/one:One", "x:a/b:Taken", "x:a/c:New", "x:a/d:Other"]
    assert sorted(rules) == ["x:a/b:Taken", "x:a/c:New", "x:a/d:Other"]
    assert rules["x:a/b:Taken"] is taken, "the rule registered first stays"
    for token in ("x:a/c:New", "x:a/d:Other"):
        assert rules[token](None, None) == Free("configuration: no charge")  # type: ignore[arg-type]


def test_free_refuses_a_type_registered_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "RULES", {})
    registry.free("no charge", "x:a/b:Twice")
    with pytest.raises(ValueError, match=r"^two rules for x:a/b:Twice$"):
        registry.free("no charge", "x:a/b:Twice")


def test_the_rule_decorator_registers_every_type_and_leaves_the_function_callable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rules: dict[str, registry.Rule] = {}
    monkeypatch.setattr(registry, "RULES", rules)

    def priced(_r: object, _ctx: object) -> Free:
        return Free("called")

    decorated = registry.rule("x:a/b:One", "x:a/b:Two")(priced)  # type: ignore[arg-type]
    assert decorated is priced, "a rule module calls its own rules by name"
    assert rules == {"x:a/b:One": priced, "x:a/b:Two": priced}
    with pytest.raises(ValueError, match=r"^two rules for x:a/b:One$"):
        registry.rule("x:a/b:One")(priced)  # type: ignore[arg-type]


def test_a_fresh_process_finds_the_rules_without_importing_a_rule_module() -> None:
    """rule_for imports the rule modules itself: `infra estimate` never imports one by name."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from aiinfra.estimate.registry import rule_for\n"
        "assert not any(m.startswith('aiinfra.estimate.rules') for m in sys.modules), 'imported early'\n"
        "print(rule_for('aws:sqs/queue:Queue') is not None, rule_for('aws:made/up:Thing') is None)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "True"]
