"""Graph rules: checks that need more than one resource — a bucket and the separate resources that encrypt
and close it, a KMS key and the storage it guards, a GPU pool and the grid of its region, the monthly
estimate against a budget. Plain functions `(graph, options) -> list[Violation]`.

Finding a bucket's companions: offline plans give IDs as `<name>-id`, a deployed stack gives the bucket's
name or ID, a preview may give neither (unknown until created). A companion is matched by its `bucket`
input first; when that names no bucket of the graph, by being the only bucket's sibling under one
component (how aiinfra's ObjectBucket, and most components, keep them)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from aiinfra.engine.graph import STACK_TYPE, PlannedResource, ResourceGraph
from aiinfra.policy.model import CheckOptions, Violation
from aiinfra.policy.rules import EBS_VOLUME, FSX_FILE_SYSTEMS, KMS_KEY, S3_BUCKETS
from aiinfra.policy.values import dig, flag, is_unknown, items

if TYPE_CHECKING:
    from aiinfra.estimate.budget import Metric

SSE_CONFIGS = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
)
PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
ACCOUNT_PUBLIC_ACCESS_BLOCK = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
PAB_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def _stack_violation(graph: ResourceGraph, rule_id: str, message: str, fix: str) -> Violation:
    return Violation(rule_id, "high", graph.stack, STACK_TYPE, message, fix, None, None)


def _bucket_ids(b: PlannedResource) -> set[str]:
    ids = {b.name, f"{b.name}-id", *([b.id] if b.id else [])}
    for key in ("bucket", "id"):
        value = b.inputs.get(key)
        if isinstance(value, str) and not is_unknown(value):
            ids.add(value)
    return ids


def companions(graph: ResourceGraph, types: Iterable[str]) -> dict[str, list[PlannedResource]]:
    """Bucket URN → the resources of `types` that configure it (see the module docstring for matching)."""
    wanted = set(types)
    buckets = [r for r in graph.resources if r.type in S3_BUCKETS]
    by_id = {i: b for b in buckets for i in _bucket_ids(b)}
    out: dict[str, list[PlannedResource]] = {b.urn: [] for b in buckets}
    for r in graph.resources:
        if r.type not in wanted:
            continue
        ref = r.inputs.get("bucket")
        target = by_id.get(ref) if isinstance(ref, str) else None
        if target is None:
            siblings = [b for b in buckets if b.parent == r.parent]
            target = siblings[0] if len(siblings) == 1 else None
        if target is not None:
            out[target.urn].append(r)
    return out


def s3_encrypted(graph: ResourceGraph, _options: CheckOptions) -> list[Violation]:
    """Every S3 bucket declares default encryption: an SSE configuration resource or the bucket's own
    `serverSideEncryptionConfiguration`. S3 applies SSE-S3 to new objects anyway since 2023, but only a
    declared configuration says which key, and lets a KMS key of your own be required."""
    found = companions(graph, SSE_CONFIGS)
    out = []
    for b in graph.resources:
        if b.type not in S3_BUCKETS or b.inputs.get("serverSideEncryptionConfiguration") or found[b.urn]:
            continue
        out.append(
            Violation(
                "s3-encrypted",
                "medium",
                b.name,
                b.type,
                f"S3 bucket {b.name} declares no default encryption (no server-side encryption configuration).",
                "Add an `aws.s3.BucketServerSideEncryptionConfiguration` for the bucket with `sseAlgorithm: "
                "aws:kms` and a customer-managed key (aiinfra's ObjectBucket does).",
                "CKV_AWS_19",
                b.urn,
            )
        )
    return out


def _blocks_all(r: PlannedResource) -> bool:
    return all(flag(r.inputs.get(k)) is True or is_unknown(r.inputs.get(k)) for k in PAB_FLAGS)


def s3_public_access_block(graph: ResourceGraph, _options: CheckOptions) -> list[Violation]:
    """Every S3 bucket has a public access block with all four settings on (or the account has one):
    the one setting that keeps a later ACL or policy from making the data public."""
    if any(r.type == ACCOUNT_PUBLIC_ACCESS_BLOCK and _blocks_all(r) for r in graph.resources):
        return []
    found = companions(graph, [PUBLIC_ACCESS_BLOCK])
    out = []
    for b in graph.resources:
        if b.type not in S3_BUCKETS:
            continue
        blocks = found[b.urn]
        if any(_blocks_all(p) for p in blocks):
            continue
        off = sorted({k for p in blocks for k in PAB_FLAGS if flag(p.inputs.get(k)) is not True})
        why = (
            f"its public access block leaves {', '.join(off)} off"
            if blocks
            else "it has no public access block"
        )
        out.append(
            Violation(
                "s3-public-access-block",
                "high",
                b.name,
                b.type,
                f"S3 bucket {b.name} can be made public: {why}.",
                "Add an `aws.s3.BucketPublicAccessBlock` with blockPublicAcls, blockPublicPolicy, "
                "ignorePublicAcls and restrictPublicBuckets all true.",
                "CKV2_AWS_6",
                b.urn,
            )
        )
    return out


DATA_STORAGE = (*FSX_FILE_SYSTEMS, EBS_VOLUME, *SSE_CONFIGS, *S3_BUCKETS)
"""Resources that hold data or encrypt it: a KMS key they name, or sit beside, guards data."""


def _key_refs(r: PlannedResource) -> list[str]:
    """The KMS key references of a storage resource (a file system's or volume's `kmsKeyId`, a bucket
    encryption rule's `kmsMasterKeyId`), known ones only."""
    if r.type in SSE_CONFIGS:
        refs = [
            dig(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId")
            for rule in items(r.inputs.get("rules"))
        ]
    else:
        refs = [r.inputs.get("kmsKeyId")]
    return [x for x in refs if isinstance(x, str) and x and not is_unknown(x)]


def data_keys(graph: ResourceGraph) -> list[PlannedResource]:
    """KMS keys that encrypt stored data: named by a file system's, volume's or bucket encryption's key
    input (an ARN or ID ending in the key's name or `<name>-id`), or — when the reference is unknown, as in
    a preview — the sibling of such storage under one component."""
    keys = [r for r in graph.resources if r.type == KMS_KEY]
    storage = [r for r in graph.resources if r.type in DATA_STORAGE]
    refs = [ref for r in storage for ref in _key_refs(r)]
    out = []
    for k in keys:
        names = (k.name, f"{k.name}-id", *([k.id] if k.id else []))
        named = any(ref == n or ref.endswith(f"/{n}") or ref.endswith(f":{n}") for ref in refs for n in names)
        sibling = any(s.parent == k.parent and s.parent is not None for s in storage)
        if named or sibling:
            out.append(k)
    return out


def data_key_deletion_protection(graph: ResourceGraph, _options: CheckOptions) -> list[Violation]:
    """A KMS key that encrypts stored data carries `protect` or `retain_on_delete`: deleting the key makes
    the data unreadable even when the bucket or file system is kept."""
    return [
        Violation(
            "data-key-deletion-protection",
            "medium",
            k.name,
            k.type,
            f"KMS key {k.name} encrypts stored data but has neither `protect` nor `retainOnDelete`.",
            "Pass `opts=ResourceOptions(protect=True, retain_on_delete=True)` on the key, as on the data.",
            None,
            k.urn,
        )
        for k in data_keys(graph)
        if not (k.protect or k.retain_on_delete)
    ]


def gpu_carbon_intensity(graph: ResourceGraph, options: CheckOptions) -> list[Violation]:
    """A GPU pool runs where the grid is cleaner than the threshold (default 450 gCO2e/kWh, location-based,
    from the catalog). A GPU draws the same energy everywhere; where it draws it sets its emissions, often
    by 2× or more. Reported low: it is a choice, not a fault; the fix names cleaner regions that sell it."""
    from aiinfra.catalog import CatalogLookupError
    from aiinfra.estimate.context import Context
    from aiinfra.estimate.machines import known_machines
    from aiinfra.estimate.usage import PROFILES

    catalog = options.get_catalog()
    ctx = Context(catalog, graph, PROFILES["training-steady"])  # only for where a resource lives
    threshold = Decimal(str(options.carbon_threshold_g_per_kwh))
    out = []
    for m in known_machines(graph, ctx):  # the machines the estimate prices, from the same extractors
        r, cloud, region, types = m.resource, m.cloud, m.region, m.types
        grid = catalog.grid(cloud, region) if region else None
        if grid is None or grid.location_g_per_kwh <= threshold:
            continue
        for name in types:
            try:
                t = catalog.instance_type(name, cloud=cloud)
            except CatalogLookupError:
                continue
            if not t.accelerator or t.accelerator_count <= 0:
                continue
            cleaner = sorted(
                (g.location_g_per_kwh, o.region)
                for o in catalog.offers(instance_type=t.name, cloud=cloud)
                if (g := catalog.grid(cloud, o.region)) is not None and g.location_g_per_kwh <= threshold
            )[:3]
            where = ", ".join(f"{reg} ({float(g):.0f} gCO2e/kWh)" for g, reg in cleaner)
            fix = (
                f"Run the pool in a cleaner region that offers {t.name}: {where}."
                if cleaner
                else f"No region in the catalog offers {t.name} under the threshold; raise --carbon-threshold "
                "if this region is a deliberate choice."
            )
            out.append(
                Violation(
                    "gpu-carbon-intensity",
                    "low",
                    r.name,
                    r.type,
                    f"GPU pool {r.name} ({t.name}, {t.accelerator_count} × {t.accelerator}) runs in {region}, "
                    f"whose grid emits {float(grid.location_g_per_kwh):.0f} gCO2e/kWh (threshold "
                    f"{float(threshold):.0f}).",
                    fix,
                    None,
                    r.urn,
                )
            )
    return out


def _estimate(graph: ResourceGraph, options: CheckOptions) -> Any:
    if options.estimate is None:
        from aiinfra.estimate import estimate

        options.estimate = estimate(graph, options.get_catalog())
    return options.estimate


def _budget(graph: ResourceGraph, options: CheckOptions, metric: Metric, most: float | None) -> Any:
    from aiinfra.estimate.budget import breach

    if most is None:
        return None
    return breach(_estimate(graph, options), metric, Decimal(str(most)))


def budget_monthly_cost(graph: ResourceGraph, options: CheckOptions) -> list[Violation]:
    """The monthly cost of the estimate stays within `max_monthly_usd`, when one is given. Unpriced lines
    make the total a lower bound; the message says so (a lower bound above the budget is still above it)."""
    over = _budget(graph, options, "cost", options.max_monthly_usd)
    if over is None:
        return []
    return [
        _stack_violation(
            graph,
            "budget-monthly-cost",
            f"{over.describe()} above the budget of ${over.limit_text()}.",
            "Shrink or schedule the largest pools (`infra estimate` lists them), use spot or reserved "
            f"capacity, or raise {options.usd_limit_from}.",
        )
    ]


def budget_monthly_co2e(graph: ResourceGraph, options: CheckOptions) -> list[Violation]:
    """The monthly emissions of the estimate stay within `max_monthly_co2e_kg`, when one is given."""
    over = _budget(graph, options, "co2e", options.max_monthly_co2e_kg)
    if over is None:
        return []
    return [
        _stack_violation(
            graph,
            "budget-monthly-co2e",
            f"{over.describe()} above the budget of {over.limit_text()} kg.",
            "Move GPU pools to a cleaner grid (`infra catalog gpus` shows gCO2e/kWh per region), cut "
            f"idle hours, or raise {options.co2e_limit_from}.",
        )
    ]
