"""The exception tree: every error means "could not do the work" and says what to do next.

    DocflowError
    ├── ConfigError        config.toml is missing or invalid (carries every problem at once)
    ├── TemplateError      a Word template is missing, broken, or failed to render
    ├── IntakeError        a received file cannot be read at all (not a rule violation)
    ├── ConversionError    LibreOffice could not convert a document
    │   ├── OfficeCrashed  LibreOffice or its bridge died
    │   └── OfficeHung     LibreOffice gave no answer in time
    ├── DossierError       a PDF cannot be merged into a dossier (docflow.convert.dossier)
    ├── LedgerError        the SQLite ledger is unavailable or inconsistent
    └── WorkerError        a worker could not finish a file: over its time limit, died, a fault

    RuleError (a ValueError) an administrator's criterion expression that cannot be used; it
                             becomes a config problem, never reaches the user as an exception.

Rule violations in a unit's submission are never exceptions: they are `models.Problem` values.
"""

from __future__ import annotations

from pathlib import Path


class DocflowError(Exception):
    """Root of every error docflow raises on purpose."""


class ConfigError(DocflowError):
    """config.toml cannot be used; `problems` lists every fault with its key path and a hint."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(
            f"Tệp cấu hình {path} có {len(self.problems)} lỗi, hãy sửa rồi chạy lại "
            f"`docflow check`:\n{lines}"
        )


class TemplateError(DocflowError):
    """A Word template cannot be used; the message names the template and the fix."""


class IntakeError(DocflowError):
    """A received file cannot be opened as a form; `message_vi` is what the sender is told."""

    def __init__(self, message_vi: str, code: str = "intake.unreadable") -> None:
        self.message_vi = message_vi
        self.code = code
        super().__init__(message_vi)


class ConversionError(DocflowError):
    """LibreOffice failed to convert a document to PDF."""


class OfficeCrashed(ConversionError):
    """LibreOffice or its bridge died, or the bridge reports the office gone."""


class OfficeHung(ConversionError):
    """LibreOffice gave no answer within the time allowed."""


class DossierError(DocflowError):
    """A PDF meant for a dossier cannot be used; `path` names it, the message says what to do."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(message)


class RuleError(ValueError):
    """An expression that does not parse, or uses something not allowed."""


class LedgerError(DocflowError):
    """The ledger database cannot be used."""


class WorkerError(DocflowError):
    """A worker could not finish a file: over its time limit, died, or hit an unexpected fault."""

    ADVICE = {
        "timeout": "Kiểm tra tệp (quá lớn hoặc hỏng?); nếu tệp hợp lệ, tăng "
                   "watch.file_timeout_seconds trong config.toml",
        "crash": "Có thể máy thiếu bộ nhớ; nếu lặp lại với cùng tệp, gửi tệp cho bộ phận kỹ thuật",
        "error": "Gửi tệp này cùng nhật ký state/logs/docflow.jsonl cho bộ phận kỹ thuật",
    }

    def __init__(self, kind: str, detail: str) -> None:
        self.kind = kind
        super().__init__(f"{detail}. {self.ADVICE.get(kind, self.ADVICE['error'])}; rồi khởi "
                         "động lại docflow để xử lý lại.")


def describe_os(exc: BaseException) -> str:
    """An OSError's real cause in Vietnamese: disk full, read-only, no permission."""
    cause = {28: "ổ đĩa đã đầy (ENOSPC)", 30: "ổ đĩa chỉ cho đọc (EROFS)",
             13: "không có quyền ghi (EACCES)", 1: "không được phép (EPERM)",
             122: "vượt hạn mức dung lượng (EDQUOT)"}
    return cause.get(getattr(exc, "errno", None), str(exc))
