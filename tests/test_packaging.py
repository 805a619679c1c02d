"""The `aiinfra` namespace is setuptools' `package-dir` mapping over the top-level folders. The editable
install finds a folder missing from that mapping anyway; the wheel silently leaves it out, and static tools
see none of it. These tests hold the mapping, the link tree the tools read (.typecheck/aiinfra), the
import-linter roots and package-data to the folders as they are, and install the built wheel to prove it."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS: dict[str, Any] = PYPROJECT["tool"]["setuptools"]
LINK_TREE = REPO / ".typecheck" / "aiinfra"
EXAMPLE = REPO / "stacks" / "Pulumi.example.yaml"
NOT_CODE = ("tests", "bench", "stacks", "build", "dist")
"""Top-level folders that are not part of the `aiinfra` package."""


def mapped_roots(config: dict[str, Any]) -> dict[str, Path]:
    """`aiinfra.X` → its folder, for the top-level subpackages of the mapping."""
    return {
        name: REPO / folder
        for name, folder in config["package-dir"].items()
        if name.count(".") == 1 and name.startswith("aiinfra.")
    }


def package_folder(config: dict[str, Any], package: str) -> Path | None:
    """Where setuptools looks for `package`: its own package-dir entry, else its nearest mapped parent's
    folder plus the rest of the name."""
    mapping: dict[str, str] = config["package-dir"]
    parts = package.split(".")
    for i in range(len(parts), 0, -1):
        base = ".".join(parts[:i])
        if base in mapping:
            return REPO / mapping[base] / Path(*parts[i:])
    return None


def code_packages(roots: dict[str, Path]) -> dict[str, Path]:
    """Every folder under the mapped roots that holds Python files, as the package name it must have."""
    found: dict[str, Path] = {}
    for root_name, root in roots.items():
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            if any(f.endswith(".py") for f in files):
                rel = Path(folder).relative_to(root)
                found[".".join([root_name, *rel.parts])] = Path(folder)
    return found


def problems(config: dict[str, Any]) -> list[str]:
    """What a wheel built from `config` would leave out or get wrong; empty when the mapping is complete."""
    roots = mapped_roots(config)
    listed = set(config["packages"])
    found = code_packages(roots)
    out = []
    for name, folder in sorted(found.items()):
        if name not in listed:
            out.append(f"{folder.relative_to(REPO)} holds Python files but {name} is not in packages")
        elif package_folder(config, name) != folder:
            out.append(f"package-dir sends {name} to {package_folder(config, name)}, not {folder}")
    out += [
        f"{name} is in packages but has no folder with Python files" for name in sorted(listed - set(found))
    ]
    mapped_folders = {p.resolve() for p in roots.values()}
    for child in sorted(REPO.iterdir()):
        if (
            child.is_dir()
            and (child / "__init__.py").is_file()
            and child.name not in NOT_CODE
            and child.resolve() not in mapped_folders
        ):
            out.append(f"{child.name}/ is a Python package folder but package-dir does not map it")
    data = config.get("package-data", {})
    for name, folder in sorted(found.items()):
        shipped = {
            (folder / f).resolve()
            for pattern in data.get(name, ())
            for f in glob.glob(pattern, root_dir=folder)
        }
        nested = [p for p in found.values() if p != folder and p.is_relative_to(folder)]
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
                continue
            if any(path.is_relative_to(n) for n in nested):
                continue  # belongs to the subpackage
            if path.resolve() not in shipped:
                out.append(f"{path.relative_to(REPO)} is not in package-data for {name}")
    return out


def test_every_python_folder_and_data_file_under_the_mapped_roots_is_in_the_setuptools_config() -> None:
    assert problems(SETUPTOOLS) == [], "the wheel must carry every package folder and data file"


@pytest.mark.parametrize(
    "drop",
    ["packages", "package-dir", "package-data", "root"],
)
def test_the_config_check_notices_a_package_or_data_file_taken_out_of_the_config(drop: str) -> None:
    broken = {k: (dict(v) if isinstance(v, dict) else list(v)) for k, v in SETUPTOOLS.items()}
    if drop == "packages":
        broken["packages"].remove("aiinfra.catalog.refresh")
        expect = "catalog/refresh holds Python files but aiinfra.catalog.refresh is not in packages"
    elif drop == "package-dir":
        broken["package-dir"]["aiinfra.estimate.rules"] = "estimate"
        expect = "package-dir sends aiinfra.estimate.rules to"
    elif drop == "package-data":
        broken["package-data"]["aiinfra.policy"] = []
        expect = "policy/PulumiPolicy.yaml is not in package-data for aiinfra.policy"
    else:
        del broken["package-dir"]["aiinfra.engine"]
        broken["packages"].remove("aiinfra.engine")
        expect = "engine/ is a Python package folder but package-dir does not map it"
    found = problems(broken)
    assert any(expect in p for p in found), f"dropping {drop} must be reported ({expect!r}); got {found}"


def test_the_link_tree_has_exactly_one_link_per_mapped_package_root_and_each_resolves() -> None:
    roots = mapped_roots(SETUPTOOLS)
    links = {p.name: p for p in LINK_TREE.iterdir()}
    assert sorted(links) == sorted(name.split(".")[1] for name in roots), (
        f"{LINK_TREE.relative_to(REPO)} must hold one link per mapped root, and nothing else "
        "(mypy and pyright see the package through it)"
    )
    for name, folder in roots.items():
        link = links[name.split(".")[1]]
        assert link.is_symlink(), f"{link} must be a symlink, so the tools read the real files"
        assert os.readlink(link) == os.path.join("..", "..", folder.relative_to(REPO)), (
            f"{link} must point at ../../{folder.relative_to(REPO)} (relative: it works in any checkout)"
        )
        assert link.resolve() == folder.resolve() and (link / "__init__.py").is_file(), (
            f"{link} must resolve to the package folder {folder}"
        )


def test_import_linter_and_mypy_see_every_mapped_package_root() -> None:
    roots = set(mapped_roots(SETUPTOOLS))
    assert set(PYPROJECT["tool"]["importlinter"]["root_packages"]) == roots, (
        "import-linter's root_packages must be the mapped roots, or a folder's imports go unchecked"
    )
    mypy = PYPROJECT["tool"]["mypy"]
    assert mypy["mypy_path"] == ".typecheck" and mypy["packages"] == ["aiinfra"], (
        "mypy must check the whole namespace through the link tree"
    )


# -- the wheel, installed on its own ----------------------------------------------------------------------

COPY_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".typecheck",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    "tests",
)


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def source_modules() -> set[str]:
    modules = set()
    for name, folder in code_packages(mapped_roots(SETUPTOOLS)).items():
        for file in folder.glob("*.py"):
            modules.add(name if file.stem == "__init__" else f"{name}.{file.stem}")
    return modules


@pytest.mark.slow
def test_the_wheel_installed_alone_imports_every_module_and_plans_the_example(tmp_path: Path) -> None:
    uv = shutil.which("uv")
    assert uv is not None, "uv builds the wheel (as the README installs it)"
    # Build from a clean copy: setuptools' build/ folder keeps files of earlier builds and would put them
    # into this wheel too.
    source = tmp_path / "src"
    shutil.copytree(REPO, source, ignore=COPY_IGNORE)
    built = run(
        uv,
        "build",
        "--wheel",
        "--offline",
        "--python",
        sys.executable,
        "--out-dir",
        tmp_path / "dist",
        cwd=source,
    )
    assert built.returncode == 0, f"uv build --wheel failed:\n{built.stderr}"
    (wheel,) = (tmp_path / "dist").glob("aiinfra-*.whl")

    with zipfile.ZipFile(wheel) as z:
        in_wheel = {
            n.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
            for n in z.namelist()
            if n.startswith("aiinfra/") and n.endswith(".py")
        }
    assert in_wheel == source_modules(), (
        f"the wheel must carry exactly the modules of the source folders; missing "
        f"{sorted(source_modules() - in_wheel)}, extra {sorted(in_wheel - source_modules())}"
    )

    # A venv with only the wheel in it; the dependencies come from this project's venv through a .pth (a
    # plain path entry: the editable install's own .pth there is not run, so its import hook stays out).
    venv = tmp_path / "venv"
    made = run(uv, "venv", "--offline", "--python", sys.executable, venv, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    installed = run(uv, "pip", "install", "--offline", "--no-deps", "--python", python, wheel, cwd=tmp_path)
    assert installed.returncode == 0, f"installing the wheel failed:\n{installed.stderr}"
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path)
    (Path(site.stdout.strip()) / "project-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    importable = sorted(m for m in in_wheel if not m.endswith("__main__"))  # __main__ serves a policy pack
    check = (
        "import importlib, sys\n"
        f"for name in {importable!r}:\n"
        "    module = importlib.import_module(name)\n"
        f"    assert module.__file__.startswith({str(venv)!r}), (name, module.__file__)\n"
        "print(len(sys.modules))\n"
    )
    imported = run(python, "-c", check, cwd=tmp_path, env=env)
    assert imported.returncode == 0, f"every module must import from the wheel alone:\n{imported.stderr}"

    infra = venv / "bin" / "infra"
    helped = run(infra, "--help", cwd=tmp_path, env=env)
    assert helped.returncode == 0 and "plan" in helped.stdout, (
        f"infra --help from the wheel:\n{helped.stderr}"
    )
    planned = run(infra, "plan", "-s", EXAMPLE, "--format", "json", cwd=tmp_path, env=env)
    assert planned.returncode == 0, (
        f"infra plan from the wheel must work (catalog data shipped):\n{planned.stderr}"
    )
    assert '"aws:eks/cluster:Cluster"' in planned.stdout, "the plan of the example has its EKS cluster"
