"""Launch-template pieces every AWS node group shares: IMDSv2 only, an encrypted root volume."""

from __future__ import annotations

import pulumi_aws as aws

# Hop limit 1: only processes on the node (and hostNetwork pods such as the VPC CNI) reach instance
# metadata; other pods get credentials from EKS Pod Identity, never from the node role.
IMDS_HOP_LIMIT = 1


def imdsv2() -> aws.ec2.LaunchTemplateMetadataOptionsArgs:
    return aws.ec2.LaunchTemplateMetadataOptionsArgs(
        http_endpoint="enabled",
        http_tokens="required",
        http_put_response_hop_limit=IMDS_HOP_LIMIT,
        instance_metadata_tags="disabled",
    )


def encrypted_root(disk_gib: int) -> list[aws.ec2.LaunchTemplateBlockDeviceMappingArgs]:
    return [
        aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
            device_name="/dev/xvda",
            ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(
                volume_size=disk_gib,
                volume_type="gp3",
                encrypted="true",
                delete_on_termination="true",
            ),
        )
    ]
