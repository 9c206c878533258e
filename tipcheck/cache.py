"""The cache: what tipcheck learnt about a file (or a set of files) last time, kept on disk.

Layout, under the cache folder (`.tipcheck_cache/` by default, with its own `.gitignore`):

    <version>/files/ab/<key>   one file's analysis: file-rule findings, errors, whether it parsed
    <version>/trees/ab/<key>   its tree and facts (only for files the project rules read)
    <version>/project/ab/<key> the project rules' findings for one set of files
    <version>/plan/ab/<key>    which rules to run on which files, for one set of file contents

The folder lies in the repository, where anyone can commit or plant an entry, so entries hold data
only and reading one never runs code:
files, project and plan are JSON (tipcheck.cachedata checks every field on the way back), trees a
`marshal` of plain values rebuilt into whitelisted classes only (tipcheck.treedata). Nothing here
unpickles. An entry that is not exactly what this version writes is a miss. (A planted entry would
not even be found: every key includes a random secret kept for the user outside the checkout,
see `_secret`; and the key includes a stamp of tipcheck's own modules, so that editing a rule in a
development install does not bring back old findings.)

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
import re
import sys
from typing import Any, Iterable, List, Optional

from tipcheck import __version__

DEFAULT_DIR = ".tipcheck_cache"
# The layout and formats of the entries: part of every key and of the folder's name, so that a run
# never reads what another layout wrote (layout 1 pickled its entries).
LAYOUT = 2
ENV_VAR = "TIPCHECK_CACHE_DIR"
# What `Cache._prepare` writes, and the name of a version's folder (`Cache.base`): how `tipcheck
# clean` tells tipcheck's own entries from anything else in the folder.
_GITIGNORE = "# Created by tipcheck automatically.\n*\n"
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by tipcheck.\n"
)
_VERSION_FOLDER = re.compile(r"[0-9a-f]{16}")


def _runtime() -> str:
    return (
        f"tipcheck {__version__} ({code_stamp()}); cache layout {LAYOUT}; "
        f"python {sys.version_info[0]}.{sys.version_info[1]}; libcst {libcst_version()}; {_secret()}"
    )


_VERSION_LINE = re.compile(r"""^__version__\s*=\s*(?:version\s*=\s*)?['"]([^'"]+)['"]""", re.MULTILINE)


def libcst_version() -> str:
    """LibCST's version, from the ``_version.py`` of the first ``libcst`` package on the path:
    without importing LibCST (a run answered by the cache never does) nor importlib.metadata (a
    tenth of such a run); from the metadata where that file is not found."""
    for folder in sys.path:
        try:
            with open(os.path.join(folder or ".", "libcst", "_version.py"), encoding="utf-8") as handle:
                found = _VERSION_LINE.search(handle.read())
        except (OSError, ValueError):
            continue
        if found:
            return found.group(1)
    try:
        from importlib.metadata import version

        return version("libcst")
    except Exception:
        return "?"


def code_stamp() -> str:
    """The size and time of each of tipcheck's own modules: an edited rule (in a development
    install, where the version stays the same) makes new keys, rather than old findings."""
    package = os.path.dirname(os.path.abspath(__file__))
    stamp = hashlib.blake2b(digest_size=8)
    for folder, folders, names in os.walk(package):
        folders[:] = sorted(name for name in folders if name != "__pycache__")  # no module in there
        relative = folder[len(package) + 1 :]  # what os.path.relpath says, at a fraction of its cost
        for name in sorted(names):
            if name.endswith(".py"):
                try:
                    info = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                stamp.update(f"{os.path.join(relative, name)} {info.st_size} {info.st_mtime_ns}\n".encode())
    return stamp.hexdigest()


SECRET_ENV_VAR = "TIPCHECK_CACHE_SECRET_DIR"


def user_dir() -> str:
    """tipcheck's folder for this user, outside any checkout: ``$TIPCHECK_CACHE_SECRET_DIR``, else
    ``$XDG_CACHE_HOME/tipcheck``, else ``~/.cache/tipcheck``. It holds the secret (below) and the
    catalogue of the rules (tipcheck.ruleinfo)."""
    return os.environ.get(SECRET_ENV_VAR) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "tipcheck"
    )


def _secret() -> str:
    """A random value kept for this user outside any checkout (``$XDG_CACHE_HOME/tipcheck/secret``,
    by default ``~/.cache/tipcheck/secret``), made part of every key. Keys then cannot be computed
    from the repository, so an entry planted or committed in the cache folder is never read at all:
    it can neither run code nor hide a finding. Where that file cannot be kept, keys are made
    without it (entries are still data only)."""
    base = user_dir()
    path = os.path.join(base, "secret")
    try:
        with open(path, encoding="ascii") as handle:
            value = handle.read().strip()
        if len(value) == 64:
            return value
    except (OSError, ValueError):
        pass
    value = os.urandom(32).hex()
    try:
        os.makedirs(base, mode=0o700, exist_ok=True)
        import tempfile

        handle, temporary = tempfile.mkstemp(dir=base, prefix=".tmp-")  # created 0600
        with os.fdopen(handle, "w", encoding="ascii") as out:
            out.write(value + "\n")
        try:
            os.link(temporary, path)  # the first run to get there wins; others read its value
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
        with open(path, encoding="ascii") as handle:
            value = handle.read().strip()
        return value if len(value) == 64 else "no secret"
    except (OSError, ValueError):
        return "no secret"


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
            write_atomically(path, data)  # a reader sees the old entry or the new one
        except OSError:
            # A read-only or full disk: run without a cache rather than fail.
            self._usable = False

    def _prepare(self) -> None:
        """Create the cache folder with a .gitignore and a CACHEDIR.TAG, as other tools do."""
        os.makedirs(self.directory, exist_ok=True)
        gitignore = os.path.join(self.directory, ".gitignore")
        if not os.path.exists(gitignore):
            write_atomically(gitignore, _GITIGNORE.encode())
            write_atomically(os.path.join(self.directory, "CACHEDIR.TAG"), _CACHEDIR_TAG.encode())

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


def write_atomically(path: str, data: bytes) -> None:
    """Write a file through a temporary file renamed into place: another process reads the old
    content or the new one, never half of it. Raises OSError."""
    import tempfile  # only when writing: a run answered by the cache writes nothing

    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
