"""Structure figures for the house rules (issue 16): run `python scripts/structure.py`.

Prints, for the product's source (not tests, migrations or third-party code):
- the largest files by line count;
- function-local imports, each with the comment on its line or the line above (its reason);
- import circles inside each app (module-level imports only, between the app's own modules);
- private names (``_x``) imported from another file.

Only the standard library: it reads the files with ``ast`` and imports nothing of the project.
"""

from __future__ import annotations

import ast
import builtins
import functools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("portal", "performance", "leaderboard", "training", "cms", "benchmarks", "scripts")
SKIP_PARTS = {"migrations", "tests", "__pycache__", ".venv", "node_modules"}


def source_files() -> list[Path]:
    files = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if SKIP_PARTS.intersection(path.relative_to(ROOT).parts):
                continue
            files.append(path)
    return files


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def local_imports(tree: ast.AST) -> list[ast.stmt]:
    found = []

    class Visitor(ast.NodeVisitor):
        depth = 0

        def visit_FunctionDef(self, node):
            self.depth += 1
            self.generic_visit(node)
            self.depth -= 1

        visit_AsyncFunctionDef = visit_FunctionDef

        def visit_Import(self, node):
            if self.depth:
                found.append(node)

        visit_ImportFrom = visit_Import

    Visitor().visit(tree)
    return found


def module_imports(module: str, tree: ast.Module, is_package: bool, known: set[str], deep=False):
    """Imports that name project modules: module level only, or (``deep``) every import, also those
    inside functions (a circle closed by a function-local import is still a circle)."""
    targets = set()
    for node in ast.walk(tree) if deep else tree.body:
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = resolve(module, node, is_package)
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
    return targets


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []
    counter = [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in graph:
        if v not in index:
            strong(v)
    return result


def main() -> int:
    print = functools.partial(builtins.print, file=sys.stdout)  # a report: printing is its job
    files = source_files()
    trees = {path: ast.parse(path.read_text(), str(path)) for path in files}
    modules = {module_name(path): path for path in files}
    known = set(modules)

    print("Largest files (lines):")
    sizes = sorted(((len(p.read_text().splitlines()), p) for p in files), reverse=True)
    for lines, path in sizes[:8]:
        print(f"  {lines:5d}  {path.relative_to(ROOT)}")

    print("\nFunction-local imports (benchmarks and scripts set Django up first; listed apart):")
    total = tooling = 0
    for path, tree in trees.items():
        lines = path.read_text().splitlines()
        for node in local_imports(tree):
            if path.relative_to(ROOT).parts[0] in ("benchmarks", "scripts"):
                tooling += 1
                continue
            total += 1
            here = lines[node.lineno - 1]
            above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
            reason = here.partition("#")[2].strip() or (
                above[1:].strip() if above.startswith("#") else ""
            )
            print(f"  {path.relative_to(ROOT)}:{node.lineno}  {here.strip()[:70]}")
            print(f"      reason: {reason or '(none given)'}")
    print(f"  total: {total} in the product ({tooling} more in benchmarks/ and scripts/)")

    for deep, title in ((False, "module level"), (True, "counting function-local imports too")):
        print(f"\nImport circles inside an app ({title}):")
        graph = {}
        for module, path in modules.items():
            graph[module] = {
                target
                for target in module_imports(
                    module, trees[path], path.name == "__init__.py", known, deep=deep
                )
                if target.split(".")[0] == module.split(".")[0]
            }
        found = circles(graph)
        for component in found:
            print("  " + " <-> ".join(component))
        print(f"  total: {len(found)}")

    print("\nPrivate names imported from another file:")
    private = 0
    for path in modules.values():
        for node in ast.walk(trees[path]):
            if isinstance(node, ast.ImportFrom) and (
                node.level or (node.module or "").split(".")[0] in APPS
            ):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        private += 1
                        print(f"  {path.relative_to(ROOT)}:{node.lineno}  {alias.name}")
    print(f"  total: {private}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
