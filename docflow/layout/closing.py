"""Nghị định 30 rules for the end of a document: the signature block and Nơi nhận."""

from __future__ import annotations

import re

from docflow.layout.elements import Anatomy, is_luu
from docflow.layout.rules import LayoutProblem, Look, excerpt, look_problems, missing
from docflow.text import clean

SIGNATURE = Look(size=(13, 14), bold=True, upper=True)
SIGNER = Look(size=(13, 14), bold=True)
LABEL = Look(size=(12, 12), bold=True, italic=True)
ENTRY = Look(size=(11, 11), italic=False)
# Honorifics and degrees never precede the signer's name.
_HONORIFIC = re.compile(r"^(Ông|Bà|Đồng chí|TS|ThS|PGS|GS|KS|BS|CN|Th\.S)\b\.?", re.I)
_ENTRY_START = ("- ", "+ ")


def closing_problems(doc: Anatomy) -> list[LayoutProblem]:
    """Problems of the signature block and of Nơi nhận."""
    return _signature(doc) + _recipients(doc)


def _signature(doc: Anatomy) -> list[LayoutProblem]:
    element = "Chữ ký"
    if not doc.signature:
        return [missing(element, "khối chữ ký (thẩm quyền, chức vụ và họ tên người ký)")]
    problems = []
    for para in doc.signature:
        problems += look_problems(element, para, SIGNATURE, "Chức vụ người ký")
    lines = [clean(p.text) for p in doc.signature]
    if doc.award_decision and any(line.upper().startswith("TM.") for line in lines):
        problems.append(LayoutProblem(element, "Quyết định khen thưởng ký “TM.” (thay mặt tập "
                                               "thể); yêu cầu Chủ tịch ký theo thẩm quyền riêng: "
                                               "“CHỦ TỊCH” hoặc “KT. CHỦ TỊCH” / “PHÓ CHỦ TỊCH”."))
    if lines[-1].upper().startswith("KT."):
        problems.append(LayoutProblem(element, f"Sau dòng “{lines[-1]}” thiếu chức vụ của người "
                                               "ký thay; yêu cầu ví dụ “KT. CHỦ TỊCH” rồi "
                                               "“PHÓ CHỦ TỊCH”."))
    if doc.signer is not None:
        problems += look_problems(element, doc.signer, SIGNER, "Họ tên người ký")
        if _HONORIFIC.match(clean(doc.signer.text)):
            problems.append(LayoutProblem(element, f"Họ tên người ký “{excerpt(doc.signer.text)}"
                                                   "” có danh xưng hoặc học hàm, học vị; yêu cầu "
                                                   "chỉ ghi họ và tên."))
    return problems


def _recipients(doc: Anatomy) -> list[LayoutProblem]:
    element = "Nơi nhận"
    label = doc.recipients_label
    if label is None:
        return [missing(element, "phần “Nơi nhận:”")]
    problems = look_problems(element, label, LABEL, "Chữ “Nơi nhận:”")
    if clean(label.text) != "Nơi nhận:":
        problems.append(LayoutProblem(element, f"Nhãn “{excerpt(label.text)}” viết sai; yêu cầu "
                                               "“Nơi nhận:”."))
    entries = [(p, clean(p.text)) for p in doc.recipients]
    if not entries:
        return problems + [LayoutProblem(element, "Dưới “Nơi nhận:” chưa có nơi nhận nào; yêu "
                                                  "cầu mỗi nơi một dòng “- …;”, dòng cuối "
                                                  "“- Lưu: VT, <đơn vị soạn thảo>.”.")]
    for para, _ in entries:
        problems += look_problems(element, para, ENTRY, "Dòng nơi nhận")
    last = entries[-1][1]
    has_luu = is_luu(last)
    for index, (_, text) in enumerate(entries):
        is_last = index == len(entries) - 1
        if not text.startswith(_ENTRY_START):
            problems.append(LayoutProblem(element, f"Dòng “{excerpt(text)}” chưa bắt đầu bằng "
                                                   "“- ”; yêu cầu mỗi nơi nhận một dòng bắt đầu "
                                                   "bằng gạch ngang và dấu cách."))
        if is_last and has_luu:
            if not text.endswith("."):
                problems.append(LayoutProblem(element, f"Dòng cuối “{excerpt(text)}” chưa kết "
                                                       "thúc bằng dấu chấm; yêu cầu “- Lưu: VT, "
                                                       "<đơn vị soạn thảo>.”."))
        elif not text.endswith(";") and not _heads_sub_items(entries, index):
            problems.append(LayoutProblem(element, f"Dòng “{excerpt(text)}” chưa kết thúc bằng "
                                                   "dấu chấm phẩy; yêu cầu mỗi nơi nhận (trừ dòng "
                                                   "Lưu cuối cùng) kết thúc bằng “;”."))
    if not has_luu:
        problems.append(LayoutProblem(element, f"Dòng cuối “{excerpt(last)}” không phải dòng Lưu; "
                                               "yêu cầu kết thúc bằng “- Lưu: VT, <đơn vị soạn "
                                               "thảo>.”."))
    return problems + _first_entry(doc, entries[0][1])


def _heads_sub_items(entries: list[tuple[object, str]], index: int) -> bool:
    """`- Các sở, ngành:` may end with a colon when `+ …` lines follow it."""
    after = entries[index + 1][1] if index + 1 < len(entries) else ""
    return entries[index][1].endswith(":") and after.startswith("+")


def _first_entry(doc: Anatomy, first: str) -> list[LayoutProblem]:
    """A decision names its executors first; an upward Tờ trình or Báo cáo its addressee."""
    if doc.type_name == "QUYẾT ĐỊNH":
        want, whose = f"- Như Điều {doc.last_article or 3};", "quyết định"
    elif doc.type_name in ("TỜ TRÌNH", "BÁO CÁO") and doc.kinh_gui:
        want, whose = "- Như trên;", f"{doc.type_name.lower()} có “Kính gửi”"
    else:
        return []
    if re.match(re.escape(want.rstrip(";")) + r"(?!\d)", first):
        return []
    return [LayoutProblem("Nơi nhận", f"Dòng nơi nhận đầu tiên là “{excerpt(first)}”; nơi nhận "
                                      f"của {whose} phải bắt đầu bằng “{want}”.")]
