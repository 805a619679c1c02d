"""The ids and ARNs a program sees under the recording mocks are in each cloud's own format (ARM paths, EC2
`vpc-…` ids and per-service ARNs, GCP resource paths), the same on every run, so programs that parse them
(pulumi/examples azure-py-synapse: `resource_group.id.apply(lambda id: id.split("/")[2])`) plan as they
would run. Each pattern below is the cloud's documented one (doc URL beside it), not read from the code."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pulumi

from aiinfra.engine.graph import ResourceGraph
from aiinfra.engine.mocks import UNKNOWN
from aiinfra.engine.plan import plan_program

SUBSCRIPTION = "00000000-0000-0000-0000-000000000005"
"""What the offline `getClientConfig` answers (clouds/azure.py), written out so a change shows here."""
ACCOUNT = "123456789012"

# https://learn.microsoft.com/rest/api/resources/resources/get-by-id: /subscriptions/{subscriptionId}/
# resourceGroups/{resourceGroupName}/providers/{resourceProviderNamespace}/{resourceType}/{resourceName}
ARM_ID = re.compile(
    r"^/subscriptions/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"/resourceGroups/[-\w.()]+/providers/Microsoft\.[A-Za-z]+(/[A-Za-z]+/[^/]+)+$"
)
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html: arn:partition:service:region:
# account-id:resource-type/resource-id (or :resource-type:resource-id)
ARN = re.compile(r"^arn:aws:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:[^\s]+$")
# https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html: prefix + 8 or 17 hex characters


def ec2_id(prefix: str) -> re.Pattern[str]:
    return re.compile(rf"^{prefix}-([0-9a-f]{{8}}|[0-9a-f]{{17}})$")


def run(
    program: Callable[[dict[str, pulumi.Output[Any]]], None], **config: str
) -> tuple[dict[str, Any], ResourceGraph]:
    """Plan `program`, which puts outputs in the dict it is given; the values the program saw of them
    (an unknown one never calls back, so it is missing)."""
    seen: dict[str, Any] = {}

    def wrapped() -> None:
        outputs: dict[str, pulumi.Output[Any]] = {}
        program(outputs)
        for key, output in outputs.items():
            output.apply(lambda v, key=key: seen.__setitem__(key, v))

    graph = plan_program(wrapped, stack="test", config=config)
    return seen, graph


# -- Azure ----------------------------------------------------------------------------------------------------


def azure_program(out: dict[str, pulumi.Output[Any]]) -> None:
    import pulumi_azure_native as azure

    rg = azure.resources.ResourceGroup("rg", resource_group_name="data-rg", location="westeurope")
    account = azure.storage.StorageAccount(
        "sa",
        account_name="datasa",
        resource_group_name=rg.name,
        sku={"name": "Standard_LRS"},
        kind="StorageV2",
    )
    container = azure.storage.BlobContainer(
        "raw", account_name=account.name, resource_group_name=rg.name, container_name="raw"
    )
    vnet = azure.network.VirtualNetwork(
        "vnet", resource_group_name=rg.name, address_space={"address_prefixes": ["10.0.0.0/16"]}
    )
    subnet = azure.network.Subnet(
        "nodes", resource_group_name=rg.name, virtual_network_name=vnet.name, address_prefix="10.0.1.0/24"
    )
    assignment = azure.authorization.RoleAssignment(
        "reader",
        scope=account.id,
        principal_id="00000000-0000-0000-0000-0000000000aa",
        role_definition_id="/providers/Microsoft.Authorization/roleDefinitions/r",
    )
    # a parent whose name is not known until create: the child's id cannot be known either
    orphan = azure.network.Subnet(
        "orphan",
        resource_group_name=rg.name,
        virtual_network_name=account.primary_endpoints.apply(lambda e: e.blob),
        address_prefix="10.0.2.0/24",
    )
    config = azure.authorization.get_client_config_output()
    out.update(
        rg=rg.id,
        account=account.id,
        container=container.id,
        vnet=vnet.id,
        subnet=subnet.id,
        assignment=assignment.id,
        orphan=orphan.id,
        subscription=rg.id.apply(lambda i: i.split("/")[2]),  # as azure-py-synapse does
        client_subscription=config.subscription_id,
    )


def test_azure_ids_are_arm_paths_from_the_type_the_inputs_and_the_client_config_subscription() -> None:
    seen, _ = run(azure_program)
    groups = f"/subscriptions/{SUBSCRIPTION}/resourceGroups"
    assert seen["rg"] == f"{groups}/data-rg"
    assert seen["account"] == f"{groups}/data-rg/providers/Microsoft.Storage/storageAccounts/datasa"
    assert seen["container"] == (
        f"{groups}/data-rg/providers/Microsoft.Storage/storageAccounts/datasa/blobServices/default/containers/raw"
    )
    assert seen["vnet"] == f"{groups}/data-rg/providers/Microsoft.Network/virtualNetworks/vnet"
    assert (
        seen["subnet"] == f"{groups}/data-rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/nodes"
    )
    # an extension resource hangs below the resource it is scoped to
    assert seen["assignment"] == f"{seen['account']}/providers/Microsoft.Authorization/roleAssignments/reader"
    for key in ("account", "container", "vnet", "subnet", "assignment"):
        assert ARM_ID.match(seen[key]), (key, seen[key])


def test_azure_py_synapse_reads_the_subscription_from_a_resource_group_id() -> None:
    seen, _ = run(azure_program)
    assert seen["subscription"] == SUBSCRIPTION
    assert seen["subscription"] == seen["client_subscription"], "the id and getClientConfig must agree"


def test_an_azure_child_of_a_parent_named_only_after_create_has_an_unknown_id() -> None:
    seen, graph = run(azure_program)
    assert "orphan" not in seen, "a preview does not know this id: the callback must not run"
    assert graph.get("azure-native:network:Subnet", "orphan").inputs["virtualNetworkName"] == UNKNOWN


def test_classic_azure_and_azuread_ids() -> None:
    from aiinfra.clouds.azure import arm_id

    assert arm_id("azure:core/resourceGroup:ResourceGroup", "rg", {"name": "g"}) == (
        f"/subscriptions/{SUBSCRIPTION}/resourceGroups/g"
    )
    vm = arm_id(
        "azure:compute/linuxVirtualMachine:LinuxVirtualMachine",
        "vm",
        {"resourceGroupName": "g", "name": "web"},
    )
    assert (
        vm
        == f"/subscriptions/{SUBSCRIPTION}/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/web"
    )
    app = arm_id("azuread:index/application:Application", "app", {})
    assert app is not None and re.fullmatch(r"/applications/[0-9a-f-]{36}", app)
    assert arm_id("azure:network/virtualNetwork:VirtualNetwork", "v", {}) is None, "no group: unknown"


# -- AWS ------------------------------------------------------------------------------------------------------


def aws_program(out: dict[str, pulumi.Output[Any]]) -> None:
    import pulumi_aws as aws

    vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
    subnet = aws.ec2.Subnet("subnet", vpc_id=vpc.id, cidr_block="10.0.1.0/24")
    sg = aws.ec2.SecurityGroup("sg", vpc_id=vpc.id)
    igw = aws.ec2.InternetGateway("igw", vpc_id=vpc.id)
    eip = aws.ec2.Eip("eip", domain="vpc")
    nat = aws.ec2.NatGateway("nat", subnet_id=subnet.id, allocation_id=eip.id)
    lt = aws.ec2.LaunchTemplate("lt", instance_type="t3.micro")
    vm = aws.ec2.Instance("vm", instance_type="t3.micro", ami="ami-0123456789abcdef0", subnet_id=subnet.id)
    vol = aws.ebs.Volume("vol", availability_zone="us-west-2a", size=10)
    bucket = aws.s3.BucketV2("data", bucket="my-data")
    role = aws.iam.Role("role", name="node-role", assume_role_policy="{}")
    fn = aws.lambda_.Function("fn", name="handler", role=role.arn, runtime="python3.12", handler="x.h")
    eks = aws.eks.Cluster("eks", name="train", role_arn=role.arn, vpc_config={"subnet_ids": [subnet.id]})
    topic = aws.sns.Topic("topic", name="alerts")
    key = aws.kms.Key("key")
    out.update(
        vpc=vpc.id,
        subnet=subnet.id,
        sg=sg.id,
        igw=igw.id,
        eip=eip.id,
        nat=nat.id,
        lt=lt.id,
        vm=vm.id,
        vm_arn=vm.arn,
        vol=vol.id,
        bucket=bucket.id,
        bucket_arn=bucket.arn,
        bucket_name=bucket.bucket,
        classic_bucket=aws.s3.Bucket("classic", bucket="my-logs").bucket,
        eks_name=eks.name,
        role=role.id,
        role_arn=role.arn,
        fn_arn=fn.arn,
        eks_arn=eks.arn,
        subnet_arn=subnet.arn,
        topic=topic.id,
        topic_arn=topic.arn,
        key=key.id,
        key_arn=key.arn,
    )


def test_aws_ec2_ids_carry_their_documented_prefix_and_hex() -> None:
    seen, graph = run(aws_program, **{"aws:region": "us-west-2"})
    for key, prefix in (
        ("vpc", "vpc"),
        ("subnet", "subnet"),
        ("sg", "sg"),
        ("igw", "igw"),
        ("eip", "eipalloc"),
        ("nat", "nat"),
        ("lt", "lt"),
        ("vm", "i"),
        ("vol", "vol"),
    ):
        assert ec2_id(prefix).match(seen[key]), (key, seen[key])
    assert len({seen[k] for k in ("vpc", "subnet", "sg", "vm")}) == 4
    # what a program passes on is the id it saw
    assert graph.get("aws:ec2/subnet:Subnet", "subnet").inputs["vpcId"] == seen["vpc"]
    assert graph.get("aws:ec2/natGateway:NatGateway", "nat").inputs["allocationId"] == seen["eip"]


def test_aws_arns_follow_each_service_shape() -> None:
    seen, _ = run(aws_program, **{"aws:region": "us-west-2"})
    # S3: arn:aws:s3:::bucket_name, no region and no account
    # (https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-arn-format.html); the id is the bucket name
    assert seen["bucket_arn"] == "arn:aws:s3:::my-data"
    assert seen["bucket"] == seen["bucket_name"] == "my-data"
    assert seen["classic_bucket"] == "my-logs", "an explicit name is what the provider reports back"
    # IAM: arn:aws:iam::account:role/name, no region (IAM reference-arns page); a role's id is its name
    assert seen["role_arn"] == f"arn:aws:iam::{ACCOUNT}:role/node-role"
    assert seen["role"] == "node-role"
    # Lambda: arn:aws:lambda:region:account:function:name (Lambda developer guide, lambda-api-permissions-ref)
    assert seen["fn_arn"] == f"arn:aws:lambda:us-west-2:{ACCOUNT}:function:handler"
    # EKS: arn:aws:eks:region:account:cluster/name (Service Authorization Reference, Amazon EKS)
    assert seen["eks_arn"] == f"arn:aws:eks:us-west-2:{ACCOUNT}:cluster/train"
    assert seen["eks_name"] == "train"
    # EC2: arn:aws:ec2:region:account:instance/instance-id, subnet/subnet-id (ibid., Amazon EC2)
    assert seen["vm_arn"] == f"arn:aws:ec2:us-west-2:{ACCOUNT}:instance/{seen['vm']}"
    assert seen["subnet_arn"] == f"arn:aws:ec2:us-west-2:{ACCOUNT}:subnet/{seen['subnet']}"
    # SNS: arn:aws:sns:region:account:topic-name; the Terraform id of a topic is its ARN
    assert seen["topic_arn"] == f"arn:aws:sns:us-west-2:{ACCOUNT}:alerts" == seen["topic"]
    # KMS: arn:aws:kms:region:account:key/key-id, a key id being a UUID
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", seen["key"])
    assert seen["key_arn"] == f"arn:aws:kms:us-west-2:{ACCOUNT}:key/{seen['key']}"
    for key in ("bucket_arn", "role_arn", "fn_arn", "eks_arn", "vm_arn", "topic_arn", "key_arn"):
        assert ARN.match(seen[key]), (key, seen[key])


def test_the_generic_arn_for_a_service_without_a_shape_row() -> None:
    from aiinfra.clouds.aws import arn

    assert arn("aws:glue/crawler:Crawler", "c", "eu-west-1", {"name": "nightly"}, None) == (
        f"arn:aws:glue:eu-west-1:{ACCOUNT}:crawler/nightly"
    )


def test_ids_are_the_same_every_run_and_differ_by_name() -> None:
    first, g1 = run(aws_program, **{"aws:region": "us-west-2"})
    second, g2 = run(aws_program, **{"aws:region": "us-west-2"})
    assert first == second
    assert json.dumps(g1.to_json(), sort_keys=True) == json.dumps(g2.to_json(), sort_keys=True)

    def two_vpcs(out: dict[str, pulumi.Output[Any]]) -> None:
        import pulumi_aws as aws

        out.update(
            a=aws.ec2.Vpc("a", cidr_block="10.0.0.0/16").id, b=aws.ec2.Vpc("b", cidr_block="10.1.0.0/16").id
        )

    seen, _ = run(two_vpcs)
    assert seen["a"] != seen["b"]


# -- GCP ------------------------------------------------------------------------------------------------------


def gcp_program(out: dict[str, pulumi.Output[Any]]) -> None:
    import pulumi_gcp as gcp

    net = gcp.compute.Network("net", project="p1", auto_create_subnetworks=False)
    sub = gcp.compute.Subnetwork(
        "sub", project="p1", region="europe-west4", network=net.id, ip_cidr_range="10.0.0.0/20"
    )
    vm = gcp.compute.Instance(
        "vm",
        project="p1",
        zone="europe-west4-b",
        machine_type="e2-medium",
        boot_disk={"initialize_params": {"image": "debian-12"}},
        network_interfaces=[{"subnetwork": sub.id}],
    )
    disk = gcp.compute.Disk("scratch", project="p1", zone="europe-west4-b", size=100)
    gke = gcp.container.Cluster("gke", project="p1", location="europe-west4", initial_node_count=1)
    pool = gcp.container.NodePool(
        "pool", project="p1", location="europe-west4", cluster=gke.name, node_count=1
    )
    out.update(net=net.id, sub=sub.id, vm=vm.id, disk=disk.id, gke=gke.id, pool=pool.id)


def test_gcp_ids_are_resource_paths() -> None:
    # Compute Engine resource names: projects/{project}/global|regions/{region}|zones/{zone}/{collection}/
    # {name} (https://cloud.google.com/compute/docs/reference/rest/v1/instances/get and its siblings);
    # GKE: projects/{project}/locations/{location}/clusters/{cluster}
    # (https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters);
    # a node pool's Terraform id: {project}/{location}/{cluster}/{name} (google_container_node_pool docs).
    seen, _ = run(gcp_program)
    assert seen == {
        "net": "projects/p1/global/networks/net",
        "sub": "projects/p1/regions/europe-west4/subnetworks/sub",
        "vm": "projects/p1/zones/europe-west4-b/instances/vm",
        "disk": "projects/p1/zones/europe-west4-b/disks/scratch",
        "gke": "projects/p1/locations/europe-west4/clusters/gke",
        "pool": "p1/europe-west4/gke/pool",
    }


def test_a_resource_of_no_cloud_keeps_a_name_based_id() -> None:
    from pulumi.runtime.mocks import MockResourceArgs

    from aiinfra.engine.mocks import OfflineMocks

    id_, _ = OfflineMocks().new_resource(
        MockResourceArgs(
            typ="random:index/randomPet:RandomPet", name="pet", inputs={}, provider=None, resource_id=None
        )
    )
    assert id_ == "pet-id"


# -- resources are linked by the ids they pass each other ------------------------------------------------------


def test_each_node_group_of_a_flat_program_gets_the_disks_of_the_launch_template_whose_id_it_names() -> None:
    """Two launch templates and two node groups at the top of a program (no component to pair them): each
    group's root volumes are its own template's size, found by the `lt-…` id the group passes, which the
    plan records with the resource (`PlannedResource.id`), not by position."""
    import pulumi_aws as aws

    from aiinfra.catalog import default_catalog
    from aiinfra.estimate import estimate

    def program() -> None:
        def template(name: str, gib: int) -> aws.ec2.LaunchTemplate:
            return aws.ec2.LaunchTemplate(
                name,
                block_device_mappings=[
                    {"device_name": "/dev/xvda", "ebs": {"volume_size": gib, "volume_type": "gp3"}}
                ],
            )

        small, big = template("a-small", 50), template("b-big", 900)
        for name, lt in (("gpu", big), ("cpu", small)):  # the first template is not the GPU group's
            aws.eks.NodeGroup(
                name,
                cluster_name="c",
                node_role_arn="arn:aws:iam::123456789012:role/n",
                subnet_ids=["subnet-1"],
                instance_types=["m5.large"],
                scaling_config={"desired_size": 1, "min_size": 1, "max_size": 1},
                launch_template={"id": lt.id, "version": "1"},
            )

    graph = plan_program(program, stack="t", config={"aws:region": "us-east-1"})
    ids = {r.name: r.id for r in graph.resources if r.type == "aws:ec2/launchTemplate:LaunchTemplate"}
    assert all(ec2_id("lt").match(i) for i in ids.values()) and len(set(ids.values())) == 2, ids
    assert graph.get("aws:eks/nodeGroup:NodeGroup", "gpu").inputs["launchTemplate"]["id"] == ids["b-big"]
    result = estimate(graph, default_catalog())
    disks = {
        ln.resource: (ln.description, ln.quantity)
        for ln in result.lines
        if ln.type == "aws:ec2/launchTemplate:LaunchTemplate"
    }
    assert disks == {
        "b-big": ("EBS gp3 root volume of gpu: 900 GiB × 1.00 (average nodes)", 900),
        "a-small": ("EBS gp3 root volume of cpu: 50 GiB × 1.00 (average nodes)", 50),
    }, disks
