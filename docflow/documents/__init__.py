"""documents"""

from docflow.documents.annotate import annotate_workbook
from docflow.documents.catalog import aggregate_documents, describe, feeding_form, file_stem, stale_keys, unit_documents
from docflow.documents.checks import TEMPLATE_FILES, check_templates, previews, template_notes
from docflow.documents.contexts import Document, documents_from_json, documents_to_json
from docflow.documents.render import Renderer

__all__ = ["Document", "documents_from_json", "documents_to_json", "Renderer", "TEMPLATE_FILES", "aggregate_documents", "annotate_workbook", "check_templates", "describe", "feeding_form", "file_stem", "notices", "previews", "stale_keys", "template_notes", "unit_documents"]
