"""Run one Pulumi Python program under the recording mocks in the program's own interpreter: the entry
point of the child process `aiinfra.engine.program` starts when the program has its own virtualenv (as
`pulumi install` makes it). The child sees the program's packages (pulumi_eks, pulumi_random, an older
pulumi-aws, ...) and only two folders of this tool, `aiinfra.engine` and `aiinfra.clouds`, put on its path
by the parent; they need nothing but the `pulumi` SDK the program has.

Protocol: `python -m aiinfra.engine.isolated REQUEST` where REQUEST is a JSON file `{main, directory,
stack, project, config, out}`; the child writes `{"ok": true, "plan": <infra plan JSON>}` or `{"ok":
false, "kind": ..., "error": ..., "message": ..., "where": ..., ...}` (the rest: engine.failure.details)
to `out`. What the program prints goes to the child's stdout, which the parent points at its own stderr.
This file keeps to syntax every Python 3 reads, so that an interpreter too old for the rest of the tool
still reports its version instead of a SyntaxError."""

import json
import os
import runpy
import sys

MINIMUM = (3, 10)


def _write(out, doc):
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f)


def _fail(out, kind, error, message, more=None):
    _write(out, dict(more or {}, ok=False, kind=kind, error=error, message=message))


def _broken_pulumi(out, e):
    """The program's `pulumi` is installed but raises on import (a dependency missing, as `six` for SDK
    2.x, or too new, as protobuf 4 for SDK 2.x): reported with its version and the installed package the
    error came from, so the message can name what to install or pin."""
    from importlib.metadata import version as installed

    from aiinfra.engine.failure import details

    more = details(e, os.getcwd(), [])
    try:  # a namespace import name (google) as the one distribution that installs it (protobuf)
        from importlib.metadata import packages_distributions

        names = packages_distributions().get(more.get("package") or "") or []
        if len(names) == 1:
            more["package"] = names[0]
    except Exception:  # no metadata: the import name stands
        pass
    try:
        more["pulumi_version"] = installed("pulumi")
    except Exception:  # no metadata: the version is only a hint
        more["pulumi_version"] = None
    return _fail(out, "broken-pulumi", type(e).__name__, str(e).strip(), more)


def main(argv):
    with open(argv[1], encoding="utf-8") as f:
        request = json.load(f)
    out = request["out"]
    if sys.version_info[:2] < MINIMUM:
        return _fail(out, "python", "", ".".join(str(n) for n in sys.version_info[:3]))
    try:
        import pulumi  # noqa: F401 - the program's own SDK, found or not
    except ImportError as e:
        if (getattr(e, "name", None) or "pulumi").partition(".")[0] == "pulumi":
            return _fail(out, "no-pulumi", type(e).__name__, str(e))
        return _broken_pulumi(out, e)
    except Exception as e:  # installed, but it fails on import: packages that do not fit together
        return _broken_pulumi(out, e)
    try:
        from aiinfra.engine import mocks  # noqa: F401 - the SDK names the recording mocks build on
        from aiinfra.engine.plan import plan_program
    except Exception as e:  # an SDK too old for the recording mocks (2.x has no MockCallArgs)
        from importlib.metadata import version as installed

        return _fail(out, "old-pulumi", type(e).__name__, "{} (pulumi {})".format(e, installed("pulumi")))

    directory = request["directory"]
    sys.path.insert(0, directory)
    os.chdir(directory)

    def program():
        runpy.run_path(request["main"], run_name="__main__")

    from aiinfra.engine.failure import details, recording_unset_config

    unset = []  # type: list[str]
    try:
        with recording_unset_config(unset):
            graph = plan_program(
                program, stack=request["stack"], project=request["project"], config=request["config"]
            )
    except SystemExit as e:
        return _fail(out, "exit", "SystemExit", repr(e.code))
    except KeyboardInterrupt:
        raise
    except BaseException as e:  # everything the program raises is reported, not re-raised
        return _fail(out, "failed", type(e).__name__, str(e).strip(), details(e, directory, unset))
    doc = graph.to_json()
    doc["project"] = request["project"]
    _write(out, {"ok": True, "plan": doc})
    return None


if __name__ == "__main__":
    main(sys.argv)
    # The result is written: end here, without the interpreter's teardown, where the event loops the SDK
    # made on its worker threads are collected after their sockets and print "Exception ignored in
    # BaseEventLoop.__del__ ... Invalid file descriptor: -1" into the user's terminal.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
