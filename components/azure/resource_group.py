"""The resource group a cluster lives in: one per cluster, its name derived from the stack and the cluster
(deterministic, so `az` commands and other stacks can find it), tagged like everything in it."""

from __future__ import annotations

import re

import pulumi
import pulumi_azure_native as azure

# "Resource group names: 1-90 characters; alphanumerics, underscores, parentheses, hyphens, periods (not at
# the end)" (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules, read 2026-12-04).
RESOURCE_GROUP_MAX = 90


def resource_group_name(stack: str, cluster: str) -> str:
    """`aiinfra-<stack>-<cluster>`, with what Azure does not take in a group name replaced by '-'."""
    name = re.sub(r"[^\w.()-]", "-", f"aiinfra-{stack}-{cluster}")[:RESOURCE_GROUP_MAX]
    return name.rstrip(".")


def cluster_tags(spec_tags: dict[str, str], cluster: str, stack: str) -> dict[str, str]:
    """The spec's tags plus the two every cluster resource carries (counted in LIMITS.tags_added)."""
    return {**spec_tags, "aiinfra:cluster": cluster, "aiinfra:stack": stack}


def create_resource_group(
    name: str, *, location: str, tags: dict[str, str], opts: pulumi.ResourceOptions
) -> azure.resources.ResourceGroup:
    """The cluster's resource group (`name` is the cluster's)."""
    return azure.resources.ResourceGroup(
        f"{name}-rg",
        resource_group_name=resource_group_name(pulumi.get_stack(), name),
        location=location,
        tags=tags,
        opts=opts,
    )
