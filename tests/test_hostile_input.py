"""A careless or hostile input never gets a traceback, a hang, unbounded memory, or nonsense accepted
silently: every reader goes through `aiinfra.guard`. The cases that could hang or exhaust memory run the
real CLI in a child process under a 1 GiB address-space limit and a timeout."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from aiinfra.cli.main import app
from aiinfra.guard import MAX_ALIAS_NODES, InputError, load_json, load_yaml, read_text, show
from aiinfra.spec import SpecError, load_stack_spec, parse_spec

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "stacks" / "Pulumi.example.yaml"
BAD_INPUT = 2
FAILED = 1
LIMIT_AS = 1 << 30
TIMEOUT_S = 20


def example_doc() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def write(tmp_path: Path, text: str, name: str = "Pulumi.bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, list(args), env=env)


def assert_refused(result: Result, *fragments: str, code: int = BAD_INPUT) -> str:
    """Exit `code`, no traceback, no escaped exception, and every fragment in the output."""
    output = result.output
    assert result.exit_code == code, f"expected exit {code}, got {result.exit_code}; output:\n{output}"
    assert "Traceback" not in output, f"a refused input must not show a traceback:\n{output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"an input escaped as {result.exception!r}"
    )
    for fragment in fragments:
        assert fragment in output, f"the message must say {fragment!r}; output:\n{output}"
    return output


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_AS, LIMIT_AS))


BILLION_LAUGHS = "config:\n  other:laughs:\n" + "".join(
    f"    l{i}: &l{i} [{', '.join([f'*l{i - 1}' if i else 'lol'] * 9)}]\n" for i in range(10)
)

BOUNDED_DRIVER = """
import json, sys, time
from typer.testing import CliRunner
from aiinfra.cli.main import app
import aiinfra.engine.inputs, aiinfra.spec.loader  # imported up front: the time measured is the refusal's
results = {}
for name, args in json.loads(sys.argv[1]).items():
    started = time.monotonic()
    result = CliRunner().invoke(app, args)
    escaped = result.exception
    results[name] = {
        "code": result.exit_code,
        "output": result.output[-3000:],
        "escaped": None if escaped is None or isinstance(escaped, SystemExit) else repr(escaped)[:500],
        "seconds": time.monotonic() - started,
    }
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def bounded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every case that could hang or exhaust memory, run through the real CLI in one child process with at
    most 1 GiB of address space and a timeout (one Python start-up for all of them keeps this fast)."""
    tmp = tmp_path_factory.mktemp("bounded")
    fifo = tmp / "Pulumi.fifo.yaml"
    os.mkfifo(fifo)  # nobody ever writes to it: opening it for reading would block forever
    big = "config: '" + "x" * (50 * 1024 * 1024) + "'\n"
    deep_json = '{"steps": ' + "[" * 5000 + "]" * 5000 + "}"
    deep_yaml = "config: " + "[" * 5000 + "]" * 5000 + "\n"
    cases = {
        # the aliases sit outside the aiinfra: keys, where nothing of this tool would ever walk them
        "billion-laughs": ["plan", "-s", str(write(tmp, BILLION_LAUGHS, "Pulumi.laughs.yaml"))],
        "50-mb": ["plan", "-s", str(write(tmp, big, "Pulumi.big.yaml"))],
        "dev-zero": ["plan", "-s", "/dev/zero"],
        "fifo": ["plan", "-s", str(fifo)],
        "deep-json": ["estimate", "--from", str(write(tmp, deep_json, "p.json"))],
        "deep-yaml": ["plan", "-s", str(write(tmp, deep_yaml, "Pulumi.deep.yaml"))],
    }
    done = subprocess.run(
        [sys.executable, "-c", BOUNDED_DRIVER, json.dumps(cases)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S * 2,
        preexec_fn=_limit_memory,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, f"the bounded run must finish cleanly:\n{done.stderr[-3000:]}"
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    ("case", "says"),
    [
        ("billion-laughs", ("aliases", f"{MAX_ALIAS_NODES:,}", "line")),
        ("50-mb", ("MiB", "limit")),
        ("dev-zero", ("not a regular file",)),
        ("fifo", ("FIFO",)),
        ("deep-json", ("nested more than",)),
        ("deep-yaml", ("nested more than 64 levels",)),
    ],
)
def test_an_input_that_could_hang_or_exhaust_memory_is_refused_quickly_under_1_gib(
    bounded: dict[str, dict[str, Any]], case: str, says: tuple[str, ...]
) -> None:
    got = bounded[case]
    assert got["code"] == BAD_INPUT, f"{case}: expected exit 2, got {got['code']}:\n{got['output']}"
    assert got["escaped"] is None and "Traceback" not in got["output"], f"{case}: {got['escaped']}"
    for fragment in says:
        assert fragment in got["output"], f"{case}: the message must say {fragment!r}:\n{got['output']}"
    assert got["seconds"] < 10, f"{case} took {got['seconds']:.1f} s: the refusal must not read the input"


# -- YAML that would be accepted silently ------------------------------------------------------------------


def test_a_key_written_twice_is_refused_with_both_lines(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "          nodes: 4\n", "          nodes: 4\n          nodes: 8\n"
    )
    output = assert_refused(
        invoke("plan", "-s", str(write(tmp_path, text))), "'nodes' appears twice", "silently"
    )
    assert "lines 18 and 19" in output, f"both lines must be named:\n{output}"


def test_kubernetes_version_written_as_a_number_says_to_quote_it(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "      zone: us-east-1a\n", "      zone: us-east-1a\n      kubernetesVersion: 1.30\n"
    )
    assert_refused(
        invoke("plan", "-s", str(write(tmp_path, text))),
        "clusters[0].kubernetesVersion",
        'kubernetesVersion: "1.30"',
    )


def test_a_snake_case_key_is_refused_with_its_camel_case_spelling(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("nodePools:", "node_pools:")
    assert_refused(
        invoke("plan", "-s", str(write(tmp_path, text))), "clusters[0].node_pools", "Write nodePools"
    )


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("nodes", "true", "whole number"),
        ("nodes", "'4'", "whole number"),
        ("nodes", "4.0", "whole number"),
        ("interconnect", "'yes'", "true or false"),
        ("interconnect", "1", "true or false"),
    ],
)
def test_a_number_or_boolean_of_the_wrong_yaml_type_is_not_coerced(
    tmp_path: Path, field: str, value: str, says: str
) -> None:
    original = {"nodes": "nodes: 4", "interconnect": "interconnect: true"}[field]
    text = EXAMPLE.read_text(encoding="utf-8").replace(original, f"{field}: {value}")
    assert_refused(invoke("plan", "-s", str(write(tmp_path, text))), f"nodePools[0].{field}", says)


def test_a_key_that_yaml_reads_as_a_number_is_refused_where_a_name_is_expected(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("team: ml-platform", "1: ml-platform")
    assert_refused(invoke("plan", "-s", str(write(tmp_path, text))), "clusters[0].tags", "quote it")


def test_control_characters_in_a_value_are_escaped_in_the_message(tmp_path: Path) -> None:
    doc = example_doc()
    doc["config"]["aiinfra:clusters"][0]["name"] = "evil\x1b[2J\x9bname"
    path = write(tmp_path, yaml.safe_dump(doc))
    output = assert_refused(invoke("plan", "-s", str(path)), "clusters[0].name", "\\x1b", "\\x9b")
    assert "\x1b" not in output and "\x9b" not in output, "a raw ESC or CSI must never reach the terminal"


def test_a_long_value_is_quoted_capped_in_the_message(tmp_path: Path) -> None:
    doc = example_doc()
    doc["config"]["aiinfra:clusters"][0]["nodePools"][0]["accelerator"] = "H" * 200_000
    output = assert_refused(invoke("plan", "-s", str(write(tmp_path, yaml.safe_dump(doc)))), "chars)")
    assert len(output) < 3000, f"the message must quote a capped value, not 200 KB ({len(output)} chars)"


@pytest.mark.parametrize(("bom", "encoding"), [(b"\xef\xbb\xbf", "utf-8"), (b"", "utf-16")])
def test_a_stack_file_saved_on_windows_reads_like_any_other(
    tmp_path: Path, bom: bytes, encoding: str
) -> None:
    path = tmp_path / "Pulumi.win.yaml"
    path.write_bytes(bom + EXAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n").encode(encoding))
    assert load_stack_spec(path) == load_stack_spec(EXAMPLE), "BOM and CRLF must not change the spec"


# -- usage files and --from documents ----------------------------------------------------------------------


def test_a_usage_file_that_is_a_list_says_it_must_be_a_mapping(tmp_path: Path) -> None:
    from aiinfra.estimate.usage import UsageFileError, read_usage_file

    usage = write(tmp_path, "- nodes: 3\n", "usage.yaml")
    with pytest.raises(UsageFileError) as caught:
        read_usage_file(usage)
    message = str(caught.value)
    assert "must be a mapping of resource names to usage" in message, message
    assert "usage.example.yaml" in message and "ResourceUsage" not in message, message


def test_a_preview_saved_by_powershell_in_utf16_is_read(tmp_path: Path) -> None:
    preview = (REPO / "tests" / "data" / "graphs" / "preview.json").read_text(encoding="utf-8")
    path = tmp_path / "p.json"
    path.write_bytes(preview.replace("\n", "\r\n").encode("utf-16"))  # BOM first, as PowerShell's `>`
    result = invoke("estimate", "--from", str(path), "--format", "json")
    assert result.exit_code == 0, f"a UTF-16 preview must be read:\n{result.output}"
    assert json.loads(result.stdout)["lines"], "the estimate must price the preview's resources"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"steps": [], "x": NaN}', ("NaN", "Write a finite number")),
        ('{"steps": [], "x": 1e999}', ("too large", "ordinary size")),
        ('{"steps": [], "x": ' + "9" * 5000 + "}", ("cannot read", "check the file")),
        ("42", ("not a resource graph", "Give")),
        ('{"steps": [', ("not JSON", "Give")),
    ],
    ids=["nan", "overflowing-float", "5000-digit-int", "a-number", "truncated"],
)
def test_a_from_document_that_is_not_a_graph_is_refused(
    tmp_path: Path, text: str, says: tuple[str, str]
) -> None:
    path = write(tmp_path, text, "doc.json")
    assert_refused(invoke("estimate", "--from", str(path)), *says)


def test_load_graph_reads_standard_input_for_a_dash() -> None:
    import io

    from aiinfra.engine.inputs import load_graph

    data = (REPO / "tests" / "data" / "graphs" / "preview.json").read_bytes()
    graph = load_graph("-", stdin=io.BytesIO(data))
    assert graph.resources, "a preview on stdin must give its resources"


# -- the catalog and its refresh ---------------------------------------------------------------------------


def test_a_catalog_directory_that_does_not_exist_is_named_with_the_fix_in_plan(tmp_path: Path) -> None:
    result = invoke("plan", "-s", "example", env={"AIINFRA_CATALOG_DIR": str(tmp_path / "nope")})
    assert_refused(result, "does not exist", "AIINFRA_CATALOG_DIR")


def test_a_truncated_aws_price_list_changes_nothing_and_exits_2(tmp_path: Path) -> None:
    csv_text = (REPO / "tests" / "data" / "refresh" / "aws-ec2-us-east-1.csv").read_text(encoding="utf-8")
    cut = tmp_path / "cut.csv"
    cut.write_text(csv_text[: len(csv_text) * 2 // 3], encoding="utf-8")  # cut mid-row
    out = tmp_path / "out"
    result = invoke("catalog", "refresh", "aws", "--from", str(cut), "--out", str(out))
    assert_refused(result, "Nothing was changed")
    assert not (out / "aws" / "offers.yaml").exists(), "a feed that does not parse whole must write nothing"


@pytest.mark.parametrize("cloud", ["aws", "gcp", "azure"])
@pytest.mark.parametrize("doc", ["42", "[1, 2]", '"prices"'], ids=["number", "list", "string"])
def test_a_price_list_of_the_wrong_shape_says_what_was_expected(tmp_path: Path, cloud: str, doc: str) -> None:
    path = write(tmp_path, doc, "prices.json")
    out = tmp_path / "out"
    result = invoke("catalog", "refresh", cloud, "--from", str(path), "--out", str(out))
    assert_refused(result, "price list", "Nothing was changed")
    assert not out.exists(), "nothing may be written for a wrong file"


# -- programs that stop the process ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("class Stop(BaseException):\n    pass\nraise Stop('halt')\n", "stopped with Stop: halt"),
        ("class Quiet(KeyboardInterrupt):\n    pass\nraise Quiet()\n", "stopped with Quiet"),
        ("import os\nos._exit(0)\n", "os._exit(0)"),
    ],
    ids=["custom-base-exception", "keyboard-interrupt-subclass", "os-exit"],
)
def test_a_program_that_ends_the_process_is_reported_not_exit_0(tmp_path: Path, body: str, says: str) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n", encoding="utf-8")
    (tmp_path / "__main__.py").write_text(body, encoding="utf-8")
    assert_refused(invoke("estimate", "--program", str(tmp_path)), says, code=FAILED)


# -- properties of the guard -------------------------------------------------------------------------------

scalars = st.one_of(
    st.integers(-(10**6), 10**6),
    st.sampled_from(["x", "1.30", "true", ".nan", ".inf", "1.0e999", "null", "'q'", "~"]),
)


@st.composite
def yaml_documents(draw: st.DrawFn) -> str:
    """Mappings and lists of scalars, with anchors, aliases (possibly before their anchor), repeated keys
    and deep nesting."""
    lines: list[str] = []
    anchors: list[str] = []

    def node(depth: int) -> str:
        choice = draw(st.integers(0, 4)) if depth < 80 else 0
        if choice == 0:
            return str(draw(scalars))
        if choice == 1 and anchors:
            return "*" + draw(st.sampled_from(anchors))
        if choice == 2:
            return "*undefined"
        items = [node(depth + 1) for _ in range(draw(st.integers(0, 3)))]
        anchor = ""
        if draw(st.booleans()):
            anchor = f"&a{len(anchors)} "
            anchors.append(f"a{len(anchors)}")
        if choice == 3:
            return anchor + "[" + ", ".join(items) + "]"
        keys = draw(
            st.lists(st.sampled_from(["k", "v", "1", "true"]), min_size=len(items), max_size=len(items))
        )
        return anchor + "{" + ", ".join(f"{k}: {v}" for k, v in zip(keys, items, strict=True)) + "}"

    for i in range(draw(st.integers(1, 4))):
        lines.append(f"key{i}: {node(0)}")
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yaml_documents())
def test_any_yaml_document_loads_or_is_refused_as_input_error(text: str) -> None:
    try:
        load_yaml(text, source="doc.yaml")
    except InputError as e:
        assert e.message.startswith("doc.yaml"), f"the refusal must name the file: {e.message}"


@settings(max_examples=40, deadline=None)
@given(levels=st.integers(2, 8), copies=st.integers(2, 12))
def test_alias_expansion_is_refused_exactly_when_it_passes_the_bound(levels: int, copies: int) -> None:
    text = "".join(
        f"l{i}: &l{i} [{', '.join([f'*l{i - 1}' if i else 'x'] * copies)}]\n" for i in range(levels)
    )
    # nodes that aliases stand for: level i (i >= 1) holds `copies` aliases of level i-1
    sizes = [1 + copies]
    for _ in range(1, levels):
        sizes.append(1 + copies * sizes[-1])
    expanded = sum(copies * sizes[i - 1] for i in range(1, levels))
    started = time.monotonic()
    if expanded > MAX_ALIAS_NODES:
        with pytest.raises(InputError, match="aliases"):
            load_yaml(text, source="doc.yaml")
    else:
        assert load_yaml(text, source="doc.yaml")["l0"] == ["x"] * copies
    assert time.monotonic() - started < 2, "counting aliases must be cheap"


@given(st.text(max_size=300), st.integers(5, 80))
def test_show_is_bounded_and_never_holds_a_control_character(value: str, limit: int) -> None:
    shown = show(value, limit)
    assert all(ch.isprintable() for ch in shown), f"{shown!r} holds a control character"
    assert len(shown) <= 4 * limit + 30, f"{len(shown)} chars is not bounded by the limit {limit}"


@given(
    st.one_of(
        st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "9" * 4400]),
        st.integers().map(str),
        st.floats(allow_nan=False, allow_infinity=False).map(repr),
    )
)
def test_json_numbers_are_finite_or_refused(number: str) -> None:
    try:
        value = load_json(f'{{"x": {number}}}', source="doc.json")
    except InputError:
        return
    assert value["x"] == value["x"] and abs(value["x"]) != float("inf"), f"{number} was accepted as {value}"


node_counts = st.one_of(
    st.sampled_from([float("nan"), float("inf"), 1e300, 10**30, -1, True, False, "4", "four", 4.5, None]),
    st.integers(-(10**9), 10**9),
    st.text(max_size=20),
)


@settings(max_examples=60, deadline=None)
@given(node_counts)
def test_a_pool_size_is_an_exact_whole_number_or_refused_with_its_field(value: Any) -> None:
    doc = example_doc()["config"]
    spec_data = {"clusters": doc["aiinfra:clusters"]}
    spec_data["clusters"][0]["nodePools"][0]["nodes"] = value
    try:
        spec = parse_spec(spec_data)
    except SpecError as e:
        assert any(i.path == "clusters[0].nodePools[0].nodes" for i in e.issues), e.render()
        return
    nodes = spec.clusters[0].node_pools[0].nodes
    if value is None:  # nodes may be left out (null): the pool is then sized by minNodes/maxNodes
        assert nodes is None, f"null was accepted as {nodes!r}"
        return
    assert type(value) is int and nodes == value and 0 <= value <= 2000, (
        f"{value!r} was accepted as {nodes!r}"
    )


def test_read_text_refuses_a_directory_before_opening_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_text(tmp_path, what="a stack file", limit_bytes=1024)
