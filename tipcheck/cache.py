"""The cache: what tipcheck learnt about a file (or a set of files) last time, kept on disk.

Layout, under the cache folder (`.tipcheck_cache/` by default, with its own `.gitignore`):

    <version>/files/ab/<key>   one file's analysis: file-rule findings, errors, whether it parsed
    <version>/trees/ab/<key>   its tree and facts (only for files the project rules read)
    <version>/project/ab/<key> the project rules' findings for one set of files
    <version>/plan/ab/<key>    which rules to run on which files, for one set of file contents

The folder lies in the repository, where anyone can commit or plant an entry at the path a run
will read (the keys are predictable), so entries hold data only and reading one never runs code:
files, project and plan are JSON (tipcheck.cachedata checks every field on the way back), trees a
`marshal` of plain values rebuilt into whitelisted classes only (tipcheck.treedata). Nothing here
unpickles. An entry that is not exactly what this version writes is a miss. (A planted entry can
still lie about the findings of a file whose content it names, as with any cache kept in the
working tree; `--no-cache` in CI, or a cache folder outside it, avoids even that.)

Every key is a hash of everything the entry depends on: the tipcheck version, the Python and
LibCST versions, the rules, the file's path and the hash of its content; a project entry's key is
made of the keys of all the files the project analysis reads (so a change to an imported module
invalidates it). Entries are written to a temporary file and renamed into place, so two runs at
once never see half an entry, and an entry that cannot be read is simply a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from typing import Any, Iterable, Optional

from tipcheck import __version__

DEFAULT_DIR = ".tipcheck_cache"
# The layout and formats of the entries: part of every key and of the folder's name, so that a run
# never reads what another layout wrote (layout 1 pickled its entries).
LAYOUT = 2
ENV_VAR = "TIPCHECK_CACHE_DIR"


def _runtime() -> str:
    try:
        from importlib.metadata import version

        libcst = version("libcst")
    except Exception:
        libcst = "?"
    return f"tipcheck {__version__}; cache layout {LAYOUT}; python {sys.version_info[0]}.{sys.version_info[1]}; libcst {libcst}"


def content_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def key(*parts: Any) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def default_dir(root: Optional[str] = None) -> str:
    """--cache-dir wins, then $TIPCHECK_CACHE_DIR, then `.tipcheck_cache` in ``root`` (the
    project root: the folder of the config file, or the current folder)."""
    return os.environ.get(ENV_VAR) or os.path.join(root or os.getcwd(), DEFAULT_DIR)


class Cache:
    def __init__(self, directory: str) -> None:
        self.directory = os.path.abspath(directory)
        self.runtime = _runtime()
        self.base = os.path.join(self.directory, key(self.runtime)[:16])
        self._usable = True

    # -- keys ------------------------------------------------------------------------------
    def file_key(self, path: str, text_hash: str, codes: Iterable[str]) -> str:
        # The path as shown (the findings carry it) and where it is (module names come from that).
        return key("file", self.runtime, path, os.path.abspath(path), text_hash, tuple(codes))

    # -- entries ---------------------------------------------------------------------------
    def get(self, kind: str, entry_key: str) -> Any:
        """The JSON value of an entry, or None when it is absent, unreadable or not JSON. (The
        caller checks that the value has the shape it wrote: tipcheck.cachedata.)"""
        data = self.get_bytes(kind, entry_key)
        if data is None:
            return None
        try:
            return json.loads(data)
        except (ValueError, RecursionError, MemoryError):  # not JSON (UnicodeDecodeError included)
            return None

    def get_bytes(self, kind: str, entry_key: str) -> Optional[bytes]:
        try:
            with open(self._path(kind, entry_key), "rb") as handle:
                return handle.read()
        except OSError:
            return None

    def put(self, kind: str, entry_key: str, value: Any) -> None:
        """Keep ``value``: bytes as they are (a tree: tipcheck.treedata), anything else as JSON."""
        if not isinstance(value, bytes):
            try:
                value = json.dumps(value, separators=(",", ":")).encode("ascii")
            except (TypeError, ValueError, RecursionError):
                return
        self._write(self._path(kind, entry_key), value)

    # -- files -----------------------------------------------------------------------------
    def _path(self, kind: str, entry_key: str) -> str:
        return os.path.join(self.base, kind, entry_key[:2], entry_key)

    def _write(self, path: str, data: bytes) -> None:
        if not self._usable:
            return
        try:
            folder = os.path.dirname(path)
            if not os.path.isdir(folder):
                self._prepare()
                os.makedirs(folder, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                os.replace(temporary, path)  # atomic: a reader sees the old entry or the new one
            except BaseException:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
                raise
        except OSError:
            # A read-only or full disk: run without a cache rather than fail.
            self._usable = False

    def _prepare(self) -> None:
        """Create the cache folder with a .gitignore and a CACHEDIR.TAG, as other tools do."""
        os.makedirs(self.directory, exist_ok=True)
        gitignore = os.path.join(self.directory, ".gitignore")
        if not os.path.exists(gitignore):
            self._write_small(gitignore, "# Created by tipcheck automatically.\n*\n")
            self._write_small(
                os.path.join(self.directory, "CACHEDIR.TAG"),
                "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by tipcheck.\n",
            )

    @staticmethod
    def _write_small(path: str, text: str) -> None:
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
