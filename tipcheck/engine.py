"""The engine: read each file once, parse it once, build its facts once, run every enabled rule.

Files that no enabled rule can match (a cheap text check) are never parsed. Rules that need the
training-script facts of the whole project (tipcheck.facts.training) get them combined from
per-module summaries, so that the files are linted together.
"""

from __future__ import annotations

import ast
import os
import re
import traceback
import warnings
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import libcst as cst

from tipcheck import cachedata
from tipcheck.analysis import FileAnalysis, InternalError, Task, run_rules, too_complex, tree_data
from tipcheck.cache import Cache, content_hash
from tipcheck.cache import key as cache_key
from tipcheck.context import RuleContext
from tipcheck.diagnostics import (
    INVALID_SYNTAX,
    IO_ERROR,
    TOO_COMPLEX,
    Diagnostic,
    Fix,
    file_diagnostic,
    located_diagnostic,
)
from tipcheck.facts import ModuleFacts
from tipcheck.facts.modules import module_name_for
from tipcheck.facts.training import ProjectFacts
from tipcheck.limits import TooComplex, precheck
from tipcheck.fixes import apply_fixes, select_fixes
from tipcheck.notebook import Notebook, NotebookError, is_notebook_path
from tipcheck.policy import Policy
from tipcheck.pool import run_tasks
from tipcheck.prefilter import rules_per_file
from tipcheck.rules.base import Rule
from tipcheck.source import SourceError, SourceFile
from tipcheck.suppression import may_hold_directives

MAX_FIX_PASSES = 10


@dataclass
class FileResult:
    path: str
    diagnostics: List[Diagnostic] = field(default_factory=list)
    errors: List[InternalError] = field(default_factory=list)
    source: Optional[SourceFile] = None
    fixed_text: Optional[str] = None  # set by fix_file when the fixes changed the text
    fixed_count: int = 0
    dropped_fixes: List[str] = field(default_factory=list)  # fixes dropped for breaking the code
    # With fixed_text: the findings in the text as read, which remain if the fix cannot be written.
    unfixed_diagnostics: List[Diagnostic] = field(default_factory=list)
    skipped: Optional[str] = None  # why the file was not linted (a notebook in another language)


@dataclass
class Skipped:
    """A file that is not linted on purpose (see read)."""

    path: str
    reason: str



def parse(source: SourceFile) -> cst.Module:
    return cst.parse_module(source.text)


_LIBCST_POSITION = re.compile(r"error at (\d+):(\d+)")


def _python_syntax_error(text: str) -> Optional[SyntaxError]:
    """CPython's own error for text LibCST cannot parse: its message and position are precise."""
    try:
        with warnings.catch_warnings():  # e.g. invalid escape sequences: not ours to report here
            warnings.simplefilter("ignore")
            compile(text, "<tipcheck>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as exc:
        return exc
    except Exception:  # RecursionError, MemoryError, ValueError: fall back to LibCST's report
        return None
    return None


def _first_line(exc: cst.ParserSyntaxError) -> str:
    return str(exc.message).strip().splitlines()[0] if exc.message else "invalid syntax"


def _libcst_position(exc: cst.ParserSyntaxError) -> Tuple[int, int]:
    # LibCST's native parser leaves raw_column at 0; its position is only in the message.
    position = _LIBCST_POSITION.search(_first_line(exc))
    if position:
        return int(position.group(1)), int(position.group(2)) + 1
    return exc.raw_line, exc.raw_column + 1


def syntax_diagnostic(source: SourceFile, exc: cst.ParserSyntaxError) -> Diagnostic:
    message = _first_line(exc)
    row, column = _libcst_position(exc)
    python_error = _python_syntax_error(source.text)
    if python_error is not None and python_error.lineno:
        return python_syntax_diagnostic(source, python_error)
    return located_diagnostic(source, INVALID_SYNTAX, f"SyntaxError: {message}", row, column)


def python_syntax_diagnostic(source: SourceFile, error: SyntaxError) -> Diagnostic:
    """An invalid-syntax finding from CPython's own error (its message and position are precise)."""
    message = error.msg or "invalid syntax"
    return located_diagnostic(source, INVALID_SYNTAX, f"SyntaxError: {message}", error.lineno or 1, error.offset or 1)


def too_complex_diagnostic(source: SourceFile, problem: Optional[TooComplex] = None) -> Diagnostic:
    if problem is None:
        return too_complex(source)
    return located_diagnostic(source, TOO_COMPLEX, f"Cannot analyse: {problem.message}", problem.row, problem.column)



def python_syntax_check(text: str) -> Optional[Tuple[str, int, int]]:
    """CPython's syntax error in ``text`` as (message, row, column), or None: no error, or one
    Python itself cannot decide (RecursionError, MemoryError: left to the file's other checks).

    For the files no rule reads, which are never given to LibCST. Compiling to bytecode is
    about a third cheaper than building the ``ast`` objects, so that is tried first; only when it
    fails is the parser asked alone, so that what is reported is what the parser rejects (as for
    the other files), not a compiler check such as `return` outside a function."""
    try:
        with warnings.catch_warnings():  # e.g. invalid escape sequences: not ours to report here
            warnings.simplefilter("ignore")
            compile(text, "<tipcheck>", "exec", dont_inherit=True)
        return None
    except SyntaxError:
        pass
    except Exception:  # RecursionError, MemoryError, ValueError: cannot tell here
        return None
    error = _python_syntax_error(text)
    if error is None:
        return None
    return (error.msg or "invalid syntax", error.lineno or 1, error.offset or 1)



def parse_source(source: SourceFile, result) -> Optional[Tuple[cst.Module, ModuleFacts]]:
    """The tree and facts of a source; a syntax error, a file too deep to analyse or a crash is
    recorded on ``result``. CPython parses the text first (tipcheck.limits): LibCST never sees
    nesting that would crash it or take minutes to parse."""
    verdict = precheck(source.text)
    if isinstance(verdict.problem, SyntaxError):
        result.diagnostics.append(python_syntax_diagnostic(source, verdict.problem))
        return None
    if verdict.problem is not None:
        result.diagnostics.append(too_complex_diagnostic(source, verdict.problem))
        return None
    try:
        module = parse(source)
    except cst.ParserSyntaxError as exc:
        if verdict.python_accepts:  # LibCST's limit, not the file's fault (5,000 joined strings)
            problem = TooComplex(f"Python accepts this file but LibCST cannot parse it ({_first_line(exc)})", *_libcst_position(exc))
            result.diagnostics.append(too_complex_diagnostic(source, problem))
        else:
            result.diagnostics.append(syntax_diagnostic(source, exc))
        return None
    except RecursionError:
        result.diagnostics.append(too_complex_diagnostic(source))
        return None
    except (MemoryError, Exception) as exc:  # the parser itself failed
        result.errors.append(InternalError(source.path, None, f"parser failed: {exc!r}", traceback.format_exc()))
        return None
    try:
        return module, ModuleFacts(module)
    except RecursionError:
        result.diagnostics.append(too_complex_diagnostic(source))
        return None
    except Exception as exc:
        result.errors.append(InternalError(source.path, None, f"analysis failed: {exc!r}", traceback.format_exc()))
        return None


def check_sources(
    sources: Sequence[SourceFile],
    rules: Sequence[Rule],
    policy: Optional[Policy] = None,
    on_file: Optional[Callable[[], None]] = None,
    jobs: int = 1,
    cache: Optional[Cache] = None,
) -> List[FileResult]:
    """Lint decoded sources together: each file is parsed once, facts are shared by all rules,
    and project rules see the training-script facts of all the files.

    The per-file work runs on ``jobs`` processes (tipcheck.pool); with a ``cache``, a file whose
    content, path and rules are unchanged is not analysed again, and the project rules are not
    run again when none of the files they read has changed."""
    results = {source.path: FileResult(source.path, source=source) for source in sources}
    hashes = {source.path: content_hash(source.text) for source in sources} if cache is not None else {}
    wanted = _plan(sources, rules, cache, hashes)
    # Suppression comments are looked for once; a file with none and no finding skips the policy.
    directives = {source.path: may_hold_directives(source.text) for source in sources}
    # A file no rule reads is not parsed by LibCST, but its syntax is still checked.
    _check_syntax([source for source in sources if not wanted[source.path]], results, cache, hashes)
    for source in sources:
        # A file no rule reads and with no suppression comment needs no text from here on.
        if not wanted[source.path] and not directives[source.path]:
            source.release()
    analyses: Dict[str, FileAnalysis] = {}
    file_keys: Dict[str, str] = {}
    tasks: List[Task] = []
    for source in sources:
        codes = tuple(rule.code for rule in wanted[source.path])
        if not codes:
            if on_file is not None:
                on_file()
            continue
        if cache is not None:
            file_keys[source.path] = cache.file_key(source.path, hashes[source.path], codes)
            hit = cachedata.load_file(cache.get("files", file_keys[source.path]), source.path)
            if hit is not None:
                analyses[source.path] = hit
                if on_file is not None:
                    on_file()
                continue
        wants_tree = any(rule.project for rule in wanted[source.path])
        tasks.append(
            Task(source.path, source.text, source.encoding, codes, wants_tree=wants_tree, tree_data=wants_tree and cache is not None)
        )

    def done(analysis: FileAnalysis) -> None:
        if on_file is not None:
            on_file()
        if cache is not None:
            _store(cache, file_keys[analysis.path], analysis)

    analyses.update(run_tasks(tasks, jobs, done, trees_here=cache is None))
    for path, analysis in analyses.items():
        results[path].diagnostics.extend(analysis.diagnostics)
        results[path].errors.extend(analysis.errors)
    project_paths = [
        source.path
        for source in sources
        if source.path in analyses and analyses[source.path].parsed and any(rule.project for rule in wanted[source.path])
    ]
    if project_paths:
        _project_rules(
            [results[path].source for path in project_paths], wanted, analyses, results, cache, file_keys
        )
    policy = policy or Policy()
    for source in sources:
        result = results[source.path]
        if not result.diagnostics and not directives[source.path]:
            continue  # nothing to filter, and no suppression comment to check
        crashed = {error.rule for error in result.errors if error.rule}
        result.diagnostics = policy.apply(source, sorted(result.diagnostics, key=lambda d: d.sort_key), crashed)
    return [results[source.path] for source in sources]


def _syntax_answer(value) -> bool:
    """Whether a cached answer of _check_syntax is well formed: None, or [message, row, column]."""
    return value is None or (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], str)
        and all(type(x) is int for x in value[1:])
    )


# This process's answers of _check_syntax, by content hash: the passes of `fix` lint the same
# untouched files again.
_SYNTAX_SEEN: Dict[str, Optional[list]] = {}


def _check_syntax(
    sources: Sequence[SourceFile], results: Dict[str, FileResult], cache: Optional[Cache], hashes: Dict[str, str]
) -> None:
    """Report the syntax errors of files no rule reads (python_syntax_check). The answers are
    kept by content hash, in the cache (one entry) when there is one: a rerun compiles only the
    changed files."""
    if not sources:
        return
    known: Dict[str, Optional[list]] = {}
    entry_key = None
    if cache is not None:
        entry_key = cache_key("syntax", cache.runtime)
        cached = cache.get("syntax", entry_key)
        if isinstance(cached, dict):
            known = cached
    if len(_SYNTAX_SEEN) > 100_000:
        _SYNTAX_SEEN.clear()
    answers: Dict[str, Optional[list]] = {}
    for source in sources:
        digest = hashes.get(source.path) or content_hash(source.text)
        if digest in known and _syntax_answer(known[digest]):
            answer = known[digest]
        elif digest in _SYNTAX_SEEN:
            answer = _SYNTAX_SEEN[digest]
        else:  # not seen, or a broken cache entry
            error = python_syntax_check(source.text)
            answer = list(error) if error is not None else None
        answers[digest] = _SYNTAX_SEEN[digest] = answer
        if answer is not None:
            message, row, column = answer
            results[source.path].diagnostics.append(located_diagnostic(source, INVALID_SYNTAX, f"SyntaxError: {message}", row, column))
    if entry_key is not None and answers != known:
        cache.put("syntax", entry_key, answers)


def _plan(sources: Sequence[SourceFile], rules: Sequence[Rule], cache: Optional[Cache], hashes: Dict[str, str]) -> Dict[str, List[Rule]]:
    """The rules to run on each file (tipcheck.prefilter), from the cache when no file changed."""
    if cache is None:
        return rules_per_file(sources, rules)
    plan_key = cache_key("plan", cache.runtime, [r.code for r in rules], [(s.path, os.path.abspath(s.path), hashes[s.path]) for s in sources])
    by_code = {rule.code: rule for rule in rules}
    cached = cachedata.load_plan(cache.get("plan", plan_key), len(sources), by_code)
    if cached is not None:
        return {source.path: [by_code[code] for code in codes] for source, codes in zip(sources, cached)}
    wanted = rules_per_file(sources, rules)
    cache.put("plan", plan_key, [[rule.code for rule in wanted[source.path]] for source in sources])
    return wanted


def _store(cache: Cache, file_key: str, analysis: FileAnalysis) -> None:
    """Store an analysis in the cache: the findings in one entry, the tree (large) in another."""
    data = analysis.tree_data
    if data is None and analysis.tree is not None and not isinstance(analysis.tree, bytes):
        data = tree_data(analysis.tree)  # analysed in this process
    if data is not None:
        cache.put("trees", file_key, data)
    cache.put("files", file_key, cachedata.dump_file(analysis))


def _project_rules(
    sources: Sequence[SourceFile],
    wanted: Dict[str, List[Rule]],
    analyses: Dict[str, FileAnalysis],
    results: Dict[str, FileResult],
    cache: Optional[Cache],
    file_keys: Dict[str, str],
) -> None:
    """Combine the flow summaries of the files into the project's training facts and run the
    project rules on each file. With a cache, the findings are kept for this exact set of files."""
    project_key = None
    if cache is not None:
        # Module names come from the folders' __init__.py files, which are not among these files.
        project_key = cache_key(
            "project", cache.runtime, [(file_keys[source.path], module_name_for(source.path)) for source in sources]
        )
        cached = cachedata.load_project(cache.get("project", project_key), [source.path for source in sources])
        if cached is not None:
            for source in sources:
                diagnostics, errors = cached[source.path]
                results[source.path].diagnostics.extend(diagnostics)
                results[source.path].errors.extend(errors)
            return
    trees = {}
    for source in sources:
        tree = _tree(source, analyses[source.path], cache, file_keys.get(source.path))
        if tree is not None:
            trees[source.path] = tree
    found: Dict[str, FileAnalysis] = {source.path: FileAnalysis(source.path) for source in sources}
    try:
        project = ProjectFacts([trees[path][1].flow(path) for path in trees])
    except Exception as exc:
        first = sources[0].path
        found[first].errors.append(InternalError(first, None, f"project analysis failed: {exc!r}", traceback.format_exc()))
        project = None
    if project is not None:
        for source in sources:
            if source.path not in trees:
                continue
            module, facts = trees[source.path]
            ctx = RuleContext(source, module, facts, project)
            run_rules(ctx, [rule for rule in wanted[source.path] if rule.project], found[source.path])
            found[source.path].diagnostics = ctx.diagnostics
    for path, analysis in found.items():
        results[path].diagnostics.extend(analysis.diagnostics)
        results[path].errors.extend(analysis.errors)
    if cache is not None and project_key is not None:
        cache.put("project", project_key, cachedata.dump_project(found))


def _tree(source: SourceFile, analysis: FileAnalysis, cache: Optional[Cache], file_key: Optional[str]):
    """A file's tree and facts for the project step: as analysed, from the cache, or parsed again."""
    if analysis.tree is None and analysis.tree_data is None and cache is not None and file_key is not None:
        analysis.tree_data = cache.get_bytes("trees", file_key)  # plain data: tipcheck.treedata
    try:
        tree = analysis.loaded_tree()
    except Exception:
        tree = None
    if tree is not None:
        return tree
    # A tree too deep to pickle or to keep, or a cache entry gone or not a tree.
    again = FileAnalysis(source.path)
    parsed = parse_source(source, again)
    if parsed is None:
        return None
    try:
        parsed[1].flow(source.path, source.text)
    except Exception:
        return None  # recorded already when the file was first analysed
    return parsed


def check_source(source: SourceFile, rules: Sequence[Rule], policy: Optional[Policy] = None) -> FileResult:
    """Lint one decoded source text on its own."""
    return check_sources([source], rules, policy)[0]


def read(path: str, display_path: Optional[str] = None) -> "SourceFile | Diagnostic | Skipped":
    """The source of a file; an io-error finding when it cannot be read; Skipped for a notebook
    whose language is not Python."""
    if is_notebook_path(path):
        return _read_notebook(path, display_path)
    try:
        return SourceFile.read(path) if display_path is None else _renamed(SourceFile.read(path), display_path)
    except SourceError as exc:
        return file_diagnostic(display_path or path, IO_ERROR, f"cannot read file: {exc}")


def notebook_source(notebook: Notebook) -> "SourceFile | Skipped":
    """What to lint of a notebook read: its code cells joined into one module (so facts work
    across cells), or Skipped when its kernel's language is not Python."""
    path = notebook.path or "<notebook>"
    if not notebook.is_python:
        return Skipped(path, f"not a Python notebook (language: {notebook.language})")
    source = notebook.source_file()
    source.notebook = notebook
    return source


def _read_notebook(path: str, display_path: Optional[str] = None) -> "SourceFile | Diagnostic | Skipped":
    try:
        notebook = Notebook.read(os.fspath(path), path=display_path or path)
    except NotebookError as exc:
        return file_diagnostic(display_path or path, IO_ERROR, f"cannot read notebook: {exc}")
    return notebook_source(notebook)


def _renamed(source: SourceFile, display_path: str) -> SourceFile:
    source.path = display_path
    return source


def _unread(path: str, source: "Diagnostic | Skipped") -> FileResult:
    """The result of a file that was not read: its io-error finding, or why it was skipped."""
    if isinstance(source, Skipped):
        return FileResult(path, skipped=source.reason)
    return FileResult(path, diagnostics=[source])


def check_file(path: str, rules: Sequence[Rule]) -> FileResult:
    source = read(path)
    if not isinstance(source, SourceFile):
        return _unread(path, source)
    return check_source(source, rules)


def _parses(text: str) -> bool:
    try:
        cst.parse_module(text)
        return True
    except Exception:
        return False


def _dropped_message(diag: Diagnostic) -> str:
    return (
        f"{diag.path}:{diag.start.row}:{diag.start.column}: {diag.code} fix dropped: "
        "it would have made the file unparseable"
    )


def _fix_pass(result: FileResult, text: str, unsafe: bool) -> Tuple[str, int, List[str]]:
    """Apply one pass of non-overlapping fixes; a fix that would break the code is dropped."""
    candidates = [d for d in result.diagnostics if d.fixable(unsafe)]
    chosen = select_fixes([d.fix for d in candidates])
    if not chosen:
        return text, 0, []
    fixed = apply_fixes(text, chosen)
    if _parses(fixed):
        return fixed, len(chosen), []
    # Keep the fixes that are fine on their own; report the others.
    good: List[Fix] = []
    dropped: List[str] = []
    for diag in candidates:
        if diag.fix not in chosen:
            continue
        if _parses(apply_fixes(text, [*good, diag.fix])):
            good.append(diag.fix)
        else:
            dropped.append(_dropped_message(diag))
    return (apply_fixes(text, good), len(good), dropped) if good else (text, 0, dropped)


def fix_sources(
    sources: Sequence[SourceFile],
    rules: Sequence[Rule],
    unsafe: bool,
    policy: Optional[Policy] = None,
    jobs: int = 1,
    cache: Optional[Cache] = None,
) -> List[FileResult]:
    """Apply fixes to all the sources until nothing changes (bounded), re-linting them together
    after each pass; the results carry what remains and the fixed text."""
    current = {source.path: source for source in sources}
    fixed = {source.path: 0 for source in sources}
    dropped_any = False
    results = check_sources(sources, rules, policy, jobs=jobs, cache=cache)
    unfixed = {result.path: result.diagnostics for result in results}
    for _ in range(MAX_FIX_PASSES):
        changed = False
        for result in results:
            if result.errors or result.source is None or not any(d.fixable(unsafe) for d in result.diagnostics):
                continue
            source = current[result.path]
            text, count, dropped = _fix_pass(result, source.text, unsafe)
            dropped_any = dropped_any or bool(dropped)
            if count and text != source.text:
                fixed[result.path] += count
                current[result.path] = SourceFile(path=source.path, text=text, encoding=source.encoding, notebook=source.notebook)
                changed = True
        if not changed:
            break
        results = check_sources(list(current.values()), rules, policy, jobs=jobs, cache=cache)
    originals = {source.path: source for source in sources}
    for result in results:
        result.fixed_count = fixed[result.path]
        result.source = originals[result.path]
        if not fixed[result.path] and not dropped_any:
            continue  # untouched: its text need not even be looked at
        text = current[result.path].text
        # A fix that was dropped leaves its finding behind, unfixed. It was tried again on each
        # pass, at positions that moved as other fixes went in: report it once, where it is now.
        if dropped_any:
            result.dropped_fixes = [
                _dropped_message(diag)
                for diag in result.diagnostics
                if diag.fixable(unsafe) and not _parses(apply_fixes(text, [diag.fix]))
            ]
        if text != originals[result.path].text:
            result.fixed_text = text
            result.unfixed_diagnostics = unfixed[result.path]
    return results


def fix_source(source: SourceFile, rules: Sequence[Rule], unsafe: bool, policy: Optional[Policy] = None) -> FileResult:
    """Fix one decoded source text on its own."""
    return fix_sources([source], rules, unsafe, policy)[0]


def fix_file(path: str, rules: Sequence[Rule], unsafe: bool) -> FileResult:
    source = read(path)
    if not isinstance(source, SourceFile):
        return _unread(path, source)
    return fix_source(source, rules, unsafe)


def _read_all(paths: Sequence[str]) -> Tuple[List[SourceFile], Dict[str, FileResult]]:
    sources: List[SourceFile] = []
    unreadable: Dict[str, FileResult] = {}
    for path in paths:
        source = read(path)
        if not isinstance(source, SourceFile):
            unreadable[path] = _unread(path, source)
        else:
            sources.append(source)
    return sources, unreadable


def lint_paths(
    paths: Sequence[str],
    rules: Sequence[Rule],
    policy: Optional[Policy] = None,
    on_file: Optional[Callable[[], None]] = None,
    jobs: int = 1,
    cache: Optional[Cache] = None,
) -> List[FileResult]:
    """Read and lint files together, in the given order (``on_file`` is called as each is done)."""
    sources, unreadable = _read_all(paths)
    linted = {r.path: r for r in check_sources(sources, rules, policy, on_file, jobs, cache)}
    return [unreadable.get(path) or linted[path] for path in paths]


def fix_paths(
    paths: Sequence[str],
    rules: Sequence[Rule],
    unsafe: bool,
    policy: Optional[Policy] = None,
    jobs: int = 1,
    cache: Optional[Cache] = None,
) -> List[FileResult]:
    """Read and fix files together (nothing is written here), in the given order."""
    sources, unreadable = _read_all(paths)
    fixed = {r.path: r for r in fix_sources(sources, rules, unsafe, policy, jobs, cache)}
    return [unreadable.get(path) or fixed[path] for path in paths]
