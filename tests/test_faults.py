"""Faults: a process killed at any moment, a failing write, a broken config, a locked ledger, load.

Whatever happens, every received file ends exactly once in state/archive/ or state/rejected/ with
all of its answers, nothing half-written is visible in outbox/, and the administrator hears about
what could not be done. The crash tests run docflow in real processes and kill them with SIGKILL
(tests/fault_worker.py forks them from a process that has already imported docflow).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import re
import resource
import select
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from builders import DATA, FixedClock, bc_workbook, dn_info, dn_workbook, person, workspace
from docx import Document
from docx_reader import full_text
from openpyxl import load_workbook

import docflow.store.fsops
from docflow.cli import main
from docflow.config import load
from docflow.pipeline import process_all
from docflow.workspace import Workspace

WORKER = Path(__file__).with_name("fault_worker.py")
SEED = 20251201
TRIALS = 30
DECISION = "_tong-hop/Quyet-dinh-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx"
SUMMARY = "_tong-hop/Bao-cao-tong-hop-ket-qua-Nam-2025"


# --- workspaces --------------------------------------------------------------------------------

def open_ws(config: Path, clock: Any = None) -> Workspace:
    """The workspace as `docflow run` opens it, Word only (these tests are about files)."""
    loaded = load(config)
    try:
        return Workspace.open(loaded, clock or FixedClock(), converter=None)
    except TypeError:  # a Workspace without a converter parameter
        return Workspace.open(loaded, clock or FixedClock())


@dataclass(frozen=True)
class Sent:
    """One file a unit dropped, and how it must end."""

    folder: str
    name: str
    data: bytes
    status: str                       # accepted | rejected
    nominees: tuple[str, ...] = ()    # names the award decision must list when accepted
    report: bool = False              # a BC report: feeds the provincial summary

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> list[Sent]:
    """A few files of every kind of ending: two nominations, a report, two rejections."""
    src = tmp_path_factory.mktemp("batch")
    return [
        Sent("SNV", "de-nghi.xlsx", dn_workbook(src / "1.xlsx", dn_info("SNV"),
                                                [person("Nguyễn Văn An")]).read_bytes(),
             "accepted", ("Ông Nguyễn Văn An",)),
        Sent("SYT", "de-nghi.xlsx", dn_workbook(src / "2.xlsx", dn_info("SYT"),
                                                [person("Lê Thị Bình", "Nữ")]).read_bytes(),
             "accepted", ("Bà Lê Thị Bình",)),
        Sent("SNV", "bao-cao.xlsx",
             bc_workbook(src / "3.xlsx", "SNV", [3, 300, 12, 2, 1, 4]).read_bytes(),
             "accepted", report=True),
        Sent("STC", "de-nghi-loi.xlsx", dn_workbook(src / "4.xlsx", dn_info("STC"), [
            person("Trần Văn Cường", gender="?")]).read_bytes(), "rejected"),
        Sent("SGDDT", "rong.xlsx", b"", "rejected"),
    ]


def drop(root: Path, batch: list[Sent]) -> None:
    """Put the batch in the inbox, oldest first in the order given."""
    for i, sent in enumerate(batch):
        path = root / "inbox" / sent.folder / sent.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(sent.data)
        os.utime(path, (1_700_000_000 + i, 1_700_000_000 + i))


def recover(config: Path) -> None:
    """The next start: everything claimed before, and everything still in the inbox."""
    ws = open_ws(config)
    try:
        process_all(ws)
    finally:
        ws.close()


# --- what "settled" means ----------------------------------------------------------------------

def hidden_in_outbox(root: Path) -> list[str]:
    """Temporary or partial files in outbox/: names starting with a dot or ending in .part."""
    return sorted(str(p.relative_to(root / "outbox")) for p in (root / "outbox").rglob("*")
                  if p.name.startswith(".") or p.name.endswith(".part"))


def ledger_rows(root: Path) -> list[dict[str, Any]]:
    db = sqlite3.connect(root / "state" / "ledger.sqlite3")
    db.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in db.execute("SELECT * FROM files ORDER BY id")]
    finally:
        db.close()


def output_paths(row: dict[str, Any]) -> list[str]:
    return [o["path"] if isinstance(o, dict) else o for o in json.loads(row["outputs"] or "[]")]


def opens(path: Path) -> bool:
    """A document a reader can open: complete, not half-written."""
    try:
        if path.suffix == ".docx":
            Document(str(path))
        elif path.suffix == ".xlsx":
            load_workbook(path, read_only=True).close()
        elif path.suffix == ".txt":
            path.read_text("utf-8")
        return True
    except Exception:  # noqa: BLE001 — any failure to open is the finding
        return False


@dataclass
class Findings:
    """What is wrong with a workspace after the last run; `known` are the faults marked xfail."""

    wrong: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)


def settled(root: Path, batch: list[Sent]) -> Findings:
    """Every file once in archive/rejected with its answers; nothing left; nothing partial."""
    f = Findings()
    outbox, state = root / "outbox", root / "state"
    left = [p for p in (root / "inbox").rglob("*") if p.is_file()]
    left += [p for p in (state / "work").rglob("*") if p.is_file()
             and not any(part.startswith(".") for part in p.relative_to(state).parts)]
    f.wrong += [f"left unprocessed: {p.relative_to(root)}" for p in left]
    kept = {}
    for area in ("archive", "rejected"):
        for p in (state / area).rglob("*"):
            if p.is_file():
                kept.setdefault(hashlib.sha256(p.read_bytes()).hexdigest(), []).append(
                    p.relative_to(state))
    rows = ledger_rows(root)
    f.wrong += [f"ledger row {r['id']} ({r['unit']}/{r['name']}) still {r['status']}"
                for r in rows if r["status"] not in ("accepted", "rejected")]
    for sent in batch:
        who = f"{sent.folder}/{sent.name}"
        area = "archive" if sent.status == "accepted" else "rejected"
        copies = kept.get(sent.digest, [])
        if [c.parts[:2] for c in copies] != [(area, sent.folder)]:
            f.wrong.append(f"{who}: original kept as {[str(c) for c in copies]}, expected once "
                           f"in {area}/{sent.folder}/")
        mine = [r for r in rows if r["sha256"] == sent.digest and r["unit"] == sent.folder]
        if [r["status"] for r in mine] != [sent.status]:
            f.wrong.append(f"{who}: ledger rows {[(r['id'], r['status']) for r in mine]}")
        for r in mine:
            missing = [p for p in output_paths(r) if not Path(p).is_file()]
            f.wrong += [f"{who}: ledger lists {p} but it is not there" for p in missing]
            stored = Path(r["stored_path"]) if r["stored_path"] else None
            if stored is None or not stored.is_file() or \
                    hashlib.sha256(stored.read_bytes()).hexdigest() != sent.digest:
                f.known.append(f"{who}: ledger does not say where the original is "
                               f"(stored_path={r['stored_path']}, work_path={r['work_path']})")
        stem = Path(sent.name).stem
        kind = "Phieu-tiep-nhan" if sent.status == "accepted" else "Phieu-bao-loi"
        answers = sorted((outbox / sent.folder).glob(f"*-{kind}-{stem}.docx"))
        if len(answers) != 1:
            f.wrong.append(f"{who}: {len(answers)} {kind} in outbox/{sent.folder}/, expected 1")
        elif sent.name not in full_text(answers[0]):
            f.wrong.append(f"{who}: {answers[0].name} does not name the file")
        if sent.status == "rejected" and len(list((outbox / sent.folder).glob(
                f"*-Phieu-bao-loi-{stem}.txt"))) != 1:
            f.wrong.append(f"{who}: the text twin of the Phiếu báo lỗi is missing")
    decision = outbox / DECISION
    wanted = [n for s in batch if s.status == "accepted" for n in s.nominees]
    if wanted:
        text = full_text(decision) if decision.is_file() else ""
        f.wrong += [f"{DECISION} does not list {n}" for n in wanted if n not in text]
    if any(s.report and s.status == "accepted" for s in batch):
        f.wrong += [f"{SUMMARY}{ext} missing" for ext in (".docx", ".xlsx")
                    if not (outbox / f"{SUMMARY}{ext}").is_file()]
    visible = [p for p in outbox.rglob("*") if p.is_file() and not p.name.startswith(".")]
    f.wrong += [f"{p.relative_to(outbox)} is visible but does not open" for p in visible
                if not opens(p)]
    f.known += [f"partial file left in outbox: {name}" for name in hidden_in_outbox(root)]
    return f


# --- the worker process -------------------------------------------------------------------------

class Worker:
    """tests/fault_worker.py: one job at a time, each in a child process we may kill."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, str(WORKER)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, cwd=WORKER.parent.parent)
        self._buffer = b""
        ready = self.line(timeout=60)
        assert ready and "ready" in ready, "fault_worker.py did not start"

    def line(self, timeout: float) -> dict[str, Any] | None:
        """The next line the worker writes, or None when none comes within `timeout`."""
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                return None
            chunk = os.read(fd, 4096)
            if not chunk:
                raise AssertionError("fault_worker.py exited")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def start(self, **job: Any) -> int:
        job["config"] = str(job["config"])
        self.proc.stdin.write((json.dumps(job) + "\n").encode())
        self.proc.stdin.flush()
        started = self.line(timeout=30)
        assert started and "pid" in started
        return int(started["pid"])

    def run(self, timeout: float = 120, **job: Any) -> dict[str, Any]:
        """Run one job to its end (natural or by a crash point)."""
        self.start(**job)
        ended = self.line(timeout=timeout)
        assert ended is not None, f"job {job} did not end within {timeout} s"
        return ended

    def close(self) -> None:
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def worker():
    w = Worker()
    yield w
    w.close()


# --- kill -9 ------------------------------------------------------------------------------------

def test_kill_9_at_random_moments_never_loses_or_duplicates_a_file(worker, batch, tmp_path):
    rng = random.Random(SEED)
    runs = []
    # The shortest of three whole runs: the first one in a fresh worker may take twice as long
    # as the others, and kill moments drawn past a run's end would kill nothing.
    for calibration in range(3):
        base = workspace(tmp_path / f"calibrate-{calibration}")
        drop(base.parent, batch)
        began = time.monotonic()
        assert worker.run(config=base)["code"] == 0
        runs.append(time.monotonic() - began)
        assert not settled(base.parent, batch).wrong
    full_run = min(runs)
    killed, seen_running, problems, known = 0, set(), [], []
    for trial in range(TRIALS):
        config = workspace(tmp_path / f"trial-{trial:02d}")
        root = config.parent
        drop(root, batch)
        # a run under load may end sooner than the calibration runs: aim inside it
        delay = rng.uniform(0, 0.9 * full_run)
        began = time.monotonic()
        pid = worker.start(config=config)
        ended = None
        while ended is None and time.monotonic() - began < delay:
            ended = worker.line(timeout=0.005)
            seen_running.update(hidden_in_outbox(root))  # sampled while the child writes
        if ended is None:
            os.kill(pid, signal.SIGKILL)
            ended = worker.line(timeout=60)
            assert ended is not None
        killed += ended["signal"] == signal.SIGKILL
        recover(config)
        found = settled(root, batch)
        problems += [f"trial {trial} (killed after {delay:.3f} s): {w}" for w in found.wrong]
        known += [f"trial {trial} (killed after {delay:.3f} s): {k}" for k in found.known]
    print(f"\n[kill -9] {TRIALS} trials of {len(batch)} files, {killed} killed mid-way "
          f"(full run {full_run:.1f} s), {len(problems)} lost or duplicated")
    assert killed >= TRIALS // 2, f"only {killed} of {TRIALS} runs were killed mid-way"
    assert not problems, "\n".join(problems)
    assert not known, "\n".join(known[:5])
    assert not seen_running, f"temporaries visible in outbox while running: {sorted(seen_running)}"


@pytest.mark.parametrize("point", [
    "after-claim", "after-begin",
    pytest.param("mid-deliver"),
    "between-deliveries", "after-finish",
    pytest.param("after-store"),
])
def test_a_crash_at_each_step_is_finished_by_the_next_start(worker, batch, tmp_path, point):
    config = workspace(tmp_path / "ws")
    root = config.parent
    drop(root, batch)
    ended = worker.run(config=config, crash=point, log=str(tmp_path / "child.log"))
    assert ended["signal"] == signal.SIGKILL, f"the crash point {point} was never reached"
    at_crash = hidden_in_outbox(root)
    recover(config)
    found = settled(root, batch)
    assert not found.wrong, "\n".join(found.wrong)
    assert not at_crash, f"visible in outbox while the process was writing: {at_crash}"
    assert not found.known, "\n".join(found.known)


# --- writes that fail ---------------------------------------------------------------------------

def fail_writes(monkeypatch, where: str = "", named: str = "") -> None:
    """Writing raises ENOSPC for destinations under outbox/<where> (every one if ""), or only
    for those whose file name holds `named`."""
    real = docflow.store.fsops.stage

    def full(data: bytes, dest: Path, staging: Path | None = None) -> Path:
        if (where and f"/outbox/{where}/" not in str(dest)) or named not in dest.name:
            return real(data, dest, staging)
        raise OSError(errno.ENOSPC, "No space left on device", str(dest))
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("docflow"):
            for name, value in list(vars(module).items()):
                if value is real:
                    monkeypatch.setattr(module, name, full)


def one_nomination(ws: Workspace, unit: str = "SNV", name: str = "Nguyễn Văn An") -> Path:
    return dn_workbook(ws.inbox / unit / "de-nghi.xlsx", dn_info(unit), [person(name)])


def test_a_unit_folder_that_cannot_be_written_keeps_the_file_and_tells_the_administrator(
        ws, monkeypatch):
    one_nomination(ws)
    fail_writes(monkeypatch, "SNV")
    (outcome,) = process_all(ws)
    assert outcome.status == "failed"
    assert not list(ws.outbox.glob("SNV/*")), "nothing half-made in the unit's folder"
    notice = next((ws.outbox / "_quan-tri").glob("*-Loi-xu-ly-de-nghi.txt")).read_text("utf-8")
    assert "Không xử lý được tệp “de-nghi.xlsx” của đơn vị “SNV”" in notice
    assert "ổ đĩa đã đầy (ENOSPC)" in notice  # the cause, in Vietnamese (issue 18)
    assert "sẽ được xử lý lại" in notice
    assert [p.name for p in ws.state("work").rglob("*.xlsx")] == ["de-nghi.xlsx"]
    assert [r.status for r in ws.ledger.files()] == ["failed"]
    monkeypatch.undo()  # the disk is freed; the next start finishes the file
    (retry,) = process_all(ws)
    assert retry.status == "accepted"
    assert len(list((ws.outbox / "SNV").glob("*-Phieu-tiep-nhan-de-nghi.docx"))) == 1
    assert list(ws.state("archive").rglob("de-nghi.xlsx"))
    assert not list(ws.state("work").rglob("*.xlsx"))


def test_a_province_draft_that_cannot_be_written_stays_due_and_the_administrator_is_told(
        ws, monkeypatch):
    one_nomination(ws)
    fail_writes(monkeypatch, "_tong-hop")
    (outcome,) = process_all(ws)
    assert outcome.status == "accepted"
    assert list((ws.outbox / "SNV").glob("*-Phieu-tiep-nhan-de-nghi.docx"))
    assert not (ws.outbox / DECISION).exists()
    (notice,) = (ws.outbox / "_quan-tri").glob("*.txt")
    text = notice.read_text("utf-8")
    assert "Chưa cập nhật được văn bản tổng hợp" in text and "No space left on device" in text
    assert "sẽ được lập lại" in text
    monkeypatch.undo()  # the next run, with nothing new in the inbox, remakes the draft
    assert process_all(ws) == []
    assert "Ông Nguyễn Văn An" in full_text(ws.outbox / DECISION)


def test_a_write_failing_half_way_leaves_no_answer_behind(ws, monkeypatch):
    # a refused workbook is answered with two files: the error report and the marked copy
    dn_workbook(ws.inbox / "SNV" / "de-nghi.xlsx", dn_info("SNV"),
                [person("Nguyễn Văn An", birth_date="không rõ")])
    fail_writes(monkeypatch, named="Danh-dau-loi")
    (outcome,) = process_all(ws)
    assert outcome.status == "failed"
    assert list((ws.outbox / "_quan-tri").glob("*-Loi-xu-ly-de-nghi.txt"))
    assert [p.name for p in ws.state("work").rglob("*.xlsx")] == ["de-nghi.xlsx"]
    assert not list((ws.outbox / "SNV").glob("*")), "the unit was told before the work was done"


def test_a_units_own_decision_that_cannot_be_written_stays_due_and_the_administrator_is_told(
        ws, monkeypatch):
    # the unit's Giấy khen decision is a draft made from the accepted file, right after its
    # receipt: like a province draft, it is made again by the next run
    dn_workbook(ws.inbox / "SNV" / "de-nghi.xlsx", dn_info("SNV"),
                [person("Nguyễn Văn An"), person("Trần Thị Bình", "Nữ", award="Giấy khen")])
    fail_writes(monkeypatch, named="Giay-khen")
    (outcome,) = process_all(ws)
    assert outcome.status == "accepted"
    assert list((ws.outbox / "SNV").glob("*-Phieu-tiep-nhan-de-nghi.docx"))
    assert not list((ws.outbox / "SNV").glob("*Giay-khen*")), "half a decision written"
    notice = next((ws.outbox / "_quan-tri").glob("Loi-cap-nhat-U-DN-SNV.txt")).read_text("utf-8")
    assert "Dự thảo Quyết định tặng Giấy khen của Sở Nội vụ" in notice
    assert "No space left on device" in notice and "sẽ được lập lại" in notice
    monkeypatch.undo()  # the next run, with nothing new in the inbox, makes the decision
    assert process_all(ws) == []
    (decision,) = (ws.outbox / "SNV").glob("Quyet-dinh-tang-Giay-khen*.docx")
    assert "Trần Thị Bình" in full_text(decision)


def test_a_full_disk_ends_the_run_with_exit_2_and_keeps_the_file(tmp_path, monkeypatch, capsys):
    config = workspace(tmp_path)
    dn_workbook(tmp_path / "inbox" / "SNV" / "de-nghi.xlsx", dn_info("SNV"), [person("An")])
    fail_writes(monkeypatch)
    code = main(["--config", str(config), "run"])
    err = capsys.readouterr().err
    assert code == 2
    assert "Lỗi" in err and "Traceback" not in err
    assert [p.name for p in (tmp_path / "state" / "work").rglob("*.xlsx")] == ["de-nghi.xlsx"]
    assert [r["status"] for r in ledger_rows(tmp_path)] == ["failed"]


# --- a broken config.toml -----------------------------------------------------------------------

def _line_of(text: str) -> int:
    """The line of the tests' pinned config.toml that starts with `text`."""
    lines = (DATA / "config.toml").read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(text))


DECIDER_LINE = _line_of('decider = "chairman"')


@pytest.mark.parametrize("edit, key", [
    (lambda s: s.replace("max_zip_entries = 200", 'max_zip_entries = "hai trăm"'),
     f"bảng [intake], dòng {_line_of('max_zip_entries')}, khóa max_zip_entries: cần số nguyên; "
     "đang là chữ 'hai trăm'"),
    (lambda s: s.replace("[intake]", "[intake]\nmax_zip_byte = 5"),
     f"bảng [intake], dòng {_line_of('[intake]') + 1}, khóa max_zip_byte: khóa không được hỗ trợ"),
    (lambda s: s.replace('decider = "chairman"', 'decider = "chu_tich"', 1),
     f"khối [[awards]] thứ 2, dòng {DECIDER_LINE}, khóa decider"),
    (lambda s: s.replace("[intake]", "[intake"),
     f"dòng {_line_of('[intake]')}: thiếu dấu ] ở cuối tiêu đề bảng"),
    pytest.param(lambda s: s.replace("max_zip_entries = 200", "max_zip_entries = -5"),
                 f"bảng [intake], dòng {_line_of('max_zip_entries')}, khóa max_zip_entries: phải "
                 "từ 1 trở lên"),
])
def test_a_broken_config_stops_run_with_exit_2_naming_the_key(tmp_path, capsys, edit, key):
    config = workspace(tmp_path)
    config.write_text(edit(config.read_text("utf-8")), "utf-8")
    dropped = dn_workbook(tmp_path / "inbox" / "SNV" / "de-nghi.xlsx", dn_info("SNV"),
                          [person("An")])
    code = main(["--config", str(config), "run"])
    err = capsys.readouterr().err
    assert code == 2
    assert "config.toml" in err and key in err
    assert "Traceback" not in err
    assert dropped.is_file(), "nothing is claimed while the config is broken"
    assert not [p for p in (tmp_path / "outbox").rglob("*") if p.is_file()]


# --- a locked ledger ----------------------------------------------------------------------------

def lock_ledger(root: Path) -> sqlite3.Connection:
    """Another program holding the ledger: BEGIN EXCLUSIVE on a ledger docflow created."""
    open_ws(root / "config.toml").close()
    db = sqlite3.connect(root / "state" / "ledger.sqlite3", isolation_level=None)
    db.execute("BEGIN EXCLUSIVE")
    return db


def wait_for(predicate, timeout: float = 30.0) -> bool:
    """Poll until `predicate()` or the timeout; True when it came true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def claimed(root: Path) -> bool:
    return any((root / "state" / "work").rglob("*.xlsx"))


def test_a_ledger_locked_for_a_few_seconds_is_waited_for(worker, tmp_path):
    config = workspace(tmp_path)
    dn_workbook(tmp_path / "inbox" / "SNV" / "de-nghi.xlsx", dn_info("SNV"), [person("An")])
    db = lock_ledger(tmp_path)
    worker.start(config=config, argv=["--config", str(config), "run"],
                 log=str(tmp_path / "run.log"))
    try:
        assert worker.line(timeout=3.0) is None, "docflow did not wait for the ledger"
        # a file is claimed in the ledger before it moves: until then it stays in the inbox
        assert (tmp_path / "inbox" / "SNV" / "de-nghi.xlsx").is_file() and not claimed(tmp_path)
    finally:
        db.execute("COMMIT")
        db.close()
    ended = worker.line(timeout=60)
    log = (tmp_path / "run.log").read_text("utf-8")
    assert ended["code"] == 0, log
    assert "[SNV] de-nghi.xlsx: tiếp nhận" in log
    assert list((tmp_path / "outbox" / "SNV").glob("*-Phieu-tiep-nhan-de-nghi.docx"))
    assert [r["status"] for r in ledger_rows(tmp_path)] == ["accepted"]


def test_a_ledger_locked_too_long_ends_with_a_clear_message_and_keeps_the_file(worker, tmp_path):
    config = workspace(tmp_path)
    dn_workbook(tmp_path / "inbox" / "SNV" / "de-nghi.xlsx", dn_info("SNV"), [person("An")])
    db = lock_ledger(tmp_path)
    try:  # the worker's ledger gives up after 0.5 s instead of 30 s
        ended = worker.run(config=config, argv=["--config", str(config), "run"],
                           sqlite_timeout=0.5, log=str(tmp_path / "run.log"))
    finally:
        db.execute("COMMIT")
        db.close()
    log = (tmp_path / "run.log").read_text("utf-8")
    # not claimed without the ledger: the file waits in the inbox
    assert [p.name for p in (tmp_path / "inbox").rglob("*.xlsx")] == ["de-nghi.xlsx"]
    assert not claimed(tmp_path)
    recover(config)  # the lock is gone: nothing was lost
    assert list((tmp_path / "outbox" / "SNV").glob("*-Phieu-tiep-nhan-de-nghi.docx"))
    assert "Traceback" not in log, log
    assert ended["code"] == 2 and "sổ theo dõi" in log.lower(), log


# --- a burst ------------------------------------------------------------------------------------

BURST_UNITS = ("SNV", "STC", "SGDDT", "SYT", "SKHCN", "SVHTTDL", "MTTQ", "TINHDOAN", "HLHPN",
               "LDLD")
BURST_PER_UNIT = int(os.environ.get("DOCFLOW_BURST_PER_UNIT", "100"))


def burst_copies(template: Path, folder: Path, count: int) -> None:
    """`count` copies of a nomination, each naming a different person: the sheet XML is edited in
    place of building every workbook with openpyxl (2 ms a file instead of 25 ms)."""
    with zipfile.ZipFile(template) as zf:
        parts = [(i.filename, zf.read(i)) for i in zf.infolist()]
    assert any(b"@@@" in data for _, data in parts)
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(count):
        with zipfile.ZipFile(folder / f"de-nghi-{k:03d}.xlsx", "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in parts:
                zf.writestr(name, data.replace(b"@@@", f"{k:03d}".encode()))


def test_a_burst_of_small_files_is_processed_exactly_once(ws, tmp_path, capsys):
    """10 units × 100 small nominations dropped at once (DOCFLOW_BURST_PER_UNIT changes 100)."""
    for unit in BURST_UNITS:
        template = dn_workbook(tmp_path / f"{unit}.xlsx",
                               dn_info(unit, unit_name=ws.config.unit(unit).name),
                               [person(f"Nguyễn Văn {unit} @@@")])
        burst_copies(template, ws.inbox / unit, BURST_PER_UNIT)
    total = len(BURST_UNITS) * BURST_PER_UNIT
    began = time.monotonic()
    outcomes = process_all(ws)
    seconds = time.monotonic() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert [o.status for o in outcomes].count("accepted") == total, {
        o.name: [p.message for p in o.problems] for o in outcomes if o.status != "accepted"}
    rows = ledger_rows(ws.config.root)
    assert len(rows) == total and {r["status"] for r in rows} == {"accepted"}
    assert len({(r["unit"], r["name"]) for r in rows}) == total
    assert len({r["sha256"] for r in rows}) == total
    receipts = list(ws.outbox.rglob("*-Phieu-tiep-nhan-*.docx"))
    assert len(receipts) == total
    assert {p.relative_to(ws.outbox).parts[0] for p in receipts} == set(BURST_UNITS)
    for unit in BURST_UNITS:  # each newer version moved the one before into cu/
        assert len(list((ws.outbox / unit).glob("*-Phieu-tiep-nhan-*.docx"))) == 1
    assert len(list(ws.state("archive").rglob("*.xlsx"))) == total
    assert not [p for p in ws.inbox.rglob("*") if p.is_file()]
    assert not [p for p in ws.state("work").rglob("*") if p.is_file()]
    decision = full_text(ws.outbox / DECISION)  # the current version of each unit, once
    listed = re.findall(r"Ông Nguyễn Văn ([A-Z]+) ([0-9]{3})", decision)
    assert sorted(u for u, _ in listed) == sorted(BURST_UNITS), listed
    with capsys.disabled():
        print(f"\n[burst] {total} files in {seconds:.1f} s ({seconds / total * 1000:.0f} ms/file), "
              f"peak RSS of the test process {peak:.0f} MB")
