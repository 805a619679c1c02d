"""Recording mocks: the Pulumi engine replaced in-process, so a program runs with no CLI, no plugins and
no cloud account, and every resource it registers is recorded with its parent and inputs.

Invokes that programs commonly make get realistic answers from their cloud's profile (`aiinfra.clouds`);
any other invoke is an error that names it, so a plan never runs on a silently invented answer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any

from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, Mocks
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

from aiinfra import clouds
from aiinfra.engine.graph import PlannedResource

UNKNOWN = "<unknown until created>"


class UnmockedInvokeError(RuntimeError):
    def __init__(self, token: str) -> None:
        super().__init__(
            f"the offline plan has no answer for the invoke {token}; plan this program online with "
            "`pulumi preview` instead."
        )
        self.token = token


class OfflineMocks(Mocks):
    """Answers resource registrations with their inputs plus the outputs their cloud's profile says the
    provider computes, and invokes with the profile's offline answers. The region of a resource or invoke
    is its provider's, else the stack config's default for its cloud, else the profile's default."""

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        self.config = dict(config or {})
        self.provider_inputs: dict[str, dict[str, Any]] = {}
        """Provider reference (`urn::id`) -> its inputs, filled in as providers register."""
        self.placeholders: list[str] = []
        """Invoke tokens answered with placeholders of their SDK result type (aiinfra.engine.invokes)."""

    def region_of(self, profile: clouds.CloudProfile, provider_ref: str | None) -> str:
        provider = self.provider_inputs.get(provider_ref or "")
        return profile.region({}, provider, self.config) or profile.default_region

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        if args.typ.startswith("pulumi:providers:"):
            return f"{args.name}-provider-id", dict(args.inputs)
        outputs = dict(args.inputs)
        outputs.setdefault("name", args.name)
        profile = clouds.for_type(args.typ)
        if profile is not None:
            region = self.region_of(profile, args.provider)
            outputs.update(profile.created_outputs(args.typ, args.name, region, args.inputs))
        return f"{args.name}-id", outputs

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        profile = clouds.for_type(args.token)
        answer = None
        region = ""
        if profile is not None:
            region = self.region_of(profile, args.provider)
            answer = profile.invoke(args.token, args.args, region)
        if answer is None:
            from aiinfra.engine.invokes import typed_answer

            answer = typed_answer(args.token, dict(args.args), region)
            if answer is None:
                raise UnmockedInvokeError(args.token)
            if args.token not in self.placeholders:
                self.placeholders.append(args.token)
        return answer, []


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
        inputs = rpc.deserialize_properties(_references_as_urns(request.object))
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
        if request.type.startswith("pulumi:providers:"):
            self.offline.provider_inputs[f"{urn}::{id_}"] = dict(inputs)
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
                    remote=bool(getattr(request, "remote", False)),
                )
            )
        return resource_pb2.RegisterResourceResponse(urn=urn, id=id_, object=obj_proto)


def _references_as_urns(struct: Any) -> Any:
    """The registration's inputs with every resource reference (a resource passed as an input, such as a
    pulumi-eks Cluster given to a ManagedNodeGroup) replaced by its URN. Deserialized as they are, the SDK
    would rebuild each referenced resource, which registers it again from this monitor's thread and waits on
    a future of the program's event loop from another one ("attached to a different loop", or a hang). The
    plan records references as URNs anyway (`_plain`)."""

    def walk(value: Any) -> None:
        kind = value.WhichOneof("kind")
        if kind == "struct_value":
            fields = value.struct_value.fields
            signature = fields.get(rpc._special_sig_key)
            if signature is not None and signature.string_value == rpc._special_resource_sig:
                value.string_value = fields["urn"].string_value if "urn" in fields else ""
                return
            for item in fields.values():
                walk(item)
        elif kind == "list_value":
            for item in value.list_value.values:
                walk(item)

    copy = type(struct)()  # a protobuf Struct
    copy.CopyFrom(struct)
    for item in copy.fields.values():
        walk(item)
    return copy


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
