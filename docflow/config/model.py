"""Load config.toml into frozen dataclasses; every problem is reported at once with its key path."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from docflow.charset import ascii_upper
from docflow.config.forms import FormSpec
from docflow.config.history import Coefficient, EligibilityRule, Register
from docflow.config.runtime import Engine, Intake, LedgerSettings, Output, Watch, Web
from docflow.text import fold, nd30_date

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,31}$")


@dataclass(frozen=True)
class Paths:
    """Folders of a workspace; relative paths are resolved against the config file's folder."""

    inbox: Path = Path("inbox")
    outbox: Path = Path("outbox")
    templates: Path = Path("templates")
    state: Path = Path("state")


@dataclass(frozen=True)
class Campaign:
    """The emulation campaign being run."""

    name: str
    plan_number: str
    plan_date: dt.date
    period_start: dt.date
    period_end: dt.date
    # thematic (chuyên đề): achievements in this campaign only; regular (công trạng, hằng năm):
    # the register's history rules apply. `year`: the year a regular round rewards (0 = period_end's).
    kind: Literal["thematic", "regular"] = "thematic"
    year: int = 0

    @property
    def round_year(self) -> int:
        """The year the round's titles and awards are for."""
        return self.year or self.period_end.year


@dataclass(frozen=True)
class Issuer:
    """The provincial People's Committee that issues decisions and proposals."""

    name: str
    short_name: str
    header: tuple[str, ...]
    code: str
    place: str
    authority: str
    head_title: str
    signer_title: str
    signer_name: str
    report_to: tuple[str, ...] = ("Bộ Nội vụ (Ban Thi đua - Khen thưởng Trung ương)",)


@dataclass(frozen=True)
class Office:
    """The standing office for emulation work that drafts documents and issues receipts."""

    name: str
    header: tuple[str, ...]
    department: str
    funding_source: str
    executors: str
    parent: str = ""
    code: str = "SNV"             # in its numbers: …/TTr-SNV, …/SNV-TĐKT
    division: str = "TĐKT"        # the drafting division, after the code in a công văn's number
    head_title: str = "Giám đốc"  # who proposes: "Theo đề nghị của Giám đốc Sở Nội vụ tại …"
    signer_title: str = "Giám đốc"
    signer_name: str = ""
    slip_code: str = ""           # receipts and error slips: 12/PTN-BTĐKT, 12/PBL-BTĐKT


@dataclass(frozen=True)
class Unit:
    """A unit that sends forms: a department, an organisation or a local People's Committee."""

    code: str
    name: str
    kind: Literal["so", "doan_the", "dia_phuong", "khac"]
    head_title: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    header: tuple[str, ...] = ()
    parent: str = ""
    place: str = ""
    doc_code: str = ""
    successor: str = ""  # the code of the unit that took over its work after valid_to
    vocabulary: str = ""  # a [vocabularies.<name>] entry; by default the one named like `kind`

    def valid_on(self, day: dt.date) -> bool:
        """True when the unit exists on `day`."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Vocabulary:
    """How a unit's own plan names its people and its parts: a school department speaks of
    teachers and students, a People's Committee of the people of its area."""

    people: str = "cán bộ, công chức, viên chức và người lao động"
    members: str = "các phòng, đơn vị trực thuộc"
    standing: str = "bộ phận thường trực công tác thi đua, khen thưởng"  # coordinates in the unit


@dataclass(frozen=True)
class Award:
    """A form of commendation and who decides it."""

    code: str
    name: str
    decider: Literal["prime_minister", "chairman", "unit_head"]
    coefficient_collective: float
    coefficient_individual: float
    coefficients: tuple[Coefficient, ...] = ()  # later rates by date; the two above apply before
    title: bool = False  # a danh hiệu thi đua (Chiến sĩ thi đua …), not a hình thức khen thưởng

    @property
    def phrase(self) -> str:
        """How a decision names it after "tặng": `danh hiệu “Chiến sĩ thi đua cấp tỉnh”`."""
        return f"danh hiệu “{self.name}”" if self.title else self.name

    def coefficient_on(self, day: dt.date, collective: bool) -> float:
        """The coefficient in force on `day`."""
        rate = self.coefficient_collective if collective else self.coefficient_individual
        for entry in sorted(self.coefficients, key=lambda c: c.effective_from):
            if entry.effective_from <= day:
                rate = entry.collective if collective else entry.individual
        return rate


@dataclass(frozen=True)
class BaseSalary:
    """Mức lương cơ sở from a date on."""

    amount: int
    effective_from: dt.date
    basis: str = ""
    confirmed: bool = True  # false: announced, the office has yet to confirm the amount


@dataclass(frozen=True)
class Money:
    """How prize money is computed and rounded."""

    base_salaries: tuple[BaseSalary, ...]
    round_to: int = 1000
    rounding: Literal["up", "nearest"] = "up"


@dataclass(frozen=True)
class LegalBasis:
    """A text a document rests on (its kind, number, date, issuer and title), valid between two
    dates, for some documents and, when `units` is set, only for those units' own documents."""

    kind: str
    title: str
    effective_from: dt.date
    documents: tuple[str, ...]
    date: dt.date | None = None  # required: config checks refuse a basis without its date
    number: str = ""
    issuer: str = ""
    effective_to: dt.date | None = None
    units: tuple[str, ...] = ()

    @property
    def line(self) -> str:
        """The `Căn cứ` line without its final punctuation, as Nghị định 30 documents cite it:
        `Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định …`,
        a law by its name: `Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022`."""
        day = f" {nd30_date(self.date)}" if self.date else ""
        if not self.number:
            return f"Căn cứ {self.kind} {self.title}{day}"
        issuer = f" của {self.issuer}" if self.issuer else ""
        return f"Căn cứ {self.kind} số {self.number}{day}{issuer} {self.title}"


@dataclass(frozen=True)
class Deadline:
    """A date by which every active unit must have sent a form (a period for BC)."""

    form: Literal["DK", "BC", "DN"]
    date: dt.date
    period: str = ""
    new_date: dt.date | None = None   # the date the Công văn đôn đốc gives; else date + grace_days


@dataclass(frozen=True)
class Round:
    """The office's part of the round: the provincial council's meeting, the reminders' grace."""

    council_minutes: str = ""         # Biên bản họp Hội đồng Thi đua - Khen thưởng tỉnh, e.g. 10/BB-HĐTĐKT
    council_date: dt.date | None = None
    grace_days: int = 7               # a late unit's new date: the deadline + this many days


@dataclass(frozen=True)
class Criterion:
    """A campaign criterion on nomination rows, written as a safe expression (docflow.config.rules)."""

    award: str
    rule: str
    message: str
    subject: Literal["", "Tập thể", "Cá nhân"] = ""
    field: str = ""
    expected: str = ""
    severity: Literal["lỗi", "cảnh báo"] = "lỗi"


@dataclass(frozen=True)
class Quota:
    """At most `per_unit` nominations for an award from each unit."""

    award: str
    per_unit: int


@dataclass(frozen=True)
class CampaignChecks:
    """Checks across all submissions of the campaign."""

    duplicate_person: bool = True


@dataclass(frozen=True)
class Config:
    """The whole campaign configuration; `root` is the folder paths are relative to."""

    campaign: Campaign
    issuer: Issuer
    office: Office
    units: tuple[Unit, ...]
    awards: tuple[Award, ...]
    money: Money
    legal_bases: tuple[LegalBasis, ...]
    recipients: dict[str, tuple[str, ...]]
    forms: dict[str, FormSpec]
    paths: Paths = field(default_factory=Paths)
    criteria: tuple[Criterion, ...] = ()
    quotas: tuple[Quota, ...] = ()
    checks: CampaignChecks = field(default_factory=CampaignChecks)
    intake: Intake = field(default_factory=Intake)
    watch: Watch = field(default_factory=Watch)
    output: Output = field(default_factory=Output)
    deadlines: tuple[Deadline, ...] = ()
    web: Web = field(default_factory=Web)
    register: Register = field(default_factory=Register)
    eligibility: tuple[EligibilityRule, ...] = ()
    round: Round = field(default_factory=Round)
    vocabularies: dict[str, Vocabulary] = field(default_factory=dict)
    engine: Engine = field(default_factory=Engine)
    ledger: LedgerSettings = field(default_factory=LedgerSettings)
    root: Path = Path(".")

    def unit(self, code: str) -> Unit | None:
        """The unit with this code (case-insensitive), if any."""
        wanted = ascii_upper(code.strip())
        return next((u for u in self.units if u.code == wanted), None)

    def deadline(self, form: str, period: str = "") -> dt.date | None:
        """The deadline of a form (and period), if config sets one."""
        return next((d.date for d in self.deadlines if d.form == form and d.period == period),
                    None)

    def vocabulary_of(self, unit: Unit) -> Vocabulary:
        """The words a unit's plan uses: its own entry, else its kind's, else the defaults."""
        return (self.vocabularies.get(unit.vocabulary) or self.vocabularies.get(unit.kind)
                or Vocabulary())

    def award(self, name: str) -> Award | None:
        """The award whose name matches (folded compare)."""
        key = fold(name)
        return next((a for a in self.awards if fold(a.name) == key), None)

    def base_salary_on(self, day: dt.date) -> int:
        """The mức lương cơ sở in force on `day` (the earliest one before any entry)."""
        ordered = sorted(self.money.base_salaries, key=lambda b: b.effective_from)
        current = ordered[0].amount
        for entry in ordered:
            if entry.effective_from <= day:
                current = entry.amount
        return current

    def legal_bases_for(self, document: str, day: dt.date, unit: str = "") -> list[str]:
        """The `Căn cứ` lines for a document dated `day` (issued by `unit` for a unit's own
        document), in config order."""
        return [
            b.line for b in self.legal_bases
            if document in b.documents and b.effective_from <= day
            and (b.effective_to is None or day <= b.effective_to)
            and (not b.units or unit in b.units)
        ]

    def register_target(self) -> Path | str:
        """Where the award register is opened: a postgresql:// address, or its SQLite file.
        With a PostgreSQL ledger it is never a SQLite file on the share, unless a path is named."""
        if self.register.url:
            return self.register.url
        if self.register.path is None and self.ledger.url:
            return self.ledger.url
        return self.register_path()

    def register_path(self) -> Path:
        """The award register's SQLite file, shared by the office's campaigns."""
        if self.register.path is not None:
            return (self.root / self.register.path).resolve()
        return self.path("state").parent / "so-khen-thuong.sqlite3"

    @functools.cached_property
    def version(self) -> str:
        """A short fingerprint of everything a document can be made from (not where the
        folders are): a draft made under another version is out of date."""
        # kept on the instance (frozen: it never changes); a refresh asks once per draft
        content = dataclasses.replace(self, root=Path("."), paths=Paths())
        return hashlib.sha256(repr(content).encode("utf-8")).hexdigest()[:12]

    def path(self, name: str) -> Path:
        """An absolute workspace folder: inbox, outbox, templates or state."""
        return (self.root / getattr(self.paths, name)).resolve()
