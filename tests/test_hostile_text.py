"""Names that do not say what they show, unit folders that only look like a code, file names
that try to forge log lines (issue 18, items 11 and 17)."""

from __future__ import annotations

import json
import logging

from builders import dn_info, dn_workbook, person

from docflow.logs import configure, log_path
from docflow.pipeline import process_inbox_file


def report_text(ws, unit: str = "SNV") -> str:
    return next((ws.outbox / unit).glob("*Phieu-bao-loi*.txt")).read_text(encoding="utf-8")


def drop(ws, unit: str, name: str, file: str = "de-nghi.xlsx", **row):
    return process_inbox_file(dn_workbook(ws.inbox / unit / file, dn_info(unit),
                                          [person(name, **row)]), ws)


def test_a_zero_width_space_or_soft_hyphen_does_not_make_a_second_person(ws):
    assert drop(ws, "SNV", "Nguyễn Văn An").status == "accepted"
    outcome = drop(ws, "SYT", "Nguyễn Văn\u200b An\u00ad")
    assert outcome.status == "rejected"
    (problem,) = outcome.problems
    assert problem.code == "duplicate_person" and problem.location == "Danh sách!C2"
    # the clerk is told which unit by its name, not by its code
    assert "đã được đề nghị trong phong trào này (Sở Nội vụ)" in problem.message


def test_a_cyrillic_look_alike_letter_in_a_name_is_refused_with_its_cell(ws):
    outcome = drop(ws, "SNV", "Nguyễn Văn \u0410n")  # Cyrillic А
    assert outcome.status == "rejected"
    (problem,) = outcome.problems
    assert problem.location == "Danh sách!C2"
    assert "trộn chữ Latinh với chữ Kirin" in report_text(ws)


def test_a_greek_omicron_in_the_signer_is_refused(ws):
    path = dn_workbook(ws.inbox / "SNV" / "a.xlsx", dn_info("SNV", signer="Trần Văn B\u03bfnh"),
                       [person("Nguyễn Văn An")])
    outcome = process_inbox_file(path, ws)
    assert [p.code for p in outcome.problems] == ["value.mixed_script"]
    assert "Hy Lạp" in outcome.problems[0].message


def test_bidi_controls_are_refused_in_any_text_cell(ws):
    outcome = drop(ws, "SNV", "Nguyễn Văn An", position="\u202eGiám đốc")
    assert outcome.status == "rejected"
    (problem,) = outcome.problems
    assert problem.code == "value.bidi_control" and problem.location == "Danh sách!F2"
    assert "U+202E" in report_text(ws) and "đảo ngược" in report_text(ws)


def test_a_name_of_only_emoji_or_only_marks_is_refused(ws):
    assert [p.code for p in drop(ws, "SNV", "😀😀", file="a.xlsx").problems] \
        == ["value.no_letters"]
    assert [p.code for p in drop(ws, "SNV", "\u0301\u0303", file="b.xlsx").problems] \
        == ["value.no_letters"]


def test_a_name_in_one_other_script_is_not_a_look_alike(ws):
    assert drop(ws, "SNV", "李小龙").status == "accepted"


def test_the_folder_long_s_nv_is_not_the_unit_snv(ws):
    outcome = drop(ws, "ſnv", "Nguyễn Văn An")
    assert outcome.status == "rejected"
    assert outcome.unit == "ſnv"
    assert [p.code for p in outcome.problems] == ["unit.unknown_folder"]
    assert not (ws.outbox / "SNV").exists()
    assert list((ws.outbox / "_quan-tri").glob("*Phieu-bao-loi*"))


def test_a_file_name_with_a_newline_cannot_forge_a_log_line(ws, capsys):
    handlers = configure(ws.config.path("state"))
    try:
        name = "a\n09:00:00 [SNV] gia-mao.xlsx: tiếp nhận\u2028x.xlsx"
        logging.getLogger("docflow").warning("Tệp %s làm bộ đọc lỗi", name, extra={"file": name})
    finally:
        for h in handlers:
            logging.getLogger().removeHandler(h)
            h.close()
    console = capsys.readouterr().err
    assert len(console.strip().splitlines()) == 1
    assert "a\\n09:00:00 [SNV] gia-mao.xlsx" in console
    lines = log_path(ws.config.path("state")).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert "\n" not in record["msg"] and "\u2028" not in record["file"]
