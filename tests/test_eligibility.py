"""Eligibility by law: each rule at its edges, judged on what the register holds."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import dn_info, dn_workbook, person
from history_builders import CSTDCS, annual_workspace, award_row, ls_workbook

from docflow.config import EligibilityRule, load
from docflow.history import Entry, PersonHistory, Seen, eligibility_failures
from docflow.pipeline import process_all
from docflow.workspace import Workspace

CSTDT = "Chiến sĩ thi đua cấp tỉnh"
BKTTG = "Bằng khen của Thủ tướng Chính phủ"
BKUBND = "Bằng khen của Chủ tịch UBND tỉnh"
GOOD = ("Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ")


def rule(award: str = CSTDT, kind: str = "consecutive", **kw) -> EligibilityRule:
    base = dict(label="3 năm liên tục CSTĐ cơ sở", article="Điều 22 Luật Thi đua, khen thưởng 2022",
                effective_from=dt.date(2024, 1, 1), titles=(CSTDCS,), years=3)
    return EligibilityRule(award=award, kind=kind, **{**base, **kw})


def seen(titles: dict[int, str] | None = None, ratings: dict[int, str] | None = None) -> Seen:
    entries = tuple(Entry(y, t, f"{y}/QĐ-SNV", dt.date(y, 12, 20), "SNV")
                    for y, t in (titles or {}).items())
    return Seen(PersonHistory(1, "Nguyễn Thị Thuỷ", dt.date(1985, 3, 12), False, entries,
                              ratings or {}))


def cstd(*years: int) -> dict[int, str]:
    return {y: CSTDCS for y in years}


ON = dt.date(2025, 11, 20)
# (rule, what the register holds, the reason a nomination is refused or "" when it passes)
CASES = [
    ("3 consecutive years: passes", rule(), seen(cstd(2023, 2024, 2025)), ""),
    ("2 consecutive years: refused", rule(), seen(cstd(2024, 2025)),
     "3 năm liên tục CSTĐ cơ sở (2023–2025): sổ có 2024, 2025; thiếu 2023"),
    ("a gap year: refused", rule(ending_offset=1), seen(cstd(2022, 2024)),
     "3 năm liên tục CSTĐ cơ sở (2022–2024): sổ có 2022, 2024; thiếu 2023"),
    ("nothing in the register", rule(), None,
     "3 năm liên tục CSTĐ cơ sở (2023–2025): sổ chưa có năm nào; thiếu 2023, 2024, 2025"),
    ("count: 3 in 5 years passes", rule(BKTTG, "count", years=5, count=3, label="3 lần CSTĐ cơ sở"),
     seen(cstd(2021, 2023, 2025)), ""),
    ("count: 2 in 5 years refused", rule(BKTTG, "count", years=5, count=3,
                                          label="3 lần CSTĐ cơ sở"),
     seen(cstd(2020, 2023, 2025)), "3 lần CSTĐ cơ sở (2021–2025): sổ có 2023, 2025; cần 3 lần"),
    ("ratings: 5 good years pass", rule(BKTTG, "ratings", ratings=GOOD, years=5, titles=(),
                                        label="5 năm hoàn thành tốt"),
     seen(ratings={y: GOOD[y % 2] for y in range(2021, 2026)}), ""),
    ("ratings: one plain year refused", rule(BKTTG, "ratings", ratings=GOOD, years=5, titles=(),
                                             label="5 năm hoàn thành tốt"),
     seen(ratings={**{y: GOOD[0] for y in range(2021, 2026)}, 2023: "Hoàn thành nhiệm vụ"}),
     "5 năm hoàn thành tốt (2021–2025): 2023: Hoàn thành nhiệm vụ"),
    ("ratings: a year missing refused", rule(BKTTG, "ratings", ratings=GOOD, years=5, titles=(),
                                             label="5 năm hoàn thành tốt"),
     seen(ratings={y: GOOD[0] for y in range(2022, 2026)}),
     "5 năm hoàn thành tốt (2021–2025): 2021: chưa có xếp loại"),
    ("prior award: present", rule(BKTTG, "prior", titles=(BKUBND,), ending_offset=1,
                                  label="đã có Bằng khen tỉnh"), seen({2022: BKUBND}), ""),
    ("prior award: only this year's does not count",
     rule(BKTTG, "prior", titles=(BKUBND,), ending_offset=1, label="đã có Bằng khen tỉnh"),
     seen({2025: BKUBND}), f"đã có Bằng khen tỉnh: sổ chưa có {BKUBND}"),
    ("not twice: already awarded this year", rule(BKUBND, "not_twice", label="không khen hai lần"),
     seen({2025: BKUBND}), f"không khen hai lần: sổ đã có {BKUBND} năm 2025 (Quyết định số "
     "2025/QĐ-SNV ngày 20/12/2025)"),
    ("not twice: last year's is another achievement",
     rule(BKUBND, "not_twice", label="không khen hai lần"), seen({2024: BKUBND}), ""),
    ("a rule for collectives does not judge a person", rule(subject="Tập thể"), None, ""),
]


@pytest.mark.parametrize("the_rule, held, reason", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_each_rule_at_its_edges(the_rule, held, reason):
    failed = eligibility_failures((the_rule,), the_rule.award, False, held, 2025, ON)
    assert [why for _, why in failed] == ([reason] if reason else [])


# A decree changes a rule on 01/7/2025: the one in force on the nomination's date judges it.
BEFORE = rule(kind="count", years=3, count=2, label="2 lần trong 3 năm",
              basis="Nghị định số 98/2023/NĐ-CP", effective_to=dt.date(2025, 6, 30))
AFTER = rule(label="3 năm liên tục", basis="Nghị định số 152/2025/NĐ-CP",
             effective_from=dt.date(2025, 7, 1))


@pytest.mark.parametrize("day, refused_by", [
    (dt.date(2025, 6, 30), []),
    (dt.date(2025, 7, 1), ["Nghị định số 152/2025/NĐ-CP"]),
])
def test_a_rule_that_changes_on_1_july_2025(day, refused_by):
    failed = eligibility_failures((BEFORE, AFTER), CSTDT, False, seen(cstd(2023, 2025)), 2025, day)
    assert [r.basis for r, _ in failed] == refused_by


def test_the_annual_round_refuses_a_nomination_citing_the_rule_its_article_and_the_register(
        tmp_path, clock):
    ws = Workspace.open(load(annual_workspace(tmp_path)), clock, converter=None)
    try:
        ls_workbook(ws.inbox / "SNV" / "so.xlsx", [award_row("Nguyễn Thị Thuỷ", y)
                                                   for y in (2022, 2024, 2025)])
        dn_workbook(ws.inbox / "SNV" / "zz-dn.xlsx", dn_info("SNV"),
                    [person("Nguyễn Thị Thủy", "Nữ", award=CSTDT, birth_date=dt.date(1985, 3, 12))])
        ls, dn = process_all(ws)
        assert ls.status == "accepted" and dn.status == "rejected"
        [problem] = [p for p in dn.problems if p.code == "eligibility"]
        assert problem.location == "Danh sách!H2"
        assert problem.message == (
            "Chưa đủ điều kiện Chiến sĩ thi đua cấp tỉnh: 3 năm liên tục Chiến sĩ thi đua cơ sở "
            "(2023–2025): sổ có 2022, 2024, 2025; thiếu 2023. Căn cứ: Điều 22 Luật Thi đua, "
            "khen thưởng 2022; Nghị định số 152/2025/NĐ-CP.")
    finally:
        ws.close()


def test_the_annual_round_accepts_three_consecutive_years_and_words_the_title(tmp_path, clock):
    from docx_reader import full_text

    ws = Workspace.open(load(annual_workspace(tmp_path)), clock, converter=None)
    try:
        ls_workbook(ws.inbox / "SNV" / "so.xlsx", [award_row("Nguyễn Thị Thuỷ", y)
                                                   for y in (2023, 2024, 2025)])
        dn_workbook(ws.inbox / "SNV" / "zz-dn.xlsx", dn_info("SNV"),
                    [person("Nguyễn Thị Thủy", "Nữ", award=CSTDT, birth_date=dt.date(1985, 3, 12))])
        ls, dn = process_all(ws)
        assert dn.status == "accepted", dn.problems
        decision = ws.outbox / "_tong-hop" / "Quyet-dinh-tang-Chien-si-thi-dua-cap-tinh.docx"
        text = full_text(decision)
        assert "Về việc tặng danh hiệu “Chiến sĩ thi đua cấp tỉnh”" in text
        assert "thực hiện nhiệm vụ năm 2025" in text
    finally:
        ws.close()


def test_a_thematic_campaign_does_not_apply_history_rules(ws):
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
    [outcome] = process_all(ws)
    assert outcome.status == "accepted"
    assert not [p for p in outcome.problems if p.code == "eligibility"]
