"""The command line: `tipcheck lint`, `tipcheck fix`, `tipcheck rules`, `tipcheck rule CODE`."""

from __future__ import annotations

import atexit
import difflib
import os
import sys
from dataclasses import dataclass
from functools import partial
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import click

from tipcheck import __version__
from tipcheck.cache import DEFAULT_DIR as DEFAULT_CACHE_DIR
from tipcheck.cache import ENV_VAR as ENV_CACHE_DIR
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
from tipcheck.fixing import fix_paths, fix_sources
from tipcheck.limits import run_with_deep_stack
from tipcheck.notebook import Notebook, NotebookError, is_notebook_path
from tipcheck.output import (
    FORMATS,
    HUMAN_FORMATS,
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
from tipcheck.rules import ALL_RULES
from tipcheck.rules.base import Rule
from tipcheck.source import SourceError, SourceFile
from tipcheck.suppression import add_noqa
from tipcheck.writing import write_file


def _common(func):
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
            "--format",
            "output_format",
            type=click.Choice(FORMATS),
            default=None,
            help="Output format (default: full, or the config's).",
        ),
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
        func = option(func)
    return func


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

    def rules_for(self, paths: Sequence[str]) -> List[Rule]:
        """Every rule enabled for at least one of the files (the policy drops the others' findings)."""
        codes = set().union(*(self.resolver.for_path(p).enabled_codes_for(p) for p in paths)) if paths else set()
        return [rule for rule in ALL_RULES if rule.code in codes]


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
    run.jobs = jobs or default_jobs()
    if not no_cache:
        # As Ruff: in the project root (the folder of the config file in use), else here.
        root = os.path.dirname(base.path) if base.path else os.getcwd()
        run.cache = Cache(cache_dir or default_cache_dir(root))
    return run


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
        click.echo(
            f"warning: {first}{f' (and {more} more)' if more else ''} not applied: not inside a git "
            "repository (as in git and Ruff, .gitignore files apply inside one only); use "
            "`extend-exclude` to exclude those files",
            err=True,
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


def _emit(text: str, output_file: Optional[str], color: bool = False) -> None:
    if output_file is None:
        click.echo(text, nl=False, color=color or None)  # click strips colour off a terminal unless told
        return
    try:
        with open(output_file, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        click.echo(f"error: cannot write {output_file}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_ERROR)


def _render(run: _Run, diags: List[Diagnostic], sources: Dict[str, SourceFile], output_file: Optional[str]) -> str:
    color = output_file is None and use_color(sys.stdout)
    notebooks = {path: source.notebook for path, source in sources.items() if source.notebook is not None}
    return render(run.output_format, diags, sources, run.unsafe, color=color, notebooks=notebooks)


def _read_stdin(filename: Optional[str], verbose: bool = False) -> Tuple[Optional[SourceFile], bytes]:
    """The source read from stdin and its bytes; a notebook when ``filename`` ends with .ipynb
    (None for one that is not Python: it is not linted)."""
    data = sys.stdin.buffer.read()
    name = filename or "-"
    try:
        if is_notebook_path(name):
            source = notebook_source(Notebook.read(data, path=name))
            if isinstance(source, Skipped):
                if verbose:
                    click.echo(f"note: {display_path(name)} skipped: {source.reason}", err=True)
                return None, data
            return source, data
        return SourceFile.from_bytes(name, data), data
    except (SourceError, NotebookError) as exc:
        click.echo(f"error: cannot read stdin: {exc}", err=True)
        sys.exit(EXIT_ERROR)


def _report_skipped(results: List[FileResult], verbose: bool) -> None:
    if verbose:
        for result in results:
            if result.skipped:
                click.echo(f"note: {display_path(result.path)} skipped: {result.skipped}", err=True)


def _show_settings(run: _Run, paths) -> None:
    target = paths[0] if paths and paths[0] != "-" else "."
    settings = run.resolver.for_folder(target) if os.path.isdir(target) else run.resolver.for_path(target)
    click.echo(settings.describe())
    sys.exit(EXIT_OK)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="tipcheck")
def cli() -> None:
    """tipcheck: a linter and auto-fixer for PyTorch training scripts."""


@cli.command()
@_common
@click.option("--statistics", is_flag=True, help="Count the findings per rule instead of listing them.")
@click.option(
    "--add-noqa",
    is_flag=True,
    help="Add `# noqa: CODE` to every line with a finding (to adopt tipcheck in a legacy code base).",
)
def lint(
    paths,
    select,
    extend_select,
    ignore,
    output_format,
    unsafe_fixes,
    preview,
    respect_gitignore,
    config_path,
    show_settings,
    stdin_filename,
    output_file,
    verbose,
    jobs,
    no_cache,
    cache_dir,
    statistics,
    add_noqa,
):
    """Report the findings in PATHS (default: the current folder; `-` reads stdin)."""
    run = _setup(
        select,
        extend_select,
        ignore,
        output_format,
        unsafe_fixes,
        respect_gitignore,
        config_path,
        jobs,
        no_cache,
        cache_dir,
        preview,
    )
    if show_settings:
        _show_settings(run, paths)
    if paths == ("-",):
        source, data = _read_stdin(stdin_filename, verbose)
        if source is None and add_noqa:  # a notebook in another language: echoed as it came
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        results = check_sources([source], run.rules_for([source.path]), run.policy) if source is not None else []
        files, missing = [stdin_filename or "-"], []
    else:
        files, missing = _files(run, paths)
        with Progress(len(files), sys.stderr) as progress:  # drawn only on a terminal, for long runs
            results = lint_paths(files, run.rules_for(files), run.policy, progress.update, run.jobs, run.cache)
    diags = _missing_diagnostics(missing) + [d for r in results for d in r.diagnostics]
    _order(diags)
    sources = {r.path: r.source for r in results if r.source is not None}
    errors = [e for r in results for e in r.errors]
    if not files and not missing:
        click.echo("warning: No Python files found under the given path(s)", err=True)
    _report_skipped(results, verbose)
    if add_noqa:
        failures = _add_noqa(results, paths == ("-",))
        _report_write_failures(failures)
        _report_errors(errors, verbose)
        sys.exit(EXIT_ERROR if errors or failures else EXIT_OK)
    if statistics:
        _emit(output_statistics(diags, run.unsafe), output_file)
    else:
        _emit(
            _render(run, diags, sources, output_file), output_file, color=output_file is None and use_color(sys.stdout)
        )
        if run.output_format in HUMAN_FORMATS:
            click.echo(lint_summary(diags, run.unsafe, _unchecked(errors)), nl=False)
    _report_errors(errors, verbose)
    sys.exit(EXIT_ERROR if errors else EXIT_FINDINGS if diags else EXIT_OK)


def _add_noqa(results: List[FileResult], stdin: bool) -> List[Tuple[str, str]]:
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
    click.echo(f"Added {added} noqa directive{'' if added == 1 else 's'}.", err=stdin)
    if skipped:
        click.echo(f"{skipped} finding(s) could not take a comment (inside a multi-line string).", err=True)
    return failures


@cli.command()
@_common
@click.option("--diff", is_flag=True, help="Print the changes as a unified diff and write nothing.")
def fix(
    paths,
    select,
    extend_select,
    ignore,
    output_format,
    unsafe_fixes,
    preview,
    respect_gitignore,
    config_path,
    show_settings,
    stdin_filename,
    output_file,
    verbose,
    jobs,
    no_cache,
    cache_dir,
    diff,
):
    """Apply the fixes to PATHS (safe ones; unsafe ones too with --unsafe-fixes). With `-`, read
    stdin and write the fixed source to stdout (for editors)."""
    run = _setup(
        select,
        extend_select,
        ignore,
        output_format,
        unsafe_fixes,
        respect_gitignore,
        config_path,
        jobs,
        no_cache,
        cache_dir,
        preview,
    )
    if show_settings:
        _show_settings(run, paths)
    if paths == ("-",):
        _fix_stdin(run, stdin_filename, verbose)
    files, missing = _files(run, paths)
    results = fix_paths(files, run.rules_for(files), run.unsafe, run.policy, run.jobs, run.cache)
    errors = [e for r in results for e in r.errors]
    if not files and not missing:
        click.echo("warning: No Python files found under the given path(s)", err=True)
    _report_skipped(results, verbose)
    fixed = 0
    diffs: List[str] = []
    failures: List[Tuple[str, str]] = []
    for result in results:
        for message in dict.fromkeys(result.dropped_fixes):
            click.echo(f"warning: {message}", err=True)
        if result.fixed_text is None:
            continue
        source = result.source
        if diff and source.notebook is not None:
            diffs.append(source.notebook.diff(result.fixed_text, display_path(source.path)))
        elif diff:
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
        _emit("".join(diffs), output_file)
    remaining = _missing_diagnostics(missing) + [d for r in results for d in r.diagnostics]
    _order(remaining)
    # What remains is located in the fixed text, not in the text that was read.
    sources = {r.path: _after_fix(r) for r in results if r.source is not None}
    if not diff and remaining:
        _emit(_render(run, remaining, sources, output_file), output_file)
    if run.output_format in HUMAN_FORMATS:
        click.echo(fix_summary(fixed, remaining, run.unsafe, diff, _unchecked(errors)), nl=False, err=diff)
    _report_write_failures(failures)
    _report_errors(errors, verbose)
    if errors or failures:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if remaining or (diff and fixed) else EXIT_OK)


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
    source, data = _read_stdin(stdin_filename, verbose)
    if source is None:  # a notebook in another language: given back as it came
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        sys.exit(EXIT_OK)
    [result] = fix_sources([source], run.rules_for([source.path]), run.unsafe, run.policy)
    output = data  # nothing fixed: the bytes as they came
    if result.fixed_text is not None:
        try:  # a notebook is written back as its JSON, with the fixed cells
            output = source.encode_fixed(result.fixed_text)
        except (NotebookError, UnicodeEncodeError) as exc:
            result.errors.append(InternalError(source.path, None, f"cannot write the fixed source: {exc}", ""))
    sys.stdout.buffer.write(output)
    sys.stdout.flush()
    if result.diagnostics:
        click.echo(concise(result.diagnostics, run.unsafe), nl=False, err=True)
    _report_errors(result.errors, verbose)
    sys.exit(EXIT_ERROR if result.errors else EXIT_FINDINGS if result.diagnostics else EXIT_OK)


for _command in (clean, list_rules, show_rule, harness, verify):  # tipcheck.commands
    cli.add_command(_command)


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
        click.echo("interrupted", err=True)
        sys.exit(130)
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
        click.echo("interrupted", err=True)
        _exit(130)


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
