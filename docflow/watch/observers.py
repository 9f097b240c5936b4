"""watchdog observers for the watched folders: native events or polling, as each was probed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from docflow.watch.probe import Probe

Notice = Callable[[Path, bool, bool], None]  # path, is a folder, is a close after writing
# Opening or reading a file says nothing new about it; deletions are noticed as absence.
WANTED = {"created", "modified", "moved", "closed"}


class Events(FileSystemEventHandler):
    """Passes the path an event is about (the destination of a move) and whether it is a folder."""

    def __init__(self, notice: Notice) -> None:
        self.notice = notice

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Forward the events that may mean a new or changed file (and whether it is the close
        that ends a write: inotify's IN_CLOSE_WRITE, where a file's stability clock starts)."""
        if event.event_type in WANTED:
            target = getattr(event, "dest_path", "") or event.src_path
            self.notice(Path(os.fsdecode(target)), event.is_directory,
                        event.event_type == "closed")


def start(probes: list[Probe], notice: Notice, poll_seconds: float,
          native: Callable[[], BaseObserver] = Observer) -> list[BaseObserver]:
    """One native observer for the folders where events work, one polling observer for the rest."""
    handler = Events(notice)
    started = []
    for mode, make in (("native", native), ("polling",
                                             lambda: PollingObserver(timeout=poll_seconds))):
        roots = [p.root for p in probes if p.mode == mode]
        if roots:
            observer = make()
            for root in roots:
                observer.schedule(handler, str(root), recursive=True)
            observer.start()
            started.append(observer)
    return started


def stop(observers: list[BaseObserver]) -> None:
    """Stop the observers and wait for their threads."""
    for observer in observers:
        observer.stop()
    for observer in observers:
        if observer.is_alive():
            observer.join()
