"""What every cloud's cluster component hands back to the stack, whatever the cloud: the stack exports it
under the cluster's name. No Pulumi import (the values are Pulumi Outputs, typed loosely here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ClusterOutputs:
    cloud: str
    region: str
    cluster_name: Any
    """The Kubernetes cluster's name (an Output)."""
    interconnect_zone: Any
    """The zone the interconnect pools and the parallel file systems live in (an Output)."""
    component: Any
    """The cluster's ComponentResource, for callers that compose with its parts."""

    def export(self) -> dict[str, Any]:
        """The stack output of this cluster (keys as `pulumi stack output` shows them)."""
        return {
            "cloud": self.cloud,
            "region": self.region,
            "clusterName": self.cluster_name,
            "interconnectZone": self.interconnect_zone,
        }


@dataclass(frozen=True)
class EdgeOutputs:
    """What every cloud's edge-site component hands back; the stack exports them under `edgeSites`."""

    cloud: str
    kind: str
    """The spec's EdgeKind (local-zone, wavelength, outpost, distributed-cloud, extended-zone)."""
    location: str
    region: str
    """The parent region of the location."""
    cluster_name: Any
    """The Kubernetes cluster the site's nodes are in (the regional one they join, or the site's own)."""
    node_pool_name: Any
    component: Any

    def export(self) -> dict[str, Any]:
        return {
            "cloud": self.cloud,
            "kind": self.kind,
            "location": self.location,
            "region": self.region,
            "clusterName": self.cluster_name,
            "nodePool": self.node_pool_name,
        }
