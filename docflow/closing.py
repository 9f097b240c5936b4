"""The close of an award round, around the drafts: what the ledger knows that the records do
not (who a signed decision already awarded, which files were refused), and a Mã dự thảo for
each making of an award draft."""

from __future__ import annotations

from docflow.documents import RoundFacts, Skipped
from docflow.models import Record
from docflow.store import Nominee
from docflow.validation import nominations
from docflow.workspace import Workspace


def facts_for(key: str, records: list[Record], ws: Workspace) -> RoundFacts | None:
    """For an award draft (DN:<code>): the awarded, the refused files and a new mark that
    names the nominees this making carries. None for other drafts."""
    form, _, code = key.partition(":")
    award = next((a for a in ws.config.awards if a.code == code), None)
    if form != "DN" or award is None:
        return None
    awarded = {}
    proposed = []
    for n in nominations(records, ws.config):
        if n.award != award:
            continue
        decision = ws.register.awarded(n.person_key, award.name, ws.config.campaign.name)
        if decision:
            awarded[(n.person_key, award.code)] = decision.cited
        else:
            proposed.append(Nominee(n.unit, n.name, n.person_key, n.collective))
    now = ws.clock().isoformat(timespec="seconds")
    mark = ws.register.new_mark(key, award.name, proposed, now)
    return RoundFacts(awarded, refused(ws, records), mark)


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
