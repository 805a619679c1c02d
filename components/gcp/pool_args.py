"""GkeNodePoolArgs: what every aiinfra GKE node pool needs, GPU or TPU (the pool components add their own)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi

from aiinfra.catalog import InstanceType


@dataclass
class GkeNodePoolArgs:
    project: str
    cluster_id: pulumi.Input[str]
    location: str
    """The cluster's location (its zone or region)."""
    zone: str
    """The one zone the pool's nodes live in."""
    instance_type: InstanceType
    service_account: pulumi.Input[str]
    min_nodes: int
    desired_nodes: int
    max_nodes: int
    capacity: str = "on-demand"
    reservation: str | None = None
    disk_gib: int = 500
    labels: dict[str, str] = field(default_factory=dict)
    pool_name: str | None = None
    """The GKE node pool's own name (at most 40 characters, unique in the cluster): the spec's pool name.
    None: auto-named."""
