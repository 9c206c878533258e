"""The progress line drawn on a terminal during long runs.

Its own drawing rather than ``click.progressbar``: that draws a bar (``[####----]  37%``) and
an ETA, where tipcheck shows ``[ 37/120] path`` on one line that it erases at the end, and the
tests check those bytes.
"""

from __future__ import annotations

import os
import sys
import time
from typing import IO, Optional


class Progress:
    """A one-line progress display for long runs: ``[ 37/120] path``, redrawn in place.

    It draws on ``stream`` (the CLI passes sys.stderr) only when ``stream.isatty()`` and ``total``
    is larger than ``threshold`` (50 files); otherwise every method does nothing, so the CLI can
    always use it. Redraws at most every ``interval`` seconds (the last update always shows), and
    :meth:`close` erases the line. Usable as a context manager.
    """

    def __init__(self, total: int, stream: Optional[IO[str]] = None, threshold: int = 50, interval: float = 0.05):
        self.total = total
        self.stream = sys.stderr if stream is None else stream
        self.done = 0
        self.interval = interval
        self._last = 0.0
        self._drawn = False
        try:
            tty = bool(self.stream.isatty())
        except (AttributeError, ValueError):
            tty = False
        self.enabled = tty and total > threshold

    def _width(self) -> int:
        try:
            return os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, OSError, ValueError):
            return 80

    def update(self, advance: int = 1, label: str = "") -> None:
        self.done = min(self.total, self.done + advance)
        if not self.enabled:
            return
        now = time.monotonic()
        if self.done < self.total and now - self._last < self.interval:
            return
        self._last = now
        digits = len(str(self.total))
        text = f"[{self.done:>{digits}}/{self.total}] {label}"
        text = text[: max(10, self._width() - 1)]
        self.stream.write("\r\x1b[K" + text)
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
        self._drawn = False
        self.enabled = False

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
