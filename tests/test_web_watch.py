"""`docflow watch` serves the dashboard when [web] enabled says so, and stops it with itself."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from builders import collective, dn_info, dn_workbook
from web_builders import dashboard_workspace

LIMIT = 90.0  # seconds any one wait may take on a loaded 2-core machine before the test fails


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def until(get, what: str, service: subprocess.Popen):
    """Poll `get` until it returns something truthy; fail after LIMIT seconds or if the service
    ended."""
    end = time.monotonic() + LIMIT
    while time.monotonic() < end and service.poll() is None:
        try:
            found = get()
        except httpx.HTTPError:
            found = None
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"không thấy {what} sau {LIMIT} giây")


def test_watch_serves_the_dashboard_on_loopback_and_stops_it(tmp_path: Path) -> None:
    port = free_port()
    config = dashboard_workspace(tmp_path, f'enabled = true\nhost = "127.0.0.1"\nport = {port}')
    text = config.read_text(encoding="utf-8").replace("stability_seconds = 2.0",
                                                     "stability_seconds = 0.5")
    config.write_text(text, encoding="utf-8")
    service = subprocess.Popen([sys.executable, "-m", "docflow", "--config", str(config), "watch"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=dict(os.environ, PYTHONUNBUFFERED="1"))
    base = f"http://127.0.0.1:{port}"
    try:
        page = until(lambda: httpx.get(base + "/").text, "bảng theo dõi", service)
        assert "Tình hình gửi biểu mẫu" in page  # on loopback: no login asked
        mark = httpx.get(base + "/api/trang-thai").json()["mark"]
        dn_workbook(tmp_path / "de-nghi.xlsx", dn_info("SYT"), [collective("Khoa Nội")])
        (tmp_path / "inbox" / "SYT").mkdir(exist_ok=True)
        os.replace(tmp_path / "de-nghi.xlsx", tmp_path / "inbox" / "SYT" / "de-nghi.xlsx")
        until(lambda: httpx.get(base + "/don-vi/SYT").text.count("đã tiếp nhận"),
              "tệp của SYT được tiếp nhận", service)
        assert httpx.get(base + "/api/trang-thai").json()["mark"] != mark
    finally:
        service.send_signal(signal.SIGTERM)
        out, _ = service.communicate(timeout=LIMIT)
    assert service.returncode == 0, out
    assert f"Bảng theo dõi: {base}/" in out
    with socket.socket() as s:  # the dashboard stopped with the service
        assert s.connect_ex(("127.0.0.1", port)) != 0
