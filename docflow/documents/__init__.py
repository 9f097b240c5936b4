"""Which documents a record feeds and with what data; receipts, error slips and notices; reports;
rendering in a sandbox."""

import importlib
from typing import Any

from docflow.documents.catalog import (aggregate_documents, also_stale, describe, draft_keys,
                                      draft_versions, feeding_form, feeding_forms, file_stem,
                                      stale_keys, unit_documents, unit_key)

# Rendering (docxtpl, openpyxl, the template checks) loads on first use of one of its names, so
# that `docflow status`, which only describes the drafts, answers at once.
_LAZY = {"annotate_workbook": "annotate", "TEMPLATE_FILES": "checks",
         "check_templates": "checks", "previews": "checks", "template_notes": "checks",
         "Document": "contexts", "documents_from_json": "contexts",
         "documents_to_json": "contexts", "find_mark": "marks", "footer_line": "marks",
         "stamp": "marks", "of_award": "listing", "unit_runs": "listing", "RoundFacts": "proposal", "Skipped": "proposal",
         "Renderer": "render", "NOT_IN_DECISION": "results", "results_notice": "results",
         "ResultOutcome": "results:Outcome", "reminders": "reminders:", "notices": "notices:"}

__all__ = ["NOT_IN_DECISION", "ResultOutcome", "results_notice", "Document", "Renderer", "RoundFacts", "Skipped", "documents_from_json", "documents_to_json", "find_mark", "footer_line", "of_award", "stamp", "unit_runs", "TEMPLATE_FILES", "aggregate_documents", "also_stale", "annotate_workbook", "check_templates", "describe", "draft_keys", "draft_versions", "feeding_form", "feeding_forms", "file_stem", "notices", "previews", "reminders", "stale_keys", "template_notes", "unit_documents", "unit_key"]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, _, attribute = _LAZY[name].partition(":")
    found = importlib.import_module(f"{__name__}.{module}")
    value = found if _LAZY[name].endswith(":") else getattr(found, attribute or name)
    globals()[name] = value
    return value
