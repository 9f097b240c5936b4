"""Which units count on a date and how a document of that date names them: one rule, used by
validation (forms dated after a unit's end are refused), the award decisions and the summary.

A unit counts on `day` while it exists (valid_from ≤ day ≤ valid_to). A document dated after a
unit's end never presents it as current: its records (accepted while it existed) are shown under
its successor when config names one that exists on that day, else as `<tên đơn vị> (cũ)`.
"""

from __future__ import annotations

import datetime as dt

from docflow.config.model import Config, Unit

FORMER = "(cũ)"


def counts_on(unit: Unit, day: dt.date) -> bool:
    """True when the unit exists on `day`: it may send forms dated then and is expected to."""
    return unit.valid_on(day)


def ended_on(unit: Unit, day: dt.date) -> bool:
    """True when the unit had ended before `day`."""
    return unit.valid_to is not None and day > unit.valid_to


def units_on(config: Config, day: dt.date) -> list[Unit]:
    """The units that count on `day`, in registry order."""
    return [u for u in config.units if counts_on(u, day)]


def presented_as(config: Config, code: str, day: dt.date) -> Unit | None:
    """The unit under which `code`'s records appear on a document dated `day`: itself while it
    exists, else its successor (followed through later mergers) if that exists then, else None."""
    unit, seen = config.unit(code), set()
    while unit is not None and unit.code not in seen:
        if not ended_on(unit, day):
            return unit
        seen.add(unit.code)
        unit = config.unit(unit.successor) if unit.successor else None
    return None


def name_on(config: Config, code: str, day: dt.date) -> str:
    """How a document dated `day` names the unit `code`: its name, its successor's name, or
    `<tên đơn vị> (cũ)` once it has ended with no successor."""
    shown = presented_as(config, code, day)
    if shown is not None:
        return shown.name
    unit = config.unit(code)
    return f"{unit.name} {FORMER}" if unit else code


def group_code_on(config: Config, code: str, day: dt.date) -> str:
    """The code whose group a unit's nominees join on a document dated `day` (the successor's
    when it took over), so one unit never appears twice under two names."""
    shown = presented_as(config, code, day)
    return shown.code if shown is not None else code
