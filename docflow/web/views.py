"""What the dashboard shows, read from the ledger and config: plain values, no HTTP here."""

from __future__ import annotations

import datetime as dt
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath
from urllib.parse import quote

from docflow.catalog import for_decider, kind as catalog_kind
from docflow.config import Config, Unit
from docflow.store import Ledger
from docflow.text import fold, format_money
from docflow.validation import award_keys_in, nominations, prize

STATUS_WORDS = {"accepted": "đã tiếp nhận", "rejected": "bị trả lại", "duplicate": "trùng, bỏ qua",
                "failed": "lỗi hệ thống, sẽ xử lý lại", "waiting": "chờ tệp PDF đính kèm",
                "attachment": "tệp đính kèm", "processing": "đang xử lý"}
NOT_SENT, ACCEPTED, REJECTED = "chưa gửi", "đã tiếp nhận", "bị trả lại"
FLOW = ("DK", "BC", "DN")  # register, report, nominate
OUTPUT_FIELDS = ("path", "pdf", "dossier")  # the only keys of a ledger entry a link may name


@dataclass(frozen=True)
class Viewer:
    """Who is looking: the office (unit None) sees everything, a unit only its own."""

    name: str
    unit: str | None = None

    def sees(self, unit: str) -> bool:
        """True when this viewer may see a unit's files and records."""
        return self.unit is None or unit == self.unit


@dataclass(frozen=True)
class Column:
    """One column of the grid: a form, and a period of it when the form has periods."""

    form: str
    period: str
    title: str
    form_title: str = ""


@dataclass(frozen=True)
class Cell:
    """A unit's state for one column."""

    state: str           # NOT_SENT, ACCEPTED or REJECTED
    late: bool = False
    deadline: dt.date | None = None
    when: str = ""       # when the current version was accepted

    @property
    def css(self) -> str:
        """The class that colours the cell."""
        return {ACCEPTED: "ok", REJECTED: "bad"}.get(self.state, "none") + (" late" if self.late
                                                                             else "")


@dataclass(frozen=True)
class Link:
    """A file the viewer may download, by ledger id, never by path."""

    label: str
    url: str


@dataclass(frozen=True)
class FileView:
    """One received file of a unit with its outcome and the answers it got."""

    id: int
    name: str
    kind: str
    status: str
    received_at: str
    links: list[Link]


@dataclass(frozen=True)
class DraftView:
    """A province-wide draft's latest making."""

    key: str
    title: str
    made_at: str
    stale: bool
    links: list[Link]
    templates: list[str]
    sources: list[str]


@dataclass(frozen=True)
class AwardLine:
    """Counts and money for one award level."""

    name: str
    collectives: int = 0
    people: int = 0
    money: int = 0


@dataclass
class AwardTotals:
    """Every award level of the current nominations and the money in all."""

    lines: list[AwardLine] = field(default_factory=list)

    @property
    def money(self) -> str:
        """The total, formatted as Vietnamese money."""
        return format_money(sum(line.money for line in self.lines))


def columns(config: Config) -> list[Column]:
    """DK, BC per period (from the BC form's period choices), DN, then any other form of the
    campaign: the order a unit sends them in. History workbooks feed the office's register,
    not the campaign, and have no column."""
    out = []
    order = {code: i for i, code in enumerate(FLOW)}
    forms = {c: f for c, f in config.forms.items() if c != config.register.history_form}
    for code, form in sorted(forms.items(), key=lambda kv: order.get(kv[0], len(order))):
        period = form.field_by_role("period")
        for choice in (period.choices if period is not None else ()) or ("",):
            out.append(Column(code, choice, f"{code} {choice}".strip(), form.title))
    return out


def campaign_units(config: Config) -> list[Unit]:
    """Units that existed at some time during the campaign, in registry order."""
    c = config.campaign
    return [u for u in config.units
            if u.valid_from <= c.period_end and (u.valid_to is None or u.valid_to >= c.period_start)]


def grid(config: Config, ledger: Ledger | None, today: dt.date,
         viewer: Viewer) -> list[tuple[Unit, list[Cell]]]:
    """Each visible unit's state for every column, late against config's deadlines."""
    cols = columns(config)
    current: dict[tuple[str, str, str], str] = {}  # (unit, form, period): accepted at
    last_rejected: dict[tuple[str, str], int] = {}
    if ledger is not None:
        for code in config.forms:  # the versions' heads only: their records are not read
            for unit, period, accepted_at, _ in ledger.heads(code):
                current[(unit, code, period)] = accepted_at
        for row in ledger.files("rejected"):
            last_rejected[(row.unit, row.kind)] = row.id
    rows = []
    for unit in campaign_units(config):
        if not viewer.sees(unit.code):
            continue
        cells = []
        for col in cols:
            deadline = config.deadline(col.form, col.period)
            got = current.get((unit.code, col.form, col.period))
            if got is not None:
                day = dt.datetime.fromisoformat(got).date()
                cells.append(Cell(ACCEPTED, bool(deadline and day > deadline), deadline, got))
                continue
            # A rejected file's period is not in the ledger: it marks every period still missing.
            state = REJECTED if (unit.code, col.form) in last_rejected else NOT_SENT
            due = bool(deadline and today > deadline and unit.valid_on(deadline))
            cells.append(Cell(state, due, deadline))
        rows.append((unit, cells))
    return rows


def accepted_counts(rows: list[tuple[Unit, list[Cell]]]) -> list[int]:
    """Per column, how many of the shown units have an accepted version."""
    return [sum(1 for _, cells in rows if cells[i].state == ACCEPTED)
            for i in range(len(rows[0][1]) if rows else 0)]


def unit_files(ledger: Ledger | None, unit: str) -> list[FileView]:
    """A unit's files, oldest first, each with its outcome and links to its answers."""
    if ledger is None:
        return []
    return [FileView(row.id, row.name, row.kind, STATUS_WORDS.get(row.status,
                                                                             row.status),
                     row.received_at, _links(f"/tep/{row.id}", ledger.outputs_of(row.id)))
            for row in ledger.files(unit=unit)]


class AwardsOf:
    """Which awards each accepted version nominates for, read once per version: a version's
    record never changes, so the drafts page decodes only the versions accepted since it last
    looked, not the whole campaign at every visit. A version is known by its file id and its
    acceptance time, so a ledger started anew (ids counted again) is never mistaken for the old."""

    def __init__(self) -> None:
        self._known: dict[tuple[int, str], frozenset[str]] = {}
        self._lock = threading.Lock()

    def of(self, ledger: Ledger, heads: list[tuple[str, str, str, int]]
           ) -> dict[int, frozenset[str]]:
        """Folded award names per file id of these heads (`Ledger.heads`), decoding only the
        records not seen before."""
        keys = {file_id: (file_id, accepted_at) for _, _, accepted_at, file_id in heads}
        with self._lock:
            missing = [i for i, k in keys.items() if k not in self._known]
        read = {keys[i]: frozenset(award_keys_in(r))
                for i, r in ledger.records(missing).items() if i in keys}
        with self._lock:
            self._known.update(read)
            return {i: self._known.get(k, frozenset()) for i, k in keys.items()}


def drafts(config: Config, ledger: Ledger | None,
           awards_of: AwardsOf | None = None) -> list[DraftView]:
    """The current province-wide drafts: when, from which files, with which templates."""
    if ledger is None:
        return []
    awards_of = awards_of or AwardsOf()
    stale = ledger.stale()
    names = {row.id: row for row in ledger.files("accepted")}
    heads_of: dict[str, list] = {}
    out = []
    for key, made in ledger.drafts().items():
        if key.startswith("U:"):  # a unit's own plan or Giấy khen decision: in its folder
            continue
        made_at, entries = made["made_at"], made["outputs"]
        form, _, rest = key.partition(":")
        award = next((a for a in config.awards if a.code == rest), None)
        if form not in heads_of:  # read once for all the drafts of a form
            heads_of[form] = ledger.heads(form)
        heads = heads_of[form]
        nominated = awards_of.of(ledger, heads) if award is not None else {}
        sources = []
        for unit, _period, accepted_at, file_id in heads:
            if accepted_at > made_at:
                continue  # accepted after this making: it will be in the next one
            if award is not None and fold(award.name) not in nominated[file_id]:
                continue
            row = names.get(file_id)
            sources.append(f"{unit}: {row.name if row else '#' + str(file_id)} "
                           f"(tiếp nhận {_when(accepted_at)})")
        entries = [e if isinstance(e, dict) else {"path": e} for e in entries]
        templates = sorted({f"{e['template']} ({e['template_sha256'][:12]})" for e in entries
                            if e.get("template") and e.get("template_sha256")})
        out.append(DraftView(key, _draft_title(key, config), made_at, key in stale,
                             _links(f"/du-thao/{quote(key, safe='')}", entries), templates,
                             sources))
    return out


def award_totals(config: Config, ledger: Ledger | None, today: dt.date,
                 viewer: Viewer) -> AwardTotals:
    """Counts by award level and the prize money of the current DN nominations."""
    totals = AwardTotals()
    if ledger is None or "DN" not in config.forms:
        return totals
    records = [a.record for a in ledger.current("DN") if viewer.sees(a.record.unit)]
    lines = {a.code: AwardLine(a.name) for a in config.awards}
    for n in nominations(records, config):
        line = lines[n.award.code]
        lines[n.award.code] = AwardLine(
            line.name, line.collectives + n.collective, line.people + (not n.collective),
            line.money + prize(n.award, n.collective, config, today))
    totals.lines = list(lines.values())
    return totals


def search_people(config: Config, ledger: Ledger | None, query: str,
                  viewer: Viewer, limit: int = 200) -> list[dict[str, str]]:
    """Nominees of the current DN records whose folded name contains the folded query."""
    wanted = _loose(query)
    if ledger is None or not wanted or "DN" not in config.forms:
        return []
    records = [a.record for a in ledger.current("DN") if viewer.sees(a.record.unit)]
    found = [{"name": n.name, "kind": "Tập thể" if n.collective else "Cá nhân",
              "award": n.award.name, "unit": n.unit, "workplace": n.workplace}
             for n in nominations(records, config) if wanted in _loose(n.name)]
    return found[:limit]


def output_path(entries: list[dict[str, str]], index: int, name: str) -> str | None:
    """The path a ledger entry records under one of the allowed keys, or None."""
    if name not in OUTPUT_FIELDS or not 0 <= index < len(entries):
        return None
    entry = entries[index] if isinstance(entries[index], dict) else {"path": entries[index]}
    return entry.get(name) or None


def _loose(text: str) -> str:
    """Folded and without tone marks or đ, so `nguyen van an` finds `Nguyễn Văn Án`."""
    bare = "".join(c for c in unicodedata.normalize("NFD", fold(text))
                   if not unicodedata.combining(c))
    return " ".join(bare.replace("đ", "d").split())


def _links(prefix: str, entries: list) -> list[Link]:
    links = []
    for i, entry in enumerate(entries):
        entry = entry if isinstance(entry, dict) else {"path": entry}
        for name in OUTPUT_FIELDS:
            if entry.get(name):
                links.append(Link(PurePath(entry[name]).name, f"{prefix}/{i}/{name}"))
    return links


def _draft_title(key: str, config: Config) -> str:
    form, _, rest = key.partition(":")
    if form == "BC":
        return f"{catalog_kind('bao_cao_tong_hop').title} — {rest}"
    award = next((a for a in config.awards if a.code == rest), None)
    if award is None:
        return key
    return f"{for_decider(award.decider).title} {award.name}"


def _when(iso: str) -> str:
    try:
        return f"{dt.datetime.fromisoformat(iso):%H:%M %d/%m/%Y}"
    except ValueError:
        return iso
