"""Recording mocks: the Pulumi engine replaced in-process, so a program runs with no CLI, no plugins and
no cloud account, and every resource it registers is recorded with its parent and inputs.

The program runs as under `pulumi preview` (engine.plan sets the SDK's preview mode): an output is known
when the mocks answer it (the resource's own inputs, and the ids, ARNs and names its cloud's profile says
the provider computes, `CloudProfile.created_outputs`), and unknown otherwise, so `.apply` callbacks do not
run on it. An input computed from an unknown is recorded as UNKNOWN, never as None.

Ids differ from a real preview on purpose: `pulumi preview` leaves a new resource's id unknown, while here it
is known, in its cloud's format (`CloudProfile.created_id`), because the plan links resources by the ids
one passes to another (a subnet's `vpcId`, a role's `scope`) and programs compose them as they would after
create. An id whose parts are unknown (an Azure child under a parent named only after create) is unknown.

Invokes that programs commonly make get realistic answers from their cloud's profile (`aiinfra.clouds`);
any other gets a placeholder of its SDK result type (engine.invokes), and one with no result type is an
error that names it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pulumi.output import Unknown
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, Mocks
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

from aiinfra import clouds
from aiinfra.engine.graph import PlannedResource
from aiinfra.engine.manifests import V2_TYPES, child_name, manifest_objects, type_token

UNKNOWN = "<unknown until created>"


class UnmockedInvokeError(RuntimeError):
    def __init__(self, token: str) -> None:
        super().__init__(
            f"the offline plan has no answer for the data source (invoke) {token}: no result type for it "
            "was found in the provider SDKs the program runs with. If you have the Pulumi CLI and the "
            "cloud's credentials, the JSON of `pulumi preview --json` for this program can be estimated "
            "instead (`infra estimate --from FILE`)."
        )
        self.token = token


def is_unknown(value: Any) -> bool:
    """True for a value not known during a preview, as the SDK hands it to a monitor: its `Unknown`
    object, or the wire sentinel (`rpc.UNKNOWN`) where a value was not deserialized."""
    return isinstance(value, Unknown) or (isinstance(value, str) and value == rpc.UNKNOWN)


def contains_unknown(value: Any) -> bool:
    """True when `value` is unknown or holds an unknown at any depth (a list or object partly known is
    unknown as a whole to a program, as `Output` treats it)."""
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(contains_unknown(v) for v in value)
    return is_unknown(value)


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
        """The resource's id and outputs: its inputs as given (an unknown input stays unknown), plus what
        its cloud's profile says the provider computes. The id is in the cloud's own format
        (`CloudProfile.created_id`: an ARM path, `vpc-…`, a GCP resource path), so a program that parses it
        (`id.split("/")[2]` for an Azure subscription) reads what it would after create; a resource of no
        cloud (random, kubernetes, ...) gets `<name>-id`. The profile sees only the known inputs, and what
        it computes never replaces an input that is unknown: a value derived from an unknown is unknown."""
        if args.typ.startswith("pulumi:providers:"):
            return f"{args.name}-provider-id", dict(args.inputs)
        outputs = dict(args.inputs)
        outputs.setdefault("name", args.name)
        profile = clouds.for_type(args.typ)
        if profile is None:
            return f"{args.name}-id", outputs
        region = self.region_of(profile, args.provider)
        known = {k: v for k, v in args.inputs.items() if not contains_unknown(v)}
        computed = profile.created_outputs(args.typ, args.name, region, known)
        outputs.update({k: v for k, v in computed.items() if not contains_unknown(args.inputs.get(k))})
        # an id the profile cannot form (a part of it is unknown) is unknown, as a preview gives it
        return profile.created_id(args.typ, args.name, region, known) or "", outputs

    def component_outputs(
        self, type_: str, name: str, inputs: dict[str, Any], provider: str | None
    ) -> dict[str, Any]:
        """What a remote component's provider reads during a preview (`CloudProfile.component_outputs`)."""
        profile = clouds.for_type(type_)
        if profile is None:
            return {}
        known = {k: v for k, v in inputs.items() if not contains_unknown(v)}
        return profile.component_outputs(type_, name, self.region_of(profile, provider), known)

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        profile = clouds.for_type(args.token)
        answer = None
        region = ""
        if profile is not None:
            region = self.region_of(profile, args.provider)
            answer = profile.invoke(args.token, args.args, region)
        if answer is None:
            from aiinfra.engine.invokes import local_answer

            answer = local_answer(args.token, dict(args.args))
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

    Registration follows `MockMonitor.RegisterResource`, deserializing the inputs once (unknowns kept) and
    skipping the mocks for components (they have no provider state)."""

    def __init__(self, mocks: OfflineMocks) -> None:
        super().__init__(mocks)
        self.offline = mocks
        self.recorded: list[PlannedResource] = []
        self.stack_urn: str | None = None
        self.unread_manifests: list[tuple[str, str]] = []
        """(component name, source) of yaml/v2 manifests an offline plan cannot read (a URL, no such file)."""
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
        # keep_unknowns: an input computed from an unknown output arrives as Unknown, never as None
        inputs = rpc.deserialize_properties(_references_as_urns(request.object), keep_unknowns=True)
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
            # A component has no provider state. A remote one's outputs (pulumi_eks.Cluster.kubeconfig)
            # come from its provider at deploy time: left out here, the SDK resolves them as unknown;
            # those its provider reads during a preview (an awsx DefaultVpc's subnets) are known.
            id_, state = (
                "",
                self.offline.component_outputs(request.type, request.name, inputs, request.provider),
            )
        obj_proto = _sync_await(rpc.serialize_properties(state, {}))
        self.resources[urn] = MockMonitor.ResourceRegistration(urn, id_, state)
        if request.type.startswith("pulumi:providers:"):
            # an unknown region is no region: the stack's default then places the provider's resources
            known = {k: v for k, v in inputs.items() if not contains_unknown(v)}
            self.offline.provider_inputs[f"{urn}::{id_}"] = known
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
                    id=id_ if request.custom and not request.type.startswith("pulumi:providers:") else "",
                )
            )
            if request.type in V2_TYPES:
                self._plan_manifest_objects(urn, request, inputs)
        return resource_pb2.RegisterResourceResponse(urn=urn, id=id_, object=obj_proto)

    def _plan_manifest_objects(self, urn: str, request: Any, inputs: dict[str, Any]) -> None:
        """The objects a yaml/v2 ConfigGroup or ConfigFile applies, planned as its children, as its
        provider registers them (engine.manifests); the run's working directory is the program's."""
        known = {k: v for k, v in inputs.items() if not contains_unknown(v)}
        objects, unread = manifest_objects(known, Path.cwd())
        prefix = known.get("resourcePrefix")
        prefix = request.name if prefix is None else str(prefix)
        for obj in objects:
            type_, name = type_token(obj) or "", child_name(obj, prefix)
            self.recorded.append(
                PlannedResource(
                    type=type_,
                    name=name,
                    urn=self.make_urn(urn, type_, name),
                    parent=urn,
                    inputs=_plain(obj),
                    custom=True,
                    provider=request.provider or None,
                    id=f"{name}-id",
                )
            )
        if "aiinfra:" not in urn.split("::")[2]:  # this tool's components apply pinned, reviewed manifests
            self.unread_manifests.extend((request.name, source) for source in unread)

    def Call(self, request: Any) -> Any:
        """A method call on a resource (pulumi_eks `Cluster.get_kubeconfig()`, a remote component's
        method): its provider answers it from the resource's state, which a preview does not know yet, so
        the result is unknown (`.apply` on it does not run), as in `pulumi preview`."""
        from pulumi.runtime.proto import provider_pb2

        response = provider_pb2.CallResponse()
        getattr(response, "return").update({"result": rpc.UNKNOWN})  # `return`: a Python keyword
        return response


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
    if is_unknown(value):
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
