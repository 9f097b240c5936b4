"""Every use of LibreOffice: the kept-running pool and its UNO bridge, old formats, PDF dossiers
and their active content."""

from docflow.convert.dossier import Part, build_dossier
from docflow.convert.legacy import TARGETS, convert_old_format
from docflow.convert.libreoffice import require_programs
from docflow.convert.pool import Converter, LibreOfficeConverter, open_converter, pdf_bytes
from docflow.convert.batch import Conversions
from docflow.convert.shared import RemoteConverter, SharedConverter, Ticket
from docflow.convert.stitch import Stitched, start_stitched, stitched_pdf

from docflow.convert.pdf_active import active_content, strip_active

__all__ = ["active_content", "strip_active", "Conversions", "Converter", "LibreOfficeConverter", "Part", "RemoteConverter", "SharedConverter", "TARGETS", "Ticket", "build_dossier", "convert_old_format", "open_converter", "pdf_bytes", "require_programs", "Stitched", "start_stitched", "stitched_pdf"]
