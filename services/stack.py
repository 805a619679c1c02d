"""The plan-and-estimate services `infra plan`, `estimate`, `check` and `up` call: plan a stack (or any
Pulumi Python program, or a graph file) offline and estimate it with its usage. They raise typed errors
(`aiinfra.engine.errors`); the CLI turns them into messages and exit codes. Heavy imports stay inside the
functions so `infra --help` loads none of them."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiinfra.engine.errors import BadInput, ProgramFailed

if TYPE_CHECKING:
    from collections.abc import Mapping

    from aiinfra.engine.graph import ResourceGraph
    from aiinfra.estimate.model import Estimate
    from aiinfra.estimate.usage import UserPrice
    from aiinfra.spec.models import StackSpec

    Prices = Mapping[str, UserPrice] | None
    """`--price` flags: machine type → the user's price."""


def plan_stack(stack: str) -> ResourceGraph:
    """Validate the stack file (BadInput), then plan it offline (ProgramFailed if the program fails)."""
    return plan_stack_spec(stack)[0]


def plan_stack_spec(stack: str) -> tuple[ResourceGraph, StackSpec, Path]:
    """`plan_stack`, also returning the validated spec and the stack file's path, read and parsed once."""
    from aiinfra.spec import SpecError
    from aiinfra.spec.loader import read_stack_config, spec_from_config, stack_file, stack_name

    path = stack_file(stack)
    try:
        config = read_stack_config(path)
        spec = spec_from_config(config, source=str(path))
    except SpecError as e:
        raise BadInput(e.render()) from None

    from aiinfra.components.stack import run_program
    from aiinfra.engine.plan import plan_program
    from aiinfra.spec.sanity import sanity_issues

    try:
        graph = plan_program(run_program, stack=stack_name(path), config=config)
    except Exception as e:  # the program failed: report it as such, not as a crash of this tool
        raise ProgramFailed(f"the program failed under the offline plan: {_root_cause(e)}") from e
    # The spec's own warnings (quota-sized numbers) lead the plan's, for plan, estimate, check and up.
    graph.warnings[:0] = sanity_issues(spec)[1]
    return graph, spec, path


def _root_cause(error: BaseException) -> str:
    while error.__cause__ is not None:
        error = error.__cause__
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def estimate_stack(
    stack: str, profile: str | None = None, usage: Path | None = None, prices: Prices = None
) -> tuple[ResourceGraph, Estimate]:
    """Plan a stack offline and estimate it with its own usage profile and usage file
    (`stacks/usage.<stack>.yaml`) unless others are given. `infra estimate`, `check` and `up` estimate
    through here, so all three show the same numbers."""
    from aiinfra.estimate.usage import usage_file_for
    from aiinfra.spec.sanity import sanity_issues

    graph, spec, path = plan_stack_spec(stack)
    result = estimate_graph(graph, profile, spec.usage, usage, usage_file_for(path), prices)
    result.warnings[:0] = sanity_issues(spec)[1]  # the spec's own warnings, as the plan shows them
    return graph, result


def estimate_source(
    stack: str | None,
    program: Path | None,
    from_file: Path | None,
    profile: str | None,
    usage: Path | None,
    prices: Prices = None,
    config: Mapping[str, str] | None = None,
) -> Estimate:
    """`infra estimate`'s one source: a program directory (planned for `stack`, default dev, with
    `config` over its stack file), a graph file, or a stack."""
    if program is not None:
        graph = program_graph(program, stack or "dev", config)
        result = estimate_graph(graph, profile, None, usage, program / "usage.yaml", prices)
        result.warnings[:0] = (
            graph.warnings
        )  # what the plan filled in (secrets, data sources), as `plan` shows
        return result
    if config:
        raise BadInput(
            "--config sets a program's config and needs --program DIR.",
            "For a stack of this repository, edit its Pulumi.<stack>.yaml; for --from, the document "
            "already holds the config it was made with.",
        )
    if from_file is not None:
        if stack is not None:
            raise BadInput(
                "-s STACK and --from FILE are exclusive: the file already is the stack.",
                "Give one of them (with --program, -s names the program's stack config).",
            )
        return estimate_file(from_file, profile, usage, prices)[0]
    if stack is None:
        raise BadInput("give -s STACK.")
    return estimate_stack(stack, profile, usage, prices)[1]


def estimate_file(
    path: Path, profile: str | None, usage: Path | None, prices: Prices = None
) -> tuple[Estimate, dict[str, Any] | None]:
    """Estimate a graph file (`-`: standard input). For a `pulumi preview --json` document, also what the
    update changes: the diff (estimate/diff.py) of the stack before it (each step's `oldState`) and after
    it, each change named by what the update does to its resource (created, updated, replaced, deleted);
    None for other documents. A preview without `--show-sames` lacks the unchanged resources on both
    sides: the totals are of the changed resources only, and the estimate's first warning says so."""

    if str(path) != "-" and not path.exists():
        raise BadInput(f"{path} does not exist.")
    with _without_gc():
        return _estimate_document(path, profile, usage, prices)


@contextmanager
def _without_gc() -> Iterator[None]:
    """The cycle collector paused: a 10,000-resource export parses into millions of objects, and each of
    the collections their allocation triggers walks all of them again (half the time of `--from` on such a
    file). Parsed JSON and the graph hold no reference cycles: reference counting frees them all the same."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _estimate_document(
    path: Path, profile: str | None, usage: Path | None, prices: Prices = None
) -> tuple[Estimate, dict[str, Any] | None]:
    from aiinfra.engine.inputs import (
        GraphFormatError,
        graph_of,
        load_document,
        preview_lacks_sames,
        preview_operations,
    )
    from aiinfra.estimate.diff import diff, label_operations

    try:
        kind, doc, shown = load_document(path)
        after = graph_of(kind, doc, shown)
        before = graph_of(kind, doc, shown, before=True) if kind == "preview" else None
    except GraphFormatError as e:
        raise BadInput(str(e)) from None
    result = estimate_graph(after, profile, None, usage, None, prices)
    lacks_sames = kind == "preview" and preview_lacks_sames(doc)
    # What the reader said of the document (a step left out, a type read as another): the estimate shows it,
    # as `plan` and `check` do; the reader's own note on missing unchanged resources is said below instead.
    result.warnings[:0] = [w for w in after.warnings if not (lacks_sames and "--show-sames" in w)]
    if before is None:
        return result, None
    if lacks_sames:
        result.warnings.insert(
            0,
            "the preview was taken without --show-sames: the totals are of the changed resources only, "
            "not the whole stack; run `pulumi preview --json --show-sames` for the whole stack",
        )
    old = estimate_graph(before, profile, None, usage, None, prices).to_json()
    old["stack"] = f"{old.get('stack') or 'the stack'} before this update"
    return result, label_operations(diff(old, result.to_json()), preview_operations(doc))


def program_config(pairs: Sequence[str] | None) -> dict[str, str]:
    """`--config KEY=VALUE` options as config (a string value each, as `pulumi config set` stores it);
    BadInput for one without `=` or a key."""
    config: dict[str, str] = {}
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise BadInput(
                f"--config {pair!r} is not KEY=VALUE.",
                "Write it as --config aws:region=us-west-2 (a key without a namespace is the program's).",
            )
        config[key.strip()] = value
    return config


def program_graph(directory: Path, stack: str, config: Mapping[str, str] | None = None) -> ResourceGraph:
    """Plan any Pulumi Python program offline: ProgramFailed when it ran and failed, BadInput when the
    directory is not a Python Pulumi project. `config` wins over the program's stack file."""
    from aiinfra.engine import program as programs

    try:
        return programs.plan_directory(directory, stack=stack, config=config)
    except programs.ProgramFailed as e:
        raise ProgramFailed(str(e)) from e
    except programs.ProgramError as e:
        raise BadInput(str(e)) from None


def graph_file(path: Path) -> ResourceGraph:
    """A `pulumi preview --json`, `pulumi stack export` or `infra plan --format json` file as a graph."""
    from aiinfra.engine.inputs import GraphFormatError, load_graph

    if str(path) != "-" and not path.exists():
        raise BadInput(f"{path} does not exist.")
    try:
        return load_graph(path)
    except GraphFormatError as e:
        raise BadInput(str(e)) from None


def estimate_graph(
    graph: ResourceGraph,
    profile_name: str | None,
    spec_usage: Any,
    usage: Path | None,
    default_usage: Path | None,
    prices: Prices = None,
) -> Estimate:
    """Estimate a graph with a named profile, else the spec's `aiinfra:usage`, else training-steady, and
    the usage file `usage` (must exist) or `default_usage` (when it exists); `prices` (`--price`) win over
    the usage file's `prices:` where the catalog has no price."""
    from aiinfra.catalog import default_catalog
    from aiinfra.estimate import estimate as run_estimate
    from aiinfra.estimate.usage import (
        NOT_USED,
        PROFILE_NAMES,
        UsageFile,
        UsageFileError,
        check_names,
        profile_for,
        read_usage_file,
    )

    if profile_name is not None and profile_name not in PROFILE_NAMES:
        from aiinfra.catalog.query import did_you_mean

        raise BadInput(
            f"unknown usage profile '{profile_name}'. {did_you_mean(profile_name, list(PROFILE_NAMES))}",
            "For hours and utilisation of your own, set aiinfra:usage {profile: custom, hoursPerMonth, "
            "utilization} in the stack, or per resource in the usage file.",
        )
    if profile_name is not None:
        chosen = profile_for(profile_name)
    elif spec_usage is not None:
        chosen = profile_for(spec_usage.profile, spec_usage.hours_per_month, spec_usage.utilization)
    else:
        chosen = profile_for("training-steady")

    usage_path = usage if usage is not None else default_usage
    usage_doc = UsageFile()
    if usage is not None and not usage.exists():
        raise BadInput(f"usage file {usage} does not exist.")
    if usage_path is not None and usage_path.exists():
        try:
            usage_doc = read_usage_file(usage_path)
            check_names(usage_doc, {r.name for r in graph.resources}, usage_path)
        except UsageFileError as e:
            raise BadInput(str(e)) from None
    if prices:
        usage_doc = usage_doc.with_flag_prices(prices)
    shown = _display(usage_path) if usage_path is not None else "a usage file (--usage)"
    result = run_estimate(graph, default_catalog(), profile=chosen, usage=usage_doc, usage_path=shown)
    result.warnings.extend(
        f"{ln.resource}: {note}"
        for ln in result.lines
        for note in ln.assumptions
        if note.startswith(NOT_USED)
    )
    if result.invalid_inputs:  # a count or size no cloud would take: bad input, not a partial estimate
        shown_inputs = result.invalid_inputs[:10]
        more = len(result.invalid_inputs) - len(shown_inputs)
        raise BadInput(
            f"{len(result.invalid_inputs)} resource input(s) hold a count or size no cloud would take: "
            + "; ".join(shown_inputs)
            + (f"; and {more} more" if more else "")
            + ".",
            "Correct those inputs in the program or document (each names its fix); an estimate is not made "
            "from numbers that cannot be deployed.",
        )
    return result


def _display(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when it is under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def compare_to(ref: str, profile: str | None) -> dict[str, Any]:
    """--compare-to: a saved estimate JSON (as is), a graph file (estimated), or a stack (planned and
    estimated), as an estimate document."""
    from aiinfra.guard import DOCUMENT_LIMIT, InputError, load_json, read_text

    path = Path(ref)
    if path.is_file() and path.suffix == ".json":
        try:
            text = read_text(path, what="an estimate or graph file", limit_bytes=DOCUMENT_LIMIT)
            doc = load_json(
                text,
                source=f"--compare-to {ref}",
                fix="Give a saved `infra estimate --format json`, a graph file or a stack name.",
            )
        except InputError as e:
            raise BadInput(e.message, e.fix) from None
        if isinstance(doc, dict) and "totals" in doc and "lines" in doc:
            return doc
        return estimate_graph(graph_file(path), profile, None, None, None).to_json()
    return estimate_stack(ref, profile)[1].to_json()
