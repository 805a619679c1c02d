"""Load a stack spec from a `Pulumi.<stack>.yaml` file or from the config dict of a running program, and
validate it in two passes: structure (pydantic) then meaning (catalog, references). Every problem becomes
a SpecIssue with its field path and fix; nothing else escapes as an exception."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from aiinfra.catalog import Catalog, default_catalog
from aiinfra.catalog.load import CatalogDataError
from aiinfra.catalog.query import did_you_mean
from aiinfra.guard import SPEC_LIMIT, InputError, load_yaml, non_string_key, read_text, show
from aiinfra.spec import sanity, semantics
from aiinfra.spec.errors import SpecError, SpecIssue, format_path
from aiinfra.spec.models import NAME_RULE, Budget, StackSpec

NAMESPACE = "aiinfra"
SPEC_KEYS = ("clusters", "edgeSites", "usage", "budget")
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
    """The `config:` mapping of a Pulumi stack file, read through the input guard (a regular file of at
    most SPEC_LIMIT, bounded YAML with duplicate keys refused)."""
    if not path.exists() and not path.is_symlink():
        stacks = sorted(p.name for p in path.parent.glob("Pulumi.*.yaml")) if path.parent.is_dir() else []
        hint = (
            f"Stacks here: {', '.join(stacks)}." if stacks else "Give a stack name or a path to a stack file."
        )
        raise SpecError([SpecIssue("", f"no stack file at {show(str(path), 200)}.", hint)]) from None
    try:
        doc = load_yaml(read_text(path, what="a stack file", limit_bytes=SPEC_LIMIT), source=str(path))
    except InputError as e:
        raise SpecError([SpecIssue("", e.message, e.fix)]) from None
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise SpecError(
            [
                SpecIssue(
                    "", "a stack file is a mapping with a `config:` key.", "Start the file with `config:`."
                )
            ],
            source=str(path),
        )
    config = doc.get("config", {})
    if config is None:
        config = {}
    if not isinstance(config, dict):
        raise SpecError(
            [SpecIssue("config", "must be a mapping of config keys.", "Write `key: value` lines under it.")],
            source=str(path),
        )
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
    data: Mapping[str, Any],
    catalog: Catalog | None = None,
    source: str | None = None,
    config: Mapping[str, Any] | None = None,
) -> StackSpec:
    """Validate a spec given as `{clusters: [...], edgeSites: [...], usage: {...}}`; `config` holds the
    stack's other config keys the spec defers to (`gcp:project`)."""
    found = non_string_key(dict(data))
    if found is not None:
        where, key = found
        kind = (
            "null" if key is None else type(key).__name__.replace("bool", "boolean").replace("int", "number")
        )
        raise SpecError(
            [
                SpecIssue(
                    where,
                    f"the key {show(key)} reads as a {kind}, where a name is expected.",
                    f'Write names as text; quote it if YAML would read it otherwise: "{show(key)}":.',
                )
            ],
            source=source,
        )
    try:
        # by_name=False: the schema is camelCase; `node_pools` is refused, not quietly taken for nodePools
        spec = StackSpec.model_validate(dict(data), by_alias=True, by_name=False)
    except ValidationError as e:
        raise SpecError(_pydantic_issues(e), source=source) from None
    try:
        catalog = catalog if catalog is not None else default_catalog()
    except CatalogDataError as e:
        raise SpecError([SpecIssue("", e.message, e.fix)], source=None) from None
    issues = semantics.check(spec, catalog, config)
    if issues:
        raise SpecError(issues, source=source)
    return spec


def load_stack_spec(stack: str | Path, catalog: Catalog | None = None, root: Path | None = None) -> StackSpec:
    path = stack if isinstance(stack, Path) else stack_file(stack, root)
    return spec_from_config(read_stack_config(path), catalog, source=str(path))


def stack_budget(stack: str | Path, root: Path | None = None) -> tuple[Budget | None, Path]:
    """The `aiinfra:budget` of a stack file (None when it declares none) and the file's path, validated
    alone: a bad budget is a SpecError with its field path before anything is planned. The whole spec is
    validated again, budget included, when the stack is planned."""
    path = stack if isinstance(stack, Path) else stack_file(stack, root)
    config = read_stack_config(path)
    data = config.get(f"{NAMESPACE}:budget")
    if data is None:
        return None, path
    try:
        spec = StackSpec.model_validate({"budget": data}, by_alias=True, by_name=False)
    except ValidationError as e:
        raise SpecError(_pydantic_issues(e), source=str(path)) from None
    return spec.budget, path


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
    others = {k: v for k, v in config.items() if isinstance(k, str) and not k.startswith(f"{NAMESPACE}:")}
    return parse_spec(data, catalog, source=source, config=others)


# -- pydantic errors in the user's words ---------------------------------------------------------------

_FIELD_HINTS = {"name": f"Names are {NAME_RULE}."}
_BOUND_FIXES = {
    "greater_than_equal": "Use a number of at least {ge}.",
    "greater_than": "Use a number above {gt}.",
    "less_than_equal": "Use a number of at most {le}.",
    "less_than": "Use a number below {lt}.",
    "int_parsing": "Write a whole number, such as 4.",
    "int_from_float": "Write a whole number, such as 4.",
    "finite_number": "Write a finite number.",
    "too_short": "Give at least {min_length} entry.",
    "string_too_long": "Use at most {max_length} characters.",
    "too_long": "Give at most {max_length} entries.",
    "list_type": "Write a YAML list (lines starting with '- ').",
    "dict_type": "Write a YAML mapping (key: value lines).",
    "model_type": "Write a YAML mapping (key: value lines).",
    "model_attributes_type": "Write a YAML mapping (key: value lines).",
}


def _pydantic_issues(error: ValidationError) -> list[SpecIssue]:
    """Each pydantic error as a SpecIssue in the user's words. User values are quoted through `show`
    (capped, control characters escaped): a 50 MB value or a million-key mapping is never formatted whole."""
    issues = []
    for err in error.errors(include_url=False, include_input=True, include_context=True):
        loc = tuple(err["loc"])
        path = format_path(loc)
        kind = err["type"]
        got = err.get("input")
        field = str(loc[-1]) if loc else ""
        if kind == "missing":
            issues.append(SpecIssue(path, "is required.", f"Add {field}."))
        elif kind == "extra_forbidden":
            issues.append(_unknown_key(loc, path))
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            issues.append(SpecIssue(path, f"{show(got)} is not allowed.", f"Use one of {expected}."))
        elif kind == "string_pattern_mismatch":
            hint = _FIELD_HINTS.get(field, "")
            if field == "kubernetesVersion":
                hint = 'Write it as text, such as "1.35".'
            issues.append(SpecIssue(path, f"{show(got)} is not a valid {field}.", hint))
        elif kind == "ip_v4_network":
            issues.append(sanity.cidr_text_issue(path, got))
        elif kind == "value_error":
            msg = str(err["msg"]).removeprefix("Value error, ")
            issues.append(SpecIssue(path, msg + ".", ""))
        elif kind in ("string_type", "int_type", "bool_type", "float_type"):
            issues.append(_wrong_type(kind, path, field, got))
        else:
            try:
                # 0.0 reads as 0: a bound that is a whole number is written as one
                ctx = {k: f"{v:g}" if isinstance(v, float) else v for k, v in err.get("ctx", {}).items()}
                fix = _BOUND_FIXES.get(kind, "").format(**ctx)
            except (KeyError, IndexError):  # a pydantic version that names its context differently
                fix = ""
            msg = str(err["msg"])
            issues.append(SpecIssue(path, f"{msg[0].lower()}{msg[1:]} (got {show(got)}).", fix))
    return issues


def _unknown_key(loc: tuple[Any, ...], path: str) -> SpecIssue:
    key = str(loc[-1])
    parent_model = _model_at(loc[:-1])
    fields = parent_model.model_fields if parent_model else {}
    known = [f.alias or n for n, f in fields.items()]
    by_name = {n: f.alias or n for n, f in fields.items()}
    if key in by_name and by_name[key] != key:  # snake_case of a camelCase key
        return SpecIssue(
            path,
            f"unknown key {show(key)}: keys in a stack file are camelCase, as Pulumi config is.",
            f"Write {by_name[key]}.",
        )
    return SpecIssue(path, f"unknown key {show(key)}.", did_you_mean(key[:100], known))


def _wrong_type(kind: str, path: str, field: str, got: Any) -> SpecIssue:
    """A value of the wrong YAML type. YAML decides types from spelling: 1.30 is the number 1.3, yes and
    true are booleans, "4" is text; say what YAML read and what to write."""
    read_as = _yaml_type(got)
    if kind == "string_type":
        if field == "kubernetesVersion" and isinstance(got, float):
            return SpecIssue(
                path,
                f"YAML reads {got} as a number (1.30 becomes 1.3), not a version.",
                f'Quote it: kubernetesVersion: "{got:.2f}".',
            )
        if isinstance(got, bool | int | float):
            return SpecIssue(
                path, f"YAML reads {show(got)} as {read_as}; text is expected.", f'Quote it: "{got}".'
            )
        return SpecIssue(path, f"expected text, got {read_as}.", "Write text.")
    if kind == "int_type":
        fix = "Write a whole number without quotes, such as 4."
        return SpecIssue(path, f"expected a whole number, got {read_as} {show(got)}.", fix)
    if kind == "float_type":
        fix = "Write a number without quotes, such as 0.5."
        if path.startswith("budget."):
            fix = f"Write a number without quotes, such as {field}: 200000."
        return SpecIssue(path, f"expected a number, got {read_as} {show(got)}.", fix)
    return SpecIssue(
        path, f"expected true or false, got {read_as} {show(got)}.", "Write true or false, without quotes."
    )


def _yaml_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "a value"


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
