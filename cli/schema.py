"""`infra schema`: the JSON Schema of a stack file, for editors' YAML completion and CI validation."""

from __future__ import annotations

import json
from typing import Any

import typer


def stack_file_schema() -> dict[str, Any]:
    from aiinfra.spec.loader import NAMESPACE
    from aiinfra.spec.models import StackSpec

    spec = StackSpec.model_json_schema(by_alias=True)
    defs = spec.pop("$defs", {})
    props = {f"{NAMESPACE}:{key}": value for key, value in spec["properties"].items()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "aiinfra stack file (stacks/Pulumi.<stack>.yaml)",
        "type": "object",
        "properties": {
            "config": {
                "type": "object",
                "properties": props,
                "additionalProperties": True,  # other namespaces (aws:region, ...) belong to other tools
            },
        },
        "$defs": defs,
    }


def schema() -> None:
    """Print the JSON Schema of a stack file (Pulumi.<stack>.yaml). Point your editor's YAML language
    server at it for completion and inline errors."""
    typer.echo(json.dumps(stack_file_schema(), indent=2))
