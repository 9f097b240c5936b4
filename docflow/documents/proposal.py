"""The office's Tờ trình to the Chairman, drafted with each of the Chairman's award decisions:
the vetted list by unit, counts and money, the provincial council's meeting, and the
nominations not proposed with the reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from docflow.config import Award, Config
from docflow.documents.contexts import (BLANK, award_context, bases, header, recipients,
                                        signature)
from docflow.documents.listing import of_award, unit_runs
from docflow.text import format_number, short_date
from docflow.validation import Nomination, prize

DOC = "to_trinh_chu_tich"


@dataclass(frozen=True)
class Skipped:
    """A nomination, or a whole unit's file, that the Tờ trình does not propose, and why."""

    unit: str
    who: str
    reason: str


@dataclass(frozen=True)
class RoundFacts:
    """What the ledger knows beyond the current records: who is already awarded (person key,
    award code → the decision cited) and which files were refused; and the drafts' marks."""

    awarded: dict[tuple[str, str], str] = field(default_factory=dict)
    refused: tuple[Skipped, ...] = ()
    mark: str = ""


def split_awarded(noms: list[Nomination], facts: RoundFacts) -> tuple[list[Nomination],
                                                                      list[Skipped]]:
    """The nominations still to propose, and those already awarded by a signed decision."""
    if not facts.awarded:  # nobody yet: no lookup for each of 100,000 nominees
        return noms, []
    keep, skipped = [], []
    for n in noms:
        cited = facts.awarded.get((n.person_key, n.award.code))
        if cited:
            skipped.append(Skipped(n.unit, n.name, f"đã được tặng {n.award.name} theo {cited}"))
        else:
            keep.append(n)
    return keep, skipped


def proposal_number(config: Config) -> str:
    """The Tờ trình's number as the draft leaves it, for the decision's "Theo đề nghị" line."""
    return f"{BLANK}/TTr-{config.office.code}"


def proposal_context(config: Config, award: Award, noms: list[Nomination], day: dt.date,
                     skipped: list[Skipped], mark: str = "", decision: dict | None = None) -> dict:
    """Context for the Tờ trình of the office proposing one of the Chairman's awards;
    `decision`, the Chairman's decision's context of the same list, is not made again."""
    noms = of_award(noms, award)
    office, issuer = config.office, config.issuer
    context = dict(decision) if decision is not None else \
        award_context(config, award, noms, day, "quyet_dinh_bang_khen")
    units = _by_unit(config, award, noms, day)
    senders = {r.unit for r in unit_runs(noms)} | {s.unit for s in skipped}
    council = _council(config, day.year)
    context.update(
        header=header(office.parent, office.header, proposal_number(config), issuer.place, None,
                      day.year),
        title="TỜ TRÌNH", summary=f"Về việc đề nghị tặng {award.name}",
        kinh_gui=["Chủ tịch Ủy ban nhân dân tỉnh"],
        legal_bases=bases(config.legal_bases_for(DOC, day)),
        intro=(f"Thực hiện {config.campaign.name}, {office.name} đã tiếp nhận hồ sơ đề nghị "
               f"khen thưởng của {len(senders):02d} "
               f"cơ quan, đơn vị. Qua thẩm định, {office.name} "
               f"kính trình Chủ tịch Ủy ban nhân dân tỉnh xem xét, tặng {award.name} cho "
               f"{context['counts']['phrase']} (có danh sách kèm theo)."),
        council=council,
        units=units,
        unit_totals={"collective": context["counts"]["collective"],
                     "individual": context["counts"]["individual"],
                     "amount": context["money"]["total"]},
        skipped=[{"stt": str(i), "unit": _unit_name(config, s.unit), "who": s.who,
                  "reason": s.reason} for i, s in enumerate(skipped, start=1)],
        closing=(f"{office.name} kính trình Chủ tịch Ủy ban nhân dân tỉnh xem xét, "
                 "quyết định./."),
        signature=signature(office.head_title, office.signer_title, office.signer_name),
        recipients=recipients(config.recipients[DOC]),
        appendix={"summary": f"Tập thể, cá nhân được đề nghị tặng {award.name}",
                  "reference": f"(Kèm theo Tờ trình số {proposal_number(config)} ngày{BLANK}"
                               f"tháng{BLANK}năm {day.year} của {office.name})"},
        mark=mark)
    return context


def _council(config: Config, year: int) -> str:
    """The provincial council's meeting: from config, or blanks the clerk fills in."""
    r = config.round
    when = f"ngày {short_date(r.council_date)}" if r.council_date else f"ngày{BLANK}/{BLANK}/{year}"
    minutes = r.council_minutes or BLANK
    return (f"Hội đồng Thi đua - Khen thưởng tỉnh đã họp xét {when} (Biên bản số {minutes}) và "
            "thống nhất đề nghị khen thưởng các tập thể, cá nhân có tên trong danh sách kèm "
            "theo.")


def _by_unit(config: Config, award: Award, noms: list[Nomination], day: dt.date) -> list[dict]:
    """One row per unit in registry order: collectives, people and their prize money."""
    rows, of_unit = [], {}
    for run in unit_runs(noms):  # one unit at a time, not one row
        counts = of_unit.setdefault(run.unit, [0, 0])
        counts[0] += len(run.collective)
        counts[1] += len(run.individual)
    each = {collective: prize(award, collective, config, day) for collective in (True, False)}
    for unit in config.units:
        coll, ind = of_unit.get(unit.code, (0, 0))
        if not coll + ind:
            continue
        amount = coll * each[True] + ind * each[False]
        rows.append({"stt": str(len(rows) + 1), "unit": unit.name, "collective": str(coll),
                     "individual": str(ind), "amount": format_number(amount)})
    return rows


def _unit_name(config: Config, code: str) -> str:
    unit = config.unit(code)
    return unit.name if unit else code

