"""A unit's file dropped into another unit's folder is nobody's error to fix: the folder's owner
is told in one line, gets no copy of it, and the unit it belongs to is told where it went."""

from __future__ import annotations

from builders import dn_info, dn_workbook, person
from docx_reader import full_text

from docflow.pipeline import process_all


def _only(folder):
    files = sorted(p for p in folder.iterdir())
    assert len(files) == 1, files
    return files[0]


def test_a_health_nomination_in_the_education_folder_is_returned_to_its_owner(ws):
    sent = dn_workbook(ws.inbox / "SGDDT" / "de-nghi.xlsx", dn_info("SYT"), [
        person("Nguyễn Thị Hạnh", "Nữ", workplace="Bệnh viện A tỉnh")])
    original = sent.read_bytes()
    (outcome,) = process_all(ws)
    assert outcome.status == "rejected"
    assert [p.code for p in outcome.problems] == ["unit.misfiled"]

    notice = _only(ws.outbox / "SGDDT")
    assert notice.suffix == ".txt"
    text = notice.read_text(encoding="utf-8")
    assert "“de-nghi.xlsx”" in text and "là hồ sơ đề nghị khen thưởng của Sở Y tế" in text
    assert "không được xử lý" in text
    for private in ("Nguyễn Thị Hạnh", "Bệnh viện A", "Trần Văn Bình", "12/TTr-SYT"):
        assert private not in text  # nothing of the file's content goes to another unit

    told = _only(ws.outbox / "SYT").read_text(encoding="utf-8")
    assert "đặt nhầm vào thư mục inbox/SGDDT/ của Sở Giáo dục và Đào tạo" in told
    assert "chép tệp vào thư mục inbox/SYT/" in told

    (kept,) = (ws.state("rejected") / "SGDDT").rglob("de-nghi.xlsx")
    assert kept.read_bytes() == original
    assert not (ws.outbox / "_tong-hop").exists() or not any((ws.outbox / "_tong-hop").iterdir())
    assert ws.ledger.current("DN") == []


def test_a_wrong_code_with_the_folders_own_name_is_an_ordinary_error(ws):
    dn_workbook(ws.inbox / "SGDDT" / "de-nghi.xlsx",
                dn_info("SYT", unit_name="Sở Giáo dục và Đào tạo"), [person("Lê Văn Dũng")])
    (outcome,) = process_all(ws)
    assert outcome.status == "rejected"
    assert [p.code for p in outcome.problems] == ["unit.folder_mismatch"]
    (slip,) = (ws.outbox / "SGDDT").glob("*Phieu-bao-loi*.docx")
    assert "Thông tin!B1" in full_text(slip).replace("\u00a0", " ")  # kept on one line
    assert not (ws.outbox / "SYT").exists() or not any((ws.outbox / "SYT").iterdir())
