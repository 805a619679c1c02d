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
preview (`04da6b54-80e4-46f7-96ec-b56ff0331ba9`) read as UNKNOWN, the offline plan's marker. Assets and
archives (`{SIG_KEY: ASSET_SIG|ARCHIVE_SIG, ...}`) stay such objects; a resource reference
(`{SIG_KEY: RESOURCE_SIG, "urn", "id"}`) reads as the id it stands for, as a provider sees it. The
signatures are the SDK's (`pulumi/runtime/rpc.py`); `value_kind` names what a value is for a message.

Outputs (what the cloud decided: instance types, versions, sizes) are kept beside the inputs: an export's
`outputs`; a preview's `newState.outputs`, or for a resource the preview does not replace, its
`oldState.outputs`. `graph_from_preview(doc, before=True)` is the graph as it was before the update (every
step's `oldState`), so an estimate can show what the update changes.
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
    canonical_type,
    is_component_type,
    read_as_warnings,
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
    "is_unknown",
    "load_graph",
    "value_kind",
]

UNKNOWN = "<unknown until created>"
"""How a value not known before create reads in a graph; the same string as `engine.mocks.UNKNOWN`."""

UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""Pulumi's wire value for an unknown (`rpcTokenUnknownValue`), as a preview writes it."""

SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17"
ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7"
RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
BLINDED_SECRET = "[secret]"
"""How `pulumi preview --json` writes a secret (`MassageSecrets`): the value itself is never in the file."""

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
    """True for a secret as a state file holds it (`{SIG_KEY: SECRET_SIG, "ciphertext"|"plaintext": …}`)
    and as a preview writes it (`"[secret]"`)."""
    return value == BLINDED_SECRET or (isinstance(value, Mapping) and value.get(SIG_KEY) == SECRET_SIG)


def is_unknown(value: Any) -> bool:
    """True for a value not known until the update runs: the graph's UNKNOWN, Pulumi's wire sentinel."""
    return isinstance(value, str) and value in (UNKNOWN, UNKNOWN_SENTINEL)


def value_kind(value: Any) -> str | None:
    """What a special value is, in words for a message ("a secret", "unknown until apply", "an asset",
    "an archive"); None for an ordinary value."""
    if is_secret(value):
        return "a secret"
    if is_unknown(value):
        return "unknown until apply"
    if isinstance(value, Mapping):
        sig = value.get(SIG_KEY)
        if sig == ASSET_SIG:
            return "an asset"
        if sig == ARCHIVE_SIG:
            return "an archive"
    return None


def graph_from_preview(doc: Mapping[str, Any], *, before: bool = False) -> ResourceGraph:
    """The graph a `pulumi preview --json` document says will exist after the update; with `before`, the
    graph as it was before it (each step's `oldState`: what a create adds is not in it, what a delete
    removes is)."""
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
        if before:
            old = step.get("oldState")
            if not isinstance(old, Mapping) and op in ("same", "refresh"):
                old = step.get("newState")
            if isinstance(old, Mapping) and op not in ("read", "read-replacement"):
                states.setdefault(
                    str(old.get("urn") or urn),
                    {**old, "provider": old.get("provider") or step.get("provider")},
                )
            continue
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
        outputs = state.get("outputs")
        old = step.get("oldState")
        if not outputs and op in ("same", "update", "refresh") and isinstance(old, Mapping):
            outputs = old.get("outputs")  # not replaced: what the cloud decided still holds
        states[str(state.get("urn") or urn)] = {
            **state,
            "outputs": outputs,
            "provider": state.get("provider") or step.get("provider"),
        }
    counted = _count(doc.get("changeSummary"), "same")
    if counted > sames and not before:
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


_DONE = {
    "create": "created",
    "update": "updated",
    "replace": "replaced",
    "create-replacement": "replaced",
    "delete-replaced": "replaced",
    "delete": "deleted",
    "import": "imported",
    "import-replacement": "replaced",
}
"""A preview step's op as the change it makes to a resource; a replacement's three steps are one
`replaced`, which wins over the others for the same resource."""


def preview_operations(doc: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    """What a preview does to each resource by (type, name): created, updated, replaced, deleted, ...;
    resources it leaves as they are are not in it."""
    out: dict[tuple[str, str], str] = {}
    steps: list[Any] = doc["steps"] if isinstance(doc.get("steps"), list) else []
    for step in steps:
        if not isinstance(step, Mapping) or step.get("op") not in _DONE:
            continue
        _, _, qualified, name = urn_parts(step.get("urn"))
        key = (canonical_type(qualified.rsplit("$", 1)[-1]), name)  # as the graph names the type
        if out.get(key) != "replaced":
            out[key] = _DONE[str(step.get("op"))]
    return out


def preview_lacks_sames(doc: Mapping[str, Any]) -> bool:
    """True when a preview counts unchanged resources it does not list (run without `--show-sames`)."""
    steps: list[Any] = doc["steps"] if isinstance(doc.get("steps"), list) else []
    listed = sum(1 for s in steps if isinstance(s, Mapping) and s.get("op") == "same")
    return _count(doc.get("changeSummary"), "same") > listed


def _known_id(value: Any) -> str:
    """A state's `id` as text; "" when absent, not text, or a preview's unknown."""
    return value if isinstance(value, str) and value != UNKNOWN_SENTINEL else ""


def graph_from_state(doc: Mapping[str, Any]) -> ResourceGraph:
    """The graph of a deployed stack from `pulumi stack export` (the versioned deployment, version 3 or 4).

    An export carries no config (only the encrypted secrets provider), so `config` is empty: a resource
    with no explicit provider takes its region from its default provider, which the export lists."""
    deployment = doc.get("deployment") if isinstance(doc, Mapping) else None
    if not isinstance(deployment, Mapping):
        raise GraphFormatError(
            'a state export needs a "deployment" object.', "Give the output of `pulumi stack export`."
        )
    version = doc.get("version")
    # Version 4 is version 3's DeploymentV3 plus a `features` list (refreshBeforeUpdate, ...), which an
    # estimate does not need; Pulumi writes 4 only when a stack uses such a feature.
    if isinstance(version, int) and version > 4:
        raise GraphFormatError(
            f"the state export is version {version}; this reader knows versions 1 to 4.",
            "Export with a Pulumi CLI that writes version 3 or 4, or update aiinfra.",
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
    checkpoint = doc.get("checkpoint")
    if isinstance(checkpoint, Mapping) and isinstance(checkpoint.get("latest", {}), Mapping):
        return "checkpoint"
    return None


def what_it_is(doc: Any) -> str:
    """What a JSON document that is no graph looks like, in words for the refusal."""
    if isinstance(doc, Mapping):
        plan: Mapping[str, Any] = doc["plan"] if isinstance(doc.get("plan"), Mapping) else doc
        if "resourcePlans" in plan or ("manifest" in plan and "config" in plan and "resources" not in plan):
            return (
                "a Pulumi update plan (`pulumi preview --save-plan`): it holds the goals `pulumi up --plan` "
                "enforces, not the resources' states"
            )
        if "totals" in doc and "lines" in doc:
            return "an estimate (`infra estimate --format json`): compare with it through --compare-to"
        if "resource_changes" in doc or "format_version" in doc:
            return "a Terraform plan or state, not a Pulumi document"
        names = sorted(str(k) for k in doc)
        if not names:
            return "an empty JSON object"
        more = f" and {len(names) - 6} more" if len(names) > 6 else ""
        return f"a JSON object with the key{'s' if len(names) > 1 else ''} {', '.join(names[:6])}{more}"
    if isinstance(doc, list):
        return f"a JSON list of {len(doc)} items"
    return f"a JSON {type(doc).__name__.replace('str', 'string').replace('NoneType', 'null')}"


def load_graph(path: str | Path, *, stdin: BinaryIO | None = None) -> ResourceGraph:
    """Read a graph from a file in any of the three formats, detected from its content. `-` reads standard
    input (`pulumi preview --json | infra estimate --from -`). The file goes through the input guard: a
    regular file (or stdin) of at most DOCUMENT_LIMIT, UTF-8 or UTF-16 with BOM, JSON with bounded
    nesting and finite numbers; any refusal is a GraphFormatError with the fix."""
    return graph_of(*load_document(path, stdin=stdin))


def load_document(path: str | Path, *, stdin: BinaryIO | None = None) -> tuple[str, Any, str]:
    """(format, parsed document, the name to show) of a graph file, read through the guard; a document in
    no format this module reads is a GraphFormatError naming what it is and what to give instead."""
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
    kind = detect_format(doc)
    if kind is None:
        raise GraphFormatError(
            f"{shown} is not a resource graph: it is {what_it_is(doc)}.", f"Give {FORMATS} instead."
        )
    return kind, doc, shown


def graph_of(kind: str, doc: Any, shown: str, *, before: bool = False) -> ResourceGraph:
    """The graph of a document `load_document` read; `before` (previews only): the graph before the update."""
    try:
        if kind == "preview":
            return graph_from_preview(doc, before=before)
        if kind == "export":
            return graph_from_state(doc)
        if (
            kind == "checkpoint"
        ):  # the backend's own file (`.pulumi/stacks/<stack>.json`): the same deployment
            checkpoint = doc["checkpoint"]
            latest = checkpoint.get("latest") or checkpoint.get("Latest") or {}
            return graph_from_state({"version": doc.get("version"), "deployment": latest})
        return graph_from_plan(doc)
    except GraphFormatError as e:
        raise GraphFormatError(f"{shown}: {e.message}", e.fix) from None
    except (
        AttributeError,
        TypeError,
        KeyError,
        ValueError,
    ) as e:  # a field of the wrong JSON type deep inside
        raise GraphFormatError(
            f"{shown} looks like {kind} output but a field has the wrong type ({type(e).__name__}).",
            f"Give the file exactly as the tool wrote it: {FORMATS}.",
        ) from None


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
    read_as: dict[str, str] = {}
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
        canonical = canonical_type(type_)
        if canonical != type_:
            read_as.setdefault(type_, canonical)
            type_ = canonical
        parent = s.get("parent") or None
        custom = s.get("custom")
        inputs = s.get("inputs")
        outputs = s.get("outputs")
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
                remote=s.get("remote") is True,
                # As the document holds them (a shallow copy): only a rule's few keys are ever read, and
                # `value_kind` knows the wire's unknowns and secrets where they are.
                outputs=dict(outputs) if isinstance(outputs, Mapping) else {},
                id=_known_id(s.get("id")),
            )
        )
    warnings = warnings + read_as_warnings(read_as)
    return ResourceGraph(
        stack=stack, project=project, resources=resources, warnings=warnings, config=config
    ).ordered()


def _plain(value: Any) -> Any:
    """Inputs as the offline plan shows them: engine bookkeeping keys dropped, unknowns as UNKNOWN, a
    resource reference as its id. Secrets, assets and archives are left exactly as they are.

    Parsed JSON holds only dicts, lists, strings, numbers, booleans and null, so exact type checks do, and
    a plain value is kept without a call: a 10,000-resource export has some 250,000 of them."""
    if type(value) is dict:
        sig = value.get(SIG_KEY)
        if sig is not None:
            if sig == RESOURCE_SIG:
                ref = value.get("id")
                return _plain(ref) if ref not in (None, "") else UNKNOWN  # a component has no id
            if sig in (SECRET_SIG, ASSET_SIG, ARCHIVE_SIG):
                return dict(value)
        return {
            k: _plain(v) if type(v) in _NESTED or v == UNKNOWN_SENTINEL else v
            for k, v in value.items()
            if k[:2] != "__"  # JSON keys are strings
        }
    if type(value) is list:
        return [_plain(v) if type(v) in _NESTED or v == UNKNOWN_SENTINEL else v for v in value]
    if value == UNKNOWN_SENTINEL:
        return UNKNOWN
    return value


_NESTED = (dict, list)


def _count(summary: Any, op: str) -> int:
    value = summary.get(op) if isinstance(summary, Mapping) else None
    return value if isinstance(value, int) else 0


def _regenerate(source: str) -> str:
    return _REGENERATE_PREVIEW if source == "preview" else _REGENERATE_EXPORT
