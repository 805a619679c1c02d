"""Resource graphs from files: `pulumi preview --json`, `pulumi stack export`, and our own plan JSON.

An estimate should not need the program that made a stack: a preview from CI, a state export from a
deployed stack or a plan saved earlier carries enough (types, inputs, providers, config). This module
never imports pulumi, so the estimator can read these files on a machine without the SDK.

The graph is always what exists *after* the operation the file describes:

- preview: every step but the removals (`delete`, `delete-replaced`, `discard`, ...) and reads of
  resources owned elsewhere (`read`), each from its
  `newState`; a replaced resource appears once. Pulumi leaves unchanged resources (`same` steps) out of
  the JSON unless the preview ran with `--show-sames`; when its `changeSummary` counts sames that are not in
  the steps, the graph carries a warning saying so;
- export: every resource of the deployment but those pending deletion (`delete: true`), already deleted
  for a replacement (`pendingReplacement: true`) or only read (`external: true`, from `Resource.get`). Default providers (`pulumi:providers:aws::default_7_…`)
  are kept as resources: their `inputs.region` is a resource's region.

In both, the `pulumi:pulumi:Stack` root is dropped and its children get parent None, as in an offline
plan; keys the engine adds for itself (`__defaults`, `__meta`) are dropped from inputs, as the offline plan
drops them. Secret values are passed through exactly as the file holds them, never decrypted: a state
export's `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": ...}`
objects stay such objects, a preview's blinded secrets stay the string "[secret]", and unknown values of a
preview (`04da6b54-80e4-46f7-96ec-b56ff0331ba9`) read as UNKNOWN, the offline plan's marker.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

from aiinfra.engine.graph import (
    STACK_TYPE,
    GraphFormatError,
    PlannedResource,
    ResourceGraph,
    is_component_type,
    urn_parts,
)
from aiinfra.guard import DOCUMENT_LIMIT, InputError, escape_controls, load_json, read_text
from aiinfra.guard.files import STDIN

__all__ = [
    "SECRET_SIG",
    "UNKNOWN",
    "GraphFormatError",
    "detect_format",
    "graph_from_plan",
    "graph_from_preview",
    "graph_from_state",
    "is_secret",
    "load_graph",
]

UNKNOWN = "<unknown until created>"
"""How a value not known before create reads in a graph; the same string as `engine.mocks.UNKNOWN`."""

UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""Pulumi's wire value for an unknown (`rpcTokenUnknownValue`), as a preview writes it."""

SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"

# Steps that remove a resource (or its old copy): nothing of them exists after the update. `read` steps are
# resources the program only looks up (`Resource.get`): they belong to someone else, so an estimate or a
# check of this stack leaves them out too.
REMOVING_OPS = frozenset(
    {
        "delete",
        "delete-replaced",
        "discard",
        "discard-replaced",
        "read-discard",
        "remove-pending-replace",
        "read",
    }
)

FORMATS = (
    "`pulumi preview --json` output (a `steps` list), `pulumi stack export` output (a `deployment` "
    "object), or `infra plan --format json` output (a `resources` list of type/name)"
)


def is_secret(value: Any) -> bool:
    """True for a secret as a state file holds it (`{SIG_KEY: SECRET_SIG, "ciphertext"|"plaintext": …}`)."""
    return isinstance(value, Mapping) and value.get(SIG_KEY) == SECRET_SIG


def graph_from_preview(doc: Mapping[str, Any]) -> ResourceGraph:
    """The graph a `pulumi preview --json` document says will exist after the update."""
    steps = doc.get("steps", []) if isinstance(doc, Mapping) else None
    if not isinstance(steps, list):
        raise GraphFormatError(
            'a preview document needs a "steps" list.', "Give the output of `pulumi preview --json`."
        )
    states: dict[str, Mapping[str, Any]] = {}
    stack = project = ""
    sames = 0
    warnings: list[str] = []
    for i, step in enumerate(steps):
        if not isinstance(step, Mapping):
            raise GraphFormatError(f"step {i} of the preview is not an object.", _REGENERATE_PREVIEW)
        op = step.get("op")
        urn = step.get("urn")
        if not stack:
            stack, project = urn_parts(urn)[:2]
        if op in REMOVING_OPS:
            continue
        state = step.get("newState")
        if not isinstance(state, Mapping) and op in ("same", "refresh"):
            state = step.get("oldState")  # nothing changes: the old state is the new one
        if not isinstance(state, Mapping):
            warnings.append(f"the preview's {op} step for {urn} has no new state; it is left out")
            continue
        if op == "same":
            sames += 1
        # The step names the provider that performs it; the state's own reference wins where it has one.
        states[str(state.get("urn") or urn)] = {
            **state,
            "provider": state.get("provider") or step.get("provider"),
        }
    counted = _count(doc.get("changeSummary"), "same")
    if counted > sames:
        warnings.append(
            f"the preview counts {counted} unchanged resources but lists {sames}: run "
            "`pulumi preview --json --show-sames` to include them"
        )
    config = doc.get("config")
    return _graph(
        list(states.values()),
        stack=stack,
        project=project,
        config=dict(config) if isinstance(config, Mapping) else {},
        warnings=warnings,
        source="preview",
    )


def graph_from_state(doc: Mapping[str, Any]) -> ResourceGraph:
    """The graph of a deployed stack from `pulumi stack export` (the versioned deployment, version 3).

    An export carries no config (only the encrypted secrets provider), so `config` is empty: a resource
    with no explicit provider takes its region from its default provider, which the export lists."""
    deployment = doc.get("deployment") if isinstance(doc, Mapping) else None
    if not isinstance(deployment, Mapping):
        raise GraphFormatError(
            'a state export needs a "deployment" object.', "Give the output of `pulumi stack export`."
        )
    version = doc.get("version")
    if isinstance(version, int) and version > 3:
        raise GraphFormatError(
            f"the state export is version {version}; this reader knows versions 1 to 3.",
            "Export with a Pulumi CLI that writes version 3, or update aiinfra.",
        )
    raw = deployment.get("resources") or []
    if not isinstance(raw, list):
        raise GraphFormatError('the deployment\'s "resources" is not a list.', _REGENERATE_EXPORT)
    kept = [
        r
        for r in raw
        if isinstance(r, Mapping)
        and not r.get("delete")
        and not r.get("pendingReplacement")
        and not r.get("external")  # read with `Resource.get`: owned elsewhere, not this stack's to price
    ]
    stack, project = next((urn_parts(r.get("urn"))[:2] for r in kept), ("", ""))
    return _graph(kept, stack=stack, project=project, config={}, warnings=[], source="state export")


def graph_from_plan(doc: Mapping[str, Any]) -> ResourceGraph:
    """Our own `infra plan --format json` document (`ResourceGraph.from_json`)."""
    return ResourceGraph.from_json(doc)


def detect_format(doc: Any) -> str | None:
    """The format of a parsed document: "preview", "export" or "plan"; None when it is none of them."""
    if not isinstance(doc, Mapping):
        return None
    if isinstance(doc.get("steps"), list):
        return "preview"
    if isinstance(doc.get("deployment"), Mapping):
        return "export"
    resources = doc.get("resources")
    if isinstance(resources, list) and all(
        isinstance(r, Mapping) and "type" in r and "name" in r for r in resources
    ):
        return "plan"
    if "changeSummary" in doc and "resources" not in doc:
        return "preview"  # Go's omitempty drops "steps" from a preview that lists none
    return None


def load_graph(path: str | Path, *, stdin: BinaryIO | None = None) -> ResourceGraph:
    """Read a graph from a file in any of the three formats, detected from its content. `-` reads standard
    input (`pulumi preview --json | infra estimate --from -`). The file goes through the input guard: a
    regular file (or stdin) of at most DOCUMENT_LIMIT, UTF-8 or UTF-16 with BOM, JSON with bounded
    nesting and finite numbers; any refusal is a GraphFormatError with the fix."""
    shown = "standard input" if str(path) == STDIN else escape_controls(str(path))
    try:
        text = read_text(
            path, what="a preview, state export or plan", limit_bytes=DOCUMENT_LIMIT, stdin=stdin
        )
        doc = load_json(
            text,
            source=shown,
            fix=f"Give {FORMATS}. If the file came from `pulumi preview`, run it with --json and keep "
            "only stdout (no progress lines).",
        )
    except InputError as e:
        raise GraphFormatError(e.message, e.fix or f"Give {FORMATS}.") from None
    path = shown
    kind = detect_format(doc)
    try:
        if kind == "preview":
            return graph_from_preview(doc)
        if kind == "export":
            return graph_from_state(doc)
        if kind == "plan":
            return graph_from_plan(doc)
    except GraphFormatError as e:
        raise GraphFormatError(f"{path}: {e.message}", e.fix) from None
    except (
        AttributeError,
        TypeError,
        KeyError,
        ValueError,
    ) as e:  # a field of the wrong JSON type deep inside
        raise GraphFormatError(
            f"{path} looks like {kind} output but a field has the wrong type ({type(e).__name__}).",
            f"Give the file exactly as the tool wrote it: {FORMATS}.",
        ) from None
    raise GraphFormatError(f"{path} is not a resource graph in a format this tool reads.", f"Give {FORMATS}.")


_REGENERATE_PREVIEW = "Regenerate it with `pulumi preview --json > preview.json`."
_REGENERATE_EXPORT = "Regenerate it with `pulumi stack export > state.json`."


def _graph(
    states: list[Mapping[str, Any]],
    *,
    stack: str,
    project: str,
    config: dict[str, Any],
    warnings: list[str],
    source: str,
) -> ResourceGraph:
    """Turn Pulumi resource states (apitype.ResourceV3) into a graph: drop the stack root, reparent its
    children to None."""
    roots = {str(s.get("urn")) for s in states if s.get("type") == STACK_TYPE}
    resources: list[PlannedResource] = []
    for i, s in enumerate(states):
        urn, type_ = s.get("urn"), s.get("type")
        if not isinstance(urn, str) or not urn:
            raise GraphFormatError(f"resource {i} of the {source} has no urn.", _regenerate(source))
        _, _, qualified, name = urn_parts(urn)
        if not isinstance(type_, str) or not type_:
            type_ = qualified.rsplit("$", 1)[-1]  # the URN ends with the resource's own type
        if type_ == STACK_TYPE:
            continue
        if not name:
            raise GraphFormatError(f"{urn} in the {source} is not a Pulumi URN.", _regenerate(source))
        parent = s.get("parent") or None
        custom = s.get("custom")
        inputs = s.get("inputs")
        resources.append(
            PlannedResource(
                type=type_,
                name=name,
                urn=urn,
                parent=None if parent in roots or parent is None else str(parent),
                inputs=_plain(inputs) if isinstance(inputs, Mapping) else {},
                custom=bool(custom) if custom is not None else not is_component_type(type_),
                protect=bool(s.get("protect", False)),
                retain_on_delete=bool(s.get("retainOnDelete", False)),
                provider=s.get("provider") or None,
            )
        )
    return ResourceGraph(
        stack=stack, project=project, resources=resources, warnings=warnings, config=config
    ).ordered()


def _plain(value: Any) -> Any:
    """Inputs as the offline plan shows them: engine bookkeeping keys dropped, unknowns as UNKNOWN.
    Secrets are left exactly as they are."""
    if is_secret(value):
        return dict(value)
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items() if not str(k).startswith("__")}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if value == UNKNOWN_SENTINEL:
        return UNKNOWN
    return value


def _count(summary: Any, op: str) -> int:
    value = summary.get(op) if isinstance(summary, Mapping) else None
    return value if isinstance(value, int) else 0


def _regenerate(source: str) -> str:
    return _REGENERATE_PREVIEW if source == "preview" else _REGENERATE_EXPORT
