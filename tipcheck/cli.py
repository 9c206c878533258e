"""The command line: `tipcheck lint` (also `tipcheck check`, as Ruff's), `tipcheck fix`, `tipcheck
rules`, `tipcheck rule CODE`.

Start-up is kept short (a run answered by the cache is mostly start-up): what only some runs need
(fixing, and with it LibCST and the rules) is imported where it is used; the options `lint` and
`fix` share are tipcheck.options, where their output goes tipcheck.output.printer, and `lint
--watch` tipcheck.watch."""

from __future__ import annotations

import atexit
import os
import sys
from dataclasses import dataclass, field
from functools import partial
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import click

from tipcheck import __version__, watch
from tipcheck.cache import Cache
from tipcheck.cache import default_dir as default_cache_dir
from tipcheck.codes import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, IO_ERROR
from tipcheck.commands import clean, harness, list_rules, show_rule, verify
from tipcheck.config import ConfigError, Overrides, Resolver, Settings
from tipcheck.diagnostics import Diagnostic
from tipcheck.discovery import discover
from tipcheck.engine import (
    FileResult,
    InternalError,
    Skipped,
    check_sources,
    file_diagnostic,
    lint_paths,
    notebook_source,
)
from tipcheck.limits import run_with_deep_stack
from tipcheck.notebook import Notebook, NotebookError, is_notebook_path
from tipcheck.options import common_options
from tipcheck.output import (
    HUMAN_FORMATS,
    Printer,
    Progress,
    concise,
    display_path,
    fix_summary,
    lint_summary,
    render,
    use_color,
)
from tipcheck.output import statistics as output_statistics
from tipcheck.policy import Policy
from tipcheck.pool import default_jobs, tune_gc
from tipcheck.ruleinfo import RuleInfo, catalogue
from tipcheck.source import SourceError, SourceFile
from tipcheck.suppression import add_noqa
from tipcheck.writing import write_file


@dataclass
class _Run:
    """What one invocation resolved: settings per file, the rules, and how to report."""

    resolver: Resolver
    base: Settings
    policy: Policy
    output_format: str
    unsafe: bool
    respect_gitignore: bool
    jobs: int = 1
    cache: Optional[Cache] = None
    printer: Printer = field(default_factory=Printer)
    verbose: bool = False
    exit_zero: bool = False  # --exit-zero: findings do not make the exit code 1
    stdin_filename: Optional[str] = None

    def rules_for(self, paths: Sequence[str]) -> List[RuleInfo]:
        """Every rule enabled for at least one of the files (the policy drops the others' findings):
        their catalogue entries, so that a run answered by the cache does not import the rules."""
        codes = set().union(*(self.resolver.for_path(p).enabled_codes_for(p) for p in paths)) if paths else set()
        return [rule for rule in catalogue() if rule.code in codes]


def _setup(
    select,
    extend_select,
    ignore,
    output_format,
    unsafe_fixes,
    respect_gitignore,
    config_path,
    jobs=None,
    no_cache=False,
    cache_dir=None,
    preview=None,
    printer: Optional[Printer] = None,
) -> _Run:
    try:
        overrides = Overrides(
            select=list(select) or None,
            extend_select=list(extend_select),
            ignore=list(ignore),
            unsafe_fixes=unsafe_fixes,
            output_format=output_format,
            respect_gitignore=respect_gitignore,
            preview=preview,
        )
        resolver = Resolver(config=config_path, overrides=overrides)
        base = resolver.base()
    except ConfigError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    run = _Run(resolver, base, Policy(resolver), base.output_format, base.unsafe_fixes, base.respect_gitignore)
    run.printer = printer or run.printer
    run.jobs = jobs or default_jobs()
    if not no_cache:
        # As Ruff: in the project root (the folder of the config file in use), else here.
        root = os.path.dirname(base.path) if base.path else os.getcwd()
        run.cache = Cache(cache_dir or default_cache_dir(root))
    return run


def _start(paths, options) -> _Run:
    """The run that `lint` and `fix` options (tipcheck.options) describe; --show-settings ends here."""
    run = _setup(
        options["select"],
        options["extend_select"],
        options["ignore"],
        options["output_format"],
        options["unsafe_fixes"],
        options["respect_gitignore"],
        options["config_path"],
        options["jobs"],
        options["no_cache"],
        options["cache_dir"],
        options["preview"],
        printer=Printer(options["level"], options["output_file"]),
    )
    run.verbose, run.exit_zero, run.stdin_filename = options["verbose"], options["exit_zero"], options["stdin_filename"]
    if options["show_settings"]:
        _show_settings(run, paths)
    return run


def _exit_code(run: _Run, failed: bool, findings: bool) -> int:
    """2 on an error (whatever --exit-zero says, as Ruff), else 1 with findings unless --exit-zero."""
    return EXIT_ERROR if failed else EXIT_FINDINGS if findings and not run.exit_zero else EXIT_OK


def _files(run: _Run, paths) -> Tuple[List[str], List[str]]:
    def excluded(path: str) -> bool:
        try:
            return run.resolver.for_path(path).is_excluded(path)
        except ConfigError as exc:  # a broken config further down the tree
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_ERROR)

    found = discover(paths or (".",), respect_gitignore=run.respect_gitignore, excluded=excluded)
    if found.unapplied_gitignores:
        first = display_path(os.path.join(found.unapplied_gitignores[0], ".gitignore"))
        more = len(found.unapplied_gitignores) - 1
        run.printer.warning(
            f"{first}{f' (and {more} more)' if more else ''} not applied: not inside a git "
            "repository (as in git and Ruff, .gitignore files apply inside one only); use "
            "`extend-exclude` to exclude those files"
        )
    return found.files, found.problems()


def _report_errors(errors: List[InternalError], verbose: bool) -> None:
    for error in errors:
        where = f" in {error.rule}" if error.rule else ""
        click.echo(f"error: internal error{where} on {display_path(error.path)}: {error.detail}", err=True)
        if verbose:
            click.echo(error.trace, err=True)
    if errors and not verbose:
        click.echo("(run with --verbose to see the traceback; please report it)", err=True)


def _unchecked(errors: List[InternalError]) -> int:
    """How many files an internal error kept from being fully checked."""
    return len({error.path for error in errors})


def _write_back(path: str, encode: Callable[[], bytes], failures: List[Tuple[str, str]]) -> bool:
    """Write a file's new bytes (tipcheck.writing); False, with the reason added to ``failures``,
    when they cannot be made (an encoding, a notebook) or written (permissions, a full disk)."""
    try:
        write_file(path, encode())
    except (OSError, UnicodeEncodeError, NotebookError) as exc:
        failures.append((path, exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)))
        return False
    return True


def _report_write_failures(failures: List[Tuple[str, str]]) -> None:
    for path, reason in failures:
        click.echo(f"error: cannot write {display_path(path)}: {reason}; it was left unchanged", err=True)


def _missing_diagnostics(missing: Sequence[Tuple[str, str]]) -> List[Diagnostic]:
    """The paths given or met that could not be read (discovery's problems), as io-error findings."""
    return [file_diagnostic(path, IO_ERROR, message) for path, message in missing]


def _order(diags: List[Diagnostic]) -> None:
    """Sort by the path as shown, so that `a.py` and `/abs/a.py` sort alike whatever the argument order."""
    diags.sort(key=lambda d: (display_path(d.path), *d.sort_key[1:]))


def _render(run: _Run, diags: List[Diagnostic], sources: Dict[str, SourceFile], output_file: Optional[str]) -> str:
    color = output_file is None and use_color(sys.stdout)
    notebooks = {path: source.notebook for path, source in sources.items() if source.notebook is not None}
    return render(run.output_format, diags, sources, run.unsafe, color=color, notebooks=notebooks)


def _read_stdin(
    filename: Optional[str], verbose: bool = False, printer: Optional[Printer] = None
) -> Tuple[Optional[SourceFile], bytes]:
    """The source read from stdin and its bytes; a notebook when ``filename`` ends with .ipynb
    (None for one that is not Python: it is not linted)."""
    data = sys.stdin.buffer.read()
    name = filename or "-"
    try:
        if is_notebook_path(name):
            source = notebook_source(Notebook.read(data, path=name))
            if isinstance(source, Skipped):
                if verbose:
                    (printer or Printer()).note(f"{display_path(name)} skipped: {source.reason}")
                return None, data
            return source, data
        return SourceFile.from_bytes(name, data), data
    except (SourceError, NotebookError) as exc:
        click.echo(f"error: cannot read stdin: {exc}", err=True)
        sys.exit(EXIT_ERROR)


def _report_skipped(results: List[FileResult], run: _Run) -> None:
    if run.verbose:
        for result in results:
            if result.skipped:
                run.printer.note(f"{display_path(result.path)} skipped: {result.skipped}")


def _show_settings(run: _Run, paths) -> None:
    from tipcheck.settings_text import describe

    target = paths[0] if paths and paths[0] != "-" else "."
    settings = run.resolver.for_folder(target) if os.path.isdir(target) else run.resolver.for_path(target)
    click.echo(describe(settings))
    sys.exit(EXIT_OK)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="tipcheck")
def cli() -> None:
    """tipcheck: a linter and auto-fixer for PyTorch training scripts."""


@cli.command()
@common_options
@click.option("--statistics", is_flag=True, help="Count the findings per rule instead of listing them.")
@click.option(
    "--add-noqa",
    is_flag=True,
    help="Add `# noqa: CODE` to every line with a finding (to adopt tipcheck in a legacy code base).",
)
@click.option("--fix", "apply_fixes", is_flag=True, help="Apply the fixes, as `tipcheck fix` does.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff and write nothing (as `fix --diff`).")
@click.option("--watch", "-w", "watching", is_flag=True, help="Lint again whenever a file changes (Ctrl-C stops).")
def lint(paths, statistics, add_noqa, apply_fixes, diff, watching, **options):
    """Report the findings in PATHS (default: the current folder; `-` reads stdin)."""
    if add_noqa and (apply_fixes or diff):
        raise click.UsageError("--add-noqa cannot be used with --fix or --diff")
    if watching and (paths == ("-",) or add_noqa):
        raise click.UsageError("--watch cannot be used with stdin (`-`) or --add-noqa")
    if apply_fixes or diff:
        once = partial(_fix, paths, diff, statistics, options)
    else:
        once = partial(_lint, paths, statistics, add_noqa, options)
    if watching:
        _watch(once, paths, options["level"])
    sys.exit(once()[0])


def _lint(paths, statistics: bool, add_noqa: bool, options) -> Tuple[int, _Run, List[str]]:
    """One `lint`: its exit code, its run, and the files it linted."""
    run = _start(paths, options)
    printer = run.printer
    if paths == ("-",):
        source, data = _read_stdin(run.stdin_filename, run.verbose, printer)
        if source is None and add_noqa:  # a notebook in another language: echoed as it came
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        results = check_sources([source], run.rules_for([source.path]), run.policy) if source is not None else []
        files, missing = [run.stdin_filename or "-"], []
    else:
        files, missing = _files(run, paths)
        # Drawn only on a terminal, for long runs, and not when quiet.
        with Progress(len(files) if printer.chatty else 0, sys.stderr) as progress:
            results = lint_paths(files, run.rules_for(files), run.policy, progress.update, run.jobs, run.cache)
    diags = _missing_diagnostics(missing) + [d for r in results for d in r.diagnostics]
    _order(diags)
    sources = {r.path: r.source for r in results if r.source is not None}
    errors = [e for r in results for e in r.errors]
    if not files and not missing:
        printer.warning("No Python files found under the given path(s)")
    _report_skipped(results, run)
    if add_noqa:
        failures = _add_noqa(results, paths == ("-",), printer)
        _report_write_failures(failures)
        _report_errors(errors, run.verbose)
        return _exit_code(run, bool(errors or failures), False), run, files
    if statistics:
        printer.findings(output_statistics(diags, run.unsafe))
    else:
        color = printer.output_file is None and use_color(sys.stdout)
        printer.findings(_render(run, diags, sources, printer.output_file), color=color)
        if run.output_format in HUMAN_FORMATS:
            printer.summary(lint_summary(diags, run.unsafe, _unchecked(errors)))
    _report_errors(errors, run.verbose)
    return _exit_code(run, bool(errors), bool(diags)), run, files


def _watch(once: Callable[[], Tuple[int, _Run, List[str]]], paths, level: str) -> None:
    """`lint --watch` (tipcheck.watch): each run watches its files, the paths given and the config
    files in use."""

    def run_once() -> List[str]:
        _, run, files = once()
        configs = {run.resolver.for_path(path).path for path in files} | {run.base.path}
        return [*files, *(paths or (".",)), *(config for config in configs if config)]

    watch.watch(run_once, Printer(level))
    sys.exit(EXIT_OK)  # not reached: Ctrl-C ends watching (tipcheck.cli.run)


def _add_noqa(results: List[FileResult], stdin: bool, printer: Printer) -> List[Tuple[str, str]]:
    """Add the comments and write the files (with stdin: echo the source, commented or not, as an
    editor piping its buffer through expects); the files that could not be written."""
    added = skipped = 0
    failures: List[Tuple[str, str]] = []
    for result in results:
        source = result.source
        if source is None or not (stdin or result.diagnostics):
            continue
        outcome = add_noqa(source.text, result.diagnostics)
        if stdin:
            sys.stdout.buffer.write(source.encode_fixed(outcome.text))
            sys.stdout.flush()
        elif outcome.text != source.text:
            # A notebook's text is its code cells joined: the comments go back into the cells.
            if not _write_back(source.path, partial(source.encode_fixed, outcome.text), failures):
                continue
        added, skipped = added + outcome.added, skipped + outcome.skipped
    printer.summary(f"Added {added} noqa directive{'' if added == 1 else 's'}.\n", err=stdin)
    if skipped:
        printer.summary(f"{skipped} finding(s) could not take a comment (inside a multi-line string).\n", err=True)
    return failures


@cli.command()
@common_options
@click.option("--diff", is_flag=True, help="Print the changes as a unified diff and write nothing.")
def fix(paths, diff, **options):
    """Apply the fixes to PATHS (safe ones; unsafe ones too with --unsafe-fixes). With `-`, read
    stdin and write the fixed source to stdout (for editors)."""
    sys.exit(_fix(paths, diff, False, options)[0])


def _fix(paths, diff: bool, statistics: bool, options) -> Tuple[int, _Run, List[str]]:
    """One `fix` (or `lint --fix`): its exit code, its run, and the files it fixed."""
    run = _start(paths, options)
    printer = run.printer
    if paths == ("-",):
        _fix_stdin(run, run.stdin_filename, run.verbose)
    from tipcheck.fixing import fix_paths  # LibCST: only when fixing

    files, missing = _files(run, paths)
    results = fix_paths(files, run.rules_for(files), run.unsafe, run.policy, run.jobs, run.cache)
    errors = [e for r in results for e in r.errors]
    if not files and not missing:
        printer.warning("No Python files found under the given path(s)")
    _report_skipped(results, run)
    fixed = 0
    diffs: List[str] = []
    failures: List[Tuple[str, str]] = []
    for result in results:
        for message in dict.fromkeys(result.dropped_fixes):
            printer.warning(message)
        if result.fixed_text is None:
            continue
        source = result.source
        if diff and source.notebook is not None:
            diffs.append(source.notebook.diff(result.fixed_text, display_path(source.path)))
        elif diff:
            import difflib

            diffs.extend(
                difflib.unified_diff(
                    source.text.splitlines(keepends=True),
                    result.fixed_text.splitlines(keepends=True),
                    fromfile=f"a/{display_path(source.path)}",
                    tofile=f"b/{display_path(source.path)}",
                )
            )
        elif not _write_back(source.path, partial(source.encode_fixed, result.fixed_text), failures):
            # Not written: nothing was fixed, and what was found in the file as it is remains.
            result.fixed_text, result.fixed_count, result.diagnostics = None, 0, result.unfixed_diagnostics
            continue
        fixed += result.fixed_count
    if diff:
        printer.findings("".join(diffs))
    remaining = _missing_diagnostics(missing) + [d for r in results for d in r.diagnostics]
    _order(remaining)
    # What remains is located in the fixed text, not in the text that was read.
    sources = {r.path: _after_fix(r) for r in results if r.source is not None}
    if statistics and not diff:
        printer.findings(output_statistics(remaining, run.unsafe))
    elif not diff and remaining:
        printer.findings(_render(run, remaining, sources, printer.output_file))
    if run.output_format in HUMAN_FORMATS:
        printer.summary(fix_summary(fixed, remaining, run.unsafe, diff, _unchecked(errors)), err=diff)
    _report_write_failures(failures)
    _report_errors(errors, run.verbose)
    return _exit_code(run, bool(errors or failures), bool(remaining or (diff and fixed))), run, files


def _after_fix(result: FileResult) -> SourceFile:
    """The source the remaining findings are located in: the fixed text, when there is one."""
    source = result.source
    if result.fixed_text is None:
        return source
    fixed = SourceFile(source.path, result.fixed_text, source.encoding)
    if source.notebook is not None:
        fixed.notebook = Notebook.read(source.notebook.write_fixed(result.fixed_text), path=source.path)
    return fixed


def _fix_stdin(run: _Run, stdin_filename: Optional[str], verbose: bool) -> None:
    """`tipcheck fix -`: the fixed source on stdout, what remains on stderr."""
    source, data = _read_stdin(stdin_filename, verbose, run.printer)
    if source is None:  # a notebook in another language: given back as it came
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        sys.exit(EXIT_OK)
    from tipcheck.fixing import fix_sources

    [result] = fix_sources([source], run.rules_for([source.path]), run.unsafe, run.policy)
    output = data  # nothing fixed: the bytes as they came
    if result.fixed_text is not None:
        try:  # a notebook is written back as its JSON, with the fixed cells
            output = source.encode_fixed(result.fixed_text)
        except (NotebookError, UnicodeEncodeError) as exc:
            result.errors.append(InternalError(source.path, None, f"cannot write the fixed source: {exc}", ""))
    sys.stdout.buffer.write(output)  # the fixed source is the product, at every level
    sys.stdout.flush()
    if result.diagnostics:
        run.printer.findings(concise(result.diagnostics, run.unsafe), err=True)
    _report_errors(result.errors, verbose)
    sys.exit(_exit_code(run, bool(result.errors), bool(result.diagnostics)))


for _command in (clean, list_rules, show_rule, harness, verify):  # tipcheck.commands
    cli.add_command(_command)
cli.add_command(lint, "check")  # Ruff's name for it


@cli.command("server")
def server():
    """Run the language server on stdio, for editors (needs `pip install 'tipcheck[server]'`)."""
    from tipcheck.server import main as serve  # imports pygls: only for this command

    sys.exit(serve())


def main() -> None:
    tune_gc()
    try:
        cli(prog_name="tipcheck")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(_interrupted())
    except Exception as exc:  # never a traceback to the user
        click.echo(f"error: internal error: {exc!r}", err=True)
        sys.exit(EXIT_ERROR)


def run() -> None:
    """The `tipcheck` command: main() on a thread with a deep stack (tipcheck.limits), then a fast
    exit."""
    try:
        run_with_deep_stack(main)
    except SystemExit as exc:
        _exit(exc.code)
    except KeyboardInterrupt:  # while this thread waits for main's
        _exit(_interrupted())


def _interrupted() -> int:
    """Ctrl-C: how `lint --watch` ends (0, quietly); anything else says it was interrupted (130)."""
    if watch.ACTIVE.is_set():
        return EXIT_OK
    click.echo("interrupted", err=True)
    return 130


def _exit(code) -> None:
    """Exit without tearing down the heap object by object (a second or more after a large run):
    everything is written and flushed by now, and the OS frees the memory at once."""
    if code is not None and not isinstance(code, int):
        click.echo(code, err=True)
        code = 1
    atexit._run_exitfuncs()  # what was registered still runs (the harness's preload server closes)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass
    os._exit(code or 0)
