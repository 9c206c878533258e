"""The project the server lints: the workspace's files, as the editor has them.

- Which files: those `tipcheck lint ROOT` would lint (tipcheck.discovery, with the config's
  exclude and .gitignore), and any Python document the editor opens from elsewhere.
- Their settings: the workspace's config files (tipcheck.config: the closest config wins), read
  again when one changes (`reload`). A broken config is reported, and its folder linted with the
  defaults meanwhile.
- Their text: an open editor buffer or notebook wins over the file on disk; a file on disk is read
  once, and again when its size or modification time changes.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple, Union

from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import Workspace

from tipcheck.config import CONFIG_FILES, ConfigError, Resolver, Settings
from tipcheck.diagnostics import Diagnostic
from tipcheck.discovery import PYTHON_SUFFIXES, discover
from tipcheck.engine import Skipped, read
from tipcheck.modulenames import disk_changed
from tipcheck.policy import Policy
from tipcheck.rules import ALL_RULES
from tipcheck.rules.base import Rule
from tipcheck.server.notebooks import NotebookPlaces
from tipcheck.server.places import TextPlaces
from tipcheck.source import SourceFile

Unread = Union[Diagnostic, Skipped]  # what engine.read gives for a file it cannot lint


def path_of(uri: str) -> Optional[str]:
    """The file-system path of a file: URI, normalized; None for another scheme (an untitled buffer)."""
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return os.path.normpath(os.path.abspath(path)) if path else None


# Unsaved buffers (`untitled:Untitled-1`) are linted under a stand-in path in the workspace (its
# settings apply, as Ruff does) in a folder that no file can have.
UNTITLED = "<unsaved>"


def untitled_path(uri: str, root: Optional[str]) -> str:
    """The stand-in path of an unsaved Python buffer."""
    name = re.sub(r"[^\w.-]+", "_", uri.partition(":")[2]).strip("_") or "buffer"
    return os.path.join(root or os.getcwd(), UNTITLED, name if name.endswith(".py") else f"{name}.py")


def is_config(path: str) -> bool:
    return os.path.basename(path) in CONFIG_FILES


def is_python(path: str) -> bool:
    return path.endswith(PYTHON_SUFFIXES)


@dataclass
class Document:
    """One file as it is linted now."""

    path: str
    source: Optional[SourceFile]  # None: not linted (unreadable, or a notebook in another language)
    places: object  # TextPlaces or NotebookPlaces: where its findings go in the editor
    version: Optional[int] = None  # the editor's version of its buffer; None for a file on disk
    unread: Optional[Unread] = None  # why it is not linted, with source None


class _Resolver(Resolver):
    """tipcheck's Resolver, with a broken config file recorded and its folder given the defaults."""

    def __init__(self, root: str) -> None:
        super().__init__(cwd=root)
        self.errors: List[str] = []

    def _load(self, config: str) -> Settings:
        try:
            return super()._load(config)
        except ConfigError as exc:
            self.errors.append(str(exc))
            settings = self._by_config[config] = self.default()
            return settings


class Project:
    def __init__(self, root: Optional[str]) -> None:
        self.root = os.path.normpath(os.path.abspath(root)) if root else None
        self.resolver = _Resolver(self.root or os.getcwd())
        self.policy = Policy(self.resolver)
        self.files: List[str] = []
        self._disk: Dict[str, Tuple[Tuple[int, int], object]] = {}
        self._buffers: Dict[str, Tuple[Tuple[str, int], Document]] = {}

    # -- configuration and the file set --------------------------------------------------------
    def reload(self) -> List[str]:
        """Read the config files again and find the project's files again; the config errors."""
        disk_changed()  # files came or went: which folders are packages is read again
        self.resolver = _Resolver(self.root or os.getcwd())
        self.policy = Policy(self.resolver)
        if self.root is None:
            self.files = []
        else:
            base = self.resolver.base()
            found = discover(
                [self.root],
                respect_gitignore=base.respect_gitignore,
                excluded=lambda path: self.resolver.for_path(path).is_excluded(path),
            )
            self.files = [os.path.normpath(os.path.abspath(path)) for path in found.files]
        return list(self.resolver.errors)

    def settings(self, path: str) -> Settings:
        return self.resolver.for_path(path)

    def rules(self, paths: Sequence[str]) -> List[Rule]:
        """Every rule enabled for at least one of the files (the policy drops the others' findings)."""
        codes = set().union(*(self.settings(path).enabled_codes_for(path) for path in paths))
        return [rule for rule in ALL_RULES if rule.code in codes]

    # -- texts ---------------------------------------------------------------------------------
    def _read(self, path: str) -> object:
        """The file on disk (engine.read), read again only when its size or time changed."""
        try:
            info = os.stat(path)
            stamp = (info.st_mtime_ns, info.st_size)
        except OSError:
            stamp = (-1, -1)
        known = self._disk.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
        value = read(path)
        self._disk[path] = (stamp, value)
        return value

    def path(self, uri: str, workspace: Workspace) -> Optional[str]:
        """The linted file a document is: its path, its notebook's for a cell, the stand-in path of
        an unsaved Python buffer; None for anything else."""
        notebook = workspace.get_notebook_document(cell_uri=uri)
        if notebook is not None:
            return path_of(notebook.uri)
        path = path_of(uri)
        if path is None and uri in workspace.text_documents:
            if workspace.text_documents[uri].language_id == "python":
                return untitled_path(uri, self.root)
        return path

    def documents(self, workspace: Workspace) -> Dict[str, Document]:
        """Every file to lint, by path: the project's files and the open Python documents (unsaved
        ones too), each as its editor buffer when it is open, else as it is on disk."""
        codec = workspace.position_codec
        open_texts = {}
        for uri, document in workspace.text_documents.items():
            if workspace.get_notebook_document(cell_uri=uri) is not None:
                continue
            path = self.path(uri, workspace)
            if path is not None and is_python(path):
                open_texts[path] = (uri, document)
        notebooks = {}
        for uri, notebook in workspace.notebook_documents.items():
            path = path_of(uri)
            if path is not None:
                notebooks[path] = (uri, notebook)
        found: Dict[str, Document] = {}
        for path in dict.fromkeys([*self.files, *open_texts, *notebooks]):
            if path in open_texts:
                uri, document = open_texts[path]
                found[path] = self._buffer(path, uri, document.source, document.version, codec)
            elif path in notebooks:
                found[path] = self._notebook(path, *notebooks[path], workspace)
            else:
                found[path] = self._on_disk(path, codec)
        self._disk = {path: value for path, value in self._disk.items() if path in found}
        self._buffers = {path: value for path, value in self._buffers.items() if path in open_texts}
        return found

    def _buffer(self, path: str, uri: str, text: str, version: Optional[int], codec) -> Document:
        known = self._buffers.get(path)
        if known is not None and known[0] == (text, version):
            return known[1]
        source = SourceFile(path, text)
        document = Document(path, source, TextPlaces(uri, source, codec), version)
        self._buffers[path] = ((text, version), document)
        return document

    def _notebook(self, path: str, uri: str, notebook, workspace: Workspace) -> Document:
        cells = []
        for cell in notebook.cells:
            document = workspace.get_text_document(cell.document)
            cells.append((cell.document, document.language_id, document.source))
        places = NotebookPlaces(path, notebook, cells, workspace.position_codec)
        source = places.source()
        unread = None if source is not None else Skipped(path, "not a Python notebook")
        return Document(path, source, places, notebook.version, unread)

    def _on_disk(self, path: str, codec) -> Document:
        value = self._read(path)
        uri = from_fs_path(path)
        if isinstance(value, SourceFile) and value.notebook is None:
            return Document(path, value, TextPlaces(uri, value, codec))
        if isinstance(value, SourceFile):  # a notebook on disk: its findings go to the file
            joined = SourceFile(path, value.notebook.raw)
            return Document(path, value, _NotebookFile(uri, joined, codec, value.notebook))
        return Document(path, None, TextPlaces(uri, SourceFile(path, ""), codec), unread=value)


class _NotebookFile(TextPlaces):
    """A notebook that is not open: its findings go to the lines of its JSON file (as
    tipcheck.notebook.Notebook.file_line says), where an editor that opened it as text shows them."""

    def __init__(self, uri: str, raw: SourceFile, codec, notebook) -> None:
        super().__init__(uri, raw, codec)
        self.notebook = notebook

    def position(self, row: int, column: int):
        line = self.notebook.file_line(row) or 1
        return super().position(line, 1)

    def at(self, offset: int):
        joined = self.notebook.source_file()
        location = joined.location(min(max(0, offset), len(joined.text)))
        return self.position(location.row, location.column)

    def offset(self, uri, position):
        return None  # no fix is offered in the JSON text
