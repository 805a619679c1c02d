"""Checks that need the catalog or the whole spec: accelerators a region offers, capacity options,
storage sizes, names and references. What is one cloud's own rule (reservation IDs, capacity blocks, file
system sizes and tiers, what it does not build) is asked of its profile (`aiinfra.clouds`), whose
`Problem`s become SpecIssues here with the entry's field path."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from aiinfra import clouds
from aiinfra.catalog import Catalog, CatalogLookupError
from aiinfra.clouds.cidr import cidr_problem
from aiinfra.spec import sanity
from aiinfra.spec.errors import SpecIssue
from aiinfra.spec.models import Cluster, EdgeSite, NodePool, StackSpec, Storage

EVERYWHERE = ipaddress.IPv4Network("0.0.0.0/0")
# A GCP project ID: 6 to 30 lower-case letters, digits and hyphens, starting with a letter, not ending with
# a hyphen (https://cloud.google.com/resource-manager/docs/creating-managing-projects, read 2026-12-04).
PROJECT_ID = re.compile(r"^[a-z][-a-z0-9]{4,28}[a-z0-9]$")


def check(spec: StackSpec, catalog: Catalog, config: Mapping[str, Any] | None = None) -> list[SpecIssue]:
    """`config`: the stack's other config keys (`gcp:project`), where the spec's own keys defer to them."""
    issues = list(_duplicates("clusters", (c.name for c in spec.clusters)))
    for i, cluster in enumerate(spec.clusters):
        issues += _project(f"clusters[{i}]", cluster, config or {})
        issues += _cluster(f"clusters[{i}]", cluster, catalog)
    issues += _edge_sites(spec, catalog)
    # Sanity (names as the cloud will see them, tags, labels, CIDR classes): where both speak about one
    # field, the more specific sanity message stands alone.
    sane = sanity.sanity_issues(spec)[0]
    covered = {issue.path for issue in sane}
    return [issue for issue in issues if issue.path not in covered] + sane


def _duplicates(path: str, names: Iterable[str]) -> Iterator[SpecIssue]:
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name in seen:
            yield SpecIssue(
                f"{path}[{i}].name", f"name '{name}' is used twice.", "Give each entry its own name."
            )
        seen.add(name)


def _project(path: str, cluster: Cluster, config: Mapping[str, Any]) -> list[SpecIssue]:
    """The project a cluster is created in: its `project` key, else the cloud's stack config key; a cloud
    with no projects takes no `project` key."""
    profile = clouds.get(cluster.cloud)
    key = profile.project_config_key
    if not key:
        if cluster.project is not None:
            return [_does_not_apply_to_cloud(path, "project", profile.title)]
        return []
    project = cluster.project if cluster.project is not None else config.get(key)
    if project is None or project == "":
        return [
            SpecIssue(
                f"{path}.project",
                f"cluster '{cluster.name}' names no {profile.title} project, and the stack sets no {key}.",
                f"Set project: YOUR-PROJECT-ID on the cluster, or `{key}: YOUR-PROJECT-ID` under config:.",
            )
        ]
    if not isinstance(project, str) or not PROJECT_ID.fullmatch(project):
        where = f"{path}.project" if cluster.project is not None else f"config.{key}"
        return [
            SpecIssue(
                where,
                f"'{project}' is not a {profile.title} project ID.",
                "A project ID is 6-30 lower-case letters, digits and '-', starting with a letter "
                "(`gcloud projects list` shows yours).",
            )
        ]
    return []


def _does_not_apply_to_cloud(path: str, key: str, cloud: str) -> SpecIssue:
    return SpecIssue(f"{path}.{key}", f"{key} does not apply to {cloud} clusters.", f"Remove {key}.")


def _cluster(path: str, cluster: Cluster, catalog: Catalog) -> list[SpecIssue]:
    reason = clouds.get(cluster.cloud).why_not("cluster")
    if reason:
        # Nothing else about this cluster can be checked against components that do not exist yet.
        return [SpecIssue(f"{path}.cloud", f"cluster '{cluster.name}' on {cluster.cloud} {reason}.")]
    try:
        catalog.check_region(cluster.cloud, cluster.region)
    except CatalogLookupError as e:
        return [SpecIssue(f"{path}.region", e.message, e.fix)]

    issues: list[SpecIssue] = []
    zone_ok = True
    if cluster.zone is not None:
        try:
            catalog.check_zone(cluster.cloud, cluster.region, cluster.zone)
        except CatalogLookupError as e:
            zone_ok = False
            issues.append(SpecIssue(f"{path}.zone", e.message, e.fix))
    problem = cidr_problem(cluster.network.cidr)
    if problem:
        issues.append(SpecIssue(f"{path}.network.cidr", problem))
    else:
        for p in clouds.get(cluster.cloud).network_problems(cluster.network.cidr):
            issues.append(SpecIssue(f"{path}.network.{p.field}", p.message, p.fix))
    for j, cidr in enumerate(cluster.endpoint_public_access_cidrs):
        if cidr.prefixlen == 0 or cidr == EVERYWHERE:
            issues.append(
                SpecIssue(
                    f"{path}.endpointPublicAccessCidrs[{j}]",
                    "0.0.0.0/0 would open the Kubernetes API to the whole internet.",
                    "List your office or CI egress ranges, or leave the list empty for a private endpoint.",
                )
            )
    issues += _duplicates(f"{path}.nodePools", (p.name for p in cluster.node_pools))
    for j, pool in enumerate(cluster.node_pools):
        issues += _pool(f"{path}.nodePools[{j}]", cluster, pool, catalog, zone_ok)
    issues += _one_fabric(path, cluster, catalog)
    issues += _duplicates(f"{path}.storage", (s.name for s in cluster.storage))
    for j, storage in enumerate(cluster.storage):
        issues += _storage(f"{path}.storage[{j}]", cluster, storage)
    return issues


def _pool(path: str, cluster: Cluster, pool: NodePool, catalog: Catalog, zone_ok: bool) -> list[SpecIssue]:
    issues: list[SpecIssue] = []
    if pool.topology is not None:
        reason = clouds.get(cluster.cloud).why_not("topology")
        if reason:
            issues.append(SpecIssue(f"{path}.topology", reason + "."))
    field = "instanceType" if pool.instance_type is not None else "accelerator"
    try:
        itype = catalog.resolve(
            cloud=cluster.cloud,
            region=cluster.region,
            accelerator=pool.accelerator,
            instance_type=pool.instance_type,
            interconnect=pool.interconnect,
            capacity_blocks=pool.capacity == "capacity-block",
            # A pool on the fabric lives in the cluster's zone; the zone must offer its type.
            zone=cluster.zone if zone_ok and pool.interconnect else None,
        )
    except CatalogLookupError as e:
        if pool.accelerator is None and pool.instance_type is None:
            field = "accelerator"
        return [*issues, SpecIssue(f"{path}.{field}", e.message, e.fix)]

    profile = clouds.get(cluster.cloud)
    shaped, shape_problems = profile.pool_shape(pool, itype.accelerator, itype.name)
    issues += [SpecIssue(f"{path}.{p.field}", p.message, p.fix) for p in shape_problems]
    if shaped is not None:
        # The pool's shape (a TPU topology) calls for another machine of the same accelerator: it must be
        # offered where the pool lives too.
        try:
            itype = catalog.resolve(
                cloud=cluster.cloud,
                region=cluster.region,
                accelerator=pool.accelerator,
                instance_type=shaped,
                interconnect=pool.interconnect,
                capacity_blocks=pool.capacity == "capacity-block",
                zone=cluster.zone if zone_ok and pool.interconnect else None,
            )
        except CatalogLookupError as e:
            return [*issues, SpecIssue(f"{path}.topology", e.message, e.fix)]
    problems = profile.capacity_problems(pool.capacity, pool.reservation, itype)
    return [*issues, *(SpecIssue(f"{path}.{p.field}", p.message, p.fix) for p in problems)]


def _one_fabric(path: str, cluster: Cluster, catalog: Catalog) -> list[SpecIssue]:
    """A cluster's interconnect pools join one fabric (its extra networks, its device plugin): a second
    fabric is an error on the first pool that needs it (a3-highgpu TCPX beside a3-megagpu TCPXO). Only the
    fabrics the cloud's profile names as exclusive count (a TPU slice's ICI is inside the slice)."""
    profile = clouds.get(cluster.cloud)
    first: tuple[str, str] | None = None
    for j, pool in enumerate(cluster.node_pools):
        if not pool.interconnect:
            continue
        try:
            itype = catalog.resolve(
                cloud=cluster.cloud,
                region=cluster.region,
                accelerator=pool.accelerator,
                instance_type=pool.instance_type,
                interconnect=True,
                capacity_blocks=pool.capacity == "capacity-block",
            )
        except CatalogLookupError:
            continue  # said by _pool
        if itype.fabric not in profile.exclusive_fabrics:
            continue
        if first is None:
            first = (pool.name, itype.fabric)
        elif itype.fabric != first[1]:
            field = "instanceType" if pool.instance_type is not None else "accelerator"
            return [
                SpecIssue(
                    f"{path}.nodePools[{j}].{field}",
                    f"pool '{pool.name}' ({itype.name}) needs the {itype.fabric} fabric, but pool '{first[0]}' "
                    f"needs {first[1]}: the interconnect pools of one cluster share one fabric.",
                    "Put pools of different fabrics in separate clusters, or set interconnect: false on one.",
                )
            ]
    return []


def _storage(path: str, cluster: Cluster, storage: Storage) -> list[SpecIssue]:
    profile = clouds.get(cluster.cloud)
    reason = profile.why_not(f"storage:{storage.kind}")
    if reason:
        return [SpecIssue(f"{path}.kind", f"kind {storage.kind}: {reason}.")]
    issues = [SpecIssue(f"{path}.{p.field}", p.message, p.fix) for p in profile.storage_problems(storage)]
    takes = profile.storage_keys.get(storage.kind, ())
    for key, value in (
        ("capacityGiB", storage.capacity_gib),
        ("throughputMBpsPerTiB", storage.throughput_mbps_per_tib),
    ):
        if value is not None and key not in takes:
            issues.append(_does_not_apply(path, key, storage.kind))
    if storage.kind != "lustre":
        if storage.data_repository is not None:
            issues.append(_does_not_apply(path, "dataRepository", storage.kind))
    elif storage.data_repository is not None:
        target = next((s for s in cluster.storage if s.name == storage.data_repository), None)
        if target is None or target.kind != "object":
            objects = [s.name for s in cluster.storage if s.kind == "object"]
            issues.append(
                SpecIssue(
                    f"{path}.dataRepository",
                    f"'{storage.data_repository}' is not an object storage entry of this cluster.",
                    f"Name one of: {', '.join(objects)}."
                    if objects
                    else "Add a storage entry with kind: object.",
                )
            )
    return issues


def _does_not_apply(path: str, key: str, kind: str) -> SpecIssue:
    return SpecIssue(f"{path}.{key}", f"{key} does not apply to kind {kind}.", f"Remove {key}.")


# -- edge sites --------------------------------------------------------------------------------------------


def _edge_sites(spec: StackSpec, catalog: Catalog) -> list[SpecIssue]:
    issues = list(_duplicates("edgeSites", (s.name for s in spec.edge_sites)))
    for i, site in enumerate(spec.edge_sites):
        issues += _edge_site(f"edgeSites[{i}]", site, spec, catalog)
    return issues


def _edge_site(path: str, site: EdgeSite, spec: StackSpec, catalog: Catalog) -> list[SpecIssue]:
    from aiinfra.catalog.edge import resolve_edge
    from aiinfra.catalog.query import did_you_mean

    profile = clouds.get(site.cloud)
    reason = profile.why_not("edge-sites")
    if reason:
        return [SpecIssue(path, f"edge site '{site.name}': {reason}.")]
    kind = profile.edge_kind(site.location)
    facts = catalog.edge.location(site.cloud, site.location) if kind is not None else None
    if facts is None:
        families = [
            f"a location of kind {loc.kind}, such as {loc.example}"
            for loc in catalog.edge.locations(site.cloud)
            if loc.pattern
        ]
        names = catalog.edge.names(site.cloud)
        hints = [did_you_mean(site.location, names)] if names else []
        if families:
            hints.append(f"{'Or' if names else 'Give'} {'; or '.join(families)}.")
        return [
            SpecIssue(
                f"{path}.location",
                f"'{site.location}' is not an edge location on {profile.title} that this catalog knows.",
                " ".join(hints),
            )
        ]
    kind = facts.kind
    issues: list[SpecIssue] = []
    if site.kind is not None and site.kind != kind:
        issues.append(
            SpecIssue(
                f"{path}.kind",
                f"{site.location} is a {kind}, not a {site.kind}.",
                f"Set kind: {kind}, or leave kind out (it follows from location).",
            )
        )
    region = facts.parent_region(site.location)
    issues += _edge_cluster(path, site, spec, catalog, region)
    field = "instanceType" if site.instance_type is not None else "accelerator"
    if facts.machines or not facts.accelerators:
        try:
            resolve_edge(
                catalog, facts, site.location, accelerator=site.accelerator, instance_type=site.instance_type
            )
        except CatalogLookupError as e:
            issues.append(SpecIssue(f"{path}.{field}", e.message, e.fix))
    else:  # hardware selected by accelerator, not sold as machine types (Distributed Cloud)
        if site.instance_type is not None:
            issues.append(
                SpecIssue(
                    f"{path}.instanceType",
                    f"a {kind} site's hardware is not sold as instance types.",
                    f"Remove instanceType and set accelerator: one of {', '.join(facts.accelerators)}.",
                )
            )
        elif site.accelerator is None or site.accelerator.lower() not in {
            a.lower() for a in facts.accelerators
        }:
            issues.append(
                SpecIssue(
                    f"{path}.accelerator",
                    f"{site.location} has {', '.join(facts.accelerators)}"
                    + (
                        f", not {site.accelerator}."
                        if site.accelerator
                        else "; the site names no accelerator."
                    ),
                    f"Set accelerator: {facts.accelerators[0]}.",
                )
            )
    if site.capacity == "spot" and not facts.spot:
        issues.append(
            SpecIssue(
                f"{path}.capacity",
                f"{site.location} ({kind}) sells no spot capacity.",
                "Set capacity: on-demand.",
            )
        )
    issues += [SpecIssue(f"{path}.{p.field}", p.message, p.fix) for p in profile.edge_problems(site, facts)]
    return issues


def _edge_cluster(
    path: str, site: EdgeSite, spec: StackSpec, catalog: Catalog, region: str
) -> list[SpecIssue]:
    """The cluster a site's nodes join: of this stack, on the site's cloud, in the location's parent region."""
    if site.cluster is None:
        return []  # whether the site needs one is the cloud's rule (edge_problems)
    target = next((c for c in spec.clusters if c.name == site.cluster), None)
    same_cloud = [c.name for c in spec.clusters if c.cloud == site.cloud]
    if target is None:
        return [
            SpecIssue(
                f"{path}.cluster",
                f"'{site.cluster}' is not a cluster of this stack.",
                f"Name one of: {', '.join(same_cloud)}."
                if same_cloud
                else f"Add a {site.cloud} cluster in {region} under aiinfra:clusters.",
            )
        ]
    if target.cloud != site.cloud:
        return [
            SpecIssue(
                f"{path}.cluster",
                f"cluster '{target.name}' is on {target.cloud}; a {site.cloud} edge site joins a {site.cloud} cluster.",
                f"Name one of: {', '.join(same_cloud)}."
                if same_cloud
                else f"Add a {site.cloud} cluster in {region} under aiinfra:clusters.",
            )
        ]
    taken = {p.name for p in target.node_pools} | {s.name for s in target.storage}
    if site.name in taken:
        return [
            SpecIssue(
                f"{path}.name",
                f"'{site.name}' is also a node pool or storage name of cluster '{target.name}'; the site's "
                "resources would take the same names.",
                "Give the edge site a name of its own.",
            )
        ]
    if target.region != region:
        nearby = [
            loc.name
            for loc in catalog.edge.locations(site.cloud)
            if not loc.pattern and loc.region == target.region
        ]
        in_region = [c.name for c in spec.clusters if c.cloud == site.cloud and c.region == region]
        fix = f"Name a cluster in {region}" + (f" ({', '.join(in_region)})" if in_region else "")
        fix += f", or choose a location of {target.region}" + (f": {', '.join(nearby)}." if nearby else ".")
        return [
            SpecIssue(
                f"{path}.cluster",
                f"cluster '{target.name}' is in {target.region}, but {site.location} belongs to {region}: "
                "its nodes can join only a cluster of that region.",
                fix,
            )
        ]
    return []
