"""The house's plan holds: arrows point down the floors of docs/architecture.md, rooms meet at
their doors, no import loop, and the catalog of document kinds is complete."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from docflow.catalog import KINDS
from docflow.documents.checks import _samples

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "docflow"


def floors() -> dict[str, int]:
    """Room → floor, read from the table in docs/architecture.md."""
    text = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    table: dict[str, int] = {}
    for floor, rooms in re.findall(r"^\| (\d+) \| ([^|]+) \|", text, re.M):
        for room in rooms.split(","):
            table[room.strip().replace("\\_", "_")] = int(floor)
    return table


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "docflow"


def imports(path: Path, top_level_only: bool = False, resolve: bool = False) -> list:
    """(imported docflow module, line) for every import in a file, nested ones too; with
    `resolve`, the modules alone, `from docflow.x import y` naming docflow.x.y when y is one."""
    tree = ast.parse(path.read_text("utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    if resolve:
        return [f"{node.module}.{a.name}" if _is_module(f"{node.module}.{a.name}") else node.module
                for node in nodes if isinstance(node, ast.ImportFrom) and node.level == 0
                and (node.module or "").split(".")[0] == "docflow" for a in node.names]
    found = []
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                and node.module.split(".")[0] == "docflow":
            if node.module == "docflow":
                found += [(f"docflow.{a.name}" if a.name != "__version__" else "docflow",
                           node.lineno) for a in node.names]
            else:
                found.append((node.module, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names
                      if a.name.split(".")[0] == "docflow"]
    return found


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "uno_bridge.py")


def test_every_room_of_the_package_has_a_floor_in_the_plan():
    table = floors()
    rooms = {room(module_name(p)) for p in SOURCES}
    assert rooms <= set(table), f"add these to docs/architecture.md: {sorted(rooms - set(table))}"


def test_the_top_level_holds_at_most_a_dozen_modules():
    top = [p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    assert len(top) <= 12, sorted(top)


def test_every_arrow_points_to_a_lower_floor():
    table = floors()
    wrong = []
    for path in SOURCES:
        here = room(module_name(path))
        for target, line in imports(path):
            there = room(target)
            if there != here and table.get(there, 99) >= table.get(here, -1):
                wrong.append(f"{path.relative_to(ROOT)}:{line} {here} (floor {table.get(here)}) "
                             f"→ {there} (floor {table.get(there)})")
    assert not wrong, "\n".join(wrong)


def test_other_rooms_come_in_by_the_door():
    wrong = []
    for path in SOURCES:
        here = room(module_name(path))
        for target, line in imports(path):
            parts = target.split(".")
            inner = len(parts) > 2 and (PACKAGE / parts[1]).is_dir()
            if inner and room(target) != here:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target}; use "
                             f"docflow.{parts[1]}'s __init__ names")
    assert not wrong, "\n".join(wrong)


def test_no_import_loop_between_modules():
    graph: dict[str, set[str]] = {}
    for path in SOURCES:
        name = module_name(path)
        graph[name] = set()
        graph[name].update(t for t in imports(path, top_level_only=True, resolve=True)
                           if t != name)
    state: dict[str, int] = {}
    loop: list[str] = []

    def visit(node: str, trail: list[str]) -> bool:
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                loop.extend(trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt])
                return True
            if state.get(nxt) is None and visit(nxt, trail + [nxt]):
                return True
        state[node] = 2
        return False

    for start in sorted(graph):
        if state.get(start) is None and visit(start, [start]):
            break
    assert not loop, " → ".join(loop)


def test_every_kind_in_the_catalog_has_its_template_and_a_sample(ws):
    config = ws.config
    samples = _samples(config, dt.datetime(2025, 12, 1, 9, 0))
    templates = config.path("templates")
    for kind in KINDS:
        assert (templates / kind.template).is_file(), f"{kind.name}: no {kind.template}"
        assert samples.get(kind.name), f"{kind.name}: no sample context in documents/checks.py"


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_catalog_rows_speak_to_people_in_vietnamese(kind):
    assert kind.title and kind.title[0].isupper()
    assert kind.audience in ("sender", "province")
    assert set(kind.feeds) <= {"DK", "BC", "DN", "LS"}
