"""The `docflow` command speaks Vietnamese to an office, with a clear message and exit code for
every wrong argument, its exit codes documented, and `status` saying whether the service runs."""

from __future__ import annotations

import datetime as dt
import io
import os

import pytest
from builders import dn_info, dn_workbook, person, workspace

from docflow.cli import main
from docflow.cli.parser import COMMANDS
from docflow.cli.progress import ProgressView
from docflow.watch.status import write_snapshot

ENGLISH = ("usage:", "invalid choice", "the following arguments", "positional arguments",
           "options:", "show this help", "error:", "Traceback", "Package not found")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """The exit code and what the person reads, whether argparse exits or main returns."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    assert not any(word in out + err for word in ENGLISH), out + err
    return code, out, err


def test_the_help_is_vietnamese_and_documents_the_exit_codes(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert out.startswith("cách dùng: docflow [-h] [--config TỆP] [--version] LỆNH ...")
    assert "xem hướng dẫn này rồi thoát" in out and "tùy chọn:" in out and "các lệnh:" in out
    assert "Mã thoát" in out and "3  status --expect-running: dịch vụ docflow không chạy" in out


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_subcommand_has_its_own_vietnamese_help(capsys, command):
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert out.startswith(f"cách dùng: docflow {command}")
    assert COMMANDS[command][1].split(":")[0][:30] in out.replace("\n", " ")
    assert "Mã thoát" in out


def test_a_misspelt_command_names_the_closest_one(capsys):
    code, _, err = run(capsys, "stauts")
    assert code == 2
    assert "docflow: lỗi: LỆNH: không có lệnh hay lựa chọn 'stauts'. Có phải ý bạn là status? " \
           "Chọn một trong: run, watch, refresh, check, status, forms, serve, history, worker, ledger-copy, check-layout." in err


def test_no_command_says_which_are_missing(capsys):
    code, _, err = run(capsys)
    assert code == 2 and "docflow: lỗi: thiếu LỆNH." in err


def test_an_unknown_option_and_an_option_without_value_are_explained(capsys):
    code, _, err = run(capsys, "run", "--nhanh")
    assert code == 2 and "không hiểu tham số --nhanh; xem `docflow --help`." in err
    code, _, err = run(capsys, "--config")
    assert code == 2 and "--config: cần một giá trị ngay sau tùy chọn này." in err
    code, _, err = run(capsys, "check-layout")
    assert code == 2 and "thiếu TỆP.docx." in err


def test_a_folder_as_config_says_to_name_the_file_and_exits_2(tmp_path, capsys):
    code, _, err = run(capsys, "--config", str(tmp_path), "run")
    assert code == 2
    assert "đây là một thư mục, không phải tệp cấu hình; hãy chỉ tới tệp, ví dụ --config " \
           f"{tmp_path / 'config.toml'}." in err


def test_check_layout_on_a_missing_or_unreadable_file_says_so_and_exits_2(tmp_path, capsys):
    code, _, err = run(capsys, "check-layout", str(tmp_path / "khong-co.docx"))
    assert code == 2
    assert f"Lỗi: {tmp_path / 'khong-co.docx'}: không tìm thấy tệp; hãy chỉ tới một văn bản " \
           "Word .docx." in err
    (tmp_path / "hong.docx").write_bytes(b"not a docx")
    code, _, err = run(capsys, "check-layout", str(tmp_path / "hong.docx"))
    assert code == 2 and "không đọc được như văn bản Word .docx" in err


def test_status_says_the_service_is_not_running_and_exits_3_when_expected(tmp_path, capsys):
    config = workspace(tmp_path)
    code, out, _ = run(capsys, "--config", str(config), "status")
    assert code == 0 and "Dịch vụ docflow: KHÔNG chạy" in out
    code, _, err = run(capsys, "--config", str(config), "status", "--expect-running")
    assert code == 3 and "dịch vụ docflow không chạy" in err


def test_status_exits_0_with_expect_running_when_the_service_runs(tmp_path, capsys):
    config = workspace(tmp_path)
    write_snapshot(tmp_path / "state", {"pid": os.getpid(), "host": os.uname().nodename,
                                        "running": True, "started": "2025-12-01T08:00:00",
                                        "workers": 2}, dt.datetime.now())
    code, out, _ = run(capsys, "--config", str(config), "status", "--expect-running")
    assert code == 0 and f"Dịch vụ docflow: đang chạy (PID {os.getpid()}" in out


def test_a_service_whose_process_died_is_not_running(tmp_path, capsys):
    config = workspace(tmp_path)
    write_snapshot(tmp_path / "state", {"pid": 2 ** 22 + 12345, "host": os.uname().nodename,
                                        "running": True, "started": "2025-12-01T08:00:00",
                                        "workers": 2}, dt.datetime.now())
    code, out, _ = run(capsys, "--config", str(config), "status", "--expect-running")
    assert code == 3 and "KHÔNG chạy (tiến trình PID 4206649 không còn" in out


def test_run_prints_plain_progress_lines_when_not_on_a_terminal(tmp_path, capsys):
    config = workspace(tmp_path)
    for n in range(20):
        dn_workbook(tmp_path / "inbox" / "SNV" / f"dn-{n:02}.xlsx",
                    dn_info("SNV", proposal_number=f"{n}/TTr-SNV"), [person(f"Người {n}")])
    code, out, _ = run(capsys, "--config", str(config), "run")
    assert code == 0
    lines = out.splitlines()
    assert "Tiến độ: 1/20 tệp (5%): 1 tiếp nhận" in lines
    assert "Tiến độ: 20/20 tệp (100%): 20 tiếp nhận" in lines
    assert "Đang lập lại các văn bản tổng hợp…" in lines and "Đã xử lý 20 tệp." in lines
    assert "\r" not in out


def test_on_a_terminal_the_bar_is_redrawn_in_place_with_counts():
    screen = io.StringIO()
    view = ProgressView(screen, tty=True)
    view.file_done(1, 4, "accepted", "[SNV] a.xlsx: tiếp nhận")
    view.file_done(2, 4, "rejected", "[SYT] b.xlsx: trả lại (có lỗi), 1 lỗi")
    view.close()
    text = screen.getvalue()
    assert "[SNV] a.xlsx: tiếp nhận\n[██████░░░░░░░░░░░░░░░░░░] 1/4 tệp (25%): 1 tiếp nhận" in text
    assert "\r\033[K[SYT] b.xlsx: trả lại (có lỗi), 1 lỗi\n[████████████░░░░░░░░░░░░] 2/4 tệp " \
           "(50%): 1 tiếp nhận, 1 trả lại" in text


def test_watch_creates_the_inbox_and_outbox_folders_of_active_units_only(tmp_path):
    import datetime as dt

    from docflow.config import load
    from docflow.workspace import unit_folders

    config = load(workspace(tmp_path))
    made = unit_folders(config, dt.date(2025, 12, 1))
    active = {u.code for u in config.units if u.valid_on(dt.date(2025, 12, 1))}
    gone = {u.code for u in config.units} - active
    assert gone, "the sample has a unit that no longer exists (merged districts)"
    assert {p.name for p in (tmp_path / "inbox").iterdir()} == active
    assert {p.name for p in (tmp_path / "outbox").iterdir()} == active
    assert len(made) == 2 * len(active)
    assert unit_folders(config, dt.date(2025, 12, 1)) == []  # once only


def test_a_drafts_word_and_pdf_count_as_one_document_in_updated_drafts():
    from docflow.pipeline import count_documents

    made = ["/o/_tong-hop/Quyet-dinh-bang-khen.docx", "/o/_tong-hop/Quyet-dinh-bang-khen.pdf",
            "/o/_tong-hop/To-trinh.docx", "/o/_tong-hop/To-trinh.pdf"]
    assert f"Đã cập nhật {count_documents(made)} văn bản tổng hợp." == \
        "Đã cập nhật 2 văn bản tổng hợp."
