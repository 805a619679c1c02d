"""JSON with bounds: nesting, NaN/Infinity (not JSON, but Python's json accepts them) and numbers too
long to be a value (Python refuses integers over 4,300 digits with a bare ValueError)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aiinfra.guard.errors import InputError

MAX_JSON_DEPTH = 256
"""Nesting of objects and arrays; Pulumi's own documents stay far below."""


def _no_constant(name: str) -> Any:
    raise InputError(f"holds {name}, which is not a JSON number.", "Write a finite number, or null.")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise InputError(
            f"holds {text[:40]}, a number too large to be a value.", "Write a number of ordinary size."
        )
    return value


def load_json(
    text: str, *, source: str, parse_float: Callable[[str], Any] | None = None, fix: str = ""
) -> Any:
    """The JSON document in `text`. InputError naming `source` (and line and column where known) for
    syntax errors, NaN/Infinity, numbers too long, and nesting deeper than MAX_JSON_DEPTH."""
    try:
        doc = json.loads(text, parse_float=parse_float or _finite_float, parse_constant=_no_constant)
    except InputError as e:
        raise e.within(source) from None
    except json.JSONDecodeError as e:
        raise InputError(f"{source} is not JSON (line {e.lineno}, column {e.colno}: {e.msg}).", fix) from None
    except RecursionError:
        raise _too_deep(source) from None
    except ValueError as e:  # "Exceeds the limit (4300 digits) for integer string conversion", decimal's
        raise InputError(
            f"{source} holds a number this tool cannot read ({str(e).split(';')[0]}).",
            "Numbers in these documents are ordinary sizes and prices; check the file is the one meant.",
        ) from None
    if depth_over(doc, MAX_JSON_DEPTH):
        raise _too_deep(source)
    return doc


def _too_deep(source: str) -> InputError:
    return InputError(
        f"{source} is nested more than {MAX_JSON_DEPTH} levels deep.",
        "Give the document as the tool that made it wrote it; none nests this deep.",
    )


def depth_over(doc: Any, limit: int) -> bool:
    """True when lists and dicts in `doc` nest deeper than `limit` (iterative: no recursion to exhaust)."""
    stack: list[tuple[Any, int]] = [(doc, 1)] if isinstance(doc, _CONTAINERS) else []
    pop, push = stack.pop, stack.append
    while stack:
        value, depth = pop()
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value
        deeper = depth + 1
        for v in children:  # a loop, not a generator: a 10,000-resource export has ~300,000 values
            if isinstance(v, _CONTAINERS):
                push((v, deeper))
    return False


_CONTAINERS = (dict, list)
