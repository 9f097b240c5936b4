"""The service with real observers, real worker processes and real files: nothing is lost,
skipped or processed twice. Every wait is bounded; files are written, never timed."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from docx_reader import full_text
from builders import PRIME_MINISTER, collective, dn_info, dn_workbook, pdf_file, person, workspace
from test_watch_probe import DeafObserver

from docflow.config import load
from docflow.store.fsops import claim
from docflow.store.inbox import unit_of
from docflow.watch.service import Watcher
from docflow.jobs import run_job as handle
from docflow.workspace import Workspace

FAST = dict(stability_seconds=0.5, poll_seconds=0.2, probe_seconds=1.0, rescan_seconds=60.0,
            workers=2, file_timeout_seconds=30.0)


def open_workspace(tmp_path: Path, wait_minutes: float | None = None, pdf: bool = False,
                   **watch) -> Workspace:
    """A workspace as the service's own process holds it: workers open theirs, with PDF
    conversion only when asked (LibreOffice is slow to start)."""
    config = load(workspace(tmp_path))
    config = replace(config, watch=replace(config.watch, **{**FAST, **watch}),
                     output=replace(config.output, pdf=pdf))
    if wait_minutes is not None:
        config = replace(config, intake=replace(config.intake,
                                                attachment_wait_minutes=wait_minutes))
    return Workspace.open(config, converter=None)


@contextmanager
def service(ws: Workspace, **kwargs):
    """The watcher running in a thread, stopped and joined (bounded) when the block ends."""
    watcher = Watcher(ws.config, ws.ledger, ws.clock, **kwargs)
    thread = threading.Thread(target=watcher.run, name="test-watcher")
    thread.start()
    try:
        wait_for(lambda: watcher.probes, 20, "the watcher did not start")
        yield watcher
    finally:
        watcher.stop()
        thread.join(60)
        assert not thread.is_alive(), "the watcher did not stop"


def wait_for(condition, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"{message} within {timeout} s")


def finished(ws: Workspace, count: int) -> bool:
    rows = ws.ledger.files()
    return len(rows) >= count and all(r.status != "processing" for r in rows)


def workbook_bytes(tmp_path: Path, unit: str, number: int, unit_name: str | None = None) -> bytes:
    extra = {"unit_name": unit_name} if unit_name else {}
    path = dn_workbook(tmp_path / "build" / f"{unit}-{number}.xlsx",
                       dn_info(unit, proposal_number=f"{number}/TTr-{unit}", **extra),
                       [collective(f"Phòng số {number} {unit}"),
                        person(f"Nguyễn Văn {unit} {number}")])
    return path.read_bytes()


def test_a_file_written_slowly_in_chunks_is_taken_once_and_whole(tmp_path):
    ws = open_workspace(tmp_path, stability_seconds=1.0)
    data = workbook_bytes(tmp_path, "SNV", 1)
    target = ws.inbox / "SNV" / "de-nghi.xlsx"
    target.parent.mkdir()
    with service(ws):
        with target.open("wb") as fh:               # a slow copy: 8 chunks over ~2.4 s
            for n in range(8):
                fh.write(data[n * len(data) // 8:(n + 1) * len(data) // 8])
                fh.flush()
                time.sleep(0.3)
        wait_for(lambda: finished(ws, 1), 30, "the file was not processed")
    (row,) = ws.ledger.files()
    assert (row.name, row.status) == ("de-nghi.xlsx", "accepted")
    assert row.sha256 == hashlib.sha256(data).hexdigest()
    assert Path(row.stored_path).read_bytes() == data


def test_200_files_dropped_at_once_are_each_processed_exactly_once(tmp_path):
    ws = open_workspace(tmp_path)
    staging, names, expected = tmp_path / "staging", [], {}
    for unit in ["SNV", "STC", "SYT", "SGDDT"]:
        files = {f"de-nghi-{n}.xlsx": workbook_bytes(tmp_path, unit, n, ws.config.unit(unit).name)
                 for n in (1, 2)}
        files.update({f"ghi-chu-{n}.txt": f"Ghi chú {n} của {unit}".encode() for n in range(8)})
        files.update({f"ghi-chu-0-ban-{n}.txt": files["ghi-chu-0.txt"] for n in range(40)})
        for name, data in files.items():
            (staging / unit).mkdir(parents=True, exist_ok=True)
            (staging / unit / name).write_bytes(data)
            names.append(f"{unit}/{name}")
        expected[unit] = {"accepted": 2, "rejected": 8, "duplicate": 40}
    with service(ws):
        for name in names:                           # each appears whole, all at once
            (ws.inbox / name).parent.mkdir(exist_ok=True)
            os.rename(staging / name, ws.inbox / name)
        wait_for(lambda: finished(ws, 200), 60, "200 files were not all processed")
        wait_for(lambda: not ws.ledger.stale(), 60, "the drafts were not remade after the burst")
        time.sleep(1.0)                              # room for a double take to show up
    rows = ws.ledger.files()
    assert sorted(f"{r.unit}/{r.name}" for r in rows) == sorted(names)   # one row per file
    for unit, counts in expected.items():
        found = [r.status for r in rows if r.unit == unit]
        assert {status: found.count(status) for status in counts} == counts
    for row in rows:
        assert row.outputs and all(Path(p).is_file() for p in row.outputs)
    assert len(list(ws.outbox.rglob("*Phieu-tiep-nhan*.docx"))) == 8
    assert len(list(ws.outbox.rglob("*Phieu-bao-loi*.txt"))) == 32
    assert len(list(ws.outbox.rglob("*Tep-trung*.txt"))) == 160
    assert [p for p in ws.inbox.rglob("*") if p.is_file()] == []
    kept = [p for area in ("archive", "rejected") for p in ws.state(area).rglob("*")
            if p.is_file()]
    assert len(kept) == 200                          # nothing received is deleted
    decision = full_text(next((ws.outbox / "_tong-hop").glob("Quyet-dinh-*.docx")))
    # Every unit's current version is in it: the one claimed last (two versions dropped at the
    # same instant may be claimed in either order; the claim order decides which is newer).
    current = {a.record.unit: a.file_id for a in ws.ledger.current("DN")}
    assert set(current) == set(expected)
    for unit, file_id in current.items():
        version = ws.ledger.file(file_id).name.removeprefix("de-nghi-").removesuffix(".xlsx")
        assert f"Nguyễn Văn {unit} {version}" in decision
        assert max(r.id for r in rows if r.unit == unit and r.status == "accepted") == file_id


def test_files_dropped_while_stopped_and_claims_cut_by_a_crash_are_taken_at_start(tmp_path):
    ws = open_workspace(tmp_path)
    dn_workbook(ws.inbox / "SNV" / "cho-san.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
    crashed = dn_workbook(tmp_path / "x" / "dang-do.xlsx", dn_info("SYT"), [person("Lê Văn C")])
    work = claim(crashed, ws.state("work") / "SYT", "20251201-093000")
    ws.ledger.begin_file("SYT", work.name, hashlib.sha256(work.read_bytes()).hexdigest(), work,
                         "2025-12-01T09:30:00")
    with service(ws):
        wait_for(lambda: finished(ws, 2), 30, "waiting files were not processed at start")
    assert sorted((r.unit, r.name, r.status) for r in ws.ledger.files()) == [
        ("SNV", "cho-san.xlsx", "accepted"), ("SYT", "dang-do.xlsx", "accepted")]
    assert list(ws.state("work").rglob("*.xlsx")) == []


def test_of_two_versions_dropped_together_the_later_wins_and_a_copy_is_a_duplicate(tmp_path):
    ws = open_workspace(tmp_path)
    folder = ws.inbox / "SNV"
    first = dn_workbook(folder / "ban-dau.xlsx", dn_info("SNV", proposal_number="1/TTr-SNV"),
                        [person("Nguyễn Văn An")])
    second = dn_workbook(folder / "ban-sua.xlsx", dn_info("SNV", proposal_number="2/TTr-SNV"),
                         [person("Nguyễn Văn An"), person("Trần Văn Bình")])
    copy = folder / "ban-sua-gui-lai.xlsx"
    copy.write_bytes(second.read_bytes())
    for mtime, path in enumerate([first, second, copy], start=1_700_000_000):
        os.utime(path, (mtime, mtime))
    with service(ws):
        wait_for(lambda: finished(ws, 3), 30, "the three files were not processed")
    assert [(r.name, r.status) for r in ws.ledger.files()] == [
        ("ban-dau.xlsx", "accepted"), ("ban-sua.xlsx", "accepted"),
        ("ban-sua-gui-lai.xlsx", "duplicate")]
    (current,) = ws.ledger.current("DN")
    assert current.record.fields["proposal_number"] == "2/TTr-SNV"


REPORT = "bao-cao-thanh-tich.pdf"


def nominate(ws: Workspace) -> Path:
    return dn_workbook(ws.inbox / "SNV" / "de-nghi.xlsx", dn_info("SNV"),
                       [person("Nguyễn Văn An", award=PRIME_MINISTER, report_file=REPORT)])


def test_a_form_waiting_for_its_pdf_is_accepted_when_the_pdf_arrives(tmp_path):
    ws = open_workspace(tmp_path)
    outcomes = []
    with service(ws, on_outcome=outcomes.append):
        nominate(ws)
        wait_for(lambda: outcomes, 30, "the form was not processed")
        pdf_file(ws.inbox / "SNV" / REPORT)
        wait_for(lambda: len(outcomes) == 3, 30, "the waiting form was not taken up again")
    assert [o.status for o in outcomes] == ["waiting", "attachment", "accepted"]


def test_a_form_whose_pdf_never_comes_is_rejected_after_the_wait(tmp_path):
    ws = open_workspace(tmp_path, wait_minutes=0.02, rescan_seconds=0.5)
    outcomes = []
    with service(ws, on_outcome=outcomes.append):
        nominate(ws)
        wait_for(lambda: len(outcomes) == 2, 30, "the waiting form was not rejected")
    assert [o.status for o in outcomes] == ["waiting", "rejected"]
    assert [p.code for p in outcomes[1].problems] == ["attachment.missing"]


def test_where_events_are_swallowed_auto_mode_polls_and_still_takes_files(tmp_path):
    ws = open_workspace(tmp_path, probe_seconds=0.3)
    with service(ws, native_observer=DeafObserver) as watcher:
        assert [p.mode for p in watcher.probes] == ["polling"]
        dn_workbook(ws.inbox / "SNV" / "a.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
        wait_for(lambda: finished(ws, 1), 30, "polling did not find the file")
    assert ws.ledger.files()[0].status == "accepted"


def test_when_native_events_are_lost_the_rescan_still_finds_the_file(tmp_path):
    ws = open_workspace(tmp_path, mode="native", rescan_seconds=1.0)
    with service(ws, native_observer=DeafObserver) as watcher:
        assert [p.mode for p in watcher.probes] == ["native"]
        dn_workbook(ws.inbox / "SNV" / "a.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
        wait_for(lambda: finished(ws, 1), 30, "the rescan did not find the file")


def test_a_unit_folder_moved_in_whole_is_read(tmp_path):
    ws = open_workspace(tmp_path)
    folder = tmp_path / "SNV"
    dn_workbook(folder / "a.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
    with service(ws):
        os.rename(folder, ws.inbox / "SNV")
        wait_for(lambda: finished(ws, 1), 30, "the moved folder was not read")


def hang_after_claim(task, ws, claimed):
    """A worker stuck inside a file (a huge workbook) after claiming it: runs in the worker."""
    unit = unit_of(task.path, ws.inbox)
    work = claim(task.path, ws.state("work") / unit, ws.clock().strftime("%Y%m%d-%H%M%S"))
    claimed(work, unit)
    ws.ledger.begin_file(unit, work.name, "0" * 64, work, "2025-12-01T09:30:00")
    time.sleep(600)


def test_a_file_over_the_time_limit_is_stopped_and_reported_and_stays_claimed(tmp_path):
    ws = open_workspace(tmp_path, file_timeout_seconds=2.0, workers=1)
    outcomes = []
    with service(ws, handler=hang_after_claim, on_outcome=outcomes.append):
        dn_workbook(ws.inbox / "SNV" / "lon.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
        wait_for(lambda: outcomes, 30, "the stuck file was not stopped")
    assert [(o.status, o.name) for o in outcomes] == [("failed", "lon.xlsx")]
    (row,) = ws.ledger.files()
    assert row.status == "failed"
    report = next((ws.outbox / "_quan-tri").glob("*Loi-xu-ly-lon.txt")).read_text("utf-8")
    assert "quá thời hạn 2 giây" in report and "file_timeout_seconds" in report
    assert [p.name for p in ws.state("work").rglob("*.xlsx")] == ["lon.xlsx"]  # retried at start
    assert multiprocessing.active_children() == []


def slow_handle(task, ws, claimed):
    time.sleep(1.5)
    return handle(task, ws, claimed)


def test_stop_lets_the_current_file_finish_and_leaves_the_rest_in_the_inbox(tmp_path):
    ws = open_workspace(tmp_path, workers=1)
    for n in range(3):
        dn_workbook(ws.inbox / "SNV" / f"f{n}.xlsx", dn_info("SNV", proposal_number=f"{n + 1}/TTr"),
                    [person(f"Nguyễn Văn {n}")])
    with service(ws, handler=slow_handle) as watcher:
        wait_for(lambda: watcher.pool.busy(), 30, "no file was started")
    (row,) = ws.ledger.files()
    assert row.status == "accepted"
    assert len(list((ws.inbox / "SNV").glob("*.xlsx"))) == 2


def test_config_and_template_changes_reach_the_workers_and_a_broken_one_is_refused(tmp_path):
    ws = open_workspace(tmp_path)
    config_path = ws.config.root / "config.toml"
    with service(ws, config_path=config_path) as watcher:
        first = watcher.snapshot()["config_version"]
        template = ws.config.root / "templates" / "phieu-tiep-nhan.docx"
        doc = Document(template)
        doc.add_paragraph("Mẫu phiếu sửa đổi lần 2.")
        doc.save(template)
        wait_for(lambda: watcher.snapshot()["config_version"] != first, 30,
                 "the new template was not taken")
        dn_workbook(ws.inbox / "SNV" / "a.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
        wait_for(lambda: finished(ws, 1), 30, "the first file was not processed")
        config_path.write_text(config_path.read_text("utf-8").replace(
            "workers = 3", 'workers = "hai"'), encoding="utf-8")
        wait_for(lambda: list((ws.outbox / "_quan-tri").glob("*Cau-hinh-bi-tu-choi.txt")), 30,
                 "the broken config was not refused")
        dn_workbook(ws.inbox / "SYT" / "b.xlsx", dn_info("SYT"), [person("Lê Văn Cường")])
        wait_for(lambda: finished(ws, 2), 30, "the service stopped working on a broken config")
    assert [r.status for r in ws.ledger.files()] == ["accepted", "accepted"]
    receipt = next((ws.outbox / "SNV").glob("*Phieu-tiep-nhan*.docx"))
    assert "Mẫu phiếu sửa đổi lần 2." in full_text(receipt)


def processes_mentioning(text: str) -> list[str]:
    return [args for _, args in processes_with_pid(text)]


def processes_with_pid(text: str) -> list[tuple[int, str]]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in args:
            found.append((int(cmdline.parent.name), args))
    return found


def parent_of(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_bytes()
    return int(stat[stat.rfind(b")") + 2:].split()[1])


@pytest.mark.skipif(not shutil.which("soffice"), reason="cần LibreOffice (CI cài sẵn)")
def test_workers_make_pdfs_on_the_services_libreoffice_and_leave_none_behind(tmp_path):
    ws = open_workspace(tmp_path, pdf=True)
    with service(ws):
        dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
        wait_for(lambda: finished(ws, 1), 60, "the file was not processed")
        wait_for(lambda: list((ws.outbox / "_tong-hop").glob("Quyet-dinh-*.pdf")), 60,
                 "the decision was not remade as PDF after the burst")
        # every LibreOffice (its UNO bridge) is the service's, shared by the workers: none
        # is a worker's own, idle while that worker reads its next file
        bridges = [pid for pid in processes_with_pid("uno_bridge.py") if str(tmp_path) in pid[1]]
        assert bridges and {parent_of(pid) for pid, _ in bridges} == {os.getpid()}
    assert ws.ledger.files()[0].status == "accepted"
    assert list((ws.outbox / "SNV").glob("*Phieu-tiep-nhan-dn.pdf"))
    wait_for(lambda: not processes_mentioning(str(tmp_path)), 15, "LibreOffice was left running")


def test_no_thread_or_process_is_left_after_stop(tmp_path):
    ws = open_workspace(tmp_path, mode="polling")
    before = set(threading.enumerate())
    with service(ws):
        dn_workbook(ws.inbox / "SNV" / "a.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
        wait_for(lambda: finished(ws, 1), 30, "the file was not processed")
    assert set(threading.enumerate()) == before
    assert multiprocessing.active_children() == []
