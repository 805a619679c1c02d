"""Deploy through the Pulumi Automation API, over this repository's Pulumi project (a local program, not an
inline one), so `infra up -s X` and `pulumi up -s X` run the same program against the same state.

Needs the Pulumi CLI. Without it every operation raises `PulumiMissing` with how to install it; `infra plan`
and `infra estimate` keep working offline. The backend is the one the user chose (`PULUMI_BACKEND_URL`, or
`pulumi login`); with neither, a local file backend under the project (`file://<project>/.pulumi-state`) for
a first try. The passphrase of a self-managed backend comes from the environment (`PULUMI_CONFIG_PASSPHRASE`
or `PULUMI_CONFIG_PASSPHRASE_FILE`) and is never put on a command line or in a log.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[1]
"""The repository root: Pulumi.yaml and __main__.py (an editable install, as the README sets up)."""
LOCAL_STATE = ".pulumi-state"

INSTALL_FIX = (
    "Install the Pulumi CLI (https://www.pulumi.com/docs/iac/download-install/: "
    "`curl -fsSL https://get.pulumi.com | sh`, or `brew install pulumi/tap/pulumi`) and make sure `pulumi` is "
    "on PATH. Until then `infra plan` and `infra estimate` work offline."
)


class DeployError(Exception):
    """Something the user must fix before a deploy can run: `message`, then `fix`."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(f"{message} {fix}")
        self.message = message
        self.fix = fix


class PulumiMissing(DeployError):
    """No Pulumi CLI on this machine: the one deploy error whose fix is an install."""


def pulumi_cli() -> str:
    """The Pulumi CLI the Automation API will run: `pulumi` on PATH, else the installer's default place."""
    found = shutil.which("pulumi")
    if found:
        return found
    home = Path(os.environ.get("PULUMI_HOME", Path.home() / ".pulumi")) / "bin" / "pulumi"
    if home.is_file() and os.access(home, os.X_OK):
        return str(home)
    raise PulumiMissing(
        "the Pulumi CLI is not installed (no `pulumi` on PATH or in ~/.pulumi/bin).", INSTALL_FIX
    )


@dataclass(frozen=True)
class Backend:
    url: str | None
    """None = whatever the user's `pulumi login` chose; else the PULUMI_BACKEND_URL we set."""
    description: str
    env: dict[str, str] = field(default_factory=dict)


def backend(project_dir: Path = PROJECT_DIR, environ: dict[str, str] | None = None) -> Backend:
    """Where state goes: PULUMI_BACKEND_URL, else the current `pulumi login`, else a local file backend under
    the project. Self-managed backends need a passphrase from the environment (checked here, up front)."""
    environ = dict(os.environ if environ is None else environ)
    if environ.get("PULUMI_BACKEND_URL"):
        url = environ["PULUMI_BACKEND_URL"]
        chosen = Backend(url, f"{url} (PULUMI_BACKEND_URL)")
    else:
        credentials = Path(environ.get("PULUMI_HOME", Path.home() / ".pulumi")) / "credentials.json"
        url = _current_login(credentials) or ""
        if url:
            chosen = Backend(None, f"{url} (pulumi login)")
        else:
            state = project_dir / LOCAL_STATE
            state.mkdir(exist_ok=True)
            url = f"file://{state}"
            chosen = Backend(
                url,
                f"{url} (a local file backend for a first try; `pulumi login` or PULUMI_BACKEND_URL to choose another)",
                {"PULUMI_BACKEND_URL": url},
            )
    self_managed = not url.startswith(("https://", "http://"))
    has_passphrase = environ.get("PULUMI_CONFIG_PASSPHRASE") is not None or bool(
        environ.get("PULUMI_CONFIG_PASSPHRASE_FILE")
    )
    if self_managed and not has_passphrase:
        raise DeployError(
            f"the backend {chosen.description} keeps secrets encrypted with a passphrase, and none is set.",
            "Export PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) in the environment; it is never "
            "passed on the command line.",
        )
    return chosen


def _current_login(credentials: Path) -> str | None:
    try:
        doc = json.loads(credentials.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    current = doc.get("current")
    return current if isinstance(current, str) and current else None


# -- operations ------------------------------------------------------------------------------------------


OnEvent = Callable[[Any], None]


@dataclass
class Result:
    operation: str
    stack: str
    changes: dict[str, int]
    outputs: dict[str, Any] = field(default_factory=dict)
    stdout: str = ""


def _workspace(project_dir: Path) -> tuple[Any, Backend]:
    cli = pulumi_cli()  # before anything else: a missing CLI is the first thing to say
    be = backend(project_dir)
    from pulumi import automation as auto

    # PulumiCommand(root) runs <root>/bin/pulumi; a CLI found elsewhere on PATH runs as plain `pulumi`.
    binary = Path(cli)
    command = auto.PulumiCommand(root=str(binary.parent.parent)) if binary.parent.name == "bin" else None
    return auto.LocalWorkspace(work_dir=str(project_dir), pulumi_command=command, env_vars=be.env), be


def _stack(name: str, *, create: bool, project_dir: Path = PROJECT_DIR) -> Any:
    from pulumi import automation as auto

    workspace, be = _workspace(project_dir)
    try:
        if create:
            return auto.Stack.create_or_select(name, workspace)
        return auto.Stack.select(name, workspace)
    except auto.StackNotFoundError:
        raise DeployError(
            f"stack '{name}' does not exist in {be.description}.",
            f"Deploy it first with `infra up -s {name}`, or check the backend (`pulumi stack ls`).",
        ) from None


def preview(name: str, on_event: OnEvent | None = None, *, project_dir: Path = PROJECT_DIR) -> Result:
    stack = _stack(name, create=True, project_dir=project_dir)
    r = stack.preview(on_event=on_event, color="never")
    return Result("preview", name, dict(r.change_summary or {}), stdout=r.stdout)


def up(name: str, on_event: OnEvent | None = None, *, project_dir: Path = PROJECT_DIR) -> Result:
    stack = _stack(name, create=True, project_dir=project_dir)
    r = stack.up(on_event=on_event, color="never")
    outputs = {k: v.value for k, v in (r.outputs or {}).items()}
    return Result("up", name, dict(r.summary.resource_changes or {}), outputs, r.stdout)


def refresh(name: str, on_event: OnEvent | None = None, *, project_dir: Path = PROJECT_DIR) -> Result:
    stack = _stack(name, create=False, project_dir=project_dir)
    r = stack.refresh(on_event=on_event, color="never")
    return Result("refresh", name, dict(r.summary.resource_changes or {}), stdout=r.stdout)


def destroy(name: str, on_event: OnEvent | None = None, *, project_dir: Path = PROJECT_DIR) -> Result:
    """Destroy everything but protected resources (the data: buckets, file systems, their keys), which stay
    in the account; `pulumi destroy` would otherwise refuse to run at all."""
    stack = _stack(name, create=False, project_dir=project_dir)
    r = stack.destroy(on_event=on_event, color="never", exclude_protected=True)
    return Result("destroy", name, dict(r.summary.resource_changes or {}), stdout=r.stdout)


def state(name: str, *, project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    """The stack's deployed state (`pulumi stack export`), secrets left encrypted."""
    stack = _stack(name, create=False, project_dir=project_dir)
    exported = stack.export_stack()
    return {"version": exported.version, "deployment": exported.deployment or {}}


def outputs(name: str, *, project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    stack = _stack(name, create=False, project_dir=project_dir)
    return {k: ("[secret]" if v.secret else v.value) for k, v in stack.outputs().items()}


def stacks(*, project_dir: Path = PROJECT_DIR) -> list[dict[str, Any]]:
    workspace, _ = _workspace(project_dir)
    return [
        {
            "name": s.name,
            "last_update": s.last_update.isoformat() if s.last_update else None,
            "resource_count": s.resource_count,
            "update_in_progress": s.update_in_progress,
        }
        for s in workspace.list_stacks()
    ]
