"""Answers for files docflow does not take: those in a subfolder of a unit's folder.

A folder such as inbox/SNV/cu/ may hold old versions, so its files are never processed; the unit
is told once per file where to put it instead, and `docflow status` counts them.
"""

from __future__ import annotations

from pathlib import Path

from docflow.store import nested, nfc_name
from docflow.text import slug
from docflow.workspace import Workspace


def answer_nested(ws: Workspace) -> list[tuple[str, str, Path]]:
    """Write one notice per file in a unit's subfolder not yet answered; (unit, file, notice)."""
    answered = []
    for path in nested(ws.inbox):
        rel = path.relative_to(ws.inbox)
        folder = nfc_name(rel.parts[0])
        known = ws.config.unit(folder)
        unit = known.code if known else folder
        inner = "/".join(nfc_name(p) for p in rel.parts[1:])
        target = ws.outbox / (unit if known else "_quan-tri") / \
            f"Tep-trong-thu-muc-con-{slug(inner)[:120]}.txt"
        if target.exists():
            continue
        body = (f"Tệp “{inner}” nằm trong một thư mục con của inbox/{folder}/ nên chưa được "
                "xử lý: docflow chỉ nhận tệp đặt trực tiếp trong thư mục của đơn vị (thư mục con "
                "thường chứa bản cũ, nhận vào có thể thay bản mới hơn).\n"
                f"Nếu đây là bản cần gửi, hãy chép tệp ra thư mục inbox/{folder}/. Tệp trong thư "
                "mục con vẫn được giữ nguyên, không bị xóa.\n")
        answered.append((unit, inner, ws.deliver(body.encode("utf-8"), target)))
    return answered
