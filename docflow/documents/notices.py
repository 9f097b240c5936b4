"""What the sender and the administrator are told: receipts, error reports, short notices."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath

from docflow.catalog import kind
from docflow.validation import NOMINATION_SHEET
from docflow.config import Config
from docflow.store import FileRow
from docflow.models import Problem, Status, Submission, Validation
from docflow.documents.contexts import Document, notice_context, problem_rows
from docflow.text import slug

RECEIPT, ERROR_REPORT = kind("phieu_tiep_nhan").template, kind("phieu_bao_loi").template


def receipt(config: Config, sub: Submission, validation: Validation, file_id: int, digest: str,
            now: dt.datetime, stamp: str, replaced_at: str | None,
            fed: list[str]) -> Document:
    """The Phiếu tiếp nhận: what was read, counts, warnings, and which documents it refreshed."""
    unit = config.unit(sub.unit_folder)
    form = config.forms[sub.kind]
    info = _info(config, sub.unit_folder, sub.file_name, file_id, digest, now)
    info.append(("Biểu mẫu", f"{form.code} — {form.title}"))
    if replaced_at:
        day = dt.datetime.fromisoformat(replaced_at)
        info.append(("Thay thế", f"thay thế bản nộp ngày {day:%d/%m/%Y} lúc {day:%H:%M}"))
    context = notice_context(config, unit, "PHIẾU TIẾP NHẬN", f"Hồ sơ {form.title.lower()}",
                             f"{file_id:02d}/PTN", now, info)
    context.update(
        intro=(f"{config.office.department} đã tiếp nhận tệp “{sub.file_name}” của "
               f"{unit.name if unit else sub.unit_folder}. Hồ sơ hợp lệ và đã được "
               + ("ghi vào sổ theo dõi khen thưởng." if sub.kind == config.register.history_form
                  else "đưa vào tổng hợp.")),
        counts=[{"label": k, "value": str(v)} for k, v in [*sub.counts, *_award_counts(validation)]],
        warnings=[_warning_line(p) for p in validation.warnings] + list(sub.notes),
        outputs=fed or ["(không có văn bản tổng hợp nào thay đổi)"])
    name = f"{stamp}-Phieu-tiep-nhan-{slug(PurePosixPath(sub.file_name).stem)}.docx"
    return Document(RECEIPT, context, f"{sub.unit_folder}/{name}")


def error_report(config: Config, unit_folder: str, file_name: str, sub: Submission | None,
                 problems: list[Problem], file_id: int, digest: str, now: dt.datetime,
                 stamp: str, folder: str) -> list[Document]:
    """The Phiếu báo lỗi (docx) and its short text twin, listing every problem at once."""
    unit = config.unit(unit_folder)
    info = _info(config, unit_folder, file_name, file_id, digest, now)
    if sub:
        form = config.forms[sub.kind]
        info.append(("Biểu mẫu", f"{form.code} — {form.title}"))
    errors = [p for p in problems if p.is_error]
    info.append(("Số lỗi phải sửa", str(len(errors))))
    context = notice_context(config, unit, "PHIẾU BÁO LỖI",
                             "Hồ sơ chưa được tiếp nhận", f"{file_id:02d}/PBL", now, info)
    context.update(
        intro=(f"{config.office.department} đã nhận tệp “{file_name}” nhưng chưa thể tiếp nhận "
               f"vì có {len(errors)} lỗi. Dưới đây là toàn bộ các lỗi; đơn vị sửa tất cả rồi gửi "
               "lại một lần."),
        problems=problem_rows(problems),
        instructions=[
            "Mở tệp của đơn vị, sửa đúng các ô ghi ở cột “Vị trí” (ví dụ Danh sách!H7 là trang "
            "tính “Danh sách”, ô H7) theo cột “Yêu cầu”." + (
                " Tệp “Danh-dau-loi” gửi kèm là bản sao tệp của đơn vị, các ô lỗi được tô màu "
                "và có ghi chú." if sub and file_name.lower().endswith(".xlsx") else ""),
            f"Lưu tệp rồi chép lại vào thư mục inbox/{unit_folder or '<MÃ ĐƠN VỊ>'}/; bản gửi "
            "sau sẽ được kiểm tra lại từ đầu.",
            "Tệp đã gửi vẫn được lưu giữ; không có tệp nào bị xóa."])
    base = f"{folder}/{stamp}-Phieu-bao-loi-{slug(PurePosixPath(file_name).stem)}"
    text = _error_text(file_name, unit_folder, problems)
    return [Document(ERROR_REPORT, context, f"{base}.docx"),
            Document("", {}, f"{base}.txt", data=text.encode("utf-8"))]


def annotated_name(folder: str, stamp: str, file_name: str) -> str:
    """Where the highlighted copy of the unit's workbook goes."""
    return f"{folder}/{stamp}-Danh-dau-loi-{slug(PurePosixPath(file_name).stem)}.xlsx"


def duplicate_notice(file_name: str, earlier: FileRow, now: dt.datetime, stamp: str,
                     folder: str) -> tuple[str, str]:
    """A short text saying the same bytes were already processed, and where the answer is."""
    when = dt.datetime.fromisoformat(earlier.received_at)
    outcome = "đã được tiếp nhận" if earlier.status == Status.ACCEPTED else "đã bị trả lại vì có lỗi"
    answers = "\n".join(f"  - {PurePosixPath(p).name}" for p in earlier.outputs)
    body = (f"Tệp “{file_name}” trùng hoàn toàn với tệp “{earlier.name}” nhận lúc "
            f"{when:%H:%M} ngày {when:%d/%m/%Y}, tệp đó {outcome}. Không xử lý lại.\n"
            f"Kết quả đã trả lần trước:\n{answers}\n"
            "Nếu đơn vị muốn sửa hồ sơ, hãy sửa nội dung tệp rồi gửi lại.\n"
            f"(Thông báo lập tự động lúc {now:%H:%M} ngày {now:%d/%m/%Y}.)\n")
    return f"{folder}/{stamp}-Tep-trung-{slug(PurePosixPath(file_name).stem)}.txt", body


def waiting_notice(file_name: str, names: list[str], minutes: float,
                   stamp: str) -> tuple[str, str]:
    """Told once to the unit: the form is valid, its PDFs are awaited."""
    listed = "\n".join(f"  - {n}" for n in names)
    body = (f"Tệp “{file_name}” hợp lệ nhưng chưa nhận được các tệp báo cáo thành tích sau:\n"
            f"{listed}\nHãy chép các tệp PDF này vào cùng thư mục. Nếu sau {minutes:g} phút "
            "vẫn chưa có, hồ sơ sẽ bị trả lại kèm phiếu báo lỗi.\n")
    return f"{stamp}-Cho-tep-dinh-kem-{slug(PurePosixPath(file_name).stem)}.txt", body


def failure_report(unit: str, file_name: str, exc: Exception, now: dt.datetime,
                   stamp: str) -> tuple[str, str]:
    """For the administrator: a file could not be processed through no fault of the sender."""
    body = (f"Không xử lý được tệp “{file_name}” của đơn vị “{unit or '(không rõ)'}” lúc "
            f"{now:%H:%M} ngày {now:%d/%m/%Y}.\nNguyên nhân: {exc}\n"
            "Tệp vẫn nằm trong vùng làm việc (state/work/) và sẽ được xử lý lại khi docflow "
            "khởi động lại sau khi lỗi được khắc phục.\n")
    return f"{stamp}-Loi-xu-ly-{slug(PurePosixPath(file_name).stem)}.txt", body


def _info(config: Config, unit_folder: str, file_name: str, file_id: int, digest: str,
          now: dt.datetime) -> list[tuple[str, str]]:
    unit = config.unit(unit_folder)
    return [("Đơn vị", f"{unit.name} ({unit.code})" if unit else unit_folder or "(không rõ)"),
            ("Tệp đã nhận", file_name), ("Thời điểm nhận", f"{now:%H:%M} ngày {now:%d/%m/%Y}"),
            ("Mã hồ sơ", f"{file_id} — mã kiểm tra {digest}")]


def _award_counts(validation: Validation) -> list[tuple[str, int]]:
    """Per award, how many collectives and people were nominated (DN only)."""
    rows = validation.record.tables.get(NOMINATION_SHEET, [])
    counts: dict[str, int] = {}
    for row in rows:
        if row.get("award") and row.get("kind"):
            key = f"{row['award']}: {str(row['kind']).lower()}"
            counts[key] = counts.get(key, 0) + 1
    return sorted(counts.items())


def _warning_line(p: Problem) -> str:
    where = f" ({p.location})" if p.location else ""
    return f"{p.message}{where}"


def _error_text(file_name: str, unit_folder: str, problems: list[Problem]) -> str:
    lines = [f"PHIẾU BÁO LỖI — tệp “{file_name}” ({unit_folder or 'không rõ đơn vị'})",
             f"Có {sum(p.is_error for p in problems)} lỗi; sửa tất cả rồi gửi lại:", ""]
    for i, p in enumerate(problems, start=1):
        where = p.location or "(cả tệp)"
        found = f" Giá trị đã nhập: “{p.found}”." if p.found else ""
        expected = f" Yêu cầu: {p.expected}." if p.expected else ""
        lines.append(f"{i}. [{p.severity.value}] {where} — {p.message}{found}{expected}")
    return "\n".join(lines) + "\n"
