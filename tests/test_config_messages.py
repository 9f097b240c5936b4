"""config.toml problems read by an administrator who knows Word, not Python: the line and the
block as a person counts them, TOML syntax errors in Vietnamese, and no programmer's words."""

from __future__ import annotations

from pathlib import Path

import pytest

from builders import DATA, config_line
from docflow.config import load
from docflow.errors import ConfigError

SAMPLE = (DATA / "config.toml").read_text("utf-8")


def problems_after(tmp_path: Path, edit) -> list[str]:
    """Load the pinned sample config after an edit; the problems the administrator reads."""
    path = tmp_path / "config.toml"
    path.write_text(edit(SAMPLE), "utf-8")
    with pytest.raises(ConfigError) as info:
        load(path)
    return info.value.problems


ISSUER_NAME = 'name = "Ủy ban nhân dân tỉnh Thái Nguyên"'
ZIP_LINE = config_line("max_zip_entries")
NAME_FIELD_LINE = config_line('{ key = "name", label = "Họ và tên / Tên tập thể"')


def nth(text: str, old: str, new: str, n: int) -> str:
    """Replace only the n-th (from 1) occurrence of `old`."""
    parts = text.split(old)
    return old.join(parts[:n]) + new + old.join(parts[n:])


def test_a_word_where_a_number_belongs_names_the_second_awards_block_and_its_line(tmp_path):
    problems = problems_after(tmp_path, lambda s: nth(s, "coefficient_collective = 3.0",
                                                      'coefficient_collective = "ba"', 1))
    assert problems == [f"khối [[awards]] thứ 2, dòng {config_line('coefficient_collective = 3.0')}, khóa "
                        "coefficient_collective: cần số; "
                        "đang là chữ 'ba'."]


def test_a_misspelt_key_in_a_form_field_names_the_block_the_item_and_the_line(tmp_path):
    problems = problems_after(tmp_path, lambda s: s.replace(
        '{ key = "name", label = "Họ và tên / Tên tập thể", type = "text"',
        '{ key = "name", label = "Họ và tên / Tên tập thể", typ = "text"'))
    assert problems[0].startswith(f"khối [[forms.DN.sheets]] thứ 2, dòng {NAME_FIELD_LINE}, mục thứ 3 trong "
                                  "fields, khóa typ: khóa không được hỗ trợ. Có phải ý bạn là "
                                  "`type`?")


def test_a_missing_closing_quote_is_said_in_vietnamese_with_the_line_and_its_text(tmp_path):
    problems = problems_after(tmp_path, lambda s: s.replace(
        'name = "Ủy ban nhân dân tỉnh Thái Nguyên"', 'name = "Ủy ban nhân dân tỉnh Thái Nguyên'))
    assert problems == [f'dòng {config_line(ISSUER_NAME)}: thiếu dấu " đóng: chữ mở bằng dấu " phải được đóng bằng dấu " '
                        'trên cùng dòng. Dòng đó đang là: name = "Ủy ban nhân dân tỉnh Thái '
                        'Nguyên']


@pytest.mark.parametrize("edit, expected", [
    (lambda s: s.replace("[intake]", "[intake"), f"dòng {config_line('[intake]')}: thiếu dấu ] ở cuối tiêu đề bảng"),
    (lambda s: s.replace("max_zip_entries = 200", "max_zip_entries = 2.000.000"),
     f"dòng {ZIP_LINE}: sau giá trị còn ký tự thừa: số viết liền, không có dấu chấm"),
    (lambda s: s.replace("max_zip_entries = 200", "max_zip_entries = hai trăm"),
     f"dòng {ZIP_LINE}: giá trị viết sai"),
    (lambda s: s.replace("[intake]", "[intake]\nmax_zip_entries = 5"),
     f"dòng {ZIP_LINE + 1}: khóa hoặc bảng này đã được khai báo ở phía trên"),
    (lambda s: s.replace("[intake]", "[intake]\nmax zip = 5"), f"dòng {config_line('[intake]') + 1}: sau tên khóa cần dấu ="),
    (lambda s: s.replace("period_start = 2024-01-01", "period_start = 2024-13-01"),
     f"dòng {config_line('period_start')}: sau giá trị còn ký tự thừa"),
])
def test_toml_syntax_errors_are_explained_in_vietnamese_with_the_line(tmp_path, edit, expected):
    (problem,) = problems_after(tmp_path, edit)
    assert problem.startswith(expected), problem
    assert not any(word in problem for word in ("Illegal", "Invalid", "Expected", "line "))


def test_no_message_says_chuoi_or_counts_from_zero(tmp_path):
    problems = problems_after(tmp_path, lambda s: s.replace('name = "Sở Nội vụ"', "name = 5"))
    text = "\n".join(problems)
    assert "khối [[units]] thứ 1" in text and "units[0]" not in text
    assert "chuỗi" not in text


def test_a_folder_given_as_the_config_says_to_name_the_file(tmp_path):
    with pytest.raises(ConfigError) as info:
        load(tmp_path)
    assert info.value.problems == ["đây là một thư mục, không phải tệp cấu hình; hãy chỉ tới tệp, "
                                   f"ví dụ --config {tmp_path / 'config.toml'}."]


def test_a_config_saved_in_another_encoding_says_how_to_save_it_as_utf8(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(SAMPLE.encode("utf-16"))
    with pytest.raises(ConfigError, match="không được lưu bằng mã UTF-8; mở bằng Notepad"):
        load(path)
