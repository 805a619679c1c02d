"""What a failed program run says beyond its exception's text: where it raised (the program's own line,
and the installed package the error came from, with its version), the module an import missed, and the
config keys the program read with `Config.get*` that had no value. Both runners use it: the in-process one
(engine.program) and the child in a program's own environment (engine.isolated), which sends the result
to the parent as JSON. Standard library and the `pulumi` SDK only: it runs in the program's interpreter.

The config reads are recorded by wrapping the SDK's `Config.get*` methods for the length of a run
(`recording_unset_config`): a read that returned None (no value in any config source, no default in the
call) is named, so that a program failing on `None` ("expected str instance, NoneType found") can be told
which keys it needed."""

from __future__ import annotations

import contextlib
import os
import re
import sys
import traceback
from collections.abc import Iterator
from typing import Any

_GETTERS = (
    "get",
    "get_bool",
    "get_int",
    "get_float",
    "get_object",
    "get_secret",
    "get_secret_bool",
    "get_secret_int",
    "get_secret_float",
    "get_secret_object",
)


@contextlib.contextmanager
def recording_unset_config(unset: list[str]) -> Iterator[None]:
    """While the block runs, append to `unset` the full key of every `pulumi.Config().get*` read that
    returned None (once per key, in the order read). The SDK's methods are restored afterwards."""
    from pulumi import config as sdk_config

    cls = sdk_config.Config
    saved = {name: cls.__dict__[name] for name in _GETTERS if name in cls.__dict__}

    def wrap(name: str, original: Any) -> Any:
        def read(self: Any, key: str, *args: Any, **kwargs: Any) -> Any:
            value = original(self, key, *args, **kwargs)
            if value is None:
                full = self.full_key(key) if hasattr(self, "full_key") else f"{self.name}:{key}"
                if full not in unset:
                    unset.append(full)
            return value

        read.__name__ = name
        read.__doc__ = original.__doc__
        return read

    for name, original in saved.items():
        setattr(cls, name, wrap(name, original))
    try:
        yield
    finally:
        for name, original in saved.items():
            setattr(cls, name, original)


def details(error: BaseException, directory: str, unset: list[str]) -> dict[str, Any]:
    """What a failure report carries besides the error's class and text, as JSON-able values:

    - `where`: the program's own file and line the error passed through last (`__main__.py:12`), or None;
    - `package`, `version`: the installed distribution whose code raised it (the innermost frame outside
      the program's directory, in site-packages), or None;
    - `module`, `module_version`: the module an ImportError names (`sagemaker`, `pkg_resources`) or an
      AttributeError found without the attribute asked for (`pulumi_azure_native.network`; for an object,
      the module of its class, `pulumi_docker_build.image`, when an installed package's), and the version
      of the distribution that installs it, or None;
    - `unset_config`: the keys the program read with Config.get* and got None for."""
    frames = traceback.extract_tb(error.__traceback__) if error.__traceback__ is not None else []
    root = os.path.realpath(directory)
    where = None
    for frame in frames:
        file = os.path.realpath(frame.filename)
        if file.startswith(root + os.sep) and os.sep + "site-packages" + os.sep not in file[len(root) :]:
            where = f"{os.path.relpath(file, root)}:{frame.lineno}"
    package = version = None
    if frames:
        package = _package_of(frames[-1].filename)
        if package is not None:
            version = _version_of(package)
    module = getattr(error, "name", None) if isinstance(error, ImportError) else None
    if isinstance(error, AttributeError):
        found = _NO_ATTRIBUTE.match(str(error))
        module = found.group(1) if found else _owner(getattr(error, "obj", None))
    module = module if isinstance(module, str) and module else None
    return {
        "where": where,
        "package": package,
        "version": version,
        "module": module,
        "module_version": _version_of(module.partition(".")[0]) if module else None,
        "unset_config": list(unset),
    }


_NO_ATTRIBUTE = re.compile(r"module '([\w.]+)' has no attribute")

OURS = frozenset({"aiinfra", "pulumi"})
"""Packages whose code says nothing the user can act on: this tool's, and the SDK the mocks run under."""


def _owner(obj: Any) -> str | None:
    """The module that defines an object's class (`pulumi_docker_build.image` for an Image) when it is an
    installed package's other than the SDK's; None for the program's own classes, builtins and None."""
    if obj is None:
        return None
    owner = type(obj).__module__
    file = getattr(sys.modules.get(owner), "__file__", None)
    package = _package_of(file) if isinstance(file, str) else None
    return owner if package is not None and package not in OURS else None


def _package_of(filename: str) -> str | None:
    """The top-level import name of an installed file (…/site-packages/pulumi_aws/ec2/instance.py →
    pulumi_aws); None for a file not in site-packages (the program's, the standard library's)."""
    parts = os.path.realpath(filename).split(os.sep)
    for marker in ("site-packages", "dist-packages"):
        if marker in parts:
            rest = parts[len(parts) - parts[::-1].index(marker) :]
            if rest:
                top = rest[0]
                return top[:-3] if top.endswith(".py") else top
    return None


def _version_of(package: str) -> str | None:
    """The version of the distribution that installs import name `package`, when it can be told (a
    namespace package several distributions share, like `sagemaker`, is the one of its own name)."""
    from importlib import metadata

    try:
        return metadata.version(package)  # the distribution of that name (pulumi_aws: pulumi-aws)
    except Exception:  # none of that name: the one distribution that installs it, if only one does
        pass
    try:
        names = metadata.packages_distributions().get(package) or []
        return metadata.version(names[0]) if len(names) == 1 else None
    except Exception:  # no metadata for it: the version is only a hint
        return None
