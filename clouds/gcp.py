"""GCP: what the GCP slice builds (`aiinfra.components.gcp`), where a `gcp:` resource lives, the
reservation, TPU topology, Parallelstore, Filestore and Managed Lustre facts its spec checks use, and
offline-plan answers (invokes and the outputs GCP computes on create)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from aiinfra.clouds.base import (
    CloudProfile,
    EdgeLocationLike,
    EdgeSiteLike,
    Invoke,
    MachineLike,
    PoolLike,
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
MANAGED_LUSTRE_DEFAULT_THROUGHPUT = 250
# Per tier: (minimum = small step, size up to which the small step applies, large step, maximum), GiB
# (https://docs.cloud.google.com/managed-lustre/docs/performance-tiers, read 2026-12-04).
MANAGED_LUSTRE_SIZES: dict[int, tuple[int, int, int, int]] = {
    1000: (9_000, 1_530_000, 72_000, 10_008_000),
    500: (18_000, 3_060_000, 144_000, 20_016_000),
    250: (36_000, 6_120_000, 288_000, 40_032_000),
    125: (72_000, 12_240_000, 72_000, 12_240_000),
}


# -- TPU slices on GKE -----------------------------------------------------------------------------------------
# Topology → machine type and host count, per generation. Sources (read 2026-12-04 through the reference
# sheet /work/shared/reference/gcp-gke-gpu-tpu.md §3 and cluster-toolkit modules/internal/tpu-definition):
# https://cloud.google.com/kubernetes-engine/docs/concepts/plan-tpus ; https://cloud.google.com/tpu/docs/v4 ;
# https://cloud.google.com/tpu/docs/v5e ; https://cloud.google.com/tpu/docs/v5p ;
# https://cloud.google.com/tpu/docs/v6e. A multi-host slice has 4 chips per host (VM); single-host shapes
# use the machine with exactly the slice's chips.
TPU_DOC = "https://cloud.google.com/kubernetes-engine/docs/concepts/plan-tpus"
CHIPS_PER_HOST_MULTI = 4


@dataclass(frozen=True, slots=True)
class TpuGeneration:
    accelerator: str
    """The catalog's accelerator name (TPU-v5p)."""
    gke_accelerator: str
    """The node label value GKE gives its nodes (cloud.google.com/gke-tpu-accelerator)."""
    multi_host_machine: str
    single_host: Mapping[str, str]
    """Single-host topologies → the machine type that holds the whole slice."""
    multi_host: tuple[str, ...]
    """Multi-host topologies (4 chips per host)."""


def _cube_topologies(max_c: int) -> tuple[str, ...]:
    """v4/v5p 3-D slices beyond one host: 2x2x2, 2x2x4, 2x4x4, then AxBxC with A ≤ B ≤ C, each a
    multiple of 4, A and B at most 16 and C at most `max_c` (the generations' pod sizes)."""
    small = ["2x2x2", "2x2x4", "2x4x4"]
    fours = range(4, 17, 4)
    big = [f"{a}x{b}x{c}" for a in fours for b in fours for c in range(4, max_c + 1, 4) if a <= b <= c]
    return (*small, *big)


TPU_GENERATIONS: dict[str, TpuGeneration] = {
    g.accelerator: g
    for g in (
        TpuGeneration(
            "TPU-v4",
            "tpu-v4-podslice",
            "ct4p-hightpu-4t",
            {"2x2x1": "ct4p-hightpu-4t"},
            _cube_topologies(16),
        ),
        TpuGeneration(
            "TPU-v5p",
            "tpu-v5p-slice",
            "ct5p-hightpu-4t",
            {"2x2x1": "ct5p-hightpu-4t"},
            _cube_topologies(24),
        ),
        TpuGeneration(
            "TPU-v5e",
            "tpu-v5-lite-podslice",
            "ct5lp-hightpu-4t",
            {"1x1": "ct5lp-hightpu-1t", "2x2": "ct5lp-hightpu-4t", "2x4": "ct5lp-hightpu-8t"},
            ("4x4", "4x8", "8x8", "8x16", "16x16"),
        ),
        TpuGeneration(
            "TPU-v6e",
            "tpu-v6e-slice",
            "ct6e-standard-4t",
            {"1x1": "ct6e-standard-1t", "2x2": "ct6e-standard-4t", "2x4": "ct6e-standard-8t"},
            ("4x4", "4x8", "8x8", "8x16", "16x16"),
        ),
    )
}


@dataclass(frozen=True, slots=True)
class TpuSlice:
    machine: str
    hosts: int
    chips: int
    multi_host: bool
    gke_accelerator: str


def chips_of(topology: str) -> int:
    return math.prod(int(d) for d in topology.split("x"))


def tpu_slice(accelerator: str, topology: str) -> TpuSlice:
    """The machine type and host count of a `topology` slice of TPU `accelerator`; ValueError listing the
    valid topologies when the generation has no such slice."""
    gen = TPU_GENERATIONS.get(accelerator)
    if gen is None:
        raise ValueError(f"{accelerator} is not a TPU generation GKE node pools take here")
    topology = topology.strip().lower()
    if topology in gen.single_host:
        return TpuSlice(gen.single_host[topology], 1, chips_of(topology), False, gen.gke_accelerator)
    if topology in gen.multi_host:
        chips = chips_of(topology)
        return TpuSlice(
            gen.multi_host_machine, chips // CHIPS_PER_HOST_MULTI, chips, True, gen.gke_accelerator
        )
    raise ValueError(
        f"{topology} is not a {accelerator} slice topology. Valid: {', '.join(valid_topologies(accelerator))}"
    )


def valid_topologies(accelerator: str) -> list[str]:
    gen = TPU_GENERATIONS[accelerator]
    return [*gen.single_host, *gen.multi_host]


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


def managed_lustre_size_problem(
    capacity_gib: int, throughput: int = MANAGED_LUSTRE_DEFAULT_THROUGHPUT
) -> str | None:
    """Why `capacity_gib` is not a Managed Lustre size at `throughput` MB/s per TiB, or None (moved here from
    components/gcp/managed_lustre.py so the spec validator reports it: exit 2 with the field path)."""
    sizes = MANAGED_LUSTRE_SIZES.get(throughput)
    if sizes is None:
        return None  # the tier itself is reported by storage_problems
    small, threshold, large, maximum = sizes
    step = small if capacity_gib <= threshold else large
    if small <= capacity_gib <= maximum and capacity_gib % step == 0:
        return None
    lower = max(small, capacity_gib // step * step)
    upper = min(maximum, lower + step) if lower < capacity_gib else lower
    near = sorted({lower, upper} - {capacity_gib})
    return (
        f"{capacity_gib} GiB is not a Managed Lustre size at {throughput} MB/s per TiB: {small:,} to {maximum:,} "
        f"GiB in steps of {small:,} (of {large:,} above {threshold:,}); nearest: {' or '.join(map(str, near))}."
    )


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
"""The project an offline plan uses when neither the cluster nor `gcp:project` names one (never for a
validated stack: the spec requires one)."""
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


def _service_account(_name: str, _region: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    email = f"{inputs.get('accountId')}@{inputs.get('project') or PROJECT}.iam.gserviceaccount.com"
    return {"email": email, "member": f"serviceAccount:{email}", "uniqueId": "104000000000000000001"}


def _gke_cluster(name: str, region: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "endpoint": "10.0.0.2",
        "masterAuth": {**(inputs.get("masterAuth") or {}), "clusterCaCertificate": "TU9DSy1DQQ=="},
        "selfLink": f"https://container.googleapis.com/v1/projects/{PROJECT}/locations/{region}/clusters/{name}",
    }


# -- ids of new resources --------------------------------------------------------------------------------
# A pulumi-gcp resource's id is the Terraform provider's: for most resources the resource's path in its API,
# `projects/{project}/(zones/{zone}|regions/{region}|global|locations/{location})/{collection}/{name}`
# (Compute Engine: https://cloud.google.com/compute/docs/reference/rest/v1 resource names; each type's
# "id - an identifier for the resource with format ..." in the provider's docs, e.g.
# https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_instance, read
# 2026-12-05). GCP_IDS holds the types whose format is not that; the rest take the generic form, with the
# scope their inputs name (a zone, a region, a location, else global for Compute Engine, none otherwise).

GCP_IDS: dict[str, str] = {
    "gcp:compute/instance:Instance": "projects/{project}/zones/{zone}/instances/{name}",
    "gcp:compute/disk:Disk": "projects/{project}/zones/{zone}/disks/{name}",
    "gcp:compute/instanceGroupManager:InstanceGroupManager": "projects/{project}/zones/{zone}/"
    "instanceGroupManagers/{name}",
    "gcp:compute/network:Network": "projects/{project}/global/networks/{name}",
    "gcp:compute/firewall:Firewall": "projects/{project}/global/firewalls/{name}",
    "gcp:compute/globalAddress:GlobalAddress": "projects/{project}/global/addresses/{name}",
    "gcp:compute/instanceTemplate:InstanceTemplate": "projects/{project}/global/instanceTemplates/{name}",
    "gcp:compute/subnetwork:Subnetwork": "projects/{project}/regions/{region}/subnetworks/{name}",
    "gcp:compute/router:Router": "projects/{project}/regions/{region}/routers/{name}",
    "gcp:compute/routerNat:RouterNat": "{project}/{region}/{router}/{name}",
    "gcp:compute/address:Address": "projects/{project}/regions/{region}/addresses/{name}",
    "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": "projects/{project}/regions/{region}/"
    "instanceGroupManagers/{name}",
    "gcp:container/cluster:Cluster": "projects/{project}/locations/{location}/clusters/{name}",
    "gcp:container/nodePool:NodePool": "{project}/{location}/{cluster}/{name}",
    "gcp:storage/bucket:Bucket": "{name}",
    "gcp:sql/databaseInstance:DatabaseInstance": "{name}",
    "gcp:serviceaccount/account:Account": "projects/{project}/serviceAccounts/{accountId}@{project}"
    ".iam.gserviceaccount.com",
    "gcp:cloudrun/service:Service": "locations/{location}/namespaces/{project}/services/{name}",
    "gcp:cloudfunctions/function:Function": "projects/{project}/locations/{region}/functions/{name}",
    "gcp:kms/keyRing:KeyRing": "projects/{project}/locations/{location}/keyRings/{name}",
    "gcp:kms/cryptoKey:CryptoKey": "{keyRing}/cryptoKeys/{name}",
    "gcp:artifactregistry/repository:Repository": "projects/{project}/locations/{location}/repositories/"
    "{repositoryId}",
    "gcp:pubsub/topic:Topic": "projects/{project}/topics/{name}",
    "gcp:projects/service:Service": "{project}/{service}",
}


def _collection(kind: str) -> str:
    """`Subnetwork` → `subnetworks`, `InstanceGroupManager` → `instanceGroupManagers`."""
    camel = kind[:1].lower() + kind[1:]
    if camel.endswith("y") and camel[-2:-1] not in "aeiou":
        return camel[:-1] + "ies"
    return camel + ("es" if camel.endswith(("s", "x", "sh", "ch")) else "s")


def gcp_id(type_token: str, name: str, region: str, inputs: Mapping[str, Any]) -> str | None:
    """The id of a new pulumi-gcp resource (see the section comment), or None when a parent it names
    (a node pool's cluster, a key's key ring) is not known."""
    module, _, kind = type_token.partition(":")[2].partition(":")
    module = module.split("/")[0]
    zone = inputs.get("zone")
    location = inputs.get("location")
    own_region = inputs.get("region")
    region = region_of(str(own_region or zone or "")) if (own_region or zone) else region
    values = {
        "project": str(inputs.get("project") or PROJECT),
        "name": str(inputs.get("name") or name),
        "region": region,
        "zone": str(zone) if isinstance(zone, str) and zone else f"{region}-a",
        "location": str(location) if isinstance(location, str) and location else region,
    }
    template = GCP_IDS.get(type_token)
    if template is None:
        if isinstance(zone, str) and zone:
            scope = "zones/{zone}/"
        elif isinstance(inputs.get("region"), str) and inputs.get("region"):
            scope = "regions/{region}/"
        elif isinstance(location, str) and location:
            scope = "locations/{location}/"
        else:
            scope = "global/" if module == "compute" else ""
        template = f"projects/{{project}}/{scope}{_collection(kind)}/{{name}}"
    for key in re.findall(r"\{(\w+)\}", template):
        if key in values:
            continue
        value = inputs.get(key)
        if not isinstance(value, str) or not value:
            if key in ("accountId", "repositoryId"):
                value = name
            else:
                return None
        values[key] = value.rsplit("/", 1)[-1] if key in ("router", "cluster") else value
    return template.format(**values)


# Outputs GCP computes on create that the components read back (beyond echoing the inputs).
_COMPUTED: dict[str, Any] = {
    "gcp:serviceaccount/account:Account": _service_account,
    "gcp:container/cluster:Cluster": _gke_cluster,
    "gcp:compute/network:Network": lambda name, _r, inputs: {
        "selfLink": f"https://www.googleapis.com/compute/v1/projects/{inputs.get('project') or PROJECT}"
        f"/global/networks/{inputs.get('name') or name}"
    },
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
    # Logical names, as in components/gcp/{gpu_cluster,network,fabric_network,gke_cluster,kms,
    # gpu_node_pool,tpu_node_pool,workload}.py (tests/test_gcp_components.py checks planned names are here).
    # The GKE node pools carry explicit names (the spec's pool name; `system`), so `{cluster}-system`
    # also keeps a spec pool named `system` from meeting the system pool.
    cluster_names=(
        "{cluster}",
        "{cluster}-gcp",
        "{cluster}-net",
        *(f"{{cluster}}-net-{part}" for part in ("vpc", "nodes", "router", "nat")),
        "{cluster}-keyring",
        "{cluster}-secrets",
        "{cluster}-secrets-gke",
        "{cluster}-nodes",
        "{cluster}-nodes-container",
        "{cluster}-nodes-artifactregistry",
        "{cluster}-gke",
        "{cluster}-system",
        "{cluster}-k8s",
        *(f"{{cluster}}-{fabric}" for fabric in ("tcpx", "tcpxo", "rdma")),
        *(
            f"{{cluster}}-{fabric}-gpu-{i}{tail}"
            for fabric, n in (("tcpx", 4), ("tcpxo", 8))
            for i in range(n)
            for tail in ("", "-sub", "-internal")
        ),
        *(f"{{cluster}}-rdma-{part}" for part in ("gvnic", "gvnic-sub", "gvnic-internal", "rdma")),
        *(f"{{cluster}}-rdma-rdma-{i}-sub" for i in range(8)),
        *(
            f"{{cluster}}-{net}-{kind}"
            for net in (*(f"vpc{i}" for i in range(1, 9)), "gvnic-1", *(f"rdma-{i}" for i in range(8)))
            for kind in ("params", "network")
        ),
        *(
            f"{{cluster}}-{m}"
            for m in (
                "nccl-tcpx-installer",
                "nccl-tcpxo-installer",
                "nccl-rdma-installer",
                "nri-device-injector",
            )
        ),
        "{cluster}-workload",
        "{cluster}-workload-ns",
        "{cluster}-workload-kueue",
    ),
    pool_names=(
        "{cluster}-{pool}",
        "{cluster}-{pool}-nodes",
        *(
            f"{{cluster}}-workload-{kind}-{{pool}}"
            for kind in ("resourceflavor", "clusterqueue", "localqueue")
        ),
    ),
)


class Gcp(CloudProfile):
    order = 1
    name = "gcp"
    title = "GCP"
    packages = ("gcp",)
    region_config_key = "gcp:region"
    region_config_fallbacks = ("gcp:zone",)  # the provider's GetRegion: resource, provider region, then zone
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
    # Each GPUDirect variant brings its own VPCs, GKE Network objects and NCCL installer to the cluster.
    exclusive_fabrics = frozenset({"gpudirect-tcpx", "gpudirect-tcpxo", "gpudirect-rdma"})
    default_system_machine = "e2-standard-4"
    limits = LIMITS
    component = "aiinfra.components.gcp.gpu_cluster:declare"
    project_config_key = "gcp:project"
    unsupported: ClassVar[Mapping[str, str]] = {}
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

    def created_outputs(
        self, type_token: str, name: str, region: str, inputs: Mapping[str, Any]
    ) -> dict[str, Any]:
        computed = _COMPUTED.get(type_token)
        return computed(name, region, inputs) if computed is not None else {}

    def created_id(self, type_token: str, name: str, region: str, inputs: Mapping[str, Any]) -> str | None:
        return gcp_id(type_token, name, region, inputs)

    def pool_shape(
        self, pool: PoolLike, accelerator: str | None, machine: str
    ) -> tuple[str | None, list[Problem]]:
        """TPU pools: `topology` picks the machine and the host count (a multi-host slice is atomic: its
        node count is its host count). `topology` on a GPU machine is an error."""
        gen = TPU_GENERATIONS.get(accelerator or "")
        if gen is None:
            if pool.topology is not None:
                tpus = ", ".join(TPU_GENERATIONS)
                return None, [
                    Problem(
                        "topology",
                        f"topology describes a TPU slice; {machine} carries {accelerator or 'no accelerator'}.",
                        f"Remove topology, or use a TPU accelerator ({tpus}).",
                    )
                ]
            return None, []
        if pool.topology is None:
            return None, []
        try:
            shape = tpu_slice(gen.accelerator, pool.topology)
        except ValueError:
            return None, [
                Problem(
                    "topology",
                    f"'{pool.topology}' is not a {gen.accelerator} slice topology ({TPU_DOC}).",
                    f"Use one of: {', '.join(valid_topologies(gen.accelerator))}.",
                )
            ]
        problems: list[Problem] = []
        if shape.multi_host and (
            (pool.nodes is not None and pool.nodes != shape.hosts)
            or pool.min_nodes is not None
            or pool.max_nodes is not None
        ):
            problems.append(
                Problem(
                    "nodes",
                    f"a {gen.accelerator} {pool.topology} slice is {shape.hosts} hosts of {shape.machine}, "
                    "created and scaled as one unit.",
                    f"Set nodes: {shape.hosts}, or leave nodes, minNodes and maxNodes out.",
                )
            )
        return (shape.machine if shape.machine != machine else None), problems

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
            "lustre": (
                "Managed Lustre",
                lambda gib: managed_lustre_size_problem(
                    gib, storage.throughput_mbps_per_tib or MANAGED_LUSTRE_DEFAULT_THROUGHPUT
                ),
                "72000",
            ),
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
