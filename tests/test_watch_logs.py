"""Logs: one JSON object per line for machines, and a progress line people can follow."""

from __future__ import annotations

import json
import logging

from docflow.logs import JsonLines, Progress, configure, log_path, recent


def record(msg: str, level: int = logging.INFO, **extra) -> logging.LogRecord:
    rec = logging.LogRecord("docflow.watch", level, __file__, 1, msg, None, None)
    rec.__dict__.update(extra)
    return rec


def test_a_json_line_keeps_vietnamese_and_the_extra_fields():
    line = JsonLines().format(record("[SNV] đề-nghị.xlsx: tiếp nhận", unit="SNV",
                                     status="accepted"))
    data = json.loads(line)
    assert data["msg"] == "[SNV] đề-nghị.xlsx: tiếp nhận" and "đề-nghị" in line
    assert (data["level"], data["unit"], data["status"]) == ("INFO", "SNV", "accepted")
    assert "\n" not in line


def test_configure_writes_json_lines_into_the_state_folder(tmp_path):
    handlers = configure(tmp_path)
    try:
        logging.getLogger("docflow.test-logs").error("Thay đổi cấu hình bị từ chối",
                                                     extra={"event": "config_refused"})
    finally:
        for handler in handlers:
            logging.getLogger().removeHandler(handler)
            handler.close()
    (last,) = recent(tmp_path)
    assert last["msg"] == "Thay đổi cấu hình bị từ chối" and last["event"] == "config_refused"
    assert log_path(tmp_path).read_text("utf-8").count("\n") == 1


def test_a_line_cut_by_a_crash_is_skipped(tmp_path):
    path = log_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text('{"level": "ERROR", "msg": "một"}\n{"level": "ERR', encoding="utf-8")
    assert [r["msg"] for r in recent(tmp_path)] == ["một"]


def test_a_single_file_makes_no_progress_line():
    progress = Progress(every=5.0)
    progress.added(1, 0.0)
    assert progress.finished("accepted", 1.0) is None


def test_a_batch_reports_progress_at_most_every_few_seconds_and_a_summary():
    progress = Progress(every=5.0)
    progress.added(200, 0.0)
    lines = [progress.finished("accepted" if n % 10 else "rejected", n * 0.1)
             for n in range(1, 201)]
    shown = [line for line in lines if line]
    assert shown[0] == "Tiến độ: 50/200 tệp (45 tiếp nhận, 5 trả lại)."
    assert len(shown) == 4
    assert shown[-1] == "Xong đợt 200 tệp trong 20,0 giây (180 tiếp nhận, 20 trả lại)."


def test_files_arriving_during_a_batch_join_it_and_the_next_batch_starts_afresh():
    progress = Progress(every=100.0)
    progress.added(2, 0.0)
    progress.finished("accepted", 1.0)
    progress.added(1, 1.5)
    assert progress.finished("accepted", 2.0) is None
    assert progress.finished("duplicate", 3.0) == \
        "Xong đợt 3 tệp trong 3,0 giây (2 tiếp nhận, 1 trùng)."
    progress.added(2, 10.0)
    progress.finished("accepted", 11.0)
    assert progress.finished("accepted", 12.0) == "Xong đợt 2 tệp trong 2,0 giây (2 tiếp nhận)."
