"""Warm, incremental analysis: the engine run again and again on the project, with what it learnt
kept in memory (tipcheck.memo).

Each file's per-file work (tree, facts, flow summary, file-rule findings) is kept; an edited file
is analysed again alone, from its last tree where the edit allows (tipcheck.reparse). The project
rules then run on the kept summaries. A run reports on some files only (`run(..., paths)`): the
server asks first for the edited file, then for the files whose findings may depend on it (those
the project rules read), so that the edited file's findings come first.
"""

from __future__ import annotations

from typing import Collection, Dict, List, Optional, Tuple

from tipcheck.engine import FileResult, check_sources, unread_result
from tipcheck.fixing import fix_sources
from tipcheck.memo import Memo
from tipcheck.server.documents import Document, Project
from tipcheck.source import SourceFile


class Linter:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.memo = Memo()
        # The last results of each file, with the document (text and version) they were made for.
        self.results: Dict[str, Tuple[Document, FileResult]] = {}

    def reset(self) -> None:
        """Forget every analysis (the config changed: the rules of every file may have)."""
        self.memo.clear()
        self.results.clear()

    @staticmethod
    def _sources(documents: Dict[str, Document]) -> List[SourceFile]:
        return [document.source for document in documents.values() if document.source is not None]

    def run(self, documents: Dict[str, Document], paths: Collection[str]) -> Dict[str, FileResult]:
        """The results of ``paths``, linted with every document of the project around them."""
        sources = self._sources(documents)
        wanted = {path for path in paths if path in documents}
        linted = {path for path in wanted if documents[path].source is not None}
        found: Dict[str, FileResult] = {}
        if linted:
            rules = self.project.rules([source.path for source in sources])
            results = check_sources(sources, rules, self.project.policy, memo=self.memo, report=linted)
            found = {result.path: result for result in results}
        for path in wanted - linted:
            found[path] = unread_result(path, documents[path].unread)
        for path, result in found.items():
            self.results[path] = (documents[path], result)
        self.memo.keep_only(source.path for source in sources)
        for path in [p for p in self.results if p not in documents]:
            del self.results[path]
        return found

    def dependents(self, documents: Dict[str, Document]) -> List[str]:
        """The files whose findings may change when another file does: those the project rules
        read (their findings come from the facts of the whole project)."""
        return [path for path in documents if self.memo.reads_project(path)]

    def current(self, document: Document) -> Optional[FileResult]:
        """The last result of a document, if it was made for its text as it is now."""
        known = self.results.get(document.path)
        if known is None or known[0].source is not document.source or known[0].version != document.version:
            return None
        return known[1]

    def fixed_text(self, documents: Dict[str, Document], path: str, unsafe: bool = False) -> Optional[str]:
        """The text of ``path`` with its fixes applied (safe ones only, unless ``unsafe``), as
        `tipcheck fix` would make it; None when nothing changes."""
        document = documents[path]
        if document.source is None:
            return None
        sources = self._sources(documents)
        rules = self.project.rules([source.path for source in sources])
        # The fix loop lints intermediate texts: they must not replace the buffers' analyses.
        memo = self.memo.copy()
        [result] = fix_sources(sources, rules, unsafe, self.project.policy, memo=memo, report={path})
        return result.fixed_text
