"""`docflow status`: what the service is doing and what became of the files, as text.

The running service writes a small snapshot into the state folder every few seconds; this module
reads it with the ledger and the JSON log, so status works from any other process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import socket
from pathlib import Path
from typing import Any

from docflow.models import Status
from docflow.config import Config
from docflow.store import deliver
from docflow.watch.reload import ADMIN, REFUSED
from docflow.store import nested, waiting
from docflow.store import Ledger
from docflow.logs import last_event, recent
from docflow.text import megabytes

SNAPSHOT = "watch.json"
STALE_SECONDS = 30.0
COLUMNS = ((Status.ACCEPTED, "Tiếp nhận"), (Status.REJECTED, "Trả lại"), (Status.DUPLICATE, "Trùng"),
           (Status.FAILED, "Lỗi xử lý"), (Status.WAITING, "Chờ tệp kèm"), (Status.ATTACHMENT, "Tệp kèm"),
           (Status.PROCESSING, "Đang xử lý"))
RARE = ((Status.SUPERSEDED, "Bản cũ"),)  # shown only when some file has it


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
    deeper = len(nested(config.path("inbox")))
    if deeper:
        lines.append(f"Có {deeper} tệp nằm trong thư mục con của thư mục đơn vị: không được xử "
                     "lý (đơn vị đã được báo chép tệp ra thư mục của mình).")
    lines += ["", *_by_unit(config)]
    refused = sorted((config.path("outbox") / ADMIN).glob(f"*-{REFUSED}"))
    if refused:
        lines += ["", f"Thay đổi cấu hình bị từ chối, chưa khắc phục: {len(refused)} (xem "
                      f"{refused[-1]})."]
    lines += ["", *_drafts(config)]
    lines += ["", "Lỗi gần đây:"]
    errors = _open_errors(state)
    lines += [f"  {_clock(r.get('ts', ''))} {r.get('msg', '')}" for r in errors] or ["  không có"]
    return "\n".join(lines) + "\n"


def _open_errors(state: Path, limit: int = 5) -> list[dict[str, Any]]:
    """Recent errors, less the config refusals a later good version has fixed."""
    in_use = last_event(state, "config_in_use")
    fixed_until = in_use.get("ts", "") if in_use else ""
    errors = [r for r in recent(state, limit=limit * 4)
              if not (r.get("event") == "config_refused" and r.get("ts", "") <= fixed_until)]
    return errors[-limit:]


def service_running(config: Config, now: dt.datetime | None = None) -> bool:
    """Whether the service is running on this workspace now (its snapshot is fresh and, on this
    machine, its process is alive)."""
    snap = read_snapshot(config.path("state"))
    return snap is not None and _alive(snap, now or dt.datetime.now())


def _alive(snap: dict[str, Any], now: dt.datetime) -> bool:
    try:
        updated = dt.datetime.fromisoformat(snap["updated"])
    except (KeyError, ValueError):
        return False
    if not snap.get("running") or (now - updated).total_seconds() > STALE_SECONDS:
        return False
    # On Windows os.kill(pid, 0) would end the process, not ask about it: POSIX only.
    if os.name == "posix" and snap.get("host") == socket.gethostname() \
            and isinstance(snap.get("pid"), int):
        try:
            os.kill(snap["pid"], 0)  # signal 0: only asks whether the process exists
        except ProcessLookupError:
            return False
        except PermissionError:
            return True  # it exists, run by another user (the service account)
    return True


def _service(snap: dict[str, Any] | None, now: dt.datetime) -> list[str]:
    if snap is None:
        return ["Dịch vụ docflow: KHÔNG chạy (chưa chạy lần nào trên thư mục này)."]
    updated = dt.datetime.fromisoformat(snap["updated"])
    age = (now - updated).total_seconds()
    if not snap.get("running"):
        return [f"Dịch vụ docflow: KHÔNG chạy (đã dừng lúc {updated:%H:%M:%S} ngày "
                f"{updated:%d/%m/%Y})."]
    if age <= STALE_SECONDS and not _alive(snap, now):
        return [f"Dịch vụ docflow: KHÔNG chạy (tiến trình PID {snap.get('pid')} không còn; "
                f"đã bị tắt đột ngột sau {updated:%H:%M:%S} ngày {updated:%d/%m/%Y}); hãy "
                "khởi động lại."]
    if age > STALE_SECONDS:
        return [f"Dịch vụ docflow: không phản hồi (lần cập nhật cuối lúc {updated:%H:%M:%S} "
                f"ngày {updated:%d/%m/%Y}); có thể đã bị tắt đột ngột, hãy khởi động lại."]
    started = dt.datetime.fromisoformat(snap["started"])
    lines = [f"Dịch vụ docflow: đang chạy (PID {snap['pid']}, từ {started:%H:%M} ngày "
             f"{started:%d/%m/%Y}, {snap['workers']} tiến trình xử lý"
             + (f"; đang dùng {snap['config_version']}" if snap.get("config_version") else "")
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
        counted, size, kind = ledger.counts(), ledger.size(), ledger.kind
    finally:
        ledger.close()
    where = "cơ sở dữ liệu PostgreSQL" if config.ledger.url else "state/ledger.sqlite3"
    weight = [f"Sổ theo dõi ({kind}): {megabytes(size)} ({where})."]
    if not counted:
        return ["Chưa nhận tệp nào.", *weight]
    table: dict[str, dict[str, int]] = {}
    for (unit, status), n in counted.items():
        counts = table.setdefault(unit or "(gốc inbox)", {})
        counts[status] = counts.get(status, 0) + n
    columns = COLUMNS + tuple(c for c in RARE if any(s == c[0] for _, s in counted))
    total = {key: sum(c.get(key, 0) for c in table.values()) for key, _ in columns}
    width = max(len("Đơn vị"), *(len(u) for u in table))
    header = "  " + "Đơn vị".ljust(width) + "".join(f"  {t}" for _, t in columns) + \
        f"  {'Cộng':>6}"
    lines = ["Tệp đã nhận theo đơn vị và trạng thái:", header]
    for unit in sorted(table):
        lines.append(_row(unit, table[unit], width, columns))
    lines.append(_row("Cộng", total, width, columns))
    return [*lines, *weight]


def _drafts(config: Config) -> list[str]:
    """Each draft with the config and templates versions it was made from, and whether those
    are still the running ones."""
    from docflow.documents import describe, draft_versions  # rendering code: only when asked

    path = config.path("state") / "ledger.sqlite3"
    if not config.ledger.url and not path.exists():
        return []
    ledger = Ledger(config.ledger.url or path, readonly=True)
    try:
        made, stale = ledger.drafts(), ledger.stale()
    finally:
        ledger.close()
    if not made and not stale:
        return ["Dự thảo: chưa lập văn bản nào."]
    lines = [f"Dự thảo (cấu hình đang dùng: phiên bản {config.version}):"]
    for key in sorted(set(made) | set(stale)):
        row = made.get(key)
        try:
            name = describe(key, config)
        except (StopIteration, KeyError, ValueError):  # an award or unit since removed
            name = key
        if row is None:
            lines.append(f"  {name}: chưa lập, đang chờ lập.")
            continue
        now = draft_versions(key, config, lambda t: _file_hash(config.path("templates") / t))
        current = (row["config"], row["templates"]) == (now["config"], now["templates"])
        lines.append(f"  {name}: lập {_clock(row['made_at'])} theo cấu hình {row['config'] or '?'}"
                     f", mẫu Word {row['templates'] or '?'}"
                     + (" — cần lập lại." if key in stale or not current else "."))
    return lines


def _file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _row(label: str, counts: dict[str, int], width: int,
         columns: tuple[tuple[str, str], ...] = COLUMNS) -> str:
    cells = "".join(f"  {counts.get(key, 0):>{len(title)}}" for key, title in columns)
    return f"  {label.ljust(width)}{cells}  {sum(counts.values()):>6}"


def _clock(iso: str) -> str:
    try:
        return f"{dt.datetime.fromisoformat(iso):%d/%m %H:%M:%S}"
    except ValueError:
        return iso
