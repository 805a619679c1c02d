"""From a validated StackSpec to components. Each cloud's profile (`aiinfra.clouds`) names the function
that declares its clusters (`component`, imported only when a stack uses that cloud) and what it cannot
build; the spec validator has already turned the latter into a clear error."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pulumi

from aiinfra import clouds
from aiinfra.catalog import Catalog
from aiinfra.components.outputs import ClusterOutputs, EdgeOutputs
from aiinfra.spec.models import Cluster, EdgeSite, StackSpec

Declare = Callable[[Sequence[Cluster], Catalog], dict[str, ClusterOutputs]]
"""A cloud's entry point: declare these clusters (all on that cloud), their regional providers and zone
look-ups before any component (see `aiinfra.components.aws.gpu_cluster.regional_provider`)."""


DeclareEdge = Callable[[Sequence[EdgeSite], Mapping[str, ClusterOutputs], Catalog], dict[str, EdgeOutputs]]
"""A cloud's edge entry point: declare these sites (all on that cloud), given every cluster of the stack
by name (a site joins the one its `cluster` names)."""


def _entry_point(target: str) -> Any:
    module, _, function = target.partition(":")
    return getattr(importlib.import_module(module), function)


def build_stack(spec: StackSpec, catalog: Catalog) -> dict[str, ClusterOutputs]:
    """Declare every cluster of the spec and export each under its name; returns them by name."""
    for cluster in spec.clusters:
        reason = clouds.get(cluster.cloud).why_not("cluster")
        if reason or not clouds.get(cluster.cloud).component:
            raise ValueError(f"cluster '{cluster.name}' on {cluster.cloud} {reason or 'has no component'}")
    declared: dict[str, ClusterOutputs] = {}
    for name in dict.fromkeys(c.cloud for c in spec.clusters):
        on_cloud = [c for c in spec.clusters if c.cloud == name]
        declare: Declare = _entry_point(clouds.get(name).component)
        declared.update(declare(on_cloud, catalog))
    built: dict[str, ClusterOutputs] = {}
    for cluster in spec.clusters:  # exports in the spec's order, whatever the clouds
        built[cluster.name] = declared[cluster.name]
        pulumi.export(cluster.name, built[cluster.name].export())
    if spec.edge_sites:
        edge = build_edge_sites(spec.edge_sites, built, catalog)
        pulumi.export("edgeSites", {site.name: edge[site.name].export() for site in spec.edge_sites})
    return built


def build_edge_sites(
    sites: Sequence[EdgeSite], clusters: Mapping[str, ClusterOutputs], catalog: Catalog
) -> dict[str, EdgeOutputs]:
    """Declare every edge site, cloud by cloud, after the clusters they may join."""
    for site in sites:
        profile = clouds.get(site.cloud)
        reason = profile.why_not("edge-sites")
        if reason or not profile.edge_component:
            raise ValueError(f"edge site '{site.name}' on {site.cloud} {reason or 'has no component'}")
    declared: dict[str, EdgeOutputs] = {}
    for name in dict.fromkeys(s.cloud for s in sites):
        declare: DeclareEdge = _entry_point(clouds.get(name).edge_component)
        declared.update(declare([s for s in sites if s.cloud == name], clusters, catalog))
    return declared


def run_program() -> None:
    """The Pulumi program (`__main__.py`): read the spec from stack config, validate it, declare it.
    A bad spec stops the run with the validator's message and no traceback (pulumi.RunError)."""
    from aiinfra.catalog import default_catalog
    from aiinfra.spec import SpecError, parse_spec
    from aiinfra.spec.loader import NAMESPACE, SPEC_KEYS

    config = pulumi.Config(NAMESPACE)
    data = {key: value for key in SPEC_KEYS if (value := config.get_object(key)) is not None}
    # The other config keys the spec defers to (gcp:project), as the stack file would give them.
    others: dict[str, str] = {}
    for profile in clouds.profiles().values():
        if profile.project_config_key:
            namespace, _, key = profile.project_config_key.partition(":")
            if (value := pulumi.Config(namespace).get(key)) is not None:
                others[profile.project_config_key] = value
    catalog = default_catalog()
    try:
        spec = parse_spec(data, catalog, source=f"stack {pulumi.get_stack()}", config=others)
    except SpecError as e:
        raise pulumi.RunError(str(e)) from None
    build_stack(spec, catalog)


__all__ = ["ClusterOutputs", "EdgeOutputs", "build_edge_sites", "build_stack", "run_program"]
