"""Nghị định 30/2020/NĐ-CP: read a .docx as a reader sees it and check its layout, element by
element."""

from docflow.layout.check import check_layout, format_report

__all__ = ["check_layout", "format_report"]
