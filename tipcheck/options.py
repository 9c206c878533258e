"""The options `lint` and `fix` share (tipcheck.cli), with Ruff's names where Ruff has one.

Two of them reach the commands in another shape than they are typed in:

- ``--output-format`` (Ruff's name) and ``--format`` (tipcheck's first name, kept and hidden) are
  one ``output_format``; giving both with different values is a usage error;
- ``-q/--quiet`` and ``-s/--silent`` are one ``level`` (tipcheck.output.printer: ``default``,
  ``quiet``, ``silent``; silent wins, as in Ruff).
"""

from __future__ import annotations

import functools

import click

from tipcheck.cache import DEFAULT_DIR as DEFAULT_CACHE_DIR
from tipcheck.cache import ENV_VAR as ENV_CACHE_DIR
from tipcheck.output.formats import FORMATS
from tipcheck.output.printer import DEFAULT, QUIET, SILENT


def common_options(func):
    """Add the shared options to a command (its function takes them as keywords)."""

    @functools.wraps(func)
    def command(*args, format_alias=None, quiet=False, silent=False, **kwargs):
        chosen = kwargs.get("output_format")
        if format_alias is not None and chosen is not None and chosen != format_alias:
            raise click.UsageError(f"--format {format_alias} and --output-format {chosen} disagree; give one")
        kwargs["output_format"] = chosen or format_alias
        kwargs["level"] = SILENT if silent else QUIET if quiet else DEFAULT
        return func(*args, **kwargs)

    options = [
        click.argument("paths", nargs=-1, type=click.Path()),
        click.option(
            "--select",
            multiple=True,
            metavar="CODES",
            help="Rule codes or prefixes to enable, replacing the config's (e.g. TIP2).",
        ),
        click.option(
            "--extend-select",
            multiple=True,
            metavar="CODES",
            help="Rule codes or prefixes to enable on top of the config's.",
        ),
        click.option("--ignore", multiple=True, metavar="CODES", help="Rule codes or prefixes to disable."),
        click.option(
            "--output-format",
            "output_format",
            type=click.Choice(FORMATS),
            default=None,
            help="Output format (default: full, or the config's).",
        ),
        click.option("--format", "format_alias", type=click.Choice(FORMATS), default=None, hidden=True),
        click.option("--unsafe-fixes/--no-unsafe-fixes", default=None, help="Include fixes that may change behaviour."),
        click.option(
            "--preview/--no-preview",
            default=None,
            help="Enable the preview rules (new, off by default; `tipcheck rules` marks them).",
        ),
        click.option(
            "--respect-gitignore/--no-respect-gitignore",
            default=None,
            help="Skip files that .gitignore ignores (default: yes).",
        ),
        click.option(
            "--config",
            "config_path",
            type=click.Path(dir_okay=False),
            default=None,
            help="Use this config file (pyproject.toml or tipcheck.toml) for every file.",
        ),
        click.option(
            "--show-settings", is_flag=True, help="Print the settings that apply to the first path, and exit."
        ),
        click.option("--stdin-filename", default=None, help="The file name to give the source read from stdin (`-`)."),
        click.option(
            "--output-file",
            "-o",
            type=click.Path(dir_okay=False),
            default=None,
            help="Write the findings to this file instead of stdout.",
        ),
        click.option(
            "--exit-zero",
            "-e",
            is_flag=True,
            help="Exit with 0 even when there are findings (still 2 on an error).",
        ),
        click.option("-q", "--quiet", is_flag=True, help="Print the findings, but nothing else (no summary lines)."),
        click.option(
            "-s",
            "--silent",
            is_flag=True,
            help="Print nothing (but errors); the exit code still says whether there are findings.",
        ),
        click.option("-v", "--verbose", is_flag=True, help="Show tracebacks of internal errors."),
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(min=1),
            default=None,
            metavar="N",
            help="Processes for parsing and analysis (default: the number of CPUs).",
        ),
        click.option("--no-cache", is_flag=True, envvar="TIPCHECK_NO_CACHE", help="Neither read nor write the cache."),
        click.option(
            "--cache-dir",
            type=click.Path(file_okay=False),
            envvar=ENV_CACHE_DIR,
            default=None,
            help=f"Where to keep the cache (default: {DEFAULT_CACHE_DIR}/ in the project root; also ${ENV_CACHE_DIR}).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command
