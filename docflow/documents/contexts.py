"""Which documents a submission produces, and the data (Jinja context) each one is rendered with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from docflow.validation import Nomination, prize
from docflow.config import Award, Config, Unit
from docflow.documents import listing
from docflow.documents.listing import groups as _groups
from docflow.models import Problem, Record, Submission
from docflow.store import from_json, to_json
from docflow.text import (format_money, format_number, money_words, nd30_date, short_date,
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
    mark: str = ""  # Mã dự thảo written into its properties and footer (documents.marks)


def documents_to_json(docs: list[Document], meta: dict[str, Any] | None = None) -> str:
    """Documents still to render and deliver, with what the caller needs after (`meta`), as
    JSON the ledger keeps until they are out."""
    return to_json({"meta": meta or {}, "documents": [
        {"template": d.template, "context": d.context, "target": d.target, "title": d.title,
         "data": d.data, "attachments": [[title, pdf] for title, pdf in d.attachments]}
        for d in docs]})


def documents_from_json(text: str) -> tuple[list[Document], dict[str, Any]]:
    """The inverse of documents_to_json: the documents and their meta."""
    data = from_json(text)
    return [Document(d["template"], d["context"], d["target"], d["title"], d["data"],
                     tuple((title, Path(pdf)) for title, pdf in d["attachments"]))
            for d in data["documents"]], data["meta"]


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


def _who(n_coll: int, n_ind: int) -> str:
    """`Tập thể, cá nhân`, or only the kind the list holds."""
    if n_coll and not n_ind:
        return "Tập thể"
    if n_ind and not n_coll:
        return "Cá nhân"
    return "Tập thể, cá nhân"


def _rate(award: Award, collective: bool, config: Config, day: dt.date) -> str:
    """`3.510.000 đồng (1,5 × mức lương cơ sở 2.340.000 đồng)`; a rounded amount says so."""
    coefficient = award.coefficient_collective if collective else award.coefficient_individual
    base = config.base_salary_on(day)
    exact = Decimal(str(coefficient)) * base
    amount = prize(award, collective, config, day)
    formula = f"{_coefficient(coefficient)} × mức lương cơ sở {format_money(base)}"
    if exact != amount:
        formula += f" = {format_money(int(exact))}, làm tròn theo quy định"
    return f"{format_money(amount)} ({formula})"


def chunks(groups: list[dict], size: int = TABLE_ROWS) -> list[dict]:
    """Groups cut into tables of at most `size` rows; only a unit's first table has its label
    (a kept group's tables are cut once)."""
    tables = []
    for group in groups:
        if isinstance(group, listing.Group):
            tables += group.tables(size)
            continue
        items = group["items"]
        for start in range(0, len(items), size):
            tables.append({"label": group["label"] if start == 0 else "",
                           "items": items[start:start + size]})
    return tables


def award_context(config: Config, award: Award, noms: list[Nomination], day: dt.date,
                  doc: str, unit: Unit | None = None, record: Record | None = None) -> dict:
    """Context for a decision (Chairman's or a unit head's) or the Tờ trình to the Prime Minister."""
    noms = listing.of_award(noms, award)
    collective, c_total = _groups(noms, config, day, True)
    individual, i_total = _groups(noms, config, day, False)
    base = config.base_salary_on(day)
    n_coll = listing.count_collective(noms)
    n_ind = len(noms) - n_coll
    money = {
        "collective_each": format_money(prize(award, True, config, day)),
        "individual_each": format_money(prize(award, False, config, day)),
        "collective_coefficient": _coefficient(award.coefficient_on(day, True)),
        "individual_coefficient": _coefficient(award.coefficient_on(day, False)),
        "base_salary": format_money(base), "total": format_money(c_total + i_total),
        "total_words": money_words(c_total + i_total)}
    rates = [f"mỗi {who} được thưởng {_rate(award, who == 'tập thể', config, day)}"
             for who, n in (("tập thể", n_coll), ("cá nhân", n_ind)) if n]
    money["rates"] = ", ".join(rates) or "không có tập thể, cá nhân nào"
    phrase = " và ".join(f"{_count(n)} {who}" for who, n in (("tập thể", n_coll),
                                                              ("cá nhân", n_ind)) if n)
    issuer, office = config.issuer, config.office
    context: dict[str, Any] = {
        "who": _who(n_coll, n_ind),
        "award_name": award.phrase, "campaign_name": config.campaign.name,
        "counts": {"collective": _count(n_coll), "individual": _count(n_ind),
                   "phrase": phrase or "00 tập thể, cá nhân"},
        "sections": {"collective": "I. TẬP THỂ",
                     "individual": "II. CÁ NHÂN" if n_coll else "I. CÁ NHÂN"},
        "money": money, "collective_groups": collective, "individual_groups": individual,
        "collective_tables": chunks(collective), "individual_tables": chunks(individual),
        "collective_total": format_number(c_total), "individual_total": format_number(i_total),
        "legal_bases": bases(config.legal_bases_for(doc, day)),
        "proposal_line": proposal_line(config, day),
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
        appendix={"summary": f"{_who(n_coll, n_ind)} được đề nghị tặng {award.phrase}"
                  if code == "TTr" else f"{_who(n_coll, n_ind)} được tặng {award.phrase}",
                  "reference": f"(Kèm theo {'Tờ trình' if code == 'TTr' else 'Quyết định'} số"
                               f"{BLANK}/{code}-{issuer.code} ngày{BLANK}tháng{BLANK}năm "
                               f"{day.year} của {'UBND tỉnh' if code == 'TTr' else 'Chủ tịch UBND tỉnh'})"})
    return context


def proposal_line(config: Config, day: dt.date) -> str:
    """`Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số …/TTr-SNV ngày … tháng … năm ….`:
    the office's Tờ trình, its number and date blank in a draft like the decision's own."""
    office = config.office
    code = f"TTr-{office.code}" if office.code else "TTr"
    # No-break spaces: a justified line never splits the blank date (`ngày | tháng`).
    blank_date = f"ngày{BLANK}tháng{BLANK}năm {day.year}".replace(" ", "\u00a0")
    return (f"Theo đề nghị của {office.head_title} {office.name} tại Tờ trình số{BLANK}/{code} "
            f"{blank_date}.")


def _unit_decision(context: dict, config: Config, unit: Unit, record: Record,
                   day: dt.date) -> dict:
    f = record.fields
    code = unit.doc_code or ("UBND" if unit.kind == "dia_phuong" else unit.code)
    head = str(f.get("head_title") or unit.head_title)
    # The certificate is the head's own: `Tặng Giấy khen của Giám đốc Sở Nội vụ`.
    context["award_name"] = f"{context['award_name']} của {head} {unit.name}"
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
        legal_bases=bases(config.legal_bases_for("quyet_dinh_giay_khen", day, unit.code)),
        proposal_line=sentence(proposal),
        signature=signature(head, str(f.get("signer_title") or head), str(f.get("signer") or "")),
        funding_source=f"kinh phí thi đua, khen thưởng của {unit.name}",
        executors="Thủ trưởng các phòng, ban có liên quan và các tập thể, cá nhân có tên tại Điều 1",
        kinh_gui=[],
        appendix={"summary": f"{context['who']} được tặng {context['award_name']}",
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


def problem_rows(problems: list[Problem], sub: Submission | None = None) -> list[dict]:
    """Problems as table rows of the Phiếu báo lỗi: a row's problem names the row and the
    person or collective on it; a location never breaks inside (`Danh sách!M4`)."""
    return [{"stt": str(i), "severity": p.severity.value.capitalize(),
             "location": p.location.replace(" ", "\u00a0"), "sheet": p.sheet, "cell": p.cell,
             "label": p.label, "found": p.found, "expected": p.expected,
             "message": f"{who}: {p.message}" if (who := row_name(p, sub)) else p.message}
            for i, p in enumerate(problems, start=1)]


def row_name(p: Problem, sub: Submission | None) -> str:
    """`Dòng 7 (Nguyễn Văn An)` for a problem on a table row, from what the file says there."""
    if not p.row or sub is None or p.sheet not in sub.tables:
        return ""
    raw = next((r for r in sub.tables[p.sheet] if r.row == p.row), None)
    value = raw.values.get("name") if raw else None
    name = str(value.value).strip() if value is not None and value.value is not None else ""
    return f"Dòng {p.row} ({name})" if name else f"Dòng {p.row}"
