"""Recording mocks: the Pulumi engine replaced in-process, so a program runs with no CLI, no plugins and
no cloud account, and every resource it registers is recorded with its parent and inputs.

Invokes that programs commonly make get realistic answers; any other invoke is an error that names it, so
a plan never runs on a silently invented answer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from aiinfra.engine.graph import PlannedResource
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, Mocks
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "us-east-1"
UNKNOWN = "<unknown until created>"


class UnmockedInvokeError(RuntimeError):
    def __init__(self, token: str) -> None:
        super().__init__(
            f"the offline plan has no answer for the invoke {token}. Add it to "
            "aiinfra.engine.mocks.INVOKES, or plan this program online with `pulumi preview`."
        )
        self.token = token


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


def _region(region: str, _args: dict[str, Any]) -> dict[str, Any]:
    return {"id": region, "name": region, "region": region, "endpoint": f"ec2.{region}.amazonaws.com"}


def _ssm_parameter(region: str, args: dict[str, Any]) -> dict[str, Any]:
    name = str(args.get("name", ""))
    value = "ami-0123456789abcdef0" if "ami" in name or "image" in name else "offline-plan-value"
    return {"id": name, "name": name, "value": value, "insecureValue": value, "type": "String", "version": 1}


def _ami(region: str, args: dict[str, Any]) -> dict[str, Any]:
    return {"id": "ami-0123456789abcdef0", "imageId": "ami-0123456789abcdef0", "architecture": "x86_64"}


INVOKES: dict[str, Callable[[str, dict[str, Any]], dict[str, Any]]] = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": _zones,
    "aws:index/getPartition:getPartition": _partition,
    "aws:index/getCallerIdentity:getCallerIdentity": _caller,
    "aws:index/getRegion:getRegion": _region,
    "aws:ssm/getParameter:getParameter": _ssm_parameter,
    "aws:ec2/getAmi:getAmi": _ami,
}

# Outputs a provider computes on create that components read back (beyond echoing the inputs).
_COMPUTED: dict[str, Callable[[str, str, dict[str, Any]], dict[str, Any]]] = {
    "aws:eks/cluster:Cluster": lambda name, region, _i: {
        "name": name,
        "endpoint": f"https://{name.upper()}.gr7.{region}.eks.amazonaws.com",
        "certificateAuthority": {"data": "TU9DSy1DQQ=="},
        "vpcConfig": {**_i.get("vpcConfig", {}), "clusterSecurityGroupId": f"sg-{name}-cluster"},
    },
    "aws:ec2/launchTemplate:LaunchTemplate": lambda name, _r, _i: {"latestVersion": 1, "defaultVersion": 1},
    "aws:eks/nodeGroup:NodeGroup": lambda name, _r, _i: {"nodeGroupName": name},
    "aws:s3/bucket:Bucket": lambda name, _r, _i: {"bucket": f"{name}-mock"},
    "aws:fsx/lustreFileSystem:LustreFileSystem": lambda name, region, _i: {
        "dnsName": f"fs-{name}.fsx.{region}.amazonaws.com",
        "mountName": "mockmnt",
    },
}


class OfflineMocks(Mocks):
    """Answers resource registrations with their inputs plus realistic computed outputs."""

    def __init__(self, default_region: str = DEFAULT_REGION) -> None:
        self.default_region = default_region
        self.provider_regions: dict[str, str] = {}
        """Provider reference (`urn::id`) -> region, filled in as providers register."""

    def region_of(self, provider_ref: str | None) -> str:
        if provider_ref:
            return self.provider_regions.get(provider_ref, self.default_region)
        return self.default_region

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        if args.typ.startswith("pulumi:providers:"):
            return f"{args.name}-provider-id", dict(args.inputs)
        region = self.region_of(args.provider)
        outputs = dict(args.inputs)
        outputs.setdefault("name", args.name)
        outputs["arn"] = _arn(args.typ, args.name, region)
        computed = _COMPUTED.get(args.typ)
        if computed is not None:
            outputs.update(computed(args.name, region, args.inputs))
        return f"{args.name}-id", outputs

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        answer = INVOKES.get(args.token)
        if answer is None:
            raise UnmockedInvokeError(args.token)
        return answer(self.region_of(args.provider), args.args), []


def _arn(typ: str, name: str, region: str) -> str:
    # "aws:ec2/subnet:Subnet" -> service "ec2", kind "subnet"
    package, _, rest = typ.partition(":")
    if package != "aws":
        return ""
    module, _, kind = rest.partition(":")
    service = module.split("/")[0]
    if service in ("iam", "s3"):
        region = ""
    return f"arn:aws:{service}:{region}:{ACCOUNT_ID}:{kind.lower()}/{name}"


class RecordingMonitor(MockMonitor):
    """A MockMonitor that records every registration in order, with its parent, options and inputs.

    Registration follows `MockMonitor.RegisterResource`, deserializing the inputs once and skipping the
    mocks for components (they have no provider state)."""

    def __init__(self, mocks: OfflineMocks) -> None:
        super().__init__(mocks)
        self.offline = mocks
        self.recorded: list[PlannedResource] = []
        self.stack_urn: str | None = None
        self._lock = threading.Lock()

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        # Children of the stack get URNs without the stack's type in them, as the real engine gives.
        return super().make_urn("" if parent == self.stack_urn else parent, type_, name)

    def RegisterResource(self, request: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
        if request.type == "pulumi:pulumi:Stack":
            self.stack_urn = urn
            return resource_pb2.RegisterResourceResponse(urn=urn)
        _ensure_event_loop()
        inputs = rpc.deserialize_properties(request.object)
        if request.custom:
            id_, state = self.offline.new_resource(
                MockResourceArgs(
                    typ=request.type,
                    name=request.name,
                    inputs=inputs,
                    provider=request.provider,
                    resource_id=request.importId,
                    custom=True,
                )
            )
            id_ = id_ or ""
        else:
            id_, state = "", {}
        obj_proto = _sync_await(rpc.serialize_properties(state, {}))
        self.resources[urn] = MockMonitor.ResourceRegistration(urn, id_, state)
        if request.type.startswith("pulumi:providers:") and isinstance(inputs.get("region"), str):
            self.offline.provider_regions[f"{urn}::{id_}"] = inputs["region"]
        with self._lock:
            self.recorded.append(
                PlannedResource(
                    type=request.type,
                    name=request.name,
                    urn=urn,
                    parent=request.parent if request.parent and request.parent != self.stack_urn else None,
                    inputs=_plain(inputs),
                    custom=bool(request.custom),
                    protect=bool(request.protect),
                    retain_on_delete=bool(request.retainOnDelete),
                    provider=request.provider or None,
                )
            )
        return resource_pb2.RegisterResourceResponse(urn=urn, id=id_, object=obj_proto)


def _plain(value: Any) -> Any:
    """Inputs as JSON-able data: unknowns shown as such, resource references as their URN."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if not k.startswith("__")}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)  # the wire format carries every number as a double
    if value == rpc.UNKNOWN:
        return UNKNOWN
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    urn = getattr(value, "urn", None)
    return f"<resource {urn}>" if urn is not None else str(value)


class CapturingLogger(logging.Logger):
    """Collects the warnings a program logs (pulumi.log.warn) for the plan to show."""

    def __init__(self) -> None:
        super().__init__("aiinfra.offline-plan", level=logging.WARNING)
        self.warnings: list[str] = []

    def warning(self, msg: object, *args: object, **kwargs: Any) -> None:
        self.warnings.append(str(msg))
