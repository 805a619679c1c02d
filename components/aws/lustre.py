"""LustreFileSystem: FSx for Lustre PERSISTENT_2 scratch next to the GPUs.

In the interconnect pool's subnet (same zone, no cross-zone traffic), encrypted with its own rotated KMS
key, reachable only from the cluster's nodes on the Lustre ports, optionally linked to an S3 bucket by a
data repository association (import and export of new, changed and deleted objects). Protected from
deletion unless `protect` is off, with a final backup if it is ever deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from aiinfra.clouds.aws import LUSTRE_DEFAULT_THROUGHPUT, lustre_size_problem
from aiinfra.components.aws.kms import customer_key
from aiinfra.components.aws.rules import LUSTRE_PORTS

TYPE = "aiinfra:aws:LustreFileSystem"
LUSTRE_VERSION = "2.15"
EVENTS = ["NEW", "CHANGED", "DELETED"]


@dataclass
class LustreFileSystemArgs:
    vpc_id: pulumi.Input[str]
    subnet_id: pulumi.Input[str]
    client_security_group_id: pulumi.Input[str]
    """The security group of the nodes that mount it (the EKS cluster security group)."""
    capacity_gib: int
    throughput_mbps_per_tib: int = LUSTRE_DEFAULT_THROUGHPUT
    data_repository_bucket: pulumi.Input[str] | None = None
    """An S3 bucket name to link at /; None for a file system with no repository."""
    protect: bool = True
    tags: dict[str, str] = field(default_factory=dict)


class LustreFileSystem(pulumi.ComponentResource):
    file_system_id: pulumi.Output[str]
    file_system_arn: pulumi.Output[str]
    dns_name: pulumi.Output[str]
    mount_name: pulumi.Output[str]
    security_group_id: pulumi.Output[str]

    def __init__(
        self, name: str, args: LustreFileSystemArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        problem = lustre_size_problem(args.capacity_gib)
        if problem:
            raise ValueError(problem)
        sg = self._create_security_group(name, args)
        fs = self._create_file_system(name, args, sg)
        if args.data_repository_bucket is not None:
            self._link_data_repository(name, args, fs, args.data_repository_bucket)

        self.file_system_id = fs.id
        self.file_system_arn = fs.arn
        self.dns_name = fs.dns_name
        self.mount_name = fs.mount_name
        self.security_group_id = sg.id
        self.register_outputs(
            {
                "fileSystemId": self.file_system_id,
                "fileSystemArn": self.file_system_arn,
                "dnsName": self.dns_name,
                "mountName": self.mount_name,
                "securityGroupId": self.security_group_id,
            }
        )

    def _create_security_group(self, name: str, args: LustreFileSystemArgs) -> aws.ec2.SecurityGroup:
        """Lustre's ports from the cluster nodes and between the file servers, nothing else."""
        child = pulumi.ResourceOptions(parent=self)
        sg = aws.ec2.SecurityGroup(
            f"{name}-sg",
            vpc_id=args.vpc_id,
            description="FSx for Lustre: Lustre ports from cluster nodes and file servers only",
            tags={**args.tags, "Name": f"{name}-lustre"},
            opts=child,
        )
        for low, high in LUSTRE_PORTS:
            for source, ref in (("nodes", args.client_security_group_id), ("self", sg.id)):
                aws.vpc.SecurityGroupIngressRule(
                    f"{name}-in-{source}-{low}",
                    security_group_id=sg.id,
                    referenced_security_group_id=ref,
                    ip_protocol="tcp",
                    from_port=low,
                    to_port=high,
                    description=f"Lustre {low}-{high} from {source}",
                    opts=child,
                )
            aws.vpc.SecurityGroupEgressRule(
                f"{name}-out-self-{low}",
                security_group_id=sg.id,
                referenced_security_group_id=sg.id,
                ip_protocol="tcp",
                from_port=low,
                to_port=high,
                description=f"Lustre {low}-{high} between file servers",
                opts=child,
            )
        return sg

    def _create_file_system(
        self, name: str, args: LustreFileSystemArgs, sg: aws.ec2.SecurityGroup
    ) -> aws.fsx.LustreFileSystem:
        """The PERSISTENT_2 file system and its KMS key, both protected and kept unless `protect` is off."""
        keep = pulumi.ResourceOptions(parent=self, protect=args.protect, retain_on_delete=args.protect)
        key = customer_key(f"{name}-key", f"FSx for Lustre encryption for {name}", args.tags, keep)
        return aws.fsx.LustreFileSystem(
            f"{name}-fs",
            deployment_type="PERSISTENT_2",
            storage_type="SSD",
            storage_capacity=args.capacity_gib,
            per_unit_storage_throughput=args.throughput_mbps_per_tib,
            file_system_type_version=LUSTRE_VERSION,
            data_compression_type="LZ4",
            subnet_ids=args.subnet_id,  # a single subnet ID in pulumi-aws 7 (one zone)
            security_group_ids=[sg.id],
            kms_key_id=key.arn,
            skip_final_backup=False,
            copy_tags_to_backups=True,
            tags={**args.tags, "Name": name},
            opts=keep,
        )

    def _link_data_repository(
        self, name: str, args: LustreFileSystemArgs, fs: aws.fsx.LustreFileSystem, bucket: pulumi.Input[str]
    ) -> None:
        """The S3 bucket linked at /, imported on create and kept in sync both ways."""
        aws.fsx.DataRepositoryAssociation(
            f"{name}-dra",
            file_system_id=fs.id,
            file_system_path="/",
            data_repository_path=pulumi.Output.concat("s3://", bucket),
            batch_import_meta_data_on_create=True,
            delete_data_in_filesystem=False,
            s3=aws.fsx.DataRepositoryAssociationS3Args(
                auto_import_policy=aws.fsx.DataRepositoryAssociationS3AutoImportPolicyArgs(events=EVENTS),
                auto_export_policy=aws.fsx.DataRepositoryAssociationS3AutoExportPolicyArgs(events=EVENTS),
            ),
            tags=args.tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
