"""`docflow check`: every template renders with sample data built from the config."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from docflow.documents import notices
from docflow.validation import NOMINATION_SHEET, nominations
from docflow.config import Config, Deadline
from docflow.convert import LibreOfficeConverter, pdf_bytes
from docflow.errors import ConversionError, TemplateError
from docflow.convert import require_programs
from docflow.layout import check_layout
from docflow.models import Problem, Record, Severity, Submission, Validation
from docflow.documents.contexts import award_context
from docflow.catalog import KINDS, for_decider, kind
from docflow.documents.plan import plan_context
from docflow.documents.preview_mark import MARK, mark_preview
from docflow.documents.reports import summary_context, summary_data
from docflow.documents.render import Renderer
from docflow.documents.template_lint import lint, variables
from docflow.documents.proposal import Skipped, proposal_context
from docflow.documents.reminders import reminder_context
from docflow.documents.results import NOT_IN_DECISION, Outcome, results_context

TEMPLATE_FILES = sorted({k.template for k in KINDS})


def sample_record(config: Config, unit_code: str, day: dt.date) -> Record:
    """A DN record with one collective and one person for every award."""
    rows = []
    for award in config.awards:
        rows.append({"kind": "Tập thể", "name": "Phòng Mẫu", "workplace": "Văn phòng Mẫu",
                     "award": award.name, "achievements": "Thành tích mẫu: hoàn thành xuất sắc nhiệm vụ."})
        rows.append({"kind": "Cá nhân", "name": "Nguyễn Văn Mẫu", "gender": "Nam",
                     "position": "Trưởng phòng", "workplace": "Phòng Mẫu",
                     "award": award.name, "initiatives": 1,
                     "achievements": "Thành tích mẫu: có sáng kiến được công nhận."})
    fields = {"unit_code": unit_code, "proposal_number": "12/TTr-X", "proposal_date": day,
              "council_minutes_number": "05/BB-HĐTĐKT", "council_date": day,
              "head_title": "Giám đốc", "signer": "Trần Thị Mẫu", "signer_title": "Phó Giám đốc"}
    return Record("DN", unit_code, "", fields, {NOMINATION_SHEET: rows})


def sample_plan(config: Config, unit_code: str, day: dt.date) -> Record:
    """A DK record with two targets and a contact person."""
    fields = {"unit_code": unit_code, "plan_number": "25/KH-X", "issue_date": day,
              "head_title": "Giám đốc", "signer": "Trần Thị Mẫu", "signer_title": "Phó Giám đốc",
              "contact": "Nguyễn Văn Mẫu", "phone": "0208 3855 123",
              "email": "mau@example.gov.vn"}
    targets = [{"content": "Chỉ tiêu mẫu: tổ chức hội nghị tuyên truyền", "quantity": 4,
                "unit_of_measure": "hội nghị", "deadline": day, "lead": "Văn phòng"},
               {"content": "Chỉ tiêu mẫu: đăng tin, bài trên cổng thông tin điện tử",
                "quantity": 120, "unit_of_measure": "tin, bài", "deadline": day,
                "lead": "Văn phòng"}]
    return Record("DK", unit_code, "", fields, {"Chỉ tiêu": targets})


def sample_summary(config: Config, unit_code: str, day: dt.date | None = None) -> dict:
    """Summary data of two units' reports, a plan and a nomination."""
    day = day or config.campaign.period_end
    form = config.forms["BC"]
    names = form.sheet("Kết quả").field("indicator").choices
    others = [u.code for u in config.units if u.code != unit_code][:1]
    reports = [Record("BC", code, "Tổng kết",
                      {"report_number": f"{30 + i}/BC-X", "report_date": day,
                       "highlights": text, "shortcomings": "Không."},
                      {"Kết quả": [{"indicator": name, "planned": 10 * (n + 1) * (i + 1),
                                    "achieved": 9 * (n + 1) * (i + 1) + i}
                                   for n, name in enumerate(names)]})
               for i, (code, text) in enumerate(zip([unit_code, *others], (
                   "Tổ chức hội nghị tuyên truyền kỷ niệm 80 năm Ngày Tổng tuyển cử.",
                   "Phát động cuộc thi tìm hiểu về Quốc hội Việt Nam.")))]
    plans = [sample_plan(config, unit_code, config.campaign.plan_date)]
    return summary_data(config, "Tổng kết", [*reports, *plans,
                                             sample_record(config, unit_code, day)])


def template_notes(config: Config) -> dict[str, list[str]]:
    """Per template: the variables it uses, then warnings that do not stop it rendering."""
    folder = config.path("templates")
    notes = {}
    for template, context in _sample_contexts(config, dt.datetime.now()):
        path = folder / template
        if not path.is_file():
            continue
        used = ", ".join(sorted(variables(path)))
        notes[template] = [f"biến dùng: {used}", *lint(path, set(context))]
    return notes


def previews(config: Config, names: set[str], pdf: bool = True) -> dict[str, bytes]:
    """Sample renders of some templates, as PDF when LibreOffice is there, else as Word."""
    renderer = Renderer(config.path("templates"))
    # marked on every page, so a preview can never pass for a real draft
    docs = {t: mark_preview(renderer.render(t, c))
            for t, c in _sample_contexts(config, dt.datetime.now()) if t in names}
    if not pdf or not docs or not config.output.pdf:
        return {Path(t).stem + ".docx": data for t, data in docs.items()}
    try:
        require_programs(config.output.soffice, config.output.uno_python)
    except ConversionError:
        return {Path(t).stem + ".docx": data for t, data in docs.items()}
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        converter = LibreOfficeConverter(Path(tmp), instances=1,
                                         timeout_seconds=config.output.timeout_seconds,
                                         soffice=config.output.soffice,
                                         uno_python=config.output.uno_python)
        try:
            for template, data in docs.items():
                out[Path(template).stem + ".pdf"] = pdf_bytes(
                    converter, data, template, Path(tmp), title=f"{MARK}: {template}")
        finally:
            converter.close()
    return out


def check_templates(config: Config, now: dt.datetime | None = None) -> list[str]:
    """Problems found rendering each template with sample data; empty when all render."""
    renderer = Renderer(config.path("templates"))
    contexts = _sample_contexts(config, now or dt.datetime.now())
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for template, context in contexts:
            try:
                data = renderer.render(template, context)
            except TemplateError as exc:
                problems.append(str(exc))
                continue
            sample = Path(tmp) / template
            sample.write_bytes(data)
            problems += [f"Mẫu {template}, thể thức Nghị định 30 — {p.element}: {p.message}"
                         for p in check_layout(sample) if p.severity is Severity.ERROR]
    return problems


def _sample_contexts(config: Config, now: dt.datetime) -> list[tuple[str, dict]]:
    """Every template with a context built from sample data by the real context builders; a
    kind in the catalog without a sample here is a programming error, caught by the tests."""
    samples = _samples(config, now)
    return [(kind(name).template, context) for name in (k.name for k in KINDS)
            for context in samples[name]]


def _samples(config: Config, now: dt.datetime) -> dict[str, list[dict]]:
    """Sample contexts per catalog kind (an award kind once per award it carries)."""
    unit = config.units[0]
    record = sample_record(config, unit.code, now.date())
    noms = nominations([record], config)
    samples: dict[str, list[dict]] = {k.name: [] for k in KINDS}
    for award in config.awards:
        doc = for_decider(award.decider).name
        samples[doc].append(award_context(config, award, noms, now.date(), doc, unit, record))
    sub = Submission("DN", unit.code, "mau.xlsx", {}, {}, counts=(("Số dòng", 2),))
    warning = Problem("sample", "Cảnh báo mẫu.", sheet="Danh sách", cell="B4")
    validation = Validation(record, (warning,))
    samples["phieu_tiep_nhan"].append(notices.receipt(
        config, sub, validation, 1, "0" * 16, now, "00000000-000000", None, []).context)
    samples["phieu_bao_loi"].append(notices.error_report(
        config, unit.code, "mau.xlsx", sub, [warning], 1, "0" * 16, now, "00000000-000000",
        unit.code)[0].context)
    samples["ke_hoach_don_vi"].append(plan_context(config, sample_plan(config, unit.code,
                                                                      now.date())))
    samples["bao_cao_tong_hop"].append(summary_context(config, sample_summary(config, unit.code),
                                                       now.date()))
    skipped = [Skipped(unit.code, "Nguyễn Văn An", "đã được tặng Bằng khen theo Quyết định số "
                       "2345/QĐ-UBND ngày 20/12/2025")]
    for award in config.awards:
        if award.decider == "chairman":
            samples["to_trinh_chu_tich"].append(
                proposal_context(config, award, noms, now.date(), skipped, "TTr-MAU-1"))
    deadline = Deadline("BC", now.date(), "Năm 2025")
    samples["cong_van_don_doc"].append(reminder_context(config, deadline, list(config.units[:3]),
                                                        now.date()))
    outcomes = [Outcome("Bà Nguyễn Thị Hoà", config.awards[0].name, "Quyết định số "
                        "2345/QĐ-UBND ngày 20/12/2025"),
                Outcome("Phòng Tổ chức cán bộ", config.awards[0].name, reason=NOT_IN_DECISION)]
    samples["thong_bao_ket_qua"].append(results_context(
        config, unit, config.awards[0].name, "Quyết định số 2345/QĐ-UBND ngày 20/12/2025",
        outcomes, 1, now))
    return samples
