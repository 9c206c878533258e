"""What the engine keeps in memory from one run to the next in a long-lived process (the editor
server, tipcheck.server): each file's last analysis, with its tree, facts and flow summary; and the
project facts combined from one exact set of those analyses.

A run given a Memo (tipcheck.engine.check_sources) analyses again only the files whose text or
rules changed since their last analysis; the project rules then run on the summaries kept here.
A file analysed again is parsed from its last tree where the edit allows (tipcheck.reparse: only
the top-level statements the edit touched). One entry per path, so the memory it holds is that of
the project's trees, however many runs there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterable, Optional, Sequence, Tuple

from tipcheck.analysis import FileAnalysis


@dataclass
class _Entry:
    text: str
    codes: Tuple[str, ...]
    analysis: FileAnalysis


class Memo:
    def __init__(self) -> None:
        self._files: Dict[str, _Entry] = {}
        self._project: Optional[Tuple[Tuple[FileAnalysis, ...], Any]] = None
        self._kept: Any = None  # tipcheck.facts.kept.Kept, made on first use (it needs LibCST)
        # Whether a file's next analysis may take over the parts of its last facts (scopes and flow
        # summary per statement, tipcheck.facts.parts): not in a copy, whose analyses are not its own.
        self._hand_on = True

    # -- files -------------------------------------------------------------------------------
    def get(self, path: str, text: str, codes: Sequence[str]) -> Optional[FileAnalysis]:
        """The analysis of ``path`` made for exactly this text and these rules, or None."""
        entry = self._files.get(path)
        if entry is None or entry.codes != tuple(codes) or entry.text != text:
            return None
        return entry.analysis

    def get_any(self, path: str) -> Optional[FileAnalysis]:
        """The last analysis of ``path``, whatever text it was made for."""
        entry = self._files.get(path)
        return entry.analysis if entry is not None else None

    def put(self, path: str, text: str, codes: Sequence[str], analysis: FileAnalysis) -> None:
        self._files[path] = _Entry(text, tuple(codes), analysis)

    def previous(self, path: str) -> Optional[Tuple[str, Any, bool]]:
        """The last text of ``path`` analysed here and its tree (module and facts), when it
        parsed: what tipcheck.reparse starts from; and whether the new facts may take over
        what the old ones derived per statement (tipcheck.parsing.parse_source)."""
        entry = self._files.get(path)
        if entry is None or entry.analysis.tree is None:
            return None
        return entry.text, entry.analysis.tree, self._hand_on

    def reads_project(self, path: str) -> bool:
        """Whether the project rules read ``path`` (its last analysis kept a tree for them)."""
        entry = self._files.get(path)
        return entry is not None and entry.analysis.tree is not None

    def forget(self, path: str) -> None:
        self._files.pop(path, None)

    def keep_only(self, paths: Iterable[str]) -> None:
        """Drop what is kept of files that are no longer linted (deleted, excluded), and what the
        facts kept of statements no longer in a kept tree."""
        kept = set(paths)
        for path in [p for p in self._files if p not in kept]:
            del self._files[path]
        if self._kept is not None:
            trees = [entry.analysis.tree for entry in self._files.values() if entry.analysis.tree is not None]
            self._kept.keep_only([tree[0].body for tree in trees], kept)

    def clear(self) -> None:
        self._files.clear()
        self._project = None
        self._kept = None

    def copy(self) -> "Memo":
        """A memo that starts with this one's entries and keeps its own from then on (a fix loop
        whose intermediate texts must not replace the buffers' analyses)."""
        other = Memo()
        other._files = dict(self._files)
        other._project = self._project
        other._kept = self._kept  # results of plain functions of their keys: right for either
        # Its analyses start as this memo's: their facts' parts stay theirs (taking them over
        # would change the facts this memo still holds).
        other._hand_on = False
        return other

    # -- what the facts derive from statements and texts ----------------------------------------
    @property
    def kept(self) -> Any:
        """What the facts keep from one run to the next (tipcheck.facts.kept): results computed
        from one top-level statement, or from a file's text, found again while those stay."""
        if self._kept is None:
            from tipcheck.facts.kept import Kept

            self._kept = Kept()
        return self._kept

    # -- the project facts -------------------------------------------------------------------
    def project(self, analyses: Sequence[FileAnalysis]) -> Any:
        """The project facts last combined from exactly these analyses (the same objects), or None."""
        if self._project is None:
            return None
        kept, project = self._project
        if len(kept) != len(analyses) or any(a is not b for a, b in zip(kept, analyses)):
            return None
        return project

    def put_project(self, analyses: Sequence[FileAnalysis], project: Any) -> None:
        self._project = (tuple(analyses), project)
