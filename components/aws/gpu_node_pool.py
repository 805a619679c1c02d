"""GpuNodePool: an EKS managed node group of accelerator instances, with its launch template.

The instance type comes resolved from the catalog. With `interconnect`, every EFA-capable network card gets
an interface in the documented layout (`rules.efa_interfaces`), the pool sits in one subnet (one zone), and
it gets a `cluster` placement group unless it runs on reserved capacity (`rules.placement_for`).
IMDSv2 is required, the root volume is encrypted, and GPU nodes carry a taint so only GPU work lands there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from aiinfra.catalog import InstanceType
from aiinfra.components.aws import launch
from aiinfra.components.aws.rules import (
    CAPACITY_TYPE,
    GPU_AMI_TYPE,
    GPU_TAINT,
    efa_interfaces,
    placement_for,
)

TYPE = "aiinfra:aws:GpuNodePool"


@dataclass
class GpuNodePoolArgs:
    cluster_name: pulumi.Input[str]
    node_role_arn: pulumi.Input[str]
    instance_type: InstanceType
    subnet_ids: Sequence[pulumi.Input[str]]
    """With interconnect: exactly one subnet (one zone)."""
    cluster_security_group_id: pulumi.Input[str]
    efa_security_group_id: pulumi.Input[str]
    min_nodes: int
    desired_nodes: int
    max_nodes: int
    capacity: str = "on-demand"
    reservation: str | None = None
    interconnect: bool = True
    disk_gib: int = 500
    labels: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)


class GpuNodePool(pulumi.ComponentResource):
    node_group_name: pulumi.Output[str]
    autoscaling_group_name: pulumi.Output[str]
    """The Auto Scaling group EKS made for the node group (its tags do not reach it: tag it directly)."""
    launch_template_id: pulumi.Output[str]
    placement_group_name: pulumi.Output[str] | None
    labels: dict[str, str]
    """The nodes' Kubernetes labels (the queues and the autoscaler's templates select by them)."""
    efa: bool

    def __init__(self, name: str, args: GpuNodePoolArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        efa = self._check_interconnect(args)
        self.labels = {
            "aiinfra.dev/pool": name,
            **({"aiinfra.dev/accelerator": a} if (a := args.instance_type.accelerator) else {}),
            "aiinfra.dev/accelerator-vendor": "nvidia",
            **({"aiinfra.dev/efa": "true"} if efa else {}),
            **args.labels,
        }
        self.efa = efa
        pg = self._create_placement_group(name, args, efa)
        lt = self._create_launch_template(name, args, efa, pg)
        node_group = self._create_node_group(name, args, efa, lt)

        self.node_group_name = node_group.node_group_name
        self.autoscaling_group_name = node_group.resources.apply(lambda r: r[0].autoscaling_groups[0].name)
        self.launch_template_id = lt.id
        self.placement_group_name = pg.name if pg is not None else None
        self.register_outputs(
            {
                "nodeGroupName": self.node_group_name,
                "launchTemplateId": self.launch_template_id,
                "placementGroupName": self.placement_group_name,
            }
        )

    @staticmethod
    def _check_interconnect(args: GpuNodePoolArgs) -> bool:
        """Whether the pool gets EFA: interconnect asked for on an EFA-capable type, in one subnet."""
        itype = args.instance_type
        efa = args.interconnect and itype.supports_efa
        if args.interconnect and not itype.supports_efa:
            raise ValueError(f"{itype.name} has no EFA; a pool on it cannot set interconnect")
        if efa and len(args.subnet_ids) != 1:
            raise ValueError("an interconnect pool lives in exactly one subnet (one availability zone)")
        return efa

    def _create_placement_group(
        self, name: str, args: GpuNodePoolArgs, efa: bool
    ) -> aws.ec2.PlacementGroup | None:
        """A cluster placement group when the capacity allows one (a warning says why not, when not)."""
        placement = placement_for(name, interconnect=efa, capacity=args.capacity)
        if placement.warning:
            pulumi.log.warn(placement.warning, resource=self)
        if not placement.cluster_placement_group:
            return None
        return aws.ec2.PlacementGroup(
            f"{name}-pg", strategy="cluster", tags=args.tags, opts=pulumi.ResourceOptions(parent=self)
        )

    @staticmethod
    def _network_interfaces(
        args: GpuNodePoolArgs, efa: bool
    ) -> tuple[list[aws.ec2.LaunchTemplateNetworkInterfaceArgs] | None, list[pulumi.Input[str]] | None]:
        """(network interfaces, security groups): with EFA one interface per EFA card (the cluster's group
        on the primary), else the cluster's security group on the default interface."""
        if not efa:
            return None, [args.cluster_security_group_id]
        interfaces = [
            aws.ec2.LaunchTemplateNetworkInterfaceArgs(
                network_card_index=nic.network_card_index,
                device_index=nic.device_index,
                interface_type=nic.interface_type,
                subnet_id=args.subnet_ids[0],
                security_groups=(
                    [args.cluster_security_group_id, args.efa_security_group_id]
                    if nic.device_index == 0
                    else [args.efa_security_group_id]
                ),
                delete_on_termination="true",
            )
            for nic in efa_interfaces(args.instance_type.efa_cards)
        ]
        return interfaces, None

    def _create_launch_template(
        self, name: str, args: GpuNodePoolArgs, efa: bool, pg: aws.ec2.PlacementGroup | None
    ) -> aws.ec2.LaunchTemplate:
        """IMDSv2, an encrypted root, the EFA interfaces, the placement group and the reservation."""
        itype = args.instance_type
        interfaces, vpc_security_group_ids = self._network_interfaces(args, efa)
        reserved = args.capacity in ("reservation", "capacity-block")
        return aws.ec2.LaunchTemplate(
            f"{name}-lt",
            description=f"{itype.name} nodes for {name}",
            metadata_options=launch.imdsv2(),
            block_device_mappings=launch.encrypted_root(args.disk_gib),
            network_interfaces=interfaces,
            vpc_security_group_ids=vpc_security_group_ids,
            placement=aws.ec2.LaunchTemplatePlacementArgs(group_name=pg.name) if pg is not None else None,
            capacity_reservation_specification=(
                aws.ec2.LaunchTemplateCapacityReservationSpecificationArgs(
                    capacity_reservation_target=aws.ec2.LaunchTemplateCapacityReservationSpecificationCapacityReservationTargetArgs(
                        capacity_reservation_id=args.reservation
                    )
                )
                if reserved
                else None
            ),
            instance_market_options=(
                aws.ec2.LaunchTemplateInstanceMarketOptionsArgs(market_type="capacity-block")
                if args.capacity == "capacity-block"
                else None
            ),
            tag_specifications=[
                aws.ec2.LaunchTemplateTagSpecificationArgs(
                    resource_type="instance", tags={**args.tags, "Name": name}
                )
            ],
            tags=args.tags,
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_node_group(
        self, name: str, args: GpuNodePoolArgs, efa: bool, lt: aws.ec2.LaunchTemplate
    ) -> aws.eks.NodeGroup:
        """The managed node group: labels, the GPU taint, the capacity type, the launch template."""
        itype = args.instance_type
        key, value, effect = GPU_TAINT
        return aws.eks.NodeGroup(
            f"{name}-nodes",
            cluster_name=args.cluster_name,
            node_role_arn=args.node_role_arn,
            subnet_ids=args.subnet_ids,
            instance_types=[itype.name],
            ami_type=GPU_AMI_TYPE,
            capacity_type=CAPACITY_TYPE[args.capacity],
            scaling_config=aws.eks.NodeGroupScalingConfigArgs(
                min_size=args.min_nodes, desired_size=args.desired_nodes, max_size=args.max_nodes
            ),
            launch_template=aws.eks.NodeGroupLaunchTemplateArgs(
                id=lt.id, version=lt.latest_version.apply(str)
            ),
            labels=self.labels,
            taints=[aws.eks.NodeGroupTaintArgs(key=key, value=value, effect=effect)],
            update_config=aws.eks.NodeGroupUpdateConfigArgs(max_unavailable=1),
            # EKS replaces a node the node monitoring agent reports unhealthy (GPU: after 10 minutes).
            node_repair_config=aws.eks.NodeGroupNodeRepairConfigArgs(enabled=True),
            tags=args.tags,
            opts=pulumi.ResourceOptions(
                parent=self,
                # The autoscaler owns desired size once the group exists.
                ignore_changes=["scalingConfig.desiredSize"],
            ),
        )
