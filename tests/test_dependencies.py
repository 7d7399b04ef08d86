"""Every third-party package tracer imports is declared in pyproject.toml (not merely
pulled in by something else, or by the `test` extra)."""
import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from paths import ROOT


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        specs += extra
    return {_norm(re.split(r"[\s\[<>=!~;]", s, maxsplit=1)[0]) for s in specs}


def _imported() -> dict[str, str]:
    """Top-level modules imported anywhere in tracer/ -> a file importing it."""
    found: dict[str, str] = {}
    for path in (ROOT / "tracer").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def test_every_imported_package_is_declared():
    declared = _declared()
    dists = packages_distributions()
    missing = []
    for module, where in sorted(_imported().items()):
        if module in sys.stdlib_module_names or module in ("tracer", "__future__"):
            continue
        names = dists.get(module)
        assert names, f"{module} (imported in {where}) is not installed"
        if not any(_norm(n) in declared for n in names):
            missing.append(f"{module} ({', '.join(names)}; {where})")
    assert not missing, "imported but not declared in pyproject.toml: " + "; ".join(missing)
