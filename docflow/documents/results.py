"""The Thông báo kết quả xét khen thưởng each unit gets once a decision comes back signed: who
was awarded by which decision, who was not and why. Pure: config, the facts, a time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from docflow.catalog import kind
from docflow.config import Config, Unit
from docflow.documents.contexts import Document, header, recipients, signature
from docflow.text import nd30_date, slug

DOC = "thong_bao_ket_qua"
NOT_IN_DECISION = ("không có tên trong Quyết định (chưa có trong dự thảo đã trình ký, hoặc hồ sơ "
                   "gửi sau khi lập dự thảo); Sở Nội vụ xem xét ở đợt tiếp theo")


@dataclass(frozen=True)
class Outcome:
    """One of a unit's nominees for the award: awarded by `decision`, or not, with `reason`."""

    name: str
    award: str
    decision: str = ""
    reason: str = ""


def results_context(config: Config, unit: Unit, award: str, cited: str,
                    outcomes: list[Outcome], number: int, now: dt.datetime) -> dict:
    """Context of one unit's Thông báo; `number` comes from the numbering register (TB)."""
    office = config.office
    awarded = [o for o in outcomes if o.decision]
    others = [o for o in outcomes if not o.decision]
    return {
        "header": header(office.parent, office.header, f"{number:02d}/TB-{office.code}",
                         config.issuer.place, now.date(), now.year),
        "title": "THÔNG BÁO", "summary": f"Kết quả xét tặng {award}",
        "intro": (f"Căn cứ {cited} của Chủ tịch Ủy ban nhân dân tỉnh về việc tặng {award}, "
                  f"{office.name} thông báo kết quả xét khen thưởng các tập thể, cá nhân do "
                  f"{unit.name} đề nghị như sau:"),
        "awarded": [{"stt": str(i), "name": o.name, "award": o.award, "decision": o.decision}
                    for i, o in enumerate(awarded, start=1)],
        "not_awarded": [{"stt": str(i), "name": o.name, "award": o.award, "reason": o.reason}
                        for i, o in enumerate(others, start=1)],
        "closing": (f"{office.name} thông báo để {unit.name} biết, tổ chức trao tặng và chi "
                    "thưởng theo quy định./."),
        "signature": signature(office.head_title, office.signer_title, office.signer_name),
        "recipients": recipients([unit.name, f"Lưu: VT, {office.division}"]),
    }


def results_notice(config: Config, unit: Unit, award: str, cited: str, number_text: str,
                   outcomes: list[Outcome], number: int, now: dt.datetime) -> Document:
    """One unit's Thông báo kết quả, to its outbox."""
    context = results_context(config, unit, award, cited, outcomes, number, now)
    name = f"Thong-bao-ket-qua-{slug(number_text)}.docx"
    return Document(kind(DOC).template, context, f"{unit.code}/{name}",
                    f"{kind(DOC).title} — {nd30_date(now.date())}")
