"""config.toml and the Word templates change under a running service: good changes are taken,
broken ones refused with a report, and the last good version keeps running."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from builders import FixedClock, config_line, workspace
from docx import Document

from docflow.config import load
from docflow.watch.reload import Reloader, fingerprint, snapshot

SETTLE = 2.0


def no_template_problems(config):
    return []


@pytest.fixture
def setup(tmp_path):
    """A reloader on a fresh workspace; config tests skip rendering the templates (slow)."""
    config_path = workspace(tmp_path)
    reloader = Reloader(config_path, load(config_path), SETTLE, FixedClock(),
                        check=no_template_problems)
    return config_path, reloader


@pytest.fixture
def checked(tmp_path):
    """A reloader that renders every template with sample data, as the service does."""
    config_path = workspace(tmp_path)
    return config_path, Reloader(config_path, load(config_path), SETTLE, FixedClock())


def touch(path: Path, text: str | None = None, data: bytes | None = None) -> None:
    """Write, then move the mtime on, so a change is seen whatever the clock resolution."""
    if text is not None:
        path.write_text(text, encoding="utf-8")
    if data is not None:
        path.write_bytes(data)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))


def settle(reloader: Reloader, start: float = 100.0):
    """Poll as the service does: once to see the change, once after it stood still."""
    assert reloader.poll(start) is None
    return reloader.poll(start + SETTLE)


def admin_reports(config_path: Path) -> list[str]:
    folder = config_path.parent / "outbox" / "_quan-tri"
    return [p.read_text("utf-8") for p in sorted(folder.glob("*Cau-hinh-bi-tu-choi.txt"))]


def test_templates_run_from_a_snapshot_in_the_state_folder(setup):
    config_path, reloader = setup
    templates = reloader.current.config.path("templates")
    assert templates.parent == config_path.parent / "state" / "templates"
    assert (templates / "phieu-tiep-nhan.docx").is_file()


def test_a_good_change_is_applied_once_it_stands_still(setup):
    config_path, reloader = setup
    text = config_path.read_text("utf-8").replace("stability_seconds = 2.0",
                                                  "stability_seconds = 3.5")
    touch(config_path, text)
    assert reloader.poll(100.0) is None
    assert reloader.poll(101.0) is None          # still inside the settle delay
    version = reloader.poll(100.0 + SETTLE)
    assert version is not None and version.config.watch.stability_seconds == 3.5
    assert reloader.current is version
    assert admin_reports(config_path) == []


def test_a_broken_config_is_refused_with_a_report_and_the_old_one_keeps_running(setup):
    config_path, reloader = setup
    good = reloader.current
    touch(config_path, config_path.read_text("utf-8").replace("workers = 3", 'workers = "hai"'))
    assert settle(reloader) is None
    assert reloader.current is good
    (report,) = admin_reports(config_path)
    assert "KHÔNG được áp dụng" in report
    line = config_line("workers = 3")
    assert f"bảng [watch], dòng {line}, khóa workers: cần số nguyên; đang là chữ 'hai'" in report
    assert f"vẫn chạy theo phiên bản hợp lệ trước đó ({good.label}" in report
    assert settle(reloader, 200.0) is None       # the same broken file is reported once
    assert len(admin_reports(config_path)) == 1


def test_a_template_with_a_broken_tag_is_refused_and_the_good_copy_still_used(checked):
    config_path, reloader = checked
    good = reloader.current.config.path("templates") / "phieu-tiep-nhan.docx"
    good_bytes = good.read_bytes()
    doc = Document()
    doc.add_paragraph("{% if %} Phiếu tiếp nhận")
    live = config_path.parent / "templates" / "phieu-tiep-nhan.docx"
    doc.save(live)
    touch(live)
    assert settle(reloader) is None
    (report,) = admin_reports(config_path)
    assert "phieu-tiep-nhan.docx" in report
    assert good.read_bytes() == good_bytes


def test_a_template_that_is_not_a_docx_is_refused(checked):
    config_path, reloader = checked
    touch(config_path.parent / "templates" / "quyet-dinh-bang-khen.docx", data=b"khong phai docx")
    assert settle(reloader) is None
    assert len(admin_reports(config_path)) == 1


def test_moving_the_folders_needs_a_restart_and_is_refused(setup):
    config_path, reloader = setup
    touch(config_path, config_path.read_text("utf-8").replace('inbox = "inbox"', 'inbox = "hop-thu"'))
    assert settle(reloader) is None
    (report,) = admin_reports(config_path)
    assert "paths.inbox: đổi thư mục chỉ có hiệu lực khi khởi động lại" in report


def test_a_change_still_being_saved_waits(setup):
    config_path, reloader = setup
    for step in range(4):                        # the editor saves again every second
        touch(config_path, config_path.read_text("utf-8") + f"\n# lần {step}\n")
        assert reloader.poll(100.0 + step) is None
    assert reloader.poll(103.0 + SETTLE) is not None


def test_word_lock_files_beside_the_templates_change_nothing(tmp_path):
    config_path = workspace(tmp_path)
    before = fingerprint(config_path, tmp_path / "templates")
    (tmp_path / "templates" / "~$ieu-tiep-nhan.docx").write_bytes(b"owner")
    assert fingerprint(config_path, tmp_path / "templates") == before


def test_a_snapshot_is_made_once_per_content(tmp_path):
    workspace(tmp_path)
    first = snapshot(tmp_path / "templates", tmp_path / "snap")
    assert snapshot(tmp_path / "templates", tmp_path / "snap") == first
    assert sorted(p.name for p in first.iterdir()) == sorted(
        p.name for p in (tmp_path / "templates").glob("*.docx"))


def test_a_good_template_change_is_previewed_for_the_administrator(tmp_path):
    config_path = workspace(tmp_path, pdf=True)
    reloader = Reloader(config_path, load(config_path), SETTLE, FixedClock())
    live = config_path.parent / "templates" / "phieu-tiep-nhan.docx"
    doc = Document(str(live))
    doc.add_paragraph("Lời nhắn mới của Ban Thi đua - Khen thưởng.")
    doc.save(str(live))
    touch(live)
    assert settle(reloader) is not None
    preview = config_path.parent / "outbox" / "_quan-tri" / "Xem-truoc-phieu-tiep-nhan.pdf"
    from pypdf import PdfReader
    text = "".join(page.extract_text() for page in PdfReader(preview).pages)
    assert "Lời nhắn mới của Ban Thi đua - Khen thưởng." in text
    others = [p.name for p in preview.parent.glob("Xem-truoc-*")]
    assert others == ["Xem-truoc-phieu-tiep-nhan.pdf"]  # only the template that changed


def test_a_preview_pdf_is_marked_as_sample_on_every_page_with_sample_names(tmp_path):
    """A two-page decision rendered through LibreOffice: the mark on each page, no real name."""
    from pypdf import PdfReader
    from docflow.documents import previews

    config = load(workspace(tmp_path, pdf=True))
    files = previews(config, {"quyet-dinh-bang-khen.docx"})
    (tmp_path / "xem-truoc.pdf").write_bytes(files["quyet-dinh-bang-khen.pdf"])
    pages = [page.extract_text() for page in PdfReader(tmp_path / "xem-truoc.pdf").pages]
    assert len(pages) >= 2
    assert all("BẢN XEM TRƯỚC – DỮ LIỆU MẪU" in page for page in pages)
    assert "Ông Nguyễn Văn Mẫu" in "".join(pages) and "Phòng Mẫu" in "".join(pages)


def test_an_accepted_change_leaves_a_short_in_use_note_and_moves_fixed_refusals_aside(setup):
    config_path, reloader = setup
    good_text = config_path.read_text("utf-8")
    touch(config_path, good_text.replace("workers = 3", 'workers = "hai"'))
    assert settle(reloader) is None
    admin = config_path.parent / "outbox" / "_quan-tri"
    (refusal,) = admin.glob("*-Cau-hinh-bi-tu-choi.txt")
    touch(config_path, good_text.replace("stability_seconds = 2.0", "stability_seconds = 3.0"))
    version = settle(reloader, 300.0)
    assert version is not None
    note = (admin / "Dang-dung.txt").read_text("utf-8")
    assert note.startswith(f"docflow đang dùng cấu hình {version.config_hash}, mẫu Word "
                           f"{version.label}, từ 09:30 ngày 01/12/2025 (sau khi thay đổi được "
                           "kiểm tra).")
    assert "1 thông báo từ chối trước đó đã được khắc phục, đã chuyển vào thư mục da-khac-phuc/" \
        in note
    assert len(version.config_hash) == 8 and len(version.label) == 8
    assert not refusal.exists(), "a fixed refusal no longer sits among the open ones"
    assert (admin / "da-khac-phuc" / refusal.name).is_file(), "moved, never deleted"
    assert admin_reports(config_path) == []


def test_the_service_starting_on_a_good_config_says_what_it_uses(setup):
    config_path, reloader = setup
    note = (config_path.parent / "outbox" / "_quan-tri" / "Dang-dung.txt").read_text("utf-8")
    assert f"docflow đang dùng {reloader.current.describe()} (khi khởi động dịch vụ)." in note
    assert "khắc phục" not in note  # nothing was refused before


def test_six_refused_template_edits_never_remove_the_running_snapshot(tmp_path):
    from builders import dn_info, dn_workbook, person

    from docflow.pipeline import process_inbox_file
    from docflow.workspace import Workspace

    config_path = workspace(tmp_path)
    first = snapshot(tmp_path / "templates", tmp_path / "state" / "templates").name
    clock = FixedClock()
    reloader = Reloader(config_path, load(config_path), SETTLE, clock,
                        check=lambda config: [] if config.path("templates").name == first
                        else ["thẻ {{ hỏng"])
    decision = tmp_path / "templates" / "quyet-dinh-bang-khen.docx"
    for attempt in range(6):
        touch(decision, data=decision.read_bytes() + b"\0" * (attempt + 1))
        clock.advance(60)
        assert settle(reloader, 100.0 + 10 * attempt) is None
    assert len(admin_reports(config_path)) == 6
    running = reloader.current.config
    assert running.path("templates").name == first and running.path("templates").is_dir()
    ws = Workspace.open(running, FixedClock(), converter=None)
    try:
        path = dn_workbook(ws.inbox / "SNV" / "de-nghi.xlsx", dn_info("SNV"), [person("An")])
        assert process_inbox_file(path, ws).status == "accepted"
    finally:
        ws.close()
