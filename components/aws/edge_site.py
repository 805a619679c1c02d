"""AwsEdgeSite: GPU nodes at an AWS Local Zone, Wavelength Zone or Outpost, joined to a regional EKS cluster.

- Opt-in: `AvailabilityZoneGroup` for Local and Wavelength Zones. The API only opts in; deleting the resource
  leaves the group opted in and opting out needs AWS Support (the plan warns; `destroy` says so too).
- Network: a subnet in the location inside the joined cluster's VPC, carved from the part of the VPC the
  cluster's subnets leave free (`clouds.cidr.edge_subnet`). Local Zone and Outpost egress goes through the
  region's NAT gateway (no NAT gateway or EIP in the zone: NAT gateways are not offered in every Local Zone,
  and a second NAT would be paid for egress that is only image pulls and telemetry). A Wavelength subnet
  routes to a carrier gateway, the only way out of a Wavelength Zone. A `public` Local Zone site routes to
  the internet gateway instead and its nodes get public addresses; a `public` Wavelength site's nodes get
  carrier addresses. Otherwise nodes have private addresses only.
- Nodes: an EKS managed node group in a Local Zone (supported there); self-managed nodes (launch template +
  Auto Scaling group joining through an EKS access entry with their own node role) in Wavelength and on
  Outposts, where managed node groups are not (EKS user guide, reference/edge-sites.md §5). IMDSv2, an
  encrypted root of a volume type the location offers (gp2 where gp3 is not listed), the GPU taint and labels
  like the regional pools plus `aiinfra.dev/edge-site`.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from aiinfra.catalog import Catalog, InstanceType
from aiinfra.catalog.edge import EDGE_LOCATION_TAG, PUBLIC_TAG, EdgeLocation, resolve_edge
from aiinfra.clouds.cidr import edge_subnet
from aiinfra.components.aws import iam, launch
from aiinfra.components.aws.gpu_cluster import AwsGpuCluster
from aiinfra.components.aws.rules import CAPACITY_TYPE, GPU_AMI_TYPE, GPU_TAINT, autoscaler_asg_tags
from aiinfra.components.outputs import ClusterOutputs, EdgeOutputs
from aiinfra.spec.models import EdgeSite

TYPE = "aiinfra:aws:EdgeSite"
EDGE_LABEL = "aiinfra.dev/edge-site"
OPT_IN_WARNING = (
    "opts the account in to zone group {group}. Opting in cannot be undone by Pulumi: deleting the resource "
    "leaves the group opted in, and opting out needs a request to AWS Support."
)
# The EKS-optimised AL2023 NVIDIA AMI for self-managed nodes (EKS user guide, "Retrieve recommended Amazon
# Linux AMI IDs"): /aws/service/eks/optimized-ami/<k8s version>/amazon-linux-2023/x86_64/nvidia/recommended/image_id
AMI_PARAMETER = (
    "/aws/service/eks/optimized-ami/{version}/amazon-linux-2023/x86_64/nvidia/recommended/image_id"
)


def volume_type(offered: Sequence[str]) -> str:
    """gp3 where the location lists it, else gp2 (Local Zones, Wavelength and Outposts: eksctl and the EKS
    Outposts docs require gp2 where the zone's EBS types are not known)."""
    return "gp3" if "gp3" in offered else "gp2"


def node_config(
    cluster_name: str, endpoint: str, ca: str, service_cidr: str, labels: Mapping[str, str]
) -> str:
    """AL2023 nodeadm user data (MIME multi-part) joining `cluster_name` with `labels` and the GPU taint."""
    key, value, effect = GPU_TAINT
    kube_labels = ",".join(f"{k}={v}" for k, v in sorted(labels.items()))
    taint = f"{key}={value}:{'NoSchedule' if effect == 'NO_SCHEDULE' else effect}"
    doc = (
        "apiVersion: node.eks.aws/v1alpha1\n"
        "kind: NodeConfig\n"
        "spec:\n"
        "  cluster:\n"
        f"    name: {cluster_name}\n"
        f"    apiServerEndpoint: {endpoint}\n"
        f"    certificateAuthority: {ca}\n"
        f"    cidr: {service_cidr}\n"
        "  kubelet:\n"
        "    flags:\n"
        f"      - --node-labels={kube_labels}\n"
        f"      - --register-with-taints={taint}\n"
    )
    boundary = "AIINFRA"
    mime = (
        f'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="{boundary}"\n\n'
        f"--{boundary}\nContent-Type: application/node.eks.aws\n\n{doc}\n--{boundary}--\n"
    )
    return base64.b64encode(mime.encode()).decode()


@dataclass
class AwsEdgeSiteArgs:
    spec: EdgeSite
    location: EdgeLocation
    instance_type: InstanceType
    cluster: AwsGpuCluster
    index: int
    """The site's place among the sites joining the same cluster (picks its subnet)."""
    kubernetes_version: str
    anchor_zone: str | None = None
    """Outposts: the Availability Zone the Outpost is anchored to (its subnet must name it)."""
    tags: dict[str, str] = field(default_factory=dict)


class AwsEdgeSite(pulumi.ComponentResource):
    subnet_id: pulumi.Output[str]
    node_group_name: pulumi.Output[str]
    labels: dict[str, str]

    def __init__(self, name: str, args: AwsEdgeSiteArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        loc, site = args.location, args.spec
        self._tags = {
            **args.tags,
            EDGE_LOCATION_TAG: site.location,
            **({PUBLIC_TAG: "true"} if site.public else {}),
        }
        self.kind = loc.kind
        self.labels = {
            "aiinfra.dev/pool": name,
            EDGE_LABEL: site.name,
            **({"aiinfra.dev/accelerator": a} if (a := args.instance_type.accelerator) else {}),
            "aiinfra.dev/accelerator-vendor": "nvidia",
            **site.labels,
        }
        opt_in = self._opt_in(name, loc)
        subnet = self._subnet(name, args, opt_in)
        self._route(name, args, subnet)
        if loc.kind == "local-zone":
            lt = self._launch_template(name, args, None)
            self.node_group_name = self._managed_nodes(name, args, subnet, lt)
        else:
            profile, joined = self._node_identity(name, args)
            lt = self._launch_template(name, args, profile)
            self.node_group_name = self._self_managed_nodes(name, args, subnet, lt, joined)
        self.subnet_id = subnet.id
        self.register_outputs({"subnetId": self.subnet_id, "nodeGroupName": self.node_group_name})

    def _child(self, depends_on: Sequence[pulumi.Resource] | None = None) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, depends_on=list(depends_on or []))

    def _opt_in(self, name: str, loc: EdgeLocation) -> aws.ec2.AvailabilityZoneGroup | None:
        if loc.zone_group is None:
            return None
        pulumi.log.warn(f"edge site {name} " + OPT_IN_WARNING.format(group=loc.zone_group), resource=self)
        return aws.ec2.AvailabilityZoneGroup(
            f"{name}-opt-in",
            group_name=loc.zone_group,
            opt_in_status="opted-in",
            opts=pulumi.ResourceOptions(parent=self, retain_on_delete=True),
        )

    def _subnet(
        self, name: str, args: AwsEdgeSiteArgs, opt_in: aws.ec2.AvailabilityZoneGroup | None
    ) -> aws.ec2.Subnet:
        net = args.cluster.network
        outpost = args.location.kind == "outpost"
        return aws.ec2.Subnet(
            f"{name}-subnet",
            vpc_id=net.vpc_id,
            cidr_block=str(edge_subnet(net.cidr, args.index)),
            availability_zone=(
                aws.outposts.get_outpost_output(
                    arn=args.spec.location, opts=pulumi.InvokeOutputOptions(parent=self)
                ).availability_zone
                if outpost
                else args.spec.location
            ),
            outpost_arn=args.spec.location if outpost else None,
            map_public_ip_on_launch=False,
            tags={
                **self._tags,
                "Name": f"{name}-{args.spec.location.rsplit('/', 1)[-1]}",
                EDGE_LABEL: args.spec.name,
            },
            opts=self._child([opt_in] if opt_in is not None else None),
        )

    def _route(self, name: str, args: AwsEdgeSiteArgs, subnet: aws.ec2.Subnet) -> None:
        net = args.cluster.network
        kind, public = args.location.kind, args.spec.public
        if kind == "wavelength":
            gateway = aws.ec2.CarrierGateway(
                f"{name}-carrier-gw",
                vpc_id=net.vpc_id,
                tags={**self._tags, "Name": f"{name}-carrier"},
                opts=self._child(),
            )
            route = aws.ec2.RouteTableRouteArgs(cidr_block="0.0.0.0/0", carrier_gateway_id=gateway.id)
        elif kind == "local-zone" and public:
            route = aws.ec2.RouteTableRouteArgs(cidr_block="0.0.0.0/0", gateway_id=net.internet_gateway_id)
        else:
            route = aws.ec2.RouteTableRouteArgs(cidr_block="0.0.0.0/0", nat_gateway_id=net.nat_gateway_ids[0])
        rt = aws.ec2.RouteTable(
            f"{name}-rt",
            vpc_id=net.vpc_id,
            routes=[route],
            tags={**self._tags, "Name": f"{name}"},
            opts=self._child(),
        )
        aws.ec2.RouteTableAssociation(
            f"{name}-rta", subnet_id=subnet.id, route_table_id=rt.id, opts=self._child()
        )

    def _launch_template(
        self, name: str, args: AwsEdgeSiteArgs, profile: aws.iam.InstanceProfile | None
    ) -> aws.ec2.LaunchTemplate:
        eks = args.cluster.eks
        kind, public = args.location.kind, args.spec.public
        managed = kind == "local-zone"
        interface = aws.ec2.LaunchTemplateNetworkInterfaceArgs(
            device_index=0,
            security_groups=[eks.cluster_security_group_id],
            associate_carrier_ip_address="true" if kind == "wavelength" and public else None,
            associate_public_ip_address="true"
            if kind == "local-zone" and public
            else "false"
            if kind == "local-zone"
            else None,
            delete_on_termination="true",
        )
        user_data = None
        image_id = None
        if not managed:
            image_id = aws.ssm.get_parameter_output(
                name=AMI_PARAMETER.format(version=args.kubernetes_version),
                opts=pulumi.InvokeOutputOptions(parent=self),
            ).value
            user_data = pulumi.Output.all(
                eks.cluster_name, eks.endpoint, eks.certificate_authority, eks.service_cidr
            ).apply(lambda v: node_config(v[0], v[1], v[2], v[3], self.labels))
        return aws.ec2.LaunchTemplate(
            f"{name}-lt",
            description=f"{args.instance_type.name} edge nodes for {name} at {args.spec.location}",
            instance_type=None if managed else args.instance_type.name,
            image_id=image_id,
            user_data=user_data,
            iam_instance_profile=(
                aws.ec2.LaunchTemplateIamInstanceProfileArgs(arn=profile.arn) if profile is not None else None
            ),
            metadata_options=launch.imdsv2(),
            block_device_mappings=[
                aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
                    device_name="/dev/xvda",
                    ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(
                        volume_size=args.spec.disk_gib,
                        volume_type=volume_type(args.location.volume_types),
                        encrypted="true",
                        delete_on_termination="true",
                    ),
                )
            ],
            network_interfaces=[interface],
            tags=self._tags,
            tag_specifications=[
                aws.ec2.LaunchTemplateTagSpecificationArgs(
                    resource_type="instance", tags={**self._tags, EDGE_LABEL: args.spec.name}
                )
            ],
            opts=self._child(),
        )

    def _managed_nodes(
        self, name: str, args: AwsEdgeSiteArgs, subnet: aws.ec2.Subnet, lt: aws.ec2.LaunchTemplate
    ) -> pulumi.Output[str]:
        eks = args.cluster.eks
        lo, desired, hi = args.spec.scaling
        key, value, effect = GPU_TAINT
        group = aws.eks.NodeGroup(
            f"{name}-nodes",
            cluster_name=eks.cluster_name,
            node_role_arn=eks.node_role_arn,
            subnet_ids=[subnet.id],
            ami_type=GPU_AMI_TYPE,
            instance_types=[args.instance_type.name],
            capacity_type=CAPACITY_TYPE[args.spec.capacity],
            scaling_config=aws.eks.NodeGroupScalingConfigArgs(min_size=lo, desired_size=desired, max_size=hi),
            launch_template=aws.eks.NodeGroupLaunchTemplateArgs(
                id=lt.id, version=lt.latest_version.apply(str)
            ),
            labels=self.labels,
            taints=[aws.eks.NodeGroupTaintArgs(key=key, value=value, effect=effect)],
            tags=self._tags,
            opts=self._child([eks.system_nodes]),
        )
        return group.node_group_name

    def _node_identity(
        self, name: str, args: AwsEdgeSiteArgs
    ) -> tuple[aws.iam.InstanceProfile, list[pulumi.Resource]]:
        """Self-managed nodes' own role (the regional node role's access entry belongs to its managed node
        groups), its two managed policies, instance profile and EC2_LINUX access entry."""
        eks = args.cluster.eks
        partition = iam.partition_of(args.location.parent_region(args.spec.location))
        role = aws.iam.Role(
            f"{name}-node",
            assume_role_policy=iam.assume_role_policy("ec2.amazonaws.com"),
            description=f"kubelet of edge site {name}",
            tags=self._tags,
            opts=self._child(),
        )
        attachments: list[pulumi.Resource] = [
            aws.iam.RolePolicyAttachment(
                f"{name}-node-{policy}",
                role=role.name,
                policy_arn=iam.managed_policy(partition, policy),
                opts=self._child(),
            )
            for policy in iam.NODE_POLICIES
        ]
        profile = aws.iam.InstanceProfile(
            f"{name}-node-profile", role=role.name, tags=self._tags, opts=self._child()
        )
        entry = aws.eks.AccessEntry(
            f"{name}-access",
            cluster_name=eks.cluster_name,
            principal_arn=role.arn,
            type="EC2_LINUX",
            tags=self._tags,
            opts=self._child(),
        )
        return profile, [entry, profile, *attachments]

    def _self_managed_nodes(
        self,
        name: str,
        args: AwsEdgeSiteArgs,
        subnet: aws.ec2.Subnet,
        lt: aws.ec2.LaunchTemplate,
        joined: Sequence[pulumi.Resource],
    ) -> pulumi.Output[str]:
        """An Auto Scaling group on the launch template, once the nodes' access entry exists."""
        eks = args.cluster.eks
        lo, desired, hi = args.spec.scaling
        group = aws.autoscaling.Group(
            f"{name}-nodes",
            min_size=lo,
            desired_capacity=desired,
            max_size=hi,
            vpc_zone_identifiers=[subnet.id],
            launch_template=aws.autoscaling.GroupLaunchTemplateArgs(
                id=lt.id, version=lt.latest_version.apply(str)
            ),
            tags=[
                aws.autoscaling.GroupTagArgs(
                    key=eks.cluster_name.apply(lambda n: f"kubernetes.io/cluster/{n}"),
                    value="owned",
                    propagate_at_launch=True,
                ),
                *self._autoscaler_tags(args),
                aws.autoscaling.GroupTagArgs(key="Name", value=f"{name}-node", propagate_at_launch=True),
                aws.autoscaling.GroupTagArgs(key=EDGE_LABEL, value=args.spec.name, propagate_at_launch=True),
                aws.autoscaling.GroupTagArgs(
                    key=EDGE_LOCATION_TAG, value=args.spec.location, propagate_at_launch=False
                ),
            ],
            opts=self._child([*joined, eks.system_nodes]),
        )
        return group.name

    def _autoscaler_tags(self, args: AwsEdgeSiteArgs) -> list[aws.autoscaling.GroupTagArgs]:
        """The regional cluster's autoscaler discovers and grows the group (from zero too) by these tags,
        as it does the regional pools (rules.autoscaler_asg_tags)."""
        marker = "\0cluster"
        tags = autoscaler_asg_tags(
            marker,
            gpus=args.instance_type.accelerator_count,
            efa_devices=0,
            labels=self.labels,
            taint=GPU_TAINT,
        )
        cluster_name: pulumi.Output[str] = args.cluster.eks.cluster_name

        def key(k: str) -> pulumi.Input[str]:
            return cluster_name.apply(lambda n: k.replace(marker, n)) if marker in k else k

        return [
            aws.autoscaling.GroupTagArgs(key=key(k), value=v, propagate_at_launch=False)
            for k, v in tags.items()
        ]


def declare(
    sites: Sequence[EdgeSite], clusters: Mapping[str, ClusterOutputs], catalog: Catalog
) -> dict[str, EdgeOutputs]:
    """The AWS edge entry point (`aiinfra.clouds.aws` names it): each site on the provider of the cluster it
    joins. An EKS local cluster on an Outpost (`localCluster`) is not built; the spec validator refuses it
    (clouds/aws.py edge_problems), and this refuses it again rather than build something else."""
    out: dict[str, EdgeOutputs] = {}
    per_cluster: dict[str, int] = {}
    for site in sites:
        loc = catalog.edge.location(site.cloud, site.location)
        if loc is None:
            raise ValueError(f"edge site {site.name}: location {site.location} is not in the catalog")
        if site.cluster is None:
            raise ValueError(
                f"edge site {site.name}: an EKS local cluster on an Outpost (localCluster) is not built yet; "
                "name a regional cluster to join instead"
            )
        joined = clusters[site.cluster]
        component = joined.component
        assert isinstance(component, AwsGpuCluster)
        itype = resolve_edge(
            catalog, loc, site.location, accelerator=site.accelerator, instance_type=site.instance_type
        )
        index = per_cluster.get(site.cluster, 0)
        per_cluster[site.cluster] = index + 1
        # "{cluster}-{site}" like a pool's "{cluster}-{pool}": the spec's name limits then hold for the node
        # group ("-nodes", 63 characters) and the role ("-node", IAM's 64); the validator keeps site names
        # apart from the cluster's pool and storage names.
        name = f"{site.cluster}-{site.name}"
        edge = AwsEdgeSite(
            name,
            AwsEdgeSiteArgs(
                spec=site,
                location=loc,
                instance_type=itype,
                cluster=component,
                index=index,
                kubernetes_version=component.kubernetes_version,
                anchor_zone=None,
            ),
            opts=pulumi.ResourceOptions(provider=component.provider),
        )
        out[site.name] = EdgeOutputs(
            cloud=site.cloud,
            kind=loc.kind,
            location=site.location,
            region=loc.parent_region(site.location),
            cluster_name=joined.cluster_name,
            node_pool_name=edge.node_group_name,
            component=edge,
        )
    return out
