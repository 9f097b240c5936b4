"""A `docflow worker` keeps the limits of the embedded pool: a file over `file_timeout_seconds` is
stopped by Celery's hard time limit and answered as failed, never left hanging; and a worker
takes the config and templates the watcher accepted before its next job, never a broken one."""

from __future__ import annotations

import os
import re
from pathlib import Path

from builders import dn_info, dn_workbook, person
from docx_reader import full_text
from engine_helpers import celery_config, workers
from test_watch_live import service, wait_for

from docflow.config import load
from docflow.engine import CeleryDispatcher
from docflow.models import Status
from docflow.workspace import Workspace


def with_timeout(config_path: Path, seconds: float) -> None:
    text = config_path.read_text("utf-8")
    config_path.write_text(re.sub(r"(?m)^file_timeout_seconds = \S+",
                                  f"file_timeout_seconds = {seconds}", text), "utf-8")


def test_a_file_over_the_time_limit_in_a_celery_worker_is_stopped_and_answered_as_failed(
        tmp_path, postgres, redis_server):
    config_path = celery_config(tmp_path, redis_server.url.replace("/0", "/3"),
                                postgres.new_database())
    with_timeout(config_path, 3.0)
    ws = Workspace.open(load(config_path), converter=None)
    # the file's validation waits for the campaign, which the test holds: a file that hangs
    assert ws.ledger.try_lease("campaign", ttl=600)
    outcomes = []
    (tmp_path / "logs").mkdir()
    with workers(config_path, 1, tmp_path / "logs") as running, \
            service(ws, dispatcher=CeleryDispatcher, on_outcome=outcomes.append):
        dn_workbook(ws.inbox / "SNV" / "lon.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
        wait_for(lambda: outcomes, 60, "the stuck file was not stopped")
        logs = running.log_text()
    ws.ledger.release("campaign")

    assert [(o.status, o.name) for o in outcomes] == [(Status.FAILED, "lon.xlsx")]
    assert "TimeLimitExceeded" in logs  # Celery's hard limit ended the worker's child
    (row,) = ws.ledger.files()
    assert row.status == Status.FAILED
    report = next((ws.outbox / "_quan-tri").glob("*Loi-xu-ly-lon.txt")).read_text("utf-8")
    assert "quá thời hạn 3 giây" in report and "file_timeout_seconds" in report
    # the file stays claimed: retried while running, or at the next start
    assert [p.name for p in ws.state("work").rglob("*.xlsx")] == ["lon.xlsx"]
    ws.close()


def receipt_intro(ws: Workspace, name: str) -> str:
    # a superseded version's receipt has moved to outbox/SNV/cu/
    (receipt,) = (ws.outbox / "SNV").rglob(f"*-Phieu-tiep-nhan-{name}.docx")
    return next(line for line in full_text(receipt).splitlines() if "đã tiếp nhận tệp" in line)


def test_a_celery_worker_takes_the_config_the_watcher_accepted_before_its_next_job(
        tmp_path, postgres, redis_server):
    config_path = celery_config(tmp_path, redis_server.url.replace("/0", "/4"),
                                postgres.new_database())
    ws = Workspace.open(load(config_path), converter=None)
    admin = ws.outbox / "_quan-tri"
    outcomes = []

    def send(name: str, nominee: str) -> None:
        count = len(outcomes)
        dn_workbook(ws.inbox / "SNV" / f"{name}.xlsx", dn_info("SNV"), [person(nominee)])
        wait_for(lambda: len(outcomes) > count, 60, f"{name}.xlsx was not answered")

    def edit(text: str) -> None:
        config_path.write_text(text, "utf-8")
        st = config_path.stat()  # a change is seen whatever the clock's resolution
        os.utime(config_path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))

    (tmp_path / "logs").mkdir()
    good = config_path.read_text("utf-8")
    with workers(config_path, 1, tmp_path / "logs") as running, \
            service(ws, dispatcher=CeleryDispatcher, on_outcome=outcomes.append,
                    config_path=config_path):
        send("truoc", "Nguyễn Văn An")
        edit(good.replace('department = "Ban Thi đua - Khen thưởng"',
                          'department = "Phòng Thi đua - Khen thưởng"'))
        wait_for(lambda: "sau khi thay đổi được kiểm tra" in (admin / "Dang-dung.txt")
                 .read_text("utf-8"), 60, "the watcher did not take the good change")
        send("sau", "Trần Thị Bình")
        # a broken config.toml: refused by the watcher, so never taken by the worker either
        edit(good.replace('department = "Ban Thi đua - Khen thưởng"', "department = "))
        wait_for(lambda: list(admin.glob("*-Cau-hinh-bi-tu-choi.txt")), 60,
                 "the broken change was not refused")
        send("hong", "Lê Văn Cường")
        logs = running.log_text()

    assert [o.status for o in outcomes] == [Status.ACCEPTED] * 3
    assert receipt_intro(ws, "truoc").startswith("Ban Thi đua - Khen thưởng đã tiếp nhận")
    assert receipt_intro(ws, "sau").startswith("Phòng Thi đua - Khen thưởng đã tiếp nhận")
    assert receipt_intro(ws, "hong").startswith("Phòng Thi đua - Khen thưởng đã tiếp nhận")
    assert "Worker dùng cấu hình và mẫu Word đã được chấp nhận" in logs
    ws.close()
