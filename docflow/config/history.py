"""Config for the award register shared by the office's campaigns, and the eligibility rules
(Luật Thi đua, khen thưởng 2022 and its decrees) written as data with articles and dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

RuleKind = Literal["consecutive", "count", "ratings", "prior", "not_twice"]


@dataclass(frozen=True)
class Register:
    """Where the sổ theo dõi khen thưởng lives: `url` (PostgreSQL), else `path` (SQLite), else
    the ledger's PostgreSQL when it has one, else a SQLite file beside the state folder."""

    path: Path | None = None
    history_form: str = "LS"
    url: str = ""


@dataclass(frozen=True)
class EligibilityRule:
    """One condition a nomination must meet in the register, in force between two dates.

    kind: consecutive — `years` consecutive years holding one of `titles`, ending with the round's
    year (minus `ending_offset`); count — at least `count` of `titles` in the last `years` years;
    ratings — `years` consecutive years rated one of `ratings`; prior — one of `titles` before,
    ever; not_twice — the same award not already received for the round's year.
    """

    award: str
    kind: RuleKind
    label: str
    article: str
    effective_from: dt.date
    effective_to: dt.date | None = None
    subject: Literal["", "Tập thể", "Cá nhân"] = ""
    titles: tuple[str, ...] = ()
    ratings: tuple[str, ...] = ()
    years: int = 0
    count: int = 0
    ending_offset: int = 0
    basis: str = ""
    confirm: bool = False  # the office still has to confirm the figures and the article
    severity: Literal["lỗi", "cảnh báo"] = "lỗi"

    def in_force(self, day: dt.date) -> bool:
        """True when the rule applies to a nomination dated `day`."""
        return self.effective_from <= day and (self.effective_to is None
                                               or day <= self.effective_to)


@dataclass(frozen=True)
class Coefficient:
    """Prize coefficients of an award from a date on (a decree may change them)."""

    effective_from: dt.date
    collective: float
    individual: float
    basis: str = ""


RATINGS = ("Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ",
           "Không hoàn thành nhiệm vụ")

