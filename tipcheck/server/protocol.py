"""The language server itself: pygls's LanguageServer with tipcheck's handlers.

Everything runs on pygls's event loop, one thing at a time: pygls keeps the editor's buffers, a
handler marks what changed and schedules a run, a run lints (tipcheck.server.incremental) and
publishes. An edit is linted at once when the editor was quiet (the first keystroke after a
pause), else after `debounce` seconds without another change: a burst of typing is linted once,
at its end. A run lints the changed files first and publishes them, then the files whose findings
may depend on them, a few at a time, giving the loop back in between; a change meanwhile starts
it over. Requests (code actions, hover) on a document changed since its last run lint it first.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Dict, Iterable, List, Optional, Set

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from tipcheck import __version__
from tipcheck.engine import FileResult
from tipcheck.server import actions
from tipcheck.server.documents import Document, Project, is_config, is_python, path_of, untitled_path
from tipcheck.server.incremental import Linter

DEBOUNCE = 0.15  # seconds: how long a burst of changes waits for the next one
BATCH = 8  # dependent files linted between two looks at the event loop
WATCHED = ("**/*.py", "**/*.pyi", "**/*.ipynb", "**/pyproject.toml", "**/tipcheck.toml")

log = logging.getLogger(__name__)


class TipcheckServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "tipcheck",
            __version__,
            text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
            notebook_document_sync=lsp.NotebookDocumentSyncOptions(
                notebook_selector=[
                    lsp.NotebookDocumentFilterWithCells(
                        notebook="jupyter-notebook", cells=[lsp.NotebookCellLanguage(language="python")]
                    )
                ],
                save=True,
            ),
        )
        self.project = Project(None)
        self.linter = Linter(self.project)
        self.debounce = DEBOUNCE
        self.dirty: Set[str] = set()  # paths changed since they were last linted
        self.everything = True  # lint every file (the start, a config change)
        self.generation = 0  # counts the changes: a run seeing it move starts over
        self.published: Dict[str, List[lsp.Diagnostic]] = {}
        self._last_change = 0.0
        self._timer: Optional[asyncio.TimerHandle] = None
        self._task: Optional[asyncio.Task] = None

    # -- the project --------------------------------------------------------------------------
    def open_project(self, root: Optional[str], options: Any) -> None:
        if isinstance(options, dict) and isinstance(options.get("debounce"), (int, float)):
            self.debounce = max(0.0, float(options["debounce"]) / 1000)
        self.project = Project(root)
        self.linter = Linter(self.project)
        self.reload()

    def reload(self) -> None:
        """Read the config again and lint everything with it."""
        errors = self.project.reload()
        self.linter.reset()
        for error in dict.fromkeys(errors):
            self.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Error, f"tipcheck: {error}"))
        self.everything = True
        self.schedule(())

    # -- scheduling ---------------------------------------------------------------------------
    def schedule(self, paths: Iterable[str], at_once: bool = False) -> None:
        self.dirty.update(paths)
        self.generation += 1
        now = time.monotonic()
        quiet = now - self._last_change >= self.debounce
        self._last_change = now
        if self._timer is not None:
            self._timer.cancel()
        delay = 0.0 if quiet or at_once else self.debounce
        self._timer = asyncio.get_event_loop().call_later(delay, self._start)

    def _start(self) -> None:
        self._timer = None
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        while self.dirty or self.everything:
            generation = self.generation
            documents = self.project.documents(self.workspace)
            if self.everything:
                focus = set(documents)
                self.everything = False
            else:
                focus = {path for path in self.dirty if path in documents}
            self.dirty.clear()
            self._clear_gone(documents)
            self.lint(documents, focus, always=True)
            others = [path for path in self.linter.dependents(documents) if path not in focus]
            for start in range(0, len(others), BATCH):
                await asyncio.sleep(0)  # let the loop read the messages that came meanwhile
                if self.generation != generation:
                    break  # something changed: lint that first, then the dependents again
                self.lint(documents, others[start : start + BATCH])
            await asyncio.sleep(0)

    def lint(self, documents: Dict[str, Document], paths: Iterable[str], always: bool = False) -> None:
        """Lint ``paths`` and publish their findings: those that changed, or all (``always``: the
        edited files, whose editors wait for the findings of their new version)."""
        try:
            results = self.linter.run(documents, list(paths))
        except Exception as exc:  # an engine bug must not take the editor's linter down
            log.exception("tipcheck: internal error")
            self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, f"tipcheck: internal error: {exc!r}"))
            return
        for path, result in results.items():
            self.publish(documents[path], result, always)

    def fresh(self, path: str) -> Optional[tuple]:
        """(document, result) of ``path`` as the editor has it now, linted first if it changed."""
        documents = self.project.documents(self.workspace)
        document = documents.get(path)
        if document is None:
            return None
        result = self.linter.current(document)
        if result is None:
            self.lint(documents, [path], always=True)
            result = self.linter.current(document)
            if result is None:
                return None
        return document, result

    # -- publishing ---------------------------------------------------------------------------
    def publish(self, document: Document, result: FileResult, always: bool = False) -> None:
        by_uri: Dict[str, List[lsp.Diagnostic]] = {uri: [] for uri in document.places.uris()}
        settings = self.project.settings(document.path)
        for diagnostic in result.diagnostics:
            uri, shown = actions.to_lsp(diagnostic, document.places, settings)
            by_uri.setdefault(uri, []).append(shown)
        for error in result.errors:
            where = f" in {error.rule}" if error.rule else ""
            self.window_log_message(
                lsp.LogMessageParams(lsp.MessageType.Error, f"tipcheck: internal error{where}: {error.detail}")
            )
        version = document.version if len(by_uri) == 1 else None
        for uri, diagnostics in by_uri.items():
            if not always and self.published.get(uri) == diagnostics:
                continue
            self.published[uri] = diagnostics
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
            )

    def _clear_gone(self, documents: Dict[str, Document]) -> None:
        """Clear the findings of the documents that are no longer linted (deleted, excluded, closed)."""
        shown = {uri for document in documents.values() for uri in document.places.uris()}
        for uri in [uri for uri in self.published if uri not in shown]:
            del self.published[uri]
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    # -- requests -----------------------------------------------------------------------------
    def document_path(self, uri: str) -> Optional[str]:
        """The linted file a document is (a notebook's, for one of its cells; a stand-in path for
        an unsaved buffer)."""
        return self.project.path(uri, self.workspace)

    def code_actions(self, params: lsp.CodeActionParams) -> Optional[List[lsp.CodeAction]]:
        path = self.document_path(params.text_document.uri)
        found = self.fresh(path) if path else None
        if found is None:
            return None
        document, result = found
        source, places = document.source, document.places
        if source is None:
            return None
        start = places.offset(params.text_document.uri, params.range.start)
        end = places.offset(params.text_document.uri, params.range.end)
        only = params.context.only
        settings = self.project.settings(path)
        found_actions: List[lsp.CodeAction] = []
        if start is not None and end is not None:
            found_actions += actions.quick_fixes(source, places, result.diagnostics, settings, start, end, only)
        if actions.wanted(actions.FIX_ALL, only) and any(d.fixable(False) for d in result.diagnostics):
            documents = self.project.documents(self.workspace)
            action = actions.fix_all(source, places, self.linter.fixed_text(documents, path))
            if action is not None:
                found_actions.append(action)
        return found_actions

    def hover(self, params: lsp.HoverParams) -> Optional[lsp.Hover]:
        path = self.document_path(params.text_document.uri)
        found = self.fresh(path) if path else None
        if found is None or found[0].source is None:
            return None
        document, result = found
        offset = document.places.offset(params.text_document.uri, params.position)
        return None if offset is None else actions.hover(document.source, result.diagnostics, offset)


def create_server() -> TipcheckServer:
    server = TipcheckServer()

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: TipcheckServer, params: lsp.InitializeParams) -> None:
        folders = params.workspace_folders or []
        root = path_of(folders[0].uri) if folders else None
        if root is None and params.root_uri:
            root = path_of(params.root_uri)
        root = root or params.root_path
        ls.open_project(root, params.initialization_options)

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: TipcheckServer, params: lsp.InitializedParams) -> None:
        watched = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
        if watched and watched.dynamic_registration:
            options = lsp.DidChangeWatchedFilesRegistrationOptions(
                watchers=[lsp.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED]
            )
            registration = lsp.Registration(
                id="tipcheck-watched-files", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options
            )
            ls.client_register_capability(lsp.RegistrationParams(registrations=[registration]))

    def changed(ls: TipcheckServer, uri: str, at_once: bool = False) -> None:
        path = ls.document_path(uri)
        if path is None and path_of(uri) is None:
            path = untitled_path(uri, ls.project.root)  # an unsaved buffer closed: its findings go
        if path is not None and is_python(path):
            ls.schedule([path], at_once)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: TipcheckServer, params: lsp.DidOpenTextDocumentParams) -> None:
        changed(ls, params.text_document.uri, at_once=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: TipcheckServer, params: lsp.DidChangeTextDocumentParams) -> None:
        changed(ls, params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: TipcheckServer, params: lsp.DidSaveTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        if path is not None and is_config(path):
            ls.reload()
        else:
            changed(ls, params.text_document.uri, at_once=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: TipcheckServer, params: lsp.DidCloseTextDocumentParams) -> None:
        changed(ls, params.text_document.uri, at_once=True)  # back to the file on disk, or gone

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_OPEN)
    def notebook_open(ls: TipcheckServer, params: lsp.DidOpenNotebookDocumentParams) -> None:
        ls.schedule([path_of(params.notebook_document.uri)], at_once=True)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def notebook_change(ls: TipcheckServer, params: lsp.DidChangeNotebookDocumentParams) -> None:
        ls.schedule([path_of(params.notebook_document.uri)])

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_SAVE)
    def notebook_save(ls: TipcheckServer, params: lsp.DidSaveNotebookDocumentParams) -> None:
        ls.schedule([path_of(params.notebook_document.uri)], at_once=True)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def notebook_close(ls: TipcheckServer, params: lsp.DidCloseNotebookDocumentParams) -> None:
        ls.schedule([path_of(params.notebook_document.uri)], at_once=True)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: TipcheckServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        paths = [path for path in (path_of(change.uri) for change in params.changes) if path is not None]
        if any(is_config(path) for path in paths):
            ls.reload()
            return
        created_or_deleted = any(change.type != lsp.FileChangeType.Changed for change in params.changes)
        if created_or_deleted:  # the file set changed: find the files again
            ls.project.reload()
        ls.schedule([path for path in paths if is_python(path)], at_once=True)

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, actions.FIX_ALL]),
    )
    def code_action(ls: TipcheckServer, params: lsp.CodeActionParams):
        return ls.code_actions(params)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: TipcheckServer, params: lsp.HoverParams):
        return ls.hover(params)

    return server


def serve() -> None:
    create_server().start_io()
