"""What a rule may ask about the graph around one resource: its cloud and region, the components it sits
under, its siblings, and the usage that applies to it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from aiinfra import clouds
from aiinfra.catalog import Catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.engine.inputs import value_kind
from aiinfra.estimate.inputs import Unreadable
from aiinfra.estimate.usage import Profile, ResourceUsage, UsageFile


def cloud_of(type_token: str) -> str | None:
    """`aws:ec2/instance:Instance` → aws; `azure-native:compute:VirtualMachine` → azure; else None (the
    profile that owns the token's package, `aiinfra.clouds.for_type`)."""
    profile = clouds.for_type(type_token)
    return profile.name if profile is not None else None


@dataclass
class Context:
    catalog: Catalog
    graph: ResourceGraph
    profile: Profile
    usage: UsageFile = field(default_factory=UsageFile)
    usage_path: str = "stacks/usage.<stack>.yaml"
    today: dt.date = field(default_factory=dt.date.today)
    """The day the estimate is for (which Kubernetes versions are in standard or extended support)."""

    def __post_init__(self) -> None:
        self._by_urn = {r.urn: r for r in self.graph.resources}
        self._children: dict[str | None, list[PlannedResource]] = {}
        self._by_type: dict[str, list[PlannedResource]] = {}
        self._by_type_name: dict[tuple[str, str], PlannedResource] = {}
        self._by_id: dict[tuple[str, str], PlannedResource] = {}
        for r in self.graph.resources:
            self._children.setdefault(r.parent, []).append(r)
            self._by_type.setdefault(r.type, []).append(r)
            self._by_type_name.setdefault((r.type, r.name), r)
            if r.id:
                self._by_id.setdefault((r.type, r.id), r)
        self._ancestors: dict[str, list[PlannedResource]] = {}
        self._from_outputs: dict[str, dict[str, Any]] = {}
        self.memo: dict[object, object] = {}
        """Per-estimate cache for rules that derive something from the whole graph once (e.g. which node
        groups use a launch template), so a 10,000-resource graph stays linear."""

    # -- graph ---------------------------------------------------------------------------------------

    def ancestors(self, r: PlannedResource) -> list[PlannedResource]:
        """The components above `r`, outermost first."""
        if r.parent is None:
            return []
        cached = self._ancestors.get(r.parent)
        if cached is None:
            parent = self._by_urn.get(r.parent)
            cached = [*self.ancestors(parent), parent] if parent is not None else []
            self._ancestors[r.parent] = cached
        return cached

    def group(self, r: PlannedResource) -> str:
        names: list[str] = []
        for a in self.ancestors(r):
            if not names or names[-1] != a.name:
                names.append(a.name)
        return " / ".join(names) or "(stack)"

    def children(self, r: PlannedResource) -> list[PlannedResource]:
        """The resources directly under `r` (a component's children)."""
        return self._children.get(r.urn, [])

    def siblings(self, r: PlannedResource, type_token: str | None = None) -> Iterator[PlannedResource]:
        for s in self._children.get(r.parent, []):
            if s is not r and (type_token is None or s.type == type_token):
                yield s

    def resources(self, type_token: str) -> list[PlannedResource]:
        return self._by_type.get(type_token, [])

    def by_id(self, ref: object, type_token: str) -> PlannedResource | None:
        """The resource of `type_token` whose id `ref` is (the mocks' id in an offline plan, the real one in
        a state export), else None."""
        return self._by_id.get((type_token, ref)) if isinstance(ref, str) and ref else None

    def referenced(self, ref: object, type_token: str, near: PlannedResource) -> PlannedResource | None:
        """The resource of `type_token` that an input `ref` points at: the one with that id, else (a name
        given where an id is expected, a graph of ids unknown) the one of that name or `<name>-id`, else a
        sibling of the right type (our components keep the pair under one parent)."""
        found = self.by_id(ref, type_token)
        if found is not None:
            return found
        if isinstance(ref, str):
            found = self._by_type_name.get((type_token, ref.removesuffix("-id"))) or self._by_type_name.get(
                (type_token, ref)
            )
            if found is not None:
                return found
        return next(self.siblings(near, type_token), None)

    # -- values ----------------------------------------------------------------------------------------

    def value(self, r: PlannedResource, key: str) -> Any:
        """`r`'s input `key`, else what the cloud decided for it (its output, from a state export or a
        preview), else None. An output used is recorded: the line says it came from deployed outputs. A
        secret or a value unknown until apply, with nothing known in its place, raises Unreadable (the
        estimator makes the line unpriced with that reason), never read as a number or a name."""
        given = r.inputs.get(key)
        if _known(given):
            return given
        decided = r.outputs.get(key)
        if _known(decided):
            self._from_outputs.setdefault(r.urn, {})[key] = decided
            return decided
        for v in (given, decided):
            if value_kind(v) in ("a secret", "unknown until apply"):
                raise Unreadable(key, v)
        return None  # absent, empty ("", [], {}), an asset or an archive: nothing a rule can use

    def with_outputs(self, r: PlannedResource, *keys: str) -> dict[str, Any]:
        """`r`'s inputs with each of `keys` read through `value` (input, else deployed output)."""
        out = dict(r.inputs)
        for key in keys:
            v = self.value(r, key)
            if v is not None:
                out[key] = v
        return out

    def deployed_value(self, r: PlannedResource, key: str, value: Any) -> Any:
        """`value`, found at `key` (a path such as `agentPoolProfiles[0].osDiskType`) in `r`'s deployed
        outputs where its inputs were silent, when a rule can use it, recorded as `value` records a top-level
        key (the line says so); None when it is absent, empty, a secret or unknown until apply (a preview's)."""
        if not _known(value):
            return None
        self._from_outputs.setdefault(r.urn, {})[key] = value
        return value

    def outputs_used(self, r: PlannedResource) -> dict[str, Any]:
        """The deployed outputs `value` read for `r` in place of silent inputs, by key."""
        return self._from_outputs.get(r.urn, {})

    # -- where -----------------------------------------------------------------------------------------

    def region(self, r: PlannedResource, cloud: str) -> str | None:
        """Where a resource lives: its own input, else its provider's, else where it was deployed (a state
        export's outputs: its own, else those of the other resources of its provider, when they agree), else
        the stack's config (how each is read is the cloud profile's `region` and `deployed_region`). A region
        read from deployed outputs is recorded: the line says so."""
        profile = clouds.profiles().get(cloud)
        if profile is None:
            return None
        provider = self.provider(r)
        provider_inputs = provider.inputs if provider is not None else None
        if profile.region(r.inputs, provider_inputs) is None:
            deployed = self._deployed_region(r, profile)
            if deployed is not None:
                found = profile.region(r.inputs, provider_inputs, self.graph.config, deployed)
                self._from_outputs.setdefault(r.urn, {})["region"] = found
                return found
        return profile.region(r.inputs, provider_inputs, self.graph.config)

    def _deployed_region(self, r: PlannedResource, profile: clouds.CloudProfile) -> str | None:
        """The region `r`'s own outputs name, else the one region the outputs of its provider's other
        resources name (those whose inputs name no region of their own); None when none or several do."""
        own = profile.deployed_region(r.outputs) if r.outputs else None
        if own is not None:
            return own
        key = ("deployed-region", profile.name, r.provider)
        if key not in self.memo:
            named = {
                profile.deployed_region(o.outputs)
                for o in self.graph.resources
                if o.provider == r.provider and o.outputs and not profile.names_region(o.inputs)
            } - {None}
            self.memo[key] = named.pop() if len(named) == 1 else None
        found = self.memo[key]
        return found if isinstance(found, str) else None

    def provider(self, r: PlannedResource) -> PlannedResource | None:
        """The provider resource `r` was registered with (by its URN), when the graph holds it."""
        if not r.provider:
            return None
        return self._by_urn.get(r.provider.rsplit("::", 1)[0])

    # -- usage -----------------------------------------------------------------------------------------

    def usage_for(self, r: PlannedResource) -> ResourceUsage:
        """The usage-file entries that apply to `r`: its own, over its nearest component's, and so on."""
        merged: dict[str, object] = {}
        for holder in [*self.ancestors(r), r]:
            entry = self.usage.resources.get(holder.name)
            if entry is not None:
                merged.update(entry.model_dump(exclude_none=True))
        return ResourceUsage.model_validate(merged)


def _known(value: Any) -> bool:
    """A value a rule can use: present, not empty, not a secret, an unknown, an asset or an archive."""
    return value not in (None, "", [], {}) and value_kind(value) is None
