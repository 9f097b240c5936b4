"""The office's read-only dashboard: a units × forms grid, each unit's files, the drafts, the
administrator's open problems, award counts and a person search (Starlette + Jinja2)."""

from docflow.web.app import create_app
from docflow.web.passwords import hash_password, verify_password
from docflow.web.server import Background, build_server, is_loopback, serve

__all__ = ["Background", "build_server", "create_app", "hash_password", "is_loopback", "serve",
           "verify_password"]
