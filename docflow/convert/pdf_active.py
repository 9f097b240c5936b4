"""Active content in a unit's PDF: what runs, launches, calls out or hides files when opened.

A báo cáo thành tích needs none of it, and the province's dossier must carry none of it: every
attached PDF is read for it (to tell the sender) and stripped of it as it enters the dossier.
"""

from __future__ import annotations

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject

# Actions that run code, start programs, open addresses or other files, or post data.
DANGEROUS = {"/JavaScript": "JavaScript", "/Launch": "lệnh mở chương trình (Launch)",
             "/URI": "liên kết Internet (URI)", "/SubmitForm": "gửi dữ liệu đi (SubmitForm)",
             "/ImportData": "nhập dữ liệu (ImportData)", "/GoToR": "mở tệp khác (GoToR)",
             "/GoToE": "mở tệp đính kèm (GoToE)", "/Rendition": "phát nội dung (Rendition)",
             "/RichMediaExecute": "nội dung đa phương tiện"}
# Annotations that carry files or media rather than marks on the page.
MEDIA = {"/FileAttachment", "/Screen", "/Movie", "/Sound", "/RichMedia"}
CATALOG = {"/OpenAction": "hành động tự chạy khi mở (OpenAction)",
           "/AA": "hành động tự động (AA)", "/AcroForm": "biểu mẫu tương tác (AcroForm)"}


def active_content(reader: PdfReader) -> list[str]:
    """The kinds of active content a PDF holds, in Vietnamese, sorted; [] for a plain PDF."""
    found: set[str] = set()
    root = reader.trailer["/Root"].get_object()
    found |= {label for key, label in CATALOG.items() if key in root}
    names = root.get("/Names")
    names = names.get_object() if names is not None else {}
    if "/JavaScript" in names:
        found.add("JavaScript")
    if "/EmbeddedFiles" in names:
        found.add("tệp nhúng (EmbeddedFiles)")
    for page in reader.pages:
        found |= _page_content(page)
    return sorted(found)


def strip_active(writer: PdfWriter) -> None:
    """Remove every action, automatic action, embedded file and media annotation in place."""
    root = writer._root_object  # noqa: SLF001 - pypdf exposes the catalog only this way
    for key in CATALOG:
        if key in root:
            del root[NameObject(key)]
    names = root.get("/Names")
    if names is not None:
        names = names.get_object()
        for key in ("/JavaScript", "/EmbeddedFiles"):
            if key in names:
                del names[NameObject(key)]
    for page in writer.pages:
        if "/AA" in page:
            del page[NameObject("/AA")]
        annots = page.get("/Annots")
        if annots is None:
            continue
        annots = annots.get_object()
        kept = []
        for ref in annots:
            annot = ref.get_object()
            if annot.get("/Subtype") in MEDIA:
                continue
            if "/AA" in annot:
                del annot[NameObject("/AA")]
            action = annot.get("/A")
            if action is not None and _is_dangerous(action.get_object()):
                del annot[NameObject("/A")]
            kept.append(ref)
        annots.clear()
        annots.extend(kept)


def _page_content(page: DictionaryObject) -> set[str]:
    found: set[str] = set()
    if "/AA" in page:
        found.add("hành động tự động (AA)")
    annots = page.get("/Annots")
    for ref in (annots.get_object() if annots is not None else []):
        annot = ref.get_object()
        if annot.get("/Subtype") in MEDIA:
            found.add("tệp nhúng hoặc đa phương tiện")
        if "/AA" in annot:
            found.add("hành động tự động (AA)")
        action = annot.get("/A")
        if action is not None:
            kind = action.get_object().get("/S")
            if kind in DANGEROUS:
                found.add(DANGEROUS[kind])
    return found


def _is_dangerous(action: DictionaryObject) -> bool:
    """True for a dangerous action, or one that chains to one through /Next."""
    if action.get("/S") in DANGEROUS:
        return True
    following = action.get("/Next")
    if following is None:
        return False
    following = following.get_object()
    chain = following if isinstance(following, list) else [following]
    return any(_is_dangerous(a.get_object()) for a in chain)
