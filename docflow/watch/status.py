"""`docflow status`: what the service is doing and what became of the files, as text.

The running service writes a small snapshot into the state folder every few seconds; this module
reads it with the ledger and the JSON log, so status works from any other process.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from docflow.models import Status
from docflow.config import Config
from docflow.store import deliver
from docflow.store import waiting
from docflow.store import Ledger
from docflow.logs import recent

SNAPSHOT = "watch.json"
STALE_SECONDS = 30.0
COLUMNS = ((Status.ACCEPTED, "Tiếp nhận"), (Status.REJECTED, "Trả lại"), (Status.DUPLICATE, "Trùng"),
           (Status.FAILED, "Lỗi xử lý"), (Status.WAITING, "Chờ tệp kèm"), (Status.ATTACHMENT, "Tệp kèm"),
           (Status.PROCESSING, "Đang xử lý"))


def write_snapshot(state: Path, data: dict[str, Any], now: dt.datetime) -> None:
    """Store the service's live state, stamped with `now`, replacing the previous one whole."""
    body = dict(data, updated=now.isoformat(timespec="seconds"))
    deliver(json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"), state / SNAPSHOT)


def read_snapshot(state: Path) -> dict[str, Any] | None:
    """The last snapshot the service wrote, or None."""
    try:
        return json.loads((state / SNAPSHOT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def status_text(config: Config, now: dt.datetime | None = None) -> str:
    """The whole status report: service, watched folders, queue, files by unit, recent errors."""
    now = now or dt.datetime.now()
    state = config.path("state")
    lines = _service(read_snapshot(state), now)
    lines.append(f"Trong inbox đang có {len(waiting(config.path('inbox')))} tệp chờ.")
    lines += ["", *_by_unit(config)]
    lines += ["", "Lỗi gần đây:"]
    errors = recent(state)
    lines += [f"  {_clock(r.get('ts', ''))} {r.get('msg', '')}" for r in errors] or ["  không có"]
    return "\n".join(lines) + "\n"


def _service(snap: dict[str, Any] | None, now: dt.datetime) -> list[str]:
    if snap is None:
        return ["Dịch vụ docflow: chưa chạy lần nào trên thư mục này."]
    updated = dt.datetime.fromisoformat(snap["updated"])
    age = (now - updated).total_seconds()
    if not snap.get("running"):
        return [f"Dịch vụ docflow: đã dừng lúc {updated:%H:%M:%S} ngày {updated:%d/%m/%Y}."]
    if age > STALE_SECONDS:
        return [f"Dịch vụ docflow: không phản hồi (lần cập nhật cuối lúc {updated:%H:%M:%S} "
                f"ngày {updated:%d/%m/%Y}); có thể đã bị tắt đột ngột, hãy khởi động lại."]
    started = dt.datetime.fromisoformat(snap["started"])
    lines = [f"Dịch vụ docflow: đang chạy (PID {snap['pid']}, từ {started:%H:%M} ngày "
             f"{started:%d/%m/%Y}, {snap['workers']} tiến trình xử lý"
             + (f", cấu hình {snap['config_version']}" if snap.get("config_version") else "")
             + ")."]
    lines.append("Cách theo dõi:")
    for root in snap.get("roots", []):
        how = "sự kiện" if root["mode"] == "native" else "quét định kỳ"
        lines.append(f"  {root['root']}: {how} — {root['reason']}")
    busy = snap.get("busy", [])
    lines.append(f"Hàng đợi: {snap.get('pending', 0)} tệp chờ đứng yên, "
                 f"{snap.get('queued', 0)} tệp chờ xử lý, {len(busy)} tệp đang xử lý.")
    lines += [f"  đang xử lý: {path}" for path in busy]
    refresh = {"running": "đang cập nhật", "waiting": "sẽ cập nhật khi nhận xong đợt tệp"}
    if snap.get("refresh") in refresh:
        lines.append(f"Văn bản tổng hợp: {refresh[snap['refresh']]}.")
    return lines


def _by_unit(config: Config) -> list[str]:
    path = config.path("state") / "ledger.sqlite3"
    if not config.ledger.url and not path.exists():
        return ["Chưa nhận tệp nào."]
    ledger = Ledger(config.ledger.url or path)
    try:
        rows = ledger.files()
    finally:
        ledger.close()
    if not rows:
        return ["Chưa nhận tệp nào."]
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        counts = table.setdefault(row.unit or "(gốc inbox)", {})
        counts[row.status] = counts.get(row.status, 0) + 1
    total = {key: sum(c.get(key, 0) for c in table.values()) for key, _ in COLUMNS}
    width = max(len("Đơn vị"), *(len(u) for u in table))
    header = "  " + "Đơn vị".ljust(width) + "".join(f"  {t}" for _, t in COLUMNS) + \
        f"  {'Cộng':>6}"
    lines = ["Tệp đã nhận theo đơn vị và trạng thái:", header]
    for unit in sorted(table):
        lines.append(_row(unit, table[unit], width))
    lines.append(_row("Cộng", total, width))
    return lines


def _row(label: str, counts: dict[str, int], width: int) -> str:
    cells = "".join(f"  {counts.get(key, 0):>{len(title)}}" for key, title in COLUMNS)
    return f"  {label.ljust(width)}{cells}  {sum(counts.values()):>6}"


def _clock(iso: str) -> str:
    try:
        return f"{dt.datetime.fromisoformat(iso):%d/%m %H:%M:%S}"
    except ValueError:
        return iso
