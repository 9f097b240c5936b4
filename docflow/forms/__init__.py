"""Forms units fill: their specs (from config), reading filled files, writing blank ones."""

from docflow.forms.issued import Issued, blank_issued_form, read_issued
from docflow.forms.read import UNZIPPED, read_form
from docflow.forms.write_docx import blank_word_form
from docflow.forms.write_xlsx import blank_form

__all__ = ["Issued", "UNZIPPED", "blank_issued_form", "read_issued", "blank_form", "blank_word_form", "read_form"]
