"""The house rules, checked on the import graph (every import, at module level or inside a function; only
``if TYPE_CHECKING:`` blocks, which never run, are left out):

* ``bitvec`` imports no other package of ours; ``isa`` and ``crypto_specs`` import only ``bitvec``;
* ``lnsym``'s stages import only themselves and the stages before them:
  errors -> cluster -> load -> machine -> symbolic -> prove -> contracts -> check -> cli
  (``lnsym.contract``, the public name of the contract language, counts as ``prove``);
  ``benchmarks`` is imported only by ``lnsym.cli`` (and by its own modules);
* no import cycle between modules;
* no module imports another module's private (``_name``) definitions;
* nothing imports ``tests``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bitvec", "isa", "crypto_specs", "lnsym", "benchmarks", "programs")
STAGES = ("errors", "cluster", "load", "machine", "symbolic", "prove", "contracts", "check", "cli")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = path
    return found


MODULES = _modules()


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node, skipping the bodies of ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            stack.extend(node.orelse)
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _resolve(name: str) -> str | None:
    """The module of ours that ``name`` (a module or a module's attribute) denotes."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every runtime import of ``module``."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for node in _runtime_nodes(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _resolve(alias.name)
                if target or alias.name.split(".")[0] == "tests":
                    out.append((target or alias.name, [], node.lineno))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] == "tests":
                out.append((base, [], node.lineno))
                continue
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if submodule in MODULES:  # from package import module
                    out.append((submodule, [], node.lineno))
                elif _resolve(base):
                    out.append((_resolve(base), [alias.name], node.lineno))  # type: ignore[arg-type]
    return out


GRAPH = {m: _imports(m) for m in MODULES}


def _stage(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "lnsym" or len(parts) == 1:
        return None
    if parts[1] == "contract":
        return STAGES.index("prove")
    return STAGES.index(parts[1]) if parts[1] in STAGES else None


def test_every_lnsym_module_belongs_to_a_stage() -> None:
    loose = [m for m in MODULES if m.startswith("lnsym.") and _stage(m) is None]
    assert not loose, f"modules outside the stage subpackages {STAGES}: {loose}"


def test_the_lower_packages_depend_only_on_bitvec() -> None:
    bad = []
    for module, imports in GRAPH.items():
        top = module.split(".")[0]
        allowed = {"bitvec": {"bitvec"}, "isa": {"bitvec", "isa"}, "crypto_specs": {"bitvec", "crypto_specs"}}.get(top)
        if allowed is None:
            continue
        bad += [f"{module}:{line} imports {target}" for target, _, line in imports
                if target.split(".")[0] not in allowed]
    assert not bad, "\n".join(bad)


def test_stages_import_only_earlier_stages() -> None:
    bad = []
    for module, imports in GRAPH.items():
        mine = _stage(module)
        for target, _, line in imports:
            if target.split(".")[0] == "benchmarks" and not module.startswith(("lnsym.cli.", "benchmarks.")):
                bad.append(f"{module}:{line} imports {target} (only lnsym.cli reaches the benchmarks)")
            theirs = _stage(target)
            if mine is not None and theirs is not None and theirs > mine:
                bad.append(f"{module}:{line} ({STAGES[mine]}) imports {target} ({STAGES[theirs]}), a later stage")
    assert not bad, "\n".join(bad)


def test_there_is_no_import_cycle() -> None:
    edges = {m: sorted({t for t, _, _ in imports if t in MODULES and t != m and not m.startswith(t + ".")})
             for m, imports in GRAPH.items()}
    edges = {m: [t for t in ts if not _is_parent_package(t, m)] for m, ts in edges.items()}
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in edges[node]:
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


def _is_parent_package(target: str, module: str) -> bool:
    """A package's ``__init__`` re-exporting one of its modules is not a cycle through its modules."""
    return module.startswith(target + ".") or (MODULES[target].name == "__init__.py"
                                               and module.startswith(target + "."))


def test_no_module_imports_a_private_name_of_another() -> None:
    bad = [f"{module}:{line} imports {name} from {target}" for module, imports in GRAPH.items()
           for target, names, line in imports for name in names
           if name.startswith("_") and not name.startswith("__")]
    assert not bad, "\n".join(bad)


def test_nothing_imports_the_tests() -> None:
    bad = [f"{module}:{line}" for module, imports in GRAPH.items() for target, _, line in imports
           if target.split(".")[0] == "tests"]
    assert not bad, bad


def test_the_checker_sees_function_level_imports_and_skips_type_checking(tmp_path: Path) -> None:
    """The walker finds an import inside a function and ignores one under ``if TYPE_CHECKING:``."""
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import a\n"
                     "def f():\n    import b\n")
    names = [alias.name for node in _runtime_nodes(tree) if isinstance(node, ast.Import) for alias in node.names]
    assert names == ["b"]


@pytest.mark.parametrize("name", ["Buffer", "BufferOut", "Contract", "Inputs", "Return", "Scalar",
                                  "load_contract_file", "check_contract"])
def test_contract_files_keep_their_public_import(name: str) -> None:
    import lnsym.contract
    import lnsym.prove.contract

    assert getattr(lnsym.contract, name) is getattr(lnsym.prove.contract, name)
