"""One more accepted file costs what it changes: each unit's rows of the province-wide lists are
built once per version, the annex's XML is zipped from its tables' deflated pieces, and the
Mã dự thảo's list of names keeps each unit's part once; the documents read as a whole making."""

from __future__ import annotations

import io
import random
import zipfile
import zlib

from builders import dn_info, dn_workbook, person
from docx_reader import blocks

from docflow.documents.deflated import Joiner, deflate, joined, laid_after, write_joined
from docflow.drafts import refresh_aggregates
from docflow.pipeline import process_inbox_file

TEMPLATE = "quyet-dinh-bang-khen.docx"
DECISION = "_tong-hop/Quyet-dinh-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx"


def send(ws, unit: str, names: list[str], file: str = "dn.xlsx") -> None:
    path = dn_workbook(ws.inbox / unit / file, dn_info(unit), [person(n) for n in names])
    assert process_inbox_file(path, ws).status == "accepted"
    refresh_aggregates(ws)


def annex_rows(ws) -> list[tuple[str, str]]:
    """(stt, name) of every nominee row of the decision's annex, in order, and the units'
    labels above their tables as ("", label)."""
    rows, annex = [], False
    for kind, value in blocks(ws.outbox / DECISION):
        if kind == "p":
            annex = annex or value == "DANH SÁCH"
            if annex and value[:1].isdigit() and ". " in value:
                rows.append(("", value))
        else:
            rows += [(cells[0], cells[1]) for cells in value if cells[0].isdigit()]
    return rows


def test_a_unit_replacing_its_file_with_as_many_rows_has_only_its_table_made_again(ws):
    send(ws, "SNV", ["Nguyễn Văn An", "Trần Văn Bình"])
    send(ws, "STC", ["Lê Thị Cúc", "Phạm Văn Dũng"])
    send(ws, "SYT", ["Hoàng Văn Em"])
    send(ws, "STC", ["Lê Thị Cúc", "Đỗ Văn Giang"], file="dn-2.xlsx")
    assert (ws.renderer.stats[TEMPLATE].made, ws.renderer.stats[TEMPLATE].reused) == (1, 2)
    people = [(stt, name) for stt, name in annex_rows(ws) if stt]
    assert people == [("1", "Ông Nguyễn Văn An"), ("2", "Ông Trần Văn Bình"),
                      ("3", "Ông Lê Thị Cúc"), ("4", "Ông Đỗ Văn Giang"),
                      ("5", "Ông Hoàng Văn Em")]


def test_a_unit_adding_rows_renumbers_the_units_after_it_and_the_list_reads_in_order(ws):
    send(ws, "SNV", ["Nguyễn Văn An"])
    send(ws, "STC", ["Lê Thị Cúc"])
    send(ws, "SYT", ["Hoàng Văn Em"])
    send(ws, "SNV", ["Nguyễn Văn An", "Trần Văn Bình"], file="dn-2.xlsx")
    rows = annex_rows(ws)
    assert rows == [("", "1. Sở Nội vụ"), ("1", "Ông Nguyễn Văn An"), ("2", "Ông Trần Văn Bình"),
                    ("", "2. Sở Tài chính"), ("3", "Ông Lê Thị Cúc"),
                    ("", "3. Sở Y tế"), ("4", "Ông Hoàng Văn Em")]
    # the unit that grew and the two after it (their numbers moved); nothing is reused
    assert (ws.renderer.stats[TEMPLATE].made, ws.renderer.stats[TEMPLATE].reused) == (3, 0)


def test_one_more_unit_at_the_end_makes_only_its_table(ws):
    send(ws, "SNV", ["Nguyễn Văn An"])
    send(ws, "STC", ["Lê Thị Cúc"])
    send(ws, "SYT", ["Hoàng Văn Em"])
    assert (ws.renderer.stats[TEMPLATE].made, ws.renderer.stats[TEMPLATE].reused) == (1, 2)
    assert [stt for stt, _ in annex_rows(ws) if stt] == ["1", "2", "3"]


def test_each_making_keeps_every_name_it_carries_though_unchanged_units_are_written_once(ws):
    send(ws, "SNV", ["Nguyễn Văn An", "Trần Văn Bình"])
    send(ws, "STC", ["Lê Thị Cúc"])
    earlier, latest = sorted(ws.books.marks(), key=lambda m: int(m.mark.rsplit("-", 1)[1]))
    assert [n.name for n in earlier.nominees] == ["Nguyễn Văn An", "Trần Văn Bình"]
    assert [n.name for n in latest.nominees] == ["Nguyễn Văn An", "Trần Văn Bình", "Lê Thị Cúc"]
    assert [n.unit for n in latest.nominees] == ["SNV", "SNV", "STC"]
    assert ws.books.mark(latest.mark.lower()).nominees == latest.nominees
    parts = ws.ledger._run("SELECT count(*) AS n FROM mark_names").fetchone()["n"]
    assert parts == 2  # SNV's names once for both makings, STC's once


def test_pieces_deflated_apart_join_into_the_stream_and_crc_of_their_text():
    rng = random.Random(7)
    texts = [bytes(rng.choice(b"<w:t>ab c</w:t>\n") for _ in range(rng.randint(0, 3000)))
             for _ in range(40)]
    pieces, tail = [], b""
    for text in texts:  # each deflated after the end of the text before it
        pieces.append(deflate(text, tail))
        tail = pieces[-1].tail
    joiner = Joiner()
    whole = b"".join(texts)
    for upto in (20, 40, 30):  # a list that grows, then one that shrinks
        one = joiner.join(pieces[:upto])
        text = b"".join(texts[:upto])
        assert (one.crc, one.size) == (zlib.crc32(text), len(text))
    front = deflate(b"<frame>")
    moved = [laid_after(pieces[0], front.tail)] + pieces[1:]  # the first now follows the frame
    assert moved[0] is not pieces[0] and laid_after(moved[0], front.tail) is moved[0]
    stream, crc, size = joined([front, joiner.join(moved), deflate(b"</frame>", pieces[-1].tail)])
    text = b"<frame>" + whole + b"</frame>"
    assert zlib.decompress(stream, -15) == text and (crc, size) == (zlib.crc32(text), len(text))
    rows = [f"<w:tr><w:tc><w:p><w:r><w:t>{i}</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r>"
            f"<w:t>Ông Nguyễn Văn {i}</w:t></w:r></w:p></w:tc></w:tr>".encode() for i in range(50)]
    chained, tail = 0, b""
    for row in rows:
        piece = deflate(row, tail)
        chained, tail = chained + len(piece.stream), piece.tail
    assert chained * 2 < sum(len(deflate(row).stream) for row in rows)  # each refers back
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.xml", b"<a/>")
        write_joined(zf, zipfile.ZipInfo("word/document.xml"), [deflate(b"<x>"), deflate(whole)])
        zf.writestr("b.xml", b"<b/>")
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as zf:
        assert zf.testzip() is None
        assert zf.namelist() == ["a.xml", "word/document.xml", "b.xml"]
        assert zf.read("word/document.xml") == b"<x>" + whole
