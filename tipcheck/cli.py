"""The command line: `tipcheck lint`, `tipcheck fix`, `tipcheck rules`, `tipcheck rule CODE`."""

from __future__ import annotations

import difflib
import json
import sys
from typing import Dict, List, Sequence

import click

from tipcheck import __version__
from tipcheck.diagnostics import Diagnostic
from tipcheck.discovery import discover
from tipcheck.docs import rule_page, rule_url
from tipcheck.engine import FileResult, InternalError, fix_paths, lint_paths
from tipcheck.output import FORMATS, concise, display_path, fix_summary, full, json_format, lint_summary
from tipcheck.rules import ALL_RULES, RULES_BY_CODE, SelectionError, select_rules
from tipcheck.source import SourceFile, write_atomic

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _split(values: Sequence[str]) -> List[str]:
    return [part for value in values for part in value.split(",") if part.strip()]


def _common(func):
    options = [
        click.argument("paths", nargs=-1, type=click.Path()),
        click.option("--select", multiple=True, metavar="CODES", help="Rule codes or prefixes to enable (e.g. TIP2)."),
        click.option("--ignore", multiple=True, metavar="CODES", help="Rule codes or prefixes to disable."),
        click.option("--format", "output_format", type=click.Choice(FORMATS), default="full", show_default=True),
        click.option("--unsafe-fixes/--no-unsafe-fixes", default=False, help="Include fixes that may change behaviour."),
        click.option(
            "--respect-gitignore/--no-respect-gitignore", default=True, show_default=True,
            help="Skip files that .gitignore ignores.",
        ),
        click.option("-v", "--verbose", is_flag=True, help="Show tracebacks of internal errors."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _rules(select, ignore):
    try:
        return select_rules(_split(select), _split(ignore))
    except SelectionError as exc:
        raise click.UsageError(str(exc))


def _files(paths, respect_gitignore) -> List[str]:
    found = discover(paths or (".",), respect_gitignore=respect_gitignore)
    return found.files, found.missing


def _report_errors(errors: List[InternalError], verbose: bool) -> None:
    for error in errors:
        where = f" in {error.rule}" if error.rule else ""
        click.echo(f"error: internal error{where} on {display_path(error.path)}: {error.detail}", err=True)
        if verbose:
            click.echo(error.trace, err=True)
    if errors and not verbose:
        click.echo("(run with --verbose to see the traceback; please report it)", err=True)


def _missing_diagnostics(missing: Sequence[str]) -> List[Diagnostic]:
    from tipcheck.engine import _file_diagnostic
    from tipcheck.diagnostics import IO_ERROR

    return [_file_diagnostic(path, IO_ERROR, "cannot read file: no such file or directory") for path in missing]


def _order(diags: List[Diagnostic]) -> None:
    """Sort by the path as shown, so that `a.py` and `/abs/a.py` sort alike whatever the argument order."""
    diags.sort(key=lambda d: (display_path(d.path), *d.sort_key[1:]))


def _emit(diags: List[Diagnostic], sources: Dict[str, SourceFile], output_format: str, unsafe: bool) -> None:
    if output_format == "json":
        click.echo(json_format(diags, sources), nl=False)
    elif output_format == "concise":
        click.echo(concise(diags, unsafe), nl=False)
    else:
        click.echo(full(diags, unsafe), nl=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="tipcheck")
def cli() -> None:
    """tipcheck: a linter and auto-fixer for PyTorch training scripts."""


@cli.command()
@_common
def lint(paths, select, ignore, output_format, unsafe_fixes, respect_gitignore, verbose):
    """Report the findings in PATHS (default: the current folder)."""
    rules = _rules(select, ignore)
    files, missing = _files(paths, respect_gitignore)
    results: List[FileResult] = lint_paths(files, rules)
    diags = _missing_diagnostics(missing) + [d for r in results for d in r.diagnostics]
    _order(diags)
    sources = {r.path: r.source for r in results if r.source is not None}
    errors = [e for r in results for e in r.errors]
    if not files and not missing:
        click.echo("warning: No Python files found under the given path(s)", err=True)
    _emit(diags, sources, output_format, unsafe_fixes)
    if output_format != "json":
        click.echo(lint_summary(diags, unsafe_fixes), nl=False)
    _report_errors(errors, verbose)
    sys.exit(EXIT_ERROR if errors else EXIT_FINDINGS if diags else EXIT_OK)


@cli.command()
@_common
@click.option("--diff", is_flag=True, help="Print the changes as a unified diff and write nothing.")
def fix(paths, select, ignore, output_format, unsafe_fixes, respect_gitignore, verbose, diff):
    """Apply the fixes to PATHS (safe ones; unsafe ones too with --unsafe-fixes)."""
    rules = _rules(select, ignore)
    files, missing = _files(paths, respect_gitignore)
    results = fix_paths(files, rules, unsafe_fixes)
    errors = [e for r in results for e in r.errors]
    if not files and not missing:
        click.echo("warning: No Python files found under the given path(s)", err=True)
    fixed = 0
    for result in results:
        for message in dict.fromkeys(result.dropped_fixes):
            click.echo(f"warning: {message}", err=True)
        if result.fixed_text is None:
            continue
        source = result.source
        if diff:
            click.echo(
                "".join(
                    difflib.unified_diff(
                        source.text.splitlines(keepends=True),
                        result.fixed_text.splitlines(keepends=True),
                        fromfile=f"a/{display_path(source.path)}",
                        tofile=f"b/{display_path(source.path)}",
                    )
                ),
                nl=False,
            )
        else:
            try:
                write_atomic(source.path, source.encode(result.fixed_text))
            except (OSError, UnicodeEncodeError) as exc:
                errors.append(InternalError(source.path, None, f"cannot write the fixed file: {exc}", ""))
                continue
        fixed += result.fixed_count
    remaining = _missing_diagnostics(missing) + [d for r in results for d in r.diagnostics]
    _order(remaining)
    # What remains is located in the fixed text, not in the text that was read.
    sources = {
        r.path: r.source if r.fixed_text is None else SourceFile(r.path, r.fixed_text, r.source.encoding)
        for r in results
        if r.source is not None
    }
    if diff:
        # Nothing was written: what remains is what a real run would leave.
        pass
    elif remaining:
        _emit(remaining, sources, output_format, unsafe_fixes)
    if output_format != "json":
        click.echo(fix_summary(fixed, remaining, unsafe_fixes, diff), nl=False, err=diff)
    elif diff:
        pass
    _report_errors(errors, verbose)
    if errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if remaining or (diff and fixed) else EXIT_OK)


@cli.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_rules(output_format):
    """List every rule."""
    if output_format == "json":
        click.echo(
            json.dumps(
                [
                    {"code": r.code, "name": r.name, "summary": r.summary, "fix": r.fixable, "url": rule_url(r.code)}
                    for r in ALL_RULES
                ],
                indent=2,
            )
        )
        return
    width = max(len(r.name) for r in ALL_RULES)
    for r in ALL_RULES:
        click.echo(f"{r.code}  {r.name:<{width}}  {r.summary}")


@cli.command("rule")
@click.argument("code")
def show_rule(code):
    """Print the page of one rule (e.g. `tipcheck rule TIP201`)."""
    code = code.upper()
    if code not in RULES_BY_CODE:
        raise click.UsageError(f"unknown rule `{code}` (see `tipcheck rules`)")
    page = rule_page(code)
    if page is None:
        raise click.ClickException(f"the page of {code} is missing from this installation")
    click.echo(page, nl=not page.endswith("\n"))


@cli.command("harness")
@click.argument("fixtures", nargs=-1, type=click.Path())
@click.option("--device", "devices", multiple=True, type=click.Choice(["cpu", "cuda"]), help="Run on this device (repeat for both; default cpu).")
@click.option("--nproc", type=click.IntRange(min=1), default=None, help="Processes for the distributed fixtures (default: theirs).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), metavar="REPORT", help="Write the JSON report (and a .md summary beside it).")
@click.option("--fixed-dir", type=click.Path(exists=True, file_okay=False), help="Take the fixed copies from DIR (a --prepare'd folder, or NAME.py files).")
@click.option("--prepare", type=click.Path(file_okay=False), metavar="DIR", help="Write originals, fixed copies, expectations and the harness runtime to DIR; run nothing.")
@click.option("--timeout", type=float, default=None, help="Seconds per run (default: the expectation's, or 120).")
@click.option("--keep", type=click.Path(file_okay=False), metavar="DIR", help="Keep the scripts and the runs' outputs in DIR.")
@click.option("--preload/--no-preload", default=True, show_default=True, help="Fork runs from a process that imported torch once.")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="Fixture×environment pairs to run at once.")
@click.option("--list-checks", is_flag=True, help="List the checks expectation files can use.")
def harness(fixtures, devices, nproc, json_path, fixed_dir, prepare, timeout, keep, preload, jobs, list_checks):
    """Run FIXTURES before and after tipcheck's fixes (unsafe ones too) and check each against its
    expectation file, NAME.expect.json (default: every fixtures/*.py that has one). Needs the
    harness extra (torch, torchvision)."""
    from tipcheck.harness.runner import command

    sys.exit(
        command(
            fixtures, devices=devices or ("cpu",), nproc=nproc, json_path=json_path, fixed_dir=fixed_dir,
            prepare=prepare, timeout=timeout, keep=keep, preload=preload, jobs=jobs, list_checks=list_checks,
            out=sys.stdout, err=sys.stderr, argv=None,
        )
    )


def main() -> None:
    try:
        cli(prog_name="tipcheck")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # never a traceback to the user
        click.echo(f"error: internal error: {exc!r}", err=True)
        sys.exit(EXIT_ERROR)
