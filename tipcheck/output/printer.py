"""Where the output of `lint` and `fix` goes, by log level, as Ruff's ``-q/--quiet`` and
``-s/--silent`` define them.

- the findings (and what stands for them: `--statistics`, `fix --diff`, the findings that remain
  after `fix`): on stdout, or in the ``--output-file``; at every level but silent;
- the closing summary lines ("Found 2 errors.", "All checks passed!"), warnings and notes: at the
  default level only;
- errors, which make the exit code 2: always, on stderr (Ruff prints "ruff failed" whatever the
  level): a silent run that fails still says why.
"""

from __future__ import annotations

import sys
from typing import Optional

import click

from tipcheck.codes import EXIT_ERROR

DEFAULT, QUIET, SILENT = "default", "quiet", "silent"
LEVELS = (DEFAULT, QUIET, SILENT)


class Printer:
    def __init__(self, level: str = DEFAULT, output_file: Optional[str] = None) -> None:
        if level not in LEVELS:
            raise ValueError(f"unknown level {level!r} (expected one of {', '.join(LEVELS)})")
        self.level = level
        self.output_file = output_file

    @property
    def chatty(self) -> bool:
        """Whether summary lines, warnings and notes are printed (the default level)."""
        return self.level == DEFAULT

    def findings(self, text: str, color: bool = False, err: bool = False) -> None:
        """The findings, or what stands for them: to the output file when there is one (unless
        ``err``: what goes to stderr because stdout carries a fixed source)."""
        if self.level == SILENT:
            return
        if err or self.output_file is None:
            click.echo(text, nl=False, err=err, color=color or None)  # click strips colour off a terminal unless told
            return
        try:
            with open(self.output_file, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            self.error(f"cannot write {self.output_file}: {exc.strerror or exc}")
            sys.exit(EXIT_ERROR)

    def summary(self, text: str, err: bool = False) -> None:
        if self.chatty:
            click.echo(text, nl=False, err=err)

    def warning(self, message: str) -> None:
        if self.chatty:
            click.echo(f"warning: {message}", err=True)

    def note(self, message: str) -> None:
        if self.chatty:
            click.echo(f"note: {message}", err=True)

    def error(self, message: str) -> None:
        click.echo(f"error: {message}", err=True)
