"""The `docflow` command line in Vietnamese: help, usage and every argument error.

argparse writes its own words in English ("usage:", "invalid choice", "the following arguments
are required"); the office reading them does not. This parser says them in Vietnamese and
names the closest command when one is misspelt.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import textwrap
from pathlib import Path
from typing import NoReturn

EXIT_OK, EXIT_REJECTED, EXIT_ERROR, EXIT_NOT_RUNNING = 0, 1, 2, 3

EXIT_CODES = """\
Mã thoát (để dùng trong script, Task Scheduler, systemd):
  0  thành công
  1  có tệp bị trả lại (run) hoặc văn bản có lỗi thể thức (check-layout)
  2  lỗi: cấu hình hoặc mẫu Word sai, tham số dòng lệnh sai, tệp không đọc được,
     hoặc có tệp chưa xử lý được vì lỗi hệ thống
  3  status --expect-running: dịch vụ docflow không chạy
"""

COMMANDS = {
    "run": ("xử lý mọi tệp đang có trong inbox rồi thoát",
            "Xử lý một lần mọi tệp đang chờ trong inbox/<MÃ ĐƠN VỊ>/: tiếp nhận hoặc trả lại, "
            "ghi phiếu vào outbox/ và cập nhật các văn bản tổng hợp, rồi thoát."),
    "watch": ("theo dõi inbox và xử lý tệp khi có (dừng bằng Ctrl+C)",
              "Chạy liên tục: xử lý từng tệp ngay khi đơn vị chép vào inbox/, tự áp dụng thay "
              "đổi của config.toml và mẫu Word khi chúng hợp lệ. Dừng bằng Ctrl+C."),
    "refresh": ("lập lại mọi dự thảo theo cấu hình và mẫu Word hiện tại",
                "Lập lại mọi dự thảo (quyết định, tờ trình, báo cáo tổng hợp, văn bản của đơn "
                "vị) từ các hồ sơ đã tiếp nhận, theo cấu hình và mẫu Word hiện tại, rồi thoát."),
    "check": ("kiểm tra cấu hình và các mẫu Word",
              "Đọc config.toml và điền dữ liệu mẫu vào từng mẫu Word; liệt kê mọi lỗi cùng "
              "dòng và cách sửa, cùng các biến mỗi mẫu dùng được."),
    "status": ("tình trạng: dịch vụ, hàng đợi, tệp theo đơn vị, lỗi gần đây",
               "Cho biết dịch vụ docflow có đang chạy không, các tệp đang chờ, số tệp của mỗi "
               "đơn vị theo trạng thái và các lỗi gần đây chưa khắc phục."),
    "forms": ("tạo các biểu mẫu trống vào templates/forms/",
              "Tạo các biểu mẫu Excel trống (và bản Word của biểu mẫu BC) theo config.toml vào "
              "thư mục templates/forms/ để gửi cho các đơn vị."),
    "serve": ("mở bảng theo dõi (chỉ xem) trên trình duyệt",
              "Mở bảng theo dõi phong trào cho văn phòng: đơn vị nào đã gửi gì, ai trễ hạn, dự "
              "thảo hiện hành, vấn đề cần xử lý. Mặc định chỉ máy này xem được ([web] trong "
              "config.toml); địa chỉ khác thì phải đăng nhập bằng tài khoản [[web.accounts]]."),
    "history": ("lịch sử khen thưởng của một người, tập thể theo sổ theo dõi khen thưởng",
                "In các danh hiệu, hình thức khen thưởng của một người hay tập thể theo từng "
                "năm, kèm số và ngày quyết định; --pending liệt kê các dòng chờ văn phòng xác "
                "nhận, --confirm xác nhận một dòng."),
    "worker": ("chạy một worker Celery nhận việc từ hàng đợi (khi [engine] kind = \"celery\")",
               "Chạy một worker Celery trên máy này: nhận từng tệp từ hàng đợi Redis, xử lý với "
               "LibreOffice của riêng máy, ghi kết quả vào sổ theo dõi PostgreSQL. Dùng khi "
               "[engine] kind = \"celery\" (xem docs/deploy/nhieu-may.md)."),
    "ledger-copy": ("chép sổ theo dõi SQLite của đợt sang PostgreSQL",
                    "Chép toàn bộ sổ theo dõi SQLite của đợt (state/ledger.sqlite3) sang một cơ "
                    "sở dữ liệu PostgreSQL mới tạo, khi chuyển sang chạy trên nhiều máy; sổ "
                    "theo dõi khen thưởng của văn phòng (nếu có) được chép theo."),
    "check-layout": ("kiểm tra thể thức văn bản .docx theo Nghị định 30/2020/NĐ-CP",
                     "Kiểm tra thể thức (quốc hiệu, số ký hiệu, nơi nhận, chữ ký…) của một hay "
                     "nhiều văn bản Word .docx theo Nghị định 30/2020/NĐ-CP. Không cần "
                     "config.toml."),
}

_ERRORS = [
    (re.compile(r"the following arguments are required: (.*)"), lambda m: f"thiếu {m[1]}."),
    (re.compile(r"unrecognized arguments: (.*)"),
     lambda m: f"không hiểu tham số {m[1]}; xem `docflow --help`."),
    (re.compile(r"expected one argument"), lambda m: "cần một giá trị ngay sau tùy chọn này."),
    (re.compile(r"expected at least one argument"), lambda m: "cần ít nhất một giá trị."),
    (re.compile(r"ambiguous option: (\S+) could match (.*)"),
     lambda m: f"tùy chọn {m[1]} chưa rõ, có thể là: {m[2]}."),
    (re.compile(r"invalid \S+ value: (.*)"), lambda m: f"giá trị không hợp lệ: {m[1]}."),
]
_CHOICE = re.compile(r"invalid choice: '(?P<value>[^']*)' \(choose from (?P<choices>.*)\)")
_ARGUMENT = re.compile(r"argument (?P<name>[^:]+): (?P<rest>.*)", re.S)


def vietnamese(message: str) -> str:
    """argparse's English error message in Vietnamese (unknown ones are left as they are)."""
    found = _ARGUMENT.fullmatch(message)
    if found:
        name = found["name"].split("/")[-1]
        return f"{name}: {vietnamese(found['rest'])}"
    found = _CHOICE.fullmatch(message)
    if found:
        choices = [c.strip(" '") for c in found["choices"].split(",")]
        near = difflib.get_close_matches(found["value"], choices, n=1, cutoff=0.5)
        guess = f" Có phải ý bạn là {near[0]}?" if near else ""
        return (f"không có lệnh hay lựa chọn '{found['value']}'.{guess} Chọn một trong: "
                + ", ".join(choices) + ".")
    for pattern, say in _ERRORS:
        match = pattern.search(message)
        if match:
            return say(match)
    return message


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001 - argparse's own
        super().add_usage(usage, actions, groups, "cách dùng: " if prefix is None else prefix)


class VietnameseParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors a Vietnamese office can read."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - argparse's signature
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="xem hướng dẫn này rồi thoát")

    def error(self, message: str) -> NoReturn:
        """Print the usage and the Vietnamese message; exit with EXIT_ERROR."""
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: lỗi: {vietnamese(message)}\n"
                              f"Xem hướng dẫn: {self.prog} --help\n")


def build(version: str) -> argparse.ArgumentParser:
    """The whole command line: global options and one subparser per command."""
    parser = VietnameseParser(
        prog="docflow", epilog=EXIT_CODES,
        description="Tiếp nhận biểu mẫu thi đua, khen thưởng từ thư mục inbox/ và lập văn bản "
                    "vào outbox/.")
    parser.add_argument("--config", default="config.toml", type=Path, metavar="TỆP",
                        help="tệp cấu hình (mặc định: config.toml ở thư mục hiện tại)")
    parser.add_argument("--version", action="version", version=f"docflow {version}",
                        help="xem phiên bản docflow rồi thoát")
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH",
                                title="các lệnh")
    parsers = {}
    for name, (short, long) in COMMANDS.items():
        parsers[name] = sub.add_parser(name, help=short, description=textwrap.fill(long, 78),
                                       epilog=EXIT_CODES)
    parsers["status"].add_argument(
        "--expect-running", action="store_true",
        help="thoát với mã 3 nếu dịch vụ docflow không chạy (để giám sát tự động)")
    parsers["run"].add_argument("--no-progress", action="store_true",
                                help="không hiện thanh tiến độ, chỉ in từng dòng kết quả")
    serve = parsers["serve"]
    serve.add_argument("--host", help="địa chỉ nghe (mặc định [web] host, 127.0.0.1); địa chỉ "
                       "khác máy này thì phải đăng nhập bằng tài khoản [[web.accounts]]")
    serve.add_argument("--port", type=int, help="cổng (mặc định [web] port, 8080)")
    serve.add_argument("--hash-password", action="store_true", help="hỏi một mật khẩu và in dòng "
                       "password_hash để dán vào [[web.accounts]], rồi thoát")
    history = parsers["history"]
    history.add_argument("name", nargs="?", default="", metavar="HỌ_TÊN",
                         help="họ và tên (hoặc tên tập thể)")
    history.add_argument("--born", default="", metavar="dd/mm/yyyy", help="ngày sinh")
    history.add_argument("--pending", action="store_true",
                         help="liệt kê các dòng chờ văn phòng xác nhận")
    history.add_argument("--confirm", type=int, metavar="SỐ", help="xác nhận một dòng chờ")
    history.add_argument("--person", type=int, metavar="MÃ", help="…thuộc người có mã này trong "
                         "sổ (bỏ trống: là người mới)")
    parsers["worker"].add_argument("--concurrency", type=int, default=1, metavar="N",
                                   help="số tiến trình xử lý trên máy này (mặc định 1)")
    parsers["ledger-copy"].add_argument("--to", required=True, metavar="postgresql://…",
                                        help="địa chỉ một cơ sở dữ liệu PostgreSQL mới tạo")
    parsers["ledger-copy"].add_argument("--register", action="store_true",
                                        help="chỉ chép sổ theo dõi khen thưởng của văn phòng")
    parsers["check-layout"].add_argument("files", nargs="+", type=Path, metavar="TỆP.docx",
                                         help="một hay nhiều văn bản Word .docx")
    return parser
