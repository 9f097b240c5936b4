"""A workspace: the config, its folders, the ledger, the renderer and the clock, opened once."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable

from docflow.config import Config
from docflow.convert import Converter, open_converter
from docflow.errors import ConversionError
from docflow.store import deliver
from docflow.convert import require_programs
from docflow.store import Books, Claims, Ledger, open_ledger
from docflow.documents import Renderer
from docflow.history import Register, open_register

Clock = Callable[[], dt.datetime]
log = logging.getLogger("docflow")


@dataclass
class Workspace:
    """Everything processing needs, passed in so tests control folders and time."""

    config: Config
    ledger: Ledger
    renderer: Renderer
    clock: Clock = dt.datetime.now
    converter: Converter | None = None
    _register: Register | None = field(default=None, repr=False)

    @classmethod
    def open(cls, config: Config, clock: Clock = dt.datetime.now,
             converter: Converter | None | str = "config") -> "Workspace":
        """Open the ledger and templates of a loaded config, and the PDF converter it asks for."""
        ledger = open_ledger(config)
        if converter == "config":
            converter = pdf_converter(config)
        return cls(config, ledger, Renderer(config.path("templates")), clock, converter)

    @property
    def inbox(self) -> Path:
        """The inbox root."""
        return self.config.path("inbox")

    @property
    def outbox(self) -> Path:
        """The outbox root."""
        return self.config.path("outbox")

    @cached_property
    def books(self) -> Books:
        """This campaign's numbering register and award books, in the ledger's database."""
        return Books(self.ledger)

    @cached_property
    def claims(self) -> Claims:
        """Who took which inbox file, in the ledger's database (one claim per arrival)."""
        return Claims(self.ledger)

    def deliver(self, data: bytes, dest: Path) -> Path:
        """Publish a file atomically, its temporary kept out of the outbox where possible."""
        return deliver(data, dest, self.state("staging"))

    def state(self, name: str) -> Path:
        """A folder in the state area: work, archive or rejected."""
        return self.config.path("state") / name

    def register(self) -> Register:
        """The office's award register, opened on first use (most files never need it)."""
        if self._register is None:
            self._register = open_register(self.config)
        return self._register

    def close(self) -> None:
        """Release the ledger and the register, and stop LibreOffice."""
        if self.converter is not None:
            self.converter.close()
        if self._register is not None:
            self._register.close()
        self.ledger.close()


def pdf_converter(config: Config) -> Converter | None:
    """LibreOffice when PDFs are wanted and it is installed; else Word only, and say why."""
    if not config.output.pdf:
        return None
    try:
        require_programs(config.output.soffice, config.output.uno_python)
    except ConversionError as exc:
        log.warning("Chỉ xuất văn bản Word, không xuất PDF: %s", exc)
        return None
    return open_converter(config.output, config.path("state"))


def unit_folders(config: Config, day: dt.date) -> list[Path]:
    """Create inbox/<UNIT>/ and outbox/<UNIT>/ of every unit active on `day`; the new ones."""
    made = []
    for unit in config.units:
        if not unit.valid_on(day):
            continue  # a unit merged or not yet founded gets no folder to drop files into
        for root in (config.path("inbox"), config.path("outbox")):
            folder = root / unit.code
            if not folder.is_dir():
                folder.mkdir(parents=True, exist_ok=True)
                made.append(folder)
    return made
