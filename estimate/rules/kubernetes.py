"""Kubernetes objects that make the cloud create something billed outside the Pulumi graph: a Service of
type LoadBalancer (the cloud controller creates a load balancer), an Ingress whose class's controller makes
a cloud load balancer (alb, gce, or no class: the cluster's default), and a PersistentVolumeClaim provisioned
dynamically by a storage class (the CSI driver creates a disk). Each is *unpriced* with the reason: what
they cost depends on the cluster's controllers and storage classes, which the graph does not show. Every
other Kubernetes object runs on the cluster's nodes, which are priced, so it is free
(`estimator.FREE_PACKAGES`).

A Helm chart (a v3 Release, a v3 or v4 Chart that an offline plan does not render) is a black box: Helm
renders its objects at deploy time, and a LoadBalancer Service or a claim among them is billed. A chart
known to create only in-cluster objects (IN_CLUSTER_CHARTS) is free; any other is *unpriced* by name, so a
total with it reads "≥" instead of a silent $0 (pulumi/examples kubernetes-py-helm-release-wordpress: the
wordpress chart's two volumes)."""

from __future__ import annotations

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import as_dict, unpriced
from aiinfra.estimate.model import Charge, Free
from aiinfra.estimate.registry import rule

SERVICE = "kubernetes:core/v1:Service"
CLAIM = "kubernetes:core/v1:PersistentVolumeClaim"
HELM = ("kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v3:Chart", "kubernetes:helm.sh/v4:Chart")

IN_CLUSTER_CHARTS = frozenset(
    {
        "nvidia-device-plugin",  # DaemonSets, ConfigMap, RBAC: NVIDIA/k8s-device-plugin deployments/helm
        "dcgm-exporter",  # service.type ClusterIP: NVIDIA/dcgm-exporter deployment/values.yaml
        "kueue",  # ClusterIP webhook and metrics Services: kubernetes-sigs/kueue charts/kueue/values.yaml
        "cluster-autoscaler",  # service.type ClusterIP: kubernetes/autoscaler charts/cluster-autoscaler
        "gpu-operator",  # operator, ClusterPolicy, NFD, RBAC: NVIDIA/gpu-operator deployments/gpu-operator
        "network-operator",  # operator, NicClusterPolicy, hooks: Mellanox/network-operator deployment/
        "aws-efa-k8s-device-plugin",  # one DaemonSet: aws/eks-charts stable/aws-efa-k8s-device-plugin
        # the controller, its ClusterIP webhook Service, RBAC, IngressClass, webhooks: aws/eks-charts
        # stable/aws-load-balancer-controller/templates; the load balancers it makes are for Ingresses and
        # LoadBalancer Services declared elsewhere, each a line of its own
        "aws-load-balancer-controller",
    }
)
"""Charts whose objects are Deployments, DaemonSets, ClusterIP Services, CRDs and RBAC only: no load
balancer, no volume (their chart templates and values.yaml defaults, read 2026-12-05). A release of one
that sets a Service's type to LoadBalancer in its values is not free."""


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


INGRESS = (
    "kubernetes:networking.k8s.io/v1:Ingress",
    "kubernetes:networking.k8s.io/v1beta1:Ingress",
    "kubernetes:extensions/v1beta1:Ingress",
)
CLOUD_INGRESS_CLASSES = frozenset({"alb", "gce", "gce-internal", "azure-application-gateway"})
"""Ingress classes whose controller makes a cloud load balancer per Ingress (or group): the AWS Load
Balancer Controller (`alb`), GKE's built-in controller (`gce`, `gce-internal`), Azure's Application Gateway
Ingress Controller. Any other named class (nginx, traefik, haproxy, ...) is served by a controller running
in the cluster, behind its own Service (a LoadBalancer Service is a line of its own)."""

INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class"


@rule(*INGRESS)
def ingress(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """An Ingress costs what its class's controller makes for it: a cloud load balancer for a cloud class,
    nothing more for an in-cluster controller; with no class, the cluster's default class decides."""
    spec = as_dict(r.inputs.get("spec"))
    annotations = as_dict(as_dict(r.inputs.get("metadata")).get("annotations"))
    given = spec.get("ingressClassName") or annotations.get(INGRESS_CLASS_ANNOTATION)
    kind = given.strip().lower() if isinstance(given, str) else ""
    if kind and kind not in CLOUD_INGRESS_CLASSES:
        return Free(
            f"Kubernetes Ingress of class {kind}: served by a controller in the cluster (its Service, if of "
            "type LoadBalancer, is priced where it is declared)"
        )
    why = (
        f"its class {kind} makes a cloud load balancer for it outside Pulumi"
        if kind
        else "it names no ingress class: the cluster's default one decides (GKE's built-in controller and the "
        "AWS Load Balancer Controller make a cloud load balancer, an in-cluster controller does not)"
    )
    return [
        unpriced(
            f"load balancer for Ingress {r.name}",
            "hours",
            f"{why}; its kind, rules and hours are not in the graph",
        )
    ]


@rule(*HELM)
def helm_chart(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    chart = str(r.inputs.get("chart") or r.name)
    name = chart.rstrip("/").rsplit("/", 1)[-1]
    if name in IN_CLUSTER_CHARTS and not _asks_for_load_balancer(r.inputs.get("values")):
        return Free("Kubernetes object: runs on the cluster's nodes, which are priced")
    return [
        unpriced(
            f"objects of Helm chart {chart}",
            "chart",
            "Helm renders this chart's objects when it is deployed, outside the offline plan: a LoadBalancer "
            "Service or a PersistentVolumeClaim among them is billed, and which it has is not in the graph "
            "(a preview or stack export of the program, given with --from, lists them)",
        )
    ]


def _asks_for_load_balancer(values: object) -> bool:
    """True when the values set some `type: LoadBalancer` (a Service the chart would expose that way)."""
    if isinstance(values, dict):
        return values.get("type") == "LoadBalancer" or any(
            _asks_for_load_balancer(v) for v in values.values()
        )
    if isinstance(values, list):
        return any(_asks_for_load_balancer(v) for v in values)
    return False
