"""The service's LibreOffice, shared by its worker processes: every conversion of every worker
goes to the next free LibreOffice, errors come back as they were raised, and only a caller with
the service's key is served."""

from __future__ import annotations

import multiprocessing
import shutil
import threading
from multiprocessing.connection import AuthenticationError, Client
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_convert import VIETNAMESE, decision_docx, pdf_text

from docflow.convert import LibreOfficeConverter, RemoteConverter, SharedConverter
from docflow.convert.pool import FakeConverter
from docflow.errors import ConversionError


def test_a_worker_converts_through_the_service_and_gets_its_errors_back(tmp_path):
    fake = FakeConverter()
    office = SharedConverter(fake)
    remote = RemoteConverter(office.ticket)
    try:
        remote.to_pdf(decision_docx(tmp_path), tmp_path / "qd.pdf", title="Quyết định")
        assert fake.calls == [(tmp_path / "quyet-dinh.docx", tmp_path / "qd.pdf")]
        assert PdfReader(tmp_path / "qd.pdf").metadata.title == "Quyết định"
        (tmp_path / "hong.docx").write_bytes(b"not a zip")
        with pytest.raises(ConversionError, match="hong.docx"):
            remote.to_pdf(tmp_path / "hong.docx", tmp_path / "hong.pdf")
        with pytest.raises(ConversionError, match="không đọc được cu.xls"):
            remote.convert_to(tmp_path / "cu.xls", tmp_path / "cu.xlsx", "xlsx")
        remote.to_pdf(decision_docx(tmp_path), tmp_path / "again.pdf")  # served on after errors
        assert (tmp_path / "again.pdf").is_file()
    finally:
        remote.close()
        office.close()


def test_a_caller_without_the_services_key_is_refused_and_others_are_served_on(tmp_path):
    office = SharedConverter(FakeConverter())
    try:
        with pytest.raises(AuthenticationError):
            Client(office.ticket.address, authkey=b"x" * 32)
        remote = RemoteConverter(office.ticket)
        remote.to_pdf(decision_docx(tmp_path), tmp_path / "qd.pdf")
        remote.close()
        assert (tmp_path / "qd.pdf").is_file()
    finally:
        office.close()


def test_a_stopped_service_is_a_conversion_error_that_says_what_to_do(tmp_path):
    office = SharedConverter(FakeConverter())
    remote = RemoteConverter(office.ticket)
    office.close()
    with pytest.raises(ConversionError, match="khởi động lại docflow"):
        remote.to_pdf(decision_docx(tmp_path), tmp_path / "qd.pdf")


def _convert_in_a_process(ticket, docx: Path, pdf: Path) -> None:
    RemoteConverter(ticket).to_pdf(docx, pdf, title="Quyết định")


@pytest.mark.skipif(not shutil.which("soffice"), reason="cần LibreOffice (CI cài sẵn)")
def test_conversions_of_several_workers_and_threads_go_to_every_libreoffice(tmp_path):
    docs = [decision_docx(tmp_path, f"qd-{i}.docx", rows=40) for i in range(6)]
    converter = LibreOfficeConverter(tmp_path / "state", instances=2)
    office = SharedConverter(converter)
    try:
        # another process (a worker) and two threads of this one, all at once
        ctx = multiprocessing.get_context("spawn")
        worker = ctx.Process(target=_convert_in_a_process,
                             args=(office.ticket, docs[0], tmp_path / "qd-0.pdf"))
        worker.start()
        remote = RemoteConverter(office.ticket)
        threads = [threading.Thread(target=lambda d=d: remote.to_pdf(d, d.with_suffix(".pdf")))
                   for d in docs[1:]]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        worker.join(120)
        assert worker.exitcode == 0
        remote.close()
        for d in docs:
            assert VIETNAMESE in pdf_text(d.with_suffix(".pdf"))
        assert len(converter.process_groups()) == 2, "both LibreOffice processes worked"
    finally:
        office.close()


def test_a_changed_output_setting_is_said_to_wait_for_a_restart_of_the_shared_office(
        tmp_path, caplog):
    from dataclasses import replace

    from builders import workspace

    from docflow.config import load
    from docflow.jobs import Setup
    from docflow.watch.pool import Pool

    config = load(workspace(tmp_path, pdf=True))
    pool = Pool(1, 30.0, Setup(config, lambda: None), lambda report: None)
    pool._office = SharedConverter(FakeConverter())  # as start() keeps one, without workers
    try:
        pool.reconfigure(Setup(replace(config, output=replace(config.output, pdf=False)),
                               lambda: None), 30.0)
        assert "restart_needed" not in [getattr(r, "event", "") for r in caplog.records]
        assert pool.setup.office == pool._office.ticket  # workers still reach the shared one
        pool.reconfigure(Setup(replace(config, output=replace(config.output,
                                                              timeout_seconds=5.0)),
                               lambda: None), 30.0)
        assert [r for r in caplog.records if getattr(r, "event", "") == "restart_needed"]
    finally:
        pool._office.close()
