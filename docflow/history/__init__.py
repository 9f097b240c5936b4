"""The award register (sổ theo dõi khen thưởng) shared by the office's campaigns, and what it says
about nominees. Imports config, text, models and store only."""

from docflow.history.eligibility import eligibility_failures
from docflow.history.intake import load_record, receipt_counts
from docflow.history.lineage import lineage, unit_named_in
from docflow.history.models import (Counts, Entry, HistoryView, Match, PersonHistory, Seen,
                                    view_key)
from docflow.history.register import Register, copy_register, open_register
from docflow.history.report import history_text

__all__ = ["Counts", "Entry", "HistoryView", "Match", "PersonHistory", "Register", "Seen",
           "copy_register", "open_register", "eligibility_failures", "history_text", "lineage", "load_record", "receipt_counts",
           "unit_named_in", "view_key"]
