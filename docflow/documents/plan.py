"""The context of a unit's Kế hoạch triển khai, made from its registration (DK): the provincial
plan's contents adapted to the unit, its own targets, the awards and criteria of the campaign,
the deadlines and who coordinates, in the words that fit the unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from docflow.config import Config, Unit
from docflow.models import Record
from docflow.documents.contexts import header, recipients, sentence, signature
from docflow.text import format_number, short_date, upper_vi

PLAN_TARGETS = "Chỉ tiêu"
# What each form is called in the plan's list of deadlines.
FORM_WORDS = {"BC": "Báo cáo kết quả thực hiện phong trào thi đua",
              "DN": "Hồ sơ đề nghị khen thưởng tổng kết phong trào thi đua",
              "DK": "Kế hoạch và đăng ký thi đua"}


def unit_header(config: Config, unit: Unit, number: str, day: dt.date | None) -> dict:
    """The header of a document the unit itself issues."""
    parent = unit.parent or ("" if unit.kind == "dia_phuong" else config.office.parent)
    return header(parent, unit.header or (upper_vi(unit.name),), number,
                  unit.place or config.issuer.place, day, (day or dt.date.today()).year)


def plan_context(config: Config, record: Record) -> dict[str, Any]:
    """The unit's Kế hoạch triển khai from its registration and targets."""
    unit = config.unit(record.unit)
    f, c = record.fields, config.campaign
    issued = f.get("issue_date") if isinstance(f.get("issue_date"), dt.date) else None
    head = str(f.get("head_title") or unit.head_title)
    words = config.vocabulary_of(unit)
    basis = (f"Căn cứ Kế hoạch số {c.plan_number} ngày {short_date(c.plan_date)} của "
             f"{config.issuer.name} về triển khai thực hiện {c.name}")
    office = f"{config.office.department}, {config.office.name}"
    return {
        "header": unit_header(config, unit, str(f.get("plan_number") or ""), issued),
        "title": "KẾ HOẠCH", "summary": f"Triển khai thực hiện {c.name}",
        "legal_bases": [sentence(basis)],  # the only basis: it ends the block with `.`
        "intro": (f"Để phong trào thi đua được triển khai sâu rộng đến {words.people}, "
                  f"{unit.name} ban hành Kế hoạch triển khai thực hiện như sau:"),
        "unit": {"name": unit.name, "code": unit.code, "kind": unit.kind, "head": head,
                 "head_of": f"{head} {unit.name}"},
        "words": {"people": words.people, "members": words.members,
                  "Members": words.members[:1].upper() + words.members[1:],
                  "standing": words.standing},
        "campaign": {"start": short_date(c.period_start), "end": short_date(c.period_end),
                     "name": c.name},
        "targets": _targets(record),
        "awards": _awards(config, unit, head),
        "conditions": _conditions(config),
        "deadlines": _deadlines(config),
        "office": office,
        "reporting": (f"{words.standing} là đầu mối, tham mưu {head} theo dõi, đôn đốc, kiểm "
                      f"tra việc thực hiện Kế hoạch; tổng hợp báo cáo, hồ sơ đề nghị khen thưởng "
                      f"gửi Ủy ban nhân dân tỉnh (qua {office})"),
        "contact": _contact(f),
        "signature": signature(head, str(f.get("signer_title") or ""), str(f.get("signer") or "")),
        "recipients": recipients(config.recipients["ke_hoach_don_vi"]),
    }


def _targets(record: Record) -> list[dict[str, str]]:
    return [{"stt": str(i), "content": r.get("content") or "",
             "quantity": format_number(r["quantity"]) if r.get("quantity") is not None else "",
             "unit_of_measure": r.get("unit_of_measure") or "",
             "deadline": short_date(r["deadline"]) if r.get("deadline") else "",
             "lead": r.get("lead") or ""}
            for i, r in enumerate(record.tables.get(PLAN_TARGETS, []), start=1)]


def _awards(config: Config, unit: Unit, head: str) -> list[dict[str, Any]]:
    """Award forms as the unit's plan names them: its own Giấy khen by its head's title each
    year, and at the campaign's end the higher awards it proposes, with the campaign's quota."""
    quotas = {q.award: q.per_unit for q in config.quotas}
    own = [f"Giấy khen của {head} {unit.name}" for a in config.awards
           if a.decider == "unit_head"]
    higher = [a.name + (f" (mỗi đơn vị đề nghị không quá {quotas[a.name]:02d} tập thể, cá "
                        "nhân)" if quotas.get(a.name) else "")
              for a in config.awards if a.decider != "unit_head"]
    parts = []
    if own:
        parts.append(("Khen thưởng hằng năm", own))
    parts.append(("Khen thưởng tổng kết phong trào thi đua", higher + own))
    return [{"heading": f"{'ab'[i]}) {title}:", "lines": _dashed(lines)}
            for i, (title, lines) in enumerate(parts)]


def _dashed(lines: list[str]) -> list[str]:
    """`- X;` each, the last `- X.`."""
    return [f"- {line.rstrip('.;')}{'.' if i == len(lines) - 1 else ';'}"
            for i, line in enumerate(lines)]


def _conditions(config: Config) -> list[str]:
    """The campaign's criteria for a higher award, as the plan states them."""
    return _dashed([c.message for c in config.criteria])


def _deadlines(config: Config) -> list[str]:
    """`- Báo cáo … năm 2025: trước ngày 20/12/2025;` for each deadline config sets."""
    return _dashed([f"{FORM_WORDS.get(d.form, config.forms[d.form].title)}"
                    f"{' ' + d.period.lower() if d.period else ''}: trước ngày "
                    f"{short_date(d.date)}"
                    for d in sorted(config.deadlines, key=lambda d: d.date)
                    if d.form in config.forms])


def _contact(fields: dict[str, Any]) -> str:
    """The contact person the unit named, with phone and e-mail when given."""
    name = str(fields.get("contact") or "").strip()
    if not name:
        return ""
    parts = [f"đồng chí {name}"]
    if fields.get("phone"):
        parts.append(f"điện thoại {fields['phone']}")
    if fields.get("email"):
        parts.append(f"thư điện tử {fields['email']}")
    return "Đầu mối liên hệ: " + ", ".join(parts) + "."
