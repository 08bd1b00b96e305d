"""The layout's rules, read from the code itself (docs/architecture.md explains them):

- no import cycle among kb modules, counting imports made inside functions;
- kb/text/ is pure Python: it imports nothing from Django's ORM, kb.models or any kb layer above it;
- kb/models/ reaches into no service or selector;
- template tags run no queries: they import neither the ORM, nor models, nor selectors.

The modules are parsed, never imported, so a lazy import counts like any other.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

KB = Path(__file__).resolve().parent.parent / "kb"


def _module_name(path: Path) -> str:
    parts = path.relative_to(KB.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(KB.rglob("*.py"))}


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Every module `name` imports, wherever the import statement stands (top level, function, class)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                submodule = f"{module}.{alias.name}"
                # `from kb.services import claims` imports the module kb.services.claims.
                found.add(submodule if submodule in MODULES else module)
    return found


IMPORTS = {name: _imports(name, path) for name, path in MODULES.items()}


def _graph() -> dict[str, set[str]]:
    return {name: {target for target in targets if target in MODULES and target != name} for name, targets in IMPORTS.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle in the graph as a path [a, b, ..., a], or None."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(graph, WHITE)
    stack: list[str] = []

    def visit(node):
        colour[node] = GREY
        stack.append(node)
        for target in sorted(graph[node]):
            if colour[target] == GREY:
                return stack[stack.index(target) :] + [target]
            if colour[target] == WHITE and (found := visit(target)):
                return found
        stack.pop()
        colour[node] = BLACK
        return None

    for node in sorted(graph):
        if colour[node] == WHITE and (found := visit(node)):
            return found
    return None


def test_the_module_list_is_the_whole_package():
    assert {"kb.models", "kb.text.cues", "kb.services.sources", "kb.views.editing"} <= set(MODULES)
    assert len(MODULES) > 60


def test_the_cycle_finder_finds_a_cycle_through_a_lazy_import():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_among_kb_modules():
    cycle = _cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def _offending(prefix: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    bad = {}
    for name, targets in IMPORTS.items():
        if name == prefix or name.startswith(prefix + "."):
            hits = sorted(t for t in targets if any(t == f or t.startswith(f + ".") for f in forbidden))
            if hits:
                bad[name] = hits
    return bad


def test_text_is_pure_python():
    allowed_kb = ("kb.text",)
    leaks = _offending("kb.text", ("django.db", "django.apps", "django.contrib", "kb.models"))
    for name, targets in IMPORTS.items():
        if name.startswith("kb.text"):
            outside = sorted(t for t in targets if t.startswith("kb.") and not t.startswith(allowed_kb))
            if outside:
                leaks.setdefault(name, []).extend(outside)
    assert leaks == {}


def test_models_reach_into_no_service_or_selector():
    assert _offending("kb.models", ("kb.services", "kb.selectors", "kb.views", "kb.forms")) == {}


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith("kb.templatetags.")))
def test_template_tags_run_no_queries(name):
    forbidden = ("django.db", "kb.models", "kb.selectors", "kb.services")
    assert sorted(t for t in IMPORTS[name] if any(t == f or t.startswith(f + ".") for f in forbidden)) == []


def test_the_architecture_page_names_every_folder_of_kb():
    page = (KB.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    folders = sorted({name.split(".")[1] for name in MODULES if name.count(".") >= 2})
    missing = [folder for folder in folders if f"kb/{folder}/" not in page and folder not in ("migrations",)]
    assert missing == []
