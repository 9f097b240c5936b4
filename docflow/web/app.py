"""The dashboard as an ASGI app (Starlette + Jinja2): read-only pages, files by ledger id only.

Access: bound to loopback, anyone on this machine is the office; otherwise every request needs an
account from [[web.accounts]] by HTTP Basic. Basic was chosen over a login form: the app has no
state-changing request at all, so there is no POST to protect from cross-site forgery and no
session cookie to steal or fix; the browser sends the credentials itself. Off this machine it
must sit behind HTTPS (a reverse proxy), as any password login must.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from docflow.config import Config
from docflow.errors import LedgerError
from docflow.store import Ledger
from docflow.text import megabytes
from docflow.web import views
from docflow.web.passwords import N, hash_password, verify_password
from docflow.web.problems import open_problems

HERE = Path(__file__).parent
REALM = 'Basic realm="docflow", charset="UTF-8"'
HEADERS = {
    "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "img-src 'self'; connect-src 'self'; form-action 'self'; "
                               "base-uri 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


class SecurityHeaders:
    """ASGI middleware: the same strict headers on every response, errors and files included."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k.encode(), v.encode()) for k, v in HEADERS.items() if k.encode() not in names]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Accounts:
    """Checks Basic credentials against [[web.accounts]]; a good pair is remembered (as a hash)
    so the page's polling does not pay scrypt's cost on every request."""

    def __init__(self, config: Config) -> None:
        self.by_name = {a.name: a for a in config.web.accounts}
        self._good: set[str] = set()
        self._decoy = ""
        self._lock = threading.Lock()
        # scrypt takes 32 MB a check: a flood of wrong passwords waits here instead of using
        # every thread of the pool (and a gigabyte) at once.
        self._checking = threading.BoundedSemaphore(2)

    def _decoy_hash(self) -> str:
        """A hash at the accounts' own cost, so a wrong name cannot be told by the time taken."""
        if not self._decoy:
            known = next(iter(self.by_name.values()), None)
            cost = known.password_hash.split("$")[1] if known else ""
            try:
                self._decoy = hash_password("", n=int(cost))
            except ValueError:  # a malformed hash in config: no account can log in anyway
                self._decoy = hash_password("", n=N)
        return self._decoy

    def viewer(self, header: str) -> views.Viewer | None:
        """The viewer these credentials name, or None."""
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            name, sep, password = base64.b64decode(token, validate=True).decode("utf-8") \
                .partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        account = self.by_name.get(name)
        if not sep or account is None:
            with self._checking:
                verify_password(password, self._decoy_hash())  # as slow as for a known name
            return None
        key = hashlib.sha256(f"{name}\0{password}\0{account.password_hash}".encode()).hexdigest()
        with self._lock:
            known = key in self._good
        if not known:
            with self._checking:
                good = verify_password(password, account.password_hash)
            if not good:
                return None
            with self._lock:
                self._good.add(key)
        return views.Viewer(name, account.unit or None)


def create_app(config: Config, *, anonymous: bool,
               clock: Callable[[], dt.datetime] = dt.datetime.now) -> Starlette:
    """The dashboard for one campaign; `anonymous` only when it listens on loopback."""
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
    env.filters["when"] = _when
    env.filters["day"] = lambda d: f"{d:%d/%m/%Y}" if d else ""
    templates = Jinja2Templates(env=env)
    accounts = Accounts(config)
    outbox = config.path("outbox").resolve()
    ledger_path = config.path("state") / "ledger.sqlite3"
    awards_of = views.AwardsOf()  # lives as long as the app: each version decoded once

    def viewer(request: Request) -> views.Viewer:
        if anonymous:
            return views.Viewer("")
        found = accounts.viewer(request.headers.get("authorization", ""))
        if found is None:
            raise HTTPException(401, headers={"WWW-Authenticate": REALM})
        return found

    @contextmanager
    def ledger() -> Iterator[Ledger | None]:
        if not config.ledger.url and not ledger_path.exists():  # never create it from here
            yield None
            return
        opened = Ledger(config.ledger.url or ledger_path, readonly=True)
        try:
            yield opened
        finally:
            opened.close()

    def page(request: Request, name: str, who: views.Viewer, **context: Any) -> Response:
        with ledger() as db:
            mark = db.mark() if db else ""
            size = megabytes(db.size()) if db and who.unit is None else ""
        return templates.TemplateResponse(request, name, dict(
            context, who=who, mark=mark, campaign=config.campaign, office=config.office,
            ledger_size=size))

    def office_only(who: views.Viewer) -> None:
        if who.unit is not None:
            raise HTTPException(404)

    def index(request: Request) -> Response:
        who = viewer(request)
        with ledger() as db:
            rows = views.grid(config, db, clock().date(), who)
        return page(request, "index.html", who, columns=views.columns(config), rows=rows,
                    counts=views.accepted_counts(rows), today=clock().date())

    def unit(request: Request) -> Response:
        who = viewer(request)
        found = config.unit(request.path_params["code"])
        if found is None or not who.sees(found.code):
            raise HTTPException(404)
        with ledger() as db:
            files = views.unit_files(db, found.code)
        return page(request, "unit.html", who, unit=found, files=files)

    def drafts(request: Request) -> Response:
        who = viewer(request)
        office_only(who)
        with ledger() as db:
            items = views.drafts(config, db, awards_of)
        return page(request, "drafts.html", who, drafts=items)

    def problems(request: Request) -> Response:
        who = viewer(request)
        office_only(who)
        with ledger() as db:
            items = open_problems(outbox, db, _config_edited(config))
        return page(request, "problems.html", who, problems=items)

    def awards(request: Request) -> Response:
        who = viewer(request)
        with ledger() as db:
            totals = views.award_totals(config, db, clock().date(), who)
        return page(request, "awards.html", who, totals=totals, today=clock().date())

    def search(request: Request) -> Response:
        who = viewer(request)
        query = request.query_params.get("q", "")[:100]
        with ledger() as db:
            found = views.search_people(config, db, query, who)
        return page(request, "search.html", who, query=query, found=found)

    def mark(request: Request) -> Response:
        viewer(request)
        with ledger() as db:
            return JSONResponse({"mark": db.mark() if db else ""})

    def unit_file(request: Request) -> Response:
        who = viewer(request)
        p = request.path_params
        with ledger() as db:
            row = db.file(p["file_id"]) if db else None
            if row is None or not who.sees(row.unit):
                raise HTTPException(404)
            entries = db.outputs_of(row.id)
        return _send(views.output_path(entries, p["index"], p["name"]), outbox)

    def draft_file(request: Request) -> Response:
        who = viewer(request)
        office_only(who)
        p = request.path_params
        with ledger() as db:
            made = db.drafts().get(p["key"]) if db else None
        if made is None:
            raise HTTPException(404)
        return _send(views.output_path(made["outputs"], p["index"], p["name"]), outbox)

    async def error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        text = {401: "Cần đăng nhập bằng tài khoản được cấp.",
                404: "Không tìm thấy trang hoặc tệp này."}.get(
            status, "Không mở được sổ theo dõi; xem nhật ký của docflow.")
        return templates.TemplateResponse(request, "error.html", {"text": text}, status_code=status,
                                          headers=getattr(exc, "headers", None))

    routes = [
        Route("/", index), Route("/don-vi/{code}", unit), Route("/du-thao", drafts),
        Route("/du-thao/{key}/{index:int}/{name}", draft_file),
        Route("/tep/{file_id:int}/{index:int}/{name}", unit_file),
        Route("/quan-tri", problems), Route("/khen-thuong", awards), Route("/tim-kiem", search),
        Route("/api/trang-thai", mark),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: error, LedgerError: error})
    app.add_middleware(SecurityHeaders)
    return app


def _send(recorded: str | None, outbox: Path) -> Response:
    """A file the ledger recorded, only if it still lies inside the outbox."""
    if recorded is None:
        raise HTTPException(404)
    path = Path(recorded).resolve()
    if not path.is_relative_to(outbox) or not path.is_file():
        raise HTTPException(404)
    return FileResponse(path, filename=path.name, content_disposition_type="attachment")


def _config_edited(config: Config) -> float:
    """When config.toml or a template was last edited (a refusal before that is superseded)."""
    templates = config.path("templates")
    paths = [config.root / "config.toml", *templates.glob("*.docx")]
    return max((p.stat().st_mtime for p in paths if p.exists()), default=0.0)


def _when(iso: str) -> str:
    try:
        return f"{dt.datetime.fromisoformat(iso):%H:%M ngày %d/%m/%Y}"
    except (TypeError, ValueError):
        return iso or ""
