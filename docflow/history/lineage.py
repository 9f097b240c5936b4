"""A unit's lineage through renames and mergers (units' `successor`), and the unit a row names."""

from __future__ import annotations

from functools import lru_cache

from docflow.config import Config
from docflow.text import fold


def lineage(config: Config, code: str) -> frozenset[str]:
    """Every unit linked to `code` through successor links, either way, `code` included."""
    return _families(config.units).get(code.upper(), frozenset({code.upper()}))


@lru_cache(maxsize=16)
def _families(units: tuple) -> dict[str, frozenset[str]]:
    """Connected groups of the successor graph: a renamed unit and its heir are one family."""
    parent = {u.code: u.code for u in units}

    def root(code: str) -> str:
        while parent[code] != code:
            parent[code] = parent[parent[code]]
            code = parent[code]
        return code

    for unit in units:
        if unit.successor and unit.successor in parent:
            parent[root(unit.code)] = root(unit.successor)
    groups: dict[str, set[str]] = {}
    for code in parent:
        groups.setdefault(root(code), set()).add(code)
    return {code: frozenset(groups[root(code)]) for code in parent}


def unit_named_in(config: Config, workplace: str, default: str) -> str:
    """The registry unit a workplace text names (the longest unit name it contains), else `default`.

    The office may load one workbook for many units; a unit's own file names its sub-units
    ("Phòng Tổ chức, Sở Y tế") and falls back to the sending unit.
    """
    return _named(tuple((fold(u.name), u.code) for u in config.units), fold(workplace)) or default


@lru_cache(maxsize=4096)
def _named(names: tuple[tuple[str, str], ...], text: str) -> str:
    best = max((n for n in names if n[0] and n[0] in text), key=lambda n: len(n[0]), default=None)
    return best[1] if best else ""
