"""Which documents a record feeds and with what data; receipts, error slips and notices; reports;
rendering in a sandbox."""

from docflow.documents import reminders
from docflow.documents.annotate import annotate_workbook
from docflow.documents.catalog import (aggregate_documents, also_stale, describe, draft_keys,
                                      draft_versions, feeding_form, feeding_forms, file_stem,
                                      stale_keys, unit_documents, unit_key)
from docflow.documents.checks import TEMPLATE_FILES, check_templates, previews, template_notes
from docflow.documents.contexts import Document, documents_from_json, documents_to_json
from docflow.documents.marks import find_mark, footer_line, stamp
from docflow.documents.proposal import RoundFacts, Skipped
from docflow.documents.render import Renderer
from docflow.documents.results import NOT_IN_DECISION, results_notice
from docflow.documents.results import Outcome as ResultOutcome

__all__ = ["NOT_IN_DECISION", "ResultOutcome", "results_notice", "Document", "Renderer", "RoundFacts", "Skipped", "documents_from_json", "documents_to_json", "find_mark", "footer_line", "stamp", "TEMPLATE_FILES", "aggregate_documents", "also_stale", "annotate_workbook", "check_templates", "describe", "draft_keys", "draft_versions", "feeding_form", "feeding_forms", "file_stem", "notices", "previews", "reminders", "stale_keys", "template_notes", "unit_documents", "unit_key"]
