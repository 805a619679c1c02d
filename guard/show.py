"""User values inside messages: never unbounded, never raw control characters (an ESC in a name must not
drive the user's terminal)."""

from __future__ import annotations

import reprlib
import unicodedata
from typing import Any

_repr = reprlib.Repr()
_repr.maxstring = 80
_repr.maxother = 80
_repr.maxlist = _repr.maxtuple = _repr.maxdict = _repr.maxset = 4
_repr.maxlevel = 2


def escape_controls(text: str) -> str:
    """C0 and C1 control characters, DEL and invisible format characters (bidi overrides) as `\\xNN` /
    `\\uNNNN`; tab and newline too, so a value always stays on one line."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or (ch == " "):
            out.append(ch)
        elif unicodedata.category(ch) in ("Zs",):
            out.append(" ")
        else:
            code = ord(ch)
            out.append(
                f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
            )
    return "".join(out)


def show(value: Any, limit: int = 60) -> str:
    """`value` for a message: a string quoted, anything else as a short repr; at most `limit` characters
    of it, then `…(N chars)`; control characters escaped. Bounded work even for a 50 MB string or a
    million-key mapping."""
    if isinstance(value, str):
        head = escape_controls(value[: limit + 1])
        text = f"'{head[:limit]}'"
        if len(value) > limit:
            text = f"'{head[:limit]}'…({len(value)} chars)"
        return text
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
    text = escape_controls(_repr.repr(value))
    return text if len(text) <= limit else f"{text[:limit]}…"
