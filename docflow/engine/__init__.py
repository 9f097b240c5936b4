"""Several machines: the same jobs as Celery tasks over Redis (DESIGN.md "Runtime")."""

from docflow.engine.dispatcher import CeleryDispatcher
from docflow.engine.status import engine_status
from docflow.engine.worker import run_worker

__all__ = ["CeleryDispatcher", "engine_status", "run_worker"]
