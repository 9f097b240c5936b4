"""config.toml: the sample campaign loads; every mistake is reported at once, with where and how to fix."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from docflow.config import load, parse
from docflow.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def sample() -> dict:
    return tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))


def problems_of(raw: dict) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse(raw, ROOT)
    return info.value.problems


def test_the_sample_campaign_loads_with_its_units_awards_and_forms():
    config = load(ROOT / "config.toml")
    assert config.campaign.period_start == dt.date(2024, 1, 1)
    assert config.campaign.period_end == dt.date(2026, 1, 6)
    codes = {u.code for u in config.units}
    assert {"SNV", "STC", "SGDDT", "SYT", "STTTT", "MTTQ", "TINHDOAN", "UBND-TPTN",
            "UBND-DAITU", "UBND-DINHHOA"} <= codes
    assert {u.kind for u in config.units} == {"so", "doan_the", "dia_phuong"}
    assert [a.decider for a in config.awards] == ["prime_minister", "chairman", "unit_head"]
    assert set(config.forms) == {"DK", "BC", "DN", "LS"}


def test_paths_are_relative_to_the_config_files_folder(tmp_path):
    (tmp_path / "config.toml").write_text((ROOT / "config.toml").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    config = load(tmp_path / "config.toml")
    assert config.path("inbox") == tmp_path / "inbox"
    assert config.path("state") == tmp_path / "state"


def test_base_salary_and_legal_bases_are_chosen_by_the_documents_date():
    config = load(ROOT / "config.toml")
    assert config.base_salary_on(dt.date(2024, 6, 30)) == 1_800_000
    assert config.base_salary_on(dt.date(2024, 7, 1)) == 2_340_000
    before = " ".join(config.legal_bases_for("quyet_dinh_bang_khen", dt.date(2025, 6, 30)))
    after = " ".join(config.legal_bases_for("quyet_dinh_bang_khen", dt.date(2025, 7, 1)))
    assert "98/2023/NĐ-CP" in before and "152/2025/NĐ-CP" not in before
    assert "152/2025/NĐ-CP" in after and "98/2023/NĐ-CP" not in after


def test_units_are_valid_only_between_their_dates():
    config = load(ROOT / "config.toml")
    district = config.unit("UBND-DAITU")
    assert district.valid_on(dt.date(2025, 6, 30))
    assert not district.valid_on(dt.date(2025, 7, 1))


def test_every_problem_is_reported_at_once_with_its_key_path():
    raw = sample()
    raw["campaign"]["colour"] = "đỏ"
    raw["units"][0]["head_titel"] = "Giám đốc"
    raw["awards"][1]["coefficient_collective"] = "ba"
    del raw["issuer"]["place"]
    problems = problems_of(raw)
    assert len(problems) == 4
    joined = "\n".join(problems)
    assert "campaign.colour: khóa không được hỗ trợ" in joined
    assert "units[0].head_titel" in joined and "head_title" in joined  # suggests the right key
    assert "awards[1].coefficient_collective: cần số" in joined
    assert "issuer.place: thiếu khóa bắt buộc" in joined


@pytest.mark.parametrize("change, expected", [
    (lambda r: r["units"].append(dict(r["units"][0])), "units[23].code: mã 'SNV' bị trùng"),
    (lambda r: r["units"][0].update(code="Sở NV"), "units[0].code: 'Sở NV' không dùng được"),
    (lambda r: r["recipients"].update(quyet_dinh_bang_khen=["Lưu: VT"]),
     "recipients.quyet_dinh_bang_khen[0]: dòng đầu phải là 'Như Điều 3'"),
    (lambda r: r["recipients"].update(to_trinh_thu_tuong=["Như trên", "Bộ Nội vụ"]),
     "recipients.to_trinh_thu_tuong: dòng cuối phải là dòng lưu"),
    (lambda r: r["legal_bases"][0].update(documents=["quyet_dinh"]),
     "legal_bases[0].documents: không có văn bản"),
    (lambda r: r["campaign"].update(period_start=dt.date(2027, 1, 1)),
     "campaign.period_start: ngày bắt đầu sau ngày kết thúc"),
    (lambda r: r["forms"]["DN"]["sheets"][1]["fields"][3].update(required_when={"loai": "x"}),
     "tham chiếu tới trường 'loai' không có"),
    (lambda r: r["forms"]["DN"]["sheets"][1]["fields"][1].update(type="choise"),
     "forms.DN.sheets[1].fields[1].type: giá trị 'choise' không hợp lệ"),
    (lambda r: r["forms"]["DN"]["sheets"][1]["fields"][2].update(key="ten"),
     "trang tính 'Danh sách' thiếu trường key = 'name'"),
    (lambda r: r["forms"]["DN"]["sheets"][0]["fields"][2].update(pattern="(["),
     "pattern: biểu thức không hợp lệ"),
])
def test_semantic_mistakes_name_the_key_and_the_fix(change, expected):
    raw = sample()
    change(raw)
    assert any(expected in p for p in problems_of(raw)), problems_of(raw)


def test_a_config_that_is_not_toml_says_so(tmp_path):
    bad = tmp_path / "config.toml"
    bad.write_text("[campaign\nname = 1", encoding="utf-8")
    with pytest.raises(ConfigError, match="sai cú pháp TOML"):
        load(bad)
