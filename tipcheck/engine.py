"""The engine: read each file once, parse it once, build its facts once, run every enabled rule.

Files that no enabled rule can match (a cheap text check) are never parsed. Rules that need the
training-script facts of the whole project (tipcheck.facts.training) get them combined from
per-module summaries, so that the files are linted together.
"""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Collection, Dict, List, Optional, Sequence, Tuple

from tipcheck import cachedata
from tipcheck.analysis import FileAnalysis, Task, run_rules, tree_data
from tipcheck.cache import Cache, content_hash
from tipcheck.cache import key as cache_key
from tipcheck.codes import INVALID_SYNTAX, IO_ERROR
from tipcheck.deployment import deployment_configs, gpu_deployed
from tipcheck.diagnostics import Diagnostic, InternalError, file_diagnostic, located_diagnostic
from tipcheck.memo import Memo
from tipcheck.modulenames import disk_changed, module_name_for
from tipcheck.notebook import Notebook, NotebookError, is_notebook_path
from tipcheck.policy import Policy
from tipcheck.ruleinfo import implementations
from tipcheck.source import SourceError, SourceFile
from tipcheck.suppression import may_hold_directives

if TYPE_CHECKING:
    from tipcheck.rules.base import Rule

# LibCST, the facts and the rules are imported where a file is analysed, not here: a run whose
# findings all come from the cache never imports them (``rules`` may be catalogue entries,
# tipcheck.ruleinfo, until a rule has to run).


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


def check_sources(
    sources: Sequence[SourceFile],
    rules: Sequence[Rule],
    policy: Optional[Policy] = None,
    on_file: Optional[Callable[[], None]] = None,
    jobs: int = 1,
    cache: Optional[Cache] = None,
    memo: Optional[Memo] = None,
    report: Optional[Collection[str]] = None,
) -> List[FileResult]:
    """Lint decoded sources together: each file is parsed once, facts are shared by all rules,
    and project rules see the training-script facts of all the files.

    The per-file work runs on ``jobs`` processes (tipcheck.pool); with a ``cache``, a file whose
    content, path and rules are unchanged is not analysed again, and the project rules are not
    run again when none of the files they read has changed. A ``memo`` (tipcheck.memo) does the
    same in memory, for a process that lints the same files again and again (the editor server).
    With ``report``, only the results of those paths are made and returned; the other sources
    are read for the project facts only."""
    if memo is None:
        # A run on its own reads the package folders from the disk afresh (tipcheck.modulenames); a
        # process that keeps a memo (the editor server) says when files came or went.
        disk_changed()
    results = {source.path: FileResult(source.path, source=source) for source in sources}
    hashes = {source.path: content_hash(source.text) for source in sources} if cache is not None else {}
    wanted = _plan(sources, rules, cache, hashes)
    # Suppression comments are looked for once; a file with none and no finding skips the policy.
    directives = {source.path: may_hold_directives(source.text) for source in sources}
    # A file no rule reads is not parsed by LibCST, but its syntax is still checked.
    _check_syntax([source for source in sources if not wanted[source.path]], results, cache, hashes)
    linted = _linted_texts(sources, wanted)
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
        if memo is not None:
            hit = memo.get(source.path, source.text, codes)
            if hit is not None:
                analyses[source.path] = hit
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
            Task(
                source.path,
                source.text,
                source.encoding,
                codes,
                wants_tree=wants_tree,
                encode_tree=wants_tree and cache is not None,
                previous=memo.previous(source.path) if memo is not None else None,
                kept=memo.kept if memo is not None else None,
            )
        )
    texts = {task.path: (task.text, task.codes) for task in tasks} if memo is not None else {}

    def done(analysis: FileAnalysis) -> None:
        if on_file is not None:
            on_file()
        if cache is not None:
            _store(cache, file_keys[analysis.path], analysis)
        if memo is not None:
            memo.put(analysis.path, *texts[analysis.path], analysis)

    if tasks:
        from tipcheck.pool import run_tasks

        analyses.update(run_tasks(tasks, jobs, done, trees_here=cache is None))
    for path, analysis in analyses.items():
        results[path].diagnostics.extend(analysis.diagnostics)
        results[path].errors.extend(analysis.errors)
    project_paths = [
        source.path
        for source in sources
        if source.path in analyses
        and analyses[source.path].parsed
        and any(rule.project for rule in wanted[source.path])
    ]
    if project_paths:
        _project_rules(
            [results[path].source for path in project_paths],
            wanted,
            analyses,
            results,
            cache,
            file_keys,
            linted,
            hashes,
            memo,
            report,
        )
    if tasks:
        from tipcheck.pool import thaw

        thaw()
    policy = policy or Policy()
    if report is not None:
        sources = [source for source in sources if source.path in report]
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
            from tipcheck.parsing import python_syntax_check

            error = python_syntax_check(source.text)
            answer = list(error) if error is not None else None
        answers[digest] = _SYNTAX_SEEN[digest] = answer
        if answer is not None:
            message, row, column = answer
            results[source.path].diagnostics.append(
                located_diagnostic(source, INVALID_SYNTAX, f"SyntaxError: {message}", row, column)
            )
    if entry_key is not None and answers != known:
        cache.put("syntax", entry_key, answers)


def _plan(
    sources: Sequence[SourceFile], rules: Sequence[Rule], cache: Optional[Cache], hashes: Dict[str, str]
) -> Dict[str, List[Rule]]:
    """The rules to run on each file (tipcheck.prefilter), from the cache when no file changed."""
    plan_key = None
    if cache is not None:
        plan_key = cache_key(
            "plan",
            cache.runtime,
            [r.code for r in rules],
            [(s.path, os.path.abspath(s.path), hashes[s.path]) for s in sources],
        )
        by_code = {rule.code: rule for rule in rules}
        cached = cachedata.load_plan(cache.get("plan", plan_key), len(sources), by_code)
        if cached is not None:
            return {source.path: [by_code[code] for code in codes] for source, codes in zip(sources, cached)}
    from tipcheck.prefilter import rules_per_file  # the rules themselves decide (Rule.wanted)

    wanted = rules_per_file(sources, implementations(rules))
    if cache is not None and plan_key is not None:
        cache.put("plan", plan_key, [[rule.code for rule in wanted[source.path]] for source in sources])
    return wanted


def _linted_texts(sources: Sequence[SourceFile], wanted: Dict[str, List[Rule]]) -> Optional[Dict[str, str]]:
    """The text of every linted file, kept for the project rules that look for the files naming a
    project definition (Rule.reads_linted: TIP102's helper classes); None when no such rule runs."""
    if not any(getattr(rule, "reads_linted", False) for chosen in wanted.values() for rule in chosen):
        return None
    return {source.path: source.text for source in sources}


def _deployment(sources: Sequence[SourceFile], wanted: Dict[str, List[Rule]]) -> Dict[str, str]:
    """The deployment configurations near the files (tipcheck.deployment), for the project
    rules that ask (Rule.reads_deployment: TIP102); none when no such rule runs."""
    if not any(getattr(rule, "reads_deployment", False) for source in sources for rule in wanted[source.path]):
        return {}
    return deployment_configs(source.path for source in sources)


def _store(cache: Cache, file_key: str, analysis: FileAnalysis) -> None:
    """Store an analysis in the cache: the findings in one entry, the tree (large) in another."""
    data = analysis.encoded_tree
    if data is None and analysis.tree is not None:
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
    linted: Optional[Dict[str, str]] = None,
    hashes: Optional[Dict[str, str]] = None,
    memo: Optional[Memo] = None,
    report: Optional[Collection[str]] = None,
) -> None:
    """Combine the flow summaries of the files into the project's training facts and run the
    project rules on each file (of ``report`` only, when given). With a cache, the findings are
    kept for this exact set of files; with a memo, the project facts."""
    project_key = None
    deployment = _deployment(sources, wanted)
    if cache is not None and report is None:
        # Module names come from the folders' __init__.py files, which are not among these files.
        project_key = cache_key(
            "project",
            cache.runtime,
            [(file_keys[source.path], module_name_for(source.path)) for source in sources],
            sorted((hashes or {}).items()) if linted is not None else None,
            sorted(deployment.items()) if deployment else None,
        )
        cached = cachedata.load_project(cache.get("project", project_key), [source.path for source in sources])
        if cached is not None:
            for source in sources:
                diagnostics, errors = cached[source.path]
                results[source.path].diagnostics.extend(diagnostics)
                results[source.path].errors.extend(errors)
            return
    from tipcheck.context import RuleContext
    from tipcheck.facts.training import ProjectFacts

    trees = {}
    for source in sources:
        tree = _tree(source, analyses[source.path], cache, file_keys.get(source.path))
        if tree is not None:
            trees[source.path] = tree
    found: Dict[str, FileAnalysis] = {source.path: FileAnalysis(source.path) for source in sources}
    read = [analyses[path] for path in trees]
    try:
        project = memo.project(read) if memo is not None else None
        if project is None:
            project = ProjectFacts([trees[path][1].flow(path) for path in trees])
            if memo is not None:
                memo.put_project(read, project)
        project.linted = linted
        project.kept = memo.kept if memo is not None else None
        project.gpu_deployed = gpu_deployed(deployment)
    except Exception as exc:
        first = sources[0].path
        found[first].errors.append(
            InternalError(first, None, f"project analysis failed: {exc!r}", traceback.format_exc())
        )
        project = None
    if project is not None:
        for source in sources:
            if source.path not in trees or (report is not None and source.path not in report):
                continue
            module, facts = trees[source.path]
            ctx = RuleContext(source, module, facts, project)
            run_rules(ctx, implementations([r for r in wanted[source.path] if r.project]), found[source.path])
            found[source.path].diagnostics = ctx.diagnostics
    for path, analysis in found.items():
        results[path].diagnostics.extend(analysis.diagnostics)
        results[path].errors.extend(analysis.errors)
    if cache is not None and project_key is not None:
        cache.put("project", project_key, cachedata.dump_project(found))


def _tree(source: SourceFile, analysis: FileAnalysis, cache: Optional[Cache], file_key: Optional[str]):
    """A file's tree and facts for the project step: as analysed, from the cache, or parsed again."""
    if (
        analysis.tree is None
        and analysis.pickled_tree is None
        and analysis.encoded_tree is None
        and cache is not None
        and file_key is not None
    ):
        analysis.encoded_tree = cache.get_bytes("trees", file_key)  # plain data: tipcheck.treedata
    try:
        tree = analysis.loaded_tree()
    except Exception:
        tree = None
    if tree is not None:
        return tree
    # A tree too deep to pickle or to keep, or a cache entry gone or not a tree.
    from tipcheck.parsing import parse_source

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


def unread_result(path: str, source: "Diagnostic | Skipped") -> FileResult:
    """The result of a file that was not read: its io-error finding, or why it was skipped."""
    if isinstance(source, Skipped):
        return FileResult(path, skipped=source.reason)
    return FileResult(path, diagnostics=[source])


def check_file(path: str, rules: Sequence[Rule]) -> FileResult:
    source = read(path)
    if not isinstance(source, SourceFile):
        return unread_result(path, source)
    return check_source(source, rules)


def read_all(paths: Sequence[str]) -> Tuple[List[SourceFile], Dict[str, FileResult]]:
    sources: List[SourceFile] = []
    unreadable: Dict[str, FileResult] = {}
    for path in paths:
        source = read(path)
        if not isinstance(source, SourceFile):
            unreadable[path] = unread_result(path, source)
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
    sources, unreadable = read_all(paths)
    linted = {r.path: r for r in check_sources(sources, rules, policy, on_file, jobs, cache)}
    return [unreadable.get(path) or linted[path] for path in paths]
