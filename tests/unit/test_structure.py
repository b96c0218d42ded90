"""The tree is the data-flow map, measured from the code's own imports: `lib/` is stage packages
that know nothing of Dagster, no module imports its way back to itself (at module or function
level), and no file grows past what a reader takes in at once."""

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "orchestration"
LIB = PACKAGE / "lib"
MAX_LINES = 450
MAX_LIB_MODULES = 6  # directly in lib/: the rest live in its stage packages


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imported(path: Path) -> set[str]:
    """Every module an `import` anywhere in the file names: at the top, in a function, or
    under TYPE_CHECKING (each `from a import b` names `a`, and `a.b` where that is a module)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imported(path) & set(found) for name, path in found.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), and any module
    that imports itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1 or node in graph[node]:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_circle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_its_way_back_to_itself():
    graph = import_graph()
    assert sum(len(edges) for edges in graph.values()) > 150  # the graph was read
    assert cycles(graph) == []


def test_lib_knows_nothing_of_dagster():
    dagster = {
        module_name(path): sorted(n for n in imported(path) if n.startswith("dagster"))
        for path in LIB.rglob("*.py")
    }
    assert {name: names for name, names in dagster.items() if names} == {}


def test_lib_is_stage_packages():
    direct = sorted(path.name for path in LIB.glob("*.py") if path.name != "__init__.py")
    assert len(direct) <= MAX_LIB_MODULES, direct
    packages = sorted(path.name for path in LIB.iterdir() if (path / "__init__.py").exists())
    for stage in ("delivery", "reading", "validation", "loading", "publishing", "dbt", "report"):
        assert stage in packages
    # a package says what it holds: its docstring is the first thing a reader opens
    for package in packages:
        tree = ast.parse((LIB / package / "__init__.py").read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), package


def test_no_python_file_is_longer_than_a_reader_takes_in():
    long = {
        str(path.relative_to(REPO)): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_each_indicator_is_declared_once():
    """An indicator's terms are its one statement: its value is computed from them
    (int_indicator_values) and its provenance lists them; no model beside them computes the
    same indicator again."""
    models = REPO / "dbt_project" / "models"
    names = {path.stem for path in models.rglob("*.sql")}
    traced = {name.removesuffix("_traced") for name in names if name.endswith("_traced")}
    assert len(traced) == 6
    assert [name for name in names if name.endswith("_computed")] == []
    values = (models / "intermediate" / "int_indicator_values.sql").read_text(encoding="utf-8")
    provenance = (models / "marts" / "provenance" / "fct_indicator_provenance.sql").read_text(
        encoding="utf-8"
    )
    for sql in (values, provenance):
        assert "_indicators_traced" in sql
    # every indicator code of the catalogue is declared in exactly one model's terms
    catalogue = (REPO / "dbt_project" / "seeds" / "ref_indicators.csv").read_text(encoding="utf-8")
    codes = [line.split(",")[0] for line in catalogue.splitlines()[1:] if line.strip()]
    texts = {path.stem: path.read_text(encoding="utf-8") for path in models.rglob("*_traced.sql")}
    for code in codes:  # taking another model's terms (`where indicator_code = '…'`) is not
        declaring = [  # declaring them again
            name
            for name, text in texts.items()
            if f"'{code}'" in text.replace(f"indicator_code = '{code}'", "")
        ]
        assert len(declaring) == 1, (code, declaring)
