"""AWS: what the AWS components build (and not), where an `aws:` resource lives, the EC2/FSx facts the spec
checks and the components share, offline-plan answers, and the spend `destroy` cannot take back."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from aiinfra.clouds.base import (
    RESERVED,
    CloudProfile,
    EdgeLocationLike,
    EdgeSiteLike,
    Invoke,
    MachineLike,
    Problem,
    ResourceLike,
    StorageLike,
    reservation_given_without_reserved_capacity,
)
from aiinfra.clouds.limits import AUTONAME_SUFFIX, HELM_AUTONAME_SUFFIX, Limits, NameLimit

LUSTRE_SIZES_DOC = "https://docs.aws.amazon.com/fsx/latest/APIReference/API_CreateFileSystem.html"

# FSx for Lustre PERSISTENT_2 (SSD): 1.2 TiB, or increments of 2.4 TiB; throughput tiers in MB/s per TiB
# (LUSTRE_SIZES_DOC).
LUSTRE_FIRST_STEP_GIB = 1200
LUSTRE_STEP_GIB = 2400
LUSTRE_MAX_GIB = 2_400_000
LUSTRE_THROUGHPUT_TIERS = (125, 250, 500, 1000)
LUSTRE_DEFAULT_THROUGHPUT = 250

# EC2 capacity reservation IDs (capacity blocks for ML are capacity reservations too): `cr-` and 8 or 17
# hex digits (EC2 API CapacityReservation.CapacityReservationId).
RESERVATION_ID = re.compile(r"^cr-[0-9a-f]{8,17}$")

ACCOUNT_ID = "123456789012"
"""The account an offline plan pretends to run in."""


def lustre_size_problem(capacity_gib: int) -> str | None:
    """Why `capacity_gib` is not a valid PERSISTENT_2 size, or None when it is."""
    if capacity_gib == LUSTRE_FIRST_STEP_GIB or (
        capacity_gib % LUSTRE_STEP_GIB == 0 and LUSTRE_STEP_GIB <= capacity_gib <= LUSTRE_MAX_GIB
    ):
        return None
    below = max(LUSTRE_FIRST_STEP_GIB, capacity_gib // LUSTRE_STEP_GIB * LUSTRE_STEP_GIB)
    above = max(LUSTRE_STEP_GIB, -(-capacity_gib // LUSTRE_STEP_GIB) * LUSTRE_STEP_GIB)
    near = sorted({min(below, LUSTRE_MAX_GIB), min(above, LUSTRE_MAX_GIB)})
    return (
        f"{capacity_gib} GiB is not a size FSx for Lustre PERSISTENT_2 offers: it takes 1200 GiB or a "
        f"multiple of 2400 GiB up to {LUSTRE_MAX_GIB} GiB. Nearest: {' or '.join(str(n) for n in near)}."
    )


ARN_REGION = re.compile(r"^arn:aws(?:-[a-z]+)*:[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-[0-9]+):")
"""The region field of a regional ARN, `arn:<partition>:<service>:<region>:<account>:<resource>` (AWS General
Reference, "Amazon Resource Names"); global ARNs (IAM, S3 buckets, CloudFront) leave it empty and match none."""


def arn_region(value: Any) -> str | None:
    """The region an ARN names (`arn:aws:ec2:us-west-2:1234:vpc/vpc-1` → us-west-2), else None: a global
    ARN, not an ARN, or not text (a sealed secret, an unknown)."""
    match = ARN_REGION.match(value) if isinstance(value, str) else None
    return match.group(1) if match else None


OUTPOST_ARN = re.compile(r"^arn:aws:outposts:")
WAVELENGTH_ZONE = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-[0-9]-wl[0-9]+-[a-z]+-wlz-[0-9]+$")
LOCAL_ZONE = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-[0-9]-[a-z]+-[0-9]+[a-z]$")


def aws_edge_kind(location: str) -> str | None:
    """The kind of AWS edge site `location` names (spec/models.py EdgeKind): an Outpost ARN is an outpost, a
    zone with `-wlz-` a Wavelength Zone, a zone named `<region>-<metro>-<n><letter>` a Local Zone."""
    if OUTPOST_ARN.match(location):
        return "outpost"
    if WAVELENGTH_ZONE.fullmatch(location):
        return "wavelength"
    if LOCAL_ZONE.fullmatch(location):
        return "local-zone"
    return None


# -- offline-plan answers ----------------------------------------------------------------------------------


def _zones(region: str, _args: dict[str, Any]) -> dict[str, Any]:
    letters = "abc"
    prefix = "".join(part[0] if part.isalpha() else part for part in region.split("-"))
    return {
        "id": region,
        "names": [f"{region}{c}" for c in letters],
        "zoneIds": [f"{prefix}-az{i + 1}" for i in range(len(letters))],
        "state": "available",
        "groupNames": [region],
    }


def _partition(region: str, _args: dict[str, Any]) -> dict[str, Any]:
    china = region.startswith("cn-")
    return {
        "id": "aws-cn" if china else "aws",
        "partition": "aws-cn" if china else "aws",
        "dnsSuffix": "amazonaws.com.cn" if china else "amazonaws.com",
        "reverseDnsPrefix": "cn.com.amazonaws" if china else "com.amazonaws",
    }


def _caller(_region: str, _args: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": ACCOUNT_ID,
        "accountId": ACCOUNT_ID,
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/offline-plan",
        "userId": "AIDAOFFLINEPLAN",
    }


def _outpost(region: str, args: dict[str, Any]) -> dict[str, Any]:
    arn = str(args.get("arn", ""))
    return {
        "id": arn.rsplit("/", 1)[-1],
        "arn": arn,
        "availabilityZone": f"{region}a",
        "availabilityZoneId": "az1",
    }


def _region(region: str, _args: dict[str, Any]) -> dict[str, Any]:
    return {"id": region, "name": region, "region": region, "endpoint": f"ec2.{region}.amazonaws.com"}


def _ssm_parameter(_region: str, args: dict[str, Any]) -> dict[str, Any]:
    name = str(args.get("name", ""))
    value = "ami-0123456789abcdef0" if "ami" in name or "image" in name else "offline-plan-value"
    return {"id": name, "name": name, "value": value, "insecureValue": value, "type": "String", "version": 1}


def _ami(_region: str, _args: dict[str, Any]) -> dict[str, Any]:
    return {"id": "ami-0123456789abcdef0", "imageId": "ami-0123456789abcdef0", "architecture": "x86_64"}


# -- ids and ARNs of new resources ------------------------------------------------------------------------
# The id Pulumi reads back for a resource is the Terraform provider's: an EC2 resource's API id
# (`vpc-0123456789abcdef0`), else mostly the resource's name; a few carry their ARN or a URL. ARNs follow
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html (arn:partition:service:region:
# account:resource) and each service's shape in the Service Authorization Reference,
# https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
# (read 2026-12-05). Hex parts are derived from the type and logical name, so a plan is the same every run.

EC2_ID_PREFIXES: dict[str, str] = {
    # EC2 API resource ids: prefix + 17 hex digits (older resources: 8),
    # https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html (read 2026-12-05)
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/instance:Instance": "i",
    "aws:ec2/spotInstanceRequest:SpotInstanceRequest": "sir",
    "aws:ebs/volume:Volume": "vol",
    "aws:ebs/snapshot:Snapshot": "snap",
    "aws:ec2/natGateway:NatGateway": "nat",
    "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway": "eigw",
    "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/eipAssociation:EipAssociation": "eipassoc",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc",
    "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation": "rtbassoc",
    "aws:ec2/networkInterface:NetworkInterface": "eni",
    "aws:ec2/networkAcl:NetworkAcl": "acl",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection": "pcx",
    "aws:ec2/vpcDhcpOptions:VpcDhcpOptions": "dopt",
    "aws:ec2/customerGateway:CustomerGateway": "cgw",
    "aws:ec2/vpnGateway:VpnGateway": "vgw",
    "aws:ec2/vpnConnection:VpnConnection": "vpn",
    "aws:ec2/flowLog:FlowLog": "fl",
    "aws:ec2/ami:Ami": "ami",
    "aws:ec2/managedPrefixList:ManagedPrefixList": "pl",
    "aws:ec2/fleet:Fleet": "fleet",
    "aws:ec2/capacityReservation:CapacityReservation": "cr",
    "aws:ec2transitgateway/transitGateway:TransitGateway": "tgw",
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": "tgw-attach",
    "aws:ec2transitgateway/routeTable:RouteTable": "tgw-rtb",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
    # file systems: fs- and 17 hex digits (FSx and EFS API FileSystemId)
    "aws:fsx/lustreFileSystem:LustreFileSystem": "fs",
    "aws:fsx/ontapFileSystem:OntapFileSystem": "fs",
    "aws:fsx/openZfsFileSystem:OpenZfsFileSystem": "fs",
    "aws:fsx/windowsFileSystem:WindowsFileSystem": "fs",
    "aws:efs/fileSystem:FileSystem": "fs",
}

SERVICES: dict[str, str] = {
    # Pulumi module → the service name ARNs carry, where the two differ
    "ebs": "ec2",
    "vpc": "ec2",
    "ec2transitgateway": "ec2",
    "lb": "elasticloadbalancing",
    "alb": "elasticloadbalancing",
    "elasticloadbalancingv2": "elasticloadbalancing",
    "sfn": "states",
    "efs": "elasticfilesystem",
    "apigatewayv2": "apigateway",
    "cognito": "cognito-idp",
}

EC2_ARN_KINDS: dict[str, str] = {
    # EC2 resource types in ARNs that are not the Pulumi type name in kebab case
    "aws:ec2/natGateway:NatGateway": "natgateway",
    "aws:ec2/eip:Eip": "elastic-ip",
    "aws:ebs/volume:Volume": "volume",
    "aws:ebs/snapshot:Snapshot": "snapshot",
    "aws:ec2/spotInstanceRequest:SpotInstanceRequest": "spot-instances-request",
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": "transit-gateway-attachment",
    "aws:ec2transitgateway/routeTable:RouteTable": "transit-gateway-route-table",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "security-group-rule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "security-group-rule",
}

NAME_INPUTS: dict[str, str] = {
    # types whose name is not the `name` input
    "aws:s3/bucket:Bucket": "bucket",
    "aws:s3/bucketV2:BucketV2": "bucket",
    "aws:rds/instance:Instance": "identifier",
    "aws:rds/cluster:Cluster": "clusterIdentifier",
    "aws:redshift/cluster:Cluster": "clusterIdentifier",
    "aws:elasticache/cluster:Cluster": "clusterId",
    "aws:elasticache/replicationGroup:ReplicationGroup": "replicationGroupId",
    "aws:eks/nodeGroup:NodeGroup": "nodeGroupName",
    "aws:eks/addon:Addon": "addonName",
    "aws:eks/fargateProfile:FargateProfile": "fargateProfileName",
    "aws:ecs/taskDefinition:TaskDefinition": "family",
}


def _hex(type_token: str, name: str, digits: int = 17) -> str:
    return hashlib.sha256(f"{type_token}/{name}".encode()).hexdigest()[:digits]


def _uuid(type_token: str, name: str) -> str:
    h = _hex(type_token, name, 32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def physical_name(type_token: str, name: str, inputs: Mapping[str, Any]) -> str:
    """The resource's AWS name: its name input (`bucket`, `identifier`, ... by type; else `name`), else the
    logical name (an S3 bucket: as `created_outputs` names it)."""
    value = inputs.get(NAME_INPUTS.get(type_token, "name"))
    if isinstance(value, str) and value:
        return value
    return f"{name}-mock" if NAME_INPUTS.get(type_token) == "bucket" else name


def _kebab(kind: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", kind).lower()


def _parts(type_token: str) -> tuple[str, str]:
    """`aws:ec2/subnet:Subnet` → (module `ec2`, type `subnet`)."""
    module, _, kind = type_token.partition(":")[2].partition(":")
    return module.split("/")[0], kind[:1].lower() + kind[1:]


def created_id(type_token: str, name: str, region: str, inputs: Mapping[str, Any]) -> str | None:
    """The id the provider gives a new resource: an EC2-style id where the API makes one, else what the
    Terraform provider reads back (a name, an ARN, a queue URL, ...); None when it needs an unknown input."""
    prefix = EC2_ID_PREFIXES.get(type_token)
    if prefix is not None:
        return f"{prefix}-{_hex(type_token, name)}"
    if type_token == "aws:kms/key:Key":
        return _uuid(type_token, name)
    own = physical_name(type_token, name, inputs)
    if type_token in ("aws:eks/nodeGroup:NodeGroup", "aws:eks/addon:Addon"):
        cluster = inputs.get("clusterName")
        return f"{cluster}:{own}" if isinstance(cluster, str) else None
    if type_token == "aws:sqs/queue:Queue":
        return f"https://sqs.{region}.amazonaws.com/{ACCOUNT_ID}/{own}"
    if type_token in _ARN_IDS:
        return arn(type_token, name, region, inputs, None)
    if type_token == "aws:apigateway/restApi:RestApi" or type_token == "aws:apigatewayv2/api:Api":
        return _hex(type_token, name, 10)
    if type_token == "aws:cloudfront/distribution:Distribution":
        return "E" + _hex(type_token, name, 13).upper()
    return own


# Types whose id is their ARN (Terraform sets `d.SetId(arn)`).
_ARN_IDS = frozenset(
    {
        "aws:sns/topic:Topic",
        "aws:iam/policy:Policy",
        "aws:lb/loadBalancer:LoadBalancer",
        "aws:alb/loadBalancer:LoadBalancer",
        "aws:lb/targetGroup:TargetGroup",
        "aws:alb/targetGroup:TargetGroup",
        "aws:lb/listener:Listener",
        "aws:alb/listener:Listener",
        "aws:ecs/cluster:Cluster",
        "aws:ecs/service:Service",
        "aws:sfn/stateMachine:StateMachine",
        "aws:secretsmanager/secret:Secret",
        "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    }
)


def arn(type_token: str, name: str, region: str, inputs: Mapping[str, Any], resource_id: str | None) -> str:
    """The resource's ARN in its service's documented shape (see the section comment); the generic
    `arn:aws:<service>:<region>:<account>:<type>/<name>` for services without a table row."""
    module, kind = _parts(type_token)
    service = SERVICES.get(module, module)
    own = physical_name(type_token, name, inputs)
    a = ACCOUNT_ID
    hex16 = _hex(type_token, name, 16)
    template = _ARN_TEMPLATES.get(type_token)
    if template is not None:
        return template.format(
            region=region,
            account=a,
            name=own,
            id=resource_id or own,
            cluster=inputs.get("clusterName"),
            hash=hex16,
            hash6=hex16[:6],
            hash8=hex16[:8],
            hash4=hex16[8:12],
            hash4b=hex16[12:16],
        )
    shape = _ARN_SHAPES.get(type_token)
    if shape is not None:
        return shape(region, own, inputs, hex16)
    if type_token in EC2_ID_PREFIXES and service == "ec2":
        return f"arn:aws:ec2:{region}:{a}:{EC2_ARN_KINDS.get(type_token, _kebab(kind))}/{resource_id}"
    if module == "iam":
        return f"arn:aws:iam::{a}:{_kebab(kind)}/{own}"
    return f"arn:aws:{service}:{region}:{a}:{_kebab(kind)}/{own}"


_ARN_TEMPLATES: dict[str, str] = {
    "aws:s3/bucket:Bucket": "arn:aws:s3:::{name}",
    "aws:s3/bucketV2:BucketV2": "arn:aws:s3:::{name}",
    "aws:iam/instanceProfile:InstanceProfile": "arn:aws:iam::{account}:instance-profile/{name}",
    "aws:lambda/function:Function": "arn:aws:lambda:{region}:{account}:function:{name}",
    "aws:eks/cluster:Cluster": "arn:aws:eks:{region}:{account}:cluster/{name}",
    "aws:eks/nodeGroup:NodeGroup": "arn:aws:eks:{region}:{account}:nodegroup/{cluster}/{name}/{hash}",
    "aws:eks/addon:Addon": "arn:aws:eks:{region}:{account}:addon/{cluster}/{name}/{hash}",
    "aws:sns/topic:Topic": "arn:aws:sns:{region}:{account}:{name}",
    "aws:sqs/queue:Queue": "arn:aws:sqs:{region}:{account}:{name}",
    "aws:kms/key:Key": "arn:aws:kms:{region}:{account}:key/{id}",
    "aws:kms/alias:Alias": "arn:aws:kms:{region}:{account}:{name}",
    "aws:cloudwatch/logGroup:LogGroup": "arn:aws:logs:{region}:{account}:log-group:{name}",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "arn:aws:cloudwatch:{region}:{account}:alarm:{name}",
    "aws:cloudwatch/eventRule:EventRule": "arn:aws:events:{region}:{account}:rule/{name}",
    "aws:ecs/taskDefinition:TaskDefinition": "arn:aws:ecs:{region}:{account}:task-definition/{name}:1",
    "aws:rds/instance:Instance": "arn:aws:rds:{region}:{account}:db:{name}",
    "aws:rds/cluster:Cluster": "arn:aws:rds:{region}:{account}:cluster:{name}",
    "aws:rds/subnetGroup:SubnetGroup": "arn:aws:rds:{region}:{account}:subgrp:{name}",
    "aws:redshift/cluster:Cluster": "arn:aws:redshift:{region}:{account}:cluster:{name}",
    "aws:elasticache/cluster:Cluster": "arn:aws:elasticache:{region}:{account}:cluster:{name}",
    "aws:elasticache/replicationGroup:ReplicationGroup": (
        "arn:aws:elasticache:{region}:{account}:replicationgroup:{name}"
    ),
    "aws:lb/targetGroup:TargetGroup": "arn:aws:elasticloadbalancing:{region}:{account}:targetgroup/{name}/{hash}",
    "aws:alb/targetGroup:TargetGroup": "arn:aws:elasticloadbalancing:{region}:{account}:targetgroup/{name}/{hash}",
    "aws:sfn/stateMachine:StateMachine": "arn:aws:states:{region}:{account}:stateMachine:{name}",
    "aws:secretsmanager/secret:Secret": "arn:aws:secretsmanager:{region}:{account}:secret:{name}-{hash6}",
    "aws:autoscaling/group:Group": (
        "arn:aws:autoscaling:{region}:{account}:autoScalingGroup:{hash8}-{hash4}-{hash4b}-0000-000000000000"
        ":autoScalingGroupName/{name}"
    ),
    "aws:apigateway/restApi:RestApi": "arn:aws:apigateway:{region}::/restapis/{id}",
    "aws:apigatewayv2/api:Api": "arn:aws:apigateway:{region}::/apis/{id}",
    "aws:cloudfront/distribution:Distribution": "arn:aws:cloudfront::{account}:distribution/{id}",
    "aws:dynamodb/table:Table": "arn:aws:dynamodb:{region}:{account}:table/{name}",
    "aws:fsx/lustreFileSystem:LustreFileSystem": "arn:aws:fsx:{region}:{account}:file-system/{id}",
    "aws:efs/fileSystem:FileSystem": "arn:aws:elasticfilesystem:{region}:{account}:file-system/{id}",
}
"""Each service's documented ARN shape: `{region}`, `{account}`, `{name}` (the physical name), `{id}`,
`{cluster}` (the input clusterName) and pieces of the resource's stable hash (`{hash}`: 16 hex digits)."""

ArnShape = Callable[[str, str, Mapping[str, Any], str], str]
"""(region, physical name, inputs, 16 hex digits) → ARN, for the shapes a template cannot say."""

_ARN_SHAPES: dict[str, ArnShape] = {
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": lambda _r, n, i, _h: (
        f"arn:aws:iam::{ACCOUNT_ID}:oidc-provider/{str(i.get('url') or n).removeprefix('https://')}"
    ),
    "aws:ecs/service:Service": lambda r, n, i, _h: (
        f"arn:aws:ecs:{r}:{ACCOUNT_ID}:service/{str(i.get('cluster') or 'default').rsplit('/', 1)[-1]}/{n}"
    ),
    "aws:ssm/parameter:Parameter": lambda r, n, _i, _h: (
        f"arn:aws:ssm:{r}:{ACCOUNT_ID}:parameter/{n.removeprefix('/')}"
    ),
    "aws:sagemaker/endpoint:Endpoint": lambda r, n, _i, _h: (
        f"arn:aws:sagemaker:{r}:{ACCOUNT_ID}:endpoint/{n.lower()}"
    ),
    "aws:lb/loadBalancer:LoadBalancer": lambda r, n, i, h: _lb_arn(r, n, i, h),
    "aws:alb/loadBalancer:LoadBalancer": lambda r, n, i, h: _lb_arn(r, n, i, h),
}


def _lb_arn(region: str, name: str, inputs: Mapping[str, Any], hex16: str) -> str:
    kind = {"network": "net", "gateway": "gwy"}.get(str(inputs.get("loadBalancerType") or ""), "app")
    return f"arn:aws:elasticloadbalancing:{region}:{ACCOUNT_ID}:loadbalancer/{kind}/{name}/{hex16}"


# Outputs a provider computes on create that components read back (beyond echoing the inputs).
_COMPUTED: dict[str, Any] = {
    "aws:eks/cluster:Cluster": lambda name, region, inputs: {
        "name": physical_name("aws:eks/cluster:Cluster", name, inputs),
        "endpoint": f"https://{name.upper()}.gr7.{region}.eks.amazonaws.com",
        "certificateAuthority": {"data": "TU9DSy1DQQ=="},
        # EKS picks 172.20.0.0/16 or 10.100.0.0/16 when the program gives no service range
        "kubernetesNetworkConfig": {
            "serviceIpv4Cidr": "172.20.0.0/16",
            **inputs.get("kubernetesNetworkConfig", {}),
        },
        "vpcConfig": {
            **inputs.get("vpcConfig", {}),
            "clusterSecurityGroupId": f"sg-{_hex('aws:eks/cluster:Cluster/sg', name)}",
        },
    },
    "aws:ec2/launchTemplate:LaunchTemplate": lambda _n, _r, _i: {"latestVersion": 1, "defaultVersion": 1},
    "aws:eks/nodeGroup:NodeGroup": lambda name, _r, inputs: {
        "nodeGroupName": physical_name("aws:eks/nodeGroup:NodeGroup", name, inputs),
        "resources": [{"autoscalingGroups": [{"name": f"eks-{name}-asg"}]}],
    },
    "aws:autoscaling/group:Group": lambda name, _r, inputs: {"name": inputs.get("name") or name},
    # an explicit bucket name is kept; else the logical name and `-mock` (Pulumi would add a random suffix)
    "aws:s3/bucket:Bucket": lambda name, _r, inputs: {
        "bucket": physical_name("aws:s3/bucket:Bucket", name, inputs)
    },
    "aws:s3/bucketV2:BucketV2": lambda name, _r, inputs: {
        "bucket": physical_name("aws:s3/bucketV2:BucketV2", name, inputs)
    },
    "aws:fsx/lustreFileSystem:LustreFileSystem": lambda name, region, _i: {
        "dnsName": f"fs-{name}.fsx.{region}.amazonaws.com",
        "mountName": "mockmnt",
    },
}


AWS_TAGS_DOC = "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html"
EKS_QUOTAS_DOC = "https://docs.aws.amazon.com/eks/latest/userguide/service-quotas.html"

LIMITS = Limits(
    cloud="aws",
    # "Maximum number of tags per resource – 50; key 128, value 256 Unicode characters; letters, numbers,
    # spaces and + - = . _ : / @; the aws: prefix in any case is reserved." AWS_TAGS_DOC and e.g.
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-eks-accessentry-tag.html
    # (read 2026-12-04).
    max_tags=50,
    # Provider default tags aiinfra:cluster and aiinfra:stack (components/aws/gpu_cluster.py
    # regional_provider), plus Name, kubernetes.io/role/elb and kubernetes.io/cluster/<name> on a subnet
    # (components/aws/network.py): at most 5 on one resource.
    tags_added=5,
    tag_key_max=128,
    tag_value_max=256,
    tag_chars=r"[\w .:/=+\-@]",
    tag_chars_text="letters, digits, spaces and _ . : / = + - @",
    reserved_tag_prefixes=("aws:",),
    own_tag_keys=("aiinfra:cluster", "aiinfra:stack", "Name"),
    # EKS CreateNodegroup / UpdateLabelsPayload: "Key Length Constraints: Minimum length of 1. Maximum
    # length of 63. Value Length Constraints: Minimum length of 1. Maximum length of 63."
    # https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateLabelsPayload.html (read 2026-12-04)
    label_key_max=63,
    label_value_min=1,
    # Logical names, as in components/aws/{gpu_cluster,network,eks_cluster,gpu_node_pool,object_bucket,
    # lustre,workload}.py; tests/test_spec_sanity.py plans the example stacks and checks every planned name is here.
    cluster_names=(
        "{cluster}",
        "{cluster}-aws",
        "{cluster}-net",
        "{cluster}-net-vpc",
        "{cluster}-net-igw",
        "{cluster}-net-default-sg",
        "{cluster}-net-public-rt",
        *(
            f"{{cluster}}-net-{side}-{i}{tail}"
            for side in ("public", "private")
            for i in range(3)
            for tail in ("", "-rta", "-rt")
        ),
        *(f"{{cluster}}-net-nat-{i}{tail}" for i in range(3) for tail in ("", "-eip")),
        "{cluster}-net-efa-sg",
        "{cluster}-net-efa-in-self",
        "{cluster}-net-efa-out-self",
        "{cluster}-secrets-key",
        "{cluster}-cluster-role",
        "{cluster}-cluster-AmazonEKSClusterPolicy",
        "{cluster}-eks",
        "{cluster}-node-role",
        "{cluster}-node-AmazonEKSWorkerNodePolicy",
        "{cluster}-node-AmazonEC2ContainerRegistryPullOnly",
        "{cluster}-vpc-cni-role",
        "{cluster}-vpc-cni-policy",
        "{cluster}-eks-pod-identity-agent",
        "{cluster}-vpc-cni",
        "{cluster}-kube-proxy",
        "{cluster}-system-lt",
        "{cluster}-system",
        "{cluster}-coredns",
        "{cluster}-k8s",
        "{cluster}-nvidia-device-plugin",
        "{cluster}-aws-efa-k8s-device-plugin",
        # components/aws/workload.py
        "{cluster}-workload",
        *(
            f"{{cluster}}-workload-{addon}"
            for addon in (
                "aws-ebs-csi-driver",
                "aws-fsx-csi-driver",
                "aws-mountpoint-s3-csi-driver",
                "eks-node-monitoring-agent",
            )
        ),
        *(
            f"{{cluster}}-workload-{c}-{kind}"
            for c in ("ebs-csi", "fsx-csi", "s3-csi", "autoscaler")
            for kind in ("role", "policy")
        ),
        "{cluster}-workload-autoscaler-pod-identity",
        "{cluster}-workload-cluster-autoscaler",
        "{cluster}-workload-ns",
        "{cluster}-workload-kueue",
        "{cluster}-workload-dcgm-exporter",
    ),
    pool_names=(
        "{cluster}-{pool}",
        "{cluster}-{pool}-pg",
        "{cluster}-{pool}-lt",
        "{cluster}-{pool}-nodes",
        # components/aws/workload.py: the pool's queue, and its Auto Scaling group's autoscaler tags (a
        # label the spec adds gets one more, `-label-<key>`)
        *(
            f"{{cluster}}-workload-{kind}-{{pool}}"
            for kind in ("resourceflavor", "clusterqueue", "localqueue")
        ),
        "{cluster}-workload-topology-{pool}-fabric",
        *(
            f"{{cluster}}-workload-{{pool}}-{tag}"
            for tag in (
                "discovery",
                "owner",
                "resources-gpu",
                "resources-efa",
                "label-pool",
                "label-accelerator",
                "label-accelerator-vendor",
                "label-efa",
                "taint-gpu",
            )
        ),
    ),
    storage_names={
        "object": (
            "{cluster}-{storage}",
            "{cluster}-{storage}-key",
            "{cluster}-{storage}-bucket",
            "{cluster}-{storage}-sse",
            "{cluster}-{storage}-versioning",
            "{cluster}-{storage}-public-access-block",
            "{cluster}-{storage}-ownership",
            "{cluster}-{storage}-tls-only",
            "{cluster}-workload-{storage}-pv",
            "{cluster}-workload-{storage}-pvc",
        ),
        "lustre": (
            "{cluster}-{storage}",
            "{cluster}-{storage}-sg",
            *(
                f"{{cluster}}-{{storage}}-{rule}-{port}"
                for rule in ("in-nodes", "in-self", "out-self")
                for port in (988, 1018)
            ),
            "{cluster}-{storage}-key",
            "{cluster}-{storage}-fs",
            "{cluster}-{storage}-dra",
            "{cluster}-workload-{storage}-pv",
            "{cluster}-workload-{storage}-pvc",
        ),
    },
    # Only resources whose physical name comes from the logical name (auto-named) and whose cloud limit a
    # 24-character spec name can reach; VPCs, subnets, KMS keys, FSx file systems have no name (a Name tag,
    # 256 characters, at most 49 here).
    name_limits=(
        NameLimit(
            "{cluster}-{storage}-bucket",
            "S3 bucket",
            63,
            AUTONAME_SUFFIX,
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html (read 2026-12-04)",
            storage_kind="object",
            # "Bucket names must not start with the prefix xn--, sthree- or amzn-s3-demo-" (same page).
            forbidden_prefixes=("xn--", "sthree-", "amzn-s3-demo-"),
        ),
        NameLimit(
            "{cluster}-{pool}-nodes",
            "EKS managed node group",
            63,
            AUTONAME_SUFFIX,
            "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html (read 2026-12-04)",
        ),
        NameLimit(
            "{cluster}-eks",
            "EKS cluster",
            100,
            AUTONAME_SUFFIX,
            "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html (read 2026-12-04)",
        ),
        NameLimit(
            "{cluster}-vpc-cni-role",
            "IAM role",
            64,
            AUTONAME_SUFFIX,
            "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (read 2026-12-04)",
        ),
        NameLimit(
            "{cluster}-{pool}-lt",
            "EC2 launch template",
            128,
            AUTONAME_SUFFIX,
            "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html"
            " (read 2026-12-04)",
        ),
        NameLimit(
            "{cluster}-{pool}-pg",
            "EC2 placement group",
            255,
            AUTONAME_SUFFIX,
            "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreatePlacementGroup.html"
            " (read 2026-12-04)",
        ),
        # Helm: "release name ... the length must not be longer than 53" (helm/pkg/chartutil validate_name.go;
        # https://helm.sh/docs/chart_template_guide/getting_started/, read 2026-12-04).
        NameLimit(
            "{cluster}-aws-efa-k8s-device-plugin",
            "Helm release (EFA device plugin)",
            53,
            HELM_AUTONAME_SUFFIX,
            "https://helm.sh/docs/chart_template_guide/getting_started/ (read 2026-12-04)",
            when_interconnect=True,
        ),
        NameLimit(
            "{cluster}-nvidia-device-plugin",
            "Helm release (NVIDIA device plugin)",
            53,
            HELM_AUTONAME_SUFFIX,
            "https://helm.sh/docs/chart_template_guide/getting_started/ (read 2026-12-04)",
        ),
    ),
    # EKS service quotas: "Managed node groups per cluster" 30 and "Nodes per managed node group" 450,
    # both adjustable (EKS_QUOTAS_DOC, read 2026-12-04). Our components add one system node group.
    node_groups_per_cluster=30,
    system_node_groups=1,
    nodes_per_node_group=450,
    # FSx for Lustre: default quota on Lustre storage capacity per account and region, 100,800 GiB
    # (adjustable): https://docs.aws.amazon.com/fsx/latest/LustreGuide/limits.html (read 2026-12-04).
    lustre_gib_quota=100_800,
    quota_doc=EKS_QUOTAS_DOC,
    quota_how="ask for more in the Service Quotas console (or `aws service-quotas request-service-quota-increase`)",
)


class Aws(CloudProfile):
    order = 0
    name = "aws"
    title = "AWS"
    packages = ("aws", "eks", "awsx")  # pulumi-eks and awsx components build on AWS only
    region_config_key = "aws:region"
    config_env: ClassVar[Mapping[str, tuple[str, ...]]] = {"aws:region": ("AWS_REGION", "AWS_DEFAULT_REGION")}
    default_region = "us-east-1"
    zone_inputs = ("availabilityZone",)
    fabric = "EFA"
    default_system_machine = "m7i.xlarge"
    limits = LIMITS
    zones_per_account = True  # us-east-1a is a different place in each account; zone IDs are not
    component = "aiinfra.components.aws.gpu_cluster:declare"
    unsupported: ClassVar[Mapping[str, str]] = {
        "storage:parallel": "AWS has no separate parallel file system service: FSx for Lustre is the parallel "
        "file system on AWS; use kind: lustre",
        "storage:file": "an NFS file share (Amazon EFS) is not built yet on AWS; use kind: lustre for shared "
        "training data or kind: object for datasets and checkpoints",
        "topology": "topology sets a TPU slice shape, and TPUs exist only on GCP; remove it",
    }
    edge_kinds = ("local-zone", "wavelength", "outpost")
    edge_component = "aiinfra.components.aws.edge_site:declare"
    storage_keys: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "lustre": ("capacityGiB", "throughputMBpsPerTiB"),
    }
    invokes: ClassVar[Mapping[str, Invoke]] = {
        "aws:index/getAvailabilityZones:getAvailabilityZones": _zones,
        "aws:index/getPartition:getPartition": _partition,
        "aws:index/getCallerIdentity:getCallerIdentity": _caller,
        "aws:index/getRegion:getRegion": _region,
        "aws:ssm/getParameter:getParameter": _ssm_parameter,
        "aws:ec2/getAmi:getAmi": _ami,
        "aws:outposts/getOutpost:getOutpost": _outpost,
    }

    def created_outputs(
        self, type_token: str, name: str, region: str, inputs: Mapping[str, Any]
    ) -> dict[str, Any]:
        outputs: dict[str, Any] = {
            "arn": arn(type_token, name, region, inputs, self.created_id(type_token, name, region, inputs))
        }
        computed = _COMPUTED.get(type_token)
        if computed is not None:
            outputs.update(computed(name, region, inputs))
        return outputs

    def created_id(self, type_token: str, name: str, region: str, inputs: Mapping[str, Any]) -> str | None:
        return created_id(type_token, name, region, inputs)

    def component_outputs(
        self, type_token: str, name: str, region: str, inputs: Mapping[str, Any]
    ) -> dict[str, Any]:
        """An awsx DefaultVpc reads the account's default VPC and its subnets (awsx @e60adf3
        awsx/ec2/getDefaultVpc.ts: getVpc(default), getSubnets, getSubnet): known at preview. A default VPC
        has one default subnet per zone, each public (mapPublicIpOnLaunch), so it is one public subnet per
        zone of the offline zone list and no private one."""
        if type_token != "awsx:ec2:DefaultVpc":
            return {}
        zones = _zones(region, {})["names"]
        return {
            "vpcId": created_id("aws:ec2/vpc:Vpc", f"{name}-default", region, {}),
            "publicSubnetIds": [
                created_id("aws:ec2/subnet:Subnet", f"{name}-{z}", region, {}) for z in zones
            ],
            "privateSubnetIds": [],
        }

    def deployed_region(self, outputs: Mapping[str, Any]) -> str | None:
        """The region in a deployed resource's `arn` output: a program that set no `aws:region` and relied on
        AWS_REGION leaves no region in its export's provider inputs, but every regional ARN names it."""
        return arn_region(outputs.get("arn"))

    def committed_spend(self, resources: Iterable[ResourceLike]) -> list[str]:
        out = []
        for r in resources:
            if r.type.split(":", 1)[0] not in self.packages:
                continue
            market = (r.inputs.get("instanceMarketOptions") or {}).get("marketType")
            target = (r.inputs.get("capacityReservationSpecification") or {}).get(
                "capacityReservationTarget"
            ) or {}
            if r.type == "aws:eks/nodeGroup:NodeGroup" and r.inputs.get("capacityType") == "CAPACITY_BLOCK":
                out.append(f"capacity block behind node group {r.name}: paid in advance for its whole window")
            elif market == "capacity-block" or target.get("capacityReservationId"):
                rid = target.get("capacityReservationId", "")
                out.append(
                    f"capacity reservation {rid} ({r.name}): billed until it ends or you cancel it in EC2"
                )
            elif r.type == "aws:ec2/availabilityZoneGroup:AvailabilityZoneGroup":
                out.append(
                    f"zone group opt-in {r.inputs.get('groupName')} ({r.name}): destroy leaves the account "
                    "opted in; opting out needs a request to AWS Support"
                )
        return out

    def edge_kind(self, location: str) -> str | None:
        return aws_edge_kind(location)

    def edge_problems(self, site: EdgeSiteLike, location_facts: EdgeLocationLike) -> list[Problem]:
        kind = location_facts.kind
        problems: list[Problem] = []
        if site.local_cluster and kind != "outpost":
            problems.append(
                Problem(
                    "localCluster",
                    f"an EKS local cluster runs only on an Outpost; {site.location} is a {kind}.",
                    "Remove localCluster and name the regional cluster to join with cluster.",
                )
            )
        if site.local_cluster and kind == "outpost":
            problems.append(
                Problem(
                    "localCluster",
                    "an EKS local cluster on an Outpost is not built yet: its control plane needs a VPC, "
                    "subnets and endpoints of its own on the Outpost, which this tool does not create.",
                    "Remove localCluster and set cluster: to a cluster of this stack in the Outpost's region; "
                    "its nodes then run on the Outpost and join that cluster (an EKS extended cluster).",
                )
            )
        elif site.cluster is None and not site.local_cluster:
            problems.append(
                Problem(
                    "cluster",
                    f"the nodes of a {kind} site join a regional EKS cluster, and none is named.",
                    "Set cluster: to a cluster of this stack in the location's parent region.",
                )
            )
        if site.public and kind == "outpost":
            problems.append(
                Problem(
                    "public",
                    "public addresses on an Outpost come from a customer-owned IP pool on your network, which "
                    "this tool does not build.",
                    "Remove public (nodes stay reachable from your network through the Outpost's local gateway).",
                )
            )
        return problems

    def capacity_problems(
        self, capacity: str, reservation: str | None, machine: MachineLike
    ) -> list[Problem]:
        problems: list[Problem] = []
        if capacity in RESERVED and reservation is None:
            problems.append(
                Problem(
                    "reservation",
                    f"capacity: {capacity} needs the reservation's ID.",
                    "Set reservation: cr-... (from the EC2 console or "
                    "`aws ec2 describe-capacity-reservations`).",
                )
            )
        elif capacity in RESERVED and reservation is not None and not RESERVATION_ID.fullmatch(reservation):
            problems.append(
                Problem(
                    "reservation",
                    f"'{reservation}' is not an EC2 capacity reservation ID.",
                    "It looks like cr-0123456789abcdef0.",
                )
            )
        problems += reservation_given_without_reserved_capacity(capacity, reservation)
        if capacity in ("on-demand", "spot") and not machine.on_demand:
            problems.append(
                Problem(
                    "capacity",
                    f"{machine.name} is sold only as EC2 Capacity Blocks for ML, not {capacity}.",
                    "Set capacity: capacity-block with its reservation ID, or choose another instance type.",
                )
            )
        return problems

    def storage_problems(self, storage: StorageLike) -> list[Problem]:
        if storage.kind != "lustre":
            return []
        problems: list[Problem] = []
        if storage.capacity_gib is None:
            problems.append(
                Problem("capacityGiB", "a Lustre file system needs a size.", "Set capacityGiB: 2400.")
            )
        else:
            problem = lustre_size_problem(storage.capacity_gib)
            if problem:
                problems.append(Problem("capacityGiB", problem))
        tiers = LUSTRE_THROUGHPUT_TIERS
        if storage.throughput_mbps_per_tib is not None and storage.throughput_mbps_per_tib not in tiers:
            problems.append(
                Problem(
                    "throughputMBpsPerTiB",
                    f"{storage.throughput_mbps_per_tib} MB/s per TiB is not a PERSISTENT_2 tier.",
                    f"Use one of {', '.join(map(str, tiers))}.",
                )
            )
        return problems


PROFILE = Aws()
