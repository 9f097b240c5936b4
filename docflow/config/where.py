"""Say where a config problem is as a person reading config.toml counts: line and block.

The checks report problems by key path (`awards[1].coefficient_collective: …`), counted from 0
as Python does. An office administrator edits the file in Notepad: they look for a line number
and "the second [[awards]] block". This module finds both in the file's text and says the
TOML syntax errors of tomllib in Vietnamese.
"""

from __future__ import annotations

import re
import tomllib

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]#]+?)\s*\]\]?\s*(#.*)?$")
_ASSIGN = re.compile(r'^\s*("[^"]*"|\'[^\']*\'|[A-Za-z0-9_\-.]+)\s*=')
_INDEX = re.compile(r"\[(\d+)\]")
_STRINGS = re.compile(r'"(?:\\.|[^"\\])*"|\'[^\']*\'')
_INLINE_KEY = re.compile(r"[{,]\s*([A-Za-z0-9_\-]+)\s*=")
_LAST = re.compile(r"(\.[^.\[]+|\[\d+\])$")
_AT = re.compile(r"^(?P<msg>.*) \(at (?:line (?P<line>\d+), column (?P<col>\d+)|end of document)\)$",
                 re.S)


class Lines(dict):
    """Key path -> 1-based line, and which paths are [[…]] blocks (not items of a list value)."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: set[str] = set()
        self.tables: set[str] = set()


def key_lines(text: str) -> Lines:
    """Map each key path (`awards[1].name`, `forms.DN.sheets[0].fields[2]`) to its line."""
    lines = Lines()
    counts: dict[str, int] = {}  # concrete path of an array of tables -> blocks seen so far
    prefix, in_multiline = "", None
    array, items, depth = "", 0, 0  # a list value written over several lines
    for number, line in enumerate(text.splitlines(), start=1):
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        bare = _STRINGS.sub('""', line).split("#")[0]
        if depth > 0:
            stripped = line.strip()
            if depth == 1 and (stripped[:1] in ('{', '"', "'") or stripped[:1].isdigit()):
                item = f"{array}[{items}]"
                lines.setdefault(item, number)
                for key in _INLINE_KEY.findall(bare):
                    lines.setdefault(f"{item}.{key}", number)
                items += 1
            depth += bare.count("[") - bare.count("]")
            continue
        header = _HEADER.match(line)
        if header:
            parts = [p.strip().strip('"\'') for p in header.group(2).split(".")]
            prefix = _concrete(parts, counts)
            if header.group(1) == "[[":
                counts[prefix] = counts.get(prefix, 0) + 1
                prefix = f"{prefix}[{counts[prefix] - 1}]"
                lines.blocks.add(prefix)
            else:
                lines.tables.add(prefix)
            lines.setdefault(prefix, number)
            continue
        assign = _ASSIGN.match(line)
        if assign:
            key = assign.group(1).strip('"\'')
            path = f"{prefix}.{key}" if prefix else key
            lines.setdefault(path, number)
            for quote in ('"""', "'''"):
                if line.count(quote) % 2 == 1:
                    in_multiline = quote
            opened = bare.count("[") - bare.count("]")
            if opened > 0:
                array, items, depth = path, 0, opened
    return lines


def _concrete(parts: list[str], counts: dict[str, int]) -> str:
    """`forms.DN.sheets.fields` -> `forms.DN.sheets[1].fields`: arrays get their current index."""
    path = ""
    for i, part in enumerate(parts):
        path = f"{path}.{part}" if path else part
        if path in counts and i < len(parts) - 1:
            path = f"{path}[{counts[path] - 1}]"
    return path


def place(path: str, lines: Lines) -> str:
    """`awards[1].coefficient_collective` -> `khối [[awards]] thứ 2, dòng 231, khóa …`."""
    probe = path
    while probe and probe not in lines:  # a missing key: the line of its block or table
        shorter = _LAST.sub("", probe)
        if shorter == probe:
            break
        probe = shorter
    line = lines.get(probe)
    blocks, block_end = [], 0
    for m in _INDEX.finditer(path):  # [[…]] blocks as a person counts them, from 1
        if path[:m.end()] in lines.blocks:
            blocks.append(f"khối [[{_INDEX.sub('', path[:m.start()])}]] thứ {int(m.group(1)) + 1}")
            block_end = m.end()
    words = [" của ".join(reversed(blocks))] if blocks else []
    rest = path[block_end:].lstrip(".")
    if not blocks and any(b.startswith(f"{path}[") for b in lines.blocks):
        return f"các khối [[{path}]], từ dòng {lines[path + '[0]']}"
    if not blocks:  # the longest [table] header the path starts with
        table = next((t for t in sorted(lines.tables, key=len, reverse=True)
                      if rest == t or rest.startswith(t + ".")), "")
        if table:
            words = [f"bảng [{table}]"]
            rest = rest[len(table):].lstrip(".")
    if line:
        words.append(f"dòng {line}")
    for part in filter(None, rest.split(".")):  # a [n] here is the n+1-th item of a list value
        item = _INDEX.search(part)
        name = _INDEX.sub("", part)
        words.append(f"mục thứ {int(item.group(1)) + 1} trong {name}" if item else f"khóa {name}")
    return ", ".join(words) or "(đầu tệp)"


def humanize(problems: list[str], text: str) -> list[str]:
    """Rewrite each `key.path: message` so it starts with the line and block a person counts."""
    lines = key_lines(text)
    out = []
    for problem in problems:
        path, sep, message = problem.partition(": ")
        if not sep or " " in path:
            out.append(problem)
            continue
        out.append(f"{place(path, lines)}: {message}")
    return out


_SYNTAX = [
    (r"Illegal character '\\n'", 'thiếu dấu " đóng: chữ mở bằng dấu " phải được đóng bằng '
                                 'dấu " trên cùng dòng'),
    (r"Illegal character", "có ký tự không được phép trong chữ (ký tự điều khiển); hãy gõ lại "
                           "dòng này"),
    (r"Unterminated string", 'thiếu dấu đóng cho đoạn chữ nhiều dòng (""" hoặc \'\'\')'),
    (r"Invalid value", "giá trị viết sai: chữ phải đặt trong dấu ngoặc kép \"…\", số viết liền "
                       "không có dấu chấm ngăn cách hàng nghìn, ngày viết dạng 2024-01-31, "
                       "true/false viết thường"),
    (r"Invalid statement", "dòng này không phải `khóa = giá trị` cũng không phải tiêu đề "
                           "[bảng] hay [[khối]]; kiểm tra dấu ngoặc và dấu ="),
    (r"Expected '=' after a key", "sau tên khóa cần dấu =; tên khóa có dấu cách hoặc chữ có dấu "
                                  "phải đặt trong ngoặc kép"),
    (r"Expected '\]\]' at the end", "thiếu ]] ở cuối tiêu đề khối [[…]]"),
    (r"Expected '\]' at the end", "thiếu dấu ] ở cuối tiêu đề bảng […]"),
    (r"Cannot declare .* twice|Cannot overwrite a value|Cannot redefine|Cannot mutate|"
     r"Duplicate inline table key", "khóa hoặc bảng này đã được khai báo ở phía trên; mỗi khóa "
                                    "chỉ viết một lần, hãy xóa một trong hai chỗ"),
    (r"Unclosed array", "danh sách […] thiếu dấu ] đóng, hoặc thiếu dấu phẩy giữa hai mục"),
    (r"Unclosed inline table", "bảng {…} thiếu dấu } đóng, hoặc thiếu dấu phẩy giữa hai khóa"),
    (r"Invalid date or datetime", "ngày không hợp lệ; viết dạng năm-tháng-ngày, ví dụ 2024-01-31"),
    (r"Unescaped '\\\\' in a string", "dấu \\ trong chữ phải viết thành \\\\, hoặc đặt chữ trong "
                                      "ngoặc đơn '…'"),
    (r"Invalid initial character for a key part", "tên khóa bắt đầu bằng ký tự không hợp lệ; "
                                                  "tên khóa chỉ gồm chữ không dấu, số, _ và -"),
    (r"Expected newline or end of document after a statement",
     "sau giá trị còn ký tự thừa: số viết liền, không có dấu chấm hay dấu cách (2000000); ngày "
     "phải có thật, dạng 2024-01-31; chữ đặt trọn trong một cặp ngoặc kép; ghi chú bắt đầu "
     "bằng #"),
    (r"Found invalid character|Expected", "có ký tự không đúng chỗ; so với các dòng mẫu ở trên"),
]


def syntax_message(exc: tomllib.TOMLDecodeError, text: str) -> str:
    """tomllib's English error as a Vietnamese sentence with the line and the line's text."""
    raw = str(exc)
    found = _AT.match(raw)
    message = found.group("msg") if found else raw
    meaning = next((vi for pattern, vi in _SYNTAX if re.search(pattern, message)),
                   f"sai cú pháp ({message})")
    if not found or not found.group("line"):
        return f"cuối tệp: {meaning}."
    number = int(found.group("line"))
    source = text.splitlines()[number - 1].strip() if number <= len(text.splitlines()) else ""
    shown = f" Dòng đó đang là: {source[:80]}" if source else ""
    return f"dòng {number}: {meaning}.{shown}"
