"""Follow config.toml and the Word templates: a good change is taken, a broken one refused.

Templates are used from a snapshot in the state folder, so a template the administrator is
halfway through editing never reaches a document; the last good snapshot keeps running until a
new one passes `check_templates`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from docflow.config import Config, load
from docflow.errors import DocflowError
from docflow.store import deliver
from docflow.store import is_ignored

log = logging.getLogger("docflow.reload")
ADMIN = "_quan-tri"
IN_USE = "Dang-dung.txt"  # the one note saying which config and templates run now
REFUSED = "Cau-hinh-bi-tu-choi.txt"
FIXED = "da-khac-phuc"  # refusals a later good version made obsolete: moved here, never deleted
Fingerprint = tuple[tuple[str, int, int], ...]
KEEP_SNAPSHOTS = 5


@dataclass(frozen=True)
class Version:
    """A config known to be good, its templates pointing at their snapshot."""

    config: Config
    fingerprint: Fingerprint
    label: str
    since: dt.datetime
    config_hash: str = ""
    key: str = ""  # "<copy of config.toml>/<templates snapshot>" under state/, for other machines

    def describe(self) -> str:
        """`cấu hình 1a2b3c4d, mẫu Word 5e6f7a8b, từ 09:30 ngày 01/12/2025` for a person."""
        return (f"cấu hình {self.config_hash}, mẫu Word {self.label}, từ {self.since:%H:%M} ngày "
                f"{self.since:%d/%m/%Y}")


def fingerprint(config_path: Path, templates: Path) -> Fingerprint:
    """Name, size and mtime of config.toml and every template: cheap to take every second."""
    entries = []
    for path in [config_path, *_template_files(templates)]:
        try:
            st = path.stat()
        except OSError:
            continue
        entries.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(entries)


def snapshot(templates: Path, store: Path, in_use: Path | None = None) -> Path:
    """Copy the templates into `store/<content hash>/` (once) and return that folder; old
    snapshots are pruned, never `in_use` (the one the running workers render from)."""
    files = _template_files(templates)
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    target = store / digest.hexdigest()[:16]
    if not target.is_dir():
        part = store / f".{target.name}.part"
        shutil.rmtree(part, ignore_errors=True)  # docflow's own half-made copy, never received
        part.mkdir(parents=True)
        for path in files:
            shutil.copy2(path, part / path.name)
        part.rename(target)
    target.touch()
    kept = {target, in_use}
    for old in sorted((p for p in store.iterdir() if p.is_dir() and not p.name.startswith(".")
                       and p not in kept),
                      key=lambda p: p.stat().st_mtime, reverse=True)[KEEP_SNAPSHOTS:]:
        shutil.rmtree(old, ignore_errors=True)
    return target


class Reloader:
    """Holds the running good version and decides about each change once it stands still."""

    def __init__(self, config_path: Path, config: Config, settle_seconds: float,
                 clock: Callable[[], dt.datetime],
                 check: Callable[[Config], list[str]] | None = None) -> None:
        self.config_path, self.settle, self.clock = config_path, settle_seconds, clock
        self.check = check or _check_templates
        self.templates = config.path("templates")
        self.current = self._prepare(config)
        problems = self._problems(self.current.config)
        if problems:
            log.error("Mẫu Word có lỗi ngay khi khởi động: %s", "; ".join(problems))
        else:
            self._in_use(self.current, "khi khởi động dịch vụ")
        self._seen, self._since = self.current.fingerprint, 0.0
        self._decided = self.current.fingerprint

    def poll(self, now: float) -> Version | None:
        """Look for a change; returns the new version when one was accepted."""
        found = fingerprint(self.config_path, self.templates)
        if found != self._seen:
            self._seen, self._since = found, now
            return None
        if found == self._decided or now - self._since < self.settle:
            return None
        self._decided = found
        return self._try()

    def _try(self) -> Version | None:
        try:
            text = self.config_path.read_bytes()
            config = load(self.config_path)
        except OSError as exc:
            self._refuse([f"không đọc được {self.config_path.name}: {exc}."])
            return None
        except DocflowError as exc:
            self._refuse(getattr(exc, "problems", None) or [str(exc)])
            return None
        if self.config_path.read_bytes() != text:  # saved again meanwhile: decide once it settles
            self._seen = self._decided = ()
            return None
        old = self.current.config
        moved = [name for name in ("inbox", "outbox", "state", "templates")
                 if config.path(name) != (self.templates if name == "templates"
                                          else old.path(name))]
        if moved:
            self._refuse([f"paths.{name}: đổi thư mục chỉ có hiệu lực khi khởi động lại "
                          "dịch vụ docflow." for name in moved])
            return None
        try:
            version = self._prepare(config, text)
        except OSError as exc:
            self._refuse([f"không chép được các mẫu Word: {exc}."])
            return None
        problems = self._problems(version.config)
        if problems:
            self._refuse(problems)
            return None
        before = self.current.config.path("templates")
        self.current = version
        self._in_use(version, "sau khi thay đổi được kiểm tra")
        self._preview(version.config, _changed(before, version.config.path("templates")))
        return version

    def _preview(self, config: Config, names: set[str]) -> None:
        """Show the administrator what each newly saved template now produces."""
        if not names:
            return
        from docflow.documents import previews  # LibreOffice and rendering: only when needed

        try:
            files = previews(config, names)
        except Exception as exc:  # noqa: BLE001 - a preview never stops the service
            log.warning("Không tạo được bản xem trước mẫu Word: %s", exc)
            return
        for name, data in files.items():
            deliver(data, config.path("outbox") / ADMIN / f"Xem-truoc-{name}")

    def _prepare(self, config: Config, text: bytes | None = None) -> Version:
        found = fingerprint(self.config_path, self.templates)
        running = getattr(self, "current", None)  # None while the first version is prepared
        folder = snapshot(self.templates, config.path("state") / "templates",
                          running.config.path("templates") if running else None)
        pinned = replace(config, paths=replace(config.paths, templates=folder))
        text = self.config_path.read_bytes() if text is None else text
        digest = hashlib.sha256(text).hexdigest()
        # The accepted text, kept for `docflow worker`s (engine/follow.py): they take exactly
        # this version before their next job, never a config.toml edited since.
        copy = config.path("state") / "config" / f"{digest[:16]}.toml"
        if not copy.is_file():
            deliver(text, copy)
        return Version(pinned, found, folder.name[:8], self.clock(), digest[:8],
                       f"{copy.name}/{folder.name}")

    def _in_use(self, version: Version, when: str) -> None:
        """Say in _quan-tri/ what now runs, and move the refusals it makes obsolete aside."""
        admin = version.config.path("outbox") / ADMIN
        moved = []
        for old in sorted(admin.glob(f"*-{REFUSED}")):
            try:
                (admin / FIXED).mkdir(exist_ok=True)
                old.rename(admin / FIXED / old.name)
                moved.append(old.name)
            except OSError as exc:  # a note left in place is only untidy
                log.warning("Không chuyển được %s vào %s/: %s", old.name, FIXED, exc)
        body = (f"docflow đang dùng {version.describe()} ({when}).\n\n"
                f"Tệp cấu hình: {self.config_path.resolve()}\nMẫu Word: {self.templates}\n")
        if moved:
            body += (f"\n{len(moved)} thông báo từ chối trước đó đã được khắc phục, đã chuyển vào "
                     f"thư mục {FIXED}/.\n")
        deliver(body.encode("utf-8"), admin / IN_USE)
        log.info("Đang dùng %s.", version.describe(),
                 extra={"event": "config_in_use", "version": version.label,
                        "config_version": version.config_hash})

    def _problems(self, config: Config) -> list[str]:
        try:
            return self.check(config)
        except Exception as exc:  # a template so broken that checking it crashes is refused too
            return [f"không kiểm tra được các mẫu Word: {type(exc).__name__}: {exc}."]

    def _refuse(self, problems: list[str]) -> None:
        now = self.clock()
        good = self.current
        body = (f"Thay đổi cấu hình hoặc mẫu Word lúc {now:%H:%M} ngày {now:%d/%m/%Y} KHÔNG được "
                f"áp dụng.\ndocflow vẫn chạy theo phiên bản hợp lệ trước đó ({good.label}: "
                f"{good.describe()}).\n\nVấn đề:\n"
                + "".join(f"  - {p}\n" for p in problems)
                + "\nCách xử lý: sửa các lỗi trên trong config.toml hoặc trong mẫu Word rồi lưu "
                "lại; docflow tự kiểm tra lại sau vài giây. Lệnh `docflow check` cho xem cùng "
                "danh sách lỗi.\n")
        target = good.config.path("outbox") / ADMIN / f"{now:%Y%m%d-%H%M%S}-{REFUSED}"
        deliver(body.encode("utf-8"), target)
        log.error("Thay đổi cấu hình bị từ chối (%d vấn đề), xem %s", len(problems), target,
                  extra={"event": "config_refused", "problems": problems})


def _changed(old: Path, new: Path) -> set[str]:
    """Templates whose bytes differ between two snapshots (or that are new)."""
    changed = set()
    for path in _template_files(new):
        earlier = old / path.name
        if not earlier.is_file() or earlier.read_bytes() != path.read_bytes():
            changed.add(path.name)
    return changed


def _template_files(templates: Path) -> list[Path]:
    try:
        return sorted(p for p in templates.iterdir() if p.is_file() and not is_ignored(p.name))
    except OSError:
        return []


def _check_templates(config: Config) -> list[str]:
    from docflow.documents import check_templates  # renders every template: load it only when used

    return check_templates(config)
