"""The limits a cloud holds a stack spec to, as data (`spec/sanity.py` reads them through a profile's
`limits`): tag and label rules, the names our components derive and how long the cloud lets them be,
quotas worth a warning. Each value cites where it comes from and when it was read."""

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
