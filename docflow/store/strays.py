"""Answers for files docflow does not take: those in a subfolder of a unit's folder.

A folder such as inbox/SNV/cu/ may hold old versions, so its files are never processed; the unit
is told once per file where to put it instead, and `docflow status` counts them.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path
from typing import Callable

from docflow.config import Config
from docflow.store.fsops import deliver, free_name, nfc_name, sha256
from docflow.store.inbox import nested
from docflow.store.ledger import Ledger
from docflow.text import slug


CHANGED = "[đã thay đổi sau khi nhận]"
log = logging.getLogger("docflow")


def requeue_changed(config: Config, ledger: Ledger, now: dt.datetime, minutes: float = 30.0,
                    writing: Callable[[list[Path]], set[Path]] = lambda paths: set()) \
        -> list[tuple[str, str, Path]]:
    """Files answered in the last `minutes` whose stored copy changed since it was hashed (the
    sender's copy went on writing after docflow took it): put back in the unit's folder as a
    new version, once, unless still being written. (unit, file, inbox path) of each."""
    since = (now - dt.timedelta(minutes=minutes)).isoformat(timespec="seconds")
    again = []
    rows = [r for r in ledger.finished_since(since, CHANGED)
            if r.status in ("accepted", "rejected", "superseded") and r.stored_path]
    held = writing([Path(r.stored_path) for r in rows])
    for row in rows:
        stored = Path(row.stored_path)
        try:
            if stored in held or stored.is_symlink() or sha256(stored) == row.sha256:
                continue
        except OSError:
            continue
        ledger.add_note(row.id, CHANGED)
        target = free_name(config.path("inbox") / (row.unit or "") / row.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(stored, target)  # the stored copy stays where it is: never deleted
        log.warning("Tệp %s của %s thay đổi sau khi đã được nhận (bản chép chưa xong lúc "
                    "nhận); nhận lại như một bản mới.", row.name, row.unit,
                    extra={"event": "changed_after_claim", "file": str(stored)})
        again.append((row.unit, row.name, target))
    return again


def answer_nested(config: Config) -> list[tuple[str, str, Path]]:
    """Write one notice per file in a unit's subfolder not yet answered; (unit, file, notice)."""
    answered = []
    inbox = config.path("inbox")
    for path in nested(inbox):
        rel = path.relative_to(inbox)
        folder = nfc_name(rel.parts[0])
        known = config.unit(folder)
        unit = known.code if known else folder
        inner = "/".join(nfc_name(p) for p in rel.parts[1:])
        target = config.path("outbox") / (unit if known else "_quan-tri") / \
            f"Tep-trong-thu-muc-con-{slug(inner)[:120]}.txt"
        if target.exists():
            continue
        body = (f"Tệp “{inner}” nằm trong một thư mục con của inbox/{folder}/ nên chưa được "
                "xử lý: docflow chỉ nhận tệp đặt trực tiếp trong thư mục của đơn vị (thư mục con "
                "thường chứa bản cũ, nhận vào có thể thay bản mới hơn).\n"
                f"Nếu đây là bản cần gửi, hãy chép tệp ra thư mục inbox/{folder}/. Tệp trong thư "
                "mục con vẫn được giữ nguyên, không bị xóa.\n")
        answered.append((unit, inner, deliver(body.encode("utf-8"), target,
                                              config.path("state") / "staging")))
    return answered
