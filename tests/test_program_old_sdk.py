"""What pulumi/templates programs needed of the offline plan: a program on an SDK as old as pulumi 3.60
(oci-python pins it) is planned with it; a data-source field the SDK documents as base64 (an AKS
kubeconfig, which kubernetes-azure-python decodes) gets a placeholder a program can decode; an invoke
token that capitalises its module (oci:ObjectStorage/…) finds the SDK's lower-case Python module."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import pytest

from aiinfra.engine.invokes import result_class, typed_answer
from aiinfra.engine.plan import plan_program
from aiinfra.engine.program import plan_directory
from tests.test_engine_program_env import make_venv
from tests.test_program_failures import _program


def test_a_program_on_pulumi_3_60_is_planned_with_it(tmp_path: Path) -> None:
    """pulumi/templates oci-python pins pulumi==3.60.0, whose runtime keeps no per-run RPC state."""
    old = make_venv(tmp_path / "old", "pulumi==3.60.0")
    main = "import pulumi\npulumi.CustomResource('aws:s3/bucket:Bucket', 'data', {})\n"
    graph = plan_directory(_program(tmp_path / "p", main, old), stack="dev")
    assert [(r.type, r.name) for r in graph.resources] == [("aws:s3/bucket:Bucket", "data")]
    probe = [str(old / "bin" / "python"), "-c", "import importlib.metadata as m; print(m.version('pulumi'))"]
    assert subprocess.run(probe, capture_output=True, text=True, check=True).stdout.strip() == "3.60.0"


def test_a_field_documented_as_base64_gets_a_placeholder_that_decodes() -> None:
    token = "azure-native:containerservice:listManagedClusterAdminCredentials"
    answer = typed_answer(token, {"resourceName": "aks"}, "westus2")
    assert answer is not None
    (kubeconfig,) = answer["kubeconfigs"]
    assert base64.b64decode(kubeconfig["value"]).decode() == "offline-value"
    assert kubeconfig["name"] == "offline-name", "a field not documented as base64 stays plain text"


def test_a_program_can_decode_an_aks_kubeconfig() -> None:
    import pulumi_azure_native as azure

    seen: list[str] = []

    def program() -> None:
        creds = azure.containerservice.list_managed_cluster_admin_credentials_output(
            resource_group_name="rg", resource_name="aks"
        )
        creds.kubeconfigs[0].value.apply(lambda v: seen.append(base64.b64decode(v).decode()))

    plan_program(program, stack="t", config={"azure-native:location": "westus2"})
    assert seen == ["offline-value"]


def test_an_invoke_whose_token_capitalises_its_module_finds_the_lower_case_python_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pulumi/templates oci-python calls `oci:ObjectStorage/getNamespace:getNamespace`, whose result class
    lives in `pulumi_oci.objectstorage`: a stand-in SDK laid out the same way."""
    module = tmp_path / "pulumi_acmecloud" / "objectstorage"
    module.mkdir(parents=True)
    (tmp_path / "pulumi_acmecloud" / "__init__.py").write_text("")
    (module / "__init__.py").write_text(
        "import pulumi\n\n\nclass GetNamespaceResult:\n"
        "    @property\n    @pulumi.getter\n    def namespace(self) -> str:\n"
        "        return pulumi.get(self, 'namespace')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    token = "acmecloud:ObjectStorage/getNamespace:getNamespace"
    found = result_class(token)
    assert found is not None and found.__module__ == "pulumi_acmecloud.objectstorage"
    assert typed_answer(token, {}, "") == {"namespace": "offline-namespace"}
    assert result_class("acmecloud:Compute/getNamespace:getNamespace") is None, "no such module either way"
