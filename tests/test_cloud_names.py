"""Cloud names are branched on only where a cloud's own code lives: its profile (`clouds/<cloud>.py`), its
components (`components/<cloud>/`), the estimate and policy rules for its type tokens, and its catalog
refresher. Everywhere else asks the profile (`aiinfra.clouds`). The source is read with `ast`, so no
formatting hides a comparison."""

from __future__ import annotations

import ast
from pathlib import Path

from aiinfra import clouds

ROOT = Path(__file__).resolve().parent.parent
CODE = (
    "__main__.py",
    "spec",
    "catalog",
    "clouds",
    "components",
    "engine",
    "estimate",
    "policy",
    "cli",
    "bench",
)
NAMES = frozenset(clouds.names()) | {p for profile in clouds.profiles().values() for p in profile.packages}

KNOWN_EXCEPTIONS = {
    # The price-list refresh dispatch: catalog sits below clouds and cannot ask a profile; to go, each
    # catalog/refresh/<cloud>.py would name its own fetch and parse functions.
    "catalog/refresh/service.py": "dispatches refresh by cloud name",
    "catalog/refresh/fetch.py": "PRICE_FILES keyed by cloud name",
    # A benchmark that rebuilds typed AWS resources from a graph; not part of the product.
    "bench/plan_bench.py": "maps the aws package to pulumi_aws",
}


def _allowed(rel: str) -> bool:
    parts = rel.split("/")
    stem = parts[-1].removesuffix(".py")
    return (
        (parts[0] == "clouds" and len(parts) == 2 and stem in NAMES)
        or (parts[0] == "components" and len(parts) > 2 and parts[1] in NAMES)
        or (parts[:2] == ["estimate", "rules"] and stem in NAMES)
        or (parts[:2] == ["catalog", "refresh"] and stem in NAMES)
        or (parts[:2] == ["catalog", "data"])
        or (parts[0] == "policy" and stem in NAMES)
        or rel in KNOWN_EXCEPTIONS
    )


def _is_cloud(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value in NAMES


def _names_cloud(node: ast.AST) -> bool:
    """`cloud`, `x.cloud`, `cluster.cloud`: an expression that holds a cloud name."""
    name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
    return name == "cloud"


def _holds_cloud(node: ast.AST) -> bool:
    if _is_cloud(node):
        return True
    return isinstance(node, ast.Tuple | ast.List | ast.Set) and any(_is_cloud(e) for e in node.elts)


def cloud_branches(source: str) -> list[tuple[int, str]]:
    """(line, what) for every comparison with a cloud name, `cloud == <text>`, dict keyed by a cloud name
    and `case "aws":` in `source`."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_holds_cloud(s) for s in sides):
                found.append((node.lineno, f"compares with a cloud name: {ast.unparse(node)}"))
            elif any(_names_cloud(s) for s in sides) and any(
                isinstance(s, ast.Constant) and isinstance(s.value, str) for s in sides
            ):
                found.append((node.lineno, f"compares a cloud with a literal: {ast.unparse(node)}"))
        elif isinstance(node, ast.Dict) and any(k is not None and _is_cloud(k) for k in node.keys):
            found.append((node.lineno, "a dict keyed by cloud names"))
        elif isinstance(node, ast.MatchValue) and _is_cloud(node.value):
            found.append((node.lineno, f"matches a cloud name: case {ast.unparse(node.value)}"))
    return found


def test_the_detector_sees_every_form_of_cloud_branch_however_it_is_written() -> None:
    source = "\n".join(
        [
            "if cloud == 'aws': pass",
            "if (\n  'gcp'\n  !=\n  x\n): pass",
            "ok = c in ('aws', 'azure')",
            "t = {'azure-native': 1}",
            "same = spec.cloud == 'oracle'",
            "match c:\n    case 'gcp': pass",
        ]
    )
    assert sorted(line for line, _ in cloud_branches(source)) == [1, 3, 7, 8, 9, 11], (
        "each of the six forms must be reported at its own line"
    )


def test_the_detector_leaves_alone_what_is_not_a_branch_on_a_cloud_name() -> None:
    source = "\n".join(
        [
            "profile = clouds.get('aws')",
            "kind == 'lustre'",
            "cloud == other_cloud",
            "names = {'h100': 'aws'}",
            "'aws' + suffix",
        ]
    )
    assert cloud_branches(source) == [], "look-ups by name, other literals and values are not branches"


def test_no_code_outside_a_clouds_own_files_branches_on_a_cloud_name() -> None:
    found = []
    for top in CODE:
        path = ROOT / top
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for file in files:
            rel = file.relative_to(ROOT).as_posix()
            if _allowed(rel):
                continue
            found += [f"{rel}:{line}: {what}" for line, what in sorted(cloud_branches(file.read_text()))]
    assert found == [], (
        "ask the cloud's profile (aiinfra.clouds) instead of branching on its name:\n" + "\n".join(found)
    )


def test_the_known_exceptions_still_branch_on_cloud_names_so_the_list_stays_honest() -> None:
    for rel in sorted(KNOWN_EXCEPTIONS):
        assert cloud_branches((ROOT / rel).read_text()), (
            f"{rel} no longer branches on a cloud name: remove it from KNOWN_EXCEPTIONS"
        )
