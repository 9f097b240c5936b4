"""How docflow runs, as config.toml's [intake], [watch], [engine], [ledger], [output] and [web]
say: limits, the hot folders, where jobs run, where the ledger lives, PDF, the dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Intake:
    """Limits and waits when receiving files."""

    attachment_wait_minutes: float = 10.0
    max_zip_bytes: int = 200 * 1024 * 1024
    max_zip_entries: int = 200


@dataclass(frozen=True)
class Watch:
    """Hot-folder settings (see [watch] in config.toml for what each means)."""

    mode: Literal["auto", "native", "polling"] = "auto"
    stability_seconds: float = 2.0
    poll_seconds: float = 1.0
    rescan_seconds: float = 60.0
    workers: int = 3  # cores + 1: workers share the service's LibreOffice (convert/shared.py)
    file_timeout_seconds: float = 300.0
    probe_seconds: float = 2.0


@dataclass(frozen=True)
class Engine:
    """Where jobs run: "embedded" (worker processes of `docflow watch`) or "celery" (workers on
    several machines, fed through the broker)."""

    kind: Literal["embedded", "celery"] = "embedded"
    broker: str = "redis://127.0.0.1:6379/0"
    result_backend: str = ""   # empty: the broker's Redis also carries each job's answer


@dataclass(frozen=True)
class LedgerSettings:
    """Where the ledger lives: empty url = SQLite in the state folder; postgresql://… otherwise."""

    url: str = ""


@dataclass(frozen=True)
class Output:
    """What is produced besides Word documents, and how LibreOffice is run for PDF."""

    pdf: bool = False
    instances: int = 2
    timeout_seconds: float = 60.0
    restart_after_jobs: int = 200
    restart_above_mb: int = 500
    soffice: str = "soffice"
    uno_python: str = "/usr/bin/python3"


@dataclass(frozen=True)
class Account:
    """A login to the dashboard; `unit` empty means the office, which sees every unit."""

    name: str
    password_hash: str  # made by `docflow serve --hash-password`; never the password itself
    unit: str = ""


@dataclass(frozen=True)
class Web:
    """The office's read-only dashboard (`docflow serve`, or inside `watch` when enabled)."""

    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = 8080
    accounts: tuple[Account, ...] = ()
