"""The arrows point down. Walks every import in apps/ — those inside functions too, they are imports all
the same — and fails on an arrow up a floor, on a module cycle, and on the local rules of an app's shape
(models import nothing above them; services and selectors never import tasks).

The floors (docs/architecture.md): an app may import only apps on a lower floor, and its own modules.
Upper apps hand things to lower ones by registering them in AppConfig.ready() (apps.core.registry,
apps.eligibility.providers, apps.imports.specs), never by the lower one importing upward.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ROOT / "apps"

FLOORS = {
    "core": 0,
    "accounts": 1,
    "eligibility": 2,
    "imports": 2,
    "notifications": 2,
    "integrations": 2,
    "documents": 2,
    "payments": 3,
    "publicity": 3,
    "objections": 3,
    "applicants": 3,
    "employers": 3,
    "refunds": 4,
    "training": 4,
    "childcare": 4,
    "child_welfare": 4,
    "gig": 4,
    "fraud": 4,
    "public_posts": 4,
    "eldercare": 4,
    "startup_loans": 4,
    "portal": 5,
}
# Modules of an app that hold models (and nothing above them).
MODEL_MODULES = ("models", "calculators")  # calculators are pure: below the models they feed
# Modules that may not import a tasks module: tasks import services, never the reverse.
NO_TASKS_FROM = ("models", "services", "selectors", "filters")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Every `apps.*` module this one imports, at any depth, except under `if TYPE_CHECKING:`."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {name for name in found if name == "apps" or name.startswith("apps.")}


def _graph() -> dict[str, set[str]]:
    files = [p for p in APPS.rglob("*.py") if "migrations" not in p.parts]
    modules = {_module_name(p): p for p in files}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        targets = _imports(tree, name, path.name == "__init__.py")
        # Keep the names that are modules; `from apps.x.models import Thing` resolves to apps.x.models.
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


GRAPH = _graph()


def _app(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 1 else ""


def _local(module: str) -> str:
    """apps.training.services.claims → services; apps.training.models → models."""
    parts = module.split(".")
    return parts[2] if len(parts) > 2 else ""


def test_every_app_has_a_floor():
    apps = {p.name for p in APPS.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert apps <= set(FLOORS), f"give these apps a floor in FLOORS and docs/architecture.md: {apps - set(FLOORS)}"


def test_no_arrow_points_up_or_sideways():
    wrong = sorted(
        f"{source} → {target}"
        for source, targets in GRAPH.items()
        for target in targets
        if _app(source) != _app(target) and FLOORS.get(_app(target), 99) >= FLOORS.get(_app(source), -1)
    )
    assert not wrong, "imports that point up or across a floor:\n" + "\n".join(wrong)


def test_core_imports_no_other_app():
    wrong = sorted(f"{s} → {t}" for s, ts in GRAPH.items() if _app(s) == "core" for t in ts if _app(t) != "core")
    assert not wrong, "\n".join(wrong)


def test_eligibility_imports_only_the_kernel():
    wrong = sorted(f"{s} → {t}" for s, ts in GRAPH.items() if _app(s) == "eligibility"
                   for t in ts if _app(t) not in ("eligibility", "core", "accounts"))
    assert not wrong, "\n".join(wrong)


def test_models_import_nothing_above_them():
    wrong = sorted(
        f"{s} → {t}" for s, ts in GRAPH.items() if _local(s) in MODEL_MODULES
        for t in ts if _app(t) == _app(s) and _local(t) not in MODEL_MODULES
    )
    assert not wrong, "\n".join(wrong)


def test_services_never_import_tasks():
    wrong = sorted(f"{s} → {t}" for s, ts in GRAPH.items() if _local(s) in NO_TASKS_FROM
                   for t in ts if _local(t) == "tasks")
    assert not wrong, "\n".join(wrong)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one module (or a self-loop)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0

    def strongconnect(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                strongconnect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            strongconnect(node)
    return components


def _package_edges_removed(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """A package's __init__ re-exporting its submodules is not a cycle with them; everything else is."""
    return {s: {t for t in ts if not (t.startswith(s + ".") or s.startswith(t + "."))} for s, ts in graph.items()}


def test_no_module_cycles():
    cycles = _cycles(_package_edges_removed(GRAPH))
    assert not cycles, "module cycles:\n" + "\n".join(" ⇄ ".join(c) for c in cycles)


@pytest.mark.parametrize("source, expected", [
    ("import apps.core.models\ndef f():\n    from apps.training import services\n",
     {"apps.core.models", "apps.training", "apps.training.services"}),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from apps.training.models import X\n", set()),
])
def test_the_walker_sees_imports_inside_functions_and_skips_type_checking(source, expected):
    assert _imports(ast.parse(source), "apps.core.x", False) == expected


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
