"""Load a stack spec from a `Pulumi.<stack>.yaml` file or from the config dict of a running program, and
validate it in two passes: structure (pydantic) then meaning (catalog, references). Every problem becomes
a SpecIssue with its field path and fix; nothing else escapes as an exception."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from aiinfra.catalog import Catalog, default_catalog
from aiinfra.catalog.query import did_you_mean
from aiinfra.spec import sanity, semantics
from aiinfra.spec.errors import SpecError, SpecIssue, format_path
from aiinfra.spec.models import NAME_RULE, StackSpec
from pydantic import ValidationError

NAMESPACE = "aiinfra"
SPEC_KEYS = ("clusters", "edgeSites", "usage")
STACKS_DIR = "stacks"


def stack_file(stack: str, root: Path | None = None) -> Path:
    """`-s NAME` means `stacks/Pulumi.NAME.yaml`; anything that looks like a path is taken as one."""
    candidate = Path(stack)
    if candidate.suffix in (".yaml", ".yml") or candidate.parent != Path("."):
        return candidate
    base = root if root is not None else Path.cwd()
    return base / STACKS_DIR / f"Pulumi.{stack}.yaml"


def stack_name(path: Path) -> str:
    """`stacks/Pulumi.NAME.yaml` -> NAME (the inverse of `stack_file`)."""
    return path.name.removeprefix("Pulumi.").removesuffix(".yaml").removesuffix(".yml")


def read_stack_config(path: Path) -> dict[str, Any]:
    """The `config:` mapping of a Pulumi stack file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        stacks = sorted(p.name for p in path.parent.glob("Pulumi.*.yaml")) if path.parent.is_dir() else []
        hint = (
            f"Stacks here: {', '.join(stacks)}." if stacks else "Give a stack name or a path to a stack file."
        )
        raise SpecError([SpecIssue("", f"no stack file at {path}.", hint)]) from None
    except (OSError, UnicodeDecodeError) as e:
        raise SpecError([SpecIssue("", f"cannot read {path}: {e}.")]) from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise SpecError(
            [
                SpecIssue(
                    "",
                    f"YAML syntax error at {where}{problem}.",
                    "Fix the YAML at that line (indentation, a missing ':' or an unclosed bracket or quote).",
                )
            ],
            source=str(path),
        ) from None
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise SpecError([SpecIssue("", "a stack file is a mapping with a `config:` key.")], source=str(path))
    config = doc.get("config", {})
    if config is None:
        config = {}
    if not isinstance(config, dict):
        raise SpecError([SpecIssue("config", "must be a mapping of config keys.")], source=str(path))
    return config


def spec_config(config: Mapping[Any, Any]) -> tuple[dict[str, Any], list[SpecIssue]]:
    """Pick the `aiinfra:*` keys of a stack config; unknown keys in the namespace are issues."""
    picked: dict[str, Any] = {}
    issues: list[SpecIssue] = []
    for key, value in config.items():
        if not isinstance(key, str) or not key.startswith(f"{NAMESPACE}:"):
            continue  # other namespaces (aws:region, pulumi:...) belong to other tools
        short = key.split(":", 1)[1]
        if short in SPEC_KEYS:
            picked[short] = value
        else:
            issues.append(
                SpecIssue(
                    f"config.{key}",
                    f"unknown key '{key}'.",
                    did_you_mean(f"{NAMESPACE}:{short}", [f"{NAMESPACE}:{k}" for k in SPEC_KEYS]),
                )
            )
    return picked, issues


def parse_spec(
    data: Mapping[str, Any], catalog: Catalog | None = None, source: str | None = None
) -> StackSpec:
    """Validate a spec given as `{clusters: [...], edgeSites: [...], usage: {...}}`."""
    try:
        spec = StackSpec.model_validate(dict(data))
    except ValidationError as e:
        raise SpecError(_pydantic_issues(e), source=source) from None
    issues = semantics.check(spec, catalog if catalog is not None else default_catalog())
    issues = sanity.with_sanity(spec, issues)  # until semantics calls sanity.sanity_issues itself
    if issues:
        raise SpecError(issues, source=source)
    return spec


def load_stack_spec(stack: str | Path, catalog: Catalog | None = None, root: Path | None = None) -> StackSpec:
    path = stack if isinstance(stack, Path) else stack_file(stack, root)
    return spec_from_config(read_stack_config(path), catalog, source=str(path))


def spec_from_config(
    config: Mapping[Any, Any], catalog: Catalog | None = None, source: str | None = None
) -> StackSpec:
    """Validate the `aiinfra:*` keys of a stack's `config:` mapping (the rest belongs to other tools)."""
    data, issues = spec_config(config)
    if issues:
        raise SpecError(issues, source=source)
    if not data.get("clusters") and not data.get("edgeSites"):
        raise SpecError(
            [
                SpecIssue(
                    f"config.{NAMESPACE}:clusters",
                    "the stack declares no clusters and no edge sites.",
                    f"Add {NAMESPACE}:clusters (see stacks/Pulumi.example.yaml).",
                )
            ],
            source=source,
        )
    return parse_spec(data, catalog, source=source)


# -- pydantic errors in the user's words ---------------------------------------------------------------

_FIELD_HINTS = {"name": f"Names are {NAME_RULE}."}
_BOUND_FIXES = {
    "greater_than_equal": "Use a number of at least {ge}.",
    "greater_than": "Use a number above {gt}.",
    "less_than_equal": "Use a number of at most {le}.",
    "int_parsing": "Write a whole number, such as 4.",
    "int_from_float": "Write a whole number, such as 4.",
    "too_short": "Give at least {min_length} entry.",
    "list_type": "Write a YAML list (lines starting with '- ').",
    "dict_type": "Write a YAML mapping (key: value lines).",
    "model_type": "Write a YAML mapping (key: value lines).",
    "string_type": "Write text.",
    "bool_type": "Write true or false.",
}


def _pydantic_issues(error: ValidationError) -> list[SpecIssue]:
    issues = []
    for err in error.errors(include_url=False):
        loc = tuple(err["loc"])
        path = format_path(loc)
        kind = err["type"]
        got = err.get("input")
        if kind == "missing":
            issues.append(SpecIssue(path, "is required.", f"Add {loc[-1]}."))
        elif kind == "extra_forbidden":
            parent_model = _model_at(loc[:-1])
            known = [f.alias or n for n, f in parent_model.model_fields.items()] if parent_model else []
            issues.append(SpecIssue(path, f"unknown key '{loc[-1]}'.", did_you_mean(str(loc[-1]), known)))
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            shown = got if not isinstance(got, str) else f"'{got}'"
            issues.append(SpecIssue(path, f"{shown} is not allowed.", f"Use one of {expected}."))
        elif kind == "string_pattern_mismatch":
            hint = _FIELD_HINTS.get(str(loc[-1]), "")
            if str(loc[-1]) == "kubernetesVersion":
                hint = "Write it as 1.33."
            issues.append(SpecIssue(path, f"'{got}' is not a valid {loc[-1]}.", hint))
        elif kind == "ip_v4_network":
            issues.append(sanity.cidr_text_issue(path, got))
        elif kind == "value_error":
            msg = str(err["msg"]).removeprefix("Value error, ")
            issues.append(SpecIssue(path, msg + ".", ""))
        else:
            shown = _short(got)
            try:
                fix = _BOUND_FIXES.get(kind, "").format(**err.get("ctx", {}))
            except (KeyError, IndexError):  # a pydantic version that names its context differently
                fix = ""
            issues.append(SpecIssue(path, f"{err['msg'][0].lower()}{err['msg'][1:]} (got {shown}).", fix))
    return issues


def _short(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _model_at(loc: tuple[Any, ...]) -> Any:
    """The pydantic model class found by walking `loc` from StackSpec (list indices skipped)."""
    import typing

    model: Any = StackSpec
    for part in loc:
        if isinstance(part, int):
            continue
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        if field is None:
            return None
        ann = field.annotation
        for _ in range(4):  # unwrap Optional[...], list[...], Annotated[...]
            args = [a for a in typing.get_args(ann) if a is not type(None)]
            if isinstance(ann, type) and hasattr(ann, "model_fields"):
                break
            if not args:
                break
            ann = args[0]
        model = ann if isinstance(ann, type) and hasattr(ann, "model_fields") else None
        if model is None:
            return None
    return model
