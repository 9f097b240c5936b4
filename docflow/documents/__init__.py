"""documents"""

from docflow.documents.annotate import annotate_workbook
from docflow.documents.catalog import (aggregate_documents, describe, draft_keys, draft_versions,
                                      feeding_form, file_stem, stale_keys, unit_documents,
                                      unit_key)
from docflow.documents.checks import TEMPLATE_FILES, check_templates, previews, template_notes
from docflow.documents.contexts import Document
from docflow.documents.render import Renderer

__all__ = ["Document", "Renderer", "TEMPLATE_FILES", "aggregate_documents", "annotate_workbook", "check_templates", "describe", "draft_keys", "draft_versions", "feeding_form", "file_stem", "notices", "previews", "stale_keys", "template_notes", "unit_documents", "unit_key"]
