"""LustreFileSystem and ObjectBucket under the recording mocks: encryption, protection, links, ports."""

from __future__ import annotations

import json

import pytest

from aiinfra.components.aws.lustre import TYPE as LUSTRE
from aiinfra.components.aws.lustre import LustreFileSystem, LustreFileSystemArgs
from aiinfra.components.aws.object_bucket import TYPE as BUCKET
from aiinfra.components.aws.object_bucket import ObjectBucket, ObjectBucketArgs
from aiinfra.engine.graph import ResourceGraph
from tests.conftest import children_of, id_of, names_by_type, plan

FS = "aws:fsx/lustreFileSystem:LustreFileSystem"
DRA = "aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation"
KEY = "aws:kms/key:Key"
SG = "aws:ec2/securityGroup:SecurityGroup"
IN = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
OUT = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"


def lustre_graph(
    capacity: int = 4800, bucket: str | None = "datasets-bucket", protect: bool = True
) -> ResourceGraph:
    def program() -> None:
        LustreFileSystem(
            "scratch",
            LustreFileSystemArgs(
                vpc_id="vpc-1",
                subnet_id="subnet-a",
                client_security_group_id="sg-nodes",
                capacity_gib=capacity,
                throughput_mbps_per_tib=500,
                data_repository_bucket=bucket,
                protect=protect,
            ),
        )

    return plan(program)


def test_lustre_component_children_are_exact() -> None:
    graph = lustre_graph()
    assert names_by_type(children_of(graph, LUSTRE, "scratch")) == {
        (SG, "scratch-sg"),
        (IN, "scratch-in-nodes-988"),
        (IN, "scratch-in-self-988"),
        (IN, "scratch-in-nodes-1018"),
        (IN, "scratch-in-self-1018"),
        (OUT, "scratch-out-self-988"),
        (OUT, "scratch-out-self-1018"),
        (KEY, "scratch-key"),
        (FS, "scratch-fs"),
        (DRA, "scratch-dra"),
    }


def test_lustre_is_persistent_2_encrypted_with_its_own_key_in_one_subnet() -> None:
    graph = lustre_graph()
    fs = graph.get(FS, "scratch-fs").inputs
    assert fs["deploymentType"] == "PERSISTENT_2"
    assert fs["storageCapacity"] == 4800 and fs["perUnitStorageThroughput"] == 500
    key = id_of(graph, KEY, "scratch-key")
    assert fs["kmsKeyId"] == f"arn:aws:kms:us-east-1:123456789012:key/{key}", "its own customer key"
    assert graph.get(KEY, "scratch-key").inputs["enableKeyRotation"] is True
    assert fs["subnetIds"] == "subnet-a", "one subnet: the file servers sit in the GPU pool's zone"
    assert fs["securityGroupIds"] == [id_of(graph, "aws:ec2/securityGroup:SecurityGroup", "scratch-sg")]
    assert fs["skipFinalBackup"] is False, "a deleted file system leaves a final backup"


def test_lustre_data_and_key_are_protected_and_retained() -> None:
    graph = lustre_graph()
    for type_, name in ((FS, "scratch-fs"), (KEY, "scratch-key")):
        r = graph.get(type_, name)
        assert r.protect and r.retain_on_delete, f"{name} holds or unlocks data: protect and retain it"
    unprotected = lustre_graph(protect=False)
    assert not unprotected.get(FS, "scratch-fs").protect, "protect: false in the spec turns it off"


def test_lustre_is_linked_to_its_bucket_both_ways() -> None:
    graph = lustre_graph()
    dra = graph.get(DRA, "scratch-dra").inputs
    assert dra["dataRepositoryPath"] == "s3://datasets-bucket"
    assert dra["fileSystemPath"] == "/"
    assert dra["fileSystemId"] == id_of(graph, FS, "scratch-fs")
    assert dra["s3"]["autoImportPolicy"]["events"] == ["NEW", "CHANGED", "DELETED"]
    assert dra["s3"]["autoExportPolicy"]["events"] == ["NEW", "CHANGED", "DELETED"]
    assert dra["deleteDataInFilesystem"] is False


def test_lustre_without_a_bucket_has_no_data_repository_association() -> None:
    assert not lustre_graph(bucket=None).by_type(DRA)


def test_lustre_ports_open_only_to_the_nodes_and_the_file_servers() -> None:
    graph = lustre_graph()
    rules = graph.by_type(IN) + graph.by_type(OUT)
    for rule in rules:
        assert "cidrIpv4" not in rule.inputs, f"{rule.name} must reference security groups, not CIDRs"
        assert rule.inputs["ipProtocol"] == "tcp"
    ports = {
        (r.inputs["fromPort"], r.inputs["toPort"], r.inputs["referencedSecurityGroupId"])
        for r in graph.by_type(IN)
    }
    own = id_of(graph, "aws:ec2/securityGroup:SecurityGroup", "scratch-sg")
    assert ports == {(988, 988, "sg-nodes"), (988, 988, own), (1018, 1023, "sg-nodes"), (1018, 1023, own)}


def test_lustre_refuses_a_size_fsx_does_not_offer() -> None:
    with pytest.raises(Exception, match="1000 GiB is not a size"):
        lustre_graph(capacity=1000)


def bucket_graph(protect: bool = True) -> ResourceGraph:
    return plan(lambda: ObjectBucket("datasets", ObjectBucketArgs(protect=protect)) and None)


def test_bucket_children_are_exact() -> None:
    assert names_by_type(children_of(bucket_graph(), BUCKET, "datasets")) == {
        (KEY, "datasets-key"),
        ("aws:s3/bucket:Bucket", "datasets-bucket"),
        (
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "datasets-sse",
        ),
        ("aws:s3/bucketVersioning:BucketVersioning", "datasets-versioning"),
        ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "datasets-public-access-block"),
        ("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "datasets-ownership"),
        ("aws:s3/bucketPolicy:BucketPolicy", "datasets-tls-only"),
    }


def test_bucket_is_kms_encrypted_versioned_private_and_tls_only() -> None:
    graph = bucket_graph()
    rule = graph.get(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "datasets-sse",
    ).inputs["rules"][0]
    assert rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms"
    assert rule["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"].startswith("arn:aws:kms:")
    assert rule["bucketKeyEnabled"] is True
    versioning = graph.get("aws:s3/bucketVersioning:BucketVersioning", "datasets-versioning").inputs
    assert versioning["versioningConfiguration"] == {"status": "Enabled"}
    block = graph.get(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "datasets-public-access-block"
    )
    flags = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    assert all(block.inputs[f] is True for f in flags), "every public access path is blocked"
    policy = json.loads(graph.get("aws:s3/bucketPolicy:BucketPolicy", "datasets-tls-only").inputs["policy"])
    statement = policy["Statement"][0]
    assert statement["Effect"] == "Deny" and statement["Condition"] == {
        "Bool": {"aws:SecureTransport": "false"}
    }


def test_bucket_and_its_key_are_protected_and_never_force_destroyed() -> None:
    graph = bucket_graph()
    bucket = graph.get("aws:s3/bucket:Bucket", "datasets-bucket")
    assert bucket.protect and bucket.retain_on_delete
    assert bucket.inputs["forceDestroy"] is False, "destroy must not empty the bucket"
    key = graph.get(KEY, "datasets-key")
    assert key.protect and key.retain_on_delete and key.inputs["enableKeyRotation"] is True
    loose = bucket_graph(protect=False).get("aws:s3/bucket:Bucket", "datasets-bucket")
    assert not loose.protect and not loose.retain_on_delete
