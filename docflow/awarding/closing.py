"""The close of an award round, around the drafts: what the ledger knows that the records do
not (who a signed decision already awarded, which files were refused), and a Mã dự thảo for
each making of an award draft."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from docflow.delivery import deliver_all
from docflow.documents import RoundFacts, Skipped, of_award, reminders, unit_runs
from docflow.errors import DocflowError
from docflow.models import Record
from docflow.store import Nominee, nominees_json
from docflow.text import fold
from docflow.validation import nominations
from docflow.workspace import Workspace

log = logging.getLogger("docflow")


def facts_for(key: str, records: list[Record], ws: Workspace) -> RoundFacts | None:
    """For an award draft (DN:<code>): the awarded, the refused files and a new mark that
    names the nominees this making carries. None for other drafts."""
    form, _, code = key.partition(":")
    award = next((a for a in ws.config.awards if a.code == code), None)
    if form != "DN" or award is None:
        return None
    awarded, proposed, parts = {}, [], None
    signed = ws.books.awarded_all(award.name, ws.config.campaign.name)
    noms = of_award(nominations(records, ws.config), award)
    if not signed:  # nobody awarded yet: each unit's names, kept once, as at the last making
        parts = [run.kept("nominees", _names_part) for run in unit_runs(noms)]
    for n in noms if signed else ():
        decision = signed.get(n.person_key)
        if decision:
            awarded[(n.person_key, award.code)] = decision.cited
        else:
            proposed.append(Nominee(n.unit, n.name, n.person_key, n.collective))
    now = ws.clock().isoformat(timespec="seconds")
    mark = ws.books.new_mark(key, award.name, proposed, now, parts)
    return RoundFacts(awarded, refused(ws, records), mark)


def _names_part(run: Any) -> tuple[str, str]:
    """A unit's part of a making's names, as the ledger keeps it: (digest, JSON)."""
    names = nominees_json([Nominee(n.unit, n.name, n.person_key, n.collective)
                           for n in run.noms])
    return hashlib.sha256(names.encode("utf-8")).hexdigest(), names


def refused(ws: Workspace, records: list[Record]) -> tuple[Skipped, ...]:
    """Nomination files refused and not since replaced by an accepted one, with the reasons."""
    current = {r.unit for r in records}
    out = []
    for unit, name, problems in ws.ledger.refused("DN"):
        if unit in current or not ws.config.unit(unit):
            continue
        reasons = [p.get("message", "") for p in problems if p.get("severity") != "cảnh báo"]
        out.append(Skipped(unit, f"Hồ sơ đề nghị (tệp “{name}”)",
                           "chưa được tiếp nhận: " + " ".join(reasons[:2])))
    return tuple(out)


def send_reminders(ws: Workspace) -> list[Path]:
    """For each deadline passed: the Công văn đôn đốc to the late units and a notice in each
    late unit's outbox; remade only when the list of late units changes."""
    config, made = ws.config, []
    now = ws.clock()
    for deadline in reminders.overdue(config, now.date()):
        sent = {a.record.unit for a in ws.ledger.current(deadline.form)
                if not deadline.period or fold(a.record.period) == fold(deadline.period)}
        units = reminders.late_units(config, deadline, sent)
        codes = ",".join(u.code for u in units)
        before = [e for e in ws.ledger.draft_outputs(reminders.key(deadline)) if "units" in e]
        if before and before[0]["units"] == codes:
            continue
        docs = [reminders.reminder(config, deadline, units, now.date())] if units else []
        docs += [n for n in (reminders.late_notice(config, deadline, u) for u in units)
                 if not (ws.outbox / n.target).exists()]  # told once per deadline
        try:
            entries = deliver_all(docs, ws) if docs else []
        except (DocflowError, OSError) as exc:  # tried again at the next refresh
            log.error("Chưa lập được công văn đôn đốc %s: %s", reminders.key(deadline), exc)
            continue
        if not units:  # everyone has sent: the last letter would name units that did
            letter = ws.outbox / reminders.target(deadline)
            for old in (letter, letter.with_suffix(".pdf")):
                old.unlink(missing_ok=True)
        ws.ledger.refreshed(reminders.key(deadline), 0, [*entries, {"units": codes}],
                            now.isoformat(timespec="seconds"))
        made += [Path(e[k]) for e in entries for k in ("path", "pdf") if e.get(k)]
    return made
