"""Reading the CloudFormation template a resource carries (an `aws:cloudformation/stack:Stack`'s
`templateBody`: pulumi-eks's classic node groups are such a stack holding one Auto Scaling group), safely.

A template is YAML or JSON. YAML templates use CloudFormation's short tags (`!Ref X`, `!Sub ...`,
`!GetAtt a.b`); the loader reads exactly those, as the long form they abbreviate (`{"Ref": "X"}`,
`{"Fn::Sub": ...}`), on top of `aiinfra.guard`'s bounded loader (node, alias and depth limits, duplicate
keys refused). Any other tag is refused, never constructed. A template that cannot be read is a reason
string, not an exception: the estimate carries the stack unpriced with it."""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from aiinfra.guard import SPEC_LIMIT, InputError, load_json
from aiinfra.guard.show import escape_controls
from aiinfra.guard.yamldoc import GuardedLoader

FUNCTIONS = (
    "And",
    "Base64",
    "Cidr",
    "Equals",
    "FindInMap",
    "GetAZs",
    "If",
    "ImportValue",
    "Join",
    "Length",
    "Not",
    "Or",
    "Select",
    "Split",
    "Sub",
    "ToJsonString",
    "Transform",
)
"""Intrinsic functions whose short tag `!Name` stands for `{"Fn::Name": value}`."""


class TemplateLoader(GuardedLoader):
    """The guard's bounded safe loader plus CloudFormation's short tags, and nothing else."""


def _value(loader: TemplateLoader, node: Node) -> Any:
    if isinstance(node, ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, SequenceNode):
        return loader.construct_sequence(node, deep=True)
    if isinstance(node, MappingNode):
        return loader.construct_mapping(node, deep=True)
    return None  # pragma: no cover - PyYAML has no other node kind


def _ref(loader: TemplateLoader, node: Node) -> dict[str, Any]:
    return {"Ref": _value(loader, node)}


def _condition(loader: TemplateLoader, node: Node) -> dict[str, Any]:
    return {"Condition": _value(loader, node)}


def _get_att(loader: TemplateLoader, node: Node) -> dict[str, Any]:
    value = _value(loader, node)
    if isinstance(value, str):  # !GetAtt Resource.Attribute
        value = value.split(".", 1)
    return {"Fn::GetAtt": value}


def _function(name: str) -> Any:
    def construct(loader: TemplateLoader, node: Node) -> dict[str, Any]:
        return {f"Fn::{name}": _value(loader, node)}

    return construct


TemplateLoader.add_constructor("!Ref", _ref)
TemplateLoader.add_constructor("!Condition", _condition)
TemplateLoader.add_constructor("!GetAtt", _get_att)
for _name in FUNCTIONS:
    TemplateLoader.add_constructor(f"!{_name}", _function(_name))


def parse(body: Any) -> dict[str, Any] | str:
    """The template in `body` (text, or an object already parsed) as a mapping, or why it cannot be read."""
    if isinstance(body, dict):
        return body
    if not isinstance(body, str) or not body.strip():
        return "templateBody is not given (or not known before deployment)"
    if len(body.encode("utf-8", "replace")) > SPEC_LIMIT:
        return f"templateBody is larger than {SPEC_LIMIT // 1024:,} KiB"
    try:
        if body.lstrip().startswith("{"):
            doc = load_json(body, source="templateBody")
        else:
            doc = yaml.load(body, Loader=TemplateLoader)  # the bounded safe loader above
    except InputError as e:
        return escape_controls(e.message)[:300]
    except yaml.YAMLError as e:
        problem = getattr(e, "message", None) or getattr(e, "problem", None) or str(e)
        mark = getattr(e, "mark", None) or getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        return (
            f"templateBody is not a template this tool can read{where}: {escape_controls(str(problem))[:200]}"
        )
    except RecursionError:
        return "templateBody is nested too deeply"
    if not isinstance(doc, dict):
        return "templateBody is not a mapping of template sections"
    return doc


def resources(template: dict[str, Any], type_name: str) -> list[tuple[str, dict[str, Any]]]:
    """(logical ID, Properties) of the template's resources of `type_name`."""
    found = []
    for logical_id, resource in (template.get("Resources") or {}).items():
        if isinstance(resource, dict) and resource.get("Type") == type_name:
            properties = resource.get("Properties")
            found.append((str(logical_id), properties if isinstance(properties, dict) else {}))
    return found


def resource_types(template: dict[str, Any]) -> list[str]:
    return [
        str(r.get("Type"))
        for r in (template.get("Resources") or {}).values()
        if isinstance(r, dict) and r.get("Type")
    ]


class Unresolved(str):
    """A value the template computes at deploy time (`!Sub`, `!GetAtt`, `!ImportValue`, ...): the text
    says what it is."""


def resolve(template: dict[str, Any], value: Any, parameters: dict[str, Any] | None = None) -> Any:
    """A property value with `Ref`s followed: to a parameter's value (given, else its Default), or to
    `("resource", logical ID, resource)` for a resource of the same template. Anything else computed at
    deploy time is `Unresolved`."""
    if isinstance(value, dict) and len(value) == 1:
        ((key, arg),) = value.items()
        if key == "Ref" and isinstance(arg, str):
            given = (parameters or {}).get(arg)
            if given is not None:
                return given
            declared = (template.get("Parameters") or {}).get(arg)
            if isinstance(declared, dict) and "Default" in declared:
                return declared["Default"]
            resource = (template.get("Resources") or {}).get(arg)
            if isinstance(resource, dict):
                return ("resource", arg, resource)
            return Unresolved(f"!Ref {arg} (a parameter without a default)")
        if key.startswith("Fn::") or key == "Ref":
            return Unresolved(f"{key.replace('Fn::', '!')} (computed at deploy time)")
    return value
