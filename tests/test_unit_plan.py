"""A unit's plan is usable as issued: the provincial plan's §IV adapted to the unit, the
deadlines from config, who coordinates and whom to call, the unit's targets, in its own words."""

from __future__ import annotations

import datetime as dt
import re

from builders import dk_workbook, workspace
from docx_reader import full_text, paragraphs_after, table_after

from docflow.config import load
from docflow.pipeline import process_all
from docflow.workspace import Workspace

PLAN = "Ke-hoach-trien-khai-phong-trao-thi-dua.docx"
TARGETS = [[1, "Cuộc thi tìm hiểu về Quốc hội cho học sinh", 1, "cuộc thi", dt.date(2025, 10, 30),
            "Phòng Giáo dục trung học"]]


def _plan(ws, unit: str, name: str, **info) -> str:
    dk_workbook(ws.inbox / unit / "dk.xlsx", unit, TARGETS, **{"Tên đơn vị": name}, **info)
    (outcome,) = process_all(ws)
    assert outcome.status == "accepted", outcome.problems
    return ws.outbox / unit / PLAN


def test_an_education_departments_plan_carries_awards_criteria_deadlines_and_contact(ws):
    plan = _plan(ws, "SGDDT", "Sở Giáo dục và Đào tạo",
                 **{"Người liên hệ": "Nguyễn Thu Hà", "Điện thoại": "0208 3855 123"})
    text = full_text(plan)
    # wording fits a school department
    assert "triển khai sâu rộng đến cán bộ, nhà giáo, nhân viên và học sinh" in text
    assert "các trường học, cơ sở giáo dục trực thuộc" in text
    # the provincial plan's §IV, adapted
    awards = paragraphs_after(plan, "2. Hình thức khen thưởng")[1:]
    assert awards[:7] == [
        "a) Khen thưởng hằng năm:", "- Giấy khen của Giám đốc Sở Giáo dục và Đào tạo.",
        "b) Khen thưởng tổng kết phong trào thi đua:",
        "- Bằng khen của Thủ tướng Chính phủ (mỗi đơn vị đề nghị không quá 02 tập thể, cá nhân);",
        "- Bằng khen của Chủ tịch UBND tỉnh (mỗi đơn vị đề nghị không quá 05 tập thể, cá nhân);",
        "- Giấy khen của Giám đốc Sở Giáo dục và Đào tạo.", "3. Tiêu chí thi đua"]
    for line in ("1. Đối tượng khen thưởng", "a) Đối với tập thể:", "b) Đối với cá nhân:",
                 "c) Điều kiện đề nghị khen thưởng cấp trên:",
                 "- Cá nhân được đề nghị Bằng khen của Thủ tướng Chính phủ phải có sáng kiến được "
                 "công nhận."):
        assert line in text.splitlines(), line
    # who coordinates, by when, and whom to call
    organisation = paragraphs_after(plan, "V. TỔ CHỨC THỰC HIỆN")[1:]
    assert organisation[0].startswith("1. Văn phòng Sở là đầu mối, tham mưu Giám đốc")
    assert "gửi Ủy ban nhân dân tỉnh (qua Ban Thi đua - Khen thưởng, Sở Nội vụ)" in organisation[0]
    assert organisation[1:3] == [
        "- Hồ sơ đề nghị khen thưởng tổng kết phong trào thi đua: trước ngày 10/12/2025;",
        "- Báo cáo kết quả thực hiện phong trào thi đua năm 2025: trước ngày 20/12/2025."]
    assert ("Đầu mối liên hệ: đồng chí Nguyễn Thu Hà, điện thoại 0208 3855 123, thư điện tử "
            "vanthu@thainguyen.gov.vn.") in organisation
    # the unit's own targets
    assert table_after(plan, "3. Các chỉ tiêu thi đua đăng ký thực hiện:")[1][1] == \
        "Cuộc thi tìm hiểu về Quốc hội cho học sinh"
    # the single basis ends the block with a full stop
    (basis,) = [line for line in text.splitlines() if line.startswith("Căn cứ")]
    assert basis.endswith("(06/01/1946 - 06/01/2026).")


def test_a_health_department_speaks_of_doctors_and_the_youth_union_of_its_members(ws):
    health = full_text(_plan(ws, "SYT", "Sở Y tế"))
    assert "y, bác sĩ và người lao động ngành y tế" in health and "nhà giáo" not in health
    assert "Đầu mối liên hệ" not in health  # no contact given, no empty line
    youth = full_text(_plan(ws, "TINHDOAN", "Tỉnh đoàn Thái Nguyên",
                            **{"Chức danh thủ trưởng": "Bí thư", "Chức vụ người ký": "Phó Bí thư"}))
    assert "cán bộ, đoàn viên, thanh niên và thiếu nhi" in youth
    assert "- Giấy khen của Bí thư Tỉnh đoàn Thái Nguyên." in youth
    assert "1. Văn phòng Tỉnh đoàn là đầu mối, tham mưu Bí thư" in youth
    assert "phản biện xã hội" in youth  # a mass organisation's own criterion


def test_without_deadlines_in_config_the_plan_defers_to_the_provinces_notice(tmp_path, clock):
    path = workspace(tmp_path)
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^\[\[deadlines\]\]\n.*?\n\n", "", text)
    path.write_text(text, encoding="utf-8")
    config = load(path)
    assert config.deadlines == ()
    ws = Workspace.open(config, clock, converter=None)
    try:
        organisation = paragraphs_after(_plan(ws, "SNV", "Sở Nội vụ"),
                                        "V. TỔ CHỨC THỰC HIỆN")[1:]
    finally:
        ws.close()
    assert organisation[0].endswith(
        "(qua Ban Thi đua - Khen thưởng, Sở Nội vụ), theo thời hạn Ủy ban nhân dân tỉnh thông báo.")
    assert organisation[1].startswith("2. Các phòng, đơn vị trực thuộc căn cứ Kế hoạch này")
