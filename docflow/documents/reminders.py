"""Deadlines passed: which units are late, the office's Công văn đôn đốc to them, and the short
notice each late unit finds in its outbox. Pure: config, who has sent, and a date in."""

from __future__ import annotations

import datetime as dt

from docflow.catalog import SUMMARY_FOLDER, kind
from docflow.config import Config, Deadline, Unit
from docflow.documents.contexts import BLANK, Document, header, recipients, signature
from docflow.text import slug

DOC = "cong_van_don_doc"


def overdue(config: Config, today: dt.date) -> list[Deadline]:
    """The deadlines that have passed by `today` (the deadline day itself still counts)."""
    return [d for d in config.deadlines if d.date < today]


def late_units(config: Config, deadline: Deadline, sent: set[str]) -> list[Unit]:
    """Units active on the deadline that have not sent the form, in registry order; a unit
    that ended before the deadline is never late."""
    return [u for u in config.units if u.valid_on(deadline.date) and u.code not in sent]


def new_date(config: Config, deadline: Deadline) -> dt.date:
    """The date the Công văn đôn đốc gives: from config, or the deadline plus the grace days."""
    return deadline.new_date or deadline.date + dt.timedelta(days=config.round.grace_days)


def what(config: Config, deadline: Deadline) -> str:
    """The form as the letter names it: `Báo cáo kết quả … (kỳ Năm 2025)`."""
    title = config.forms[deadline.form].title
    return title + (f" (kỳ {deadline.period})" if deadline.period else "")


def key(deadline: Deadline) -> str:
    """The ledger key of one deadline's letter."""
    return f"REMIND:{deadline.form}:{deadline.period}"


def target(deadline: Deadline) -> str:
    """Where the letter goes in the outbox."""
    tail = f"-{slug(deadline.period)}" if deadline.period else ""
    return f"{SUMMARY_FOLDER}/Cong-van-don-doc-{deadline.form}{tail}.docx"


def reminder_context(config: Config, deadline: Deadline, units: list[Unit],
                     day: dt.date) -> dict:
    """Context of the Công văn đôn đốc: a công văn (number without type code, `V/v` line)."""
    office = config.office
    later = new_date(config, deadline)
    form = what(config, deadline)
    return {
        "header": header(office.parent, office.header, f"{BLANK}/{office.code}-{office.division}",
                         config.issuer.place, None, day.year),
        "summary_line": f"V/v đôn đốc gửi {form[0].lower()}{form[1:]}",
        "kinh_gui": ["Các cơ quan, đơn vị có tên tại danh sách dưới đây"],
        "intro": (f"Thực hiện {config.campaign.name}, {office.name} đã đề nghị các cơ quan, đơn "
                  f"vị gửi {form} trước ngày {deadline.date:%d/%m/%Y}. Đến nay, "
                  f"{len(units):02d} cơ quan, đơn vị sau chưa gửi:"),
        "units": [{"stt": str(i), "unit": u.name} for i, u in enumerate(units, start=1)],
        "request": (f"{office.name} đề nghị các cơ quan, đơn vị trên khẩn trương hoàn thiện và "
                    f"gửi {form} vào thư mục hồ sơ của đơn vị trước ngày {later:%d/%m/%Y}. Quá "
                    f"thời hạn trên, {office.name} sẽ tổng hợp, báo cáo Ủy ban nhân dân tỉnh "
                    "các đơn vị chưa thực hiện."),
        "closing": f"{office.name} đề nghị các cơ quan, đơn vị quan tâm, phối hợp thực hiện./.",
        "signature": signature(office.head_title, office.signer_title, office.signer_name),
        "recipients": recipients(config.recipients[DOC]),
    }


def reminder(config: Config, deadline: Deadline, units: list[Unit], day: dt.date) -> Document:
    """The Công văn đôn đốc of one deadline, as a document to deliver."""
    doc = kind(DOC)
    return Document(doc.template, reminder_context(config, deadline, units, day),
                    target(deadline), f"{doc.title} — {what(config, deadline)}")


def late_notice(config: Config, deadline: Deadline, unit: Unit) -> Document:
    """The short text a late unit finds in its outbox."""
    form = what(config, deadline)
    body = (f"{unit.name} chưa gửi {form}; hạn nộp là ngày {deadline.date:%d/%m/%Y}.\n"
            f"{config.office.name} đang lập công văn đôn đốc: đề nghị đơn vị gửi biểu mẫu "
            f"{deadline.form} vào thư mục inbox/{unit.code}/ trước ngày "
            f"{new_date(config, deadline):%d/%m/%Y}.\n"
            "Nếu đơn vị đã gửi sau thời điểm thông báo này, xin bỏ qua.\n")
    tail = f"-{slug(deadline.period)}" if deadline.period else ""
    return Document("", {}, f"{unit.code}/Don-doc-{deadline.form}{tail}.txt",
                    f"Thông báo đôn đốc — {form}", body.encode("utf-8"))
