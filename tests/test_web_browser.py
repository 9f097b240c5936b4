"""The dashboard in a real headless Chromium (Debian's chromium + chromedriver, via Selenium)."""

from __future__ import annotations

import base64
import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
import uvicorn
from builders import (FixedClock, bc_workbook, collective, dk_workbook, dn_info, dn_workbook,
                      person)
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from web_builders import PASSWORDS, dashboard_workspace

from docflow.config import load
from docflow.pipeline import process_all
from docflow.web import Background, create_app
from docflow.workspace import Workspace

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
# Set DOCFLOW_SCREENSHOTS=docs/images to refresh the README's pictures from this test.
SCREENSHOTS = os.environ.get("DOCFLOW_SCREENSHOTS")


@pytest.fixture
def dashboard(tmp_path: Path):
    """A campaign, its dashboard on a free loopback port requiring a login, and a browser."""
    clock = FixedClock()
    config = load(dashboard_workspace(tmp_path))
    ws = Workspace.open(config, clock, converter=None)
    app = create_app(config, anonymous=False, clock=clock)  # logins, as off loopback
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    web = Background(server).start()
    port = server.servers[0].sockets[0].getsockname()[1]
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,860", "--lang=vi"):
        options.add_argument(arg)
    browser = webdriver.Chrome(options=options, service=Service(str(DRIVER)))
    try:
        yield ws, browser, f"http://127.0.0.1:{port}"
    finally:
        browser.quit()
        web.stop()
        ws.close()


def log_in(browser: webdriver.Chrome, name: str) -> None:
    """Send this account's credentials with every request the browser makes (HTTP Basic)."""
    token = base64.b64encode(f"{name}:{PASSWORDS[name]}".encode()).decode()
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setExtraHTTPHeaders",
                            {"headers": {"Authorization": f"Basic {token}"}})


def state(browser: webdriver.Chrome, unit: str, column: str) -> str:
    return browser.find_element(
        By.CSS_SELECTOR, f'#don-vi-{unit} td[data-form="{column}"] .state').text


def status_of(browser: webdriver.Chrome, url: str) -> int:
    """The HTTP status the browser itself gets for a URL (a fetch from the page)."""
    return browser.execute_async_script(
        "fetch(arguments[0], {cache: 'no-store'}).then(r => arguments[1](r.status))", url)


def shoot(browser: webdriver.Chrome, tmp: Path, name: str) -> None:
    path = tmp / name
    assert browser.save_screenshot(str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if SCREENSHOTS:
        shutil.copy(path, Path(SCREENSHOTS) / name)


def test_a_cell_turns_accepted_by_itself_and_units_stay_apart(dashboard, tmp_path: Path) -> None:
    ws, browser, base = dashboard
    log_in(browser, "vanphong")
    browser.get(base + "/")
    assert state(browser, "SYT", "DN") == "chưa gửi"
    assert state(browser, "SNV", "DN") == "chưa gửi"

    dn_workbook(ws.inbox / "SYT" / "de-nghi-khen-thuong.xlsx", dn_info("SYT"),
                [collective("Khoa Hồi sức tích cực"), person("Nguyễn Thị Hoa", gender="Nữ")])
    dn_workbook(ws.inbox / "SNV" / "de-nghi.xlsx", dn_info("SNV"),
                [person("Trần Văn Bình", award="")])
    dk_workbook(ws.inbox / "STC" / "dang-ky.xlsx", "STC",
                [[1, "Tổ chức hội nghị tuyên truyền", 4, "hội nghị", dt.date(2025, 6, 30), ""]])
    bc_workbook(ws.inbox / "SYT" / "bao-cao-2025.xlsx", "SYT", [3, 250, 12, 2, 1, 4])
    process_all(ws)
    # No reload by the test: the page polls the ledger's change mark and reloads itself (as
    # often as the ledger changes: a cell read during a reload is read again).
    expected = {("SYT", "DN"): "đã tiếp nhận", ("SNV", "DN"): "bị trả lại",
                ("STC", "DK"): "đã tiếp nhận", ("SYT", "BC Năm 2025"): "đã tiếp nhận"}
    WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda b: {cell: state(b, *cell) for cell in expected} == expected)
    shoot(browser, tmp_path, "bang-theo-doi.png")

    syt_file = next(r.id for r in ws.ledger.files() if r.unit == "SYT")
    own_answer = f"/tep/{syt_file}/0/path"
    log_in(browser, "syt")
    browser.get(base + "/don-vi/SYT")
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "td a")]
    assert base + own_answer in links
    assert status_of(browser, base + own_answer) == 200
    shoot(browser, tmp_path, "bang-theo-doi-don-vi.png")

    log_in(browser, "snv")
    browser.get(base + "/")
    assert browser.find_elements(By.ID, "don-vi-SYT") == []
    browser.get(base + own_answer)
    assert browser.find_element(By.ID, "loi").text == "Không tìm thấy trang hoặc tệp này."
    assert status_of(browser, base + own_answer) == 404
    assert status_of(browser, base + "/don-vi/SYT") == 404

    for traversal in (f"/tep/{syt_file}/0/..%2F..%2Fconfig.toml", "/static/..%2F..%2Fapp.py",
                      "/tep/../../config.toml"):
        browser.get(base + traversal)
        assert browser.find_element(By.ID, "loi").text == "Không tìm thấy trang hoặc tệp này."
        assert status_of(browser, base + traversal) == 404
