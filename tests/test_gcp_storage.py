"""GCP storage under the recording mocks: GcpClusterStorage builds each kind (bucket, Parallelstore, Filestore,
Managed Lustre) with the private services access peering only when a file service needs it; exact children,
key inputs, protection, what must be absent; size rules; and the estimate of what it creates."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pulumi
import pulumi_gcp as gcp
import pytest

from aiinfra.catalog import default_catalog
from aiinfra.clouds.gcp import MANAGED_LUSTRE_TIERS, PROJECT_NUMBER
from aiinfra.components.gcp import storage as storage_module
from aiinfra.components.gcp.bucket import TYPE as BUCKET_COMPONENT
from aiinfra.components.gcp.bucket import GcsBucket, GcsBucketArgs, bucket_name
from aiinfra.components.gcp.filestore import TYPE as FILESTORE_COMPONENT
from aiinfra.components.gcp.managed_lustre import (
    TIER_SIZES,
    ManagedLustre,
    ManagedLustreArgs,
    managed_lustre_size_problem,
)
from aiinfra.components.gcp.managed_lustre import TYPE as LUSTRE_COMPONENT
from aiinfra.components.gcp.names import lustre_fsname, resource_id
from aiinfra.components.gcp.parallelstore import TYPE as PARALLELSTORE_COMPONENT
from aiinfra.components.gcp.parallelstore import parallelstore_zone_problem
from aiinfra.components.gcp.private_service_access import TYPE as PSA_COMPONENT
from aiinfra.components.gcp.storage import TYPE as STORAGE
from aiinfra.components.gcp.storage import GcpClusterStorage, GcpStorageArgs, lustre_problem
from aiinfra.engine.graph import ResourceGraph
from aiinfra.engine.plan import plan_program
from aiinfra.estimate import estimate
from aiinfra.estimate.usage import PROFILES, ResourceUsage, UsageFile
from aiinfra.spec.models import Storage
from tests.conftest import children_of, names_by_type

PROJECT = "p1"
NETWORK = "projects/p1/global/networks/train"
ZONE = "us-central1-a"
NAME = "train-storage"

SERVICE = "gcp:projects/service:Service"
BUCKET = "gcp:storage/bucket:Bucket"
KEY_MEMBER = "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember"
ADDRESS = "gcp:compute/globalAddress:GlobalAddress"
CONNECTION = "gcp:servicenetworking/connection:Connection"
FIREWALL = "gcp:compute/firewall:Firewall"
PARALLELSTORE = "gcp:parallelstore/instance:Instance"
FILESTORE = "gcp:filestore/instance:Instance"
LUSTRE = "gcp:lustre/instance:Instance"

ALL_KINDS: list[dict[str, Any]] = [
    {"name": "data", "kind": "object"},
    {"name": "scratch", "kind": "parallel", "capacityGiB": 12000},
    {"name": "home", "kind": "file", "capacityGiB": 1024},
    {"name": "fast", "kind": "lustre", "capacityGiB": 36000, "dataRepository": "data"},
]


def entries(*raw: dict[str, Any]) -> list[Storage]:
    return [Storage.model_validate(r) for r in raw]


def plan_gcp(program: Any) -> ResourceGraph:
    return plan_program(program, stack="test", config={"gcp:project": PROJECT, "gcp:region": "us-central1"})


def storage_graph(
    raw: Sequence[dict[str, Any]] = tuple(ALL_KINDS), captured: dict[str, Any] | None = None, **extra: Any
) -> ResourceGraph:
    def program() -> None:
        built = GcpClusterStorage(
            NAME,
            GcpStorageArgs(
                storage=entries(*raw),
                project=PROJECT,
                region="us-central1",
                zone=ZONE,
                network_id=NETWORK,
                labels={"stack": "test"},
                **extra,
            ),
        )
        if captured is not None:
            for key, value in built.data_repositories.items():
                value.apply(lambda v, key=key: captured.__setitem__(key, v))

    return plan_gcp(program)


# -- the cluster's storage -------------------------------------------------------------------------------------


def test_every_kind_becomes_its_service_with_one_peering_and_each_api_enabled() -> None:
    graph = storage_graph()
    assert names_by_type(children_of(graph, STORAGE, NAME)) == {
        (SERVICE, f"{NAME}-api-object"),
        (SERVICE, f"{NAME}-api-parallel"),
        (SERVICE, f"{NAME}-api-file"),
        (SERVICE, f"{NAME}-api-lustre"),
        (BUCKET_COMPONENT, f"{NAME}-data"),
        (PSA_COMPONENT, f"{NAME}-psa"),
        (PARALLELSTORE_COMPONENT, f"{NAME}-scratch"),
        (FILESTORE_COMPONENT, f"{NAME}-home"),
        (LUSTRE_COMPONENT, f"{NAME}-fast"),
    }
    apis = {r.inputs["service"] for r in graph.by_type(SERVICE)}
    assert apis == {
        "storage.googleapis.com",
        "parallelstore.googleapis.com",
        "file.googleapis.com",
        "lustre.googleapis.com",
        "servicenetworking.googleapis.com",
    }
    assert all(r.inputs["disableOnDestroy"] is False for r in graph.by_type(SERVICE)), (
        "destroying the stack must not switch off APIs other workloads in the project use"
    )
    assert len(graph.by_type(CONNECTION)) == 1 and len(graph.by_type(ADDRESS)) == 1, "one peering per VPC"


def test_a_cluster_with_only_a_bucket_gets_no_peering_no_firewall_and_no_file_service() -> None:
    graph = storage_graph([{"name": "data", "kind": "object"}])
    assert names_by_type(children_of(graph, STORAGE, NAME)) == {
        (SERVICE, f"{NAME}-api-object"),
        (BUCKET_COMPONENT, f"{NAME}-data"),
    }
    for absent in (ADDRESS, CONNECTION, FIREWALL, PARALLELSTORE, FILESTORE, LUSTRE, KEY_MEMBER):
        assert not graph.by_type(absent), f"a bucket alone needs no {absent}"


def test_private_services_access_allocates_an_internal_peering_range_and_connects_it() -> None:
    graph = storage_graph()
    assert names_by_type(children_of(graph, PSA_COMPONENT, f"{NAME}-psa")) == {
        (SERVICE, f"{NAME}-psa-api"),
        (ADDRESS, f"{NAME}-psa-range"),
        (CONNECTION, f"{NAME}-psa-peering"),
        (FIREWALL, f"{NAME}-psa-from-servers"),
    }
    address = graph.get(ADDRESS, f"{NAME}-psa-range").inputs
    assert address["name"] == "train-storage-psa-range"
    assert address["purpose"] == "VPC_PEERING" and address["addressType"] == "INTERNAL"
    assert address["prefixLength"] == 20 and address["network"] == NETWORK
    assert "address" not in address, "without psa_address Google picks a free block"
    connection = graph.get(CONNECTION, f"{NAME}-psa-peering").inputs
    assert connection["service"] == "servicenetworking.googleapis.com"
    assert connection["network"] == NETWORK
    assert connection["reservedPeeringRanges"] == ["train-storage-psa-range"], "the range made here"
    assert connection["deletionPolicy"] == "ABANDON"


def test_file_servers_may_reach_the_vpc_over_tcp_only_from_the_private_services_range() -> None:
    graph = storage_graph(psa_address="10.200.0.0")
    assert graph.get(ADDRESS, f"{NAME}-psa-range").inputs["address"] == "10.200.0.0"
    (rule,) = graph.by_type(FIREWALL)
    assert rule.name == f"{NAME}-psa-from-servers", "one rule for every file service of the cluster"
    assert rule.inputs["direction"] == "INGRESS" and rule.inputs["network"] == NETWORK
    assert rule.inputs["sourceRanges"] == ["10.200.0.0/20"], "the peering range only, never 0.0.0.0/0"
    assert rule.inputs["allows"] == [{"protocol": "tcp"}]
    assert "targetTags" not in rule.inputs and "sourceTags" not in rule.inputs


def test_filestore_alone_gets_the_peering_but_no_ingress_rule() -> None:
    graph = storage_graph([{"name": "home", "kind": "file", "capacityGiB": 1024}])
    assert graph.by_type(CONNECTION) and not graph.by_type(FIREWALL), (
        "NFS clients open every connection to Filestore: nothing needs to come in"
    )


def test_file_services_are_in_the_interconnect_zone_on_the_cluster_network() -> None:
    graph = storage_graph()
    for type_, name in (
        (PARALLELSTORE, f"{NAME}-scratch-fs"),
        (FILESTORE, f"{NAME}-home-fs"),
        (LUSTRE, f"{NAME}-fast-fs"),
    ):
        inputs = graph.get(type_, name).inputs
        assert inputs["location"] == ZONE, f"{name} sits next to the GPUs"
        assert inputs["project"] == PROJECT
    assert graph.get(BUCKET, f"{NAME}-data-bucket").inputs["location"] == "US-CENTRAL1", "regional bucket"


def test_data_is_protected_and_retained_and_protect_false_turns_both_off() -> None:
    data = (
        (BUCKET, f"{NAME}-data-bucket"),
        (PARALLELSTORE, f"{NAME}-scratch-fs"),
        (FILESTORE, f"{NAME}-home-fs"),
        (LUSTRE, f"{NAME}-fast-fs"),
    )
    graph = storage_graph()
    for type_, name in data:
        r = graph.get(type_, name)
        assert r.protect and r.retain_on_delete, f"{name} holds data: protect and retain it"
    unprotected = storage_graph([{**raw, "protect": False} for raw in ALL_KINDS])
    for type_, name in data:
        r = unprotected.get(type_, name)
        assert not r.protect and not r.retain_on_delete, f"protect: false in the spec frees {name}"
    assert unprotected.get(FILESTORE, f"{NAME}-home-fs").inputs["deletionProtectionEnabled"] is False


def depends_on_of(program: Any) -> dict[str, set[str]]:
    """Resource name → the names of what its options say it depends on (the graph keeps no edges)."""
    seen: dict[str, set[str]] = {}

    def capture(args: pulumi.ResourceTransformationArgs) -> None:
        deps = args.opts.depends_on if args.opts is not None else None
        listed = deps if isinstance(deps, list) else [deps] if deps is not None else []
        seen[args.name] = {d._name for d in listed if isinstance(d, pulumi.Resource)}

    def wrapped() -> None:
        pulumi.runtime.register_stack_transformation(capture)
        program()

    plan_gcp(wrapped)
    return seen


def test_file_services_and_buckets_wait_for_the_peering_and_their_api() -> None:
    def program() -> None:
        GcpClusterStorage(
            NAME,
            GcpStorageArgs(
                storage=entries(*ALL_KINDS),
                project=PROJECT,
                region="us-central1",
                zone=ZONE,
                network_id=NETWORK,
                labels={},
            ),
        )

    deps = depends_on_of(program)
    for name, api in (
        (f"{NAME}-scratch-fs", "parallel"),
        (f"{NAME}-home-fs", "file"),
        (f"{NAME}-fast-fs", "lustre"),
    ):
        assert deps[name] == {f"{NAME}-psa-peering", f"{NAME}-api-{api}"}, (
            f"{name} cannot be created before the peering and its API exist"
        )
    assert deps[f"{NAME}-data-bucket"] == {f"{NAME}-api-object"}
    assert deps[f"{NAME}-psa-peering"] == {f"{NAME}-psa-api"}


def test_mounts_name_what_a_pod_mounts_for_each_entry() -> None:
    captured: dict[str, Any] = {}

    def program() -> None:
        built = GcpClusterStorage(
            NAME,
            GcpStorageArgs(
                storage=entries(*ALL_KINDS),
                project=PROJECT,
                region="us-central1",
                zone=ZONE,
                network_id=NETWORK,
                labels={},
            ),
        )
        assert set(built.mounts) == {"data", "scratch", "home", "fast"}
        built.mounts["data"].apply(lambda v: captured.__setitem__("data", v))

    plan_gcp(program)
    assert captured == {"data": "p1-train-storage-data"}, "a bucket is mounted (GCS FUSE) by its name"


# -- Cloud Storage -------------------------------------------------------------------------------------------


def test_a_bucket_is_private_uniform_versioned_soft_deleted_and_never_force_destroyed() -> None:
    graph = storage_graph([{"name": "data", "kind": "object"}])
    assert names_by_type(children_of(graph, BUCKET_COMPONENT, f"{NAME}-data")) == {
        (BUCKET, f"{NAME}-data-bucket")
    }
    bucket = graph.get(BUCKET, f"{NAME}-data-bucket").inputs
    assert bucket["name"] == "p1-train-storage-data"
    assert bucket["uniformBucketLevelAccess"] is True, "IAM only, no object ACLs"
    assert bucket["publicAccessPrevention"] == "enforced", "never public, whatever an IAM binding says"
    assert bucket["versioning"] == {"enabled": True}
    assert bucket["softDeletePolicy"] == {"retentionDurationSeconds": 7 * 24 * 3600}
    assert bucket["forceDestroy"] is False, "deleting the bucket must never delete its objects"
    assert bucket["storageClass"] == "STANDARD"
    assert bucket["labels"] == {"stack": "test"}
    assert bucket["lifecycleRules"] == [
        {"action": {"type": "Delete"}, "condition": {"withState": "ARCHIVED", "daysSinceNoncurrentTime": 30}},
        {"action": {"type": "Delete"}, "condition": {"withState": "ARCHIVED", "numNewerVersions": 3}},
        {"action": {"type": "AbortIncompleteMultipartUpload"}, "condition": {"age": 7}},
    ]
    assert "encryption" not in bucket, "no CMEK unless a key is given (Google-managed encryption)"
    assert "hierarchicalNamespace" not in bucket


def test_a_bucket_with_a_kms_key_grants_the_storage_agent_before_using_it() -> None:
    key = "projects/p1/locations/us-central1/keyRings/r/cryptoKeys/k"
    graph = plan_gcp(
        lambda: (
            GcsBucket("ckpt", GcsBucketArgs(project=PROJECT, location="us-central1", kms_key_name=key))
            and None
        )
    )
    member = graph.get(KEY_MEMBER, "ckpt-storage-agent-key")
    assert member.inputs == {
        "cryptoKeyId": key,
        "role": "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        "member": f"serviceAccount:service-{PROJECT_NUMBER}@gs-project-accounts.iam.gserviceaccount.com",
    }
    assert graph.get(BUCKET, "ckpt-bucket").inputs["encryption"] == {"defaultKmsKeyName": key}
    deps = depends_on_of(
        lambda: GcsBucket("ckpt", GcsBucketArgs(project=PROJECT, location="us-central1", kms_key_name=key))
    )
    assert deps["ckpt-bucket"] == {"ckpt-storage-agent-key"}, "the agent must hold the key before use"


def test_bucket_names_are_deterministic_valid_and_at_most_63_characters() -> None:
    assert bucket_name("my-proj", "Train_Storage-data") == "my-proj-train-storage-data"
    long = bucket_name("a-very-long-project-id-30chars", "cluster-with-a-long-name-storage-checkpoints")
    assert len(long) == 63 and long[-9] == "-", "trimmed with a hash suffix so it stays unique"
    assert long != bucket_name(
        "a-very-long-project-id-30chars", "cluster-with-a-long-name-storage-checkpointz"
    )


# -- Parallelstore -------------------------------------------------------------------------------------------


def test_parallelstore_is_scratch_striped_for_training_in_the_peering_range() -> None:
    graph = storage_graph([{"name": "scratch", "kind": "parallel", "capacityGiB": 16000}])
    assert names_by_type(children_of(graph, PARALLELSTORE_COMPONENT, f"{NAME}-scratch")) == {
        (PARALLELSTORE, f"{NAME}-scratch-fs")
    }
    ps = graph.get(PARALLELSTORE, f"{NAME}-scratch-fs").inputs
    address = graph.get(ADDRESS, f"{NAME}-psa-range").inputs
    assert ps["instanceId"] == "train-storage-scratch"
    assert ps["capacityGib"] == "16000", "the API takes the size as a string"
    assert ps["deploymentType"] == "SCRATCH"
    assert ps["fileStripeLevel"] == "FILE_STRIPE_LEVEL_MAX"
    assert ps["directoryStripeLevel"] == "DIRECTORY_STRIPE_LEVEL_MAX"
    assert ps["network"] == NETWORK and ps["reservedIpRange"] == address["name"]
    assert not graph.by_type(FILESTORE) and not graph.by_type(LUSTRE) and not graph.by_type(BUCKET)


def test_parallelstore_refuses_a_size_it_does_not_sell() -> None:
    with pytest.raises(Exception, match="Parallelstore"):
        storage_graph([{"name": "scratch", "kind": "parallel", "capacityGiB": 13000}])


@pytest.mark.parametrize(
    ("zone", "why"),
    [
        (
            "us-central1-d",
            "in us-central1 it is in us-central1-a, us-central1-b, us-central1-c, us-central1-f",
        ),
        ("me-central2-a", "regions with it: asia-east1"),
    ],
)
def test_parallelstore_refuses_a_zone_it_is_not_sold_in(zone: str, why: str) -> None:
    problem = parallelstore_zone_problem(zone)
    assert problem is not None and why in problem
    assert parallelstore_zone_problem("europe-west1-b") is None


# -- Filestore -----------------------------------------------------------------------------------------------


def test_filestore_is_zonal_tier_over_private_services_access_with_deletion_protection() -> None:
    graph = storage_graph([{"name": "home", "kind": "file", "capacityGiB": 2560}])
    assert names_by_type(children_of(graph, FILESTORE_COMPONENT, f"{NAME}-home")) == {
        (FILESTORE, f"{NAME}-home-fs")
    }
    fs = graph.get(FILESTORE, f"{NAME}-home-fs").inputs
    address = graph.get(ADDRESS, f"{NAME}-psa-range").inputs
    assert fs["tier"] == "ZONAL" and fs["name"] == "train-storage-home"
    assert fs["fileShares"] == {"name": "share", "capacityGb": 2560}, "no export options: Filestore's default"
    assert fs["networks"] == [
        {
            "network": NETWORK,
            "modes": ["MODE_IPV4"],
            "connectMode": "PRIVATE_SERVICE_ACCESS",
            "reservedIpRange": address["name"],
        }
    ]
    assert fs["deletionProtectionEnabled"] is True and fs["deletionProtectionReason"]


def test_filestore_exports_only_to_the_client_networks_when_given() -> None:
    graph = storage_graph(
        [{"name": "home", "kind": "file", "capacityGiB": 1024}], client_cidrs=["10.40.0.0/20", "10.44.0.0/14"]
    )
    share = graph.get(FILESTORE, f"{NAME}-home-fs").inputs["fileShares"]
    assert share["nfsExportOptions"] == [
        {
            "ipRanges": ["10.40.0.0/20", "10.44.0.0/14"],
            "accessMode": "READ_WRITE",
            "squashMode": "NO_ROOT_SQUASH",
        }
    ]


def test_filestore_refuses_a_size_between_zonal_steps() -> None:
    with pytest.raises(Exception, match="Filestore ZONAL"):
        storage_graph([{"name": "home", "kind": "file", "capacityGiB": 1100}])


# -- Managed Lustre ------------------------------------------------------------------------------------------


def test_managed_lustre_takes_the_spec_tier_gke_support_and_a_short_file_system_name() -> None:
    graph = storage_graph(
        [{"name": "fast-ckpt", "kind": "lustre", "capacityGiB": 18000, "throughputMBpsPerTiB": 500}]
    )
    assert names_by_type(children_of(graph, LUSTRE_COMPONENT, f"{NAME}-fast-ckpt")) == {
        (LUSTRE, f"{NAME}-fast-ckpt-fs")
    }
    lustre = graph.get(LUSTRE, f"{NAME}-fast-ckpt-fs").inputs
    assert lustre["instanceId"] == "train-storage-fast-ckpt"
    assert lustre["capacityGib"] == "18000" and lustre["perUnitStorageThroughput"] == "500"
    assert lustre["gkeSupportEnabled"] is True
    assert lustre["filesystem"] == "fastckpt", "eight letters or digits"
    assert lustre["network"] == NETWORK
    assert "kmsKey" not in lustre


def test_managed_lustre_without_a_tier_gets_250_like_fsx() -> None:
    graph = storage_graph([{"name": "fast", "kind": "lustre", "capacityGiB": 36000}])
    assert graph.get(LUSTRE, f"{NAME}-fast-fs").inputs["perUnitStorageThroughput"] == "250"


def test_a_linked_bucket_gives_the_import_command_and_no_fake_resource() -> None:
    captured: dict[str, Any] = {}
    graph = storage_graph(captured=captured)
    assert captured == {
        "fast": "gcloud lustre instances import-data train-storage-fast --project=p1 "
        "--location=us-central1-a --gcs-path-uri=gs://p1-train-storage-data --lustre-path=/"
    }
    types = {r.type for r in graph.resources}
    assert not {t for t in types if "transfer" in t or "dataRepository" in t}, (
        "import/export is an API call, not a resource: nothing is declared for it"
    )
    unlinked: dict[str, Any] = {}
    storage_graph([{"name": "fast", "kind": "lustre", "capacityGiB": 36000}], captured=unlinked)
    assert unlinked == {}


def test_managed_lustre_refuses_a_size_off_its_tier_steps() -> None:
    with pytest.raises(Exception, match="nearest: 36000"):
        storage_graph([{"name": "fast", "kind": "lustre", "capacityGiB": 18000}])


def test_managed_lustre_can_serve_vms_without_gke_support() -> None:
    def program() -> None:
        ManagedLustre(
            "vm",
            ManagedLustreArgs(
                project=PROJECT,
                zone=ZONE,
                network_id=NETWORK,
                capacity_gib=9000,
                throughput_mbps_per_tib=1000,
                gke_support_enabled=False,
            ),
        )

    graph = plan_gcp(program)
    lustre = graph.get(LUSTRE, "vm-fs").inputs
    assert lustre["gkeSupportEnabled"] is False and lustre["perUnitStorageThroughput"] == "1000"
    assert lustre["filesystem"] == "vm"


@pytest.mark.parametrize(
    ("gib", "tier"),
    [(9000, 1000), (1_530_000, 1000), (1_584_000, 1000), (10_008_000, 1000), (36_000, 250), (72_000, 125)],
)
def test_managed_lustre_sizes_on_the_tier_steps_are_accepted(gib: int, tier: int) -> None:
    assert managed_lustre_size_problem(gib, tier) is None


@pytest.mark.parametrize(
    ("gib", "tier", "why"),
    [
        (8000, 1000, "9,000 to 10,008,000"),
        (1_539_000, 1000, "of 72,000 above 1,530,000"),  # a 9,000 multiple above the threshold
        (10_080_000, 1000, "to 10,008,000"),
        (18_000, 250, "nearest: 36000"),
        (100_000, 125, "nearest: 72000 or 144000"),
    ],
)
def test_managed_lustre_sizes_off_the_steps_are_refused_with_the_nearest(
    gib: int, tier: int, why: str
) -> None:
    problem = managed_lustre_size_problem(gib, tier)
    assert problem is not None and why in problem


def test_there_is_one_size_table_for_each_tier_the_spec_accepts() -> None:
    assert sorted(TIER_SIZES) == sorted(MANAGED_LUSTRE_TIERS)
    for tier, (small, threshold, large, maximum) in TIER_SIZES.items():
        assert threshold % small == 0 and large % small == 0 and maximum % large == 0, tier


def test_lustre_is_refused_clearly_when_the_sdk_lacks_managed_lustre(monkeypatch: pytest.MonkeyPatch) -> None:
    assert lustre_problem() is None, "pulumi-gcp 9.37.1 has lustre.Instance"

    def missing(name: str) -> Any:
        raise ImportError(name)

    monkeypatch.setattr(storage_module.importlib, "import_module", missing)
    problem = lustre_problem()
    assert problem is not None and "kind: parallel" in problem


# -- names ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("train-storage-scratch", "train-storage-scratch"),
        ("Train_Storage--Scratch", "train-storage-scratch"),
        ("9lives", "s-9lives"),
        ("x" * 70, "x" * 63),
        ("---", "storage"),
    ],
)
def test_resource_ids_follow_googles_instance_id_rules(name: str, expected: str) -> None:
    assert resource_id(name) == expected


def test_lustre_file_system_names_are_eight_letters_or_digits() -> None:
    assert lustre_fsname("fast-ckpt-2") == "fastckpt"
    assert lustre_fsname("a-b") == "ab"
    assert lustre_fsname("---") == "lustre"


# -- estimate ------------------------------------------------------------------------------------------------


def test_the_estimate_prices_or_explains_every_resource_the_storage_creates() -> None:
    catalog = default_catalog()
    graph = storage_graph()
    result = estimate(graph, catalog, profile=PROFILES["training-steady"])
    assert not result.unsupported, f"every type has a rule: {result.unsupported}"
    free = {s.resource: s.reason for s in result.free}
    assert "no charge" in free[f"{NAME}-psa-range"] and "VPC_PEERING" in free[f"{NAME}-psa-range"]
    assert "no charge" in free[f"{NAME}-psa-peering"]
    for name in (f"{NAME}-psa-from-servers", f"{NAME}-api-lustre", f"{NAME}-psa-api"):
        assert name in free, f"{name} is free and says so"

    price = catalog.storage_price("gcp", "parallelstore", "SCRATCH", "us-central1")
    assert price is not None and price.usd_per_gib_month is not None
    (ps,) = [ln for ln in result.lines if ln.resource == f"{NAME}-scratch-fs"]
    assert ps.monthly_cost_usd == 12000 * price.usd_per_gib_month

    unpriced = {s.resource: s.reason for s in result.unpriced}
    for name in (f"{NAME}-home-fs", f"{NAME}-fast-fs", f"{NAME}-data-bucket"):
        assert name in unpriced, f"{name}: no price in the catalog or no usage, never $0"
    assert "filestore ZONAL" in unpriced[f"{NAME}-home-fs"]
    assert "storageGiB" in unpriced[f"{NAME}-data-bucket"], "the fix is named"


def test_a_bucket_estimate_counts_versions_and_soft_delete_in_its_assumptions() -> None:
    catalog = default_catalog()
    graph = storage_graph([{"name": "data", "kind": "object"}])
    usage = UsageFile(resources={f"{NAME}-data-bucket": ResourceUsage(storage_gib=1000)})
    result = estimate(graph, catalog, profile=PROFILES["training-steady"], usage=usage)
    (line,) = [ln for ln in result.lines if ln.resource == f"{NAME}-data-bucket"]
    price = catalog.storage_price("gcp", "gcs", "STANDARD", "us-central1")
    assert price is not None and price.usd_per_gib_month is not None
    assert line.monthly_cost_usd == Decimal(1000) * price.usd_per_gib_month
    notes = " | ".join(line.assumptions)
    assert (
        "noncurrent versions are billed as stored data until a lifecycle rule deletes them (30 days" in notes
    )
    assert "soft delete: deleted objects stay billed for 7 days" in notes
    assert "(Cloud Storage's default)" not in notes, "the bucket sets its window explicitly"


def test_an_unversioned_bucket_estimate_has_no_version_note() -> None:
    def program() -> None:
        gcp.storage.Bucket("plain", location="US-CENTRAL1")

    result = estimate(plan_gcp(program), default_catalog(), profile=PROFILES["training-steady"])
    (line,) = [ln for ln in result.lines if ln.resource == "plain"]
    notes = " | ".join(line.assumptions)
    assert "versioning" not in notes
    assert "soft delete: deleted objects stay billed for 7 days (Cloud Storage's default)" in notes


def test_a_managed_lustre_tier_that_does_not_exist_is_the_spec_checks_to_refuse_not_the_size_checks() -> None:
    from types import SimpleNamespace

    from aiinfra.clouds.gcp import PROFILE

    assert managed_lustre_size_problem(36_000, 300) is None, "the size check leaves an unknown tier alone"
    entry = SimpleNamespace(kind="lustre", capacity_gib=36_000, throughput_mbps_per_tib=300)
    (problem,) = PROFILE.storage_problems(entry)
    assert (
        problem.field == "throughputMBpsPerTiB" and "not a Managed Lustre performance tier" in problem.message
    )
