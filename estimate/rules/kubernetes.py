"""Kubernetes objects that make the cloud create something billed outside the Pulumi graph: a Service of
type LoadBalancer (the cloud controller creates a load balancer) and a PersistentVolumeClaim provisioned
dynamically by a storage class (the CSI driver creates a disk). Both are *unpriced* with the reason: what
they cost depends on the cluster's controllers and storage classes, which the graph does not show. Every
other Kubernetes object runs on the cluster's nodes, which are priced, so it is free
(`estimator.FREE_PACKAGES`)."""

from __future__ import annotations

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import as_dict, unpriced
from aiinfra.estimate.model import Charge, Free
from aiinfra.estimate.registry import rule

SERVICE = "kubernetes:core/v1:Service"
CLAIM = "kubernetes:core/v1:PersistentVolumeClaim"


@rule(SERVICE)
def service(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    kind = as_dict(r.inputs.get("spec")).get("type")
    if kind != "LoadBalancer":
        return Free(f"Kubernetes Service ({kind or 'ClusterIP'}): no cloud resource, no charge")
    return [
        unpriced(
            f"load balancer for Service {r.name}",
            "hours",
            "the cluster's cloud controller creates this load balancer outside Pulumi; its kind (NLB, "
            "ALB, GCP or Azure load balancer) and hours are not in the graph",
        )
    ]


@rule(CLAIM)
def claim(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    spec = as_dict(r.inputs.get("spec"))
    if spec.get("volumeName") or spec.get("storageClassName") == "":
        return Free("PersistentVolumeClaim bound to a pre-provisioned volume: the volume's storage is priced")
    size = as_dict(as_dict(spec.get("resources")).get("requests")).get("storage", "?")
    return [
        unpriced(
            f"volume for claim {r.name} ({size})",
            "GiB-month",
            f"provisioned by storage class {spec.get('storageClassName') or '(the cluster default)'}: the "
            "disk type it creates is the class's, which the graph does not show",
        )
    ]
