"""A person's awards and titles by year, as `docflow history` prints them (and a dashboard may)."""

from __future__ import annotations

import datetime as dt

from docflow.config import Config
from docflow.history.models import PersonHistory
from docflow.text import short_date


def history_text(people: list[PersonHistory], pending: list[dict], config: Config,
                 asked: str) -> str:
    """Each person found, their entries by year with decision number and date, then doubts."""
    if not people and not pending:
        return f"Sổ theo dõi khen thưởng chưa có “{asked}”."
    lines: list[str] = []
    for person in people:
        born = f", sinh {short_date(person.born)}" if person.born else ""
        who = "Tập thể" if person.collective else "Cá nhân"
        lines.append(f"{person.name}{born} ({who}, mã trong sổ {person.person_id})")
        years = sorted({e.year for e in person.entries} | set(person.ratings))
        for year in years:
            rating = person.ratings.get(year)
            lines.append(f"  Năm {year}" + (f" — xếp loại: {rating}" if rating else ""))
            for e in (e for e in person.entries if e.year == year):
                when = f" ngày {short_date(e.decision_date)}" if e.decision_date else ""
                unit = config.unit(e.unit)
                where = e.workplace or (unit.name if unit else e.unit)
                written = f"; ghi tên “{e.written}”" if e.written and e.written != person.name \
                    else ""
                by = f" của {e.decided_by}" if e.decided_by else ""
                lines.append(f"    - {e.title}: Quyết định số {e.decision_number}{when}{by} "
                             f"({where}{written})")
        if not years:
            lines.append("  (chưa có danh hiệu, hình thức khen thưởng nào)")
    if pending:
        lines.append("Chờ văn phòng xác nhận (docflow không tự ghép):")
        for p in pending:
            data = p["data"]
            what = f"{data.get('title')} năm {data.get('year')}" if p["what"] == "award" \
                else f"xếp loại năm {data.get('year')}: {data.get('rating')}"
            born = f", sinh {short_date(dt.date.fromisoformat(p['born']))}" if p["born"] else ""
            lines.append(f"  [{p['id']}] {p['name']}{born}, {p['unit']}: {what} — {p['reason']}")
    return "\n".join(lines)

