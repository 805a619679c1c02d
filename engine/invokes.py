"""Offline answers to any data-source call (invoke) a program makes, derived from the provider SDK's own
result type: `aws:ec2/getVpc:getVpc` is answered with every field of `pulumi_aws.ec2.GetVpcResult`, each a
placeholder of its declared type (a string, a one-item list, a nested result, ...), and with the call's own
arguments where a field has the same name (`getServicePrincipal(clientId=X)` answers `clientId: X`). A
string field the SDK documents as base64 (an AKS kubeconfig) is a base64 placeholder, which decodes.

No token is listed by hand: the result class is found by the token's own spelling (the function name,
capitalised, + `Result`, in the module the token names). The cloud profiles' hand-written answers
(`CloudProfile.invokes`: zones, the caller's identity, ...) still come first, where a realistic value
matters; these placeholders only keep a program running, and the plan says which invokes got them."""

from __future__ import annotations

import base64
import collections.abc
import importlib
import sys
import typing
from typing import Any

DEPTH = 4
"""How deep nested result types are filled in (results refer to each other; deeper is left empty)."""


def result_class(token: str) -> type | None:
    """The SDK class an invoke's result is read into, or None where the SDK is not installed or names it
    otherwise: `pkg:module/fn:fn` or `pkg:module:fn` → `pulumi_<pkg>.<module>.<Fn>Result`."""
    parts = token.split(":")
    if len(parts) != 3:
        return None
    package, module, function = parts
    module_path = module.rsplit("/", 1)[0] if "/" in module else module
    python_package = "pulumi_" + package.replace("-", "_")
    name = (
        python_package
        if module_path in ("index", "")
        else f"{python_package}.{module_path.replace('/', '.')}"
    )
    found = None
    # the Python SDKs' module names are the token's, lower-cased (oci:ObjectStorage/… → pulumi_oci.objectstorage)
    for candidate in dict.fromkeys((name, name.lower())):
        try:
            found = importlib.import_module(candidate)
            break
        except Exception:  # not installed, or no such module: try the next spelling, else no answer
            continue
    if found is None:
        return None
    cls = getattr(found, function[:1].upper() + function[1:] + "Result", None)
    return cls if isinstance(cls, type) else None


def _fields(cls: type) -> list[tuple[str, Any, str]]:
    """(wire name, declared type, docstring) of each `@pulumi.getter` property of a result class."""
    namespace = vars(sys.modules[cls.__module__])
    out: list[tuple[str, Any, str]] = []
    for attr, prop in vars(cls).items():
        getter = getattr(prop, "fget", None)
        wire = getattr(getter, "_pulumi_name", None)
        if getter is None or wire is None:
            continue
        try:
            hint = typing.get_type_hints(getter, globalns=namespace).get("return")
        except Exception:  # an annotation this Python cannot resolve: leave the field empty
            hint = None
        out.append((str(wire) if wire else attr, hint, getter.__doc__ or ""))
    return out


def _placeholder(name: str, hint: Any, region: str, depth: int, doc: str = "") -> Any:
    origin = typing.get_origin(hint)
    if origin is typing.Union:
        kinds = [a for a in typing.get_args(hint) if a is not type(None)]
        return _placeholder(name, kinds[0], region, depth, doc) if kinds else None
    if origin in (list, collections.abc.Sequence, tuple):
        (item,) = typing.get_args(hint)[:1] or (None,)
        value = _placeholder(name, item, region, depth, doc)
        return [value] if value is not None else []
    if origin in (dict, collections.abc.Mapping) or hint in (dict, typing.Mapping):
        return {}
    if hint is bool:
        return False
    if hint is int:
        return 1
    if hint is float:
        return 1.0
    if hint is str:
        text = _text(name, region)
        # a field the SDK documents as base64 (a kubeconfig, a token) is decoded by programs: encode it
        return base64.b64encode(text.encode()).decode() if "base64" in doc.lower() else text
    if isinstance(hint, type) and depth > 0 and any(hasattr(p, "fget") for p in vars(hint).values()):
        return {wire: _placeholder(wire, h, region, depth - 1, d) for wire, h, d in _fields(hint)}
    return None


def _text(name: str, region: str) -> str:
    lowered = name.lower()
    if lowered in ("region", "location"):
        return region
    if "cidr" in lowered or lowered.endswith("addressprefix"):
        return "10.0.0.0/16"
    if lowered.endswith("ipaddress") or lowered in ("ip", "address"):
        return "10.0.0.10"
    return f"offline-{name}"


def typed_answer(token: str, args: dict[str, Any], region: str) -> dict[str, Any] | None:
    """A placeholder answer of the invoke's result type, or None when the SDK's result class is not found."""
    cls = result_class(token)
    if cls is None:
        return None
    answer = {wire: _placeholder(wire, hint, region, DEPTH, doc) for wire, hint, doc in _fields(cls)}
    for key, value in args.items():
        if key in answer and value is not None:
            answer[key] = value
    return answer


def local_answer(token: str, args: dict[str, Any]) -> dict[str, Any] | None:
    """The answer to an invoke the Kubernetes provider computes on this machine, not in a cloud, or None for
    any other: `kubernetes:yaml:decode` (yaml.v1 ConfigFile / ConfigGroup) parses the manifests' text, as
    the provider does, so their objects are planned as children; `kubernetes:helm:template` (a helm.v3
    Chart) would render a chart fetched from its repository, which an offline plan cannot: it renders
    nothing, and the Chart, left without children, is priced as a chart (estimate/rules/kubernetes.py)."""
    if token == "kubernetes:yaml:decode":
        import yaml

        text = args.get("text")
        documents = list(yaml.safe_load_all(text)) if isinstance(text, str) else []
        return {"result": [d for d in documents if isinstance(d, dict)]}
    if token == "kubernetes:helm:template":
        return {"result": []}
    return None
