"""A yaml/v2 ConfigGroup or ConfigFile (a remote component of the Kubernetes provider) has its manifest
objects planned as its children, as the provider registers them, so a LoadBalancer Service or a claim in
the files is unpriced by name instead of vanishing inside a free component. pulumi/docs
aws-eks-k8s-configgroup-python (a guestbook LoadBalancer Service in yaml/*.yaml) came back before as the
EKS cluster alone, with no unpriced line."""

from __future__ import annotations

from pathlib import Path

from aiinfra.catalog import default_catalog
from aiinfra.engine.manifests import child_name, manifest_objects, type_token
from aiinfra.engine.program import plan_directory
from aiinfra.estimate import estimate

MAIN = '''\
import pulumi
from pulumi_kubernetes.yaml.v2 import ConfigFile, ConfigGroup

ConfigGroup("app", files=["manifests/*.yaml", "https://example.com/remote.yaml"])
ConfigFile("single", file="extra.yaml", resource_prefix="")
class Pinned(pulumi.ComponentResource):
    def __init__(self, name):
        super().__init__("aiinfra:test:Pinned", name)
        ConfigFile(f"{name}-plugin", file="https://example.com/daemonset.yaml", opts=pulumi.ResourceOptions(parent=self))


Pinned("ours")
ConfigGroup("inline", yaml="""
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec: {replicas: 2}
""", objs=[{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}}])
'''

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: frontend
spec:
  type: LoadBalancer
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata:
  name: backend
spec:
  ports: [{port: 8080}]
"""

CLAIM = """\
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: PersistentVolumeClaim
    metadata: {name: data}
    spec: {resources: {requests: {storage: 20Gi}}}
"""


def _program(tmp_path: Path) -> Path:
    directory = tmp_path / "p"
    (directory / "manifests").mkdir(parents=True)
    (directory / "Pulumi.yaml").write_text("name: manifests\nruntime: python\n")
    (directory / "__main__.py").write_text(MAIN)
    (directory / "manifests" / "services.yaml").write_text(SERVICE)
    (directory / "extra.yaml").write_text(CLAIM)
    return directory


def test_yaml_v2_objects_are_planned_as_children_and_priced_by_their_rules(tmp_path: Path) -> None:
    graph = plan_directory(_program(tmp_path), stack="dev")
    by_name = {r.name: r for r in graph.resources}
    app, single, inline = by_name["app"], by_name["single"], by_name["inline"]
    assert (app.type, single.type) == ("kubernetes:yaml/v2:ConfigGroup", "kubernetes:yaml/v2:ConfigFile")
    assert sorted((r.name, r.type) for r in graph.children(app.urn)) == [
        ("app-backend", "kubernetes:core/v1:Service"),
        ("app-frontend", "kubernetes:core/v1:Service"),
    ]
    assert [(r.name, r.type) for r in graph.children(single.urn)] == [
        ("data", "kubernetes:core/v1:PersistentVolumeClaim")
    ]
    assert sorted((r.name, r.type) for r in graph.children(inline.urn)) == [
        ("inline-settings", "kubernetes:core/v1:ConfigMap"),
        ("inline-shop/api", "kubernetes:apps/v1:Deployment"),
    ]
    assert by_name["app-frontend"].inputs["spec"]["type"] == "LoadBalancer"
    assert by_name["inline-shop/api"].inputs["spec"]["replicas"] == 2
    assert [w for w in graph.warnings if "https://example.com/remote.yaml" in w] == [
        "app: the manifests at https://example.com/remote.yaml cannot be read by an offline plan (a URL is "
        "not fetched; a path matches no file): a LoadBalancer Service or a PersistentVolumeClaim in them "
        "is not in the estimate"
    ]

    assert not any("daemonset.yaml" in w for w in graph.warnings), "this tool's own pinned manifests"
    assert graph.children(by_name["ours-plugin"].urn) == []

    result = estimate(graph, default_catalog())
    assert sorted((u.resource, u.type) for u in result.unpriced) == [
        ("app-frontend", "kubernetes:core/v1:Service"),
        ("data", "kubernetes:core/v1:PersistentVolumeClaim"),
    ]
    free = {f.resource for f in result.free}
    assert {
        "app",
        "single",
        "inline",
        "app-backend",
        "inline-shop/api",
        "inline-settings",
        "ours-plugin",
    } <= free
    assert result.monthly_cost_usd == 0 and len(result.unpriced) == 2 and result.unsupported == []


def test_manifest_objects_reads_files_text_and_objects_and_reports_what_it_cannot(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(SERVICE)
    objects, unread = manifest_objects(
        {"files": ["a.yaml", "missing/*.yaml", "http://x/y.yaml"], "yaml": "kind: Service\n"}, tmp_path
    )
    assert [o["metadata"]["name"] for o in objects] == ["frontend", "backend"]  # no apiVersion: dropped
    assert unread == ["missing/*.yaml", "http://x/y.yaml"]
    objects, unread = manifest_objects({"file": "a.yaml"}, tmp_path)
    assert len(objects) == 2 and unread == []
    assert manifest_objects({}, tmp_path) == ([], [])


def test_type_tokens_and_names_follow_the_provider() -> None:
    assert type_token({"apiVersion": "v1", "kind": "Service"}) == "kubernetes:core/v1:Service"
    assert type_token({"apiVersion": "apps/v1", "kind": "Deployment"}) == "kubernetes:apps/v1:Deployment"
    assert (
        type_token({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress"})
        == "kubernetes:networking.k8s.io/v1:Ingress"
    )
    assert type_token({"kind": "Service"}) is None and type_token({"apiVersion": "v1", "kind": ""}) is None
    assert child_name({"metadata": {"name": "web"}}, "grp") == "grp-web"
    assert child_name({"metadata": {"name": "web", "namespace": "ns"}}, "") == "ns/web"
    assert child_name({}, "grp") == "grp-unnamed"
