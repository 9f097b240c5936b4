"""layout"""

from docflow.layout.check import check_layout, format_report

__all__ = ["check_layout", "format_report"]
