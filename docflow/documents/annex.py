"""Appendix lines as the certificate writes them: `Phó Giám đốc Sở Nội vụ`, `Chuyên viên Phòng
Văn hóa và Thông tin, Ủy ban nhân dân huyện Đại Từ (cũ)`, `Bí thư Đoàn xã Hùng Sơn`.

Pure text: a title runs into its own unit without a comma; a section is followed by the unit it
belongs to; a place word (xã, huyện, tỉnh …) is lower case inside a line; a position held in a
unit that has ended reads `nguyên …` and the unit `… (cũ)`. People's names never pass here.
"""

from __future__ import annotations

import re

from docflow.config import FORMER
from docflow.text import clean, fold

# A workplace starting with one of these is a part of a unit, not the unit itself.
SECTIONS = ("phòng", "ban", "văn phòng", "trung tâm", "chi cục", "khoa", "tổ", "đội", "bộ phận",
            "thanh tra")
_PLACE = re.compile(r"(?<=\S )(Xã|Phường|Thị trấn|Thị xã|Huyện|Quận|Thành phố|Tỉnh|Thôn|Xóm|"
                    r"Tổ dân phố)(?= (\w))")


def lower_places(line: str) -> str:
    """`Đoàn Xã Hùng Sơn` → `Đoàn xã Hùng Sơn`: a place word before a proper name, not first."""
    def repl(m: re.Match) -> str:
        return m.group(1).lower() if m.group(2)[0].isupper() else m.group(1)
    return _PLACE.sub(repl, line)


def is_section(workplace: str) -> bool:
    """True when the workplace names a part of a unit (a phòng, ban, trung tâm …)."""
    key = fold(workplace)
    return any(key == s or key.startswith(s + " ") for s in SECTIONS)


def post_line(position: str, workplace: str, unit_name: str, ended: bool = False) -> str:
    """`<chức vụ> <đơn vị công tác>` as on the certificate; `unit_name` is the sending unit's
    name, added after a section that does not name it; `ended` marks a unit that no longer
    exists on the document's date."""
    position, workplace = clean(position), clean(workplace)
    if workplace and unit_name and is_section(workplace) \
            and fold(unit_name) not in fold(workplace):
        workplace = f"{workplace}, {unit_name}"
    held_there = ended and _names(workplace or position, unit_name)
    if position and workplace and fold(position).endswith(fold(workplace)):
        workplace = ""  # the position already names its unit: `Giám đốc Sở Nội vụ`
    line = " ".join(p for p in (position, workplace) if p)
    if held_there:  # a school or a commune that outlived the district keeps its name
        line = f"nguyên {_former(line, unit_name)}" if position else _former(line, unit_name)
    return lower_places(line)


def collective_line(name: str, workplace: str, unit_name: str, ended: bool = False) -> str:
    """The line under a collective's name: the unit it belongs to (its workplace without the
    name repeated), `(cũ)` after an ended unit; empty when it adds nothing to the name."""
    workplace, name = clean(workplace), clean(name)
    if workplace and unit_name and is_section(workplace) \
            and fold(unit_name) not in fold(workplace):
        workplace = f"{workplace}, {unit_name}"
    if name and fold(workplace[:len(name)]) == fold(name):
        workplace = workplace[len(name):].lstrip(" ,-")
    if ended and _names(workplace, unit_name):
        workplace = _former(workplace, unit_name)
    return lower_places(workplace)


def _names(text: str, unit_name: str) -> bool:
    return bool(text and unit_name) and fold(unit_name) in fold(text)


def _former(workplace: str, unit_name: str) -> str:
    """`… Ủy ban nhân dân huyện Đại Từ` → `… Ủy ban nhân dân huyện Đại Từ (cũ)`."""
    if workplace.endswith(FORMER):
        return workplace
    if unit_name and fold(unit_name) in fold(workplace) \
            and not fold(workplace).endswith(fold(unit_name)):
        at = fold(workplace).index(fold(unit_name)) + len(unit_name)
        if len(fold(workplace)) == len(workplace):  # same offsets in the original text
            return f"{workplace[:at]} {FORMER}{workplace[at:]}"
    return f"{workplace} {FORMER}"
