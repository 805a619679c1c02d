"""What a rule may ask about the graph around one resource: its cloud and region, the components it sits
under, its siblings, and the usage that applies to it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from aiinfra.catalog import Catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate.usage import Profile, ResourceUsage, UsageFile

CLOUD_OF_PACKAGE = {"aws": "aws", "gcp": "gcp", "azure-native": "azure", "azure": "azure"}


def cloud_of(type_token: str) -> str | None:
    """`aws:ec2/instance:Instance` → aws; `azure-native:compute:VirtualMachine` → azure; else None."""
    return CLOUD_OF_PACKAGE.get(type_token.split(":", 1)[0])


def gcp_region(location: str) -> str:
    """`us-central1-a` (a zone) → `us-central1`; a region stays as it is."""
    parts = location.lower().split("-")
    if len(parts) == 3 and len(parts[2]) == 1:
        return "-".join(parts[:2])
    return "-".join(parts)


@dataclass
class Context:
    catalog: Catalog
    graph: ResourceGraph
    profile: Profile
    usage: UsageFile = field(default_factory=UsageFile)
    usage_path: str = "stacks/usage.<stack>.yaml"

    def __post_init__(self) -> None:
        self._by_urn = {r.urn: r for r in self.graph.resources}
        self._children: dict[str | None, list[PlannedResource]] = {}
        self._by_type: dict[str, list[PlannedResource]] = {}
        self._by_type_name: dict[tuple[str, str], PlannedResource] = {}
        for r in self.graph.resources:
            self._children.setdefault(r.parent, []).append(r)
            self._by_type.setdefault(r.type, []).append(r)
            self._by_type_name.setdefault((r.type, r.name), r)
        self._ancestors: dict[str, list[PlannedResource]] = {}
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

    def siblings(self, r: PlannedResource, type_token: str | None = None) -> Iterator[PlannedResource]:
        for s in self._children.get(r.parent, []):
            if s is not r and (type_token is None or s.type == type_token):
                yield s

    def resources(self, type_token: str) -> list[PlannedResource]:
        return self._by_type.get(type_token, [])

    def referenced(self, ref: object, type_token: str, near: PlannedResource) -> PlannedResource | None:
        """The resource of `type_token` that an input `ref` (an ID) points at. Offline plans give IDs as
        `<name>-id`; deployed state carries real IDs only in outputs, which a graph does not keep, so a
        sibling of the right type is the fall-back (our components keep the pair under one parent)."""
        if isinstance(ref, str):
            found = self._by_type_name.get((type_token, ref.removesuffix("-id"))) or self._by_type_name.get(
                (type_token, ref)
            )
            if found is not None:
                return found
        return next(self.siblings(near, type_token), None)

    # -- where -----------------------------------------------------------------------------------------

    def region(self, r: PlannedResource, cloud: str) -> str | None:
        """Where a resource lives: its own input, else its provider's, else the stack's config."""
        inputs = r.inputs
        if cloud == "aws":
            if isinstance(inputs.get("region"), str):
                return str(inputs["region"])
            provider = self._provider(r)
            if provider is not None and isinstance(provider.inputs.get("region"), str):
                return str(provider.inputs["region"])
            value = self.graph.config.get("aws:region")
            return value if isinstance(value, str) else None
        if cloud == "gcp":
            for key in ("region", "location", "zone"):
                if isinstance(inputs.get(key), str):
                    return gcp_region(str(inputs[key]))
            provider = self._provider(r)
            if provider is not None:
                for key in ("region", "zone"):
                    if isinstance(provider.inputs.get(key), str):
                        return gcp_region(str(provider.inputs[key]))
            value = self.graph.config.get("gcp:region")
            return value if isinstance(value, str) else None
        if cloud == "azure":
            if isinstance(inputs.get("location"), str):
                return str(inputs["location"]).replace(" ", "").lower()
            provider = self._provider(r)
            if provider is not None and isinstance(provider.inputs.get("location"), str):
                return str(provider.inputs["location"]).replace(" ", "").lower()
            value = self.graph.config.get("azure-native:location")
            return value.replace(" ", "").lower() if isinstance(value, str) else None
        return None

    def _provider(self, r: PlannedResource) -> PlannedResource | None:
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
