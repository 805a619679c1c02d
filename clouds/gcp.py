"""GCP: what the GCP slice will build (clusters are not built yet), where a `gcp:` resource lives, the
reservation, Parallelstore, Filestore and Managed Lustre facts its spec checks use, and offline-plan
answers. The checks are pure and tested now; the spec validator reaches them once `cluster` leaves
`unsupported`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from aiinfra.clouds.base import (
    CloudProfile,
    EdgeLocationLike,
    EdgeSiteLike,
    Invoke,
    MachineLike,
    Problem,
    ResourceLike,
    StorageLike,
    reservation_given_without_reserved_capacity,
    stepped_size_problem,
)
from aiinfra.clouds.limits import Limits

RESERVATIONS_DOC = "https://cloud.google.com/compute/docs/instances/reservations-overview"
DWS_DOC = "https://cloud.google.com/kubernetes-engine/docs/concepts/dws"
PARALLELSTORE_DOC = "https://cloud.google.com/parallelstore/docs/create-instance"
FILESTORE_DOC = "https://cloud.google.com/filestore/docs/service-tiers"
MANAGED_LUSTRE_DOC = "https://cloud.google.com/managed-lustre/docs/performance-tiers"

# A reservation is a Compute Engine resource name: RFC 1035, lower case, at most 63 characters. GKE's
# reservation affinity also takes a shared reservation as projects/PROJECT/reservations/NAME.
RESERVATION_NAME = re.compile(r"^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$")
SHARED_RESERVATION = re.compile(r"^projects/[a-z][-a-z0-9]{4,28}[a-z0-9]/reservations/(?P<name>[^/]+)$")

# Parallelstore: 12 to 100 TiB in multiples of 4 TiB; the API's capacityGib takes 12000..100000 in steps of
# 4000 (PARALLELSTORE_DOC; /work/shared/reference/gcp-gke-gpu-tpu.md §4).
PARALLELSTORE_MIN_GIB = 12_000
PARALLELSTORE_STEP_GIB = 4_000
PARALLELSTORE_MAX_GIB = 100_000

# Filestore service tiers (FILESTORE_DOC; reference sheet §4), sizes in GiB as the API's capacityGb counts
# them (1 GB = 1024^3 bytes): (minimum, maximum, step) ranges per tier.
FILESTORE_TIERS: dict[str, tuple[tuple[int, int, int], ...]] = {
    "BASIC_HDD": ((1024, 65_433, 1),),
    "BASIC_SSD": ((2560, 65_433, 1),),
    "ZONAL": ((1024, 9984, 256), (10_240, 102_400, 2560)),
    "REGIONAL": ((1024, 9984, 256), (10_240, 102_400, 2560)),
    "ENTERPRISE": ((1024, 10_240, 256),),
}
FILESTORE_TIER = "ZONAL"
"""The tier `kind: file` gets on GCP (the spec has no tier key yet): zonal, for training data."""

# Managed Lustre performance tiers in MB/s per TiB (MANAGED_LUSTRE_DOC; reference sheet §4).
MANAGED_LUSTRE_TIERS = (125, 250, 500, 1000)


def reservation_problem(reservation: str) -> str | None:
    """Why `reservation` cannot name a GCP reservation, or None."""
    shared = SHARED_RESERVATION.fullmatch(reservation)
    name = shared.group("name") if shared else reservation
    if RESERVATION_NAME.fullmatch(name):
        return None
    return (
        f"'{reservation}' is not a GCP reservation name: lower-case letters, digits and '-', starting with a "
        "letter, at most 63 characters (or projects/PROJECT/reservations/NAME for a shared one)."
    )


def parallelstore_size_problem(capacity_gib: int) -> str | None:
    return stepped_size_problem(
        capacity_gib,
        service="Parallelstore",
        minimum=PARALLELSTORE_MIN_GIB,
        step=PARALLELSTORE_STEP_GIB,
        maximum=PARALLELSTORE_MAX_GIB,
    )


def filestore_size_problem(capacity_gib: int, tier: str = FILESTORE_TIER) -> str | None:
    """Why `capacity_gib` is not a size Filestore `tier` takes, or None."""
    ranges = FILESTORE_TIERS[tier]
    lo, hi, step = next((r for r in ranges if capacity_gib <= r[1]), ranges[-1])
    return stepped_size_problem(capacity_gib, service=f"Filestore {tier}", minimum=lo, step=step, maximum=hi)


def region_of(location: str) -> str:
    """`us-central1-a` (a zone) → `us-central1`; a region stays as it is."""
    parts = location.lower().split("-")
    if len(parts) == 3 and len(parts[2]) == 1:
        return "-".join(parts[:2])
    return "-".join(parts)


# -- edge sites (Google Distributed Cloud connected) ---------------------------------------------------------

# A GDC connected zone is named after its parent region: `us-central1-edge-customer-a` (pulumi-gcp
# edgecontainer NodePool.node_location; /work/shared/reference/edge-sites.md §2).
GDC_ZONE = re.compile(r"^(?P<region>[a-z]+-[a-z]+[0-9]+)-edge-[a-z0-9][-a-z0-9]*[a-z0-9]$")


def region_of_edge_zone(zone: str) -> str:
    """`us-central1-edge-customer-a` → `us-central1` (the region a GDC cluster is created in)."""
    match = GDC_ZONE.fullmatch(zone.lower())
    if match is None:
        raise ValueError(f"{zone!r} is not a Distributed Cloud zone name (like us-central1-edge-customer-a)")
    return match.group("region")


def gdc_site_problems(site: EdgeSiteLike) -> list[Problem]:
    """What a Distributed Cloud site cannot take: it is its own cluster (local control plane on site), its
    hardware is fixed (no autoscaler), and its machines sit on the customer's network."""
    problems: list[Problem] = []
    if site.cluster is not None:
        problems.append(
            Problem(
                "cluster",
                "a Distributed Cloud site is its own cluster, with its control plane on the site's machines; "
                "it joins no regional cluster.",
                "Remove cluster.",
            )
        )
    if site.local_cluster:
        problems.append(
            Problem(
                "localCluster",
                "localCluster is for AWS Outposts; a Distributed Cloud site always runs its control plane on site.",
                "Remove localCluster.",
            )
        )
    if getattr(site, "min_nodes", None) is not None or getattr(site, "max_nodes", None) is not None:
        problems.append(
            Problem(
                "maxNodes",
                "Distributed Cloud has no cluster autoscaler: the hardware is fixed once installed.",
                "Give nodes: N (the machines of the zone the pool takes) instead of minNodes/maxNodes.",
            )
        )
    if site.public:
        problems.append(
            Problem(
                "public",
                "Distributed Cloud machines sit on your local network; reaching them from the internet is your "
                "network's doing, which this tool does not build.",
                "Remove public.",
            )
        )
    return problems


def gdc_committed_spend(resources: Iterable[ResourceLike]) -> list[str]:
    """What deleting a Distributed Cloud cluster does not end: the hardware's monthly commitment."""
    return [
        f"Distributed Cloud hardware behind cluster {r.name}: billed monthly for its 36- or 60-month "
        "commitment; deleting the cluster frees the machines, not the commitment"
        for r in resources
        if r.type == "gcp:edgecontainer/cluster:Cluster"
    ]


# -- offline-plan answers ----------------------------------------------------------------------------------

PROJECT = "offline-plan-project"
PROJECT_NUMBER = "123456789012"


def _zone_names(region: str) -> list[str]:
    return [f"{region}-{c}" for c in "abc"]


def _client_config(region: str, _args: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": PROJECT,
        "project": PROJECT,
        "region": region,
        "zone": _zone_names(region)[0],
        "accessToken": "offline-plan-token",
        "defaultLabels": {},
    }


def _zones(region: str, args: dict[str, Any]) -> dict[str, Any]:
    where = str(args.get("region") or region)
    return {
        "id": f"projects/{args.get('project') or PROJECT}/regions/{where}",
        "names": _zone_names(where),
        "project": args.get("project") or PROJECT,
        "region": where,
        "status": args.get("status"),
    }


def _caller(_region: str, _args: dict[str, Any]) -> dict[str, Any]:
    return {"id": "offline-plan-caller", "email": "offline-plan@example.com"}


def _project(_region: str, args: dict[str, Any]) -> dict[str, Any]:
    project = str(args.get("projectId") or PROJECT)
    return {
        "id": f"projects/{project}",
        "projectId": project,
        "name": project,
        "number": PROJECT_NUMBER,
        "orgId": "",
        "folderId": "",
        "billingAccount": "",
        "labels": {},
        "effectiveLabels": {},
        "autoCreateNetwork": True,
    }


# GCP: "Each resource can have up to 64 labels; keys and values at most 63 characters; lowercase letters,
# numeric characters, underscores and dashes (international characters allowed); keys start with a
# lowercase letter." https://cloud.google.com/compute/docs/labeling-resources#requirements (read 2026-12-04)
LIMITS = Limits(
    cloud="gcp",
    max_tags=64,
    tags_added=2,
    tag_key_max=63,
    tag_value_max=63,
    tag_chars=r"[a-z0-9_\-]",
    tag_chars_text="lower-case letters, digits, _ and -",
    reserved_tag_prefixes=(),
    own_tag_keys=(),
    label_key_max=None,
    label_value_min=0,
)


class Gcp(CloudProfile):
    order = 1
    name = "gcp"
    title = "GCP"
    packages = ("gcp",)
    region_config_key = "gcp:region"
    config_env: ClassVar[Mapping[str, tuple[str, ...]]] = {  # pulumi_gcp config/vars.py, 9.37
        "gcp:project": ("GOOGLE_PROJECT", "GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT"),
        "gcp:region": ("GOOGLE_REGION", "GCLOUD_REGION", "CLOUDSDK_COMPUTE_REGION"),
        "gcp:zone": ("GOOGLE_ZONE", "GCLOUD_ZONE", "CLOUDSDK_COMPUTE_ZONE"),
    }
    default_region = "us-central1"
    region_inputs = ("region", "location", "zone")
    provider_region_inputs = ("region", "zone")
    zone_inputs = ("zone", "location")
    fabric = "GPUDirect"
    default_system_machine = "e2-standard-4"
    limits = LIMITS
    unsupported: ClassVar[Mapping[str, str]] = {
        "cluster": "is not built yet (it lands with the GCP slice); until then use cloud: aws",
    }
    storage_keys: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "parallel": ("capacityGiB",),
        "file": ("capacityGiB",),
        "lustre": ("capacityGiB", "throughputMBpsPerTiB"),
    }
    invokes: ClassVar[Mapping[str, Invoke]] = {
        "gcp:organizations/getClientConfig:getClientConfig": _client_config,
        "gcp:compute/getZones:getZones": _zones,
        "gcp:organizations/getProject:getProject": _project,
        "gcp:organizations/getClientOpenIdUserInfo:getClientOpenIdUserInfo": _caller,
    }
    edge_kinds = ("distributed-cloud",)
    edge_component = "aiinfra.components.gcp.edge_site:declare"

    def edge_kind(self, location: str) -> str | None:
        return "distributed-cloud" if GDC_ZONE.fullmatch(location.lower()) else None

    def edge_problems(self, site: EdgeSiteLike, location_facts: EdgeLocationLike) -> list[Problem]:
        return gdc_site_problems(site)

    def normalise_region(self, location: str) -> str:
        return region_of(location)

    def zone(self, inputs: Mapping[str, Any]) -> str | None:
        zone = super().zone(inputs)
        return zone if zone is not None and region_of(zone) != zone.lower() else None

    def committed_spend(self, resources: Iterable[ResourceLike]) -> list[str]:
        return [
            f"committed use {r.inputs.get('plan', '')} ({r.name}): billed every month of its term; "
            "deleting the resource does not end the commitment"
            for r in resources
            if r.type == "gcp:compute/regionCommitment:RegionCommitment"
        ] + gdc_committed_spend(resources)

    def capacity_problems(
        self, capacity: str, reservation: str | None, machine: MachineLike
    ) -> list[Problem]:
        problems: list[Problem] = []
        if capacity == "reservation" and reservation is None:
            problems.append(
                Problem(
                    "reservation",
                    "capacity: reservation needs the reservation's name.",
                    "Set reservation: NAME (from `gcloud compute reservations list`).",
                )
            )
        elif capacity == "reservation" and reservation is not None:
            problem = reservation_problem(reservation)
            if problem:
                problems.append(Problem("reservation", problem, "It looks like a3-ultra-reservation-1."))
        elif capacity == "capacity-block" and reservation is not None:
            problems.append(
                Problem(
                    "reservation",
                    "on GCP capacity: capacity-block is Dynamic Workload Scheduler (flex-start), which "
                    "finds capacity itself and takes no reservation.",
                    "Remove reservation, or set capacity: reservation to use a specific reservation.",
                )
            )
        problems += reservation_given_without_reserved_capacity(capacity, reservation)
        if capacity in ("on-demand", "spot", "capacity-block") and not machine.on_demand:
            problems.append(
                Problem(
                    "capacity",
                    f"{machine.name} is sold only through reservations on GCP, not {capacity}.",
                    "Set capacity: reservation with the reservation's name, or choose another machine type.",
                )
            )
        return problems

    def storage_problems(self, storage: StorageLike) -> list[Problem]:
        check = {
            "parallel": ("Parallelstore", parallelstore_size_problem, "12000"),
            "file": (f"Filestore {FILESTORE_TIER}", filestore_size_problem, "1024"),
            "lustre": ("Managed Lustre", None, "72000"),
        }.get(storage.kind)
        if check is None:
            return []
        service, size_problem, example = check
        problems: list[Problem] = []
        if storage.capacity_gib is None:
            problems.append(
                Problem("capacityGiB", f"a {service} instance needs a size.", f"Set capacityGiB: {example}.")
            )
        elif size_problem is not None and (problem := size_problem(storage.capacity_gib)):
            problems.append(Problem("capacityGiB", problem))
        throughput = storage.throughput_mbps_per_tib
        if storage.kind == "lustre" and throughput is not None and throughput not in MANAGED_LUSTRE_TIERS:
            problems.append(
                Problem(
                    "throughputMBpsPerTiB",
                    f"{throughput} MB/s per TiB is not a Managed Lustre performance tier.",
                    f"Use one of {', '.join(map(str, MANAGED_LUSTRE_TIERS))}.",
                )
            )
        return problems


PROFILE = Gcp()
