"""`infra estimate --program` on representative programs written for the tests (tests/programs/): plain
EC2 with an image look-up, EKS node groups with and without instance types, GKE, an Azure VM that reads
its public IP back, a database whose password is a `secure:` stack value, and a program that prints.
These run in this tool's own Python (their Pulumi.yaml names no virtualenv). Each line's amount is the
catalog's row (looked up here) times what the program declares or the cloud's documented default; a
missing row makes the line unpriced, and the totals then say how many lines they leave out."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from aiinfra.cli.main import app
from tests.programs.expected import (
    HOURS,
    PROGRAMS,
    Expect,
    by_type,
    check_lines,
    estimate_json,
    on_demand,
    run_infra,
    service,
    spot,
    storage,
)


@cache
def estimated(program: str, *args: str) -> dict[str, Any]:
    """One estimate per program and arguments for the whole module (each run plans the program)."""
    return estimate_json(PROGRAMS / program, *args)


# --- plain EC2: tests/programs/aws-ec2 (stack dev: eu-west-1, size t3.small from config) ----------------

EC2 = "aws:ec2/instance:Instance"


def test_an_ec2_web_server_is_its_instance_root_and_data_volumes_and_address_from_the_catalog() -> None:
    region = "eu-west-1"
    gp3 = storage("aws", "ebs", "gp3", region)
    check_lines(
        estimated("aws-ec2"),
        [
            # the size comes from the stack's config (shop-web:size), not the program's t3.micro fallback
            Expect("web", EC2, "instance-hours", HOURS, on_demand("t3.small", region)),
            Expect("web", EC2, "GiB-months", Decimal(16), gp3, f"no ebs gp3 price in {region}"),
            Expect("web-data", "aws:ebs/volume:Volume", "GiB-months", Decimal(50), gp3, "no ebs gp3 price"),
            Expect(
                "web-ip",
                "aws:ec2/eip:Eip",
                "IP-hours",
                HOURS,
                service("aws", "public-ipv4", "ip-hour", region),
            ),
        ],
    )


def test_the_ec2_programs_security_group_and_attachment_are_free_and_nothing_is_unsupported() -> None:
    doc = estimated("aws-ec2")
    assert by_type(doc["free"]) == {
        ("web-sg", "aws:ec2/securityGroup:SecurityGroup"),
        ("web-data-attach", "aws:ec2/volumeAttachment:VolumeAttachment"),
    }
    assert doc["unsupported"] == [] and doc["totals"]["unsupported_resources"] == 0
    # the instance's line says where it runs: the stack file's region, not a default
    assert {ln["region"] for ln in doc["lines"]} == {"eu-west-1"}


def test_config_given_on_the_command_line_wins_over_the_stack_file() -> None:
    doc = estimated("aws-ec2", "--config", "size=t3.micro", "--config", "aws:region=us-east-1")
    (line,) = [ln for ln in doc["lines"] if ln["resource"] == "web" and ln["unit"] == "instance-hours"]
    price = on_demand("t3.micro", "us-east-1")
    assert price is not None, "t3.micro in us-east-1 is in the catalog"
    assert "t3.micro" in line["description"] and line["region"] == "us-east-1"
    assert Decimal(str(line["monthly_cost_usd"])) == round(HOURS * price, 2)


# --- EKS from pulumi_aws resources: tests/programs/aws-eks (region from Pulumi.yaml config: us-west-2) ------

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"


def test_eks_node_groups_with_and_without_instance_types_and_the_control_plane() -> None:
    region = "us-west-2"
    gp2 = storage("aws", "ebs", "gp2", region)
    check_lines(
        estimated("aws-eks"),
        [
            # Kubernetes 1.35 is in standard support on the tests' day (conftest.TODAY)
            Expect(
                "team",
                "aws:eks/cluster:Cluster",
                "cluster-hours",
                HOURS,
                service("aws", "eks", "cluster-hour", region),
            ),
            Expect(
                "general",
                NODE_GROUP,
                "node-hours",
                3 * HOURS,
                on_demand("m5.large", region),
                "no on-demand price published for m5.large",
            ),
            # no diskSize: EKS gives each node a 20 GiB gp2 root volume
            Expect("general", NODE_GROUP, "GiB-months", Decimal(3 * 20), gp2),
            # no instanceTypes: EKS runs t3.medium (AWS EKS API reference, CreateNodegroup instanceTypes)
            Expect("system", NODE_GROUP, "node-hours", 2 * HOURS, on_demand("t3.medium", region)),
            Expect("system", NODE_GROUP, "GiB-months", Decimal(2 * 20), gp2),
        ],
    )


def test_the_eks_program_s_default_vpc_look_ups_are_answered_and_its_iam_is_free() -> None:
    doc = estimated("aws-eks")
    free = by_type(doc["free"])
    assert {("cluster-role", "aws:iam/role:Role"), ("node-role", "aws:iam/role:Role")} <= free
    attachments = {n for n, t in free if t == "aws:iam/rolePolicyAttachment:RolePolicyAttachment"}
    assert attachments == {"cluster-role-0", "node-role-0", "node-role-1", "node-role-2"}
    assert doc["unsupported"] == []
    system = next(ln for ln in doc["lines"] if ln["resource"] == "system" and ln["unit"] == "node-hours")
    assert "t3.medium" in system["description"]
    assert any("t3.medium" in a and "default" in a for a in system["assumptions"]), system["assumptions"]


# --- a VM in the provider's default zone: tests/programs/gcp-zone-vm (Pulumi.yaml: gcp:zone default only) ------

INSTANCE = "gcp:compute/instance:Instance"


def test_a_gcp_program_with_only_a_default_zone_is_priced_in_that_zones_region() -> None:
    """pulumi/examples gcp-py-webserver sets `gcp:zone` and no region: the Google provider places regional
    resources (the address) in the zone's region, so every line is in europe-west1, none in "unknown"."""
    region = "europe-west1"
    doc = estimated("gcp-zone-vm")
    check_lines(
        doc,
        [
            Expect("web", INSTANCE, "instance-hours", HOURS, on_demand("e2-small", region)),
            # no initializeParams.type: Compute Engine's default boot disk type is pd-standard
            Expect(
                "web",
                INSTANCE,
                "GiB-months",
                Decimal(20),
                storage("gcp", "persistent-disk", "pd-standard", region),
            ),
            Expect(
                "web-ip",
                "gcp:compute/address:Address",
                "IP-hours",
                HOURS,
                service("gcp", "external-ipv4", "ip-hour", region),
            ),
        ],
    )
    assert {ln["region"] for ln in doc["lines"]} == {region}
    assert doc["totals"]["unknown_grid_lines"] == 0 and doc["warnings"] == []


# --- GKE: tests/programs/gcp-gke (stack dev: europe-west4, a regional cluster, 2 workers from config) --------

NODE_POOL = "gcp:container/nodePool:NodePool"
ZONES = 3  # a regional GKE node pool without nodeLocations runs in 3 zones; node counts are per zone


def test_a_regional_gke_cluster_is_its_fee_and_its_pools_per_zone_with_their_default_disks() -> None:
    region = "europe-west4"
    balanced = storage("gcp", "persistent-disk", "pd-balanced", region)
    workers = 2 * ZONES
    spot_nodes = 1 * ZONES  # autoscaled 1–3 per zone; the steady profile runs the desired (minimum) count
    check_lines(
        estimated("gcp-gke"),
        [
            Expect(
                "analytics",
                "gcp:container/cluster:Cluster",
                "cluster-hours",
                HOURS,
                service("gcp", "gke", "cluster-hour", region),
            ),
            Expect("workers", NODE_POOL, "node-hours", workers * HOURS, on_demand("e2-standard-4", region)),
            Expect("workers", NODE_POOL, "GiB-months", Decimal(workers * 50), balanced),
            Expect("batch-spot", NODE_POOL, "node-hours", spot_nodes * HOURS, spot("n2-standard-4", region)),
            # no diskSizeGb / diskType: GKE's default 100 GB pd-balanced boot disk
            Expect("batch-spot", NODE_POOL, "GiB-months", Decimal(spot_nodes * 100), balanced),
        ],
    )


def test_the_gke_program_is_complete_so_its_headline_has_no_lower_bound() -> None:
    doc = estimated("gcp-gke")
    assert doc["unpriced"] == [] and doc["unsupported"] == []
    assert doc["totals"]["unpriced_lines"] == 0 and doc["totals"]["unsupported_resources"] == 0
    assert by_type(doc["free"]) == {
        ("analytics", "gcp:compute/network:Network"),
        ("analytics-nodes", "gcp:compute/subnetwork:Subnetwork"),
    }
    markdown = markdown_of("gcp-gke")
    headline = next(line for line in markdown.splitlines() if line.startswith("**"))
    assert headline.startswith(f"**${doc['totals']['monthly_cost_usd']:,.2f}/month"), headline
    (total_row,) = [line for line in markdown.splitlines() if line.startswith("| **total** |")]
    assert "≥" not in total_row, total_row


# --- Azure VM with a public IP look-up: tests/programs/azure-vm (location from Pulumi.yaml: eastus) -------


def test_an_azure_vm_and_its_standard_public_ip_are_priced_and_the_ip_look_up_is_answered() -> None:
    region = "eastus"
    check_lines(
        estimated("azure-vm"),
        [
            Expect(
                "agent",
                "azure-native:compute:VirtualMachine",
                "instance-hours",
                HOURS,
                on_demand("Standard_DS2_v2", region),
            ),
            # its OS disk: Premium_LRS billed as the next tier up (P6 for its size), priced if the catalog has it
            Expect(
                "agent",
                "azure-native:compute:VirtualMachine",
                "disk-months",
                Decimal(1),
                service("azure", "managed-disk", "Premium_LRS/P6", region),
                "catalog/data/azure/managed-disk.csv has no Premium_LRS/P6 price in eastus",
            ),
            Expect(
                "agent-ip",
                "azure-native:network:PublicIPAddress",
                "IP-hours",
                HOURS,
                service("azure", "public-ip", "standard-ip-hour", region),
            ),
        ],
    )


def test_the_azure_vm_program_s_public_ip_look_up_was_answered_and_what_it_printed_is_on_stderr() -> None:
    result = CliRunner().invoke(
        app, ["estimate", "--program", str(PROGRAMS / "azure-vm"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    # the program prints the address get_public_ip_address returned: the look-up ran and was answered
    assert "agent address: " in result.stderr, result.stderr[-2000:]
    assert "agent address" not in result.stdout
    json.loads(result.stdout)


def test_the_azure_vm_program_s_network_is_free_and_nothing_is_left_unestimated() -> None:
    doc = estimated("azure-vm")
    assert by_type(doc["free"]) == {
        ("build", "azure-native:resources:ResourceGroup"),
        ("build-net", "azure-native:network:VirtualNetwork"),
        ("agents", "azure-native:network:Subnet"),
        ("agent-nic", "azure-native:network:NetworkInterface"),
    }
    assert doc["unsupported"] == [] and doc["totals"]["unsupported_resources"] == 0


# --- secrets: tests/programs/aws-secrets (stack prod: a `secure:` password, class and storage from config) --

SECRET = "aws:secretsmanager/secret:Secret"
CIPHERTEXT = "nX3p6Vd2YpQ0b1Rk"  # a piece of the secure value in Pulumi.prod.yaml


def test_a_database_whose_password_is_a_stack_secret_is_planned_and_priced_from_its_config() -> None:
    region = "us-east-1"
    rds = "aws:rds/instance:Instance"
    check_lines(
        estimated("aws-secrets", "-s", "prod"),
        [
            Expect(
                "orders",
                rds,
                "instance-hours",
                HOURS,
                service("aws", "rds-instance", "db.t3.micro/postgres", region),
                "no price for rds-instance db.t3.micro/postgres",
            ),
            # 100 GiB from the stack's config (orders-db:storageGiB), not the program's fallback of 20
            Expect("orders", rds, "GB-months", Decimal(100), service("aws", "rds-storage", "gp3", region)),
            Expect(
                "orders-db-password",
                SECRET,
                "secret-months",
                Decimal(1),
                service("aws", "secrets-manager", "secret-month", region),
            ),
            # its API calls are billed per call: the program's directory has no usage file that says how many
            Expect(
                "orders-db-password", SECRET, "million requests", Decimal(0), None, "set requestsMillions"
            ),
        ],
    )


def test_the_secret_never_reaches_the_output_and_its_version_is_free() -> None:
    result = CliRunner().invoke(
        app,
        ["estimate", "--program", str(PROGRAMS / "aws-secrets"), "-s", "prod", "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    assert CIPHERTEXT not in result.stdout and CIPHERTEXT not in result.stderr
    doc = json.loads(result.stdout)
    # the secret is priced (its lines above); the version that holds the value costs nothing by itself
    assert ("orders-db-password", "aws:secretsmanager/secretVersion:SecretVersion") in by_type(doc["free"])
    assert doc["unsupported"] == [] and doc["totals"]["unsupported_resources"] == 0


def test_a_program_s_incomplete_estimate_is_a_lower_bound_in_the_markdown_headline() -> None:
    doc = estimated("aws-secrets", "-s", "prod")
    markdown = markdown_of("aws-secrets", "-s", "prod")
    headline = next(line for line in markdown.splitlines() if line.startswith("**"))
    assert headline.startswith(f"**≥ ${doc['totals']['monthly_cost_usd']:,.2f}/month"), headline
    (total_row,) = [line for line in markdown.splitlines() if line.startswith("| **total** |")]
    assert "≥" in total_row, total_row


def markdown_of(program: str, *args: str) -> str:
    result = CliRunner().invoke(
        app, ["estimate", "--program", str(PROGRAMS / program), "--format", "markdown", *args]
    )
    assert result.exit_code == 0, result.output
    return result.stdout


# --- a program that prints: tests/programs/chatty, run as a user runs it (a process of its own) -----------


def test_what_a_program_prints_goes_to_stderr_and_the_json_on_stdout_parses() -> None:
    done = run_infra("estimate", "--program", str(PROGRAMS / "chatty"), "--format", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)  # print(), logging, os.write(1, ...) and "{not json" would break this
    for said in (
        "planning the queue worker",
        "INFO instance type t3.micro",
        "raw write to fd 1",
        "{not json",
        "done",
    ):
        assert said in done.stderr, f"{said!r} should be on stderr"
        assert said not in done.stdout
    check_lines(
        doc,
        [
            Expect("worker", EC2, "instance-hours", HOURS, on_demand("t3.micro", "us-east-1")),
            # no root_block_device: the AMI decides the root volume, which an offline plan cannot read, so
            # it is Infracost's assumed 8 GiB gp2, and a warning names the field that gives the real size
            Expect("worker", EC2, "GiB-months", Decimal(8), storage("aws", "ebs", "gp2", "us-east-1")),
            # an SQS queue is billed per request: no usage file says how many
            Expect(
                "jobs", "aws:sqs/queue:Queue", "million requests", Decimal(0), None, "set requestsMillions"
            ),
        ],
    )
    assert doc["unsupported"] == []
    assert any(w.startswith("worker: the root volume's size comes from the AMI") for w in doc["warnings"])


def test_without_its_stack_file_the_secret_is_a_placeholder_the_estimate_names_and_a_plain_value_is_asked_for(
    tmp_path: Path,
) -> None:
    """Stack `staging` has no stack file: the required secret is filled in with the placeholder (the
    warning names it on stderr, the estimate is the same program's), while a plain value the program
    requires is missing input: exit 2 with the option that gives it."""
    result = CliRunner().invoke(
        app,
        ["estimate", "--program", str(PROGRAMS / "aws-secrets"), "-s", "staging", "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    assert "orders-db:dbPassword" in result.stderr and "[secret]" in result.stderr
    doc = json.loads(result.stdout)
    storage = [ln for ln in doc["lines"] if ln["resource"] == "orders" and ln["unit"] == "GB-months"]
    assert [Decimal(str(ln["quantity"])) for ln in storage] == [Decimal(20)], (
        "the program's own fallback size"
    )

    program = tmp_path / "needs-size"
    program.mkdir()
    (program / "Pulumi.yaml").write_text("name: needs-size\nruntime: python\n")
    (program / "__main__.py").write_text("import pulumi\npulumi.Config().require('size')\n")
    result = CliRunner().invoke(app, ["estimate", "--program", str(program), "--format", "json"])
    assert result.exit_code == 2, result.output
    assert "needs the config value needs-size:size" in result.stderr
    assert "--config needs-size:size=VALUE" in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""
