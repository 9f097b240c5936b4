"""Where the pipeline meets the award register: its view of a DN's nominees before validation,
and an accepted LS workbook's rows written into it before the receipt is made."""

from __future__ import annotations

from dataclasses import replace

from docflow.history import HistoryView, load_record, receipt_counts
from docflow.models import Submission, Validation
from docflow.validation import nominees
from docflow.workspace import Workspace


def history_view(sub: Submission, ws: Workspace) -> HistoryView | None:
    """The register's view of a nomination's people, only for regular (công trạng) rounds."""
    if ws.config.campaign.kind != "regular" or sub.kind != "DN":
        return None
    return ws.register().view(nominees(sub), sub.unit_folder.upper())


def into_register(sub: Submission, validation: Validation, ws: Workspace, file_id: int,
                  source: str) -> tuple[Submission, Validation]:
    """Load an accepted history workbook; the receipt then says what happened to its rows.

    The register only grows, so a unit's second history file adds to its first rather than
    replacing it: each file is its own period in the ledger.
    """
    if sub.kind != ws.config.register.history_form:
        return sub, validation
    record = replace(validation.record, period=f"tệp {file_id}")
    lines, notes = receipt_counts(load_record(ws.register(), record, ws.config, source))
    return (replace(sub, counts=(*sub.counts, *lines), notes=(*sub.notes, *notes)),
            replace(validation, record=record))
