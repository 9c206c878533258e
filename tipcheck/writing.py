"""Writing a fixed file back (``fix``, ``lint --add-noqa``): to the real file, keeping what it was.

- **Links.** A symbolic link is followed (``os.path.realpath``): the file it points to is written and
  the link stays a link. Discovery lists a file reached under two names once (tipcheck.discovery), so
  each real file is written once.
- **Hard links.** A file with more than one name (``st_nlink > 1``) is rewritten in place: opened,
  overwritten and truncated, so every name sees the change (as Ruff does). Should that write fail
  part-way, the original bytes are put back.
- **Any other file** is replaced atomically: the new bytes go to a temporary file beside it, are
  fsync'ed, get the original's mode and owner, and the temporary file is renamed over it. When the
  owner cannot be copied (a file of another user that this user may write), the file is written in
  place instead, so that it keeps its owner.
- **Permissions.** A file is written only when its permission bits allow it: at least one write bit
  set, and ``os.access`` agreeing for the effective user. So a read-only (0444) file is refused even
  for root, who could write it, and so is a folder with no write bit that would have to take the
  temporary file. A refusal is a PermissionError for that file; the caller reports it and goes on.
"""

from __future__ import annotations

import errno
import os
import stat

__all__ = ["write_file"]

_EFFECTIVE = os.access in os.supports_effective_ids


def _permitted(path: str, mode: int, wanted: int) -> bool:
    """Whether the permission bits let this process do ``wanted`` to ``path``: some write bit is
    set (root is not let past a read-only mode), and ``os.access`` says yes for the effective ids."""
    return bool(mode & 0o222) and os.access(path, wanted, effective_ids=_EFFECTIVE)


def _refuse(path: str, why: str) -> PermissionError:
    return PermissionError(errno.EACCES, f"Permission denied ({why})", path)


def write_file(path: str, data: bytes) -> None:
    """Write ``data`` to the file at ``path`` (see the module docstring). Raises OSError, with a
    message fit for the user in ``strerror``, when it cannot; the file is then unchanged."""
    real = os.path.realpath(path)
    info = os.stat(real)
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, "not a regular file", path)
    if not _permitted(real, info.st_mode, os.W_OK):
        raise _refuse(path, "the file is read-only")
    if info.st_nlink > 1:
        _write_in_place(real, data)
        return
    folder = os.path.dirname(real)
    if not _permitted(folder, os.stat(folder).st_mode, os.W_OK | os.X_OK):
        raise _refuse(path, "its folder is read-only, and the file is replaced through a temporary file there")
    if not _replace(real, data, info):
        _write_in_place(real, data)


def _replace(real: str, data: bytes, info: os.stat_result) -> bool:
    """Replace ``real`` through a temporary file with its mode and owner; False (and nothing
    changed) when the owner cannot be copied onto the temporary file."""
    import tempfile  # not at start-up: a lint run writes nothing

    fd, tmp = tempfile.mkstemp(prefix=".tipcheck-", suffix=".tmp", dir=os.path.dirname(real))
    try:
        with os.fdopen(fd, "wb") as handle:
            mine = os.fstat(handle.fileno())
            if (mine.st_uid, mine.st_gid) != (info.st_uid, info.st_gid):
                try:
                    os.fchown(handle.fileno(), info.st_uid, info.st_gid)
                except PermissionError:
                    os.unlink(tmp)
                    return False
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(info.st_mode))  # after chown, which may clear set-id bits
        os.replace(tmp, real)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return True


def _write_in_place(real: str, data: bytes) -> None:
    """Overwrite the file itself (same inode: every hard link and the owner are kept); on a failure
    part-way, the original bytes are put back as far as possible."""
    with open(real, "r+b") as handle:
        original = handle.read()
        try:
            handle.seek(0)
            handle.write(data)
            handle.truncate()
            handle.flush()
            os.fsync(handle.fileno())
        except BaseException:
            try:
                handle.seek(0)
                handle.write(original)
                handle.truncate()
                handle.flush()
            except OSError:
                pass
            raise
