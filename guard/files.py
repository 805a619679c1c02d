"""Bounded reading of a user's file: refuse what is not a regular file before opening it (opening a FIFO
blocks; /dev/zero never ends), read at most the limit, decode what editors and shells write."""

from __future__ import annotations

import codecs
import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from aiinfra.guard.errors import InputError
from aiinfra.guard.show import show

MiB = 1024 * 1024
SPEC_LIMIT = 1 * MiB
"""Stack files, usage files, Pulumi.yaml, catalog data files: hand-written, a few KiB (the largest shipped
catalog file is ~100 KiB). PyYAML's safe loader is pure Python and reads about 1 MB a second on a busy
machine, so this bound is also the bound on the time a YAML input can take."""
DOCUMENT_LIMIT = 256 * MiB
"""`--from` documents (previews, state exports, plans) and downloaded price lists."""

STDIN = "-"


def read_text(path: str | Path, *, what: str, limit_bytes: int, stdin: BinaryIO | None = None) -> str:
    """The text of `path` (`-`: standard input), decoded and with CRLF as LF.

    Refuses, as InputError naming `what` and the path: a missing file, a directory, a device, FIFO or
    socket (checked before opening), a file larger than `limit_bytes`, and bytes that are not UTF-8 or
    UTF-16 with a byte order mark."""
    if str(path) == STDIN:
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(limit_bytes + 1)
        shown = "standard input"
    else:
        data = _read_file(Path(path), what, limit_bytes)
        shown = str(path)
    if len(data) > limit_bytes:
        raise InputError(
            f"{show(shown, 200)} is larger than {limit_bytes // MiB} MiB, the limit for {what}.",
            f"Give {what} itself; a file this large is not one.",
        )
    return decode(data, shown, what)


def read_bytes(path: str | Path, *, what: str, limit_bytes: int) -> bytes:
    """The bytes of a regular file of at most `limit_bytes` (refusals as `read_text`'s)."""
    return _read_file(Path(path), what, limit_bytes)


def _read_file(path: Path, what: str, limit_bytes: int) -> bytes:
    name = show(str(path), 200)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"no file at {name}.", f"Check the path of {what}.") from None
    except OSError as e:
        raise InputError(
            f"cannot read {what} {name}: {e.strerror}.", "Check the path and its permissions."
        ) from None
    _regular(st.st_mode, name, what)
    if st.st_size > limit_bytes:
        raise InputError(
            f"{name} is {st.st_size / MiB:.0f} MiB, more than the {limit_bytes // MiB} MiB limit for {what}.",
            f"Give {what} itself; a file this large is not one.",
        )
    try:
        # O_NONBLOCK: had the file been swapped for a FIFO since the stat, opening it must not hang
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        raise InputError(
            f"cannot read {what} {name}: {e.strerror}.", "Check the path and its permissions."
        ) from None
    try:
        _regular(os.fstat(fd).st_mode, name, what)
        chunks, left = [], limit_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, MiB))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    except OSError as e:
        raise InputError(f"cannot read {what} {name}: {e.strerror}.", "Check the file.") from None
    finally:
        os.close(fd)


def _regular(mode: int, name: str, what: str) -> None:
    if stat.S_ISDIR(mode):
        raise InputError(f"{name} is a directory, not {what}.", f"Give the path of {what}, a file.")
    if not stat.S_ISREG(mode):
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a device or socket"
        raise InputError(
            f"{name} is {kind}, not a regular file.",
            f"Give a regular file holding {what} (save a pipe's output to a file first).",
        )


_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode(data: bytes, shown: str, what: str) -> str:
    """UTF-8 with or without BOM, UTF-16 LE/BE with BOM (PowerShell's `>` writes that); CRLF → LF."""
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom) :], name
            break
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        raise InputError(
            f"{show(shown, 200)} is not {encoding.upper()} text (byte {e.start}: {e.reason}).",
            f"Save {what} as UTF-8 (or UTF-16 with a byte order mark).",
        ) from None
    if "\x00" in text:
        raise InputError(
            f"{show(shown, 200)} holds NUL bytes: it is a binary file, not {what}.",
            f"Give {what} as UTF-8 text.",
        )
    return text.replace("\r\n", "\n")
