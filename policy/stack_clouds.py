"""Which clouds a stack's Pulumi run needs credentials for: the GitOps workflows log in to a cloud only for
the stacks that use it (.github/workflows, README "GitOps pipeline").

A stack uses a cloud when one of its clusters or edge sites names it (`cloud:`), or when its config sets
that cloud's provider keys (`aws:region`, `gcp:project`, `azure-native:location`: a provider of its own).
The cloud that holds the Pulumi state counts too, for every stack: a `gs://` backend needs Google
credentials even for an AWS stack.

    python -m aiinfra.policy.stack_clouds [--backend-url URL] STACK...

prints one line per stack, `NAME cloud cloud…` (clouds in the profiles' order; a stack file that cannot
be read gets its backend's cloud only, with a warning on stderr: its own check reports why). Exit 2 on bad
arguments."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from aiinfra import clouds
from aiinfra.spec.errors import SpecError
from aiinfra.spec.loader import NAMESPACE, read_stack_config, stack_file, stack_name

BACKEND_SCHEMES = {"s3": "aws", "gs": "gcp", "azblob": "azure"}
"""Pulumi's self-managed state backends by URL scheme, and the cloud whose credentials open them
(https://www.pulumi.com/docs/iac/concepts/state-and-backends/)."""

SPEC_LISTS = ("clusters", "edgeSites")


def config_clouds(config: Mapping[Any, Any]) -> set[str]:
    """The clouds a stack's `config:` mapping uses: its clusters' and edge sites' `cloud`, and the provider
    namespaces of its keys. Names no profile knows are left out (the spec check reports them)."""
    known = clouds.profiles()
    found: set[str] = set()
    for key in SPEC_LISTS:
        entries = config.get(f"{NAMESPACE}:{key}")
        for entry in entries if isinstance(entries, list) else []:
            cloud = entry.get("cloud") if isinstance(entry, Mapping) else None
            if isinstance(cloud, str) and cloud in known:
                found.add(cloud)
    namespaces = {key.split(":", 1)[0] for key in config if isinstance(key, str) and ":" in key}
    found |= {name for name, profile in known.items() if namespaces & set(profile.packages)}
    return found


def backend_cloud(url: str | None) -> str | None:
    """The cloud whose credentials a Pulumi backend URL needs; None for Pulumi Cloud, a file backend or none."""
    scheme = (url or "").split("://", 1)[0].lower() if "://" in (url or "") else ""
    return BACKEND_SCHEMES.get(scheme)


def ordered(found: set[str]) -> list[str]:
    return [name for name in clouds.names() if name in found]


def stack_clouds(stack: str, backend_url: str | None = None, root: Path | None = None) -> list[str]:
    """The clouds stack `stack` (a name in stacks/ or a path) needs credentials for; raises SpecError when
    its file cannot be read."""
    found = config_clouds(read_stack_config(stack_file(stack, root)))
    if (cloud := backend_cloud(backend_url)) is not None:
        found.add(cloud)
    return ordered(found)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m aiinfra.policy.stack_clouds",
        description="Print `NAME cloud…` for each stack: the clouds its Pulumi run needs credentials for.",
    )
    parser.add_argument("--backend-url", default="", help="PULUMI_BACKEND_URL (its cloud is needed too)")
    parser.add_argument(
        "stacks", nargs="*", metavar="STACK", help="stack names (stacks/Pulumi.NAME.yaml) or paths"
    )
    args = parser.parse_args(argv)
    for stack in args.stacks:
        given = Path(stack)
        is_name = given.parent == Path(".") and given.suffix not in (".yaml", ".yml")
        name = stack if is_name else stack_name(given)
        try:
            found = stack_clouds(stack, args.backend_url)
        except SpecError as e:
            print(f"warning: {name}: {e}", file=sys.stderr)
            cloud = backend_cloud(args.backend_url)
            found = [cloud] if cloud else []
        print(" ".join([name, *found]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
