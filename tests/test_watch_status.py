"""`docflow status` as the administrator reads it: the service, the queue, files by unit, errors."""

from __future__ import annotations

import datetime as dt
import logging

from builders import dn_info, dn_workbook, person

from docflow.store.inbox import waiting
from docflow.logs import JsonLines, log_path
from docflow.pipeline import process_inbox_file
from docflow.watch.status import status_text, write_snapshot

NOW = dt.datetime(2025, 12, 1, 9, 30)
LIVE = {"pid": 4242, "running": True, "started": "2025-12-01T08:00:00", "workers": 2,
        "config_version": "89ba67e7", "pending": 1, "queued": 3, "refresh": "waiting",
        "busy": ["/srv/inbox/SNV/de-nghi.xlsx"],
        "roots": [{"root": "/srv/inbox", "mode": "native", "fstype": "ext4",
                   "reason": "hệ tệp ext4: tệp thử báo sự kiện kịp thời"},
                  {"root": "/srv/inbox/SYT", "mode": "polling", "fstype": "cifs",
                   "reason": "ổ mạng (cifs): sự kiện từ máy khác không về"}]}


def test_a_workspace_never_watched_says_so(ws):
    text = status_text(ws.config, NOW)
    assert "Dịch vụ docflow: KHÔNG chạy (chưa chạy lần nào trên thư mục này)." in text
    assert "Chưa nhận tệp nào." in text
    assert "Lỗi gần đây:\n  không có" in text


def test_a_running_service_shows_its_mode_per_folder_and_its_queue(ws):
    write_snapshot(ws.state("."), LIVE, NOW - dt.timedelta(seconds=3))
    text = status_text(ws.config, NOW)
    assert "đang chạy (PID 4242, từ 08:00 ngày 01/12/2025, 2 tiến trình xử lý" in text
    assert "/srv/inbox: sự kiện — hệ tệp ext4" in text
    assert "/srv/inbox/SYT: quét định kỳ — ổ mạng (cifs)" in text
    assert "Hàng đợi: 1 tệp chờ đứng yên, 3 tệp chờ xử lý, 1 tệp đang xử lý." in text
    assert "đang xử lý: /srv/inbox/SNV/de-nghi.xlsx" in text
    assert "Văn bản tổng hợp: sẽ cập nhật khi nhận xong đợt tệp." in text


def test_a_service_that_stopped_writing_is_reported_as_not_responding(ws):
    write_snapshot(ws.state("."), LIVE, NOW - dt.timedelta(minutes=5))
    assert "không phản hồi (lần cập nhật cuối lúc 09:25:00" in status_text(ws.config, NOW)


def test_a_cleanly_stopped_service_says_when(ws):
    write_snapshot(ws.state("."), dict(LIVE, running=False), NOW)
    assert "KHÔNG chạy (đã dừng lúc 09:30:00 ngày 01/12/2025)" in status_text(ws.config, NOW)


def test_files_are_counted_by_unit_and_state_with_what_still_waits(ws):
    dn_workbook(ws.inbox / "SNV" / "a.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
    dn_workbook(ws.inbox / "SNV" / "b.xlsx", dn_info("SNV"), [person("B", gender="?")])
    dn_workbook(ws.inbox / "SYT" / "c.xlsx", dn_info("SYT"), [person("Lê Văn C")])
    for path in waiting(ws.inbox):
        process_inbox_file(path, ws)
    dn_workbook(ws.inbox / "SYT" / "d.xlsx", dn_info("SYT"), [person("Lê Văn D")])
    lines = status_text(ws.config, NOW).splitlines()
    table = lines[lines.index("Tệp đã nhận theo đơn vị và trạng thái:") + 1:]
    assert [c.strip() for c in table[0].split("  ") if c.strip()] == [
        "Đơn vị", "Tiếp nhận", "Trả lại", "Trùng", "Lỗi xử lý", "Chờ tệp kèm", "Tệp kèm",
        "Đang xử lý", "Cộng"]
    assert table[1].split() == ["SNV", "1", "1", "0", "0", "0", "0", "0", "2"]
    assert table[2].split() == ["SYT", "1", "0", "0", "0", "0", "0", "0", "1"]
    assert table[3].split() == ["Cộng", "2", "1", "0", "0", "0", "0", "0", "3"]
    assert "Trong inbox đang có 1 tệp chờ." in lines


def test_the_last_warnings_and_errors_come_from_the_json_log(ws):
    path = log_path(ws.state("."))
    path.parent.mkdir(parents=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(JsonLines())
    logger = logging.getLogger("docflow.test-status")
    logger.addHandler(handler)
    try:
        logger.warning("Không ghi được trạng thái dịch vụ")
        logger.info("[SNV] a.xlsx: tiếp nhận")
        for n in range(7):
            logger.error("Lỗi khi xử lý tệp số %d", n)
    finally:
        logger.removeHandler(handler)
        handler.close()
    text = status_text(ws.config, NOW)
    errors = text.split("Lỗi gần đây:\n")[1].splitlines()
    assert [e.strip().split(" ", 2)[2] for e in errors] == [f"Lỗi khi xử lý tệp số {n}"
                                                    for n in range(2, 7)]


def test_a_config_refusal_fixed_by_a_later_good_version_leaves_status(ws):
    from builders import FixedClock
    from docflow.config import load
    from docflow.watch.reload import Reloader

    config_path = ws.config.root / "config.toml"
    path = log_path(ws.state("."))
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(JsonLines())
    logger = logging.getLogger("docflow")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        logging.getLogger("docflow.reload").error(
            "Thay đổi cấu hình bị từ chối (1 vấn đề)", extra={"event": "config_refused"})
        admin = ws.outbox / "_quan-tri"
        admin.mkdir(parents=True, exist_ok=True)
        (admin / "20251201-090000-Cau-hinh-bi-tu-choi.txt").write_text("x", "utf-8")
        before = status_text(ws.config, NOW)
        assert "Thay đổi cấu hình bị từ chối (1 vấn đề)" in before
        assert "Thay đổi cấu hình bị từ chối, chưa khắc phục: 1" in before
        Reloader(config_path, load(config_path), 2.0, FixedClock(), check=lambda c: [])
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        handler.close()
    after = status_text(ws.config, NOW)
    assert "bị từ chối" not in after
    assert "Lỗi gần đây:\n  không có" in after


def test_status_says_how_large_the_ledger_has_grown(ws):
    dn_workbook(ws.inbox / "SNV" / "a.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
    process_inbox_file(ws.inbox / "SNV" / "a.xlsx", ws)
    size = sum(p.stat().st_size for p in ws.state(".").glob("ledger.sqlite3*")
               if not p.name.endswith("-shm"))
    megabytes = f"{max(size / 1e6, 0.1):.1f}".replace(".", ",")
    line = next(line for line in status_text(ws.config, NOW).splitlines()
                if line.startswith("Sổ theo dõi"))
    assert line == f"Sổ theo dõi (SQLite): {megabytes} MB (state/ledger.sqlite3)."


def test_the_counts_by_unit_and_state_come_from_the_ledger_without_reading_each_file(ws):
    dn_workbook(ws.inbox / "SNV" / "a.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
    dn_workbook(ws.inbox / "SNV" / "b.xlsx", dn_info("SNV"), [person("B", gender="?")])
    for path in waiting(ws.inbox):
        process_inbox_file(path, ws)
    assert ws.ledger.counts() == {("SNV", "accepted"): 1, ("SNV", "rejected"): 1}
    ((unit, period, accepted_at, file_id),) = ws.ledger.heads("DN")
    assert (unit, file_id) == ("SNV", ws.ledger.files("accepted", unit="SNV")[0].id)
    assert ws.ledger.files(unit="SYT") == []
