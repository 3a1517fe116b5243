"""The lock files match pyproject.toml, pin everything with hashes, and make installs only from them.

When someone adds a dependency to pyproject.toml without `make lock`, or imports a package the project does
not declare, these fail and say which.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETS = {"runtime": [], "test": ["test"], "dist": ["test", "dist"]}   # lock file -> extras it holds
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+?)(?:\s*;\s*(.*?))?\s*\\?$")


def read_lock(name: str) -> dict[str, tuple[str, list[str]]]:
    pins: dict[str, tuple[str, list[str]]] = {}
    current = None
    for line in (ROOT / "requirements" / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        match = PIN.match(stripped)
        if match:
            current = canonicalize_name(match[1])
            pins[current] = (match[2], [])
        elif stripped.startswith("--hash=sha256:") and current:
            pins[current][1].append(stripped.removeprefix("--hash=sha256:").rstrip(" \\"))
        elif stripped and not stripped.startswith("#"):
            pytest.fail(f"requirements/{name}.txt: unexpected line {line!r}")
    return pins


LOCKS = {name: read_lock(name) for name in SETS}


def declared(extras: list[str]) -> list[Requirement]:
    requirements = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]
    for extra in extras:
        requirements += [Requirement(r) for r in PYPROJECT["project"]["optional-dependencies"][extra]]
    return requirements


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_pin_is_exact_and_hashed(name: str) -> None:
    lock = LOCKS[name]
    assert len(lock) > 10
    for package, (version, hashes) in lock.items():
        assert hashes, f"{package}=={version} has no hash in requirements/{name}.txt"
        assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), package


@pytest.mark.parametrize("name", sorted(SETS))
def test_lock_satisfies_pyproject(name: str) -> None:
    lock = LOCKS[name]
    for requirement in declared(SETS[name]):
        key = canonicalize_name(requirement.name)
        assert key in lock, f"{requirement} is declared but not in requirements/{name}.txt: run `make lock`"
        assert requirement.specifier.contains(lock[key][0], prereleases=True), (
            f"requirements/{name}.txt pins {key}=={lock[key][0]}, outside {requirement}: run `make lock`")
    # The build backend is locked too: make installs the project without build isolation.
    build = Requirement(PYPROJECT["build-system"]["requires"][0])
    assert build.specifier.contains(lock["setuptools"][0])


def test_sets_nest_and_agree() -> None:
    runtime, test, dist = LOCKS["runtime"], LOCKS["test"], LOCKS["dist"]
    assert set(runtime) <= set(test) <= set(dist)
    for package, (version, hashes) in runtime.items():
        assert test[package][0] == dist[package][0] == version, package
        assert set(hashes) == set(dist[package][1]), package
    assert "pytest" not in runtime and "pyinstaller" not in test and "pyinstaller" in dist


def test_make_installs_only_from_the_locks() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = [line for line in makefile.splitlines() if re.search(r"\bpip\b.*\binstall\b|\$\(PIP\) install", line)]
    assert installs
    for line in installs:
        if "build/minimums" in line:          # `make minimums` tests the stated lower bounds on purpose
            continue
        assert "--require-hashes" in line or "--no-deps" in line, line
        assert ".[" not in line, line
    assert "--require-hashes --no-deps -r $<" in makefile


def _third_party_imports() -> dict[str, set[str]]:
    """Top-level modules imported by the shipped packages that are neither stdlib nor the project's."""
    own = {"guideline_db", "reports", "desktop_app"}
    found: dict[str, set[str]] = {}
    for package in sorted(own):
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                for name in names:
                    top = name.split(".")[0]
                    if top not in own and top not in sys.stdlib_module_names and top != "__future__":
                        found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_imported_package_is_declared() -> None:
    runtime = {canonicalize_name(r.name) for r in declared([])}
    distributions = importlib.metadata.packages_distributions()
    undeclared = {}
    for module, files in _third_party_imports().items():
        owners = {canonicalize_name(d) for d in distributions.get(module, [module])}
        if not owners & runtime:
            undeclared[module] = sorted(files)
    assert not undeclared, f"imported but not in [project] dependencies: {undeclared}"


def test_licence_is_an_spdx_expression() -> None:
    licence = PYPROJECT["project"]["license"]
    assert isinstance(licence, str)
    assert re.fullmatch(r"(LicenseRef-[A-Za-z0-9.-]+|[A-Za-z0-9.+-]+)( (AND|OR) [A-Za-z0-9.+-]+)*", licence)
    assert importlib.metadata.metadata("abc-mdt").get("License-Expression") == licence
