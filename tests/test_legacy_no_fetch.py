"""Converting an old-format upload must not fetch anything: a linked image or URL in a unit's
.odt, or in a .docx renamed .doc, never reaches the network (issue 18, item 8). A loopback HTTP
server stands in for the address the unit planted; it must receive no request."""

from __future__ import annotations

import http.server
import threading
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from docflow.convert.legacy import convert_old_format

ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2">
<office:body><office:text><text:p>Báo cáo<draw:frame draw:name="i1" text:anchor-type="as-char"
 svg:width="2cm" svg:height="2cm"><draw:image xlink:href="{url}/anh.png" xlink:type="simple"
 xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>
<text:p><text:a xlink:type="simple" xlink:href="{url}/lien-ket">liên kết</text:a></text:p>
</office:text></office:body></office:document-content>"""
MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
 manifest:version="1.2"><manifest:file-entry manifest:full-path="/"
 manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry
 manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"""
LINKED_PICTURE = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:drawing>
<wp:inline><wp:extent cx="720000" cy="720000"/><wp:docPr id="1" name="anh"/><a:graphic>
<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>
<pic:nvPicPr><pic:cNvPr id="1" name="anh"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>
<a:blip r:link="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr>
<a:xfrm><a:off x="0" y="0"/><a:ext cx="720000" cy="720000"/></a:xfrm>
<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData>
</a:graphic></wp:inline></w:drawing></w:r>"""


@pytest.fixture
def listener():
    """A loopback web server that records every request and answers 404."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def odt_with_linked_image(path: Path, url: str) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        zf.writestr("META-INF/manifest.xml", MANIFEST)
        zf.writestr("content.xml", ODT_CONTENT.format(url=url))
    return path


def docx_renamed_doc_with_linked_image(path: Path, url: str) -> Path:
    from lxml import etree

    doc = Document()
    paragraph = doc.add_paragraph("Báo cáo thành tích")
    rid = doc.part.relate_to(f"{url}/anh-docx.png", RT.IMAGE, is_external=True)
    paragraph._p.append(etree.fromstring(LINKED_PICTURE.format(rid=rid)))
    doc.save(path)  # a .docx under the name .doc, as a clerk's "Save as" sometimes leaves it
    return path


@pytest.mark.parametrize("build, name", [(odt_with_linked_image, "bao-cao.odt"),
                                         (docx_renamed_doc_with_linked_image, "bao-cao.doc")])
def test_converting_an_old_format_upload_fetches_nothing(tmp_path, listener, build, name):
    url, requests = listener
    source = build(tmp_path / name, url)
    converted = convert_old_format(source)
    assert converted.is_file() and converted.suffix == ".docx"
    assert requests == [], "LibreOffice fetched a link planted in the unit's file"
    assert "Báo cáo" in "\n".join(p.text for p in Document(converted).paragraphs)
