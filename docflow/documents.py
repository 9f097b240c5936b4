"""Which documents an accepted record feeds, and with what data: only those it changes.

A unit's own documents (its plan, its Giấy khen decision) are made with its receipt. The
province-wide drafts (award decisions, the Tờ trình, period summaries) depend on every unit's
latest version: an acceptance only marks them stale, and `aggregate_documents` makes each one
once from the ledger when the queue is idle, so a deadline burst re-renders them once, not per
file.
"""

from __future__ import annotations

from docflow import notices
from docflow.awards import award_keys_in, nominations
from docflow.config import Award
from docflow.models import Record
from docflow.outputs import Document, award_context
from docflow.reports import plan_context, summary_context, summary_data
from docflow.summary_xlsx import summary_workbook
from docflow.text import fold, slug
from docflow.workspace import Workspace

SUMMARY = "_tong-hop"
PLAN, SUMMARY_REPORT = "ke-hoach-don-vi.docx", "bao-cao-tong-hop.docx"
TEMPLATES = {"chairman": ("quyet_dinh_bang_khen", "quyet-dinh-bang-khen.docx"),
             "prime_minister": ("to_trinh_thu_tuong", "to-trinh-bang-khen-thu-tuong.docx"),
             "unit_head": ("quyet_dinh_giay_khen", "quyet-dinh-giay-khen.docx")}
_TITLES = {"quyet_dinh_bang_khen": "Dự thảo Quyết định về việc tặng",
           "quyet_dinh_giay_khen": "Dự thảo Quyết định về việc tặng",
           "to_trinh_thu_tuong": "Dự thảo Tờ trình đề nghị tặng"}


def unit_documents(record: Record, previous: Record | None, ws: Workspace) -> list[Document]:
    """The documents of the sending unit alone, made together with its receipt."""
    if record.kind == "DK":
        return [Document(PLAN, plan_context(ws.config, record),
                         f"{record.unit}/Ke-hoach-trien-khai-phong-trao-thi-dua.docx",
                         "Kế hoạch triển khai thực hiện phong trào thi đua của đơn vị")]
    if record.kind != "DN":
        return []
    touched = award_keys_in(record) | award_keys_in(previous)
    return [_award_document(award, nominations([record], ws.config), ws, record)
            for award in ws.config.awards
            if award.decider == "unit_head" and fold(award.name) in touched]


def stale_keys(record: Record, previous: Record | None, ws: Workspace) -> list[str]:
    """The province-wide drafts this record changes, as keys for the ledger."""
    if record.kind == "BC":
        return [f"BC:{record.period}"]
    if record.kind != "DN":
        return []
    touched = award_keys_in(record) | award_keys_in(previous)
    return [f"DN:{award.code}" for award in ws.config.awards
            if award.decider != "unit_head" and fold(award.name) in touched]


def describe(key: str, ws: Workspace) -> str:
    """What a stale key will produce, for the receipt."""
    kind, _, rest = key.partition(":")
    if kind == "BC":
        return f"Báo cáo tổng hợp kết quả — {rest} (tệp {_summary_stem(rest)}.docx, .xlsx)"
    award = next(a for a in ws.config.awards if a.code == rest)
    doc, _ = TEMPLATES[award.decider]
    return f"{_TITLES[doc]} {award.name} (tệp {SUMMARY}/{notices.file_stem(doc, award.name)}.docx)"


def aggregate_documents(key: str, ws: Workspace) -> list[Document]:
    """A province-wide draft made from every unit's current accepted version."""
    kind, _, rest = key.partition(":")
    if kind == "BC":
        return _summary(rest, ws)
    award = next((a for a in ws.config.awards if a.code == rest), None)
    if award is None:  # an award removed from config since it was marked
        return []
    records = [a.record for a in ws.ledger.current("DN")]
    return [_award_document(award, nominations(records, ws.config), ws)]


def _award_document(award: Award, noms: list, ws: Workspace,
                    record: Record | None = None) -> Document:
    config, day = ws.config, ws.clock().date()
    doc, template = TEMPLATES[award.decider]
    if record is not None:
        context = award_context(config, award, noms, day, doc, config.unit(record.unit), record)
        target = f"{record.unit}/{notices.file_stem(doc, award.name)}.docx"
    else:
        context = award_context(config, award, noms, day, doc)
        target = f"{SUMMARY}/{notices.file_stem(doc, award.name)}.docx"
    reports = tuple((f"Báo cáo thành tích: {n.name} ({config.unit(n.unit).name})",
                     ws.state("attachments") / n.unit / n.report_file)
                    for n in noms if n.award == award and n.report_file)
    return Document(template, context, target, f"{_TITLES[doc]} {award.name}",
                    attachments=reports)


def _summary(period: str, ws: Workspace) -> list[Document]:
    """The provincial report and workbook of one period."""
    data = summary_data(ws.config, period, [a.record for a in ws.ledger.current("BC")])
    title = f"Báo cáo tổng hợp kết quả — {period}"
    stem = _summary_stem(period)
    return [Document(SUMMARY_REPORT, summary_context(ws.config, data, ws.clock().date()),
                     f"{stem}.docx", title),
            Document("", {}, f"{stem}.xlsx", f"Bảng tổng hợp kết quả — {period}",
                     summary_workbook(data, title))]


def _summary_stem(period: str) -> str:
    return f"{SUMMARY}/Bao-cao-tong-hop-ket-qua-{slug(period)}"
