"""The Kubernetes objects a `kubernetes:yaml/v2` ConfigGroup or ConfigFile applies, read as its provider
reads them. Both are remote components: the Kubernetes provider parses the manifests and registers one
child per object, so under the recording mocks they would have no children, and a LoadBalancer Service or
a PersistentVolumeClaim in the files (billed by the cloud) would vanish from the estimate as a free
component (pulumi/docs aws-eks-k8s-configgroup-python: a guestbook `type: LoadBalancer` Service in
yaml/*.yaml). The monitor (engine.mocks) plans these objects as the component's children instead.

Sources are the component's inputs: `files` (paths and glob patterns, relative to the program's
directory, which is the working directory of the run), `yaml` (manifest text), `objs` (objects) and, for a
ConfigFile, `file`. A URL is not fetched (the plan is offline): it is reported, so the estimate can say
which objects it could not see."""

from __future__ import annotations

import glob
from pathlib import Path
from typing import Any

import yaml

V2_TYPES = frozenset({"kubernetes:yaml/v2:ConfigGroup", "kubernetes:yaml/v2:ConfigFile"})


def type_token(document: dict[str, Any]) -> str | None:
    """The Pulumi type of a manifest object: `apiVersion: v1, kind: Service` -> kubernetes:core/v1:Service,
    `apps/v1` Deployment -> kubernetes:apps/v1:Deployment; None without an apiVersion or kind."""
    api_version, kind = document.get("apiVersion"), document.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str) or not api_version or not kind:
        return None
    group_version = api_version if "/" in api_version else f"core/{api_version}"
    return f"kubernetes:{group_version}:{kind}"


def child_name(document: dict[str, Any], prefix: str) -> str:
    """The Pulumi name the provider gives an object: `<prefix>-<namespace>/<name>` (no namespace part when
    the object has none; no prefix when the prefix is empty)."""
    found = document.get("metadata")
    metadata: dict[str, Any] = found if isinstance(found, dict) else {}
    name = str(metadata.get("name") or "unnamed")
    namespace = metadata.get("namespace")
    qualified = f"{namespace}/{name}" if isinstance(namespace, str) and namespace else name
    return f"{prefix}-{qualified}" if prefix else qualified


def _objects(loaded: Any) -> list[dict[str, Any]]:
    """The objects of one parsed document: itself, or the items of a `kind: List`."""
    if not isinstance(loaded, dict):
        return []
    if loaded.get("kind") == "List" and isinstance(loaded.get("items"), list):
        return [item for item in loaded["items"] if isinstance(item, dict)]
    return [loaded]


def _parse(text: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for loaded in yaml.safe_load_all(text):
        found.extend(_objects(loaded))
    return found


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def manifest_objects(inputs: dict[str, Any], directory: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """The objects a yaml/v2 component's inputs name, in order, and the sources it could not read (a URL,
    or a path matching no file). Paths and globs are relative to `directory`."""
    objects: list[dict[str, Any]] = []
    unread: list[str] = []
    paths: list[str] = []
    if isinstance(inputs.get("file"), str):
        paths.append(inputs["file"])
    files = inputs.get("files")
    if isinstance(files, str):
        paths.append(files)
    elif isinstance(files, list):
        paths.extend(f for f in files if isinstance(f, str))
    for source in paths:
        if _is_url(source):
            unread.append(source)
            continue
        pattern = source if Path(source).is_absolute() else str(directory / source)
        matches = sorted(glob.glob(pattern, recursive=True))
        if not matches:
            unread.append(source)
        for match in matches:
            objects.extend(_parse(Path(match).read_text()))
    text = inputs.get("yaml")
    for chunk in text if isinstance(text, list) else [text]:
        if isinstance(chunk, str):
            objects.extend(_parse(chunk))
    objs = inputs.get("objs")
    if isinstance(objs, list):
        for item in objs:
            objects.extend(_objects(item))
    return [o for o in objects if type_token(o) is not None], unread
