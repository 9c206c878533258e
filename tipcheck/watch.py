"""`lint --watch`: lint, then lint again whenever something the run read changes, until Ctrl-C.

Ruff's ``--watch``, with the standard library only: the modification time and size of every path a
run names (its files, the paths given, the config files in use) and of the folders holding its
files (a file added, removed or renamed there changes its folder's time) are polled every
``TIPCHECK_WATCH_INTERVAL`` seconds (default 0.5). Each run is headed, on a terminal cleared first,
by ``[12:00:01] Starting linter in watch mode...`` and then ``[12:00:09] File change detected...``,
and followed by ``[12:00:09] Watching for file changes.`` (at the default level only: tipcheck.output.printer).
A run that fails (a broken config: its error is printed) does not end watching; the paths of the
last run that got that far stay watched. Ctrl-C ends it with exit code 0: ``ACTIVE`` tells
tipcheck.cli, whose thread receives the interrupt.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import Callable, Dict, Iterable, Optional, Set, Tuple

from tipcheck.output.printer import Printer

ENV_INTERVAL = "TIPCHECK_WATCH_INTERVAL"
DEFAULT_INTERVAL = 0.5
ACTIVE = threading.Event()  # set while watching
_CLEAR = "\x1b[2J\x1b[3J\x1b[H"


def interval() -> float:
    """Seconds between two polls: $TIPCHECK_WATCH_INTERVAL when it is a positive number."""
    try:
        value = float(os.environ.get(ENV_INTERVAL, ""))
    except ValueError:
        return DEFAULT_INTERVAL
    return value if 0 < value < 3600 else DEFAULT_INTERVAL


def watched(paths: Iterable[str]) -> Set[str]:
    """The paths, absolute, and the folders holding those that are not folders themselves."""
    found = set()
    for path in paths:
        path = os.path.abspath(path)
        found.add(path)
        if not os.path.isdir(path):
            found.add(os.path.dirname(path))
    return found


def snapshot(paths: Iterable[str]) -> Dict[str, Optional[Tuple[int, int]]]:
    """Each path's modification time and size (None: not there)."""
    stamps: Dict[str, Optional[Tuple[int, int]]] = {}
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            stamps[path] = None
        else:
            stamps[path] = (info.st_mtime_ns, info.st_size)
    return stamps


def watch(run_once: Callable[[], Iterable[str]], printer: Printer, poll: Optional[float] = None) -> None:
    """Call ``run_once`` (one run; it returns the paths it read), then again after each change to
    one of those paths, until interrupted. A first run that fails (SystemExit) ends watching."""
    ACTIVE.set()
    poll = poll or interval()
    header = "Starting linter in watch mode..."
    paths: Optional[Set[str]] = None
    while True:
        if printer.chatty and sys.stdout.isatty():
            sys.stdout.write(_CLEAR)
        _notify(printer, header)
        try:
            paths = watched(run_once())
        except SystemExit:
            if paths is None:  # nothing to watch yet
                raise
        _notify(printer, "Watching for file changes.")
        before = snapshot(paths)
        while snapshot(paths) == before:
            time.sleep(poll)
        header = "File change detected..."


def _notify(printer: Printer, message: str) -> None:
    printer.summary(f"[{time.strftime('%H:%M:%S')}] {message}\n")
    sys.stdout.flush()
