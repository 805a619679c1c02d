"""Plan any Pulumi Python program directory offline: `Pulumi.yaml`, the stack's config file, and the
program's `__main__.py`, run in-process under the recording mocks (`engine.plan`).

This is what lets an estimate cover a program that is not ours: point it at the directory `pulumi up`
would run in, name the stack, and get the same ResourceGraph an `infra plan` gives, with no Pulumi CLI,
no plugins and no cloud account. The program runs with its directory first on `sys.path` and as the
working directory, as the Python language host runs it; both are restored afterwards, and the modules it
imported from its own directory are forgotten, so two programs with a same-named helper (`utils.py`) do
not see each other's.

Config is read as Pulumi reads it, minus decryption, lowest first: `template.config` defaults in
`Pulumi.yaml` (what `pulumi new` would have offered), the environment variables a provider SDK falls back
to when its config is unset (AWS_REGION, GOOGLE_CLOUD_PROJECT, ...), the project's `config:` defaults,
`Pulumi.<stack>.yaml` (in `stackConfigDir` when the project sets one), then the caller's `config`
(`--config`).
Keys without a namespace get the project's name (`clusters` -> `<project>:clusters`). Secure values
(`{secure: v1:...}`) are never decrypted: the program sees SECURE_PLACEHOLDER instead, which is enough for
a plan (secrets rarely decide what resources exist) and keeps secrets out of the graph.
"""

from __future__ import annotations

import contextlib
import os
import re
import runpy
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from aiinfra import clouds
from aiinfra.engine.failure import OURS
from aiinfra.engine.graph import ResourceGraph
from aiinfra.guard import SPEC_LIMIT, InputError, load_yaml, read_text

SECURE_PLACEHOLDER = "[secret]"
"""What a program sees for a `secure:` config value: the string a `pulumi preview --json` shows too."""

_SCHEMA_KEYS = frozenset({"type", "description", "default", "value", "secret", "items"})


class ProgramError(Exception):
    """A program directory that cannot be planned, or a program that failed. `message` says what, `fix`
    what to do; the CLI prints both, without a traceback, and exits 2 (1 for ProgramFailed)."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(f"{message} {fix}")
        self.message = message
        self.fix = fix


class ProgramFailed(ProgramError):
    """The directory is a Python Pulumi project, but its program failed while it ran (exit 1, not 2)."""


class MissingConfig(ProgramError):
    """The program requires a config value nobody gave (`Config.require`): missing input, exit 2. A secret
    one (`require_secret`) is filled in with SECURE_PLACEHOLDER instead and the program runs again."""

    def __init__(self, message: str, fix: str, *, key: str, secret: bool) -> None:
        super().__init__(message, fix)
        self.key = key
        self.secret = secret


def plan_directory(path: str | Path, *, stack: str, config: Mapping[str, Any] | None = None) -> ResourceGraph:
    """Plan the Pulumi Python program in `path` (the directory holding `Pulumi.yaml`) for `stack`.

    `config` maps full keys (`aws:region`) to values and wins over the stack file. The graph's `config`
    is the merged config the program ran with (secure values as SECURE_PLACEHOLDER). Raises ProgramError
    for a directory that is not a Python Pulumi project and for a program that fails, with the
    program's own message (an invoke the mocks cannot answer names its token). A secret config value the
    program requires and nobody gave is filled in with SECURE_PLACEHOLDER (the plan's warnings name it); a
    plain one raises MissingConfig."""
    project_dir = Path(path).expanduser()
    if project_dir.is_file() and project_dir.name in ("Pulumi.yaml", "Pulumi.yml"):
        project_dir = project_dir.parent
    if not project_dir.is_dir():
        raise ProgramError(
            f"no directory at {project_dir}.",
            "Give the directory of a Pulumi program (it holds Pulumi.yaml).",
        )
    project_dir = project_dir.resolve()
    project = _read_project(project_dir)
    name = project["name"]
    main = _main_file(project_dir, project.get("main"))

    merged = _template_config(project.get("template"), name)  # a guess: what `pulumi new` would offer
    merged.update(_environment_config())  # what the provider SDK reads when the config is silent
    merged.update(_project_config(project.get("config"), name))
    stack_file = _stack_file(project_dir, project, stack)
    merged.update(_stack_config(stack_file, name))
    merged.update({_full_key(str(k), name): v for k, v in (config or {}).items()})

    interpreter = _interpreter(project_dir, project)
    filled: list[str] = []
    while True:
        try:
            graph = _run(interpreter, project_dir, main, stack, name, merged, stack_file)
            break
        except MissingConfig as e:
            if not e.secret or e.key in filled or len(filled) >= MAX_SECRET_PLACEHOLDERS:
                asked = [k for k in _template_asks(project.get("template"), name) if k not in merged]
                others = [k for k in asked if k != e.key]
                if others:
                    raise MissingConfig(
                        e.message,
                        f"{e.fix} Pulumi.yaml's template also asks for {', '.join(others)}, which "
                        + ("has" if len(others) == 1 else "have")
                        + " no default there and no value: give "
                        + ("it" if len(others) == 1 else "them")
                        + " too if the program needs "
                        + ("it." if len(others) == 1 else "them."),
                        key=e.key,
                        secret=e.secret,
                    ) from None
                raise
            merged[e.key] = SECURE_PLACEHOLDER  # then run the program again from the start
            filled.append(e.key)
    graph.config = merged
    esc = _esc_environments(stack_file)
    if esc:
        graph.warnings.append(
            f"the stack's config was read without the Pulumi ESC environment(s) its {stack_file.name} imports "
            f"({', '.join(esc)}): what they provide is unset here (a value read "
            "with a default took the default); give it with --config"
        )
    graph.warnings.extend(
        f"the program requires the secret config value {key}, which is not set: it ran with the placeholder "
        f"{SECURE_PLACEHOLDER!r} (a secret rarely decides what a program creates; if this one does, give it "
        f"with --config {key}=VALUE)"
        for key in filled
    )
    return graph


MAX_SECRET_PLACEHOLDERS = 20
"""How many unset secrets a program may require before the plan stops filling them in (each costs a run)."""


def _run(
    interpreter: Path | None,
    project_dir: Path,
    main: Path,
    stack: str,
    name: str,
    merged: Mapping[str, Any],
    stack_file: Path,
) -> ResourceGraph:
    """One run of the program: in its own environment when it has one, else in this process."""
    if interpreter is not None:
        return _plan_in_own_environment(interpreter, project_dir, main, stack, name, merged, stack_file)
    from aiinfra.engine.plan import plan_program

    def program() -> None:
        try:
            runpy.run_path(str(main), run_name="__main__")
        except (SystemExit, _Exited):
            raise
        except KeyboardInterrupt as e:
            if type(e) is KeyboardInterrupt and guard.interrupted:
                raise  # a real Ctrl-C: the user stops this tool
            raise _Stopped(e) from None
        except Exception:
            raise
        except BaseException as e:  # GeneratorExit, a custom BaseException: not this tool's to die of
            raise _Stopped(e) from None

    from aiinfra.engine.failure import details, recording_unset_config

    unset: list[str] = []
    with _program_environment(main.parent), _stdout_to_stderr(), _stop_guard() as guard:
        try:
            with recording_unset_config(unset):
                return plan_program(program, stack=stack, project=name, config=dict(merged))
        except ProgramError:
            raise
        except _Exited as e:
            raise ProgramFailed(
                f"the program in {project_dir} called os._exit({e.code!r}) before it finished.",
                "A Pulumi program declares resources and returns; remove the exit.",
            ) from None
        except _Stopped as e:
            raise ProgramFailed(
                f"the program in {project_dir} stopped with {_describe(e.cause)}",
                "A Pulumi program declares resources and returns; find where it raises this.",
            ) from None
        except ModuleNotFoundError as e:
            found = [d for d in ("venv", ".venv") if (project_dir / d / "pyvenv.cfg").is_file()]
            hint = (
                f" The program has a virtualenv in {found[0]}/ that its Pulumi.yaml does not name: write "
                f"`runtime: {{name: python, options: {{virtualenv: {found[0]}}}}}` there (as `pulumi new` does) to "
                f"run the program with its own packages, or activate it (`. {found[0]}/bin/activate`) and run "
                "this tool from that shell: Pulumi, too, would then run the program with its python3."
                if found
                else ""
            )
            raise ProgramFailed(
                f"the program in {project_dir} failed: {e}.",
                f"Install the program's dependencies into this environment (e.g. `uv pip install "
                f"{e.name or 'PACKAGE'}`); the offline plan runs the program with this tool's Python, as Pulumi "
                f"runs a program whose Pulumi.yaml names no virtualenv with the `python3` on PATH.{hint}",
            ) from None
        except SystemExit as e:
            raise ProgramFailed(
                f"the program in {project_dir} exited (sys.exit({e.code!r})) before it finished.",
                "A Pulumi program declares resources and returns; remove the exit.",
            ) from None
        except Exception as e:
            failed = _failed(e, project_dir, stack_file, details(e, str(main.parent), unset), None)
            if isinstance(failed, MissingConfig) or not (project_dir / "requirements.txt").is_file():
                raise failed from None
            raise ProgramFailed(failed.message, f"{failed.fix} {_HERE}") from None


_HERE = (
    "It ran with this tool's own Python packages (its Pulumi.yaml names no virtualenv and none is activated): "
    "if its requirements.txt asks for other SDK releases, make its environment from it and name it in "
    "Pulumi.yaml (`runtime: {name: python, options: {virtualenv: venv}}`), or activate it, to run it with those."
)


PROGRAM_TIMEOUT_S = 600
"""How long a program may take to declare its resources in its own process before it is stopped."""


def _interpreter(project_dir: Path, project: Mapping[str, Any]) -> Path | None:
    """The Python of the program's own environment, as `pulumi install` makes it from Pulumi.yaml's
    `runtime.options` (`virtualenv`; `toolchain: pip | uv | poetry`, uv defaulting to `.venv`, poetry to
    its in-project `.venv`); None when the program names none (Pulumi then runs the `python3` on PATH, and
    so does this tool: in its own process, unless that python3 is an activated virtualenv's, see
    `_activated_python`). ProgramError, with the one command that creates it, when the environment it
    names does not exist."""
    runtime = project.get("runtime")
    options = runtime.get("options") if isinstance(runtime, dict) else None
    options = options if isinstance(options, dict) else {}
    toolchain = str(options.get("toolchain") or "pip")
    venv = options.get("virtualenv")
    if not venv and toolchain in ("uv", "poetry"):
        venv = ".venv"
    if not isinstance(venv, str) or not venv:
        return _activated_python()
    where = Path(venv) if Path(venv).is_absolute() else project_dir / venv
    for candidate in (where / "bin" / "python", where / "Scripts" / "python.exe"):
        if candidate.exists():
            return candidate
    create = {
        "uv": "uv sync",
        "poetry": "poetry config virtualenvs.in-project true --local && poetry install",
    }.get(toolchain, f"python3 -m venv {venv} && {venv}/bin/pip install -r requirements.txt")
    raise ProgramError(
        f"the program's environment {where} does not exist (Pulumi.yaml runtime.options "
        f"{'virtualenv' if options.get('virtualenv') else 'toolchain ' + toolchain}); the program runs with "
        "its own packages, so it is needed.",
        f"Create it in {project_dir}: {create}",
    )


def pip_install(python: Path) -> str:
    """The command that installs into the environment of `python`: its own pip, or, in an environment uv made
    without pip (`uv venv`, `uv sync`: no pip module, a `uv =` line in pyvenv.cfg), uv's pip interface aimed
    at that interpreter (`python -m pip` would fail there with "No module named pip")."""
    env = python.parent.parent
    lib = env / "lib"
    has_pip = (env / "Lib" / "site-packages" / "pip").is_dir() or any(lib.glob("python*/site-packages/pip"))
    try:
        made_by_uv = any(
            line.split("=", 1)[0].strip() == "uv" for line in (env / "pyvenv.cfg").read_text().splitlines()
        )
    except OSError:
        made_by_uv = False
    if made_by_uv and not has_pip:
        return f"uv pip install --python {python}"
    return f"{python} -m pip install"


def _activated_python() -> Path | None:
    """The Python Pulumi would run a program whose Pulumi.yaml names no virtualenv with: `PULUMI_PYTHON_CMD`
    or `python3` on PATH. When that is a virtualenv's other than this tool's own (the user activated the
    program's environment, then ran this tool as installed), it is the program's environment; otherwise
    (this tool's own, or a system Python) the program runs in this process, with this tool's packages."""
    import shutil

    found = shutil.which(os.environ.get("PULUMI_PYTHON_CMD") or "python3")
    if found is None:
        return None
    python = Path(found)
    venv = python.parent.parent  # <venv>/bin/python3, not resolved: a venv's python links to its base
    if not (venv / "pyvenv.cfg").is_file() or venv.resolve() == Path(sys.prefix).resolve():
        return None
    return python


def _shim() -> Path:
    """A folder that holds `aiinfra/engine` and `aiinfra/clouds` (links to this tool's own), to put on the
    child's path: what the recording mocks need, and nothing that needs this tool's dependencies."""
    import tempfile

    import aiinfra.clouds
    import aiinfra.engine

    root = Path(tempfile.mkdtemp(prefix="aiinfra-shim-"))
    (root / "aiinfra").mkdir()
    for package in (aiinfra.engine, aiinfra.clouds):
        (root / "aiinfra" / package.__name__.rsplit(".", 1)[-1]).symlink_to(
            Path(next(iter(package.__path__))), target_is_directory=True
        )
    return root


def _plan_in_own_environment(
    python: Path,
    project_dir: Path,
    main: Path,
    stack: str,
    project: str,
    config: Mapping[str, Any],
    stack_file: Path,
) -> ResourceGraph:
    """Plan the program in a child process of its own interpreter (aiinfra.engine.isolated)."""
    import json
    import shutil
    import subprocess
    import tempfile

    from aiinfra.engine.graph import GraphFormatError

    shim = _shim()
    work = Path(tempfile.mkdtemp(prefix="aiinfra-run-"))
    try:
        request, out = work / "request.json", work / "result.json"
        request.write_text(
            json.dumps(
                {
                    "main": str(main),
                    "directory": str(main.parent),
                    "stack": stack,
                    "project": project,
                    "config": dict(config),
                    "out": str(out),
                }
            ),
            encoding="utf-8",
        )
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(shim), os.environ.get("PYTHONPATH", "")])}
        env.pop("PYTHONHOME", None)
        sys.stdout.flush()
        sys.stderr.flush()
        # What the program prints never reaches this tool's stdout: the child writes to our stderr, or,
        # when that is no file (a test's captured stream), into a pipe relayed to it afterwards.
        try:
            sys.stderr.fileno()
            output: Any = sys.stderr
        except (AttributeError, OSError, ValueError):
            output = subprocess.PIPE
        try:
            done = subprocess.run(
                [str(python), "-m", "aiinfra.engine.isolated", str(request)],
                cwd=main.parent,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT if output is subprocess.PIPE else None,
                timeout=PROGRAM_TIMEOUT_S,
                check=False,
            )
            if done.stdout:
                sys.stderr.write(done.stdout.decode("utf-8", errors="replace"))
        except subprocess.TimeoutExpired:
            raise ProgramFailed(
                f"the program in {project_dir} had not finished after {PROGRAM_TIMEOUT_S} s in {python}.",
                "A Pulumi program declares resources and returns; find what it waits for (a network call, "
                "an input) and give it through config instead.",
            ) from None
        except OSError as e:
            raise ProgramError(
                f"cannot run {python}: {e.strerror or e}.", "Recreate the environment."
            ) from None
        if not out.exists():
            raise ProgramFailed(
                f"the program in {project_dir} ended its process (exit code {done.returncode}) before it "
                "finished, with no result.",
                "A Pulumi program declares resources and returns; see its output above.",
            )
        result = json.loads(out.read_text(encoding="utf-8"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(shim, ignore_errors=True)
    if result.get("ok"):
        try:
            return ResourceGraph.from_json(result["plan"], project=project)
        except GraphFormatError as e:  # pragma: no cover - the child writes what from_json reads
            raise ProgramFailed(f"the program's plan could not be read: {e}", "Report this.") from None
    raise _child_failure(result, python, project_dir, stack_file)


def _child_failure(
    result: Mapping[str, Any], python: Path, project_dir: Path, stack_file: Path
) -> ProgramError:
    kind, error, message = result.get("kind"), str(result.get("error")), str(result.get("message"))
    if kind == "python":
        return ProgramError(
            f"the program's environment {python} is Python {message}; the offline plan needs 3.10 or newer.",
            "Recreate the program's virtualenv with Python 3.10+ (e.g. `uv venv --python 3.12`).",
        )
    if kind == "no-pulumi":
        return ProgramError(
            f"the program's environment {python} has no `pulumi` package ({message}).",
            f"Install the program's requirements into it (in {project_dir}: "
            f"`{pip_install(python)} -r requirements.txt`, or `uv sync`).",
        )
    if kind == "broken-pulumi":
        return _broken_pulumi(result, error, message, python)
    if kind == "old-pulumi":
        return ProgramError(
            f"the pulumi SDK in {python} is too old for the offline plan: {error}: {message}.",
            f"Upgrade it in the program's environment (`{pip_install(python)} -U 'pulumi>=3'`).",
        )
    if kind == "exit":
        return ProgramFailed(
            f"the program in {project_dir} exited (sys.exit({message})) before it finished.",
            "A Pulumi program declares resources and returns; remove the exit.",
        )
    return _failed(_Reported(error, message), project_dir, stack_file, result, python)


def _broken_pulumi(result: Mapping[str, Any], error: str, message: str, python: Path) -> ProgramError:
    """The program's `pulumi` is installed but fails on import: a dependency it needs is not installed
    (`six` for SDK 2.x), or one installed is too new for it (protobuf 4 for SDK 2.x). Every run of the
    program in that environment, a preview included, fails the same way."""
    sdk = _installed("pulumi", result.get("pulumi_version"))
    module = result.get("module")
    text = " ".join(message.split())
    if len(text) > 400:
        text = text[:400].rstrip() + " …"
    if error == "ModuleNotFoundError" and isinstance(module, str) and module:
        top = module.partition(".")[0]
        return ProgramError(
            f"the {sdk} in the program's environment {python} cannot be imported: it needs the module "
            f"{module}, which is not installed there.",
            f"Install it (`{pip_install(python)} {_DISTRIBUTIONS.get(top, top)}`), or add it to "
            "requirements.txt and install the requirements again: the program fails the same way wherever "
            "it runs in this environment.",
        )
    package = result.get("package")
    source = (
        f" (raised in {_installed(package, result.get('version'))})"
        if isinstance(package, str) and package and package not in OURS
        else ""
    )
    failed = f"the {sdk} in the program's environment {python} fails on import{source}: {error}: {text}"
    if "Descriptors cannot be created directly" in message:  # protobuf 4+ refusing pulumi 2's generated code
        return ProgramError(
            failed,
            "Install releases that work together on its Python: pulumi 2 needs protobuf<3.21 (`"
            f"{pip_install(python)} 'protobuf<3.21'`); or move the program to pulumi 3 (`"
            f"{pip_install(python)} -U 'pulumi>=3,<4'` with its providers' pulumi-3 majors). It fails the same "
            "way wherever it runs in this environment.",
        )
    return ProgramError(
        failed,
        "The packages installed there do not fit together (one is newer than this pulumi release supports): "
        "pin the version the error asks for in requirements.txt, or move the program to a newer pulumi, and "
        "install the requirements again; the program fails the same way wherever it runs in this "
        "environment.",
    )


class _Reported(Exception):
    """An exception the child process reported, by class name and text, for `_describe` and `_failed`."""

    def __init__(self, name: str, text: str) -> None:
        super().__init__(text)
        self.name = name


class _Stopped(Exception):
    """A BaseException the program raised (not a real Ctrl-C), carried as an Exception so that the SDK's
    machinery passes it up instead of ending this process."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


class _Exited(BaseException):
    """What `os._exit(code)` raises while a program runs (see `_stop_guard`)."""

    def __init__(self, code: object) -> None:
        super().__init__(code)
        self.code = code


class _Guard:
    interrupted = False


@contextlib.contextmanager
def _stop_guard() -> Iterator[_Guard]:
    """While a program runs in this process: `os._exit` raises `_Exited` instead of ending the process
    with no output (it cannot be caught otherwise; a program that runs in its own process later will not
    need this), and a real Ctrl-C is told from a KeyboardInterrupt the program raises itself by a SIGINT
    handler that notes it. Both are restored afterwards."""
    import signal
    import threading

    guard = _Guard()
    real_exit = os._exit

    def exit_instead(code: int) -> None:
        raise _Exited(code)

    def on_sigint(signum: int, frame: Any) -> None:
        guard.interrupted = True
        raise KeyboardInterrupt

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, on_sigint)
    else:
        guard.interrupted = True  # cannot tell here: take a KeyboardInterrupt as the user's
    os._exit = exit_instead  # type: ignore[assignment]
    try:
        yield guard
    finally:
        os._exit = real_exit
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _describe(e: BaseException) -> str:
    """The exception as one line: its text, led by its class unless it is a message for the user already
    (pulumi.RunError, the mocks' UnmockedInvokeError)."""
    text = str(e).strip()
    name = e.name if isinstance(e, _Reported) else type(e).__name__
    if not text:
        return f"{name}."
    if name not in _USER_FACING:
        text = f"{name}: {text}"
    return text if text.endswith(".") else f"{text}."


def _failed(
    e: BaseException,
    project_dir: Path,
    stack_file: Path,
    more: Mapping[str, Any] | None = None,
    python: Path | None = None,
) -> ProgramError:
    """What a program that raised is told: its own error, where it raised (`more`: engine.failure.details,
    from this process or the program's own, whose interpreter is `python`), and what can be done about it
    here. A config value the program requires (pulumi.Config.require) is named with the options of this
    tool that give it, not the `pulumi config set` command the SDK's message names (the CLI may not be
    installed)."""
    missing = _missing_config(e)
    if missing is not None:
        key, secret = missing
        value = (
            "a value (a placeholder will do for a secret: nothing is sent anywhere)" if secret else "a value"
        )
        return MissingConfig(
            f"the program in {project_dir} needs the config value {key}, which is not set.",
            f"Give it {value} with `--config {key}=VALUE`, or under `config:` in {stack_file} "
            f"(`{key}: VALUE`).{_esc_note(stack_file)}",
            key=key,
            secret=secret,
        )
    more = more or {}
    where = more.get("where")
    package, version = more.get("package"), more.get("version")
    place = f" at {where}" if isinstance(where, str) and where else ""
    if isinstance(package, str) and package and package not in OURS:
        place += f" (raised in {_installed(package, version)})"
    return ProgramFailed(
        f"the program in {project_dir} failed{place}: {_describe(e)}",
        _fix_for(e, more, python, stack_file),
    )


def _installed(name: str, version: Any) -> str:
    """A package as the user would look it up: `pulumi-aws 7.51.1`, or its name alone when the version is
    not known."""
    return f"{name} {version}" if isinstance(version, str) and version else name


_MISSING_CONFIG = re.compile(r"Missing required configuration variable '([^']+)'")


def _missing_config(e: BaseException) -> tuple[str, bool] | None:
    """(full key, is secret) of a ConfigMissingError, raised here or reported by the program's process."""
    name = e.name if isinstance(e, _Reported) else type(e).__name__
    if name != "ConfigMissingError":
        return None
    key = getattr(e, "key", None)
    if not isinstance(key, str):
        found = _MISSING_CONFIG.search(str(e))
        if found is None:
            return None
        key = found.group(1)
    secret = getattr(e, "secret", None)
    if not isinstance(secret, bool):
        secret = "--secret" in str(e)
    return key, secret


_ELSEWHERE = (
    "If you have the Pulumi CLI and the cloud's credentials, the JSON of `pulumi preview --json` for this "
    "program can be estimated instead (`infra estimate --from FILE`)."
)


_NOT_IN_SDK = re.compile(
    r"^(?:'(?!NoneType'|RecordingMonitor'|OfflineMocks')[A-Z]\w*' object has no attribute|"
    r"type object '[A-Z]\w*' has no attribute|"
    r"module '[\w.]+' has no attribute|"
    r"cannot import name|.*\bgot an unexpected keyword argument)"
)
"""An error that says the program names something its installed packages do not have: a class's attribute
(of an instance, or of the class itself: `pulumi.Output.strimzi_name`; an SDK class is CamelCase; `'NoneType'` or `'str' object has no attribute` is about a value instead), a
module's, an import, a keyword argument."""


_DISTRIBUTIONS = {
    "pkg_resources": "'setuptools<81'",
    "yaml": "PyYAML",
    "google": "the Google package it names",
}
"""Modules whose distribution has another name (pkg_resources left setuptools in version 81)."""


_SECRET_TYPED = re.compile(
    r"Configuration '([^']+)' value '" + re.escape(SECURE_PLACEHOLDER) + r"' is not a valid '(\w+)'"
)
_A_TYPE = {"int": "an integer", "float": "a number", "bool": "a boolean (true or false)"}


def _fix_for(e: BaseException, more: Mapping[str, Any], python: Path | None, stack_file: Path) -> str:
    name = e.name if isinstance(e, _Reported) else type(e).__name__
    if name == "UnmockedInvokeError":
        return "The provider SDK that defines it must be installed where the program runs."
    if name in ("SyntaxError", "IndentationError", "TabError"):
        return "The program's own code does not parse, so it fails the same way in a preview: fix that line."
    typed = _SECRET_TYPED.search(str(e)) if name == "ConfigTypeError" else None
    if typed is not None:
        key, kind = typed.groups()
        return (
            f"The stack file gives {key} as a `secure:` value, which an offline plan does not decrypt (the "
            f"program sees {SECURE_PLACEHOLDER}), and the program reads it as {_A_TYPE.get(kind, kind)}: give a "
            f"stand-in of that type with `--config {key}=VALUE` (nothing is sent anywhere)."
        )
    module = more.get("module")
    env = f"the program's environment ({python})" if python else "the Python that runs it"
    pip = f"`{pip_install(python)}" if python else "`pip install"
    if name == "ModuleNotFoundError" and isinstance(module, str) and module:
        top = module.partition(".")[0]
        wanted = _DISTRIBUTIONS.get(top, top)
        why = (
            " An SDK it uses imports pkg_resources, which comes with setuptools before release 81: "
            "`python3 -m venv` puts that in a new environment up to Python 3.11, while uv and Python 3.12+ do not."
            if top == "pkg_resources"
            else ""
        )
        return (
            f"No module {module} is installed in {env}, so the program fails the same way in a preview and "
            f"wherever else it runs there.{why} Install the package that provides it ({pip} {wanted}`), or "
            "add it to requirements.txt and install the requirements again."
        )
    if name in ("ImportError", "AttributeError") and isinstance(module, str) and module:
        version = more.get("module_version")
        installed = _installed(module, version)
        return (
            f"The {installed} installed in {env} does not have what the program asks of it: the program was "
            "written for another version, and fails the same way in a preview and wherever it runs with this "
            "one. Change the name it uses, or pin the releases it was written for in requirements.txt and "
            "install the requirements again."
        )
    package = more.get("package")
    if (
        name == "TypeError"
        and isinstance(package, str)
        and package not in OURS
        and (
            "required property" in str(e)
            or "required positional argument" in str(e)
            or "required keyword-only argument" in str(e)
            or "unexpected keyword argument" in str(e)
        )
    ):
        version = more.get("version")
        installed = _installed(package, version)
        return (
            f"The {installed} installed in {env} refuses the call as the program makes it: the program was "
            "written for another version and fails the same way wherever it runs with this one. Give what "
            "the message asks for, or pin the version the program was written for in requirements.txt and "
            "install the requirements again."
        )
    refused = _CLASS_REFUSES.match(str(e)) if name == "TypeError" else None
    if refused is not None:
        return (
            f"The class {refused.group(1)} the program calls takes other arguments than it gives: the program "
            f"was written for another release of the SDK that defines it, and fails the same way in a preview "
            f"with the one installed in {env}. Give what the message asks for, or pin the releases it was written "
            "for in requirements.txt and install the requirements again."
        )
    unset = [k for k in more.get("unset_config") or () if isinstance(k, str)]
    if unset and name in ("TypeError", "AttributeError") and "None" in str(e):
        keys = ", ".join(unset)
        first = unset[0]
        return (
            f"The program read config that has no value (Config.get returned None): {keys}; the None it "
            f"failed on is likely {'that' if len(unset) == 1 else 'one of them'}. Give "
            f"{'it' if len(unset) == 1 else 'them'} with `--config {first}=VALUE`"
            f"{' (once per key)' if len(unset) > 1 else ''}, or under `config:` in {stack_file} "
            f"(`{first}: VALUE`)."
        )
    result = _RESULT_USED_AS_LIST.match(str(e)) if name == "TypeError" else None
    if result is not None:
        return (
            f"A data source's result ({result.group(1)}) is one object whose fields hold the values, not a "
            "list or a mapping: the program fails the same way in a preview, whatever the cloud holds. Read "
            "the field it needs (a look-up of subnet ids, for one, has them in `.ids`) and iterate that."
        )
    if name in ("AttributeError", "ImportError", "TypeError") and _NOT_IN_SDK.match(str(e)):
        return (
            "The program uses a name that what it imports does not have: a typo, one of its own modules "
            "lacking it, or SDK releases other than those it was written for (an argument or attribute "
            "renamed since; the package's changelog gives the new name). It fails the same way in a preview: "
            "fix that line, or pin the releases it was written for and reinstall its environment."
        )
    return (
        "The offline plan runs the program as a preview does: outputs known only after create are unknown "
        "(an .apply on them does not run), while ids, ARNs, names and data-source results are offline "
        "placeholders. If the program needs a real value there, or config it reads, give the config with "
        f"--config KEY=VALUE or in its stack file. {_ELSEWHERE}"
    )


_CLASS_REFUSES = re.compile(
    r"([A-Z]\w*)\.__init__\(\) missing \d+ required (?:keyword-only |positional )?arguments?"
)
"""A TypeError Python raises at the call of an SDK class (an `…Args` class of another release) before any of
the SDK's code runs, so no installed package is named in the traceback."""

_RESULT_USED_AS_LIST = re.compile(r"'((?:Awaitable)?Get\w*Result)' object is not (?:iterable|subscriptable)")
"""A TypeError of a program that iterates or indexes an SDK data-source result (`for s in get_subnet_ids()`):
the SDK returns the same result class in a preview and a deployment, so it is the program's own error."""


_USER_FACING = frozenset({"RunError", "UnmockedInvokeError", "InputPropertyError", "InputPropertiesError"})


def _read_project(project_dir: Path) -> dict[str, Any]:
    file = next((project_dir / n for n in ("Pulumi.yaml", "Pulumi.yml") if (project_dir / n).exists()), None)
    if file is None:
        raise ProgramError(
            f"no Pulumi.yaml in {project_dir}.",
            "Give the directory of a Pulumi program: the one with Pulumi.yaml (name, runtime: python).",
        )
    doc = _load_yaml(file)
    if not isinstance(doc, dict):
        raise ProgramError(
            f"{file} is not a YAML mapping.", "Pulumi.yaml needs at least `name` and `runtime`."
        )
    name = doc.get("name")
    if not isinstance(name, str) or not name:
        raise ProgramError(f"{file} has no project `name`.", "Add `name: <project>` to Pulumi.yaml.")
    runtime = doc.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if runtime_name != "python":
        raise ProgramError(
            f"{file} has runtime {runtime_name!r}; the offline plan runs Python programs only.",
            f"Plan a program with `runtime: python`. {_ELSEWHERE}",
        )
    return doc


def _main_file(project_dir: Path, main: Any) -> Path:
    """The file to run: `<main>/__main__.py`, `<main>` itself when it names a .py file, or the project
    directory's `__main__.py` when Pulumi.yaml sets no `main`."""
    base = project_dir / main if isinstance(main, str) and main else project_dir
    file = base if base.is_file() else base / "__main__.py"
    if not file.is_file():
        where = f"`main: {main}`" if isinstance(main, str) and main else "the project directory"
        raise ProgramError(
            f"no __main__.py in {where} of {project_dir}.",
            "A Python Pulumi program starts at __main__.py; set `main:` in Pulumi.yaml if it lives elsewhere.",
        )
    return file.resolve()


def _stack_file(project_dir: Path, project: Mapping[str, Any], stack: str) -> Path:
    config_dir = project.get("stackConfigDir")
    base = project_dir / config_dir if isinstance(config_dir, str) and config_dir else project_dir
    return base / f"Pulumi.{stack}.yaml"


def _esc_environments(file: Path) -> list[str]:
    """The Pulumi ESC environments a stack file imports (`environment:` a name, a list of names, or
    `{imports: [...]}`): config Pulumi would read from the cloud service, which an offline plan cannot."""
    if not file.exists():
        return []
    doc = _load_yaml(file)
    raw = doc.get("environment") if isinstance(doc, dict) else None
    if isinstance(raw, dict):
        raw = raw.get("imports")
    if isinstance(raw, str):
        raw = [raw]
    return [str(name) for name in raw if isinstance(name, str)] if isinstance(raw, list) else []


def _esc_note(file: Path) -> str:
    names = _esc_environments(file)
    if not names:
        return ""
    return (
        f" {file.name} imports the Pulumi ESC environment {', '.join(names)}, whose values are kept by the "
        "Pulumi Cloud service and cannot be read offline: give the ones the program needs with --config."
    )


def _stack_config(file: Path, project: str) -> dict[str, Any]:
    """The `config:` of a stack file, by full key; {} when the stack has no file (a new stack)."""
    if not file.exists():
        return {}
    doc = _load_yaml(file) or {}
    raw = doc.get("config") if isinstance(doc, dict) else None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ProgramError(
            f"`config` in {file} is not a mapping.", "Write it as `config:` then `key: value` lines."
        )
    return {_full_key(str(k), project): _config_value(v) for k, v in raw.items()}


def _project_config(raw: Any, project: str) -> dict[str, Any]:
    """Defaults from Pulumi.yaml's `config:`: a plain value, or a declaration's `value` / `default`."""
    if not isinstance(raw, dict):
        return {}
    out: dict[str, Any] = {}
    for key, decl in raw.items():
        if isinstance(decl, dict) and decl and decl.keys() <= _SCHEMA_KEYS:
            if "value" not in decl and "default" not in decl:
                continue  # a declared key with no default: the stack file must give it
            decl = decl["value"] if "value" in decl else decl["default"]
        out[_full_key(str(key), project)] = _config_value(decl)
    return out


def _template_config(raw: Any, project: str) -> dict[str, Any]:
    """Defaults from Pulumi.yaml's `template.config` (what `pulumi new` writes into a new stack file):
    each key's `default`, for a program whose stack file was never made."""
    if not isinstance(raw, dict) or not isinstance(raw.get("config"), dict):
        return {}
    return {
        _full_key(str(key), project): _config_value(decl["default"])
        for key, decl in raw["config"].items()
        if isinstance(decl, dict) and "default" in decl
    }


def _template_asks(raw: Any, project: str) -> list[str]:
    """The full keys `template.config` in Pulumi.yaml declares without a default: what `pulumi new`
    prompts for, in order."""
    if not isinstance(raw, dict) or not isinstance(raw.get("config"), dict):
        return []
    return [
        _full_key(str(key), project)
        for key, decl in raw["config"].items()
        if not (isinstance(decl, dict) and "default" in decl)
    ]


def _environment_config() -> dict[str, Any]:
    """Config the provider SDKs read from the environment when the stack has none (AWS_REGION for
    `aws:region`, GOOGLE_CLOUD_PROJECT for `gcp:project`, ...: each cloud profile's `config_env`)."""
    found: dict[str, Any] = {}
    for profile in clouds.profiles().values():
        for key, variables in profile.config_env.items():
            value = next((os.environ[v] for v in variables if os.environ.get(v)), None)
            if value is not None:
                found[key] = value
    return found


def _full_key(key: str, project: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def _config_value(value: Any) -> Any:
    """A stack file value as the program sees it: `{value: x}` is x, `{secure: ...}` (at any depth) is
    SECURE_PLACEHOLDER."""
    if isinstance(value, dict):
        if value.keys() == {"secure"}:
            return SECURE_PLACEHOLDER
        if value.keys() == {"value"}:
            return _config_value(value["value"])
        return {k: _config_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_config_value(v) for v in value]
    return value


def _load_yaml(file: Path) -> Any:
    """Pulumi.yaml or a stack file, through the input guard (a regular file of at most SPEC_LIMIT, bounded
    YAML, duplicate keys refused)."""
    try:
        return load_yaml(
            read_text(file, what="a Pulumi project or stack file", limit_bytes=SPEC_LIMIT), source=str(file)
        )
    except InputError as e:
        raise ProgramError(e.message, e.fix) from None


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """What the program prints goes to stderr for the run, never into this tool's stdout (where
    `--format json` writes): `print()` and logging through sys.stdout, and a write to file descriptor 1
    itself (os.write(1, …), a C extension), by pointing fd 1 at fd 2 until the run ends."""
    sys.stdout.flush()
    saved = None
    try:
        saved = os.dup(1)
        os.dup2(2, 1)
    except OSError:  # no fd 1 or 2 (a detached process): only the Python level is redirected
        saved = None
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        if saved is not None:
            sys.stderr.flush()
            os.dup2(saved, 1)
            os.close(saved)


@contextlib.contextmanager
def _program_environment(directory: Path) -> Iterator[None]:
    """The program's directory first on sys.path and as cwd for the run; afterwards both are as they were
    and the modules imported from that directory are forgotten. Only modules new since the run started
    are forgotten: one loaded before stays, whoever imported it."""
    saved_path, saved_cwd, saved_modules = list(sys.path), os.getcwd(), set(sys.modules)
    sys.path.insert(0, str(directory))
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        sys.path[:] = saved_path
        for name in [n for n in sys.modules if n not in saved_modules]:
            if _is_local(name, sys.modules[name], directory):
                del sys.modules[name]


def _is_local(name: str, module: Any, directory: Path) -> bool:
    """True for a module found through the program's directory: its top-level module is a file or folder
    right in that directory, and the module's file is under it. An installed package is neither."""
    top = name.partition(".")[0]
    if not ((directory / f"{top}.py").is_file() or (directory / top).is_dir()):
        return False
    file = getattr(module, "__file__", None)
    return file is None or Path(file).resolve().is_relative_to(directory)
