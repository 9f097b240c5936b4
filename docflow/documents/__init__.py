"""documents"""

from docflow.documents.annotate import annotate_workbook
from docflow.documents.catalog import aggregate_documents, also_stale, describe, feeding_form, feeding_forms, file_stem, stale_keys, unit_documents
from docflow.documents.checks import TEMPLATE_FILES, check_templates, previews, template_notes
from docflow.documents.contexts import Document
from docflow.documents.render import Renderer

__all__ = ["Document", "Renderer", "TEMPLATE_FILES", "aggregate_documents", "also_stale", "annotate_workbook", "check_templates", "describe", "feeding_form", "feeding_forms", "file_stem", "notices", "previews", "stale_keys", "template_notes", "unit_documents"]
