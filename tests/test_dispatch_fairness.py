"""The embedded dispatcher serves units in turn: a unit that sent one file does not wait behind
another unit's burst, while each unit's own files keep their order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docflow.jobs import Job, Setup
from docflow.watch.pool import Pool


def pool() -> Pool:
    return Pool(2, 30.0, Setup(None, dt.datetime.now), lambda report: None)  # type: ignore[arg-type]


def take(p: Pool, slot: int) -> Job:
    job = p._next(slot)
    assert job is not None
    with p._cond:
        p._busy.pop(slot)  # done at once
    return job


def test_a_small_unit_goes_before_the_rest_of_a_big_burst():
    p = pool()
    for n in range(5):
        p.submit(Job(Path(f"inbox/SNV/de-nghi-{n}.xlsx")))
    p.submit(Job(Path("inbox/SYT/de-nghi.xlsx")))
    order = [take(p, 0).path.as_posix() for _ in range(6)]
    assert order[:2] == ["inbox/SNV/de-nghi-0.xlsx", "inbox/SYT/de-nghi.xlsx"]
    assert order[2:] == [f"inbox/SNV/de-nghi-{n}.xlsx" for n in range(1, 5)]  # still in order


def test_units_take_turns_and_one_unit_never_has_two_files_in_progress():
    p = pool()
    for n in range(3):
        for unit in ("SNV", "STC"):
            p.submit(Job(Path(f"inbox/{unit}/{n}.xlsx")))
    first = p._next(0)
    second = p._next(1)
    assert {first.sender, second.sender} == {"SNV", "STC"}
    with p._cond:
        p._busy.clear()
    rest = [take(p, 0).path.as_posix() for _ in range(4)]
    assert [r.split("/")[1] for r in rest] in (["SNV", "STC", "SNV", "STC"],
                                               ["STC", "SNV", "STC", "SNV"])
