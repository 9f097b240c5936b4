"""What `docflow status` adds on several machines: the broker's queue, the workers and what each
holds (its task, and the ledger's leases under its host:pid)."""

from __future__ import annotations

from pathlib import Path

from docflow.config import Config
from docflow.engine.app import QUEUE, make_app
from docflow.store import open_ledger

INSPECT_SECONDS = 2.0


def engine_status(config: Config) -> list[str]:
    """Lines for `docflow status`: queue length, each worker and what it holds; [] if embedded."""
    if config.engine.kind != "celery":
        return []
    app = make_app(config)
    lines = [f"Máy xử lý (Celery, hàng đợi {config.engine.broker}):"]
    try:
        with app.connection_for_read() as conn:
            waiting = conn.default_channel.client.llen(QUEUE)
        active = app.control.inspect(timeout=INSPECT_SECONDS).active() or {}
    except Exception as exc:  # noqa: BLE001 - status must print whatever it can
        return lines + [f"  không liên lạc được với Redis: {exc}. Kiểm tra redis-server và "
                        "[engine] broker trong config.toml."]
    lines.append(f"  {waiting} việc đang chờ trong hàng đợi, {len(active)} tiến trình worker "
                 "đang chạy.")
    leases = _leases(config)
    for name in sorted(active):
        tasks = active[name]
        held = [t for t in tasks if t.get("args")]
        doing = ", ".join(Path(str(t["args"][0])).name for t in held) or (
            "cập nhật văn bản tổng hợp" if tasks else "rảnh")
        lines.append(f"  {name}: {doing}")
        pids = {str(t.get("worker_pid")) for t in tasks}
        host = name.split("@", 1)[-1].rsplit("-", 1)[0]
        for lease, holder in leases.items():
            h_host, h_pid = holder.split(":")[:2]
            if h_host == host and h_pid in pids:
                lines.append(f"      giữ {lease}")
    return lines


def _leases(config: Config) -> dict[str, str]:
    try:
        ledger = open_ledger(config)
    except Exception:  # noqa: BLE001 - the database away: show the rest
        return {}
    try:
        return ledger.leases()
    finally:
        ledger.close()
