"""estimate/registry.py after `not_estimated` (types a rule module recognises but cannot estimate, with the
reason) and `priced_packages` (the providers some rule covers), third measured run: the decorator registers
every type and hands the function back, refuses a type registered twice (as a rule or as not estimated), and
each look-up loads the rule modules itself in a fresh process, whichever is called first.
Written to kill the mutants bench/mutation.py found alive in the module's new sample."""

from __future__ import annotations

import subprocess
import sys

import pytest

from aiinfra.estimate import registry
from aiinfra.estimate.model import Free


def _explain(_r: object) -> str:
    return "its resources live in a template"


def test_not_estimated_registers_every_type_and_leaves_the_function_callable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    listed: dict[str, registry.Explain] = {}
    monkeypatch.setattr(registry, "NOT_ESTIMATED", listed)
    monkeypatch.setattr(registry, "RULES", {})
    decorated = registry.not_estimated("x:a/b:One", "x:a/b:Two")(_explain)  # type: ignore[arg-type]
    assert decorated is _explain, "a rule module may call its own function by name"
    assert listed == {"x:a/b:One": _explain, "x:a/b:Two": _explain}


def test_not_estimated_refuses_a_type_already_listed_as_not_estimated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(registry, "NOT_ESTIMATED", {})
    monkeypatch.setattr(registry, "RULES", {})
    registry.not_estimated("x:a/b:Twice")(_explain)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^two rules for x:a/b:Twice$"):
        registry.not_estimated("x:a/b:Twice")(_explain)  # type: ignore[arg-type]


def test_not_estimated_refuses_a_type_that_has_a_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    listed: dict[str, registry.Explain] = {}
    monkeypatch.setattr(registry, "NOT_ESTIMATED", listed)
    monkeypatch.setattr(registry, "RULES", {"x:a/b:Priced": lambda _r, _ctx: Free("priced elsewhere")})
    with pytest.raises(ValueError, match=r"^two rules for x:a/b:Priced$"):
        registry.not_estimated("x:a/b:Priced")(_explain)  # type: ignore[arg-type]
    assert listed == {}
    registry.not_estimated("x:a/b:Fresh")(_explain)  # type: ignore[arg-type]
    assert list(listed) == ["x:a/b:Fresh"], "a type with no rule and not listed is accepted"


def _fresh(code: str) -> list[str]:
    prelude = (
        "import sys\n"
        "from aiinfra.estimate import registry\n"
        "assert not any(m.startswith('aiinfra.estimate.rules') for m in sys.modules), 'imported early'\n"
    )
    run = subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True, check=True)
    return run.stdout.split()


def test_not_estimated_for_loads_the_rule_modules_itself_in_a_fresh_process() -> None:
    """An ARM template deployment (azure_classic.py) is known as not estimated even when nothing else asked
    the registry first."""
    out = _fresh(
        "print(registry.not_estimated_for('azure-native:resources:Deployment') is not None,"
        " registry.not_estimated_for('aws:made/up:Thing') is None)\n"
    )
    assert out == ["True", "True"]


def test_priced_packages_loads_the_rule_modules_itself_and_names_each_provider() -> None:
    out = _fresh("print(*sorted(registry.priced_packages()))\n")
    for package in ("aws", "azure", "azure-native", "eks", "awsx", "gcp", "kubernetes"):
        assert package in out, (package, out)
    assert "digitalocean" not in out
    assert all(":" not in p and "/" not in p for p in out), "the provider, never a module or a type"


def test_priced_packages_is_the_first_part_of_every_rules_token(monkeypatch: pytest.MonkeyPatch) -> None:
    registry.rule_for("aws:made/up:Thing")  # the real rules are loaded first
    fake = {"one:a/b:C": _explain, "two:d:E": _explain, "one:f/g:H": _explain}
    monkeypatch.setattr(registry, "RULES", fake)
    assert registry.priced_packages() == frozenset({"one", "two"})
