"""The `docflow` command; the only place that turns errors into exit codes."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from docflow import __version__
from docflow.models import Status
from docflow.config import Config, load
from docflow.errors import DocflowError
from docflow.forms import blank_word_form
from docflow.forms import blank_form
from docflow.store import deliver
from docflow.logs import configure as configure_logs
from docflow.pipeline import STATUS_WORDS, Outcome, process_all
from docflow.text import slug
from docflow.store import copy_ledger, open_ledger
from docflow.workspace import Workspace

EXIT_OK, EXIT_REJECTED, EXIT_ERROR = 0, 1, 2
WORD_FORMS = ("BC",)  # forms also offered as a Word document (FORMS.md)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = argparse.ArgumentParser(prog="docflow", description=(
        "Tiếp nhận biểu mẫu thi đua, khen thưởng từ thư mục inbox/ và lập văn bản vào outbox/."))
    parser.add_argument("--config", default="config.toml", type=Path,
                        help="tệp cấu hình (mặc định: config.toml ở thư mục hiện tại)")
    parser.add_argument("--version", action="version", version=f"docflow {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="xử lý mọi tệp đang có trong inbox rồi thoát")
    sub.add_parser("watch", help="theo dõi inbox và xử lý tệp khi có (dừng bằng Ctrl+C)")
    sub.add_parser("check", help="kiểm tra cấu hình và các mẫu Word")
    sub.add_parser("status", help="tình trạng: tệp theo trạng thái và đơn vị, hàng đợi, lỗi gần đây")
    sub.add_parser("forms", help="tạo các biểu mẫu trống vào templates/forms/")
    serve = sub.add_parser("serve", help="mở bảng theo dõi (chỉ xem) trên trình duyệt; mặc "
                           "định chỉ máy này xem được, theo [web] trong config.toml")
    serve.add_argument("--host", help="địa chỉ nghe (mặc định [web] host, 127.0.0.1); địa chỉ "
                       "khác máy này thì phải đăng nhập bằng tài khoản [[web.accounts]]")
    serve.add_argument("--port", type=int, help="cổng (mặc định [web] port, 8080)")
    serve.add_argument("--hash-password", action="store_true", help="hỏi một mật khẩu và in dòng "
                       "password_hash để dán vào [[web.accounts]], rồi thoát")
    history = sub.add_parser("history", help="lịch sử khen thưởng của một người, tập thể theo "
                             "sổ theo dõi khen thưởng")
    history.add_argument("name", nargs="?", default="", metavar="HỌ_TÊN")
    history.add_argument("--born", default="", metavar="dd/mm/yyyy", help="ngày sinh")
    history.add_argument("--pending", action="store_true",
                         help="liệt kê các dòng chờ văn phòng xác nhận")
    history.add_argument("--confirm", type=int, metavar="SỐ", help="xác nhận một dòng chờ")
    history.add_argument("--person", type=int, metavar="MÃ", help="…thuộc người có mã này trong "
                         "sổ (bỏ trống: là người mới)")
    worker = sub.add_parser("worker", help="chạy một worker Celery nhận việc từ hàng đợi "
                            "(khi [engine] kind = \"celery\")")
    worker.add_argument("--concurrency", type=int, default=1, metavar="N",
                        help="số tiến trình xử lý trên máy này (mặc định 1)")
    copy = sub.add_parser("ledger-copy", help="chép sổ theo dõi SQLite của đợt sang PostgreSQL "
                          "(khi chuyển sang chạy trên nhiều máy)")
    copy.add_argument("--to", required=True, metavar="postgresql://…",
                      help="địa chỉ một cơ sở dữ liệu PostgreSQL mới tạo")
    layout = sub.add_parser("check-layout", help="kiểm tra thể thức văn bản .docx theo Nghị "
                            "định 30/2020/NĐ-CP")
    layout.add_argument("files", nargs="+", type=Path, metavar="TỆP.docx")
    args = parser.parse_args(argv)
    try:
        if args.command == "check-layout":  # needs no campaign config
            return cmd_check_layout(args.files)
        if args.command == "serve" and args.hash_password:  # needs no campaign config either
            return cmd_hash_password()
        config = load(args.config)
        configure_logs(config.path("state") if args.command in ("run", "watch", "worker")
                       else None)
        if args.command == "watch":
            return cmd_watch(config, args.config)
        if args.command == "serve":
            return cmd_serve(config, args.host or config.web.host, args.port or config.web.port)
        if args.command == "history":
            return cmd_history(config, args)
        if args.command == "worker":
            return cmd_worker(config, args.concurrency)
        if args.command == "ledger-copy":
            return cmd_ledger_copy(config, args.to)
        return COMMANDS[args.command](config)
    except DocflowError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_OK


def cmd_run(config: Config) -> int:
    """Process everything waiting now, then exit: 1 if any file was rejected, 2 if any failed."""
    ws = Workspace.open(config)
    try:
        outcomes = process_all(ws)
    finally:
        ws.close()
    for outcome in outcomes:
        _print(outcome)
    print(f"Đã xử lý {len(outcomes)} tệp.")
    failed = sum(1 for o in outcomes if o.status == Status.FAILED)
    if failed:
        print(f"Lỗi: {failed} tệp chưa xử lý được vì lỗi của hệ thống (không phải của đơn vị); "
              "xem outbox/_quan-tri/. Các tệp này được giữ trong state/work/ và sẽ được xử lý "
              "lại ở lần chạy sau.", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_REJECTED if any(o.status == Status.REJECTED for o in outcomes) else EXIT_OK


def cmd_watch(config: Config, config_path: Path) -> int:
    """Watch the inbox until SIGINT or SIGTERM; config and templates reload when they change."""
    from docflow.watch import Watcher  # watchdog threads are only needed here

    # Each worker process opens its own workspace and LibreOffice; the service converts nothing.
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


def cmd_ledger_copy(config: Config, url: str) -> int:
    """Copy the campaign's SQLite ledger into an empty PostgreSQL database."""
    source = config.path("state") / "ledger.sqlite3"
    counts = copy_ledger(source, url)
    for table, count in counts.items():
        print(f"  {table}: {count} dòng")
    print(f"Đã chép sổ theo dõi {source} sang PostgreSQL. Ghi [ledger] url = \"{url}\" vào "
          "config.toml rồi khởi động lại docflow trên mọi máy.")
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


def cmd_status(config: Config) -> int:
    """Print files by state and unit, the queue, the last errors and each root's watch mode."""
    from docflow.watch import status_text

    from docflow.engine import engine_status

    print(status_text(config))
    lines = engine_status(config)
    if lines:
        print("\n".join(lines))
    return EXIT_OK


def cmd_forms(config: Config) -> int:
    """Write the blank forms into templates/forms/."""
    folder = config.path("templates") / "forms"
    awards = tuple(a.name for a in config.awards)
    for form in config.forms.values():
        path = deliver(blank_form(form, awards), folder / f"{form.code}-{slug(form.title)}.xlsx")
        print(f"Đã tạo {path}")
        if form.code in WORD_FORMS:
            path = deliver(blank_word_form(form, awards),
                           folder / f"{form.code}-{slug(form.title)}.docx")
            print(f"Đã tạo {path}")
    return EXIT_OK


def cmd_history(config: Config, args: argparse.Namespace) -> int:
    """Print a person's awards and titles by year; list or confirm the register's doubts."""
    from docflow.history import Register, history_text
    from docflow.text import parse_date

    try:
        born = parse_date(args.born) if args.born else None
    except ValueError:
        born = None
    if args.born and born is None:
        print(f"Lỗi: ngày sinh “{args.born}” không hợp lệ; ghi dạng dd/mm/yyyy.", file=sys.stderr)
        return EXIT_ERROR
    register = Register(config.register_path(), config)
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

    failed = False
    for path in files:
        problems = check_layout(path)
        print(format_report(path, problems))
        failed = failed or any(p.severity.value == "lỗi" for p in problems)
    return EXIT_REJECTED if failed else EXIT_OK


def _print(outcome: Outcome) -> None:
    errors = sum(1 for p in outcome.problems if p.is_error)
    extra = f", {errors} lỗi" if errors else ""
    print(f"[{outcome.unit or '?'}] {outcome.name}: {STATUS_WORDS[outcome.status]}{extra}",
          flush=True)


COMMANDS = {"run": cmd_run, "check": cmd_check, "forms": cmd_forms, "status": cmd_status}
