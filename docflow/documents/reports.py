"""Contexts of the documents fed by registrations (DK) and results reports (BC)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from docflow.config import Config, Unit, name_on, units_on
from docflow.models import Record
from docflow.documents.contexts import bases, header, recipients, signature
from docflow.text import format_number, short_date, upper_vi

PLAN_TARGETS, RESULTS, REVIEW = "Chỉ tiêu", "Kết quả", "Đánh giá"


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
    basis = (f"Căn cứ Kế hoạch số {c.plan_number} ngày {short_date(c.plan_date)} của "
             f"{config.issuer.name} về triển khai thực hiện {c.name}")
    targets = [{"stt": str(i), "content": r.get("content") or "",
                "quantity": format_number(r["quantity"]) if r.get("quantity") is not None else "",
                "unit_of_measure": r.get("unit_of_measure") or "",
                "deadline": short_date(r["deadline"]) if r.get("deadline") else "",
                "lead": r.get("lead") or ""}
               for i, r in enumerate(record.tables.get(PLAN_TARGETS, []), start=1)]
    return {
        "header": unit_header(config, unit, str(f.get("plan_number") or ""), issued),
        "title": "KẾ HOẠCH", "summary": f"Triển khai thực hiện {c.name}",
        "legal_bases": bases([basis]),
        "intro": f"{unit.name} xây dựng Kế hoạch triển khai thực hiện phong trào thi đua như sau:",
        "unit": {"name": unit.name, "code": unit.code},
        "campaign": {"start": short_date(c.period_start), "end": short_date(c.period_end)},
        "targets": targets,
        "signature": signature(str(f.get("head_title") or unit.head_title),
                               str(f.get("signer_title") or ""), str(f.get("signer") or "")),
        "recipients": recipients(config.recipients["ke_hoach_don_vi"]),
    }


def in_words(period: str) -> str:
    """A period inside a sentence: `Năm 2025` → `năm 2025` (never `— Năm 2025`)."""
    return period[:1].lower() + period[1:]


def period_end(config: Config, period: str) -> dt.date:
    """The day a report period closes: 31/12 of `Năm yyyy`, else the campaign's end."""
    match = re.search(r"(\d{4})", period)
    return dt.date(int(match.group(1)), 12, 31) if match else config.campaign.period_end


def summary_data(config: Config, period: str, reports: list[Record],
                 day: dt.date | None = None) -> dict[str, Any]:
    """Per-indicator totals, per-unit rows and the units that have not reported for a period;
    a row is labelled as a document dated `day` names its unit (an ended one as `… (cũ)`)."""
    close = min(period_end(config, period), config.campaign.period_end)
    expected = units_on(config, close)
    by_unit = {r.unit: r for r in reports if r.period == period}
    names = _indicator_names(config)
    totals = {n: [Decimal(0), Decimal(0)] for n in names}
    rows = []
    for unit in config.units:
        record = by_unit.get(unit.code)
        if record is None:
            continue
        achieved = {}
        for line in record.tables.get(RESULTS, []):
            name = line.get("indicator")
            if name in totals:
                totals[name][0] += line.get("planned") or 0
                totals[name][1] += line.get("achieved") or 0
                achieved[name] = achieved.get(name, Decimal(0)) + (line.get("achieved") or 0)
        rows.append({"unit": unit, "record": record, "achieved": achieved,
                     "label": name_on(config, unit.code, day or close)})
    missing = [u for u in expected if u.code not in by_unit]
    return {"period": period, "names": names, "totals": totals, "rows": rows,
            "missing": missing, "expected": expected}


def summary_context(config: Config, data: dict[str, Any], day: dt.date) -> dict[str, Any]:
    """The provincial Báo cáo tổng hợp kết quả of one period."""
    issuer, c = config.issuer, config.campaign
    indicators = []
    for i, name in enumerate(data["names"], start=1):
        planned, achieved = data["totals"][name]
        rate = format_number(achieved * 100 / planned) if planned else ""
        indicators.append({"stt": str(i), "name": name, "planned": format_number(planned),
                           "achieved": format_number(achieved), "rate": rate})

    def texts(key: str) -> list[dict[str, str]]:
        return [{"unit": r["label"], "text": str(r["record"].fields[key])}
                for r in data["rows"] if r["record"].fields.get(key)]
    return {
        "header": header("", issuer.header, f"      /BC-{issuer.code}", issuer.place, None,
                         day.year),
        "title": "BÁO CÁO",
        "summary": f"Kết quả thực hiện {c.name} {in_words(data['period'])}",
        "kinh_gui": list(config.issuer.report_to),
        "intro": (f"Thực hiện Kế hoạch số {c.plan_number} ngày {short_date(c.plan_date)} của "
                  f"{issuer.name}, trên cơ sở báo cáo của các cơ quan, đơn vị, địa phương, "
                  f"{issuer.name} báo cáo kết quả {data['period'].lower()} như sau:"),
        "reported": (f"Đã có {_reported(data)}/{len(data['expected'])} cơ quan, đơn vị, địa "
                     "phương gửi báo cáo. Kết quả các chỉ tiêu chủ yếu:"),
        "indicators": indicators, "highlights": texts("highlights"),
        "shortcomings": texts("shortcomings"), "proposals": texts("proposals"),
        "missing": [u.name for u in data["missing"]],
        "closing": f"Trên đây là báo cáo kết quả {data['period'].lower()} của {issuer.name}./.",
        "signature": signature(issuer.head_title, issuer.signer_title, issuer.signer_name,
                               "Ủy ban nhân dân"),
        "recipients": recipients(config.recipients["bao_cao_tong_hop"]),
    }


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



