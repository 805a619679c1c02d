"""Mutation testing for aiinfra: which small changes to a module does no test notice?

    uv run python bench/mutation.py [--module estimate/compute.py ...] [--seed 1] [--sample 60]

For each module: list every mutation point (see `mutations`), sample `--sample` of them with a fixed seed,
and run, per mutant, only the tests that execute the mutated line (from one coverage run with per-test
contexts), with `-x` and a timeout. Mutants run in a temporary copy of the repository that the `aiinfra`
namespace is pointed at (a shim directory on PYTHONPATH, ahead of the editable install), so the worktree is
never modified. Writes bench/mutation-report.json and bench/mutation-report.md. Known equivalent mutants
are listed in bench/mutation-equivalent.yaml and left out of the score. See bench/MUTATION.md.
"""

from __future__ import annotations

import argparse
import ast
import copy
import fnmatch
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml
from coverage.numbits import numbits_to_nums

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODULES = ["policy/rules.py", "estimate/storage.py", "estimate/compute.py", "catalog/query.py"]
EQUIVALENT_FILE = ROOT / "bench" / "mutation-equivalent.yaml"

COMPARE_SWAP = {
    ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE, ast.LtE: ast.Gt,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In,
    ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}  # fmt: skip
BINOP_SWAP = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult,
}


@dataclass
class Mutant:
    module: str
    line: int
    mutation: str  # a stable description, e.g. "Compare: < → >="
    original: str = ""
    mutated: str = ""
    status: str = ""  # killed | survived | timeout | uncovered | equivalent
    baseline_status: str = ""  # the status without the --baseline-without tests ("" without that option)
    tests: int = 0
    seconds: float = 0.0
    equivalent_reason: str = ""


def _op(op: ast.AST) -> str:
    return (
        ast.unparse(ast.Compare(ast.Name("a"), [op], [ast.Name("b")]))[2:-2]
        if isinstance(op, ast.cmpop)
        else {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//"}[type(op)]
    )


def _skipped_nodes(tree: ast.Module) -> set[int]:
    """Docstrings, annotations, `Literal[...]` types and f-string pieces: changing them changes no behaviour
    worth a test."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            skip.add(id(body[0]))
            skip.add(id(body[0].value))
        annotations = []
        if isinstance(node, ast.AnnAssign):
            annotations.append(node.annotation)
        if isinstance(node, ast.arg) and node.annotation:
            annotations.append(node.annotation)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns:
            annotations.append(node.returns)
        if isinstance(node, ast.JoinedStr):
            annotations.append(node)
        if isinstance(node, ast.Subscript) and (
            (isinstance(node.value, ast.Name) and node.value.id == "Literal")
            or (isinstance(node.value, ast.Attribute) and node.value.attr == "Literal")
        ):
            annotations.append(node)  # `Metric = Literal["cost", "co2e"]`: a type, read by mypy only
        for annotation in annotations:
            skip.update(id(n) for n in ast.walk(annotation))
    return skip


def mutations(tree: ast.Module) -> list[tuple[ast.AST, int, str]]:
    """Every mutation point as (node, variant index, description)."""
    skip = _skipped_nodes(tree)
    points: list[tuple[ast.AST, int, str]] = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in COMPARE_SWAP:
                    points.append((node, i, f"Compare: {_op(op)} → {_op(COMPARE_SWAP[type(op)]())}"))
        elif isinstance(node, ast.BinOp) and type(node.op) in BINOP_SWAP:
            if not (isinstance(node.op, ast.Add) and isinstance(node.left, ast.Constant | ast.JoinedStr)):
                points.append((node, 0, f"BinOp: {_op(node.op)} → {_op(BINOP_SWAP[type(node.op)]())}"))
        elif isinstance(node, ast.BoolOp):
            points.append(
                (node, 0, "BoolOp: and → or" if isinstance(node.op, ast.And) else "BoolOp: or → and")
            )
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            points.append((node, 0, "UnaryOp: not dropped"))
        elif isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool):
                points.append((node, 0, f"Constant: {value} → {not value}"))
            elif isinstance(value, int | float):
                points.append((node, 0, f"Constant: {value!r} → {value + 1!r}"))
            elif isinstance(value, str) and value:
                points.append((node, 0, "Constant: string emptied"))
        elif isinstance(node, ast.Continue):
            points.append((node, 0, "continue → break"))
        elif isinstance(node, ast.Break):
            points.append((node, 0, "break → continue"))
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            points.append((node, 0, "call statement dropped"))
        elif isinstance(node, ast.Return) and not (
            node.value is None or (isinstance(node.value, ast.Constant) and node.value.value is None)
        ):
            points.append((node, 0, "return x → return None"))
    points.sort(key=lambda p: (p[0].lineno, p[0].col_offset, p[2], p[1]))
    return points


class _Apply(ast.NodeTransformer):
    def __init__(self, target: ast.AST, variant: int) -> None:
        self.target, self.variant, self.mutated = target, variant, ""

    def visit(self, node: ast.AST) -> ast.AST:
        if node is not self.target:
            return self.generic_visit(node)
        new = copy.copy(node)
        if isinstance(node, ast.Compare):
            new.ops = list(node.ops)
            new.ops[self.variant] = COMPARE_SWAP[type(node.ops[self.variant])]()
        elif isinstance(node, ast.BinOp):
            new.op = BINOP_SWAP[type(node.op)]()
        elif isinstance(node, ast.BoolOp):
            new.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        elif isinstance(node, ast.UnaryOp):
            new = node.operand
        elif isinstance(node, ast.Constant):
            value = node.value
            new.value = (
                (not value) if isinstance(value, bool) else "" if isinstance(value, str) else value + 1
            )
        elif isinstance(node, ast.Continue):
            new = ast.Break()
        elif isinstance(node, ast.Break):
            new = ast.Continue()
        elif isinstance(node, ast.Expr):
            new = ast.Pass()
        elif isinstance(node, ast.Return):
            new = ast.Return(value=ast.Constant(None))
        self.mutated = ast.unparse(new)
        return ast.copy_location(new, node)


def mutate(source: str, index: int) -> tuple[str, str]:
    """The module's source with mutation point `index` applied, and the mutated code alone."""
    tree = ast.parse(source)
    node, variant, _ = mutations(tree)[index]
    applier = _Apply(node, variant)
    new_tree = ast.fix_missing_locations(applier.visit(tree))
    return ast.unparse(new_tree), applier.mutated


def package_dirs() -> dict[str, str]:
    """`aiinfra.x` → folder, from pyproject's setuptools package-dir (the layout's single source)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["setuptools"]["package-dir"]


def make_copy(workdir: Path, rev: str | None) -> tuple[Path, dict[str, str]]:
    """A copy of the repository (the working tree, or commit `rev`), and an environment whose `aiinfra.*`
    imports resolve inside it."""
    repo = workdir / "repo"
    repo.mkdir()
    if rev:
        archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(repo)], input=archive, check=True)
    else:
        files = subprocess.run(
            ["git", "ls-files", "-z", "-co", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\0")
        for name in filter(None, files):
            source = ROOT / name
            if source.is_symlink():  # e.g. the .typecheck link tree: a link stays a (relative) link
                (repo / name).parent.mkdir(parents=True, exist_ok=True)
                (repo / name).symlink_to(os.readlink(source))
            elif source.is_file():
                (repo / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, repo / name)
    # tools the tests run (actionlint) find the project by its git repository: an empty one will do
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    for script in ("mutation_contexts.py",):  # the coverage plugin, also when `rev` predates it
        (repo / "bench").mkdir(exist_ok=True)
        shutil.copy2(ROOT / "bench" / script, repo / "bench" / script)
    (repo / ".venv").symlink_to(
        ROOT / ".venv", target_is_directory=True
    )  # tests check the policy pack's venv
    shim = workdir / "shim" / "aiinfra"
    for name, folder in package_dirs().items():
        parts = name.split(".")[1:]
        if len(parts) == 1:  # subpackages live inside their parent's folder
            shim.mkdir(parents=True, exist_ok=True)
            (shim / parts[0]).symlink_to(repo / folder, target_is_directory=True)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(workdir / "shim"), str(repo)])
    env["PYTHONDONTWRITEBYTECODE"] = (
        "1"  # a same-size mutant written in the same second must not reuse a .pyc
    )
    return repo, env


COVERED_FOLDERS = ("catalog", "engine", "estimate", "policy", "spec")
"""Top-level folders the coverage run records (plus the folders of the modules asked for): the logic issue 19
names, so the cache serves a later run on another of its modules. components/ and cli/ are left out: they
run in most tests, and tracing them would slow the coverage run for modules nobody mutates."""
CACHE_DIR = ROOT / "bench" / ".mutation-cache"
# This tool and what it writes or reads: no test's coverage depends on them.
NOT_HASHED = {"bench/mutation-report.json", "bench/mutation-report.md", "bench/mutation-equivalent.yaml",
              "bench/MUTATION.md", "bench/mutation.py"}  # fmt: skip


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def tree_hashes(repo: Path) -> tuple[str, dict[str, str]]:
    """The copy's content hash without the test files (`tests/test_*.py`), and each test file's own hash.
    A test file's coverage depends on its own text and on everything else in the tree (sources, conftest,
    test data, catalog), so it is reused while both hashes are unchanged."""
    base = hashlib.sha256()
    tests: dict[str, str] = {}
    paths = []
    for folder, dirs, files in os.walk(repo):  # symlinks (the .venv link) are not followed
        dirs[:] = [d for d in dirs if d != ".git"]
        paths += [Path(folder, f) for f in files if not Path(folder, f).is_symlink()]
    for path in sorted(paths):
        name = path.relative_to(repo).as_posix()
        if name in NOT_HASHED or name.startswith(".coverage") or name.startswith(".mutation"):
            continue
        data = path.read_bytes()
        if fnmatch.fnmatch(name, "tests/test_*.py") and "/" not in name[len("tests/") :]:
            tests[name] = _digest(data)
        else:
            base.update(name.encode() + b"\0" + _digest(data).encode() + b"\0")
    return base.hexdigest()[:16], tests


@dataclass
class Coverage:
    lines: dict[str, dict[int, set[str]]]  # module → line → the test IDs that execute it
    times: dict[str, float]  # test file → seconds to import; test ID → seconds to run
    failed: set[str]  # tests that fail without any mutation: never run for a mutant


def coverage_map(repo: Path, env: dict[str, str], modules: list[str]) -> Coverage:
    """module → line → the test IDs that execute it, and the seconds each test file took to import and each
    test to run. From one pytest run with per-test coverage contexts, per test file cached in
    bench/.mutation-cache/<tree hash>/ (gitignored): only the test files whose text, or the tree around
    them, changed since a cached run are run again."""
    base, test_files = tree_hashes(repo)
    folders = sorted(set(COVERED_FOLDERS) | {m.split("/", 1)[0] for m in modules})
    cache = CACHE_DIR / base
    entries: dict[str, dict] = {}
    missing = []
    for name, digest in sorted(test_files.items()):
        path = cache / f"{name.replace('/', '__')}.{digest}.json"
        entry = json.loads(path.read_text()) if path.exists() else None
        if entry and set(folders) <= set(entry["folders"]):
            entries[name] = entry
        else:
            missing.append(name)
    if missing:
        print(
            f"coverage: {len(missing)} of {len(test_files)} test files not cached for this tree ({cache.name}):"
            " running them once to map lines to tests…",
            flush=True,
        )
        entries.update(run_coverage(repo, env, folders, missing))
        cache.mkdir(parents=True, exist_ok=True)
        for name in missing:
            entry = entries.get(
                name, {"folders": folders, "times": {}, "at_import": {}, "tests": {}, "failed": []}
            )
            (cache / f"{name.replace('/', '__')}.{test_files[name]}.json").write_text(json.dumps(entry))
        for old in sorted(CACHE_DIR.iterdir(), key=lambda p: p.stat().st_mtime)[:-3]:
            shutil.rmtree(old, ignore_errors=True)  # the three newest trees are kept
    else:
        print(f"coverage: every test file cached for this tree ({cache.name})", flush=True)
    return merge_coverage(entries.values(), modules, repo)


def run_coverage(
    repo: Path, env: dict[str, str], folders: list[str], test_files: list[str]
) -> dict[str, dict]:
    """Run `test_files` under coverage with a context per test; per test file: the covered folders, the
    times, the lines run at import (no test's context) and each test's lines, as numbits in hex."""
    data = repo / ".coverage.mutation"
    data.unlink(missing_ok=True)
    shim = repo.parent / "shim" / "aiinfra"  # modules are imported through the shim's symlinks
    include = ",".join(f"{root}/{folder}/*" for folder in folders for root in (repo, shim))
    cmd = [sys.executable, "-m", "coverage", "run", f"--data-file={data}", f"--include={include}",
           "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
           "-p", "bench.mutation_contexts", "-rfE", *test_files]  # fmt: skip
    times_file = repo / ".mutation-times.json"
    env = {**env, "MUTATION_TIMES": str(times_file)}
    result = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True)
    failed = sorted(
        line.split()[1] for line in result.stdout.splitlines() if line.startswith(("FAILED ", "ERROR "))
    )
    if result.returncode not in (0, 1) or (result.returncode == 1 and not failed):
        sys.exit(
            f"the test suite fails before any mutation:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    if failed:  # a test that fails unmutated would "kill" every mutant: it is left out of every mutant's run
        print(f"coverage: {len(failed)} tests fail without any mutation, left out:", *failed, sep="\n  ")
    times = json.loads(times_file.read_text()) if times_file.exists() else {}
    entries = {
        name: {"folders": folders, "times": {}, "at_import": {}, "tests": {}, "failed": []}
        for name in test_files
    }
    for test in failed:
        if test.split("::", 1)[0] in entries:
            entries[test.split("::", 1)[0]]["failed"].append(test)
    for key, seconds in times.items():
        if key.split("::", 1)[0] in entries:
            entries[key.split("::", 1)[0]]["times"][key] = seconds
    at_import: dict[str, set[int]] = {}
    db = sqlite3.connect(data)
    rows = db.execute(
        "select file.path, line_bits.numbits, context.context from line_bits"
        " join file on file.id = line_bits.file_id join context on context.id = line_bits.context_id"
    ).fetchall()
    db.close()
    for path, numbits, context in rows:
        resolved = Path(path).resolve().parts  # …/repo/<module>, through the shim's symlinks too
        module = "/".join(resolved[len(resolved) - resolved[::-1].index("repo") :])
        if "::" in context:
            entry = entries.get(context.split("::", 1)[0])
            if entry is not None:
                entry["tests"].setdefault(context, {})[module] = numbits.hex()
        else:
            at_import.setdefault(module, set()).update(numbits_to_nums(numbits))
    for entry in entries.values():  # import-time lines are the run's, not a file's: every entry keeps them
        entry["at_import"] = {m: sorted(lines) for m, lines in at_import.items()}
    return entries


def import_time_lines(source: str) -> set[int]:
    """The lines that run when the module is imported: module and class bodies, decorators, `def` lines
    (default values), not the bodies of functions."""
    found: set[int] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = node.body[0].lineno
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                found.update(range(start, first))
            elif isinstance(node, ast.ClassDef):
                found.update(
                    range(min([node.lineno, *(d.lineno for d in node.decorator_list)]), node.lineno + 1)
                )
                visit(node.body)
            else:
                found.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))

    visit(ast.parse(source).body)
    return found


def statement_starts(source: str) -> dict[int, int]:
    """line → the first line of the smallest statement around it. Coverage records a statement that spans
    lines under its first line, so a constant on a later line (an argument of a call written over several
    lines, an item of a tuple) is executed by the tests of its statement's first line."""
    best: dict[int, tuple[int, int]] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.stmt):
            end = node.end_lineno or node.lineno
            for line in range(node.lineno, end + 1):
                if line not in best or end - node.lineno < best[line][0]:
                    best[line] = (end - node.lineno, node.lineno)
    return {line: start for line, (_, start) in best.items()}


def merge_coverage(entries: Iterable[dict], modules: list[str], repo: Path) -> Coverage:
    lines: dict[str, dict[int, set[str]]] = {m: {} for m in modules}
    failed: set[str] = set()
    at_import: dict[str, set[int]] = {m: set() for m in modules}
    times: dict[str, float] = {}
    for entry in entries:
        times.update(entry["times"])
        failed.update(entry.get("failed", ()))
        for module in modules:
            at_import[module].update(entry["at_import"].get(module, ()))
        for test, by_module in entry["tests"].items():
            for module in modules:
                if module in by_module:
                    for line in numbits_to_nums(bytes.fromhex(by_module[module])):
                        lines[module].setdefault(line, set()).add(test)
    for module in modules:
        # A line run while the module is imported (constants, decorators, defaults) runs once per process,
        # in whichever test imports the module first, or while a test file is collected: any test that
        # executes the module may notice it.
        every = set().union(*lines[module].values()) if lines[module] else set()
        run = at_import[module] | set(lines[module])
        # Lines run with no test's context (while a test file builds a module-level fixture, e.g. the
        # catalog) serve every test of that file: any test of the module may notice them too.
        for line in at_import[module] | (run & import_time_lines((repo / module).read_text())):
            lines[module][line] = every
    return Coverage(
        {m: {n: ts - failed for n, ts in by_line.items()} for m, by_line in lines.items()}, times, failed
    )


def load_equivalent(repo: Path) -> dict[tuple[str, int, str, str], str]:
    """(module, line, mutation, original code) → reason, from bench/mutation-equivalent.yaml. An entry that
    matches no mutation point of the module as it is now (its line moved, its code changed) is stale: it is
    named, and never applies to another mutant."""
    entries = (yaml.safe_load(EQUIVALENT_FILE.read_text()) or []) if EQUIVALENT_FILE.exists() else []
    known: dict[str, set[tuple[int, str, str]]] = {}
    found: dict[tuple[str, int, str, str], str] = {}
    for e in entries:
        module = e["module"]
        if module not in known:
            source = (repo / module).read_text() if (repo / module).is_file() else ""
            known[module] = {
                (node.lineno, description, ast.get_source_segment(source, node) or "")
                for node, _, description in (mutations(ast.parse(source)) if source else [])
            }
        key = (module, e["line"], e["mutation"], e.get("original", ""))
        if key[1:] in known[module]:
            found[key] = e["reason"]
        else:
            print(f"stale entry in {EQUIVALENT_FILE.name}: {module}:{e['line']} {e['mutation']}", flush=True)
    return found


def stages(module: str, tests: set[str], times: dict[str, float], failed: set[str]) -> list[list[str]]:
    """The tests in two runs: first the whole test files named after the module (`tests/test_*compute*.py`
    for estimate/compute.py: most mutants die there, quickly) that execute the line, then the other tests
    that execute it, only if the mutant survived, test files that import quickly first."""
    stem = Path(module).stem
    by_file: dict[str, list[str]] = {}
    for test in tests:
        by_file.setdefault(test.split("::", 1)[0], []).append(test)
    related = sorted(
        (
            name
            for name in (str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob(f"test_*{stem}*.py"))
            if name
            in by_file  # tests/test_aws_storage.py plans components: it never runs estimate/storage.py
        ),
        key=lambda f: (sum(v for k, v in times.items() if k.split("::", 1)[0] == f), f),
    )  # quick files first: -x stops at the first failure
    files = sorted((f for f in by_file if f not in related), key=lambda f: (times.get(f, 60.0), f))
    rest = [t for f in files for t in sorted(by_file[f], key=lambda t: (times.get(t, 60.0), t))]
    deselect = [f"--deselect={t}" for t in sorted(failed) if t.split("::", 1)[0] in related]
    return [stage for stage in (related + deselect if related else [], rest) if stage]


def run_mutant(
    repo: Path, env: dict[str, str], mutant: Mutant, source: str, tests: list[list[str]], timeout: float
) -> None:
    target = repo / mutant.module
    original = target.read_text()
    target.write_text(source)
    started = time.monotonic()
    try:
        for stage in tests:
            result = subprocess.run(
                [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-o", "addopts=", *stage],
                cwd=repo, env=env, capture_output=True, text=True,
                timeout=max(1.0, timeout - (time.monotonic() - started)),
            )  # fmt: skip
            # pytest: 0 all passed, 1 a test failed, 2 interrupted (the mutant broke an import), 5 nothing ran
            codes = {0: "survived", 1: "killed", 2: "killed", 5: "uncovered"}
            mutant.status = codes.get(result.returncode, "error")
            if result.returncode == 4 and "ERROR collecting" in result.stdout:
                mutant.status = "killed"  # the mutant broke a test file's import, so its tests were not found
            if mutant.status == "error":
                print(result.stdout[-2000:], result.stderr[-2000:], file=sys.stderr)
            if mutant.status != "survived":
                break
    except subprocess.TimeoutExpired:
        mutant.status = "timeout"
    finally:
        target.write_text(original)
        mutant.seconds = round(time.monotonic() - started, 1)


def score(mutants: list[Mutant], field: str = "status") -> dict:
    statuses = [getattr(m, field) for m in mutants]
    counts: dict = {
        s: statuses.count(s) for s in ("killed", "timeout", "survived", "uncovered", "equivalent")
    }
    judged = len(mutants) - counts["equivalent"]
    caught = counts["killed"]  # a timeout usually means too many selected tests, not a hang: not caught
    counts["score"] = round(100 * caught / judged, 1) if judged else None
    return counts


def write_report(results: dict[str, list[Mutant]], args: argparse.Namespace, out: Path) -> None:
    baseline = args.baseline_without is not None
    report = {
        "rev": args.rev or "working tree",
        "seed": args.seed,
        "sample": args.sample,
        "baseline_without": args.baseline_without,
        "modules": {
            m: {
                "summary": score(ms),
                **({"baseline_summary": score(ms, "baseline_status")} if baseline else {}),
                "mutants": [asdict(x) for x in ms],
            }
            for m, ms in results.items()
        },
    }
    out.with_suffix(".json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    md = [f"# Mutation report ({args.rev or 'working tree'}, seed {args.seed}, sample {args.sample})", "",
          "| module | mutants | killed | timeout | survived | uncovered | equivalent | score |"
          + (f" score without `{args.baseline_without}` |" if baseline else ""),
          "|---|---|---|---|---|---|---|---|" + ("---|" if baseline else "")]  # fmt: skip
    for module, ms in results.items():
        s = score(ms)
        md.append(
            f"| `{module}` | {len(ms)} | {s['killed']} | {s['timeout']} | {s['survived']} | {s['uncovered']}"
            f" | {s['equivalent']} | {s['score']} % |"
            + (f" {score(ms, 'baseline_status')['score']} % |" if baseline else "")
        )
    for module, ms in results.items():
        alive = [m for m in ms if m.status in ("survived", "uncovered")]
        if alive:
            md += ["", f"## Survivors in `{module}`", ""]
            for m in alive:
                md.append(
                    f"- `{m.module}:{m.line}` {m.mutation} ({m.status}): `{m.original}` → `{m.mutated}`"
                )
    for module, ms in results.items():
        same = [m for m in ms if m.status == "equivalent"]
        if same:
            md += ["", f"## Equivalent mutants in `{module}` (left out of the score)", ""]
            md += [
                f"- `{m.module}:{m.line}` {m.mutation}: `{m.original.splitlines()[0]}` — {m.equivalent_reason}"
                for m in same
            ]
    if baseline:
        for module, ms in results.items():
            alive = [m for m in ms if m.baseline_status in ("survived", "uncovered")]
            if alive:
                md += ["", f"## Survivors in `{module}` without `{args.baseline_without}`", ""]
                md += [f"- `{m.module}:{m.line}` {m.mutation}: `{m.original}` → `{m.mutated}`" for m in alive]
    out.with_suffix(".md").write_text("\n".join(md) + "\n")


def recheck(args: argparse.Namespace) -> None:
    """The survivors and timeouts of the report at `args.out` against the test files matching
    `args.recheck`; a mutant bench/mutation-equivalent.yaml now lists becomes equivalent, not run."""
    report = json.loads(args.out.with_suffix(".json").read_text())
    for key in ("seed", "sample", "baseline_without"):
        setattr(args, key, report[key])
    args.rev = None if report["rev"] == "working tree" else report["rev"]
    tests = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob(args.recheck))
    if not tests:
        sys.exit(
            f"--recheck {args.recheck}: no test file matches. Fix: give a glob such as 'tests/*_mutants.py'."
        )
    results = {m: [Mutant(**x) for x in body["mutants"]] for m, body in report["modules"].items()}
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped (SIGTERM): the temporary copy is removed"))
    with tempfile.TemporaryDirectory(prefix="aiinfra-mutation-") as tmp:
        repo, env = make_copy(Path(tmp), args.rev)
        equivalent = load_equivalent(repo)
        for module, mutants in results.items():
            source = (repo / module).read_text()
            points = mutations(ast.parse(source))
            by_key = {}
            for index, (node, _, description) in enumerate(points):
                by_key[(node.lineno, description, ast.get_source_segment(source, node) or "")] = index
            for m in mutants:
                if m.status not in ("survived", "uncovered", "error", "timeout"):
                    continue
                reason = equivalent.get((module, m.line, m.mutation, m.original))
                if reason:
                    m.status, m.equivalent_reason = "equivalent", reason
                    print(f"[recheck] {m.status:10} {module}:{m.line} {m.mutation}", flush=True)
                    continue
                index = by_key.get((m.line, m.mutation, m.original))
                if index is None:
                    sys.exit(
                        f"{module}:{m.line} {m.mutation}: the source changed since the report; run it again."
                    )
                mutated_source, _ = mutate(source, index)
                run_mutant(repo, env, m, mutated_source, [tests], args.timeout)
                print(f"[recheck] {m.status:10} {module}:{m.line} {m.mutation}", flush=True)
    write_report(results, args, args.out)
    for module, ms in results.items():
        print(f"{module}: {score(ms)}")


def kept_results(args: argparse.Namespace, modules: list[str]) -> dict[str, list[Mutant]]:
    """The modules this run does not mutate, from the previous report at `--out` when it was made with the
    same seed, sample, revision and baseline: the report grows module by module across runs."""
    previous = args.out.with_suffix(".json")
    if not previous.exists():
        return {}
    report = json.loads(previous.read_text())
    same = (report.get("seed"), report.get("sample"), report.get("rev"), report.get("baseline_without")) == (
        args.seed,
        args.sample,
        args.rev or "working tree",
        args.baseline_without,
    )
    if not same:
        return {}
    return {
        m: [Mutant(**x) for x in body["mutants"]] for m, body in report["modules"].items() if m not in modules
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--module", action="append", help="a module path such as estimate/compute.py (repeatable)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", type=int, default=60, help="mutants per module (0: all)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per mutant")
    parser.add_argument(
        "--baseline-without",
        metavar="GLOB",
        help="also score each module without the test files matching GLOB (e.g. 'tests/*_mutants.py')",
    )
    parser.add_argument("--rev", help="mutate this commit instead of the working tree (e.g. a score before)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "mutation-report")
    parser.add_argument(
        "--resume",
        action="store_true",
        help="keep what the previous report (--out, same seed, sample and revision) measured and run only "
        "the rest of the sample: for a stopped run",
    )
    parser.add_argument(
        "--recheck",
        metavar="GLOB",
        help="run only the survivors of the last report (--out) again, against the whole test files matching "
        "GLOB (no coverage run), and update the report: for tests written after a run",
    )
    args = parser.parse_args()
    if args.recheck:
        recheck(args)
        return
    modules = args.module or DEFAULT_MODULES
    for module in modules:
        if not (ROOT / module).is_file():
            sys.exit(
                f"--module {module}: no such file under {ROOT}. Fix: give a path such as estimate/compute.py."
            )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped (SIGTERM): the temporary copy is removed"))
    with tempfile.TemporaryDirectory(prefix="aiinfra-mutation-") as tmp:
        repo, env = make_copy(Path(tmp), args.rev)
        equivalent = load_equivalent(repo)
        covered = coverage_map(repo, env, modules)
        measured = {
            (m.module, m.line, m.mutation, m.original): m
            for ms in (kept_results(args, []) if args.resume else {}).values()
            for m in ms
            if m.status in ("killed", "survived", "timeout")
        }  # --resume: what the previous report measured of the same sample stands
        results = kept_results(args, modules)
        for module in modules:
            source = (repo / module).read_text()
            tree = ast.parse(source)
            points = mutations(tree)
            chosen = range(len(points))
            if args.sample and args.sample < len(points):
                chosen = sorted(random.Random(args.seed).sample(range(len(points)), args.sample))
            results[module] = []
            starts = statement_starts(source)
            for n, index in enumerate(chosen, 1):
                node, _, description = points[index]
                mutated_source, mutated = mutate(source, index)
                mutant = Mutant(
                    module, node.lineno, description, ast.get_source_segment(source, node) or "", mutated
                )
                reason = equivalent.get((module, node.lineno, description, mutant.original))
                done = measured.get((module, node.lineno, description, mutant.original))
                if done is not None and not reason:
                    results[module].append(done)
                    print(f"[{module} {n}/{len(chosen)}] {done.status:10} (measured before)", flush=True)
                    continue
                by_line = covered.lines[module]
                tests = by_line.get(node.lineno, set()) | by_line.get(
                    starts.get(node.lineno, node.lineno), set()
                )
                mutant.tests = len(tests)
                if reason:
                    mutant.status, mutant.equivalent_reason = "equivalent", reason
                    mutant.baseline_status = "equivalent"
                else:
                    pattern = args.baseline_without or ""
                    old = {t for t in tests if not fnmatch.fnmatch(t.split("::")[0], pattern)}
                    for subset in (old, tests - old):  # the baseline's tests first, the rest only if needed
                        if (subset or subset is old) and mutant.status in ("", "survived", "uncovered"):
                            run_mutant(
                                repo,
                                env,
                                mutant,
                                mutated_source,
                                stages(module, subset, covered.times, covered.failed),
                                args.timeout,
                            )
                        if subset is old:
                            mutant.status = mutant.status or "uncovered"
                            mutant.baseline_status = mutant.status
                if args.baseline_without is None:
                    mutant.baseline_status = ""
                print(
                    f"[{module} {n}/{len(chosen)}] {mutant.status:10} {module}:{mutant.line} {description}",
                    flush=True,
                )
                results[module].append(mutant)
                write_report(results, args, args.out)  # after every mutant: a stopped run keeps its results
    write_report(results, args, args.out)
    for module, ms in results.items():
        print(f"{module}: {score(ms)}")


if __name__ == "__main__":
    main()
