"""Run the dashboard: in the foreground (`docflow serve`) or beside `docflow watch` in a thread."""

from __future__ import annotations

import ipaddress
import threading

import uvicorn

from docflow.config import Config
from docflow.errors import DocflowError
from docflow.web.app import create_app


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def build_server(config: Config, host: str, port: int) -> uvicorn.Server:
    """A uvicorn server for the dashboard; anonymous access only on loopback."""
    anonymous = is_loopback(host)
    if not anonymous and not config.web.accounts:
        raise DocflowError(
            f"Bảng theo dõi sẽ mở ra mạng ({host}) mà chưa có tài khoản nào: thêm các mục "
            "[[web.accounts]] vào config.toml (mật khẩu băm bằng `docflow serve --hash-password`), "
            "hoặc chạy với --host 127.0.0.1 để chỉ xem trên máy này.")
    app = create_app(config, anonymous=anonymous)
    return uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning",
                                         access_log=False, server_header=False))


def serve(config: Config, host: str, port: int) -> None:
    """Serve until Ctrl+C."""
    build_server(config, host, port).run()


class Background:
    """The dashboard in a daemon thread, started and stopped by its owner (watch, tests)."""

    def __init__(self, server: uvicorn.Server) -> None:
        self.server = server
        self.thread = threading.Thread(target=server.run, name="docflow-web", daemon=True)

    def start(self) -> Background:
        """Start serving and return once the socket listens (or the server gave up)."""
        self.thread.start()
        while not self.server.started and self.thread.is_alive():
            self.thread.join(0.05)
        if not self.server.started:
            raise DocflowError("Không mở được bảng theo dõi: cổng đã có chương trình khác dùng? "
                               "Đổi [web] port trong config.toml.")
        return self

    def stop(self) -> None:
        """Ask the server to finish and wait for its thread."""
        self.server.should_exit = True
        self.thread.join(10)
