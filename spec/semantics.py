"""Checks that need the catalog or the whole spec: accelerators a region offers, capacity options,
storage sizes, names and references. Each problem becomes a SpecIssue with its field path and fix."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Iterator

from aiinfra.catalog import Catalog, CatalogLookupError
from aiinfra.components.aws import rules as aws_rules
from aiinfra.components.capabilities import unsupported
from aiinfra.components.cidr import cidr_problem
from aiinfra.spec.errors import SpecIssue
from aiinfra.spec.models import Cluster, NodePool, StackSpec, Storage

RESERVATION_ID = re.compile(r"^cr-[0-9a-f]{8,17}$")
EVERYWHERE = ipaddress.IPv4Network("0.0.0.0/0")


def check(spec: StackSpec, catalog: Catalog) -> list[SpecIssue]:
    issues = list(_duplicates("clusters", (c.name for c in spec.clusters)))
    for i, cluster in enumerate(spec.clusters):
        issues += _cluster(f"clusters[{i}]", cluster, catalog)
    for i, site in enumerate(spec.edge_sites):
        reason = unsupported(site.cloud, "edge-sites")
        if reason:
            issues.append(SpecIssue(f"edgeSites[{i}]", f"edge site '{site.name}': {reason}."))
    return issues


def _duplicates(path: str, names: Iterable[str]) -> Iterator[SpecIssue]:
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name in seen:
            yield SpecIssue(
                f"{path}[{i}].name", f"name '{name}' is used twice.", "Give each entry its own name."
            )
        seen.add(name)


def _cluster(path: str, cluster: Cluster, catalog: Catalog) -> list[SpecIssue]:
    reason = unsupported(cluster.cloud, "cluster")
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
    issues += _duplicates(f"{path}.storage", (s.name for s in cluster.storage))
    for j, storage in enumerate(cluster.storage):
        issues += _storage(f"{path}.storage[{j}]", cluster, storage)
    return issues


def _pool(path: str, cluster: Cluster, pool: NodePool, catalog: Catalog, zone_ok: bool) -> list[SpecIssue]:
    issues: list[SpecIssue] = []
    if pool.topology is not None:
        reason = unsupported(cluster.cloud, "topology")
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

    reserved = pool.capacity in ("reservation", "capacity-block")
    if reserved and pool.reservation is None:
        issues.append(
            SpecIssue(
                f"{path}.reservation",
                f"capacity: {pool.capacity} needs the reservation's ID.",
                "Set reservation: cr-... (from the EC2 console or `aws ec2 describe-capacity-reservations`).",
            )
        )
    elif reserved and pool.reservation is not None and not RESERVATION_ID.fullmatch(pool.reservation):
        issues.append(
            SpecIssue(
                f"{path}.reservation",
                f"'{pool.reservation}' is not an EC2 capacity reservation ID.",
                "It looks like cr-0123456789abcdef0.",
            )
        )
    elif not reserved and pool.reservation is not None:
        issues.append(
            SpecIssue(
                f"{path}.capacity",
                f"a reservation is given but capacity is {pool.capacity}.",
                "Set capacity: reservation or capacity-block, or remove reservation.",
            )
        )
    if pool.capacity in ("on-demand", "spot") and not itype.on_demand:
        issues.append(
            SpecIssue(
                f"{path}.capacity",
                f"{itype.name} is sold only as EC2 Capacity Blocks for ML, not {pool.capacity}.",
                "Set capacity: capacity-block with its reservation ID, or choose another instance type.",
            )
        )
    return issues


def _storage(path: str, cluster: Cluster, storage: Storage) -> list[SpecIssue]:
    reason = unsupported(cluster.cloud, f"storage:{storage.kind}")
    if reason:
        return [SpecIssue(f"{path}.kind", f"kind {storage.kind}: {reason}.")]
    issues: list[SpecIssue] = []
    if storage.kind == "lustre":
        if storage.capacity_gib is None:
            issues.append(
                SpecIssue(
                    f"{path}.capacityGiB", "a Lustre file system needs a size.", "Set capacityGiB: 2400."
                )
            )
        else:
            problem = aws_rules.lustre_size_problem(storage.capacity_gib)
            if problem:
                issues.append(SpecIssue(f"{path}.capacityGiB", problem))
        tiers = aws_rules.LUSTRE_THROUGHPUT_TIERS
        if storage.throughput_mbps_per_tib is not None and storage.throughput_mbps_per_tib not in tiers:
            issues.append(
                SpecIssue(
                    f"{path}.throughputMBpsPerTiB",
                    f"{storage.throughput_mbps_per_tib} MB/s per TiB is not a PERSISTENT_2 tier.",
                    f"Use one of {', '.join(map(str, tiers))}.",
                )
            )
        if storage.data_repository is not None:
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
    else:
        for key, value in (
            ("capacityGiB", storage.capacity_gib),
            ("throughputMBpsPerTiB", storage.throughput_mbps_per_tib),
            ("dataRepository", storage.data_repository),
        ):
            if value is not None:
                issues.append(
                    SpecIssue(
                        f"{path}.{key}", f"{key} does not apply to kind {storage.kind}.", f"Remove {key}."
                    )
                )
    return issues
