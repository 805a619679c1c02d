"""Every guardrail rule, with its id, title, severity and Checkov ID. `infra check` runs them all; the
CrossGuard pack registers one policy per rule. The order here is the order of `infra check --help`-style
listings and of the pack; reports sort by severity, not by this order."""

from __future__ import annotations

from aiinfra.policy import edge_rules as e
from aiinfra.policy import graph_rules as g
from aiinfra.policy import rules as r
from aiinfra.policy import workload_rules as w
from aiinfra.policy.model import Rule

RULES: tuple[Rule, ...] = (
    # encryption at rest
    Rule(
        "ebs-encrypted",
        "EBS volumes and launch-template / instance disks are encrypted",
        "high",
        "CKV_AWS_3",
        "resource",
        r.ebs_encrypted,
        (r.EBS_VOLUME, r.LAUNCH_TEMPLATE, r.INSTANCE),
    ),
    Rule(
        "fsx-customer-key",
        "Persistent FSx file systems use a customer-managed KMS key",
        "medium",
        None,
        "resource",
        r.fsx_customer_key,
        r.FSX_FILE_SYSTEMS,
    ),
    Rule(
        "s3-encrypted",
        "S3 buckets declare default encryption",
        "medium",
        "CKV_AWS_19",
        "graph",
        g.s3_encrypted,
    ),
    Rule(
        "kms-rotation",
        "Customer-managed KMS keys rotate",
        "medium",
        "CKV_AWS_7",
        "resource",
        r.kms_rotation,
        (r.KMS_KEY,),
    ),
    Rule(
        "eks-secrets-encryption",
        "EKS encrypts Kubernetes secrets with KMS",
        "medium",
        "CKV_AWS_58",
        "resource",
        r.eks_secrets_encryption,
        (r.EKS_CLUSTER,),
    ),
    # network exposure
    Rule(
        "sg-open-admin-ingress",
        "No 0.0.0.0/0 or ::/0 ingress on SSH, RDP or all ports",
        "high",
        "CKV_AWS_24",
        "resource",
        r.sg_open_admin_ingress,
        r.SECURITY_GROUP_TYPES,
    ),
    Rule(
        "sg-open-ingress",
        "No 0.0.0.0/0 or ::/0 ingress on any other port",
        "medium",
        None,
        "resource",
        r.sg_open_ingress,
        r.SECURITY_GROUP_TYPES,
    ),
    Rule(
        "eks-private-endpoint",
        "EKS API endpoint is private or limited to listed CIDRs",
        "high",
        "CKV_AWS_38",
        "resource",
        r.eks_private_endpoint,
        (r.EKS_CLUSTER,),
    ),
    Rule(
        "gke-private-endpoint",
        "GKE clusters are private with a restricted control plane",
        "high",
        "CKV_GCP_25",
        "resource",
        r.gke_private_endpoint,
        (r.GKE_CLUSTER,),
    ),
    Rule(
        "imdsv2-required",
        "Instances require IMDSv2",
        "high",
        "CKV_AWS_79",
        "resource",
        r.imdsv2_required,
        (r.LAUNCH_TEMPLATE, r.INSTANCE),
    ),
    Rule(
        "imds-hop-limit",
        "Instance metadata hop limit is 1",
        "low",
        "CKV_AWS_341",
        "resource",
        r.imds_hop_limit,
        (r.LAUNCH_TEMPLATE, r.INSTANCE),
    ),
    # public data
    Rule(
        "s3-public-access-block",
        "S3 buckets have a public access block with all four settings on",
        "high",
        "CKV2_AWS_6",
        "graph",
        g.s3_public_access_block,
    ),
    Rule(
        "s3-public-grant",
        "No bucket ACL, policy or IAM grant to everyone",
        "high",
        "CKV_AWS_20",
        "resource",
        r.s3_public_grant,
        (*r.S3_BUCKETS, *r.S3_ACLS, r.S3_POLICY, *r.GCS_IAM),
    ),
    Rule(
        "gcs-public-access-prevention",
        "GCS buckets enforce public access prevention",
        "medium",
        "CKV_GCP_114",
        "resource",
        r.gcs_public_access_prevention,
        (r.GCS_BUCKET,),
    ),
    # data safety
    Rule(
        "storage-deletion-protection",
        "Buckets, file systems and volumes carry protect or retainOnDelete",
        "medium",
        None,
        "resource",
        r.storage_deletion_protection,
        r.STORAGE_TYPES,
    ),
    Rule(
        "data-key-deletion-protection",
        "KMS keys that encrypt stored data carry protect or retainOnDelete",
        "medium",
        None,
        "graph",
        g.data_key_deletion_protection,
    ),
    # a cluster a workload can use
    Rule(
        "pool-autoscaler",
        "Node groups that may scale have an autoscaler",
        "medium",
        None,
        "graph",
        w.pool_autoscaler,
    ),
    Rule(
        "storage-reachable",
        "File systems admit a node pool on the Lustre port",
        "high",
        None,
        "graph",
        w.storage_reachable,
    ),
    # carbon and budgets
    Rule(
        "gpu-carbon-intensity",
        "GPU pools run where the grid is under the carbon threshold",
        "low",
        None,
        "graph",
        g.gpu_carbon_intensity,
    ),
    Rule(
        "budget-monthly-cost",
        "Monthly cost within --max-monthly-usd",
        "high",
        None,
        "graph",
        g.budget_monthly_cost,
    ),
    Rule(
        "budget-monthly-co2e",
        "Monthly emissions within --max-monthly-co2e-kg",
        "high",
        None,
        "graph",
        g.budget_monthly_co2e,
    ),
    *e.EDGE_RULES,
)

RULES_BY_ID = {rule.id: rule for rule in RULES}
assert len(RULES_BY_ID) == len(RULES), "rule ids are unique"
