"""Text that does not say what it shows: bidi controls, control characters, mixed scripts in a
name, a name with no letter at all. Invisible characters are not refused; `fold` drops them, so
a zero-width space cannot make one person two."""

from __future__ import annotations

from docflow.charset import bidi_controls, control_chars, has_letter_or_digit, scripts

# Fields that name a person or a body: the duplicate-person check and the decision print them.
NAME_KEYS = {"name", "signer", "contact"}
# CJK, Hangul and the like are whole names, not look-alikes hidden in a Latin one.
_LOOK_ALIKE = {"CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC"}


def text_problems(key: str, label: str, value: str) -> tuple[str, str, str] | None:
    """(code, message, expected) for the first fault of a text value, or None."""
    bidi = bidi_controls(value)
    if bidi:
        return ("value.bidi_control",
                f"“{label}” có ký tự điều khiển chiều viết ẩn ({', '.join(bidi)}), làm chữ in ra "
                "bị đảo ngược.", "gõ lại ô này bằng bàn phím tiếng Việt, không dán từ nơi khác")
    controls = control_chars(value)
    if controls:
        return ("value.control_char",
                f"“{label}” có ký tự điều khiển ẩn ({', '.join(controls)}).",
                "gõ lại ô này, không dán từ nơi khác")
    if key not in NAME_KEYS:
        return None
    found = scripts(value)
    if "LATIN" in found and found & _LOOK_ALIKE:
        others = ", ".join(sorted(found & _LOOK_ALIKE)).replace("CYRILLIC", "Kirin")\
            .replace("GREEK", "Hy Lạp")
        return ("value.mixed_script",
                f"“{label}” trộn chữ Latinh với chữ {others} trông giống hệt (ví dụ “а” Kirin và "
                "“a” Latinh).", "gõ lại tên bằng bàn phím tiếng Việt (Unikey, bảng mã Unicode)")
    if not has_letter_or_digit(value):
        return ("value.no_letters",
                f"“{label}” không có chữ cái nào (chỉ có dấu, ký hiệu hoặc biểu tượng cảm xúc).",
                "họ và tên viết bằng chữ")
    return None
