"""Which documents an accepted record feeds, and with what data: only those it changes."""

from __future__ import annotations

from docflow import notices
from docflow.awards import award_keys_in, nominations
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


def documents_for(record: Record, previous: Record | None, ws: Workspace) -> list[Document]:
    """The documents this record changes, and only those."""
    if record.kind == "DK":
        return [Document(PLAN, plan_context(ws.config, record),
                         f"{record.unit}/Ke-hoach-trien-khai-phong-trao-thi-dua.docx",
                         "Kế hoạch triển khai thực hiện phong trào thi đua của đơn vị")]
    if record.kind == "BC":
        return _summary(record, ws)
    if record.kind != "DN":
        return []
    config, day = ws.config, ws.clock().date()
    others = [a.record for a in ws.ledger.current("DN")
              if (a.record.unit, a.record.period) != (record.unit, record.period)]
    touched = award_keys_in(record) | award_keys_in(previous)
    docs = []
    for award in config.awards:
        if fold(award.name) not in touched:
            continue
        doc, template = TEMPLATES[award.decider]
        if award.decider == "unit_head":
            noms = nominations([record], config)
            unit = config.unit(record.unit)
            context = award_context(config, award, noms, day, doc, unit, record)
            target = f"{record.unit}/{notices.file_stem(doc, award.name)}.docx"
        else:
            noms = nominations([*others, record], config)
            context = award_context(config, award, noms, day, doc)
            target = f"{SUMMARY}/{notices.file_stem(doc, award.name)}.docx"
        title = f"Dự thảo {context['title'].capitalize()} {context['summary'][0].lower()}" \
            f"{context['summary'][1:]}"
        reports = tuple(
            (f"Báo cáo thành tích: {n.name} ({config.unit(n.unit).name})",
             ws.state("attachments") / n.unit / n.report_file)
            for n in noms if n.award == award and n.report_file)
        docs.append(Document(template, context, target, title, attachments=reports))
    return docs


def _summary(record: Record, ws: Workspace) -> list[Document]:
    """The provincial report and workbook of the period this report belongs to."""
    reports = [a.record for a in ws.ledger.current("BC")
               if (a.record.unit, a.record.period) != (record.unit, record.period)] + [record]
    data = summary_data(ws.config, record.period, reports)
    stem = f"{SUMMARY}/Bao-cao-tong-hop-ket-qua-{slug(record.period)}"
    title = f"Báo cáo tổng hợp kết quả — {record.period}"
    return [Document(SUMMARY_REPORT, summary_context(ws.config, data, ws.clock().date()),
                     f"{stem}.docx", title),
            Document("", {}, f"{stem}.xlsx", f"Bảng tổng hợp kết quả — {record.period}",
                     summary_workbook(data, title))]
