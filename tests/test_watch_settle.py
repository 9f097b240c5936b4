"""A file is taken when it has stood still long enough and opens whole — and only once.

Time is passed in by hand and files are described by a dict, so nothing here sleeps.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docflow.watch.settle import Gate, complete

A, B = Path("/inbox/SNV/a.xlsx"), Path("/inbox/SNV/b.xlsx")


class Disk:
    """Files by path: (size, mtime), and whether each opens as a whole zip."""

    def __init__(self) -> None:
        self.files: dict[Path, tuple[int, float]] = {}
        self.whole: set[Path] = set()

    def write(self, path: Path, size: int, mtime: float, whole: bool = True) -> None:
        self.files[path] = (size, mtime)
        (self.whole.add if whole else self.whole.discard)(path)

    def look(self, path: Path):
        return self.files.get(path)

    def complete(self, path: Path) -> bool:
        return path in self.whole


def due(gate: Gate, disk: Disk, now: float) -> list[Path]:
    return gate.due(now, disk.look, disk.complete)


def test_a_file_is_due_only_after_standing_still_for_the_delay():
    gate, disk = Gate(2.0), Disk()
    disk.write(A, 100, 1.0)
    gate.notice(A)
    assert due(gate, disk, 10.0) == []          # first look starts the clock
    assert due(gate, disk, 11.9) == []
    assert due(gate, disk, 12.0) == [A]


def test_a_growing_file_restarts_the_clock_at_every_change():
    gate, disk = Gate(2.0), Disk()
    gate.notice(A)
    for step in range(5):                       # a slow copy: a chunk every 1.5 s
        disk.write(A, 100 * (step + 1), 1.0 + step)
        assert due(gate, disk, 10.0 + 1.5 * step) == []
    assert due(gate, disk, 17.9) == []
    assert due(gate, disk, 18.0) == [A]


def test_a_rewrite_of_the_same_size_counts_as_a_change():
    gate, disk = Gate(2.0), Disk()
    disk.write(A, 100, 1.0)
    gate.notice(A)
    due(gate, disk, 10.0)
    disk.write(A, 100, 2.0)
    assert due(gate, disk, 12.0) == []
    assert due(gate, disk, 14.0) == [A]


def test_a_due_file_is_offered_once_however_many_events_follow():
    gate, disk = Gate(1.0), Disk()
    disk.write(A, 100, 1.0)
    gate.notice(A)
    due(gate, disk, 0.0)
    assert due(gate, disk, 1.0) == [A]
    for _ in range(50):
        gate.notice(A)
    assert due(gate, disk, 2.0) == due(gate, disk, 5.0) == []
    assert gate.taken() == 1 and gate.pending() == 0


def test_after_release_a_new_file_under_the_same_name_is_taken_again():
    gate, disk = Gate(1.0), Disk()
    disk.write(A, 100, 1.0)
    gate.notice(A)
    due(gate, disk, 0.0)
    assert due(gate, disk, 1.0) == [A]
    gate.release(A)
    disk.write(A, 120, 9.0)
    gate.notice(A)
    assert due(gate, disk, 5.0) == []
    assert due(gate, disk, 6.0) == [A]


def test_a_file_that_vanishes_is_forgotten():
    gate, disk = Gate(1.0), Disk()
    disk.write(A, 100, 1.0)
    gate.notice(A)
    due(gate, disk, 0.0)
    del disk.files[A]
    assert due(gate, disk, 5.0) == []
    assert gate.pending() == 0


def test_a_still_but_incomplete_office_file_waits_until_it_opens():
    gate, disk = Gate(1.0, give_up_seconds=30.0), Disk()
    disk.write(A, 100, 1.0, whole=False)        # size preallocated, zip directory not yet written
    gate.notice(A)
    due(gate, disk, 0.0)
    assert due(gate, disk, 5.0) == []
    disk.whole.add(A)
    assert due(gate, disk, 6.0) == [A]


def test_a_file_that_never_opens_is_taken_after_the_give_up_delay_so_its_sender_hears():
    gate, disk = Gate(2.0), Disk()
    assert gate.give_up == 30.0
    disk.write(A, 100, 1.0, whole=False)
    gate.notice(A)
    due(gate, disk, 0.0)
    assert due(gate, disk, 29.9) == []
    assert due(gate, disk, 30.0) == [A]


def test_due_files_come_in_the_order_they_were_saved():
    gate, disk = Gate(1.0), Disk()
    disk.write(A, 1, 20.0)                      # the corrected version, saved later
    disk.write(B, 1, 10.0)
    gate.notice(A)
    gate.notice(B)
    due(gate, disk, 0.0)
    assert due(gate, disk, 3.0) == [B, A]


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>" * 200)
    return buffer.getvalue()


def test_complete_reads_the_zip_directory_of_office_files_and_bundles(tmp_path):
    data = _zip_bytes()
    for name in ("a.xlsx", "a.zip", "a.ods"):
        whole, cut = tmp_path / name, tmp_path / f"cut-{name}"
        whole.write_bytes(data)
        cut.write_bytes(data[: len(data) // 2])  # a copy half written
        assert complete(whole) and not complete(cut)
    assert not complete(tmp_path / "gone.xlsx")


def test_a_pdf_is_complete_once_its_end_marker_is_written(tmp_path):
    whole, cut = tmp_path / "bao-cao.pdf", tmp_path / "bao-cao-dang-chep.pdf"
    whole.write_bytes(b"%PDF-1.7\n" + b"x" * 5000 + b"\n%%EOF\n")
    cut.write_bytes(b"%PDF-1.7\n" + b"x" * 3000)
    assert complete(whole) and not complete(cut)


def test_other_files_are_complete_when_not_empty(tmp_path):
    (tmp_path / "ghi-chu.txt").write_bytes(b"x")
    (tmp_path / "trong.txt").write_bytes(b"")
    assert complete(tmp_path / "ghi-chu.txt") and not complete(tmp_path / "trong.txt")


def test_a_copy_stalled_with_its_writer_still_open_is_never_taken(tmp_path):
    """A slow copy: half a workbook written, the handle still open, nothing new for minutes."""
    path = tmp_path / "de-nghi.xlsx"
    gate = Gate(2.0, give_up_seconds=30.0)
    with path.open("wb") as writer:
        writer.write(b"PK\x03\x04 half a workbook")
        writer.flush()
        gate.notice(path)
        assert gate.due(0.0) == []
        assert gate.due(600.0) == [], "taken while the sender's copy still writes it"
    assert gate.due(601.0) == [path]  # closed: a truncated copy is now the sender's to hear of


def test_a_file_open_only_for_reading_is_taken(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-1.4\n%%EOF\n")
    gate = Gate(2.0)
    with path.open("rb"):
        gate.notice(path)
        gate.due(0.0)
        assert gate.due(3.0) == [path]


def test_a_file_closed_after_writing_is_due_the_delay_after_its_close_event():
    gate, disk = Gate(2.0), Disk()
    disk.write(A, 100, 1.0)
    gate.notice(A, closed_at=10.0, look=disk.look)   # the close event, not the next look
    assert gate.next_due(10.0) == 12.0
    assert due(gate, disk, 11.9) == []
    assert due(gate, disk, 12.0) == [A]


def test_a_file_a_poll_reports_is_timed_from_the_poll_not_from_the_next_look():
    gate, disk = Gate(2.0), Disk()
    disk.write(A, 100, 1.0)
    gate.notice(A, look=disk.look, seen_at=10.0)     # the poll saw it at 10.0
    assert gate.next_due(10.0) == 12.0
    assert due(gate, disk, 10.2) == []               # the tick's look keeps the poll's clock
    assert due(gate, disk, 12.0) == [A]


def test_a_later_event_does_not_restart_a_running_clock():
    gate, disk = Gate(2.0), Disk()
    disk.write(A, 100, 1.0)
    gate.notice(A, look=disk.look, seen_at=10.0)
    gate.notice(A, look=disk.look, seen_at=11.5)     # a rescan reports it again
    assert due(gate, disk, 12.0) == [A]


def test_a_change_after_the_close_event_restarts_the_clock():
    gate, disk = Gate(2.0), Disk()
    disk.write(A, 100, 1.0)
    gate.notice(A, closed_at=10.0, look=disk.look)
    disk.write(A, 200, 2.0)                         # opened again and written, no close yet
    assert due(gate, disk, 11.0) == []
    assert due(gate, disk, 12.5) == []
    assert due(gate, disk, 13.0) == [A]


def test_a_close_event_does_not_offer_a_taken_file_again():
    gate, disk = Gate(1.0), Disk()
    disk.write(A, 100, 1.0)
    gate.notice(A, closed_at=0.0, look=disk.look)
    assert due(gate, disk, 1.0) == [A]
    gate.notice(A, closed_at=1.5, look=disk.look)
    assert due(gate, disk, 5.0) == [] and gate.next_due(5.0) is None


def test_a_close_event_never_takes_a_file_another_writer_still_holds_open(tmp_path):
    path = tmp_path / "de-nghi.xlsx"
    gate = Gate(2.0, give_up_seconds=30.0)
    with path.open("wb") as writer:
        writer.write(b"PK\x03\x04 half a workbook")
        writer.flush()
        gate.notice(path, closed_at=0.0)   # one handle closed, the copy's own still open
        assert gate.due(600.0) == [], "taken while a writer still holds it"
    assert gate.due(601.0) == [path]


def test_the_service_starts_a_file_clock_at_its_close_event(tmp_path):
    from builders import workspace
    from watchdog.events import FileClosedEvent, FileModifiedEvent

    from docflow.config import load
    from docflow.store import Ledger
    from docflow.watch.observers import Events
    from docflow.watch.service import Watcher

    config = load(workspace(tmp_path))
    now = [100.0]
    ledger = Ledger(config.path("state") / "ledger.sqlite3")
    try:
        watcher = Watcher(config, ledger, monotonic=lambda: now[0])
        path = config.path("inbox") / "SNV" / "de-nghi.pdf"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.4\n%%EOF\n")
        events = Events(watcher.notice)
        events.on_any_event(FileModifiedEvent(str(path)))
        delay = config.watch.stability_seconds
        assert watcher.gate.next_due(now[0]) == 100.0 + delay  # a write: timed from the event
        now[0] = 100.3
        events.on_any_event(FileClosedEvent(str(path)))   # the write ends: the clock starts again
        assert watcher.gate.next_due(now[0]) == 100.3 + delay
        assert watcher.gate.due(100.3 + delay) == [path]
    finally:
        ledger.close()
