"""Invokes the Kubernetes provider answers on this machine: `kubernetes:yaml:decode` (a yaml.v1 ConfigFile
or ConfigGroup) parses the manifests as the provider does, so their objects are planned and priced; a
helm.v3 Chart's `kubernetes:helm:template` would need the chart from its repository, so it renders
nothing and the chart is unpriced by name. Both stopped a program before ("no answer for the data source
(invoke) kubernetes:helm:template"): pulumi/examples azure-py-aks-helm deploys a helm.v3 Chart."""

from __future__ import annotations

from pathlib import Path

from aiinfra.catalog import default_catalog
from aiinfra.engine.invokes import local_answer
from aiinfra.engine.program import plan_directory
from aiinfra.estimate import estimate

MAIN = '''\
from pulumi_kubernetes.helm.v3 import Chart, ChartOpts, FetchOpts
from pulumi_kubernetes.yaml import ConfigGroup

Chart("apache", ChartOpts(chart="apache", fetch_opts=FetchOpts(repo="https://charts.example.com")))
ConfigGroup("manifests", yaml=["""
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {type: LoadBalancer, ports: [{port: 80}]}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec: {resources: {requests: {storage: 10Gi}}}
"""])
'''


def test_manifests_are_planned_and_a_helm_v3_chart_is_unpriced_by_name(tmp_path: Path) -> None:
    directory = tmp_path / "p"
    directory.mkdir()
    (directory / "Pulumi.yaml").write_text("name: k8s\nruntime: python\n")
    (directory / "__main__.py").write_text(MAIN)
    graph = plan_directory(directory, stack="dev")
    by_name = {r.name: r for r in graph.resources}
    group = by_name["manifests"]
    assert (by_name["web"].type, by_name["web"].parent) == ("kubernetes:core/v1:Service", group.urn)
    assert by_name["data"].type == "kubernetes:core/v1:PersistentVolumeClaim"
    assert by_name["web"].inputs["spec"]["type"] == "LoadBalancer"
    chart = by_name["apache"]
    assert chart.type == "kubernetes:helm.sh/v3:Chart" and graph.children(chart.urn) == []
    result = estimate(graph, default_catalog())
    assert sorted((u.resource, u.type) for u in result.unpriced) == [
        ("apache", "kubernetes:helm.sh/v3:Chart"),
        ("data", "kubernetes:core/v1:PersistentVolumeClaim"),
        ("web", "kubernetes:core/v1:Service"),
    ]
    assert not any("kubernetes:yaml:decode" in w for w in graph.warnings), "a real answer, not a placeholder"


def test_local_answers_decode_every_document_and_leave_other_tokens_alone() -> None:
    text = "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n# only a comment\n---\nplain\n"
    assert local_answer("kubernetes:yaml:decode", {"text": text}) == {
        "result": [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}}]
    }
    assert local_answer("kubernetes:yaml:decode", {}) == {"result": []}
    assert local_answer("kubernetes:helm:template", {"jsonOpts": "{}"}) == {"result": []}
    assert local_answer("aws:ec2/getVpc:getVpc", {}) is None
