"""The provincial Báo cáo tổng hợp kết quả of one period, built on Kế hoạch 186 §V: the plans the
units issued, communication work, exemplary collectives and individuals, initiatives, the
indicators with their ratio to plan, the units' statements gathered, the awards proposed by
level. It goes upward: the units that have not reported stay with the office (the workbook's
internal sheet), never in the report."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from docflow.config import Config, FormSpec, name_on, units_on
from docflow.models import Record
from docflow.documents.contexts import header, recipients, signature
from docflow.documents.statements import (award_rows, figures_sentence, gathered, rate,
                                          short_name)
from docflow.text import fold, format_number, short_date
from docflow.validation import nominations

RESULTS, REVIEW = "Kết quả", "Đánh giá"
# Which part of the report an indicator's figures belong to, by words in its name.
TOPICS = {"communication": ("tuyên truyền", "tham gia", "tin, bài"),
          "exemplary": ("khen thưởng", "điển hình", "gương"),
          "initiatives": ("sáng kiến", "giải pháp")}


def in_words(period: str) -> str:
    """A period inside a sentence: `Năm 2025` → `năm 2025` (never `— Năm 2025`)."""
    return period[:1].lower() + period[1:]


def period_end(config: Config, period: str) -> dt.date:
    """The day a report period closes: 31/12 of `Năm yyyy`, else the campaign's end."""
    match = re.search(r"(\d{4})", period)
    return dt.date(int(match.group(1)), 12, 31) if match else config.campaign.period_end


def summary_data(config: Config, period: str, records: list[Record],
                 day: dt.date | None = None) -> dict[str, Any]:
    """Per-indicator totals, per-unit rows, the plans issued, the awards proposed, and (for
    the office only) the units that have not reported, for one period. `records` are the
    current BC records, and may also hold the current DK and DN records; a row is labelled as
    a document dated `day` names its unit (an ended one as `… (cũ)`)."""
    close = min(period_end(config, period), config.campaign.period_end)
    expected = units_on(config, close)
    by_unit = {r.unit: r for r in records if r.kind == "BC" and r.period == period}
    names = _indicator_names(config)
    totals = {n: [Decimal(0), Decimal(0)] for n in names}
    rows = []
    for unit in config.units:
        record = by_unit.get(unit.code)
        if record is None:
            continue
        planned: dict[str, Decimal] = {}
        achieved: dict[str, Decimal] = {}
        for line in record.tables.get(RESULTS, []):
            name = line.get("indicator")
            if name in totals:
                totals[name][0] += line.get("planned") or 0
                totals[name][1] += line.get("achieved") or 0
                planned[name] = planned.get(name, Decimal(0)) + (line.get("planned") or 0)
                achieved[name] = achieved.get(name, Decimal(0)) + (line.get("achieved") or 0)
        number, date = _number_and_date(record, config.forms.get("BC"))
        rows.append({"unit": unit, "label": name_on(config, unit.code, day or close),
                     "record": record, "planned": planned, "achieved": achieved,
                     "number": number, "date": date})
    missing = [u for u in expected if u.code not in by_unit]
    return {"period": period, "names": names, "totals": totals, "rows": rows,
            "missing": missing, "expected": expected,
            "plans": _plans(config, [r for r in records if r.kind == "DK"], close),
            "awards": award_rows(nominations(_in_period(config, [
                r for r in records if r.kind == "DN"], period, close), config), config)}


def summary_context(config: Config, data: dict[str, Any], day: dt.date) -> dict[str, Any]:
    """The provincial Báo cáo tổng hợp kết quả of one period."""
    issuer, c = config.issuer, config.campaign
    names, totals = data["names"], data["totals"]
    indicators = []
    for i, name in enumerate(names, start=1):
        planned, achieved = totals[name]
        ratio = rate(planned, achieved)
        indicators.append({"stt": str(i), "name": name, "planned": format_number(planned),
                           "achieved": format_number(achieved),
                           "rate": format_number(ratio) if ratio is not None else ""})
    topic = {t: [n for n in names if _topic(n) == t] for t in TOPICS}
    said = {key: gathered([(r["label"], str(r["record"].fields.get(key) or ""))
                           for r in data["rows"]])
            for key in ("highlights", "shortcomings", "proposals")}
    what = _period_words(data["period"])
    phrase = what if what == "tổng kết" else f"kết quả {what}"
    awards = [{"stt": str(i), "name": a["name"], "decider": a["decider"],
               "collective": format_number(a["collective"]),
               "individual": format_number(a["individual"])}
              for i, a in enumerate(data["awards"], start=1)]
    n_coll = sum(a["collective"] for a in data["awards"])
    n_ind = sum(a["individual"] for a in data["awards"])
    return {
        "header": header("", issuer.header, f"      /BC-{issuer.code}", issuer.place, None,
                         day.year),
        "title": "BÁO CÁO",
        "summary": (f"Tổng kết {c.name}" if what == "tổng kết"
                    else f"Kết quả thực hiện {c.name} {what}"),
        "kinh_gui": list(config.issuer.report_to),
        "intro": (f"Thực hiện Kế hoạch số {c.plan_number} ngày {short_date(c.plan_date)} của "
                  f"{issuer.name} về triển khai thực hiện {c.name}; trên cơ sở báo cáo của "
                  f"{_reported(data)}/{len(data['expected'])} cơ quan, đơn vị, địa phương, "
                  f"{issuer.name} báo cáo {phrase} như sau:"),
        "plans": _plans_sentence(data["plans"]),
        "communication": figures_sentence(topic["communication"], totals)
        or "Các cơ quan, đơn vị, địa phương chưa báo cáo số liệu về công tác tuyên truyền.",
        "indicators": indicators,
        "exemplary": figures_sentence(topic["exemplary"], totals),
        "initiatives": figures_sentence(topic["initiatives"], totals),
        "highlights": said["highlights"],
        "shortcomings": said["shortcomings"] or ["Các cơ quan, đơn vị, địa phương không nêu "
                                                 "tồn tại, hạn chế."],
        "proposals": said["proposals"] or ["Các cơ quan, đơn vị, địa phương không có đề xuất, "
                                           "kiến nghị."],
        "awards": awards,
        "awards_intro": (f"Các cơ quan, đơn vị, địa phương đã đề nghị khen thưởng "
                         f"{n_coll:02d} tập thể và {n_ind:02d} cá nhân, theo các hình thức sau:"
                         if awards else "Trong kỳ chưa có đề nghị khen thưởng."),
        "closing": f"Trên đây là báo cáo {phrase} của {issuer.name}./.",
        "signature": signature(issuer.head_title, issuer.signer_title, issuer.signer_name,
                               "Ủy ban nhân dân"),
        "recipients": recipients(config.recipients["bao_cao_tong_hop"]),
    }


def _period_words(period: str) -> str:
    """`năm 2025`, `tổng kết`: the period as it reads inside a sentence."""
    return period[:1].lower() + period[1:]


def _topic(name: str) -> str:
    key = fold(name)
    return next((t for t, words in TOPICS.items() if any(w in key for w in words)), "")


def _plans(config: Config, plans: list[Record], close: dt.date) -> list[dict[str, str]]:
    """The units' plans issued by the period's close, in registry order."""
    by_unit = {r.unit: r for r in plans}
    out = []
    for unit in config.units:
        record = by_unit.get(unit.code)
        if record is None:
            continue
        number, date = _number_and_date(record, config.forms.get("DK"))
        if isinstance(date, dt.date) and date > close:
            continue
        out.append({"label": short_name(unit.name), "number": number,
                    "date": short_date(date) if isinstance(date, dt.date) else ""})
    return out


def _plans_sentence(plans: list[dict[str, str]]) -> str:
    if not plans:
        return "Chưa có cơ quan, đơn vị, địa phương gửi kế hoạch triển khai phong trào thi đua."
    listed = "; ".join(f"{p['label']} (Kế hoạch số {p['number']}"
                       + (f" ngày {p['date']})" if p["date"] else ")") for p in plans)
    return (f"Có {len(plans):02d} cơ quan, đơn vị, địa phương đã ban hành kế hoạch triển khai "
            f"phong trào thi đua phù hợp với chức năng, nhiệm vụ: {listed}.")


def _in_period(config: Config, records: list[Record], period: str,
               close: dt.date) -> list[Record]:
    """DN records dated within a `Năm yyyy` period; every one for the final (tổng kết) report."""
    match = re.search(r"(\d{4})", period)
    if not match:
        return records
    start = dt.date(int(match.group(1)), 1, 1)
    kept = []
    for record in records:
        _, date = _number_and_date(record, config.forms.get("DN"))
        if not isinstance(date, dt.date) or start <= date <= close:
            kept.append(record)
    return kept


def _number_and_date(record: Record, form: FormSpec | None) -> tuple[str, Any]:
    """A record's own Số and date, found by field type and role."""
    if form is None:
        return "", None
    number = next((f.key for s, f in form.all_fields()
                   if s.layout == "fields" and f.type == "document_number"), "")
    date = form.field_by_role("document_date")
    return (str(record.fields.get(number) or "") if number else "",
            record.fields.get(date.key) if date else None)


def _reported(data: dict[str, Any]) -> int:
    """Reports from the units expected on the period's close; an ended unit's earlier report
    still counts in the figures (shown as `… (cũ)`) but not against today's list."""
    expected = {u.code for u in data["expected"]}
    return sum(1 for r in data["rows"] if r["unit"].code in expected)


def _indicator_names(config: Config) -> list[str]:
    form = config.forms.get("BC")
    sheet = form.sheet(RESULTS) if form else None
    spec = sheet.field("indicator") if sheet else None
    return list(spec.choices) if spec else []
