"""The resource graph: plain data, no pulumi objects. Estimates and checks read it.

A graph comes from an offline plan (`engine.plan`), from our own plan JSON (`ResourceGraph.from_json`), or
from Pulumi's own files (`engine.inputs`: `pulumi preview --json`, `pulumi stack export`). Whatever the
source, the same conventions hold, so a reader never needs to know where a graph came from:

- `parent` is the parent's URN, or None for a resource directly under the stack (the `pulumi:pulumi:Stack`
  root itself is never a resource of the graph);
- `provider` is a provider reference `<provider urn>::<provider id>`, the form Pulumi uses in state;
- `config` holds the stack config by full key (`aws:region`), so a resource without an explicit provider
  can still be placed in its region.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiinfra import clouds

STACK_TYPE = "pulumi:pulumi:Stack"
"""The root every Pulumi stack has. It creates nothing, so no graph lists it."""

PROVIDER_TYPE_PREFIX = "pulumi:providers:"


class GraphFormatError(ValueError):
    """A document that is not a resource graph in any format we read. Carries the fix for the user, as
    the CLI prints `message` and `fix` and exits 2 (bad input), never a traceback."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(f"{message} {fix}")
        self.message = message
        self.fix = fix


@dataclass(frozen=True, slots=True)
class PlannedResource:
    type: str
    name: str
    urn: str
    parent: str | None
    """The parent's URN; None for resources directly under the stack."""
    inputs: dict[str, Any]
    custom: bool
    """True for a cloud resource, False for a component (a grouping that creates nothing itself)."""
    protect: bool = False
    retain_on_delete: bool = False
    provider: str | None = None
    """The provider reference `<provider urn>::<provider id>`; None when the resource uses the default
    provider of its package (its region is then the stack config's, e.g. `aws:region`)."""
    remote: bool = False
    """A remote (multi-language) component, such as `eks:index:Cluster` or `awsx:ec2:Vpc`: its provider
    creates its children at deploy time, so an offline plan shows none of them."""
    outputs: dict[str, Any] = field(default_factory=dict)
    """What the cloud decided, from a state export or a preview's states (`outputs`), as the document holds
    them (secrets sealed, a preview's unknowns as Pulumi's wire value): empty for an offline plan. An
    estimate reads an output where the inputs are silent (`Context.value`)."""
    id: str = ""
    """The id the resource has, as another resource's input names it: in an offline plan the mocks' id in
    the cloud's own format (`vpc-…`, an ARM path), in a state export or a preview's state the real one; ""
    when unknown, and for components. Estimates and checks link resources by it (`ResourceGraph.by_id`)."""

    def to_json(self) -> dict[str, Any]:
        """The `infra plan --format json` shape of one resource (DESIGN.md's contract, plus urn, flags and
        provider: an estimate finds a resource's region through its provider). `outputs` only when there
        are any, so an offline plan's document is unchanged."""
        doc: dict[str, Any] = {
            "type": self.type,
            "name": self.name,
            "parent": self.parent,
            "inputs": self.inputs,
            "urn": self.urn,
            "custom": self.custom,
            "protect": self.protect,
            "retainOnDelete": self.retain_on_delete,
            "provider": self.provider,
        }
        if self.remote:
            doc["remote"] = True
        if self.outputs:
            doc["outputs"] = self.outputs
        if self.id:
            doc["id"] = self.id
        return doc


@dataclass
class ResourceGraph:
    stack: str
    project: str
    resources: list[PlannedResource] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)
    """The stack config the graph was planned or deployed with, by full key (`{"aws:region": "us-east-1"}`).
    Never written by `to_json`: config can hold secrets."""

    def ordered(self) -> ResourceGraph:
        """The same graph with resources depth-first from the top, siblings sorted by (type, name): parents
        before children, and the same order on every run whatever order the program registered in.
        Every resource is kept, also one whose parent is not in the graph (it is ordered as a top one)."""
        urns = {r.urn for r in self.resources}
        kids: dict[str | None, list[PlannedResource]] = {}
        for r in self.resources:
            # A resource whose parent is not in the graph (a preview without --show-sames leaves unchanged
            # parents out) is placed at the top rather than lost; its `parent` stays as it was.
            kids.setdefault(r.parent if r.parent in urns else None, []).append(r)
        out: list[PlannedResource] = []
        stack = sorted(kids.get(None, []), key=_order, reverse=True)
        while stack:
            r = stack.pop()
            out.append(r)
            stack.extend(sorted(kids.get(r.urn, []), key=_order, reverse=True))
        return ResourceGraph(
            stack=self.stack,
            project=self.project,
            resources=out,
            warnings=list(self.warnings),
            config=dict(self.config),
        )

    def by_type(self, type_: str) -> list[PlannedResource]:
        return [r for r in self.resources if r.type == type_]

    def get(self, type_: str, name: str) -> PlannedResource:
        for r in self.resources:
            if r.type == type_ and r.name == name:
                return r
        raise KeyError(f"no {type_} named {name} in the plan")

    def children(self, urn: str | None) -> list[PlannedResource]:
        return [r for r in self.resources if r.parent == urn]

    def to_json(self) -> dict[str, Any]:
        """The `infra plan --format json` document. Leaves out `config` on purpose (it can hold secrets)."""
        return {
            "stack": self.stack,
            "resources": [r.to_json() for r in self.resources],
            "warnings": self.warnings,
        }

    @classmethod
    def from_json(cls, doc: Mapping[str, Any], *, project: str | None = None) -> ResourceGraph:
        """The inverse of `to_json`: read an `infra plan --format json` document back, so a plan saved
        once can be estimated later without the program.

        Tolerates documents written before a key existed or written by hand: a missing `provider` is None,
        a missing `urn` is derived as Pulumi would (`urn:pulumi:<stack>::<project>::<type>::<name>`; a
        child's URN then does not carry its parent's type chain, so give `urn` where parents matter), and
        a missing `custom` is guessed from the type (see `is_component_type`). The project comes from
        `project`, else the document's `project` key, else the first resource URN, else "aiinfra".
        Resource order is kept as written. Raises GraphFormatError on a document of the wrong shape."""
        if not isinstance(doc, Mapping):
            raise GraphFormatError(
                f"a plan document is a JSON object, not {type(doc).__name__}.",
                'Give the output of `infra plan --format json` ({"stack", "resources", "warnings"}).',
            )
        stack = doc.get("stack")
        raw = doc.get("resources")
        if not isinstance(stack, str) or not isinstance(raw, list):
            raise GraphFormatError(
                'a plan document needs "stack" (a string) and "resources" (a list).',
                "Give the output of `infra plan --format json`.",
            )
        if project is None:
            project = doc.get("project") if isinstance(doc.get("project"), str) else None
        if project is None:
            project = next(
                (p for r in raw if isinstance(r, Mapping) and (p := urn_parts(r.get("urn"))[1])),
                "aiinfra",
            )
        resources: list[PlannedResource] = []
        for i, r in enumerate(raw):
            type_, name = (r.get("type"), r.get("name")) if isinstance(r, Mapping) else (None, None)
            if not isinstance(type_, str) or not isinstance(name, str):
                raise GraphFormatError(
                    f'resource {i} of the plan has no "type" and "name" strings.',
                    "Each resource needs at least type, name and inputs; regenerate the file with "
                    "`infra plan --format json`.",
                )
            urn = r.get("urn")
            inputs = r.get("inputs")
            outputs = r.get("outputs")
            custom = r.get("custom")
            resources.append(
                PlannedResource(
                    type=type_,
                    name=name,
                    urn=urn if isinstance(urn, str) and urn else make_urn(stack, project, type_, name),
                    parent=r.get("parent") or None,
                    inputs=dict(inputs) if isinstance(inputs, Mapping) else {},
                    custom=bool(custom) if custom is not None else not is_component_type(type_),
                    protect=bool(r.get("protect", False)),
                    retain_on_delete=bool(r.get("retainOnDelete", False)),
                    provider=r.get("provider") or None,
                    remote=r.get("remote") is True,
                    outputs=dict(outputs) if isinstance(outputs, Mapping) else {},
                    id=r["id"] if isinstance(r.get("id"), str) else "",
                )
            )
        warnings = doc.get("warnings")
        return cls(
            stack=stack,
            project=project,
            resources=resources,
            warnings=[str(w) for w in warnings] if isinstance(warnings, list) else [],
        )


def make_urn(stack: str, project: str, type_: str, name: str) -> str:
    """The URN Pulumi gives a resource directly under the stack."""
    return f"urn:pulumi:{stack}::{project}::{type_}::{name}"


def urn_parts(urn: object) -> tuple[str, str, str, str]:
    """(stack, project, qualified type, name) of `urn:pulumi:<stack>::<project>::<qualified type>::<name>`;
    empty strings where `urn` is not a URN. The qualified type is the parent types and the resource's own,
    joined by `$`; the name is everything after the fourth `::` (a name may itself contain `::`)."""
    if not isinstance(urn, str) or not urn.startswith("urn:pulumi:"):
        return ("", "", "", "")
    parts = urn[len("urn:pulumi:") :].split("::", 3)
    if len(parts) < 4:
        return ("", "", "", "")
    return (parts[0], parts[1], parts[2], parts[3])


def is_component_type(type_: str) -> bool:
    """A guess, for documents that do not say: True for a component type.

    Provider resources' types are `<package>:<module path>/<file>:<Name>` (`aws:ec2/instance:Instance`,
    always a `/`); component types are usually three plain parts (`aiinfra:aws:GpuCluster`,
    `awsx:ec2:Vpc`), as is the stack root `pulumi:pulumi:Stack`. Providers (`pulumi:providers:aws`) are
    custom resources. A component whose module has a `/` (`kubernetes:helm.sh/v3:Chart`) is guessed wrong;
    documents that carry `custom` are never guessed."""
    if type_.startswith(PROVIDER_TYPE_PREFIX):
        return False
    parts = type_.split(":")
    return len(parts) == 3 and "/" not in type_


def _order(r: PlannedResource) -> tuple[bool, str, str]:
    return (not r.custom, r.type, r.name)  # resources before sub-components


def canonical_type(type_token: str) -> str:
    """The token the rules know a resource by (the cloud profile's `canonical_type`): an azure-native API
    version's token is its default version's."""
    profile = clouds.for_type(type_token)
    return profile.canonical_type(type_token) if profile is not None else type_token


def read_as_warnings(read_as: Mapping[str, str]) -> list[str]:
    """What a plan or document says of the types it read as another (`canonical_type`)."""
    return [
        f"{given} is read as {canonical}: the same Azure resource at an explicit API version, estimated "
        "with that type's rules"
        for given, canonical in sorted(read_as.items())
    ]
