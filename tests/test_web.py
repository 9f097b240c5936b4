"""The dashboard's pages and access rules, through Starlette's TestClient (no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import CHAIRMAN, FixedClock, bc_workbook, collective, dn_info, dn_workbook, person
from starlette.testclient import TestClient
from web_builders import basic, dashboard_workspace

from docflow.config import load
from docflow.errors import ConfigError, DocflowError
from docflow.pipeline import process_all
from docflow.text import megabytes
from docflow.web import build_server, create_app
from docflow.web.views import campaign_units
from docflow.store import Ledger
from docflow.workspace import Workspace


@pytest.fixture
def campaign(tmp_path: Path):
    clock = FixedClock()  # 01/12/2025 09:30: after the DN deadline, before the BC one
    config = load(dashboard_workspace(tmp_path))
    ws = Workspace.open(config, clock, converter=None)
    yield ws, clock
    ws.close()


def client(ws: Workspace, clock: FixedClock, anonymous: bool = False) -> TestClient:
    return TestClient(create_app(ws.config, anonymous=anonymous, clock=clock))


def send_and_process(ws: Workspace) -> None:
    """SYT sends a valid DN, SNV an invalid one (no list rows' award), both processed."""
    dn_workbook(ws.inbox / "SYT" / "de-nghi.xlsx", dn_info("SYT"),
                [collective("Khoa Nội"), person("Nguyễn Văn Án")])
    dn_workbook(ws.inbox / "SNV" / "de-nghi.xlsx", dn_info("SNV"),
                [person("Trần Thị Bình", gender="Nữ", award="")])
    process_all(ws)


def file_id(ws: Workspace, unit: str) -> int:
    return next(r.id for r in ws.ledger.files() if r.unit == unit)


def cell(html: str, unit: str, column: str) -> str:
    """The text of one grid cell, found by its row id and column title."""
    row = html.split(f'id="don-vi-{unit}"', 1)[1].split("</tr>", 1)[0]
    td = row.split(f'data-form="{column}"', 1)[1].split("</td>", 1)[0]
    return " ".join(part.split(">")[-1] for part in td.split("</span>") if ">" in part).strip()


def test_off_loopback_nobody_gets_in_without_an_account(campaign) -> None:
    ws, clock = campaign
    web = client(ws, clock)
    for path in ("/", "/api/trang-thai", "/don-vi/SYT", "/du-thao", "/tim-kiem?q=a"):
        response = web.get(path)
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith('Basic realm="docflow"')
        assert "Cần đăng nhập bằng tài khoản được cấp." in response.text
    wrong = basic("syt") | {"Authorization": "Basic " + "c3l0OnNhaQ=="}  # syt:sai
    assert web.get("/", headers=wrong).status_code == 401


def test_the_grid_shows_accepted_rejected_not_sent_and_late(campaign) -> None:
    ws, clock = campaign
    send_and_process(ws)
    html = client(ws, clock).get("/", headers=basic("vanphong")).text
    assert cell(html, "SYT", "DN") == "đã tiếp nhận trễ hạn"   # accepted 01/12, due 30/11
    assert cell(html, "SNV", "DN") == "bị trả lại trễ hạn"
    assert cell(html, "STC", "DN") == "chưa gửi trễ hạn"
    assert cell(html, "STC", "BC Năm 2025") == "chưa gửi"       # due 20/12: not late yet
    assert cell(html, "STC", "DK") == "chưa gửi"                 # no deadline in config
    units = len(campaign_units(ws.config))  # those that existed during the campaign
    assert f'<th>Đã tiếp nhận</th><td class="num">0/{units}</td>' in html  # DK column
    assert f'<td class="num">1/{units}</td></tr></tfoot>' in html        # DN column, last
    assert 'title="Hạn 20/12/2025"' in html


def test_a_unit_sees_only_its_own_row_files_and_totals(campaign) -> None:
    ws, clock = campaign
    send_and_process(ws)
    web = client(ws, clock)
    html = web.get("/", headers=basic("snv")).text
    assert 'id="don-vi-SNV"' in html and 'id="don-vi-SYT"' not in html
    assert web.get("/don-vi/SYT", headers=basic("snv")).status_code == 404
    assert web.get("/du-thao", headers=basic("snv")).status_code == 404
    assert web.get("/quan-tri", headers=basic("snv")).status_code == 404
    assert "0" in web.get("/khen-thuong", headers=basic("snv")).text
    assert "Nguyễn Văn Án" not in web.get("/tim-kiem?q=an", headers=basic("snv")).text


def test_the_office_sees_the_ledger_size_and_a_unit_does_not(campaign) -> None:
    ws, clock = campaign
    send_and_process(ws)
    web = client(ws, clock)
    office = web.get("/", headers=basic("vanphong")).text
    footer = office.split("<footer>", 1)[1].split("</footer>", 1)[0]
    assert footer.endswith(f"Sổ theo dõi: {megabytes(ws.ledger.size())}.")
    assert " MB" in footer
    assert "Sổ theo dõi" not in web.get("/", headers=basic("snv")).text


def test_a_unit_cannot_open_another_units_file_but_can_open_its_own(campaign) -> None:
    ws, clock = campaign
    send_and_process(ws)
    web = client(ws, clock)
    syt = file_id(ws, "SYT")
    page = web.get("/don-vi/SYT", headers=basic("syt")).text
    assert f'href="/tep/{syt}/0/path"' in page
    receipt = Path(ws.ledger.outputs_of(syt)[0]["path"])
    own = web.get(f"/tep/{syt}/0/path", headers=basic("syt"))
    assert own.status_code == 200 and own.content == receipt.read_bytes()
    assert own.headers["content-disposition"].startswith("attachment")
    assert web.get(f"/tep/{syt}/0/path", headers=basic("vanphong")).status_code == 200
    other = web.get(f"/tep/{syt}/0/path", headers=basic("snv"))
    assert other.status_code == 404 and "Không tìm thấy trang hoặc tệp này." in other.text


@pytest.mark.parametrize("path", [
    "/tep/{id}/0/..%2F..%2Fconfig.toml", "/tep/{id}/0/../../config.toml",
    "/tep/{id}/0/work_path", "/tep/{id}/0/stored_path", "/tep/{id}/99/path", "/tep/999/0/path",
    "/static/..%2F..%2F..%2F..%2Fconfig.toml", "/static/%2e%2e/app.py",
    "/du-thao/..%2F..%2Fconfig.toml/0/path", "/outbox/SYT", "/..%2Fconfig.toml",
])
def test_a_traversal_or_a_path_not_recorded_gets_404(campaign, path: str) -> None:
    ws, clock = campaign
    send_and_process(ws)
    response = client(ws, clock).get(path.format(id=file_id(ws, "SYT")),
                                     headers=basic("vanphong"))
    assert response.status_code == 404
    assert "Không tìm thấy" in response.text


def test_a_ledger_entry_pointing_outside_the_outbox_is_not_served(campaign) -> None:
    ws, clock = campaign
    row = ws.ledger.begin_file("SYT", "x.xlsx", "0" * 64, ws.state("work") / "x", "2025-12-01")
    ws.ledger.finish(row, "rejected", "2025-12-01",
                     outputs=[{"path": str(ws.config.root / "config.toml")},
                              {"path": str(ws.outbox / "SYT" / ".." / ".." / "config.toml")}])
    web = client(ws, clock)
    for index in (0, 1):
        assert web.get(f"/tep/{row}/{index}/path", headers=basic("vanphong")).status_code == 404


def test_every_response_carries_the_security_headers(campaign) -> None:
    ws, clock = campaign
    send_and_process(ws)
    web = client(ws, clock)
    for response in (web.get("/", headers=basic("vanphong")), web.get("/"),
                     web.get("/khong-co", headers=basic("vanphong")),
                     web.get(f"/tep/{file_id(ws, 'SYT')}/0/path", headers=basic("syt")),
                     web.get("/static/auto.js")):
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"


def test_on_loopback_the_office_needs_no_login(campaign) -> None:
    ws, clock = campaign
    response = client(ws, clock, anonymous=True).get("/")
    assert response.status_code == 200
    assert "Tình hình gửi biểu mẫu" in response.text and 'href="/quan-tri"' in response.text


def test_drafts_list_when_from_which_files_and_download(campaign) -> None:
    ws, clock = campaign
    send_and_process(ws)
    web = client(ws, clock)
    html = web.get("/du-thao", headers=basic("vanphong")).text
    assert f"Dự thảo Quyết định về việc tặng {CHAIRMAN}" in html
    assert "Lập lúc 09:30 ngày 01/12/2025" in html
    assert "SYT: de-nghi.xlsx (tiếp nhận 09:30 01/12/2025)" in html
    assert "quyet-dinh-bang-khen.docx (" in html
    link = html.split('href="/du-thao/', 1)[1].split('"', 1)[0]
    draft = web.get("/du-thao/" + link, headers=basic("vanphong"))
    assert draft.status_code == 200 and draft.content[:2] == b"PK"


def test_the_drafts_page_reads_each_accepted_version_once(campaign, monkeypatch) -> None:
    ws, clock = campaign
    send_and_process(ws)
    decoded: list[int] = []
    real = Ledger.records

    def counting(self, file_ids):
        decoded.extend(file_ids)
        return real(self, file_ids)

    monkeypatch.setattr(Ledger, "records", counting)
    web = client(ws, clock)
    first = web.get("/du-thao", headers=basic("vanphong")).text
    assert decoded == [file_id(ws, "SYT")]  # the one accepted version
    assert web.get("/du-thao", headers=basic("vanphong")).text == first
    assert decoded == [file_id(ws, "SYT")]  # not read again: a version never changes
    dn_workbook(ws.inbox / "STC" / "de-nghi.xlsx", dn_info("STC"), [person("Lê Văn Cường")])
    process_all(ws)
    html = web.get("/du-thao", headers=basic("vanphong")).text
    assert decoded == [file_id(ws, "SYT"), file_id(ws, "STC")]  # only the new one is read
    assert "SYT: de-nghi.xlsx" in html and "STC: de-nghi.xlsx" in html


def test_award_counts_and_the_money_total(campaign) -> None:
    ws, clock = campaign
    send_and_process(ws)
    html = client(ws, clock).get("/khen-thuong", headers=basic("vanphong")).text
    line = html.split(f"<td>{CHAIRMAN}</td>", 1)[1].split("</tr>", 1)[0]
    assert [c.split(">")[-1] for c in line.split("</td>")[:3]] == ["1", "1", "10.530.000"]
    assert '<th class="num" id="tong-tien">10.530.000' in html  # 3.0 and 1.5 × 2.340.000


def test_person_search_ignores_diacritics_and_case(campaign) -> None:
    ws, clock = campaign
    send_and_process(ws)
    html = client(ws, clock).get("/tim-kiem?q=NGUYEN%20van%20an",
                                 headers=basic("vanphong")).text
    assert "1 kết quả cho “NGUYEN van an”" in html
    assert "<td>Nguyễn Văn Án</td><td>Cá nhân</td>" in html


def test_the_change_mark_moves_when_a_file_is_processed(campaign) -> None:
    ws, clock = campaign
    web = client(ws, clock)
    before = web.get("/api/trang-thai", headers=basic("vanphong")).json()["mark"]
    bc_workbook(ws.inbox / "SYT" / "bao-cao.xlsx", "SYT", [3, 250, 12, 2, 1, 4])
    process_all(ws)
    after = web.get("/api/trang-thai", headers=basic("vanphong")).json()["mark"]
    assert after != before
    html = web.get("/", headers=basic("vanphong")).text
    assert cell(html, "SYT", "BC Năm 2025") == "đã tiếp nhận"


def test_open_problems_hide_previews_and_fixed_reports(campaign) -> None:
    ws, clock = campaign
    admin = ws.outbox / "_quan-tri"
    admin.mkdir()
    (admin / "Xem-truoc-quyet-dinh.pdf").write_bytes(b"%PDF")
    refused = admin / "20251201-080000-Cau-hinh-bi-tu-choi.txt"
    refused.write_text("Thay đổi cấu hình bị từ chối: awards[1] thiếu code.", encoding="utf-8")
    html = client(ws, clock).get("/quan-tri", headers=basic("vanphong")).text
    assert "Cau-hinh-bi-tu-choi" in html and "awards[1] thiếu code" in html
    assert "Xem-truoc" not in html
    later = refused.stat().st_mtime + 60  # the administrator edited config.toml again
    import os

    os.utime(ws.config.root / "config.toml", (later, later))
    html = client(ws, clock).get("/quan-tri", headers=basic("vanphong")).text
    assert "Không có vấn đề nào đang chờ." in html


def test_the_dashboard_never_creates_a_ledger(tmp_path: Path) -> None:
    config = load(dashboard_workspace(tmp_path))
    html = TestClient(create_app(config, anonymous=True)).get("/").text
    assert "chưa gửi" in html
    assert not (config.path("state") / "ledger.sqlite3").exists()


def test_listening_on_the_network_without_accounts_is_refused(tmp_path: Path) -> None:
    from builders import workspace

    config = load(workspace(tmp_path))
    with pytest.raises(DocflowError, match=r"chưa có tài khoản nào: thêm các mục \[\[web.accounts\]\]"):
        build_server(config, "0.0.0.0", 8080)


def test_an_account_of_an_unknown_unit_is_a_config_error(tmp_path: Path) -> None:
    path = dashboard_workspace(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace('unit = "SNV"', 'unit = "SNVV"'),
                    encoding="utf-8")
    with pytest.raises(ConfigError, match=r"khối \[\[web.accounts\]\] thứ 3, dòng \d+, khóa unit: "
                                          r"không có đơn vị 'SNVV'"):
        load(path)


def test_serve_on_the_network_without_accounts_stops_with_what_to_do(tmp_path, capsys) -> None:
    from builders import workspace

    from docflow.cli import main

    assert main(["--config", str(workspace(tmp_path)), "serve", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "Bảng theo dõi sẽ mở ra mạng (0.0.0.0) mà chưa có tài khoản nào" in err
    assert "docflow serve --hash-password" in err


def test_hash_password_prints_a_line_that_logs_in(monkeypatch, capsys) -> None:
    from docflow.cli import main
    from docflow.web import verify_password

    monkeypatch.setattr("getpass.getpass", lambda prompt="": "mot-mat-khau-dai")
    assert main(["serve", "--hash-password"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith('password_hash = "scrypt$32768$8$1$')
    assert verify_password("mot-mat-khau-dai", line.split('"')[1])
