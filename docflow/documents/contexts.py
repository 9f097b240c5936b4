"""Which documents a submission produces, and the data (Jinja context) each one is rendered with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docflow.validation import Nomination, prize
from docflow.config import Award, Config, Unit
from docflow.models import Problem, Record
from docflow.store import from_json, to_json
from docflow.text import (fold, format_money, format_number, money_words, nd30_date, short_date,
                          upper_vi)

BLANK = "      "
TABLE_ROWS = 100  # rows per appendix table: LibreOffice slows super-linearly on long tables


@dataclass(frozen=True)
class Document:
    """A document to render: template file, context, and where it goes (relative to outbox)."""

    template: str
    context: dict[str, Any]
    target: str
    title: str = ""
    data: bytes | None = None  # ready-made content (text, an annotated workbook): not rendered
    attachments: tuple[tuple[str, Path], ...] = ()  # (bookmark, PDF) merged into its dossier


def documents_to_json(docs: list[Document]) -> str:
    """Documents still to render and deliver, as JSON the ledger keeps until they are out."""
    return to_json([{"template": d.template, "context": d.context, "target": d.target,
                     "title": d.title, "data": d.data,
                     "attachments": [[title, pdf] for title, pdf in d.attachments]}
                    for d in docs])


def documents_from_json(text: str) -> list[Document]:
    """The inverse of documents_to_json."""
    return [Document(d["template"], d["context"], d["target"], d["title"], d["data"],
                     tuple((title, Path(pdf)) for title, pdf in d["attachments"]))
            for d in from_json(text)]


def recipients(lines: tuple[str, ...] | list[str]) -> list[str]:
    """Nơi nhận lines as printed: `- X;` each, the last `- X.`."""
    return [f"- {line}{'.' if i == len(lines) - 1 else ';'}" for i, line in enumerate(lines)]


def bases(lines: list[str]) -> list[str]:
    """Căn cứ lines, each ending `;`: the proposal line that follows them ends the block with `.`."""
    return [f"{line};" for line in lines]


def sentence(line: str) -> str:
    """A line ending with exactly one full stop."""
    return line.rstrip().rstrip(".") + "."


def signature(head_title: str, signer_title: str, name: str, collective: str = "") -> dict:
    """The signature block: `KT. HEAD` over the deputy's title when they differ."""
    lines = [f"TM. {upper_vi(collective)}"] if collective else []
    if signer_title.strip().casefold() == head_title.strip().casefold():
        lines.append(upper_vi(head_title))
    else:
        lines += [f"KT. {upper_vi(head_title)}", upper_vi(signer_title)]
    return {"lines": lines, "name": name}


def header(parent: str, issuer: tuple[str, ...], number: str, place: str, day: dt.date | None,
           year: int) -> dict:
    """The Nghị định 30 header; a draft (day None) leaves number and date blank."""
    date = nd30_date(day) if day else f"ngày{BLANK}tháng{BLANK}năm {year}"
    return {"parent": parent, "issuer_lines": list(issuer), "number": f"Số: {number}",
            "place_date": f"{place}, {date}"}


def _coefficient(value: float) -> str:
    """Coefficients print with one decimal, as decisions write them: 3,0 and 1,5."""
    return f"{value:.1f}".replace(".", ",")


def _count(n: int) -> str:
    return f"{n:02d}"


def _person(n: Nomination) -> str:
    title = {"nam": "Ông", "nữ": "Bà"}.get(n.gender.casefold(), "")
    return f"{title} {n.name}".strip()


def _groups(noms: list[Nomination], config: Config, day: dt.date, collective: bool) -> tuple:
    """Appendix groups by unit, each item numbered across the whole list, and the total."""
    groups, total, stt = [], 0, 0
    by_unit: dict[str, list[Nomination]] = {}
    for n in noms:  # one pass, not one scan of every nomination per unit
        if n.collective == collective:
            by_unit.setdefault(n.unit, []).append(n)
    each = {award.code: prize(award, collective, config, day)
            for award in {n.award.code: n.award for n in noms}.values()}
    for unit in config.units:
        items = []
        for n in by_unit.get(unit.code, []):
            stt += 1
            amount = each[n.award.code]
            total += amount
            detail = n.workplace if collective else ", ".join(
                p for p in (n.position, n.workplace) if p)
            if collective and fold(detail) == fold(n.name):
                detail = ""
            items.append({"stt": str(stt), "name": n.name if collective else _person(n),
                          "detail": detail, "amount": format_number(amount),
                          "summary": n.achievements})
        if items:
            groups.append({"label": f"{len(groups) + 1}. {unit.name}", "items": items})
    return groups, total


def chunks(groups: list[dict], size: int = TABLE_ROWS) -> list[dict]:
    """Groups cut into tables of at most `size` rows; only a unit's first table has its label."""
    tables = []
    for group in groups:
        items = group["items"]
        for start in range(0, len(items), size):
            tables.append({"label": group["label"] if start == 0 else "",
                           "items": items[start:start + size]})
    return tables


def award_context(config: Config, award: Award, noms: list[Nomination], day: dt.date,
                  doc: str, unit: Unit | None = None, record: Record | None = None) -> dict:
    """Context for a decision (Chairman's or a unit head's) or the Tờ trình to the Prime Minister."""
    noms = [n for n in noms if n.award == award]
    collective, c_total = _groups(noms, config, day, True)
    individual, i_total = _groups(noms, config, day, False)
    base = config.base_salary_on(day)
    n_coll = sum(1 for n in noms if n.collective)
    n_ind = len(noms) - n_coll
    money = {
        "collective_each": format_money(prize(award, True, config, day)),
        "individual_each": format_money(prize(award, False, config, day)),
        "collective_coefficient": _coefficient(award.coefficient_on(day, True)),
        "individual_coefficient": _coefficient(award.coefficient_on(day, False)),
        "base_salary": format_money(base), "total": format_money(c_total + i_total),
        "total_words": money_words(c_total + i_total)}
    rates = [f"mỗi {who} được thưởng {money[f'{key}_each']} ({money[f'{key}_coefficient']} × "
             f"mức lương cơ sở {money['base_salary']})"
             for who, key, n in (("tập thể", "collective", n_coll), ("cá nhân", "individual", n_ind))
             if n]
    money["rates"] = ", ".join(rates) or "không có tập thể, cá nhân nào"
    phrase = " và ".join(f"{_count(n)} {who}" for who, n in (("tập thể", n_coll),
                                                              ("cá nhân", n_ind)) if n)
    issuer, office = config.issuer, config.office
    context: dict[str, Any] = {
        "award_name": award.phrase, "campaign_name": config.campaign.name,
        "counts": {"collective": _count(n_coll), "individual": _count(n_ind),
                   "phrase": phrase or "00 tập thể, cá nhân"},
        "sections": {"collective": "I. TẬP THỂ",
                     "individual": "II. CÁ NHÂN" if n_coll else "I. CÁ NHÂN"},
        "money": money, "collective_groups": collective, "individual_groups": individual,
        "collective_tables": chunks(collective), "individual_tables": chunks(individual),
        "collective_total": format_number(c_total), "individual_total": format_number(i_total),
        "legal_bases": bases(config.legal_bases_for(doc, day)),
        "proposal_line": sentence(office.proposal_line),
        "recipients": recipients(config.recipients[doc]),
        "funding_source": office.funding_source, "executors": office.executors}
    if doc == "quyet_dinh_giay_khen" and unit is not None and record is not None:
        return _unit_decision(context, config, unit, record, day)
    kind, code = ("TỜ TRÌNH", "TTr") if doc == "to_trinh_thu_tuong" else ("QUYẾT ĐỊNH", "QĐ")
    context.update(
        header=header("", issuer.header, f"{BLANK}/{code}-{issuer.code}", issuer.place, None,
                      day.year),
        title=kind, authority=upper_vi(issuer.authority),
        summary=(f"Đề nghị tặng {award.phrase}" if code == "TTr"
                 else f"Về việc tặng {award.phrase}"),
        signature=signature(issuer.head_title, issuer.signer_title, issuer.signer_name,
                            "Ủy ban nhân dân" if code == "TTr" else ""),
        kinh_gui=["Thủ tướng Chính phủ"],
        appendix={"summary": f"Tập thể, cá nhân được đề nghị tặng {award.phrase}" if code == "TTr"
                  else f"Tập thể, cá nhân được tặng {award.phrase}",
                  "reference": f"(Kèm theo {'Tờ trình' if code == 'TTr' else 'Quyết định'} số"
                               f"{BLANK}/{code}-{issuer.code} ngày{BLANK}tháng{BLANK}năm "
                               f"{day.year} của {'UBND tỉnh' if code == 'TTr' else 'Chủ tịch UBND tỉnh'})"})
    return context


def _unit_decision(context: dict, config: Config, unit: Unit, record: Record,
                   day: dt.date) -> dict:
    f = record.fields
    code = unit.doc_code or ("UBND" if unit.kind == "dia_phuong" else unit.code)
    head = str(f.get("head_title") or unit.head_title)
    minutes = str(f.get("council_minutes_number") or "")
    council = f.get("council_date")
    proposal = (f"Theo đề nghị của Hội đồng Thi đua - Khen thưởng tại Biên bản số {minutes}"
                + (f" ngày {short_date(council)}" if isinstance(council, dt.date) else ""))
    context.update(
        header=header(unit.parent or ("" if unit.kind == "dia_phuong" else config.office.parent),
                      unit.header or (upper_vi(unit.name),), f"{BLANK}/QĐ-{code}",
                      unit.place or config.issuer.place, None, day.year),
        title="QUYẾT ĐỊNH", summary=f"Về việc tặng {context['award_name']}",
        authority=upper_vi(f"{head} {unit.name}"),
        legal_bases=bases(config.legal_bases_for("quyet_dinh_giay_khen", day)),
        proposal_line=sentence(proposal),
        signature=signature(head, str(f.get("signer_title") or head), str(f.get("signer") or "")),
        funding_source=f"kinh phí thi đua, khen thưởng của {unit.name}",
        executors="Thủ trưởng các phòng, ban có liên quan và các tập thể, cá nhân có tên tại Điều 1",
        kinh_gui=[],
        appendix={"summary": f"Tập thể, cá nhân được tặng {context['award_name']}",
                  "reference": f"(Kèm theo Quyết định số{BLANK}/QĐ-{code} ngày{BLANK}tháng{BLANK}"
                               f"năm {day.year} của {head} {unit.name})"})
    return context


def notice_context(config: Config, unit: Unit | None, title: str, summary: str, number: str,
                   now: dt.datetime, info: list[tuple[str, str]]) -> dict:
    """The common part of a receipt or an error report, issued by the office today."""
    office = config.office
    sent_to = unit.name if unit else "đơn vị gửi hồ sơ"
    return {
        "header": header(office.parent, office.header, number, config.issuer.place, now.date(),
                         now.year),
        "title": title, "summary": summary,
        "info": [{"label": k, "value": v} for k, v in info],
        "signature": {"lines": [upper_vi(office.department)], "name": ""},
        "recipients": recipients([sent_to, f"Lưu: {office.department}"]),
        "footer_note": (f"Phiếu do hệ thống docflow lập tự động lúc {now:%H:%M} "
                        f"{nd30_date(now.date())}; không cần chữ ký.")}


def problem_rows(problems: list[Problem]) -> list[dict]:
    """Problems as table rows of the Phiếu báo lỗi."""
    return [{"stt": str(i), "severity": p.severity.value.capitalize(), "location": p.location,
             "sheet": p.sheet, "cell": p.cell, "label": p.label, "found": p.found,
             "expected": p.expected, "message": p.message}
            for i, p in enumerate(problems, start=1)]
