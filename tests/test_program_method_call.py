"""A method call on a resource (pulumi_eks `Cluster.get_kubeconfig()` in pulumi/pulumi-eks
examples/aws-profile-py) reaches the monitor's `Call`, which the SDK's mock monitor lacks: the program
stopped with "'RecordingMonitor' object has no attribute 'Call'". Its provider answers it from the
resource's state, which a preview does not know yet: the result is unknown, `.apply` on it does not run,
and what is computed from it is recorded as unknown."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from aiinfra.engine.mocks import UNKNOWN
from aiinfra.engine.program import ProgramFailed, plan_directory

MAIN = """\
import pulumi
cluster = pulumi.ComponentResource("acme:index:Cluster", "c", None, remote=True)
kubeconfig = pulumi.runtime.call("acme:index:Cluster/getKubeconfig", {"profileName": "p"}, res=cluster)
kubeconfig.apply(lambda v: print("APPLY RAN", v))
pulumi.CustomResource(
    "aws:ec2/instance:Instance",
    "vm",
    {"instanceType": "t3.micro", "ami": "ami-1", "userData": kubeconfig.apply(lambda v: v["result"])},
)
pulumi.export("kubeconfig", kubeconfig)
"""


def program(directory: Path, main: str) -> Path:
    directory.mkdir(parents=True)
    (directory / "Pulumi.yaml").write_text("name: calls\nruntime: python\n")
    (directory / "__main__.py").write_text(textwrap.dedent(main))
    return directory


def test_a_method_call_is_unknown_as_in_a_preview(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    graph = plan_directory(program(tmp_path / "p", MAIN), stack="dev", config={"aws:region": "us-east-1"})
    by_name = {r.name: r for r in graph.resources}
    assert by_name["vm"].inputs["userData"] == UNKNOWN
    assert by_name["c"].remote and not by_name["c"].custom
    assert "APPLY RAN" not in capfd.readouterr().err


def test_an_attribute_error_in_this_tools_mocks_is_not_blamed_on_the_programs_sdk(tmp_path: Path) -> None:
    main = "import pulumi.runtime.settings as s\ns.get_monitor().NoSuchRpc()\n"
    with pytest.raises(ProgramFailed) as caught:
        plan_directory(program(tmp_path / "p", main), stack="dev")
    assert "'RecordingMonitor' object has no attribute 'NoSuchRpc'" in caught.value.message
    assert "releases" not in caught.value.fix
