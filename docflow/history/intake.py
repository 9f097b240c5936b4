"""Load a validated LS record (Sổ khen thưởng, Xếp loại) into the register, in one transaction."""

from __future__ import annotations

from docflow.config import Config
from docflow.history.lineage import unit_named_in
from docflow.history.models import Counts
from docflow.history.register import Register
from docflow.models import Record
from docflow.text import fold

AWARDS_SHEET = "Sổ khen thưởng"
RATINGS_SHEET = "Xếp loại"


def load_record(register: Register, record: Record, config: Config, source: str) -> Counts:
    """Every row of an accepted history workbook into the register; what happened to each."""
    counts = Counts()
    with register.batch():
        for row in record.tables.get(AWARDS_SHEET, []):
            collective = fold(str(row.get("kind") or "")) == fold("Tập thể")
            workplace = str(row.get("workplace") or "")
            status, doubt = register.add_award(
                name=str(row["name"]), born=None if collective else row.get("birth_date"),
                collective=collective, unit=unit_named_in(config, workplace, record.unit),
                title=str(row["title"]), year=int(row["year"]),
                decision_number=str(row["decision_number"]),
                decision_date=row.get("decision_date"), workplace=workplace,
                decided_by=str(row.get("decided_by") or ""), source=source)
            counts.bump(status, f"{AWARDS_SHEET}, dòng {row['_row']}: {doubt}" if doubt else "")
        for row in record.tables.get(RATINGS_SHEET, []):
            status, doubt = register.add_rating(
                name=str(row["rated_name"]), born=row.get("rated_birth_date"), unit=record.unit,
                year=int(row["rated_year"]), rating=str(row["rating"]), source=source)
            counts.bump(status, f"Xếp loại, dòng {row['_row']}: {doubt}" if doubt else "")
    return counts


def receipt_counts(counts: Counts) -> tuple[list[tuple[str, int]], list[str]]:
    """The lines a receipt shows: the counts, then each row left for the office to confirm."""
    lines = [("Ghi vào sổ: dòng của người, tập thể mới", counts.added),
             ("Ghi vào sổ: dòng khớp với người, tập thể đã có trong sổ", counts.matched),
             ("Ghi vào sổ: dòng đã có sẵn trong sổ (bỏ qua)", counts.known),
             ("Ghi vào sổ: dòng chờ Ban Thi đua - Khen thưởng xác nhận", counts.pending)]
    notes = [f"Chờ xác nhận — {d}. Dòng này chưa được ghép với ai; Ban Thi đua - Khen thưởng "
             "sẽ xác nhận." for d in counts.doubts[:50]]
    if len(counts.doubts) > 50:
        notes.append(f"… và {len(counts.doubts) - 50} dòng chờ xác nhận khác.")
    return lines, notes
