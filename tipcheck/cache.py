"""The cache: what tipcheck learnt about a file (or a set of files) last time, kept on disk.

Layout, under the cache folder (`.tipcheck_cache/` by default, with its own `.gitignore`):

    <version>/files/ab/<key>   one file's analysis: file-rule findings, errors, whether it parsed
    <version>/trees/ab/<key>   its tree and facts (only for files the project rules read)
    <version>/project/ab/<key> the project rules' findings for one set of files
    <version>/plan/ab/<key>    which rules to run on which files, for one set of file contents

Every key is a hash of everything the entry depends on: the tipcheck version, the Python and
LibCST versions, the rules, the file's path and the hash of its content; a project entry's key is
made of the keys of all the files the project analysis reads (so a change to an imported module
invalidates it). Entries are written to a temporary file and renamed into place, so two runs at
once never see half an entry, and an entry that cannot be read is simply a miss.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import sys
import tempfile
from typing import Any, Iterable, List, Optional

from tipcheck import __version__

DEFAULT_DIR = ".tipcheck_cache"
ENV_VAR = "TIPCHECK_CACHE_DIR"
# What `Cache._prepare` writes, and the name of a version's folder (`Cache.base`): how `tipcheck
# clean` tells tipcheck's own entries from anything else in the folder.
_GITIGNORE = "# Created by tipcheck automatically.\n*\n"
_CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by tipcheck.\n"
_VERSION_FOLDER = re.compile(r"[0-9a-f]{16}")


def _runtime() -> str:
    try:
        from importlib.metadata import version

        libcst = version("libcst")
    except Exception:
        libcst = "?"
    return f"tipcheck {__version__}; python {sys.version_info[0]}.{sys.version_info[1]}; libcst {libcst}"


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
        try:
            with open(self._path(kind, entry_key), "rb") as handle:
                value = pickle.load(handle)
        except Exception:  # absent, unreadable or from an incompatible run: a miss
            return None
        return value

    def get_bytes(self, kind: str, entry_key: str) -> Optional[bytes]:
        try:
            with open(self._path(kind, entry_key), "rb") as handle:
                return handle.read()
        except OSError:
            return None

    def put(self, kind: str, entry_key: str, value: Any) -> None:
        try:
            data = value if isinstance(value, bytes) else pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except (RecursionError, pickle.PicklingError, TypeError, AttributeError):
            return
        self._write(self._path(kind, entry_key), data)

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
            self._write_small(gitignore, _GITIGNORE)
            self._write_small(os.path.join(self.directory, "CACHEDIR.TAG"), _CACHEDIR_TAG)

    @staticmethod
    def own_entries(directory: str) -> Optional[List[str]]:
        """What tipcheck wrote in ``directory`` (for `tipcheck clean`), the CACHEDIR.TAG last; None
        when the folder is not a tipcheck cache (no CACHEDIR.TAG with the text `_prepare` writes:
        another tool's tag does not make it ours). Any other file in it is not tipcheck's."""

        def holds(name: str, text: str) -> bool:
            try:
                with open(os.path.join(directory, name), encoding="utf-8") as handle:
                    return handle.read(len(text) + 1) == text
            except (OSError, ValueError):
                return False

        if not holds("CACHEDIR.TAG", _CACHEDIR_TAG):
            return None
        own = [
            name
            for name in sorted(os.listdir(directory))
            if (name == ".gitignore" and holds(name, _GITIGNORE))
            or name.startswith(".tmp-")  # left by a run that was killed while writing
            or (_VERSION_FOLDER.fullmatch(name) and os.path.isdir(os.path.join(directory, name)))
        ]
        return own + ["CACHEDIR.TAG"]

    @staticmethod
    def _write_small(path: str, text: str) -> None:
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
