"""Which documents an accepted record feeds, and with what data: only those it changes.

A unit's own documents (its plan, its Giấy khen decision) are made right after its receipt. The
province-wide drafts (award decisions, the Tờ trình, period summaries) depend on every unit's
latest version: an acceptance only marks them stale, and `aggregate_documents` makes each one
once from the ledger's current records when the queue is idle, so a deadline burst re-renders
them once, not per file. Every function here takes the config, records and a date: no renderer,
converter or ledger.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace
from operator import attrgetter
from pathlib import Path
from typing import Callable

from docflow.catalog import PROVINCE, SENDER, SUMMARY_FOLDER, for_decider, kind
from docflow.config import Award, Config
from docflow.documents.contexts import BLANK, Document, award_context
from docflow.documents.listing import Run, of_award, unit_runs
from docflow.documents.plan import plan_context
from docflow.documents.proposal import (DOC as PROPOSAL, RoundFacts, proposal_context,
                                        proposal_number, split_awarded)
from docflow.documents.reports import in_words, summary_context, summary_data
from docflow.documents.summary_xlsx import summary_workbook
from docflow.models import Record
from docflow.text import fold, slug
from docflow.validation import Nomination, award_keys_in, nominations, same_award

SUMMARY = SUMMARY_FOLDER
SUMMARY_ALSO_READS = ("DK", "DN")
UNIT = "U"  # draft keys of a unit's own documents: U:DN:SNV, U:DK:SNV
PLAN, SUMMARY_REPORT = kind("ke_hoach_don_vi").template, kind("bao_cao_tong_hop").template
_REPORT = attrgetter("report_file")


def file_stem(doc: str, award_name: str) -> str:
    """A stable, ASCII output name, e.g. `Quyet-dinh-tang-Bang-khen-cua-Chu-tich-UBND-tinh`."""
    return slug(f"{kind(doc).stem} {award_name}")


def unit_documents(record: Record, previous: Record | None, config: Config, day: dt.date,
                   attachments: Path) -> list[Document]:
    """The documents of the sending unit alone, made right after its receipt."""
    if record.kind == "DK":
        plan = kind("ke_hoach_don_vi")
        return [Document(plan.template, plan_context(config, record),
                         f"{record.unit}/Ke-hoach-trien-khai-phong-trao-thi-dua.docx", plan.title)]
    if record.kind != "DN":
        return []
    touched = award_keys_in(record) | award_keys_in(previous)
    return [_award_document(award, nominations([record], config), config, day, attachments, record)
            for award in config.awards
            if for_decider(award.decider).audience == SENDER and fold(award.name) in touched]


def stale_keys(record: Record, previous: Record | None, config: Config) -> list[str]:
    """The province-wide drafts this record changes, as keys for the ledger."""
    if record.kind == "BC":
        return [f"BC:{record.period}"]
    if record.kind != "DN":
        return []
    touched = award_keys_in(record) | award_keys_in(previous)
    return [f"DN:{award.code}" for award in config.awards
            if for_decider(award.decider).audience == PROVINCE and fold(award.name) in touched]


def unit_key(record: Record) -> str:
    """The draft key of a unit's own documents made from its current record of one form."""
    return f"{UNIT}:{record.kind}:{record.unit}"


def own_drafts(record: Record, config: Config) -> bool:
    """True when a current record makes documents of the unit's own (a plan, a Giấy khen
    decision), which follow config and template changes like the province-wide drafts."""
    if record.kind == "DK":
        return True
    return record.kind == "DN" and any(
        for_decider(a.decider).audience == SENDER and fold(a.name) in award_keys_in(record)
        for a in config.awards)


def draft_keys(records: list[Record], config: Config) -> list[str]:
    """Every draft the current records make: province-wide ones and units' own."""
    keys: dict[str, None] = {}
    for record in records:
        for key in stale_keys(record, None, config):
            keys[key] = None
        if own_drafts(record, config):
            keys[unit_key(record)] = None
    return list(keys)


def draft_templates(key: str, config: Config) -> list[str]:
    """The templates a draft is made with, so a change to another template leaves it alone."""
    parts = key.split(":")
    if parts[0] == UNIT:
        if parts[1] == "DK":
            return [PLAN]
        return sorted({for_decider(a.decider).template for a in config.awards
                       if for_decider(a.decider).audience == SENDER})
    if parts[0] == "BC":
        return [SUMMARY_REPORT]
    award = next((a for a in config.awards if a.code == parts[-1]), None)
    return [for_decider(award.decider).template] if award else []


def draft_versions(key: str, config: Config, template_hash: Callable[[str], str]) -> dict:
    """What a draft made now is made from: the config's version and its templates' version."""
    joined = "".join(template_hash(name) for name in draft_templates(key, config))
    return {"config": config.version,
            "templates": hashlib.sha256(joined.encode("ascii")).hexdigest()[:12]}


def feeding_form(key: str) -> str:
    """The form whose current records a draft is made from."""
    parts = key.split(":")
    return parts[1] if parts[0] == UNIT else parts[0]


def feeding_forms(key: str) -> tuple[str, ...]:
    """Every form whose current records a province-wide draft reads: a period summary also
    reports the plans issued (DK) and the awards proposed (DN)."""
    form = feeding_form(key)
    return (form, *SUMMARY_ALSO_READS) if form == "BC" else (form,)


def also_stale(record: Record, made: list[str]) -> list[str]:
    """The period summaries already made that an accepted plan or nomination changes."""
    return [k for k in made if k.startswith("BC:")] if record.kind in SUMMARY_ALSO_READS else []


def describe(key: str, config: Config) -> str:
    """What a stale key will produce, for the receipt."""
    if key.startswith(f"{UNIT}:"):
        _, form, code = key.split(":")
        what = kind("ke_hoach_don_vi").title if form == "DK" else "Dự thảo Quyết định tặng " \
            "Giấy khen"
        unit = config.unit(code)
        return f"{what} của {unit.name if unit else code}"
    form, _, rest = key.partition(":")
    if form == "BC":
        return f"{kind('bao_cao_tong_hop').title} {in_words(rest)} (tệp {_summary_stem(rest)}.docx, .xlsx)"
    award = next(a for a in config.awards if a.code == rest)
    doc = for_decider(award.decider)
    return f"{doc.title} {award.name} (tệp {SUMMARY}/{file_stem(doc.name, award.name)}.docx)"


def aggregate_documents(key: str, config: Config, records: list[Record], day: dt.date,
                        attachments: Path, facts: RoundFacts | None = None) -> list[Document]:
    """A province-wide draft made from every unit's current accepted version of its form; an
    award's draft leaves out whoever a signed decision already awarded, and the Chairman's
    decision comes with the office's Tờ trình that proposes it."""
    form, _, rest = key.partition(":")
    if form == UNIT:  # a unit's own documents, remade from its current records
        kind_code, _, code = rest.partition(":")
        return [doc for r in records if r.unit == code and r.kind == kind_code
                for doc in unit_documents(r, None, config, day, attachments)]
    if form == "BC":
        return _summary(rest, config, records, day)
    records = [r for r in records if r.kind == form]
    award = next((a for a in config.awards if a.code == rest), None)
    if award is None:  # an award removed from config since it was marked
        return []
    facts = facts or RoundFacts()
    mine = of_award(nominations(records, config), award)
    noms, skipped = split_awarded(mine, facts)
    decision = _award_document(award, noms, config, day, attachments)
    if award.decider != "chairman":
        return [replace(decision, mark=facts.mark)]
    proposal = kind(PROPOSAL)
    mark = facts.mark.replace("DN-", "TTr-", 1) if facts.mark else ""
    office = {"number": proposal_number(config), "date": f"ngày{BLANK}tháng{BLANK}năm {day.year}",
              "mark": mark, "signer": f"Giám đốc {config.office.name}"}
    own = decision.context  # the Tờ trình lists the same nominees: its context starts from it
    decision = replace(decision, mark=facts.mark, context={**own, "office_proposal": office})
    context = proposal_context(config, award, noms, day,
                               skipped + list(facts.refused), mark, own)
    return [decision, Document(proposal.template, context,
                               f"{SUMMARY}/{file_stem(PROPOSAL, award.name)}.docx",
                               f"{proposal.title} {award.name}", mark=mark)]


def _award_document(award: Award, noms: list[Nomination], config: Config, day: dt.date,
                    attachments: Path, record: Record | None = None) -> Document:
    doc = for_decider(award.decider)
    if record is not None:
        context = award_context(config, award, noms, day, doc.name, config.unit(record.unit),
                                record)
        target = f"{record.unit}/{file_stem(doc.name, award.name)}.docx"
    else:
        context = award_context(config, award, noms, day, doc.name)
        target = f"{SUMMARY}/{file_stem(doc.name, award.name)}.docx"
    reports = tuple((f"Báo cáo thành tích: {n.name} ({config.unit(n.unit).name})",
                     attachments / n.unit / n.report_file)
                    for run in unit_runs(noms)  # few have one: looked for once per unit
                    for n in run.kept("reports", _with_report) if same_award(n.award, award))
    return Document(doc.template, context, target, f"{doc.title} {award.name}",
                    attachments=reports)


def _with_report(run: Run) -> tuple[Nomination, ...]:
    return tuple(filter(_REPORT, run.noms))


def _summary(period: str, config: Config, reports: list[Record], day: dt.date) -> list[Document]:
    """The provincial report and workbook of one period."""
    data = summary_data(config, period, reports, day)
    title = f"{kind('bao_cao_tong_hop').title} {in_words(period)}"
    stem = _summary_stem(period)
    return [Document(SUMMARY_REPORT, summary_context(config, data, day), f"{stem}.docx", title),
            Document("", {}, f"{stem}.xlsx", f"Bảng tổng hợp kết quả {in_words(period)}",
                     summary_workbook(data))]


def _summary_stem(period: str) -> str:
    return f"{SUMMARY}/Bao-cao-tong-hop-ket-qua-{slug(period)}"
