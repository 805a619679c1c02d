"""GcsBucket: a Cloud Storage bucket for datasets and checkpoints, in the cluster's region.

Regional (next to the GPUs: no cross-region transfer, the GCS FUSE CSI driver reads it at zone-local
latency), uniform bucket-level access (IAM only, no object ACLs), public access prevention enforced,
versioned with soft delete, and a lifecycle rule that removes noncurrent versions after a while so
versioning does not grow the bill without bound. Encrypted at rest by Google; with a Cloud KMS key
(CMEK) when one is given, after granting the project's Cloud Storage service agent use of it. Never
force-destroyed; protected and retained on delete unless `protect` is off.

Hierarchical namespace (faster checkpoint renames) is not turned on: versioning is, and Google's overview
lists Object Versioning among what HNS buckets do not support (https://cloud.google.com/storage/docs/
hns-overview; recalled, not re-read on 2026-12-04).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_gcp as gcp

TYPE = "aiinfra:gcp:GcsBucket"
SOFT_DELETE_SECONDS = 7 * 24 * 3600
"""Cloud Storage's default soft-delete window (604800 s; the API takes 7 to 90 days, or 0 for off)."""
NONCURRENT_DAYS = 30
"""Noncurrent (overwritten or deleted) versions are deleted this many days after they became noncurrent."""
NEWER_VERSIONS_KEPT = 3
"""...or as soon as this many newer versions of the object exist."""
ABORT_UPLOADS_DAYS = 7
"""Incomplete multipart uploads (interrupted checkpoint writes) are aborted after this many days."""
KMS_ROLE = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
BUCKET_NAME_MAX = 63


@dataclass
class GcsBucketArgs:
    project: str
    location: str
    """The cluster's region (us-central1): a regional bucket next to the GPUs."""
    protect: bool = True
    kms_key_name: pulumi.Input[str] | None = None
    """projects/P/locations/L/keyRings/R/cryptoKeys/K for CMEK; None for Google-managed encryption."""
    depends_on: list[pulumi.Resource] = field(default_factory=list)
    """What the bucket waits for (the Cloud Storage API's enablement)."""
    soft_delete_seconds: int = SOFT_DELETE_SECONDS
    noncurrent_days: int = NONCURRENT_DAYS
    labels: Mapping[str, str] = field(default_factory=dict)


def bucket_name(project: str, name: str) -> str:
    """A deterministic, globally unique bucket name: the project ID (itself globally unique) and the
    component's name, in Cloud Storage's rules (3-63 lower-case letters, digits, '-'; no "goog" prefix,
    no "google"; https://cloud.google.com/storage/docs/buckets#naming)."""
    full = re.sub(r"[^a-z0-9-]+", "-", f"{project}-{name}".lower()).strip("-")
    if len(full) > BUCKET_NAME_MAX:
        digest = hashlib.sha256(full.encode()).hexdigest()[:8]
        full = f"{full[: BUCKET_NAME_MAX - 9].rstrip('-')}-{digest}"
    return full


def storage_service_agent(project_number: str) -> str:
    """The Cloud Storage service agent of a project, which encrypts objects with the bucket's CMEK key."""
    return f"serviceAccount:service-{project_number}@gs-project-accounts.iam.gserviceaccount.com"


def lifecycle_rules(noncurrent_days: int) -> list[gcp.storage.BucketLifecycleRuleArgs]:
    """Delete noncurrent versions after `noncurrent_days` or once NEWER_VERSIONS_KEPT newer ones exist;
    abort multipart uploads left incomplete for ABORT_UPLOADS_DAYS."""
    delete = gcp.storage.BucketLifecycleRuleActionArgs(type="Delete")
    return [
        gcp.storage.BucketLifecycleRuleArgs(
            action=delete,
            condition=gcp.storage.BucketLifecycleRuleConditionArgs(
                with_state="ARCHIVED", days_since_noncurrent_time=noncurrent_days
            ),
        ),
        gcp.storage.BucketLifecycleRuleArgs(
            action=delete,
            condition=gcp.storage.BucketLifecycleRuleConditionArgs(
                with_state="ARCHIVED", num_newer_versions=NEWER_VERSIONS_KEPT
            ),
        ),
        gcp.storage.BucketLifecycleRuleArgs(
            action=gcp.storage.BucketLifecycleRuleActionArgs(type="AbortIncompleteMultipartUpload"),
            condition=gcp.storage.BucketLifecycleRuleConditionArgs(age=ABORT_UPLOADS_DAYS),
        ),
    ]


class GcsBucket(pulumi.ComponentResource):
    bucket_name: pulumi.Output[str]
    url: pulumi.Output[str]
    """gs://NAME"""

    def __init__(self, name: str, args: GcsBucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        depends_on: list[pulumi.Resource] = list(args.depends_on)
        encryption = None
        if args.kms_key_name is not None:
            project = gcp.organizations.get_project_output(project_id=args.project)
            grant = gcp.kms.CryptoKeyIAMMember(
                f"{name}-storage-agent-key",
                crypto_key_id=args.kms_key_name,
                role=KMS_ROLE,
                member=project.number.apply(storage_service_agent),
                opts=pulumi.ResourceOptions(parent=self),
            )
            depends_on.append(grant)
            encryption = gcp.storage.BucketEncryptionArgs(default_kms_key_name=args.kms_key_name)

        bucket = gcp.storage.Bucket(
            f"{name}-bucket",
            name=bucket_name(args.project, name),
            project=args.project,
            location=args.location.upper(),
            storage_class="STANDARD",
            uniform_bucket_level_access=True,
            public_access_prevention="enforced",
            versioning=gcp.storage.BucketVersioningArgs(enabled=True),
            soft_delete_policy=gcp.storage.BucketSoftDeletePolicyArgs(
                retention_duration_seconds=args.soft_delete_seconds
            ),
            lifecycle_rules=lifecycle_rules(args.noncurrent_days),
            encryption=encryption,
            force_destroy=False,
            labels=dict(args.labels),
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=args.protect,
                retain_on_delete=args.protect,
                depends_on=depends_on,
            ),
        )
        self.bucket_name = bucket.name
        self.url = pulumi.Output.concat("gs://", bucket.name)
        self.register_outputs({"bucketName": self.bucket_name, "url": self.url})
