"""Several watchers (perhaps on several machines) share one inbox and one ledger: each arrival of
a file is claimed once, through a unique key in the ledger with the rename as a second guard; a
file sent again under the same name is claimed again; at start a watcher or `docflow run` resumes
only files whose claimer is gone; and a temporary another live process may be writing is never
swept away."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builders import dn_info, dn_workbook, person, workspace

from docflow.config import load
from docflow.models import Status
from docflow.pipeline import claim_inbox_file, process_all, recover
from docflow.store import claims as claims_module
from docflow.store import fsops
from docflow.store.ledger import HOST, LEASE_SECONDS
from docflow.workspace import Workspace

HERE = Path(__file__).resolve().parent
UNITS = ("SNV", "STC", "SYT")


@pytest.fixture(params=["sqlite", "postgresql"])
def config_path(request, tmp_path) -> Path:
    """The sample campaign, its ledger in SQLite or in a fresh database on the test PostgreSQL."""
    path = workspace(tmp_path)
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres").new_database()
        path.write_text(path.read_text("utf-8") + f'\n[ledger]\nurl = "{url}"\n', "utf-8")
    return path


def as_claimer(monkeypatch, host: str, pid: int) -> None:
    """From here on this test process claims as process `pid` of machine `host`."""
    monkeypatch.setattr(claims_module, "me", lambda: (host, pid, f"{host}:{pid}:1"))


def dead_pid() -> int:
    """The pid of a process of this machine that has ended."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def nomination(ws: Workspace, unit: str, name: str, nominee: str) -> Path:
    return dn_workbook(ws.inbox / unit / name, dn_info(unit), [person(nominee)])


def test_two_processes_racing_over_one_inbox_claim_every_file_exactly_once(config_path, tmp_path):
    config = load(config_path)
    for n in range(150):
        path = config.path("inbox") / UNITS[n % 3] / f"de-nghi-{n:03d}.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"tệp {n}".encode())
    start = tmp_path / "start"
    outs = [tmp_path / f"claimer-{i}.json" for i in range(2)]
    racers = [subprocess.Popen([sys.executable, str(HERE / "claim_racer.py"), str(config_path),
                                str(start), str(out)]) for out in outs]
    deadline = time.monotonic() + 60
    while not all(Path(f"{out}.ready").exists() for out in outs):
        assert time.monotonic() < deadline and all(r.poll() is None for r in racers)
        time.sleep(0.02)
    start.touch()
    assert [r.wait(60) for r in racers] == [0, 0]

    got = [json.loads(out.read_text("utf-8")) for out in outs]
    names = [name for claimed in got for name, _ in claimed]
    assert sorted(names) == sorted(f"{UNITS[n % 3]}/de-nghi-{n:03d}.xlsx" for n in range(150))
    # Which racer wins how many is up to the scheduler (SQLite's lock is not fair under load):
    # what must hold is that each file went to exactly one of them and the ledger says which.
    print(f"\n[claims] racers took {[len(claimed) for claimed in got]} of 150 files")
    works = sorted(Path(work) for claimed in got for _, work in claimed)
    assert works == sorted(config.path("state").glob("work/*/*/*.xlsx"))
    ws = Workspace.open(config, converter=None)
    for racer, claimed in zip(racers, got):
        for _, work in claimed:  # one moved claim per file, held by the process that won it
            assert ws.claims.holder_of(Path(work)).split(":")[1] == str(racer.pid)
    ws.close()


def test_a_file_another_machine_claimed_is_left_where_it_is(ws, monkeypatch):
    path = nomination(ws, "SNV", "de-nghi.xlsx", "Nguyễn Văn An")
    as_claimer(monkeypatch, "may-2", 4242)
    assert ws.claims.take(claims_module.arrival_key(path, ws.inbox)) is not None
    monkeypatch.undo()  # this machine again: the key is taken though the file could be moved

    with pytest.raises(FileNotFoundError):
        claim_inbox_file(path, ws)
    assert path.is_file() and not list(ws.state("work").rglob("*.xlsx"))
    assert process_all(ws) == [] and path.is_file()


def test_a_claimer_that_died_before_its_rename_does_not_hold_the_file_back(ws, monkeypatch):
    path = nomination(ws, "SNV", "de-nghi.xlsx", "Nguyễn Văn An")
    as_claimer(monkeypatch, HOST, dead_pid())
    ws.claims.take(claims_module.arrival_key(path, ws.inbox))
    as_claimer(monkeypatch, "may-2", 4242)  # and one on another machine, whose time ran out
    (ws.inbox / "STC").mkdir()
    other = nomination(ws, "STC", "de-nghi.xlsx", "Trần Thị Bình")
    ws.claims.take(claims_module.arrival_key(other, ws.inbox),
                   now=time.time() - claims_module.CLAIM_SECONDS - 1)
    monkeypatch.undo()

    outcomes = process_all(ws)
    assert sorted((o.unit, o.status) for o in outcomes) == [("SNV", Status.ACCEPTED),
                                                             ("STC", Status.ACCEPTED)]


def test_a_corrected_file_sent_again_under_the_same_name_is_claimed_again(ws):
    first = nomination(ws, "SNV", "de-nghi.xlsx", "Nguyễn Văn An")
    assert [o.status for o in process_all(ws)] == [Status.ACCEPTED]
    corrected = nomination(ws, "SNV", "de-nghi.xlsx", "Nguyễn Văn Anh")
    seen = corrected.stat()
    data = corrected.read_bytes()
    assert [o.status for o in process_all(ws)] == [Status.ACCEPTED]
    # the same bytes once more, even with the same time: a new arrival, answered as a duplicate
    corrected.write_bytes(data)
    os.utime(corrected, ns=(seen.st_atime_ns, seen.st_mtime_ns))
    assert [o.status for o in process_all(ws)] == [Status.DUPLICATE]

    assert [(r.name, r.status) for r in ws.ledger.files()] == [
        ("de-nghi.xlsx", Status.ACCEPTED), ("de-nghi.xlsx", Status.ACCEPTED),
        ("de-nghi.xlsx", Status.DUPLICATE)]
    assert not first.exists() and not list(ws.state("work").rglob("*.xlsx"))


def test_at_start_only_files_whose_claimer_is_gone_are_resumed(ws, monkeypatch):
    claimers = {"song-may-nay": (HOST, os.getppid()),      # alive, on this machine
                "chet-may-nay": (HOST, dead_pid()),        # killed on this machine
                "song-may-2": ("may-2", 4242),             # another machine, still beating
                "het-han-may-3": ("may-3", 4343)}          # another machine, silent too long
    works = {}
    for n, (name, (host, pid)) in enumerate(claimers.items()):
        unit = UNITS[n % 3]
        path = nomination(ws, unit, f"{name}.xlsx", f"Nguyễn Văn {n}")
        as_claimer(monkeypatch, host, pid)
        works[name], _ = claim_inbox_file(path, ws)
        if name == "het-han-may-3":
            ws.claims.hold(works[name], now=time.time() - LEASE_SECONDS - 1)
        monkeypatch.undo()

    assert sorted(w.name for w, _ in recover(ws.config)) == sorted(f"{n}.xlsx" for n in claimers)
    outcomes = process_all(ws)
    assert sorted(o.name for o in outcomes) == ["chet-may-nay.xlsx", "het-han-may-3.xlsx"]
    assert {o.status for o in outcomes} == {Status.ACCEPTED}
    assert works["song-may-nay"].is_file() and works["song-may-2"].is_file()
    assert ws.claims.holder_of(works["song-may-2"]) == "may-2:4242:1"


def test_recovery_sweeps_only_temporaries_that_are_certainly_abandoned(tmp_path):
    outbox = tmp_path / "outbox" / "SNV"
    outbox.mkdir(parents=True)
    here = fsops._HOST_TAG
    parts = {"mine": f".Phieu.docx.{os.getpid()}@{here}.a1b2c3.part",
             "dead-here": f".Phieu.docx.{dead_pid()}@{here}.a1b2c3.part",
             "other-machine": ".Phieu.docx.4242@may-2.a1b2c3.part",
             "other-machine-old": ".Bao-cao.docx.4242@may-2.d4e5f6.part",
             "unnamed": ".Phieu.docx.0f0f0f.part",
             "unnamed-old": ".Bao-cao.docx.0f0f0f.part"}
    for key, name in parts.items():
        (outbox / name).write_bytes(b"dang ghi")
        if key.endswith("-old"):
            old = time.time() - fsops.PART_MAX_AGE - 60
            os.utime(outbox / name, (old, old))
    written = fsops.stage(b"x", outbox / "Moi.docx")  # what this process writes is named so
    assert fsops._WRITER.search(written.name).groups() == (str(os.getpid()), here)

    fsops.sweep_parts(tmp_path / "outbox")
    left = {p.name for p in outbox.iterdir()}
    assert left == {parts["mine"], parts["other-machine"], parts["unnamed"], written.name}
