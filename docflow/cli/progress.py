"""What `docflow run` shows while it works: a bar with counts on a terminal, plain lines in a log.

A large inbox (hundreds of files, PDFs through LibreOffice) takes minutes; the administrator
should see it move. On a terminal one line is redrawn in place; when the output goes to a file
or Task Scheduler's log, plain lines are written instead, one every tenth of the batch.
"""

from __future__ import annotations

from typing import TextIO

WORDS = {"accepted": "tiếp nhận", "rejected": "trả lại", "duplicate": "trùng",
         "failed": "lỗi xử lý", "waiting": "chờ tệp kèm", "attachment": "tệp kèm"}
WIDTH = 24


class ProgressView:
    """Receives (done, total, status) after each file and draws the bar or prints lines."""

    def __init__(self, stream: TextIO, tty: bool) -> None:
        self.stream, self.tty = stream, tty
        self.counts: dict[str, int] = {}
        self._drawn = False
        self._next_line = 0

    def file_done(self, done: int, total: int, status: str | None, line: str | None) -> None:
        """One file ended (`status`), or, with status None, all files did and drafts follow."""
        if status is not None:
            self.counts[status] = self.counts.get(status, 0) + 1
        if self.tty:
            self._clear()
            if line:
                self.stream.write(line + "\n")
            if status is None:
                self.stream.write("Đang lập lại các văn bản tổng hợp…\n")
            else:
                self.stream.write(self.bar(done, total))
                self._drawn = True
        else:
            if line:
                self.stream.write(line + "\n")
            if status is not None and total >= 20 and (done >= self._next_line or done == total):
                self.stream.write(f"Tiến độ: {self.summary(done, total)}\n")
                self._next_line = done + max(1, total // 10)
            if status is None and total:
                self.stream.write("Đang lập lại các văn bản tổng hợp…\n")
        self.stream.flush()

    def bar(self, done: int, total: int) -> str:
        """`[██████░░░░] 12/40 tệp (30%) · 10 tiếp nhận, 2 trả lại`."""
        filled = WIDTH * done // total if total else WIDTH
        return f"[{'█' * filled}{'░' * (WIDTH - filled)}] {self.summary(done, total)}"

    def summary(self, done: int, total: int) -> str:
        """`12/40 tệp (30%): 10 tiếp nhận, 2 trả lại`."""
        percent = 100 * done // total if total else 100
        counts = ", ".join(f"{n} {WORDS.get(s, s)}" for s, n in self.counts.items())
        return f"{done}/{total} tệp ({percent}%)" + (f": {counts}" if counts else "")

    def close(self) -> None:
        """Leave the terminal on a fresh line."""
        self._clear()
        self.stream.flush()

    def _clear(self) -> None:
        if self._drawn:
            self.stream.write("\r\033[K")
            self._drawn = False
