"""The `docflow` command; the only place that turns errors into exit codes."""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from docflow import __version__
from docflow.models import Status
from docflow.cli.parser import EXIT_ERROR, EXIT_NOT_RUNNING, EXIT_OK, EXIT_REJECTED
from docflow.cli.parser import build as build_parser
from docflow.cli.progress import ProgressView
from docflow.config import Config, load
from docflow.errors import DocflowError, describe_os
from docflow.store import deliver
from docflow.logs import configure as configure_logs
from docflow.text import slug
from docflow.store import copy_ledger, open_ledger

if TYPE_CHECKING:
    from docflow.pipeline import Outcome
# The pipeline, the forms and the workspace (docx, openpyxl, LibreOffice's bridge) are imported
# by the commands that use them: `docflow status` answers in a fraction of a second.

WORD_FORMS = ("BC",)  # forms also offered as a Word document (FORMS.md)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser(__version__).parse_args(argv)
    try:
        if args.command == "check-layout":  # needs no campaign config
            return cmd_check_layout(args.files)
        if args.command == "serve" and args.hash_password:  # needs no campaign config either
            return cmd_hash_password()
        config = load(args.config)
        configure_logs(config.path("state") if args.command in ("run", "watch", "refresh",
                                                                 "worker") else None)
        if args.command == "watch":
            return cmd_watch(config, args.config)
        if args.command == "run":
            return cmd_run(config, progress=not args.no_progress)
        if args.command == "status":
            return cmd_status(config, args.expect_running)
        if args.command == "refresh":
            return cmd_refresh(config)
        if args.command == "serve":
            return cmd_serve(config, args.host or config.web.host, args.port or config.web.port)
        if args.command == "history":
            return cmd_history(config, args)
        if args.command == "worker":
            return cmd_worker(config, args.concurrency)
        if args.command == "ledger-copy":
            return cmd_ledger_copy(config, args.to, args.register)
        return COMMANDS[args.command](config)
    except DocflowError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:  # state/ or outbox/ not writable, a disk full: the administrator's
        where = exc.filename or "thư mục làm việc"
        print(f"Lỗi: không ghi được vào {where}: {describe_os(exc)}. Hãy cấp quyền ghi các "
              "thư mục state/ và outbox/ cho tài khoản chạy docflow (hoặc giải phóng ổ đĩa) rồi "
              "chạy lại; các tệp trong inbox/ vẫn được giữ nguyên.", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_OK


def cmd_run(config: Config, progress: bool = True) -> int:
    """Process everything waiting now, then exit: 1 if any file was rejected, 2 if any failed."""
    from docflow.pipeline import process_all
    from docflow.workspace import Workspace

    ws = Workspace.open(config)
    view = ProgressView(sys.stdout, tty=progress and sys.stdout.isatty())
    try:
        outcomes = process_all(ws, lambda done, total, o: view.file_done(
            done, total, o.status if o else None, _line(o) if o else None))
    finally:
        view.close()
        ws.close()
    print(f"Đã xử lý {len(outcomes)} tệp.")
    failed = sum(1 for o in outcomes if o.status == Status.FAILED)
    if failed:
        print(f"Lỗi: {failed} tệp chưa xử lý được vì lỗi của hệ thống (không phải của đơn vị); "
              "xem outbox/_quan-tri/. Các tệp này được giữ trong state/work/ và sẽ được xử lý "
              "lại ở lần chạy sau.", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_REJECTED if any(o.status == Status.REJECTED for o in outcomes) else EXIT_OK


def cmd_refresh(config: Config) -> int:
    """Remake every draft from the ledger's current records, the config and templates now."""
    from docflow.pipeline import refresh_aggregates
    from docflow.workspace import Workspace

    ws = Workspace.open(config)
    try:
        made = refresh_aggregates(ws, everything=True)
    finally:
        ws.close()
    for path in made:
        print(f"Đã lập lại {path}")
    print(f"Đã lập lại {len(made)} tệp dự thảo theo cấu hình phiên bản {config.version}.")
    return EXIT_OK


def cmd_watch(config: Config, config_path: Path) -> int:
    """Watch the inbox until SIGINT or SIGTERM; config and templates reload when they change."""
    from docflow.watch import Watcher  # watchdog threads are only needed here
    from docflow.workspace import unit_folders

    made = unit_folders(config, dt.date.today())
    if made:
        print(f"Đã tạo {len(made)} thư mục inbox/outbox cho các đơn vị đang hoạt động.")
    # Each worker process opens its own workspace; with PDF on, they share the service's
    # LibreOffice processes (watch.pool starts them; convert/shared.py).
    ledger = open_ledger(config)
    if config.engine.kind == "celery":  # the jobs go to `docflow worker`s through Redis
        from docflow.engine import CeleryDispatcher

        watcher = Watcher(config, ledger, config_path=config_path, dispatcher=CeleryDispatcher)
    else:
        watcher = Watcher(config, ledger, config_path=config_path)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: watcher.stop())
    web = None
    if config.web.enabled:
        from docflow.web import Background, build_server

        web = Background(build_server(config, config.web.host, config.web.port)).start()
        print(f"Bảng theo dõi: http://{_url_host(config.web.host)}:{config.web.port}/")
    print(f"docflow đang theo dõi {config.path('inbox')}; kết quả ở {config.path('outbox')}. "
          "Dừng: Ctrl+C.")
    try:
        watcher.run()
    finally:
        if web is not None:
            web.stop()
        ledger.close()
    if watcher.halted:
        print(f"Lỗi: {watcher.halted}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def cmd_serve(config: Config, host: str, port: int) -> int:
    """Serve the read-only dashboard until Ctrl+C."""
    from docflow.web import build_server

    server = build_server(config, host, port)
    print(f"Bảng theo dõi: http://{_url_host(host)}:{port}/ (dừng: Ctrl+C).", flush=True)
    server.run()
    return EXIT_OK


def cmd_hash_password() -> int:
    """Ask for a password twice and print the line for [[web.accounts]]."""
    from getpass import getpass

    from docflow.web import hash_password

    first = getpass("Mật khẩu mới: ")
    if len(first) < 10:
        print("Lỗi: mật khẩu cần ít nhất 10 ký tự.", file=sys.stderr)
        return EXIT_ERROR
    if getpass("Nhập lại: ") != first:
        print("Lỗi: hai lần nhập không giống nhau.", file=sys.stderr)
        return EXIT_ERROR
    print(f'password_hash = "{hash_password(first)}"')
    return EXIT_OK


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def cmd_worker(config: Config, concurrency: int) -> int:
    """Run a Celery worker for this campaign until SIGTERM or Ctrl+C."""
    if config.engine.kind != "celery":
        print("Lỗi: docflow worker cần [engine] kind = \"celery\" trong config.toml; với cách "
              "chạy mặc định, docflow watch tự xử lý tệp.", file=sys.stderr)
        return EXIT_ERROR
    from docflow.engine import run_worker

    run_worker(config, concurrency)
    return EXIT_OK


def cmd_ledger_copy(config: Config, url: str, register_only: bool = False) -> int:
    """Copy the campaign's SQLite ledger into an empty PostgreSQL database, and the office's
    award register beside it when it is the SQLite file beside the state folder."""
    from docflow.history import copy_register

    if not register_only:
        source = config.path("state") / "ledger.sqlite3"
        counts = copy_ledger(source, url)
        for table, count in counts.items():
            print(f"  {table}: {count} dòng")
        print(f"Đã chép sổ theo dõi {source} sang PostgreSQL. Ghi [ledger] url = \"{url}\" "
              "vào config.toml rồi khởi động lại docflow trên mọi máy.")
    register = config.register_path()
    if config.register.path is None and register.is_file():
        target = config.register.url or url
        counts = copy_register(register, target)
        for table, count in counts.items():
            print(f"  {table}: {count} dòng")
        print(f"Đã chép sổ theo dõi khen thưởng {register} sang PostgreSQL ({target}, lược đồ "
              "khen_thuong); tệp cũ được giữ nguyên.")
    elif register_only:
        print(f"Không có sổ theo dõi khen thưởng SQLite để chép ({register}).")
    return EXIT_OK


def cmd_check(config: Config) -> int:
    """Validate config (already loaded) and render every template with sample data."""
    from docflow.documents import TEMPLATE_FILES, check_templates, template_notes

    for template, notes in template_notes(config).items():
        print(f"Mẫu {template}:")
        for note in notes:
            print(f"    {note}")
    from docflow.config import to_confirm

    for note in to_confirm(config):
        print(f"Chờ xác nhận: {note}.")
    problems = check_templates(config)
    for line in problems:
        print(f"  - {line}")
    if problems:
        print(f"Có {len(problems)} vấn đề trong các mẫu Word.")
        return EXIT_ERROR
    print(f"Cấu hình và {len(TEMPLATE_FILES)} mẫu Word trong {config.path('templates')} hợp lệ.")
    return EXIT_OK


def cmd_status(config: Config, expect_running: bool = False) -> int:
    """Print the service, files by state and unit, the queue and the open errors; with
    `expect_running`, exit 3 when the service is not running."""
    from docflow.watch import service_running, status_text

    print(status_text(config), end="")
    if config.engine.kind == "celery":  # Celery (and the pipeline) load only when used
        from docflow.engine import engine_status

        lines = engine_status(config)
        if lines:
            print("\n".join(lines))
    if expect_running and not service_running(config):
        print("Lỗi: dịch vụ docflow không chạy; hãy khởi động lại (docs/deploy/).",
              file=sys.stderr)
        return EXIT_NOT_RUNNING
    return EXIT_OK


def cmd_forms(config: Config) -> int:
    """Write the blank forms into templates/forms/."""
    from docflow.forms import blank_form, blank_issued_form, blank_word_form

    folder = config.path("templates") / "forms"
    awards = tuple(a.name for a in config.awards)
    for form in config.forms.values():
        path = deliver(blank_form(form, awards), folder / f"{form.code}-{slug(form.title)}.xlsx")
        print(f"Đã tạo {path}")
        if form.code in WORD_FORMS:
            path = deliver(blank_word_form(form, awards),
                           folder / f"{form.code}-{slug(form.title)}.docx")
            print(f"Đã tạo {path}")
    path = deliver(blank_issued_form(), folder / "Ghi-nhan-quyet-dinh.xlsx")  # inbox/_ban-hanh/
    print(f"Đã tạo {path}")
    return EXIT_OK


def cmd_history(config: Config, args: argparse.Namespace) -> int:
    """Print a person's awards and titles by year; list or confirm the register's doubts."""
    from docflow.history import history_text, open_register
    from docflow.text import parse_date

    try:
        born = parse_date(args.born) if args.born else None
    except ValueError:
        born = None
    if args.born and born is None:
        print(f"Lỗi: ngày sinh “{args.born}” không hợp lệ; ghi dạng dd/mm/yyyy.", file=sys.stderr)
        return EXIT_ERROR
    register = open_register(config)
    try:
        if args.confirm is not None:
            status = register.confirm(args.confirm, args.person)
            print(f"Đã xác nhận dòng {args.confirm}: "
                  + ("thêm vào sổ." if status != "known" else "dòng này đã có trong sổ."))
            return EXIT_OK
        if args.pending or not args.name:
            waiting = register.pending()
            print(history_text([], waiting, config, "") if waiting
                  else "Không có dòng nào chờ văn phòng xác nhận.")
            return EXIT_OK
        people = register.history(args.name, born)
        print(history_text(people, register.pending(args.name), config, args.name))
        return EXIT_OK if people else EXIT_REJECTED
    finally:
        register.close()


def cmd_check_layout(files: list[Path]) -> int:
    """Print the Nghị định 30 report of each file; 1 when any has an error."""
    from docflow.layout import check_layout, format_report

    failed = unreadable = False
    for path in files:
        if not path.is_file():
            why = "là một thư mục" if path.is_dir() else "không tìm thấy tệp"
            print(f"Lỗi: {path}: {why}; hãy chỉ tới một văn bản Word .docx.", file=sys.stderr)
            unreadable = True
            continue
        try:
            problems = check_layout(path)
        except Exception as exc:  # noqa: BLE001 - a file that is not a readable .docx
            print(f"Lỗi: {path}: không đọc được như văn bản Word .docx ({type(exc).__name__}); "
                  "mở bằng Word và lưu lại dạng Word Document (.docx).", file=sys.stderr)
            unreadable = True
            continue
        print(format_report(path, problems))
        failed = failed or any(p.severity.value == "lỗi" for p in problems)
    if unreadable:
        return EXIT_ERROR
    return EXIT_REJECTED if failed else EXIT_OK


def _line(outcome: Outcome) -> str:
    from docflow.pipeline import STATUS_WORDS

    errors = sum(1 for p in outcome.problems if p.is_error)
    extra = f", {errors} lỗi" if errors else ""
    return f"[{outcome.unit or '?'}] {outcome.name}: {STATUS_WORDS[outcome.status]}{extra}"


COMMANDS = {"check": cmd_check, "forms": cmd_forms}
