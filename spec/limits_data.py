"""Per-cloud limits the spec sanity checks (`spec/sanity.py`) hold a stack spec against: tag and label
rules, the names our components derive and how long the cloud lets them be, quotas worth a warning.

Each number cites where it comes from and when it was read. These values move into the cloud profiles
(`clouds/`) when those land; `sanity.py` only ever reads them through a `Limits`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class NameLimit:
    """A physical name a component makes from the spec's names, and the longest the cloud accepts.

    `template` uses `{cluster}`, `{pool}` and `{storage}`; `suffix` is what Pulumi appends when it
    auto-names the resource (0 when the component sets the name itself)."""

    template: str
    resource: str
    max_len: int
    suffix: int
    source: str
    storage_kind: str | None = None
    """Only for storage entries of this kind (None: for every pool, or once per cluster)."""
    when_interconnect: bool = False
    """Only made when some pool of the cluster sets interconnect (the EFA device plugin)."""
    forbidden_prefixes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Limits:
    cloud: str
    # -- tags on cloud resources (the cluster's `tags:`) ------------------------------------------------
    max_tags: int
    tags_added: int
    """The most tags our components put on one resource themselves; they count against `max_tags`."""
    tag_key_max: int
    tag_value_max: int
    tag_chars: str
    """A regular expression for one allowed character of a tag key or value."""
    tag_chars_text: str
    reserved_tag_prefixes: tuple[str, ...]
    """Refused as key prefixes, compared case-insensitively."""
    own_tag_keys: tuple[str, ...]
    """Keys our components set on every resource (or on most, like Name): a user tag would be overwritten."""
    # -- Kubernetes node labels (`nodePools[].labels`) -----------------------------------------------------
    label_key_max: int | None
    """The managed node-group API's own cap on a whole label key, on top of Kubernetes' rules."""
    label_value_min: int
    # -- names our components derive ----------------------------------------------------------------------
    cluster_names: tuple[str, ...] = ()
    """Resource names a cluster derives (logical Pulumi names, `{cluster}` filled in)."""
    pool_names: tuple[str, ...] = ()
    storage_names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per storage kind."""
    name_limits: tuple[NameLimit, ...] = ()
    # -- quotas (adjustable: a warning, with how to ask for more) ------------------------------------------
    node_groups_per_cluster: int | None = None
    system_node_groups: int = 0
    """Node groups our components add to every cluster besides the spec's pools."""
    nodes_per_node_group: int | None = None
    lustre_gib_quota: int | None = None
    quota_doc: str = ""
    quota_how: str = ""


AUTONAME_SUFFIX = 8
"""pulumi-aws (the Terraform bridge) auto-names a resource `<name>-<7 hex>`: 8 characters more.
https://www.pulumi.com/docs/iac/concepts/resources/names/#autonaming (read 2026-12-04)"""
HELM_AUTONAME_SUFFIX = 9
"""pulumi-kubernetes names a helm.v3.Release `<name>-<8 hex>` (`resource.NewUniqueHex(prefix, 0, 0)`, 8 by
default): https://github.com/pulumi/pulumi-kubernetes/blob/master/provider/pkg/provider/helm_release.go
(`assignNameIfAutonameable`, read 2026-12-04)"""

AWS_TAGS_DOC = "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html"
EKS_QUOTAS_DOC = "https://docs.aws.amazon.com/eks/latest/userguide/service-quotas.html"

AWS = Limits(
    cloud="aws",
    # "Maximum number of tags per resource – 50; key 128, value 256 Unicode characters; letters, numbers,
    # spaces and + - = . _ : / @; the aws: prefix in any case is reserved." AWS_TAGS_DOC and e.g.
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-eks-accessentry-tag.html
    # (read 2026-12-04).
    max_tags=50,
    # Provider default tags aiinfra:cluster and aiinfra:stack (components/aws/gpu_cluster.py
    # regional_provider), plus Name, kubernetes.io/role/elb and kubernetes.io/cluster/<name> on a subnet
    # (components/aws/network.py): at most 5 on one resource.
    tags_added=5,
    tag_key_max=128,
    tag_value_max=256,
    tag_chars=r"[\w .:/=+\-@]",
    tag_chars_text="letters, digits, spaces and _ . : / = + - @",
    reserved_tag_prefixes=("aws:",),
    own_tag_keys=("aiinfra:cluster", "aiinfra:stack", "Name"),
    # EKS CreateNodegroup / UpdateLabelsPayload: "Key Length Constraints: Minimum length of 1. Maximum
    # length of 63. Value Length Constraints: Minimum length of 1. Maximum length of 63."
    # https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateLabelsPayload.html (read 2026-12-04)
    label_key_max=63,
    label_value_min=1,
    # Logical names, as in components/aws/{gpu_cluster,network,eks_cluster,gpu_node_pool,object_bucket,
    # lustre}.py; tests/test_spec_sanity.py plans the example stacks and checks every planned name is here.
    cluster_names=(
        "{cluster}",
        "{cluster}-aws",
        "{cluster}-net",
        "{cluster}-net-vpc",
        "{cluster}-net-igw",
        "{cluster}-net-default-sg",
        "{cluster}-net-public-rt",
        *(
            f"{{cluster}}-net-{side}-{i}{tail}"
            for side in ("public", "private")
            for i in range(3)
            for tail in ("", "-rta", "-rt")
        ),
        *(f"{{cluster}}-net-nat-{i}{tail}" for i in range(3) for tail in ("", "-eip")),
        "{cluster}-net-efa-sg",
        "{cluster}-net-efa-in-self",
        "{cluster}-net-efa-out-self",
        "{cluster}-secrets-key",
        "{cluster}-cluster-role",
        "{cluster}-cluster-AmazonEKSClusterPolicy",
        "{cluster}-eks",
        "{cluster}-node-role",
        "{cluster}-node-AmazonEKSWorkerNodePolicy",
        "{cluster}-node-AmazonEC2ContainerRegistryPullOnly",
        "{cluster}-vpc-cni-role",
        "{cluster}-vpc-cni-policy",
        "{cluster}-eks-pod-identity-agent",
        "{cluster}-vpc-cni",
        "{cluster}-kube-proxy",
        "{cluster}-system-lt",
        "{cluster}-system",
        "{cluster}-coredns",
        "{cluster}-k8s",
        "{cluster}-nvidia-device-plugin",
        "{cluster}-aws-efa-k8s-device-plugin",
    ),
    pool_names=(
        "{cluster}-{pool}",
        "{cluster}-{pool}-pg",
        "{cluster}-{pool}-lt",
        "{cluster}-{pool}-nodes",
    ),
    storage_names={
        "object": (
            "{cluster}-{storage}",
            "{cluster}-{storage}-key",
            "{cluster}-{storage}-bucket",
            "{cluster}-{storage}-sse",
            "{cluster}-{storage}-versioning",
            "{cluster}-{storage}-public-access-block",
            "{cluster}-{storage}-ownership",
            "{cluster}-{storage}-tls-only",
        ),
        "lustre": (
            "{cluster}-{storage}",
            "{cluster}-{storage}-sg",
            *(
                f"{{cluster}}-{{storage}}-{rule}-{port}"
                for rule in ("in-nodes", "in-self", "out-self")
                for port in (988, 1018)
            ),
            "{cluster}-{storage}-key",
            "{cluster}-{storage}-fs",
            "{cluster}-{storage}-dra",
        ),
    },
    # Only resources whose physical name comes from the logical name (auto-named) and whose cloud limit a
    # 24-character spec name can reach; VPCs, subnets, KMS keys, FSx file systems have no name (a Name tag,
    # 256 characters, at most 49 here).
    name_limits=(
        NameLimit(
            "{cluster}-{storage}-bucket",
            "S3 bucket",
            63,
            AUTONAME_SUFFIX,
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html (read 2026-12-04)",
            storage_kind="object",
            # "Bucket names must not start with the prefix xn--, sthree- or amzn-s3-demo-" (same page).
            forbidden_prefixes=("xn--", "sthree-", "amzn-s3-demo-"),
        ),
        NameLimit(
            "{cluster}-{pool}-nodes",
            "EKS managed node group",
            63,
            AUTONAME_SUFFIX,
            "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html (read 2026-12-04)",
        ),
        NameLimit(
            "{cluster}-eks",
            "EKS cluster",
            100,
            AUTONAME_SUFFIX,
            "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html (read 2026-12-04)",
        ),
        NameLimit(
            "{cluster}-vpc-cni-role",
            "IAM role",
            64,
            AUTONAME_SUFFIX,
            "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (read 2026-12-04)",
        ),
        NameLimit(
            "{cluster}-{pool}-lt",
            "EC2 launch template",
            128,
            AUTONAME_SUFFIX,
            "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html"
            " (read 2026-12-04)",
        ),
        NameLimit(
            "{cluster}-{pool}-pg",
            "EC2 placement group",
            255,
            AUTONAME_SUFFIX,
            "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreatePlacementGroup.html"
            " (read 2026-12-04)",
        ),
        # Helm: "release name ... the length must not be longer than 53" (helm/pkg/chartutil validate_name.go;
        # https://helm.sh/docs/chart_template_guide/getting_started/, read 2026-12-04).
        NameLimit(
            "{cluster}-aws-efa-k8s-device-plugin",
            "Helm release (EFA device plugin)",
            53,
            HELM_AUTONAME_SUFFIX,
            "https://helm.sh/docs/chart_template_guide/getting_started/ (read 2026-12-04)",
            when_interconnect=True,
        ),
        NameLimit(
            "{cluster}-nvidia-device-plugin",
            "Helm release (NVIDIA device plugin)",
            53,
            HELM_AUTONAME_SUFFIX,
            "https://helm.sh/docs/chart_template_guide/getting_started/ (read 2026-12-04)",
        ),
    ),
    # EKS service quotas: "Managed node groups per cluster" 30 and "Nodes per managed node group" 450,
    # both adjustable (EKS_QUOTAS_DOC, read 2026-12-04). Our components add one system node group.
    node_groups_per_cluster=30,
    system_node_groups=1,
    nodes_per_node_group=450,
    # FSx for Lustre: default quota on Lustre storage capacity per account and region, 100,800 GiB
    # (adjustable): https://docs.aws.amazon.com/fsx/latest/LustreGuide/limits.html (read 2026-12-04).
    lustre_gib_quota=100_800,
    quota_doc=EKS_QUOTAS_DOC,
    quota_how="ask for more in the Service Quotas console (or `aws service-quotas request-service-quota-increase`)",
)

# GCP: "Each resource can have up to 64 labels; keys and values at most 63 characters; lowercase letters,
# numeric characters, underscores and dashes (international characters allowed); keys start with a
# lowercase letter." https://cloud.google.com/compute/docs/labeling-resources#requirements (read 2026-12-04)
GCP = Limits(
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

# Azure: "Each resource can have a maximum of 50 tag name/value pairs; tag names are limited to 512 characters
# (128 for storage accounts), values to 256; tag names can't contain < > % & \ ? /."
# https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations
# (read 2026-12-04). 128 is used for keys: a cluster's storage accounts get the same tags.
AZURE = Limits(
    cloud="azure",
    max_tags=50,
    tags_added=2,
    tag_key_max=128,
    tag_value_max=256,
    tag_chars=r"[^<>%&\\?/]",
    tag_chars_text="any character except < > % & \\ ? /",
    reserved_tag_prefixes=(),
    own_tag_keys=(),
    label_key_max=None,
    label_value_min=0,
)

BY_CLOUD: dict[str, Limits] = {"aws": AWS, "gcp": GCP, "azure": AZURE}
