"""Drafts remade from the ledger: the province-wide ones once per burst, and every draft
(units' own too) made from another config or other templates than the running ones.

Each making is recorded with the config and templates versions it came from, so `run`, `watch`
(after a reload and at start) and `docflow refresh` know which drafts are out of date.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from docflow.awarding import facts_for, send_reminders
from docflow.delivery import deliver_all
from docflow.documents import (Document, aggregate_documents, describe, draft_keys,
                               draft_versions, feeding_forms)
from docflow.errors import DocflowError
from docflow.text import slug
from docflow.workspace import Workspace

ADMIN = "_quan-tri"
CAMPAIGN = "campaign"  # the lease under which validation against the campaign and acceptance run
log = logging.getLogger("docflow")


def refresh_aggregates(ws: Workspace, everything: bool = False) -> list[Path]:
    """Remake every stale draft from the ledger, and first mark stale each draft made from
    another config or other templates than the running ones (or, `everything`, all drafts);
    safe to call at any time."""
    made: list[Path] = []
    with ws.ledger.lease("refresh"):  # one refresher at a time; acceptances go on meanwhile
        mark_outdated(ws, everything)
        for key in ws.ledger.stale():
            made += _paths(remake(ws, key) or [])
        made += send_reminders(ws)
    return made


def remake(ws: Workspace, key: str, docs: list[Document] | None = None,
           versions: dict | None = None) -> list[dict[str, str]] | None:
    """Make one stale draft, from `docs` its caller made (a unit's own documents, made with
    the file that changed them) or from the ledger's current records, and record it; None when
    it is no longer stale (another maker was first) or could not be made (it stays stale and
    the administrator is told)."""
    with ws.ledger.lease(f"draft:{key}"):  # one maker per draft: never an older making last
        version = ws.ledger.stale().get(key)
        if version is None:
            return None
        if docs is None:
            with ws.ledger.lease(CAMPAIGN):  # a consistent snapshot of the current versions
                records = [a.record for form in feeding_forms(key)
                           for a in ws.ledger.current(form)]
                docs = aggregate_documents(key, ws.config, records, ws.clock().date(),
                                           ws.state("attachments"), facts_for(key, records, ws))
                versions = draft_versions(key, ws.config, ws.renderer.template_hash)
        try:
            entries = deliver_all(docs, ws)
        except (DocflowError, OSError) as exc:
            _fail_refresh(key, exc, ws)
            return None
        ws.ledger.refreshed(key, version, entries, _iso(ws.clock()), versions)
        return entries


def mark_outdated(ws: Workspace, everything: bool = False) -> list[str]:
    """Mark stale the drafts the current records make whose config or templates changed since
    they were made (or were never recorded); returns their keys."""
    records = [a.record for form in ws.config.forms for a in ws.ledger.current(form)]
    made = ws.ledger.drafts()
    outdated, changed = [], 0
    for key in draft_keys(records, ws.config):
        now = draft_versions(key, ws.config, ws.renderer.template_hash)
        then = made.get(key)
        versions_differ = then is not None and (then.get("config"), then.get("templates")) != (
            now["config"], now["templates"])
        if everything or then is None or versions_differ:
            outdated.append(key)
            changed += versions_differ
    ws.ledger.mark_stale(outdated, _iso(ws.clock()))
    if changed:  # drafts never made yet are not news: they are being made for the first time
        log.info("Đánh dấu cần lập lại %d văn bản (cấu hình hoặc mẫu Word đã đổi).", changed,
                 extra={"event": "drafts_outdated", "keys": outdated})
    return outdated


def _fail_refresh(key: str, exc: Exception, ws: Workspace) -> None:
    """A draft that could not be remade stays stale and the administrator is told."""
    now = ws.clock()
    body = (f"Chưa cập nhật được văn bản tổng hợp “{describe(key, ws.config)}” lúc {now:%H:%M} ngày "
            f"{now:%d/%m/%Y}.\nNguyên nhân: {exc}\nVăn bản sẽ được lập lại ở lần xử lý sau.\n")
    try:
        ws.deliver(body.encode("utf-8"), ws.outbox / ADMIN / f"Loi-cap-nhat-{slug(key)}.txt")
    except OSError as again:
        log.error("Không ghi được báo cáo cho quản trị: %s; lỗi gốc: %s", again, exc)


def _paths(made: list[dict[str, str]]) -> tuple[Path, ...]:
    return tuple(Path(m[key]) for m in made for key in ("path", "pdf") if m.get(key))


def _iso(now: dt.datetime) -> str:
    return now.isoformat(timespec="seconds")
