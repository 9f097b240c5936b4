"""What the provincial summary says in words: the units' statements of one section gathered into
short attributed lines, the figures of a section in one sentence, the awards by level."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from docflow.config import Config
from docflow.text import clean, fold, format_number
from docflow.validation import Nomination

# What units write when they have nothing to say; never repeated upward.
NOTHING = {fold(t) for t in ("không", "không có", "chưa có", "không có ý kiến", "không có kiến nghị",
                             "không có đề xuất", "không có tồn tại", "không có hạn chế", "-", "—",
                             "…", "...", "x", "0")}
BRIEF_CHARS = 300  # a longer statement is cut to its first sentence
# Who decides each level, as the report says it.
DECIDED_BY = {"prime_minister": "Thủ tướng Chính phủ (UBND tỉnh trình)",
              "chairman": "Chủ tịch UBND tỉnh", "unit_head": "Thủ trưởng cơ quan, đơn vị"}


def short_name(name: str) -> str:
    """A unit's name as an attribution in brackets: `UBND huyện Đại Từ`."""
    return name.replace("Ủy ban nhân dân", "UBND").replace("Ủy ban Mặt trận Tổ quốc Việt Nam",
                                                           "Ủy ban MTTQ Việt Nam")


def is_empty(text: str) -> bool:
    """True for a blank statement or one that only says there is nothing (`Không.`)."""
    core = clean(text).strip(" .;:")
    return not core or fold(core) in NOTHING


def brief(text: str) -> str:
    """A statement as one line: whole when short, else its first sentence; no final stop."""
    text = clean(text).strip(" .;")
    if len(text) > BRIEF_CHARS:
        first = re.split(r"(?<=[.;!?])\s+", text, maxsplit=1)[0].strip(" .;")
        text = first if len(first) <= BRIEF_CHARS else text[:BRIEF_CHARS].rsplit(" ", 1)[0] + " …"
    return text


def gathered(statements: list[tuple[str, str]]) -> list[str]:
    """(unit label, text) pairs as `- text (unit, unit);` lines: empty ones dropped, equal ones
    merged, each attributed; the last line ends with a full stop."""
    merged: dict[str, tuple[str, list[str]]] = {}
    for label, text in statements:
        if is_empty(text):
            continue
        line = brief(text)
        merged.setdefault(fold(line), (line, []))[1].append(short_name(label))
    lines = [f"- {line} ({', '.join(units)})" for line, units in merged.values()]
    return [f"{line}{'.' if i == len(lines) - 1 else ';'}" for i, line in enumerate(lines)]


def rate(planned: Decimal, achieved: Decimal) -> Decimal | None:
    """Achieved as a percentage of planned, to one decimal; None without a plan."""
    if not planned:
        return None
    return (achieved * 100 / planned).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def figures_sentence(names: list[str], totals: dict[str, list[Decimal]]) -> str:
    """`Số hội nghị …: 10 (đạt 100% kế hoạch); số lượt …: 2.000.` for the given indicators."""
    parts = []
    for name in names:
        planned, achieved = totals[name]
        ratio = rate(planned, achieved)
        parts.append(f"{name[:1].lower()}{name[1:]}: {format_number(achieved)}"
                     + (f" (đạt {format_number(ratio)}% kế hoạch)" if ratio is not None else ""))
    text = "; ".join(parts)
    return f"{text[:1].upper()}{text[1:]}." if text else ""


def award_rows(noms: list[Nomination], config: Config) -> list[dict[str, Any]]:
    """Per award level: who decides, collectives and individuals proposed, in config order."""
    rows = []
    for award in config.awards:
        mine = [n for n in noms if n.award == award]
        if not mine:
            continue
        collective = sum(1 for n in mine if n.collective)
        rows.append({"name": award.name, "decider": DECIDED_BY.get(award.decider, ""),
                     "collective": collective, "individual": len(mine) - collective,
                     "units": len({n.unit for n in mine})})
    return rows
