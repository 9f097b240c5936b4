"""convert"""

from docflow.convert.dossier import Part, build_dossier
from docflow.convert.legacy import TARGETS, convert_old_format
from docflow.convert.libreoffice import require_programs
from docflow.convert.pool import Converter, LibreOfficeConverter, open_converter, pdf_bytes

__all__ = ["Converter", "LibreOfficeConverter", "Part", "TARGETS", "build_dossier", "convert_old_format", "open_converter", "pdf_bytes", "require_programs"]
