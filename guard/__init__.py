"""Guarded reading of untrusted input: the one way every reader of a user's file goes.

- `read_text`: a regular file (never a device, FIFO or directory), at most `limit_bytes`, decoded from
  UTF-8 (with or without BOM) or UTF-16 with a BOM, CRLF as LF; `-` is standard input, bounded too.
- `load_yaml`: PyYAML's safe loader with bounds: alias expansion, total nodes, nesting depth; duplicate
  keys refused with their line.
- `load_json`: `json.loads` with a nesting bound, NaN/Infinity refused, oversized numbers refused.
- `show`: a user's value as it may appear in a message: capped and with control characters escaped.

Every refusal is an `InputError(message, fix)`. This package imports nothing from aiinfra.
"""

from typing import TYPE_CHECKING, Any

from aiinfra.guard.errors import InputError
from aiinfra.guard.files import DOCUMENT_LIMIT, SPEC_LIMIT, read_bytes, read_text
from aiinfra.guard.jsondoc import load_json
from aiinfra.guard.show import escape_controls, show

if TYPE_CHECKING:
    from aiinfra.guard.yamldoc import MAX_ALIAS_NODES, MAX_DEPTH, MAX_NODES, load_yaml, non_string_key

_YAML_NAMES = frozenset({"MAX_ALIAS_NODES", "MAX_DEPTH", "MAX_NODES", "load_yaml", "non_string_key"})


def __getattr__(name: str) -> Any:
    """The YAML names load PyYAML on first use: importing it costs a third of the catalog's first query,
    which reads the compiled JSON and never needs YAML."""
    if name in _YAML_NAMES:
        from aiinfra.guard import yamldoc

        return getattr(yamldoc, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DOCUMENT_LIMIT",
    "MAX_ALIAS_NODES",
    "MAX_DEPTH",
    "MAX_NODES",
    "SPEC_LIMIT",
    "InputError",
    "escape_controls",
    "load_json",
    "load_yaml",
    "non_string_key",
    "read_bytes",
    "read_text",
    "show",
]
