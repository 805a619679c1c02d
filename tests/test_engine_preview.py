"""The offline plan runs a program as `pulumi preview` does: what the mocks answer (inputs, ids, and the
outputs a cloud profile fills) is known, every other output is unknown, so `.apply` callbacks on it do not
run, `Output.all` holding it is unknown, and an input computed from it is shown as unknown, never None
and never priced as $0."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pulumi
import pytest

from aiinfra.catalog import default_catalog
from aiinfra.components.stack import run_program
from aiinfra.engine import program as program_module
from aiinfra.engine.graph import ResourceGraph
from aiinfra.engine.inputs import UNKNOWN, UNKNOWN_SENTINEL
from aiinfra.engine.plan import plan_program
from aiinfra.engine.program import MissingConfig, ProgramError, plan_directory
from aiinfra.estimate import estimate
from aiinfra.spec.loader import read_stack_config, stack_file, stack_name
from tests.conftest import ROOT, id_of, plan


class Calls:
    """Records which callbacks ran, with what."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, Any]] = []

    def __call__(self, label: str, fn: Any) -> Any:
        def run(value: Any) -> Any:
            self.seen.append((label, value))
            return fn(value)

        return run

    def labels(self) -> list[str]:
        return [label for label, _ in self.seen]


# -- applies ----------------------------------------------------------------------------------------------


def test_an_apply_on_an_output_known_only_after_create_does_not_run_and_its_result_is_unknown() -> None:
    import pulumi_aws as aws

    calls = Calls()

    def program() -> None:
        lb = aws.lb.LoadBalancer("web", load_balancer_type="application", subnets=["subnet-1", "subnet-2"])
        db = aws.rds.Instance("db", instance_class="db.t3.micro", engine="mysql", allocated_storage=20)
        # each crashes on None, as they did under preview=False: the callbacks must not run at all
        zone = lb.dns_name.apply(calls("dns", lambda d: d.split(".")[1]))
        host = db.endpoint.apply(calls("endpoint", lambda e: e.split(":")[0]))
        aws.s3.BucketV2("logs", bucket=zone, tags={"db": host, "team": "web"})

    graph = plan(program)
    assert calls.labels() == [], "no apply runs on an output the mocks do not answer"
    logs = graph.get("aws:s3/bucketV2:BucketV2", "logs")
    assert logs.inputs == {"bucket": UNKNOWN, "tags": {"db": UNKNOWN, "team": "web"}}, (
        "an input computed from an unknown is UNKNOWN; the known parts next to it stay as given"
    )


def test_an_apply_on_an_output_the_mocks_answer_runs_on_that_value() -> None:
    import pulumi_aws as aws

    calls = Calls()

    def program() -> None:
        bucket = aws.s3.Bucket("data")
        name = bucket.arn.apply(calls("arn", lambda a: a.split(":")[5].replace("/", "-")))
        aws.s3.BucketV2("copy", bucket=name.apply(lambda n: f"{n}-copy"), tags={"id": bucket.id})

    graph = plan(program)
    ((label, arn),) = calls.seen
    # the profile's ARN is known, in S3's shape (no region, no account), as is the id: the bucket's name
    assert label == "arn" and arn == "arn:aws:s3:::data-mock"
    copy = graph.get("aws:s3/bucketV2:BucketV2", "copy")
    assert copy.inputs == {"bucket": "data-mock-copy", "tags": {"id": "data-mock"}}


def test_output_all_holding_an_unknown_is_unknown_and_of_known_values_runs() -> None:
    import pulumi_aws as aws

    calls = Calls()

    def program() -> None:
        vm = aws.ec2.Instance("vm", instance_type="t3.micro", ami="ami-123")
        mixed = pulumi.Output.all(vm.arn, vm.public_ip).apply(calls("mixed", lambda xs: xs[1].split(".")))
        known = pulumi.Output.all(vm.arn, vm.instance_type).apply(calls("known", lambda xs: xs[1]))
        aws.ec2.Eip("ip", tags={"mixed": mixed, "known": known})

    graph = plan(program)
    assert calls.labels() == ["known"], "only the all() of known values runs its callback"
    assert graph.get("aws:ec2/eip:Eip", "ip").inputs == {"tags": {"mixed": UNKNOWN, "known": "t3.micro"}}


def test_inputs_passed_through_a_resource_stay_known() -> None:
    import pulumi_aws as aws

    def program() -> None:
        vm = aws.ec2.Instance("vm", instance_type="m5.large", ami="ami-123", tags={"team": "ml"})
        aws.ec2.Instance(
            "twin",
            instance_type=vm.instance_type,
            ami=vm.ami.apply(lambda a: a.upper()),
            tags=vm.tags,
            subnet_id=vm.id,
        )

    graph = plan(program)
    twin = graph.get("aws:ec2/instance:Instance", "twin")
    assert twin.inputs == {
        "instanceType": "m5.large",
        "ami": "AMI-123",
        "tags": {"team": "ml"},
        "subnetId": id_of(graph, "aws:ec2/instance:Instance", "vm"),
    }


def test_the_program_sees_a_preview() -> None:
    seen: list[bool] = []
    plan(lambda: seen.append(pulumi.runtime.is_dry_run()))
    assert seen == [True], "programs that ask (pulumi.runtime.is_dry_run) are told it is a preview"


def test_a_remote_components_outputs_are_unknown_not_none() -> None:
    """pulumi_eks.Cluster and the like are built by their provider at deploy time: under the mocks their
    outputs (kubeconfig) are unknown, so a program's apply on them does not run on None."""
    calls = Calls()

    class RemoteCluster(pulumi.ComponentResource):
        kubeconfig: pulumi.Output[Any]

        def __init__(self, name: str) -> None:
            super().__init__("eks:index:Cluster", name, {"kubeconfig": None, "version": "1.31"}, remote=True)

    def program() -> None:
        import pulumi_aws as aws

        cluster = RemoteCluster("eks")
        server = cluster.kubeconfig.apply(
            calls("kubeconfig", lambda k: k["clusters"][0]["cluster"]["server"])
        )
        aws.s3.BucketV2("b", tags={"server": server})

    graph = plan(program)
    assert calls.labels() == []
    assert graph.get("eks:index:Cluster", "eks").remote
    assert graph.get("aws:s3/bucketV2:BucketV2", "b").inputs == {"tags": {"server": UNKNOWN}}


# -- what a cloud profile computes from unknown inputs -----------------------------------------------------


def test_profile_outputs_are_computed_from_known_inputs_and_never_replace_an_unknown_one() -> None:
    import pulumi_aws as aws

    calls = Calls()

    def program() -> None:
        lb = aws.lb.LoadBalancer("web", subnets=["subnet-1"])
        later = lb.dns_name.apply(lambda d: {"serviceIpv4Cidr": "10.9.0.0/16", "dns": d})
        cluster = aws.eks.Cluster(
            "eks",
            role_arn="arn:aws:iam::123456789012:role/eks",
            vpc_config={"subnet_ids": [lb.dns_name.apply(lambda d: d)]},
            kubernetes_network_config=later,
        )
        aws.s3.BucketV2("b", tags={"endpoint": cluster.endpoint, "name": cluster.name})
        cluster.vpc_config.apply(calls("vpc", lambda v: v.cluster_security_group_id.upper()))
        cluster.kubernetes_network_config.apply(calls("knc", lambda k: k.service_ipv4_cidr))

    graph = plan(program)
    tags = graph.get("aws:s3/bucketV2:BucketV2", "b").inputs["tags"]
    assert tags == {"endpoint": "https://EKS.gr7.us-east-1.eks.amazonaws.com", "name": "eks"}, (
        "what the profile fills from known inputs is known"
    )
    assert calls.labels() == [], "an output whose input was unknown stays unknown; the default is not used"
    cluster = graph.get("aws:eks/cluster:Cluster", "eks")
    assert cluster.inputs["vpcConfig"] == {"subnetIds": [UNKNOWN]}
    assert cluster.inputs["kubernetesNetworkConfig"] == UNKNOWN


def test_a_provider_whose_region_is_unknown_places_its_resources_in_the_stack_region() -> None:
    import pulumi_aws as aws

    regions: list[str] = []

    def program() -> None:
        lb = aws.lb.LoadBalancer("web", subnets=["subnet-1"])
        provider = aws.Provider("elsewhere", region=lb.dns_name.apply(lambda _: "eu-west-1"))
        queue = aws.sqs.Queue("q", opts=pulumi.ResourceOptions(provider=provider))
        queue.arn.apply(lambda arn: regions.append(arn.split(":")[3]))
        aws.eks.Cluster("c", role_arn="r", vpc_config={}, opts=pulumi.ResourceOptions(provider=provider))

    graph = plan(program, region="us-west-2")
    assert graph.get("pulumi:providers:aws", "elsewhere").inputs["region"] == UNKNOWN
    assert regions == ["us-west-2"], "the queue gets its ARN, in the stack's region"
    assert graph.get("aws:eks/cluster:Cluster", "c").inputs == {"roleArn": "r", "vpcConfig": {}}


# -- the plan's JSON and the estimate ----------------------------------------------------------------------


def test_an_unknown_input_round_trips_through_the_plan_json_as_unknown() -> None:
    import pulumi_aws as aws

    def program() -> None:
        lb = aws.lb.LoadBalancer("web", subnets=["subnet-1"])
        aws.ec2.Instance("vm", ami="ami-1", instance_type=lb.dns_name.apply(lambda _: "p5.48xlarge"))

    doc = json.loads(json.dumps(plan(program).to_json()))
    (vm,) = [r for r in doc["resources"] if r["name"] == "vm"]
    assert vm["inputs"] == {"ami": "ami-1", "instanceType": UNKNOWN}
    assert UNKNOWN_SENTINEL not in json.dumps(doc) and "None" not in json.dumps(doc)
    again = ResourceGraph.from_json(doc)
    assert again.get("aws:ec2/instance:Instance", "vm").inputs["instanceType"] == UNKNOWN


def test_an_estimate_of_unknown_sizes_is_unpriced_with_the_reason_never_zero() -> None:
    import pulumi_aws as aws

    def program() -> None:
        lb = aws.lb.LoadBalancer("web", load_balancer_type="application", subnets=["subnet-1"])
        later = lb.dns_name.apply(lambda _: "p5.48xlarge")
        aws.ec2.Instance("vm", ami="ami-1", instance_type=later)
        aws.eks.NodeGroup(
            "gpu",
            cluster_name="c",
            node_role_arn="r",
            subnet_ids=["s"],
            instance_types=["p5.48xlarge"],
            scaling_config={"desired_size": lb.dns_name.apply(lambda _: 2), "min_size": 0, "max_size": 4},
        )

    result = estimate(plan(program), default_catalog())
    by_name = {ln.resource: ln for ln in result.lines if ln.resource in ("vm", "gpu")}
    assert set(by_name) == {"vm", "gpu"}, [ln.resource for ln in result.lines]
    assert by_name["vm"].monthly_cost_usd is None
    assert "instanceType: the value is unknown until apply" in by_name["vm"].reason
    assert by_name["gpu"].monthly_cost_usd is None
    assert "scalingConfig.desiredSize: the value is unknown until apply" in by_name["gpu"].reason
    totals = result.to_json()["totals"]
    assert totals["unpriced_lines"] >= 2, totals


# -- our own stacks --------------------------------------------------------------------------------------


def _unknown_paths(value: Any, path: str) -> list[str]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _unknown_paths(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _unknown_paths(v, f"{path}[{i}]")]
    return [path] if value in (UNKNOWN, UNKNOWN_SENTINEL) else []


@pytest.mark.parametrize("name", sorted(stack_name(p) for p in (ROOT / "stacks").glob("Pulumi.*.yaml")))
def test_our_stacks_wire_every_input_from_known_values(name: str) -> None:
    """Our components read outputs of other resources (kubeconfig, OIDC issuer, ids): the profiles fill
    each, so under preview semantics no input of any stack is unknown and nothing is left out."""
    graph = plan_program(run_program, stack=name, config=read_stack_config(stack_file(name)))
    unknown = [p for r in graph.resources for p in _unknown_paths(r.inputs, f"{r.type}::{r.name}")]
    assert unknown == []
    assert len(graph.resources) > 10


# -- what a failing program is told ------------------------------------------------------------------------


def write_program(directory: Path, main: str) -> Path:
    directory.mkdir(parents=True)
    (directory / "Pulumi.yaml").write_text("name: prog\nruntime: python\n")
    (directory / "__main__.py").write_text(main)
    return directory


def test_a_program_that_raises_is_not_told_it_fails_under_pulumi_preview_nor_to_run_pulumi(
    tmp_path: Path,
) -> None:
    main = (
        "import pulumi_aws as aws\n"
        "b = aws.s3.Bucket('b')\n"
        "b.arn.apply(lambda a: a.split(':')[9])\n"  # the ARN is a placeholder with fewer parts
    )
    with pytest.raises(ProgramError) as caught:
        plan_directory(write_program(tmp_path / "prog", main), stack="dev")
    text = str(caught.value)
    assert "IndexError: list index out of range" in caught.value.message
    assert "same way" not in text and "fails" not in caught.value.fix
    assert "If you have the Pulumi CLI" in caught.value.fix, "a Pulumi command is offered only conditionally"
    assert text.count("`pulumi ") == text.count("If you have the Pulumi CLI"), text


def test_a_missing_plain_config_value_is_named_with_the_option_that_gives_it(tmp_path: Path) -> None:
    main = "import pulumi\npulumi.Config().require('domain')\n"
    with pytest.raises(MissingConfig) as caught:
        plan_directory(write_program(tmp_path / "prog", main), stack="staging")
    assert caught.value.message.endswith("needs the config value prog:domain, which is not set.")
    assert (caught.value.key, caught.value.secret) == ("prog:domain", False)
    assert "`--config prog:domain=VALUE`" in caught.value.fix
    assert str(tmp_path / "prog" / "Pulumi.staging.yaml") in caught.value.fix
    assert "placeholder" not in caught.value.fix
    assert "pulumi config set" not in str(caught.value)


def test_a_missing_secret_is_filled_with_the_placeholder_and_the_plan_says_so(tmp_path: Path) -> None:
    """A password decides nothing an estimate prices: the program runs with "[secret]" for each unset
    secret it requires (one run per secret found), and the plan's warnings name each one."""
    main = (
        "import pulumi\n"
        "c = pulumi.Config()\n"
        "pw = c.require_secret('dbPassword')\n"
        "key = c.require_secret('sshKey')\n"
        "size = c.get('size') or 'small'\n"
        "pulumi.CustomResource('aws:rds/instance:Instance', 'db', {'password': pw, 'instanceClass': size})\n"
        "pulumi.CustomResource('aws:ec2/keyPair:KeyPair', 'k', {'publicKey': key})\n"
    )
    graph = plan_directory(write_program(tmp_path / "prog", main), stack="dev")
    assert graph.get("aws:rds/instance:Instance", "db").inputs["instanceClass"] == "small"
    assert graph.config["prog:dbPassword"] == graph.config["prog:sshKey"] == program_module.SECURE_PLACEHOLDER
    filled = [w for w in graph.warnings if "secret config value" in w]
    assert len(filled) == 2 and "prog:dbPassword" in filled[0] and "prog:sshKey" in filled[1]
    assert all("--config" in w and "[secret]" in w for w in filled)


def test_a_secret_given_on_the_command_line_is_not_replaced_by_the_placeholder(tmp_path: Path) -> None:
    main = "import pulumi\npulumi.export('pw', pulumi.Config().require_secret('dbPassword'))\n"
    graph = plan_directory(
        write_program(tmp_path / "prog", main), stack="dev", config={"dbPassword": "s3cret"}
    )
    assert graph.config["prog:dbPassword"] == "s3cret"
    assert not [w for w in graph.warnings if "secret config value" in w]


def test_missing_config_reported_by_the_programs_own_process_reads_the_same(tmp_path: Path) -> None:
    """What aiinfra.engine.isolated writes when the program raised ConfigMissingError in its own venv."""
    result = {
        "ok": False,
        "kind": "failed",
        "error": "ConfigMissingError",
        "message": "Missing required configuration variable 'shop:dbPassword'\n\tplease set a value using "
        "the command `pulumi config set --secret shop:dbPassword <value>`",
    }
    stack_yaml = tmp_path / "Pulumi.dev.yaml"
    error = program_module._child_failure(result, Path("/venv/bin/python"), tmp_path, stack_yaml)
    assert isinstance(error, MissingConfig) and (error.key, error.secret) == ("shop:dbPassword", True)
    assert error.message.endswith("needs the config value shop:dbPassword, which is not set.")
    assert "`--config shop:dbPassword=VALUE`" in error.fix and "placeholder" in error.fix
    assert "pulumi config set" not in str(error)


# -- in the program's own environment ----------------------------------------------------------------------

OWN_ENV_PROGRAM = """\
import pulumi
lb = pulumi.CustomResource("aws:lb/loadBalancer:LoadBalancer", "web", {"dnsName": None, "subnets": ["s"]})
zone = lb.dnsName.apply(lambda d: d.split(".")[1])
both = pulumi.Output.all(lb.dnsName, lb.subnets).apply(lambda xs: xs[0].upper())
kept = lb.subnets.apply(lambda s: s[0] + "-kept")
pulumi.CustomResource(
    "aws:s3/bucketV2:BucketV2", "logs", {"bucket": zone, "tags": {"team": "web", "both": both, "kept": kept}}
)
"""


@pytest.fixture(scope="module", params=["pinned", "old"])
def own_env(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtualenv with the pulumi SDK this tool pins, and one with an older SDK."""
    import importlib.metadata

    from tests.test_engine_program_env import OLD_PULUMI, make_venv

    version = importlib.metadata.version("pulumi") if request.param == "pinned" else OLD_PULUMI
    return make_venv(tmp_path_factory.mktemp("env") / "venv", f"pulumi=={version}")


def test_preview_semantics_hold_in_the_programs_own_environment(own_env: Path, tmp_path: Path) -> None:
    directory = tmp_path / "prog"
    directory.mkdir()
    (directory / "Pulumi.yaml").write_text(
        f"name: own\nruntime:\n  name: python\n  options:\n    virtualenv: {own_env}\n"
    )
    (directory / "__main__.py").write_text(OWN_ENV_PROGRAM)
    graph = plan_directory(directory, stack="dev")
    assert graph.get("aws:s3/bucketV2:BucketV2", "logs").inputs == {
        "bucket": UNKNOWN,
        "tags": {"team": "web", "both": UNKNOWN, "kept": "s-kept"},
    }, "the applies on dnsName did not run (it would raise on None); the one on an input did"
