"""Signed decisions coming back: match a dropped document to the draft docflow made, record its
number and date, award its nominees, and send each unit its Thông báo kết quả. A document that
matches no draft, or more than one, is reported to the administrator, never guessed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docflow.catalog import ADMIN_FOLDER
from docflow.delivery import deliver_all
from docflow.documents import NOT_IN_DECISION, ResultOutcome as Outcome, results_notice
from docflow.forms import Issued, read_issued
from docflow.models import Problem, Record
from docflow.store import Decision, Mark
from docflow.text import fold, slug
from docflow.validation import NOMINATION_SHEET, nominations, person_key
from docflow.workspace import Workspace


@dataclass(frozen=True)
class Taken:
    """How a dropped document ended: recorded (with the stale draft key) or reported."""

    status: str                     # "accepted" or "rejected"
    outputs: list[dict[str, str]]
    stale: list[str]
    note: str


def take_issued(work: Path, original_name: str, ws: Workspace) -> Taken:
    """Record a signed decision dropped into inbox/_ban-hanh/, or report why it cannot be."""
    try:
        issued = read_issued(work)
    except Exception as exc:  # noqa: BLE001 - a hostile or broken file is reported, not fatal
        return _report(original_name, [f"không đọc được tệp ({type(exc).__name__})"], ws)
    mark, why = _match(issued, ws)
    problems = why + (["không thấy dòng “Số: …” (số quyết định)"] if not issued.number else [])
    problems += ["không thấy dòng ngày ban hành (“…, ngày … tháng … năm …”)"] if not issued.day \
        else []
    if problems or mark is None:
        return _report(original_name, problems, ws)
    earlier = ws.books.issued(mark.mark)
    if earlier and earlier.number != issued.number:
        return _report(original_name, [f"dự thảo {mark.mark} đã được ghi nhận là {earlier.cited}"],
                       ws)
    now = ws.clock()
    decision = ws.books.record_issued(mark, issued.number, issued.day,
                                         ws.config.campaign.name, original_name,
                                         now.isoformat(timespec="seconds"))
    notices = _notices(mark, decision, ws)
    return Taken("accepted", deliver_all(notices, ws) if notices else [], [mark.key],
                 f"{decision.cited} — dự thảo {mark.mark}")


def already_awarded(record: Record, ws: Workspace) -> list[Problem]:
    """Nomination rows naming someone a signed decision of this campaign already awarded."""
    problems = []
    for i, row in enumerate(record.tables.get(NOMINATION_SHEET, []), start=1):
        award = ws.config.award(str(row.get("award") or ""))
        if award is None:
            continue
        collective = fold(str(row.get("kind") or "")) == fold("Tập thể")
        key = person_key(str(row.get("name") or ""), row.get("birth_date"), record.unit,
                         collective)
        decision = ws.books.awarded(key, award.name, ws.config.campaign.name)
        if decision:
            problems.append(Problem(
                "awarded_before", f"{row.get('name')} đã được tặng {award.name} theo "
                f"{decision.cited}; không đề nghị lại cho cùng phong trào.",
                sheet=NOMINATION_SHEET, label=f"dòng {i} của danh sách",
                found=str(row.get("name") or ""),
                expected="bỏ dòng này khỏi danh sách"))
    return problems


def _match(issued: Issued, ws: Workspace) -> tuple[Mark | None, list[str]]:
    """The draft making the document came from: by its mark, else (a PDF) by its names."""
    if issued.mark:
        mark = ws.books.mark(issued.mark)
        return (mark, []) if mark else (None, [f"mã dự thảo {issued.mark} không do docflow lập"])
    text = fold(issued.text)
    if not text:
        return None, ["không thấy mã dự thảo (“Mã dự thảo: …”)"]
    fits = [m for m in ws.books.marks() if m.nominees and ws.books.issued(m.mark) is None
            and all(fold(n.name) in text for n in m.nominees)]
    lists = {tuple(sorted(n.person_key for n in m.nominees)) for m in fits}
    best = max((len(k) for k in lists), default=0)
    lists = {k for k in lists if len(k) == best}
    if len(lists) == 1:  # makings with the same names are the same decision: take the newest
        return next(m for m in fits if len(m.nominees) == best), []
    if not lists:
        return None, ["không thấy mã dự thảo và danh sách không khớp dự thảo nào"]
    return None, ["không thấy mã dự thảo và danh sách khớp với nhiều dự thảo khác nhau"]


def _notices(mark: Mark, decision: Decision, ws: Workspace) -> list:
    """One Thông báo kết quả per unit that nominated for this award."""
    config, now = ws.config, ws.clock()
    award = config.award(mark.award)
    noms = [n for n in nominations([a.record for a in ws.ledger.current("DN")], config)
            if award is not None and n.award == award]
    awarded = {(n.unit, n.person_key) for n in mark.nominees}
    by_unit: dict[str, list[Outcome]] = {}
    for n in mark.nominees:
        by_unit.setdefault(n.unit, []).append(Outcome(n.name, mark.award, decision.cited))
    for n in noms:
        if (n.unit, n.person_key) in awarded:
            continue
        earlier = ws.books.awarded(n.person_key, mark.award, config.campaign.name)
        reason = f"đã được tặng theo {earlier.cited}" if earlier else NOT_IN_DECISION
        by_unit.setdefault(n.unit, []).append(Outcome(n.name, mark.award, reason=reason))
    docs = []
    for unit in config.units:
        if unit.code in by_unit:
            number = ws.books.next_number(now.year, "TB")
            docs.append(results_notice(config, unit, mark.award, decision.cited, decision.number,
                                       by_unit[unit.code], number, now))
    return docs


def _report(name: str, problems: list[str], ws: Workspace) -> Taken:
    """Tell the administrator why a dropped document was not recorded."""
    now = ws.clock()
    body = (f"Tệp “{name}” đặt vào inbox/_ban-hanh/ lúc {now:%H:%M} ngày {now:%d/%m/%Y} chưa "
            "được ghi nhận là quyết định đã ký:\n" + "".join(f"  - {p}\n" for p in problems)
            + "docflow không tự đoán. Hãy kiểm tra tệp là bản đã ký của dự thảo do docflow lập "
            "(chân trang có “Mã dự thảo: …”), hoặc điền mẫu “Ghi-nhan-quyet-dinh.xlsx” (Mã bản "
            "dự thảo, Số quyết định, Ngày quyết định) rồi đặt lại vào inbox/_ban-hanh/.\n")
    target = f"{ADMIN_FOLDER}/{now:%Y%m%d-%H%M%S}-Khong-khop-du-thao-{slug(Path(name).stem)}.txt"
    path = ws.deliver(body.encode("utf-8"), ws.outbox / target)
    return Taken("rejected", [{"path": str(path)}], [], "; ".join(problems))
