"""A long list's pieces kept from one making to the next: each unit's run of nominations, and
each annex group made from them, so one more accepted file builds its own unit's rows only.

The nominations of the current records are the same objects from one refresh to the next (the
ledger keeps each decoded version, validation/derived.py its nominations as a NominationPart),
and the list of them knows its parts (validation.Nominations). A part's run (its unit's
nominations, split by kind, and what is made from them) hangs on the part, so it lives as long
as the record's version stays current. An annex group is kept on its first run with its runs,
its number among the groups and the stt its rows start from: a unit added at the end of the
registry order leaves every other group as it was; one added before renumbers (and so
remakes) the groups after it. A list made by hand (without parts) is cut by unit and its runs
kept in a small bounded map.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from itertools import groupby
from operator import attrgetter
from typing import Any, Callable

from docflow.config import Award, Config, ended_on, group_code_on, name_on
from docflow.documents.annex import collective_line, post_line
from docflow.documents.segments import Keyed
from docflow.text import format_number
from docflow.validation import Nomination, NominationPart, Nominations, prize

LOOSE = 2_000  # runs of lists made by hand kept, least recently used first out
_unit, _award = attrgetter("unit"), attrgetter("award")


class Run:
    """One unit's nominations in a row of the list, split by kind; treat as read-only."""

    def __init__(self, noms: list[Nomination] | tuple[Nomination, ...]) -> None:
        self.unit = noms[0].unit
        self.noms = noms
        self.collective = [n for n in noms if n.collective]
        self.individual = [n for n in noms if not n.collective]
        self.memo: dict[str, Any] = {}  # values made from the run by others (awarding)

    def kept(self, what: Any, make: Callable[["Run"], Any]) -> Any:
        """`make(self)`, made once for this run."""
        if what not in self.memo:
            self.memo[what] = make(self)
        return self.memo[what]


class Group(Keyed):
    """An annex group (`label`, `items`) whose tables are cut once."""

    def tables(self, size: int) -> list[Keyed]:
        """The group's tables of at most `size` rows; only the first has the label."""
        cut = self.__dict__.setdefault("_tables", {})
        if size not in cut:
            items = self["items"]
            cut[size] = [Keyed(label=self["label"] if start == 0 else "",
                               items=items[start:start + size])
                         for start in range(0, len(items), size)]
        return cut[size]


class _Kept:
    """A bounded, thread-safe map, least recently used first out."""

    def __init__(self, limit: int = LOOSE) -> None:
        self.limit, self._items, self._lock = limit, OrderedDict(), threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.limit:
                self._items.popitem(last=False)


_LOOSE = _Kept()


def of_award(noms: list[Nomination], award: Award) -> list[Nomination]:
    """The nominations for `award`; a list that knows its parts (validation.nominations) is
    filtered part by part, each part's result kept with it."""
    parts = getattr(noms, "parts", None)
    if parts is None:
        return [n for n in noms if n.award is award or n.award == award]
    out, mine = Nominations(), []
    for part in parts:
        if not part:
            continue
        run = _part(part)
        kept = run.memo.get(("award", id(award)))
        if kept is None or kept[0] is not award:  # an id is only an award's while it lives
            kept = run.memo[("award", id(award))] = (award, _of_award(run, award))
        out += kept[1]
        mine.append(kept[1])
    out.parts = tuple(mine)
    return out


def _of_award(run: "Run", award: Award) -> tuple[Nomination, ...]:
    if set(map(id, map(_award, run.noms))) <= {id(award)}:
        return run.noms  # the same part: its run is found again
    return NominationPart(n for n in run.noms if n.award is award or n.award == award)


def _part(part: tuple[Nomination, ...]) -> "Run":
    """The run of one part: hung on the part (a NominationPart), else kept in a small map."""
    hung = getattr(part, "__dict__", None)
    if hung is not None:
        if "run" not in hung:
            hung["run"] = Run(part)
        return hung["run"]
    key = (id(part), len(part))
    run = _LOOSE.get(key)
    if run is None or run.noms is not part:
        run = Run(part)
        _LOOSE.put(key, run)
    return run


def unit_runs(noms: list[Nomination]) -> list[Run]:
    """The list cut into runs of one unit, each found again when it is unchanged (by its parts
    when the list knows them, else by its objects)."""
    parts = getattr(noms, "parts", None)
    if parts is not None:
        return [_part(part) for part in parts if part]
    runs = []
    for _, same in groupby(noms, key=_unit):
        part = list(same)
        key = (id(part[0]), len(part))
        run = _LOOSE.get(key)
        if run is None or run.noms != part:  # same objects: compared by identity, in C
            run = Run(part)
            _LOOSE.put(key, run)
        runs.append(run)
    return runs


def count_collective(noms: list[Nomination]) -> int:
    """How many of the nominations are collectives."""
    return sum(len(run.collective) for run in unit_runs(noms))


def group(runs: list[Run], collective: bool, number: int, stt: int, label: str,
          config: Config, day: dt.date,
          make: Callable[[list[Nomination], int], tuple[list[dict], int]]) -> tuple[Group, int]:
    """The annex group `number` of the runs' nominations of one kind, its rows numbered after
    `stt`, and its amount: kept on its first run, or made by `make(nominations, stt)`."""
    slot, key = ("group", collective), (number, stt, label, day)
    got = runs[0].memo.get(slot)
    if got is not None and got[0] is config and got[1] == key and len(got[2]) == len(runs) \
            and all(a is b for a, b in zip(got[2], runs)):
        return got[3], got[4]
    items, amount = make([n for run in runs
                          for n in (run.collective if collective else run.individual)], stt)
    made = Group(label=f"{number}. {label}", items=items)
    runs[0].memo[slot] = (config, key, runs, made, amount)
    return made, amount


_TITLES = {"nam": "Ông", "nữ": "Bà"}


def _person(n: Nomination) -> str:
    title = _TITLES.get(n.gender.casefold(), "")
    return f"{title} {n.name}".strip()


def groups(noms: list[Nomination], config: Config, day: dt.date, collective: bool) -> tuple:
    """Appendix groups by unit as a document dated `day` names them (an ended unit under its
    successor or as `… (cũ)`), each item numbered across the whole list, and the total. A
    group whose rows, number and first stt are as at the last making is not made again."""
    made_groups, total, stt = [], 0, 0
    by_group: dict[str, list[Run]] = {}
    for run in unit_runs(noms):  # one unit at a time, not one row
        if run.collective if collective else run.individual:
            by_group.setdefault(group_code_on(config, run.unit, day), []).append(run)
    each: dict[str, int] = {}
    lines: dict[tuple, str] = {}  # many rows share a post: `Chuyên viên Phòng …`
    shown: dict[int, str] = {}  # and an amount
    senders: dict[str, tuple[str, bool]] = {}  # each unit looked up once, not once per row

    def make(rows: list[Nomination], first: int) -> tuple[list[dict], int]:
        items, amount = [], 0
        for stt, n in enumerate(rows, start=first + 1):
            if n.award.code not in each:
                each[n.award.code] = prize(n.award, collective, config, day)
            prize_of = each[n.award.code]
            amount += prize_of
            if prize_of not in shown:
                shown[prize_of] = format_number(prize_of)
            if n.unit not in senders:
                sender = config.unit(n.unit)
                senders[n.unit] = (sender.name if sender else "",
                                   sender is not None and ended_on(sender, day))
            key = (n.name if collective else n.position, n.workplace, *senders[n.unit])
            if key not in lines:
                lines[key] = (collective_line if collective else post_line)(*key)
            items.append({"stt": str(stt), "name": n.name if collective else _person(n),
                          "detail": lines[key], "amount": shown[prize_of],
                          "summary": n.achievements})
        return items, amount

    for unit in config.units:
        runs = by_group.get(unit.code)
        if runs:
            made, amount = group(runs, collective, len(made_groups) + 1, stt,
                                 name_on(config, unit.code, day), config, day, make)
            made_groups.append(made)
            stt += len(made["items"])
            total += amount
    return made_groups, total
