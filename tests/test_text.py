"""Specification of docflow.text: Vietnamese text handling (DOMAIN.md sections 1 and 3)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docflow.text import legacy as charts
from docflow.text import (
    clean,
    collation_key,
    detect_legacy_encoding,
    excel_serial_to_date,
    fold,
    format_money,
    format_number,
    given_name_key,
    money_words,
    nd30_date,
    nfc,
    number_to_words,
    parse_date,
    parse_number,
    short_date,
    slug,
    upper_vi,
)


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def is_nfc(s: str) -> bool:
    return unicodedata.is_normalized("NFC", s)


# --- normalisation -------------------------------------------------------------------------------


def test_nfc_composes_decomposed_input():
    assert nfc(nfd("Nguyễn Văn Hoà")) == "Nguyễn Văn Hoà"
    assert is_nfc(nfc(nfd("Ủy ban")))


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("  Sở   Nội vụ  ", "Sở Nội vụ"),
        ("Sở\u00a0Nội\tvụ\n", "Sở Nội vụ"),
        ("Ủy ban\r\n\r\nnhân dân", "Ủy ban nhân dân"),
        (nfd("Thái Nguyên"), "Thái Nguyên"),
        ("\u00d0oàn thanh niên", "\u0110oàn thanh niên"),
        ("\u00f0ơn vị", "\u0111ơn vị"),
        ("", ""),
    ],
)
def test_clean_trims_collapses_whitespace_and_fixes_eth(raw, expected):
    assert clean(raw) == expected


# --- folding -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        ("hoà", "hòa"),
        ("thuý", "thúy"),
        ("uỷ", "ủy"),
        ("Hoá", "hóa"),
        ("Uỷ ban nhân dân", "ỦY BAN NHÂN DÂN"),
        ("Trường THPT Hoàng Hoa Thám", "trường thpt hòang hoa thám"),
        ("Mã đơn vị *", "mã đơn vị"),
        ("Họ và tên*", "họ và tên"),
        ("Sở\u00a0Nội  vụ", "sở nội vụ"),
        (nfd("Nguyễn Thị Thuý"), "nguyễn thị thúy"),
        ("\u00d0oàn", "đoàn"),
    ],
)
def test_fold_makes_tone_placement_case_spacing_and_required_marker_irrelevant(a, b):
    assert fold(a) == fold(b)


@pytest.mark.parametrize(
    "a, b",
    [("hoa", "hòa"), ("hỏa", "hòa"), ("ma", "mạ"), ("da", "đa"), ("Nguyên", "Nguyễn"), ("an", "ăn"), ("o", "ơ")],
)
def test_fold_keeps_tones_and_letters_distinct(a, b):
    assert fold(a) != fold(b)


def test_fold_is_nfc_lower_case_and_readable_for_modern_spelling():
    assert fold("Nguyễn Văn Quốc") == "nguyễn văn quốc"
    assert is_nfc(fold(nfd("Hòa Bình")))


def test_fold_is_idempotent():
    for s in ["Hòa", "thúy", "Ủy ban *", "Nguyễn", "quốc", "Peña"]:
        assert fold(fold(s)) == fold(s)


def test_fold_leaves_a_tilde_on_a_consonant_alone():
    assert fold("Peña") == "peña"


# --- collation -----------------------------------------------------------------------------------


def test_collation_gives_the_cldr_vietnamese_example_order():
    expected = ["anh", "áo", "ba", "cả", "cá", "cắt"]
    assert sorted(reversed(expected), key=collation_key) == expected
    assert sorted(["cắt", "cá", "ba", "anh", "cả", "áo"], key=collation_key) == expected


def test_collation_orders_vietnamese_letters():
    letters = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y".split()
    assert sorted(reversed(letters), key=collation_key) == letters


def test_collation_tones_are_secondary_in_cldr_order():
    tones = ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert sorted(reversed(tones), key=collation_key) == tones
    # A letter difference later in the word outweighs a tone difference earlier.
    assert collation_key("mạ") < collation_key("mac")


def test_collation_accepts_both_tone_placements_equally():
    assert collation_key("hoà") == collation_key("hòa")
    assert collation_key("Thuý") == collation_key("Thúy")
    assert collation_key(nfd("uỷ")) == collation_key("ủy")


def test_collation_case_is_tertiary_lower_first():
    assert sorted(["Anh", "anh", "an"], key=collation_key) == ["an", "anh", "Anh"]


def test_collation_digits_before_letters_and_space_before_both():
    assert sorted(["An", "An Bình", "Anh", "10", "2"], key=collation_key) == ["10", "2", "An", "An Bình", "Anh"]


def test_given_name_sort_puts_given_name_first_then_the_rest():
    people = ["Nguyễn Thị Bình", "Lê Văn Bình", "Trần Văn An", "Đặng Thị Ánh", "Đào Anh"]
    assert sorted(people, key=given_name_key) == [
        "Trần Văn An",
        "Đào Anh",
        "Đặng Thị Ánh",
        "Lê Văn Bình",
        "Nguyễn Thị Bình",
    ]


# --- upper case ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("đoàn thanh niên", "ĐOÀN THANH NIÊN"),
        ("cộng hòa xã hội chủ nghĩa việt nam", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("ủy ban nhân dân tỉnh thái nguyên", "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN"),
        (nfd("sở nội vụ"), "SỞ NỘI VỤ"),
        ("\u00f0ơn vị", "ĐƠN VỊ"),
    ],
)
def test_upper_vi_keeps_diacritics_and_uses_real_capital_d_with_stroke(raw, expected):
    result = upper_vi(raw)
    assert result == expected
    assert "\u00d0" not in result and is_nfc(result)


# --- numbers in words ----------------------------------------------------------------------------

NUMBER_WORDS = [
    (0, "không"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (21, "hai mươi mốt"),
    (24, "hai mươi tư"),
    (25, "hai mươi lăm"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (1000, "một nghìn"),
    (2001, "hai nghìn không trăm linh một"),
    (1234, "một nghìn hai trăm ba mươi tư"),
    (7020000, "bảy triệu không trăm hai mươi nghìn"),
    (1000000001, "một tỷ không trăm linh một"),
    (2340000, "hai triệu ba trăm bốn mươi nghìn"),
    (1000000000000, "một nghìn tỷ"),
]


@pytest.mark.parametrize("n, words", NUMBER_WORDS)
def test_number_to_words_matches_the_northern_usage_table(n, words):
    assert number_to_words(n) == words


@pytest.mark.parametrize(
    "n, words",
    [
        (40, "bốn mươi"),
        (41, "bốn mươi mốt"),
        (54, "năm mươi tư"),
        (100, "một trăm"),
        (101, "một trăm linh một"),
        (1005, "một nghìn không trăm linh năm"),
        (1010, "một nghìn không trăm mười"),
        (1000000, "một triệu"),
        (1001000, "một triệu không trăm linh một nghìn"),
        (2000000000, "hai tỷ"),
        (5000000000000000, "năm triệu tỷ"),
    ],
)
def test_number_to_words_skips_zero_groups_and_reads_khong_tram_in_later_groups(n, words):
    assert number_to_words(n) == words


def test_negative_numbers_are_prefixed_am():
    assert number_to_words(-15) == "âm mười lăm"


@pytest.mark.parametrize("bad", [1.0, "12", Decimal("3"), None, True])
def test_number_to_words_rejects_non_int(bad):
    with pytest.raises(ValueError, match="int"):
        number_to_words(bad)


@given(st.integers(min_value=0, max_value=10**15))
def test_number_words_are_single_spaced_trimmed_and_nfc(n):
    words = number_to_words(n)
    assert "  " not in words
    assert words == words.strip()
    assert is_nfc(words)


@pytest.mark.parametrize(
    "amount, words",
    [
        (7020000, "Bảy triệu không trăm hai mươi nghìn đồng"),
        (2340000, "Hai triệu ba trăm bốn mươi nghìn đồng"),
        (0, "Không đồng"),
        (1, "Một đồng"),
    ],
)
def test_money_words_capitalises_and_ends_with_dong(amount, words):
    assert money_words(amount) == words


# --- number formatting and parsing ---------------------------------------------------------------


@pytest.mark.parametrize(
    "value, shown",
    [
        (2340000, "2.340.000"),
        (1.5, "1,5"),
        (3.0, "3"),
        (-1500, "-1.500"),
        (Decimal("2.5"), "2,5"),
        (0, "0"),
        (999, "999"),
        (1000, "1.000"),
        (Decimal("1234.50"), "1.234,5"),
        (1.005, "1,01"),
        (Decimal("0.125"), "0,13"),
        (-0.001, "0"),
        (10**15, "1.000.000.000.000.000"),
    ],
)
def test_format_number_uses_dot_thousands_comma_decimals_and_two_places_half_up(value, shown):
    assert format_number(value) == shown


@pytest.mark.parametrize("bad", ["12", None, float("nan"), float("inf"), True])
def test_format_number_rejects_non_numbers(bad):
    with pytest.raises(ValueError):
        format_number(bad)


def test_format_money_appends_dong():
    assert format_money(2340000) == "2.340.000 đồng"


@pytest.mark.parametrize(
    "typed, value",
    [
        ("1.500", Decimal(1500)),
        ("2,5", Decimal("2.5")),
        ("1.234.567", Decimal(1234567)),
        ("1.234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        (" 12 ", Decimal(12)),
        ("1 500", Decimal(1500)),
        ("1\u00a0500", Decimal(1500)),
        ("-3", Decimal(-3)),
        ("3.14", Decimal("3.14")),
        ("1.5", Decimal("1.5")),
        ("1,234,567", Decimal(1234567)),
        ("2.340.000", Decimal(2340000)),
        ("0.500", Decimal("0.5")),
        ("1.2345", Decimal("1.2345")),
    ],
)
def test_parse_number_reads_vietnamese_and_plain_separators(typed, value):
    assert parse_number(typed) == value


@pytest.mark.parametrize("typed", ["abc", "", "   ", "1..2", "1.", ",5", "-", "1,5,3", "1.23.4", "12 34", "1.234,5.6"])
def test_parse_number_returns_none_for_non_numbers(typed):
    assert parse_number(typed) is None


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, day",
    [
        ("05/01/2025", dt.date(2025, 1, 5)),
        ("5/1/2025", dt.date(2025, 1, 5)),
        ("29-06-2025", dt.date(2025, 6, 29)),
        ("09.10.2024", dt.date(2024, 10, 9)),
        ("2024-10-09", dt.date(2024, 10, 9)),
        ("  29/02/2024 ", dt.date(2024, 2, 29)),
    ],
)
def test_parse_date_reads_day_first_and_iso_dates(typed, day):
    assert parse_date(typed) == day


@pytest.mark.parametrize("typed", ["05/01/25", "abc", "", "05/01-2025", "2025/01/05", "5 tháng 1 năm 2025", "20250105"])
def test_parse_date_returns_none_for_other_shapes_and_two_digit_years(typed):
    assert parse_date(typed) is None


@pytest.mark.parametrize("typed", ["31/02/2024", "29/02/2023", "00/01/2024", "01/13/2024", "2024-02-30"])
def test_parse_date_raises_for_impossible_dates(typed):
    with pytest.raises(ValueError, match="impossible date"):
        parse_date(typed)


@pytest.mark.parametrize(
    "serial, day",
    [
        (1, dt.date(1900, 1, 1)),
        (59, dt.date(1900, 2, 28)),
        (61, dt.date(1900, 3, 1)),
        (45292, dt.date(2024, 1, 1)),
        (45292.75, dt.date(2024, 1, 1)),
        (2958465, dt.date(9999, 12, 31)),
    ],
)
def test_excel_1900_serials_count_the_fake_leap_day(serial, day):
    assert excel_serial_to_date(serial) == day


@pytest.mark.parametrize("serial, day", [(0, dt.date(1904, 1, 1)), (1, dt.date(1904, 1, 2)), (43830, dt.date(2024, 1, 1))])
def test_excel_1904_serials_count_from_1904(serial, day):
    assert excel_serial_to_date(serial, date1904=True) == day


@pytest.mark.parametrize(
    "serial, date1904",
    [(0, False), (0.5, False), (-1, True), (60, False), (2958466, False), (10**9, True), (float("nan"), False)],
)
def test_excel_serial_rejects_out_of_range_and_the_nonexistent_29_02_1900(serial, date1904):
    with pytest.raises(ValueError):
        excel_serial_to_date(serial, date1904)


@pytest.mark.parametrize(
    "day, line",
    [
        (dt.date(2025, 1, 5), "ngày 05 tháng 01 năm 2025"),
        (dt.date(2025, 6, 29), "ngày 29 tháng 6 năm 2025"),
        (dt.date(2024, 10, 9), "ngày 09 tháng 10 năm 2024"),
        (dt.date(2024, 2, 15), "ngày 15 tháng 02 năm 2024"),
        (dt.date(2024, 3, 1), "ngày 01 tháng 3 năm 2024"),
        (dt.date(2024, 12, 31), "ngày 31 tháng 12 năm 2024"),
    ],
)
def test_nd30_date_pads_days_below_10_and_months_below_3_only(day, line):
    assert nd30_date(day) == line


def test_short_date_is_dd_mm_yyyy():
    assert short_date(dt.date(2025, 1, 5)) == "05/01/2025"
    assert short_date(dt.date(2024, 10, 29)) == "29/10/2024"


# --- slugs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Quyết định tặng Bằng khen", "Quyet-dinh-tang-Bang-khen"),
        ("Đoàn Thanh niên – Đại học", "Doan-Thanh-nien-Dai-hoc"),
        ("Số: 186/KH-UBND", "So-186-KH-UBND"),
        ("  ...Tờ trình (bổ sung)!  ", "To-trinh-bo-sung"),
        (nfd("Hòa Bình"), "Hoa-Binh"),
        ("///", ""),
    ],
)
def test_slug_is_ascii_without_diacritics_and_dash_separated(title, expected):
    assert slug(title) == expected


def test_slug_is_at_most_80_characters_and_never_ends_with_a_dash():
    result = slug("Danh sách cá nhân đề nghị khen thưởng " * 10)
    assert len(result) <= 80 and result.isascii() and not result.endswith("-")


# --- legacy encodings ----------------------------------------------------------------------------


def legacy(sentence: str, table: dict[str, str]) -> str:
    """Type a sentence in a legacy font and read the bytes back as Windows-1252."""
    # A toned capital has no TCVN3 code of its own: the all-caps .VnTimeH font reuses the lowercase one.
    codes = "".join(table.get(c) or table.get(c.lower(), c) for c in nfc(sentence))
    return codes.encode("cp1252").decode("cp1252")


def test_encode_tables_agree_with_the_published_examples():
    assert legacy("Nguyễn Văn Hoà", charts._TCVN3_ENCODE) == "NguyÔn V¨n Hoµ"
    assert legacy("Thái Nguyên", charts._TCVN3_ENCODE) == "Th¸i Nguyªn"
    assert legacy("Đơn vị", charts._TCVN3_ENCODE) == "§¬n vÞ"
    assert legacy("Nguyễn", charts._VNI_ENCODE) == "Nguyeãn"
    assert legacy("Thái Nguyên", charts._VNI_ENCODE) == "Thaùi Nguyeân"
    assert legacy("Việt Nam", charts._VNI_ENCODE) == "Vieät Nam"
    assert legacy("Đơn vị", charts._VNI_ENCODE) == "Ñôn vò"


SENTENCES = [
    "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "Độc lập - Tự do - Hạnh phúc",
    "Ủy ban nhân dân tỉnh Thái Nguyên",
    "Quyết định về việc tặng Bằng khen cho các tập thể và cá nhân",
    "Kế hoạch tổ chức phong trào thi đua theo chuyên đề năm 2024",
    "Sở Nội vụ đề nghị Chủ tịch xem xét, khen thưởng",
    "Nguyễn Thị Thuý Hằng, Trường tiểu học Hoàng Văn Thụ",
    "Đơn vị đã hoàn thành xuất sắc nhiệm vụ được giao",
    "Nơi nhận:",
    "Thông tư 15/2025/TT-BNV",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_tcvn3_mojibake_is_detected(sentence):
    assert detect_legacy_encoding(legacy(sentence, charts._TCVN3_ENCODE)) == "TCVN3"


@pytest.mark.parametrize("sentence", SENTENCES)
def test_vni_mojibake_is_detected(sentence):
    assert detect_legacy_encoding(legacy(sentence, charts._VNI_ENCODE)) == "VNI"


@pytest.mark.parametrize(
    "seen, encoding",
    [
        ("NguyÔn V¨n Hoµ", "TCVN3"),
        ("Th¸i Nguyªn", "TCVN3"),
        ("§¬n vÞ", "TCVN3"),
        ("Nguyeãn", "VNI"),
        ("Thaùi Nguyeân", "VNI"),
        ("Vieät Nam", "VNI"),
        ("Ñôn vò", "VNI"),
        ("anh, ¸o, ba, c¶, c¸, c¾t", "TCVN3"),
        ("KÝnh göi:", "TCVN3"),
        ("(®Ó b/c)", "TCVN3"),
    ],
)
def test_published_mojibake_examples_are_detected(seen, encoding):
    assert detect_legacy_encoding(seen) == encoding


@pytest.mark.parametrize(
    "plain",
    [
        "Café crème",
        "Müller",
        "Schöne Grüße aus München",
        "Le garçon a mangé à côté de l'église",
        "Où est la gare ?",
        "El niño come piña en São Paulo",
        "Quyet dinh so 186/QD-UBND",
        "",
        "Cát",
        "© 2024 Công ty",
        *SENTENCES,
        *(nfd(s) for s in SENTENCES[:3]),
        "Thái Nguyên, ngày 09 tháng 10 năm 2024",
        "sø. ma. ti. on. to. fr. lø.",
        "So Mé Dë Më Do Fr Sa",
        "Mesure: 5 µm",
        "CAFÉ CRÈME",
    ],
)
def test_proper_unicode_ascii_and_european_text_is_not_legacy(plain):
    assert detect_legacy_encoding(plain) is None


def test_sizes_read_in_megabytes_the_vietnamese_way():
    from docflow.text import megabytes

    assert [megabytes(n) for n in (0, 1, 45_678_901, 1_234_567_890)] == [
        "0 MB", "0,1 MB", "45,7 MB", "1.234,6 MB"]
