"""What every benchmark shares: workspaces and inputs built in code, figures, memory, the service.

Nothing here measures anything by itself. Each bench module builds its own temporary workspace
(a copy of config.toml and templates/, like the tests do), runs docflow on generated workbooks,
and returns `Figure`s that run.py prints and writes to bench/RESULTS.md.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
for _p in (str(ROOT), str(ROOT / "tests")):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from builders import (CHAIRMAN, DN_COLUMNS, DN_INFO_LABELS, collective, dn_info,  # noqa: E402
                      dn_workbook, person, workspace)

PYTHON = sys.executable
GK = "Giấy khen"
SUMMARY = "_tong-hop"
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


# ------------------------------------------------------------------------------------------
# Figures


@dataclass
class Figure:
    """One measured number, its target (`le` = at most, `ge` = at least) and how it compares."""

    section: str
    name: str
    value: float | None
    unit: str
    target: float | None = None
    sense: str = "le"           # "le": value must be ≤ target; "ge": ≥ target
    note: str = ""
    target_text: str = ""       # how the target is written when it is derived (e.g. "≤ 0.5 + 0.3 s")

    @property
    def met(self) -> bool | None:
        """True/False against the target; None when there is no target or no value."""
        if self.target is None or self.value is None:
            return None
        return self.value <= self.target if self.sense == "le" else self.value >= self.target

    def cells(self) -> list[str]:
        """Value, target, distance from the target, verdict: the table's cells."""
        value = "—" if self.value is None else f"{fmt(self.value)} {self.unit}".strip()
        if self.target is None:
            return [value, "—", "—", "info" if self.value is not None else "not measured"]
        target = self.target_text or f"{'≤' if self.sense == 'le' else '≥'} {fmt(self.target)} " \
                                     f"{self.unit}".strip()
        if self.value is None:
            return [value, target, "—", "NOT MEASURED"]
        diff = self.value - self.target
        ratio = self.value / self.target if self.target else float("inf")
        gap = f"{'+' if diff >= 0 else '−'}{fmt(abs(diff))} {self.unit} ({ratio:.2f}× target)"
        return [value, target, gap.replace("  ", " "), "met" if self.met else "MISSED"]


def fmt(x: float) -> str:
    """Numbers with as many digits as they deserve."""
    a = abs(x)
    if a >= 100:
        return f"{x:,.0f}"
    if a >= 10:
        return f"{x:.1f}"
    if a >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


class Skip(Exception):
    """A measurement that cannot run on this machine (say why)."""


@dataclass
class Context:
    """What run.py hands each bench module."""

    quick: bool
    tmp: Path
    log: Callable[[str], None] = print
    extra: dict[str, Any] = field(default_factory=dict)

    def folder(self, name: str) -> Path:
        path = self.tmp / name
        path.mkdir(parents=True, exist_ok=True)
        return path


# ------------------------------------------------------------------------------------------
# Workspaces and inputs


def unit_codes(n: int) -> list[str]:
    """Generated unit codes DV001 … (added to the copied config by `make_workspace`)."""
    return [f"DV{i:03d}" for i in range(1, n + 1)]


def make_workspace(folder: Path, *, pdf: bool = False, units: int = 100,
                   watch: dict[str, Any] | None = None, output: dict[str, Any] | None = None,
                   quotas: bool = True) -> Path:
    """A fresh workspace (tests/builders.workspace) with `units` generated [[units]] entries,
    [watch]/[output] keys overridden, and the per-unit quotas dropped when `quotas` is False."""
    folder.mkdir(parents=True, exist_ok=True)
    config = workspace(folder, pdf=pdf)
    text = config.read_text(encoding="utf-8")
    for section, values in (("watch", watch or {}), ("output", output or {})):
        for key, value in values.items():
            text = set_key(text, section, key, value)
    if not quotas:
        text = re.sub(r"(?m)^\[\[quotas\]\]\n(?:(?!^\[).*\n)*", "", text)
    text += "\n# Đơn vị sinh thêm cho bench/\n" + "".join(
        f'[[units]]\ncode = "{code}"\nname = "Đơn vị thử nghiệm số {code[2:]}"\nkind = "so"\n'
        f'head_title = "Giám đốc"\nvalid_from = 2008-04-01\n\n' for code in unit_codes(units))
    config.write_text(text, encoding="utf-8")
    for code in unit_codes(units):
        (folder / "inbox" / code).mkdir(parents=True, exist_ok=True)
    return config


def set_key(text: str, section: str, key: str, value: Any) -> str:
    """Replace `key = …` inside `[section]` of a TOML text (the line's comment is dropped)."""
    literal = (f'"{value}"' if isinstance(value, str) else
               ("true" if value else "false") if isinstance(value, bool) else repr(value))
    block = re.search(rf"(?ms)^\[{re.escape(section)}\][^\n]*\n(.*?)(?=^\[|\Z)", text)
    if block is None:
        raise KeyError(f"[{section}] not in config")
    body, n = re.subn(rf"(?m)^{re.escape(key)}\s*=.*$", f"{key} = {literal}", block.group(1))
    if n == 0:
        body = f"{key} = {literal}\n" + body
    return text[:block.start(1)] + body + text[block.end(1):]


def dn_rows(tag: str, rows: int, chairman: int = 5) -> list[dict[str, Any]]:
    """`rows` nominees with names unique to `tag`: the first `chairman` for the Chairman's
    Bằng khen (one collective, then people), the rest for the unit head's Giấy khen."""
    out = []
    for i in range(rows):
        award = CHAIRMAN if i < chairman else GK
        if i % 10 == 0:
            out.append(collective(f"Phòng Nghiệp vụ {tag}-{i + 1}", award=award))
        else:
            out.append(person(f"Nguyễn Văn {tag}-{i + 1}", gender="Nam" if i % 2 else "Nữ",
                              award=award, birth_date=dt.date(1970 + i % 30, 1 + i % 12,
                                                              1 + i % 28)))
    return out


def write_dn(path: Path, unit: str, rows: list[dict[str, Any]]) -> Path:
    """A filled DN workbook (tests/builders.dn_workbook: openpyxl, normal mode)."""
    return dn_workbook(path, dn_info(unit, unit_name=f"Đơn vị thử nghiệm số {unit[2:]}"), rows)


def write_dn_excel_like(path: Path, unit: str, rows: Iterable[dict[str, Any]]) -> Path:
    """The same workbook as `write_dn`, written the way Excel saves it: text in a shared-string
    table, a <dimension> at the top of each sheet, dates as serial numbers with a date format.

    openpyxl (which tests/builders uses) writes every text cell inline and, in write-only mode,
    no <dimension>: openpyxl then reads a sheet twice and parses each text cell as a small XML
    tree, which makes reading ~1.5× slower than reading what Excel or LibreOffice save. Written
    here directly, it is also ten times faster to make than with openpyxl.
    """
    strings: dict[str, int] = {}
    epoch = dt.date(1899, 12, 30)

    def cell(ref: str, value: Any) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, (int, float)):
            return f'<c r="{ref}"><v>{value}</v></c>'
        if isinstance(value, dt.date):
            return f'<c r="{ref}" s="1"><v>{(value - epoch).days}</v></c>'
        index = strings.setdefault(str(value), len(strings))
        return f'<c r="{ref}" t="s"><v>{index}</v></c>'

    def sheet(table: list[list[Any]]) -> str:
        width = max((len(r) for r in table), default=1)
        letters = [_column(i) for i in range(width)]
        body = "".join(
            f'<row r="{r}">' + "".join(cell(f"{letters[c]}{r}", v) for c, v in enumerate(row))
            + "</row>" for r, row in enumerate(table, start=1))
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
                f'"{_MAIN}" xmlns:r="{_REL}"><dimension ref="A1:{letters[-1]}{len(table)}"/>'
                f'<sheetData>{body}</sheetData></worksheet>')

    keys = list(DN_COLUMNS)
    info = [[DN_INFO_LABELS[k], v] for k, v in
            dn_info(unit, unit_name=f"Đơn vị thử nghiệm số {unit[2:]}").items()]
    table = [[DN_COLUMNS[k] for k in keys]]
    table += [[i if k == "stt" else row.get(k) for k in keys] for i, row in enumerate(rows, 1)]
    sheets = [("Thông tin", sheet(info), ""), ("Danh sách", sheet(table), ""),
              ("_docflow", sheet([["DN"], [1]]), ' state="hidden"')]
    shared = "".join(f"<si><t xml:space=\"preserve\">{_escape(t)}</t></si>" for t in strings)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://'
            'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
            'Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            f'ContentType="{_CT}.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType='
            f'"{_CT}.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}'
            '.sharedStrings+xml"/>' + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}.worksheet'
                '+xml"/>' for i in range(1, len(sheets) + 1)) + "</Types>"),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="'
            'http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1"'
            f' Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}"'
            f' xmlns:r="{_REL}"><sheets>' + "".join(
                f'<sheet name="{_escape(name)}" sheetId="{i}"{state} r:id="rId{i}"/>'
                for i, (name, _, state) in enumerate(sheets, 1)) + "</sheets></workbook>"),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="'
            'http://schemas.openxmlformats.org/package/2006/relationships">' + "".join(
                f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" '
                f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
            + f'<Relationship Id="rId{len(sheets) + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{len(sheets) + 2}" Type="{_REL}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'),
        "xl/styles.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN}">'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill '
            'patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/>'
            '<top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0"'
            ' fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId='
            '"0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" '
            'fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1">'
            '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'),
        "xl/sharedStrings.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_MAIN}" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{shared}</sst>'),
    }
    parts.update({f"xl/worksheets/sheet{i}.xml": xml for i, (_, xml, _) in enumerate(sheets, 1)})
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, xml in parts.items():
            zf.writestr(name, xml)
    return path


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _column(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def docx_text(path: Path) -> str:
    """word/document.xml of a docx, for counting names in it."""
    with zipfile.ZipFile(path) as zf:
        return zf.read("word/document.xml").decode("utf-8")


# ------------------------------------------------------------------------------------------
# Memory of a process tree


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(b")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def tree(pid: int) -> list[int]:
    """pid and all its descendants now alive."""
    kids, out, todo = _children_map(), [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def rss_mb(pids: Iterable[int]) -> tuple[float, float]:
    """(sum of RSS, sum of PSS) in MB; PSS splits shared pages fairly between processes."""
    rss = pss = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/statm") as fh:
                rss += int(fh.read().split()[1]) * PAGE
        except OSError:
            continue
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
                        break
        except OSError:
            pass
    return rss / 2**20, pss / 2**20


def has_proc() -> bool:
    return Path("/proc/self/statm").exists()


class TreeSampler:
    """Samples the RSS (and PSS) of a process tree every `interval` s on a thread; keeps peaks."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid, self.interval = pid, interval
        self.peak_rss = self.peak_pss = 0.0
        self.peak_pids: list[int] = []
        self.seen: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "TreeSampler":
        self._thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def sample(self) -> None:
        pids = tree(self.pid)
        self.seen.update(pids)
        rss, pss = rss_mb(pids)
        if rss > self.peak_rss:
            self.peak_rss, self.peak_pids = rss, pids
        self.peak_pss = max(self.peak_pss, pss)

    def _run(self) -> None:
        while not self._stop.is_set():
            if has_proc():
                self.sample()
            self._stop.wait(self.interval)


def vm_hwm_mb() -> float:
    """This process's peak RSS (VmHWM) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_hwm() -> bool:
    """Reset VmHWM to the current RSS (Linux ≥ 4.0: write 5 to clear_refs); True if it worked."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def current_rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * PAGE / 2**20


# ------------------------------------------------------------------------------------------
# Waiting, and `docflow watch` as a black box


def wait_for(check: Callable[[], Any], timeout: float, interval: float = 0.01,
             what: str = "condition") -> Any:
    """Poll `check` until it returns something truthy; TimeoutError after `timeout` s."""
    end = time.monotonic() + timeout
    while True:
        got = check()
        if got:
            return got
        if time.monotonic() > end:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)


class Service:
    """`docflow --config X watch` started as a subprocess; stopped with SIGINT, then by force.

    Every process it starts (workers, the UNO bridges, LibreOffice) is remembered by id while
    it runs, so that anything left after the stop is ended by id and nothing else is touched.
    """

    def __init__(self, config: Path, log_path: Path) -> None:
        self.config, self.log_path = config, log_path
        self.proc: subprocess.Popen[bytes] | None = None
        self.known: set[tuple[int, str]] = set()   # (pid, start time): a reused pid never matches

    def start(self) -> "Service":
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen([PYTHON, "-m", "docflow", "--config", str(self.config),
                                      "watch"], stdout=self._log, stderr=subprocess.STDOUT,
                                     cwd=str(self.config.parent), env=env,
                                     start_new_session=True)
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def remember(self) -> list[int]:
        """Note the service's process tree now (done during the run; cheap)."""
        pids = tree(self.pid) if self.alive() else []
        self.known.update((p, _started(p)) for p in pids)
        return pids

    def check(self) -> None:
        """Raise if the service died; its log tail says why."""
        if not self.alive():
            raise RuntimeError(f"docflow watch exited (code {self.proc.returncode if self.proc else '?'}): "
                               f"{self.tail()}")

    def tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text("utf-8", "replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, timeout: float = 30.0) -> None:
        if self.proc is None:
            return
        self.remember()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        # The workers' LibreOffice instances live in process groups of their own: if the clean
        # stop left any of them, end them by id (only processes this service started).
        time.sleep(0.2)
        for pid, started in sorted(self.known):
            if pid == self.proc.pid or not started or _started(pid) != started:
                continue  # gone, or the id now belongs to another process
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self._log.close()
        self.proc = None

    def __enter__(self) -> "Service":
        return self.start()

    def __exit__(self, *_: Any) -> None:
        self.stop()


def _started(pid: int) -> str:
    """A process's start time (clock ticks since boot), "" when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return ""
    return stat[stat.rfind(b")") + 2:].split()[19].decode()


def receipt_of(outbox: Path, unit: str, stem: str, pdf: bool) -> float | None:
    """Wall time at which the receipt for `stem` became visible (docx, and its PDF when asked);
    None while it is not there. A Phiếu báo lỗi for it raises: the bench input was wrong."""
    folder = outbox / unit
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return None
    want = f"-Phieu-tiep-nhan-{stem}.docx"
    for name in names:
        if name.endswith(want):
            if pdf and name[:-5] + ".pdf" not in names:
                return None
            return time.time()
        if f"Phieu-bao-loi-{stem}" in name and name.endswith(".txt"):
            raise RuntimeError(f"{unit}/{stem} rejected: "
                               f"{(folder / name).read_text('utf-8')[:800]}")
    return None


# ------------------------------------------------------------------------------------------
# The machine


def machine() -> dict[str, str]:
    """CPU model, cores, RAM, load average, LibreOffice and Python versions, date."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines()
                      if l.startswith("MemTotal")).split()[1])
        ram = f"{kb / 2**20:.1f} GiB"
    except (OSError, StopIteration):
        pass
    try:
        office = subprocess.run(["soffice", "--version"], capture_output=True, text=True,
                                timeout=60).stdout.strip() or "?"
    except (OSError, subprocess.TimeoutExpired):
        office = "not installed"
    try:
        node = subprocess.run(["node", "--version"], capture_output=True, text=True,
                              timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        node = "not installed"
    import platform

    versions = []
    for mod in ("docxtpl", "openpyxl", "lxml", "jinja2", "watchdog", "pypdf"):
        try:
            from importlib.metadata import version
            versions.append(f"{mod} {version(mod)}")
        except Exception:
            pass
    return {"date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "cpu": cpu, "cores": str(os.cpu_count()), "ram": ram,
            "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
            "os": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), "libreoffice": office, "node": node,
            "libraries": ", ".join(versions)}


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100)."""
    s = sorted(values)
    if not s:
        return float("nan")
    k = (len(s) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def have_office() -> bool:
    import shutil
    return shutil.which("soffice") is not None and Path("/usr/bin/python3").exists()
