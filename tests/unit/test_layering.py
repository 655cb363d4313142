"""Dependencies run one way: ``attributions`` builds on ``articles``, never the reverse, and
nobody hides an import inside a function to get round a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _modules(app: str) -> list[Path]:
    return [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


def _imports(path: Path) -> list[tuple[str, bool]]:
    """Every module ``path`` imports, and whether the import sits inside a function (but for
    an app's ``AppConfig.ready``, Django's place for what needs the models loaded)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def hides(child: ast.AST) -> bool:
        if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            return False
        return not (path.name == "apps.py" and child.name == "ready")

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = nested or hides(child)
            if isinstance(child, ast.Import):
                found.extend((alias.name, inner) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module:
                found.append((child.module, inner))
            visit(child, inner)

    visit(tree, False)
    return found


@pytest.mark.parametrize("path", _modules("articles"), ids=lambda p: str(p.relative_to(ROOT)))
def test_articles_never_imports_attributions(path):
    offending = [name for name, _ in _imports(path) if name.split(".")[0] == "attributions"]
    assert offending == []


@pytest.mark.parametrize(
    "path", _modules("articles") + _modules("attributions"), ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_project_import_hides_inside_a_function(path):
    own = {"articles", "attributions", "project"}
    hidden = [name for name, nested in _imports(path) if nested and name.split(".")[0] in own]
    assert hidden == []
