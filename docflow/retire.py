"""Answers a newer file has superseded leave the unit's outbox folder for `outbox/<UNIT>/cu/`.

When a unit's corrected or updated file is accepted, the receipt and documents of the version it
replaces, and the error slips of the same form's earlier rejected files, would otherwise sit
beside the new answer and confuse the clerk. They are moved (never deleted) into `cu/`, and the
ledger is told where they went.
"""

from __future__ import annotations

import logging
from pathlib import Path

from docflow.store import free_name
from docflow.workspace import Workspace

OLD = "cu"  # "cũ": the subfolder of outbox/<UNIT>/ for superseded answers
log = logging.getLogger("docflow")


def retire_superseded(ws: Workspace, unit: str, kind: str, new_file_id: int,
                      replaced_file_id: int | None, keep: set[Path]) -> list[Path]:
    """Move the answers of the replaced version and of same-form rejections into `cu/`."""
    folder = ws.outbox / unit
    ids = ws.ledger.rejected_before(unit, kind, new_file_id)
    if replaced_file_id is not None:
        ids.append(replaced_file_id)
    moved: list[Path] = []
    for file_id in sorted(set(ids)):
        entries = ws.ledger.outputs_of(file_id)
        changed = False
        for entry in entries:
            for key in ("path", "pdf"):
                path = Path(entry[key]) if entry.get(key) else None
                if path is None or path in keep or path.parent != folder or not path.is_file():
                    continue  # drafts in _tong-hop/, the new answers, or already moved
                try:
                    (folder / OLD).mkdir(exist_ok=True)
                    target = free_name(folder / OLD / path.name)
                    path.rename(target)
                except OSError as exc:  # an answer left in place is untidy, never harmful
                    log.warning("Không chuyển được %s vào %s/: %s", path, OLD, exc)
                    continue
                entry[key] = str(target)
                moved.append(target)
                changed = True
        if changed:
            ws.ledger.set_outputs(file_id, entries)
    return moved
