"""What the administrator reads when the ledger cannot be used: the real cause and what to do."""

from __future__ import annotations

from pathlib import Path

MARKER = ".ledger-created"  # beside the ledger: once it exists, a missing ledger is a loss


def missing(path: Path) -> str:
    """The ledger file vanished or was replaced under a running docflow: what to do."""
    return (f"Sổ theo dõi {path} đã bị xóa hoặc bị thay bằng tệp khác trong khi docflow đang "
            "dùng. docflow dừng nhận tệp để không lập văn bản tổng hợp thiếu các đơn vị đã "
            "tiếp nhận. Hãy khôi phục tệp ledger.sqlite3 từ bản sao lưu rồi chạy lại docflow; "
            f"nếu thật sự muốn bắt đầu sổ mới, xóa cả tệp {path.parent / MARKER}.")


_KEEP = (" Các tệp đã nhận vẫn được giữ trong state/work/ và sẽ được xử lý tiếp khi chạy lại "
         "docflow.")


def cause(exc: BaseException) -> str:
    """The real cause, named: disk full, read-only, no permission, locked, damaged."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    if name == "SQLITE_FULL" or "disk is full" in text or getattr(exc, "errno", 0) == 28:
        return "ổ đĩa chứa thư mục state/ đã đầy (ENOSPC). Hãy giải phóng dung lượng." + _KEEP
    if name.startswith("SQLITE_READONLY") or "readonly" in text or getattr(exc, "errno", 0) == 30:
        return ("tệp sổ theo dõi hoặc ổ đĩa chỉ cho đọc (EROFS/chỉ đọc). Hãy cấp quyền ghi tệp "
                "state/ledger.sqlite3 và thư mục state/ cho tài khoản chạy docflow." + _KEEP)
    if name in ("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH") or \
            getattr(exc, "errno", 0) in (1, 13):
        return ("không mở được tệp (không có quyền, EACCES). Hãy cấp quyền đọc và ghi thư mục "
                "state/ cho tài khoản chạy docflow." + _KEEP)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return ("một chương trình khác đang khóa tệp state/ledger.sqlite3 (SQLITE_BUSY). Hãy "
                "đóng chương trình đó (ví dụ DB Browser) rồi chạy lại docflow." + _KEEP)
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return ("tệp state/ledger.sqlite3 bị hỏng. Hãy khôi phục từ bản sao lưu." + _KEEP)
    return f"{exc}." + _KEEP
