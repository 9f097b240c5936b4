"""Form definitions as the administrator writes them in config.toml: forms, sheets, fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from docflow.text import fold

FieldType = Literal["text", "number", "integer", "date", "choice"]
Role = Literal["", "unit_code", "unit_name", "period", "document_date"]


@dataclass(frozen=True)
class FieldSpec:
    """One field (label/value row) or column (table header) and its rules."""

    key: str
    label: str
    type: FieldType = "text"
    required: bool = False
    required_when: dict[str, str] = field(default_factory=dict)
    empty_when: dict[str, str] = field(default_factory=dict)
    choices: tuple[str, ...] = ()
    choices_from: Literal["", "awards"] = ""
    min: float | None = None
    max: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str = ""
    pattern_hint: str = ""
    in_period: bool = False
    not_after: str = ""
    age_min: int | None = None
    age_max: int | None = None
    age_on: str = ""
    default: Any = None
    role: Role = ""
    help: str = ""
    width: float = 0

    @property
    def folded_label(self) -> str:
        """The label as compared with what a clerk typed."""
        return fold(self.label)


@dataclass(frozen=True)
class SheetSpec:
    """A sheet of a form: label/value `fields`, or a `table` with a header row."""

    name: str
    layout: Literal["fields", "table"]
    fields: tuple[FieldSpec, ...]
    min_rows: int = 0
    title: str = ""
    optional: bool = False  # a sheet the unit may leave out (LS's Xếp loại)

    def field(self, key: str) -> FieldSpec | None:
        """The field with this key, if the sheet has it."""
        return next((f for f in self.fields if f.key == key), None)


@dataclass(frozen=True)
class FormSpec:
    """A whole form (DK, BC, DN …): what a unit sends for one purpose."""

    code: str
    title: str
    sheets: tuple[SheetSpec, ...]
    version: int = 1
    instructions: tuple[str, ...] = ()

    def sheet(self, name: str) -> SheetSpec | None:
        """The sheet with this name (folded compare)."""
        key = fold(name)
        return next((s for s in self.sheets if fold(s.name) == key), None)

    def all_fields(self) -> list[tuple[SheetSpec, FieldSpec]]:
        """Every (sheet, field) pair in order."""
        return [(s, f) for s in self.sheets for f in s.fields]

    def field_by_role(self, role: str) -> FieldSpec | None:
        """The label/value field playing a role such as `unit_code`."""
        return next((f for s, f in self.all_fields() if f.role == role and s.layout == "fields"), None)
