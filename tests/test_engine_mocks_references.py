"""A resource passed as an input to another (pulumi-eks: `ManagedNodeGroup(cluster=cluster)`) is a resource
reference on the wire. Rebuilt by the SDK inside the recording monitor, it registered the referenced resource
again from the monitor's thread and hung or failed with "attached to a different loop"; it is recorded as
the referenced resource's URN. Run in a child process with a time limit, so a regression fails instead of
hanging the suite."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import json
    import pulumi
    from aiinfra.engine.plan import plan_program

    class Cluster(pulumi.ComponentResource):
        def __init__(self, name, props=None, opts=None):
            super().__init__("acme:index:Cluster", name, props or {}, opts, remote=True)

    class Module(pulumi.runtime.ResourceModule):
        def version(self):
            return None

        def construct(self, name, typ, urn):
            return Cluster(name, opts=pulumi.ResourceOptions(urn=urn))

    pulumi.runtime.register_resource_module("acme", "index", Module())

    def program():
        cluster = Cluster("gpu", {"version": "1.33"})
        pulumi.ComponentResource("acme:index:NodeGroup", "pool", {"cluster": cluster, "size": 2}, remote=True)

    graph = plan_program(program, stack="dev", project="p", config={})
    print(json.dumps([[r.type, r.name, r.inputs] for r in graph.resources]))
    """
)


def test_a_resource_given_as_an_input_is_recorded_as_its_urn_without_hanging() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    recorded = json.loads(done.stdout.strip().splitlines()[-1])
    assert recorded == [
        ["acme:index:Cluster", "gpu", {"version": "1.33"}],
        [
            "acme:index:NodeGroup",
            "pool",
            {"cluster": "urn:pulumi:dev::p::acme:index:Cluster::gpu", "size": 2},
        ],
    ]
