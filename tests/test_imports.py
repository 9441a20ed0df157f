"""The library's modules import in any order, and none hides an import cycle in a function.

An import cycle between two modules of playbook_lib shows when one of them is imported
first: "cannot import name ... from partially initialized module". A function-local
``from .x import y`` makes such a cycle invisible until the function runs, so it is not
allowed either, except for the few listed below with their reason.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import playbook_lib

PACKAGE = Path(playbook_lib.__file__).resolve().parent
ROOT = PACKAGE.parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = sorted(_module_name(p) for p in PACKAGE.rglob("*.py"))

# Function-local imports of playbook_lib modules that are allowed: (file, function, module)
# -> the reason. Only a real lazy import of something heavy and optional belongs here.
ALLOWED: dict[tuple[str, str, str], str] = {}

# Cycles that another branch of issue 8 removes (the exercises package is split there); each
# entry must still exist here, so the list is emptied when that work lands.
PENDING: dict[tuple[str, str, str], str] = {}


def _absolute(module: str, node: ast.ImportFrom) -> list[str]:
    """The playbook_lib modules an ``import``/``from ... import`` in ``module`` names."""
    if node.level:
        base = module.split(".")
        is_package = (PACKAGE.parent / Path(*base) / "__init__.py").exists()
        base = base if is_package else base[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    if not (target == "playbook_lib" or target.startswith("playbook_lib.")):
        return []
    if node.module is None:  # from .. import users: each name may be a module
        return [f"{target}.{a.name}" if (ROOT / Path(*target.split("."), a.name)).exists()
                or (ROOT / Path(*target.split("."), f"{a.name}.py")).exists() else target
                for a in node.names]
    return [target]


def function_local_imports() -> dict[tuple[str, str, str], int]:
    """(file, function, imported module) -> line, for every playbook_lib import in a function."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.ImportFrom):
                    targets = _absolute(module, node)
                elif isinstance(node, ast.Import):
                    targets = [a.name for a in node.names if a.name.split(".")[0] == "playbook_lib"]
                else:
                    continue
                for target in targets:
                    found.setdefault((rel, fn.name, target), node.lineno)
    return found


def test_no_function_hides_an_import_of_a_sibling():
    found = function_local_imports()
    hidden = {k: line for k, line in found.items() if k not in ALLOWED and k not in PENDING}
    assert not hidden, "move these imports to the top of their module (and break the cycle, " \
        "if one appears, by moving code down the line):\n" + "\n".join(
            f"  {file}:{line}: {func}() imports {target}"
            for (file, func, target), line in sorted(hidden.items()))
    stale = sorted(k for k in {**ALLOWED, **PENDING} if k not in found)
    assert not stale, f"no longer there, delete from ALLOWED/PENDING in {__file__}: {stale}"


def test_the_scan_finds_a_hidden_import():
    """The scan above is tried once against a module that does hide one."""
    sample = PACKAGE / "data" / "load.py"
    tree = ast.parse("def f():\n    from .checks import validate\n    from .. import users\n"
                     "    import json\n")
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found += _absolute(_module_name(sample), node)
    assert found == ["playbook_lib.data.checks", "playbook_lib.users"]


IMPORT_EVERY_ORDER = textwrap.dedent("""
    import importlib, json, random, sys, traceback

    modules = json.loads(sys.argv[1])
    failures = []

    def forget():
        for name in [m for m in sys.modules if m.split(".")[0] == "playbook_lib"]:
            del sys.modules[name]

    def load(order, label):
        forget()
        for m in order:
            try:
                importlib.import_module(m)
            except Exception:
                failures.append(f"{label}: import {m}\\n" + traceback.format_exc(limit=-3))
                return

    for m in modules:              # each module first
        load([m], f"{m} first")
    for seed in range(3):          # and all of them in a few shuffled orders
        order = list(modules)
        random.Random(seed).shuffle(order)
        load(order, f"shuffled order (seed {seed})")
    load(list(reversed(modules)), "reversed order")
    print(json.dumps(failures))
""")


def test_every_module_imports_first_and_in_any_order():
    """In a fresh interpreter: each module imported first (all playbook_lib modules forgotten
    before each, third-party ones kept, so only our own import graph runs again), then all of
    them in shuffled and reversed orders."""
    proc = subprocess.run([sys.executable, "-c", IMPORT_EVERY_ORDER, json.dumps(MODULES)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    failures = json.loads(proc.stdout.strip().splitlines()[-1])
    assert not failures, "\n\n".join(failures)
    assert len(MODULES) > 30 and "playbook_lib.data.io" in MODULES
