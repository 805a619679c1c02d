"""Guarded reading of untrusted input: the one way every reader of a user's file goes.

- `read_text`: a regular file (never a device, FIFO or directory), at most `limit_bytes`, decoded from
  UTF-8 (with or without BOM) or UTF-16 with a BOM, CRLF as LF; `-` is standard input, bounded too.
- `load_yaml`: PyYAML's safe loader with bounds: alias expansion, total nodes, nesting depth; duplicate
  keys refused with their line.
- `load_json`: `json.loads` with a nesting bound, NaN/Infinity refused, oversized numbers refused.
- `show`: a user's value as it may appear in a message: capped and with control characters escaped.

Every refusal is an `InputError(message, fix)`. This package imports nothing from aiinfra.
"""

from aiinfra.guard.errors import InputError
from aiinfra.guard.files import DOCUMENT_LIMIT, SPEC_LIMIT, read_bytes, read_text
from aiinfra.guard.jsondoc import load_json
from aiinfra.guard.show import escape_controls, show
from aiinfra.guard.yamldoc import MAX_ALIAS_NODES, MAX_DEPTH, MAX_NODES, load_yaml, non_string_key

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
