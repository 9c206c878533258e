"""Inside a `tipcheck verify` process: record whether the watched lines of the fixed files ran,
and whether the watched functions were called (the settings' `watch`: per file, `lines` and
`calls` as [first line, name]; see tipcheck.verify.lines).

Each line or call is written once per process, when first seen, to `lines-ran.txt` in the notes
folder (one JSON object a line, appended: DDP ranks and DataLoader workers write there too), after
a `{"watching": pid}` line that says this process watched.

Python 3.12+: `sys.monitoring` (a free tool id): PY_START for every code object, disabled at
once for those outside the watched files; LINE only for the code objects that hold a watched
line, each line disabled once seen. Before 3.12: a global trace function (`sys.settrace`, and
`threading.settrace` for threads started later) that gives a local tracer only to frames whose
code object holds a watched line not yet seen, and stops a frame's line events once its code
object's watched lines are all seen; when everything watched has been seen, tracing stops. A
process that already has a trace function (a debugger, coverage) is left alone and does not
say it watched.

DataLoader workers started by fork inherit the tracing; those started by spawn or forkserver
start it in their `worker_init_fn` (`wrap_worker_init`).
"""

from __future__ import annotations

import json
import os
import sys
import threading
from typing import Any, Dict, Optional, Set, Tuple

from tipcheck.verify.lines import RAN_FILE

_MISSING = object()
_TOOL_IDS = (4, 3)
_active: Optional["Watcher"] = None  # this process's (a forked child inherits its parent's)


class Watcher:
    def __init__(self, watch: Dict[str, dict], notes: Optional[str]) -> None:
        self.notes = notes
        self.files: Dict[str, dict] = {}
        for path, target in watch.items():
            self.files[path] = {
                "lines": set(target.get("lines", ())),
                "calls": {(first, name) for first, name in target.get("calls", ())},
            }
        self.left = sum(len(t["lines"]) + len(t["calls"]) for t in self.files.values())
        self.by_name: Dict[str, Any] = {}  # co_filename -> (path, target) or None
        self.codes: Dict[Any, Set[int]] = {}  # code object -> its watched lines not seen yet
        self.pid = os.getpid()
        self.tool: Optional[int] = None

    # -- recording -----------------------------------------------------------------------------

    def _write(self, entry: dict) -> None:
        if not self.notes:
            return
        entry["pid"] = os.getpid()
        try:
            with open(os.path.join(self.notes, RAN_FILE), "a", encoding="utf-8") as handle:
                handle.write(json.dumps(entry) + "\n")
        except OSError:
            pass

    def _target(self, filename: str) -> Optional[Tuple[str, dict]]:
        found = self.by_name.get(filename, _MISSING)
        if found is _MISSING:
            found = None
            if not filename.startswith("<"):
                path = os.path.realpath(filename)
                if path in self.files:
                    found = (path, self.files[path])
            self.by_name[filename] = found
        return found

    def _call(self, code, path: str, target: dict) -> None:
        key = (code.co_firstlineno, code.co_name)
        if key in target["calls"]:
            target["calls"].discard(key)
            self.left -= 1
            self._write({"file": path, "call": code.co_firstlineno})

    def _line(self, path: str, target: dict, line: int) -> None:
        if line in target["lines"]:
            target["lines"].discard(line)
            self.left -= 1
            self._write({"file": path, "line": line})

    def _wanted(self, code, target: dict) -> Set[int]:
        wanted = self.codes.get(code)
        if wanted is None:
            own = {line for _, _, line in code.co_lines() if line is not None}
            wanted = self.codes[code] = own & target["lines"]
        else:
            wanted &= target["lines"]  # seen in another code object of the same line
        return wanted

    # -- before 3.12: sys.settrace -------------------------------------------------------------

    def trace(self, frame, event, arg):
        # An exception here would reach the script (and unset the tracing): none leaves.
        code = frame.f_code
        found = self.by_name.get(code.co_filename, _MISSING)
        try:
            if found is _MISSING:
                found = self._target(code.co_filename)
            if found is None:
                return None
            path, target = found
            self._call(code, path, target)
            wanted = self._wanted(code, target)
            if not wanted:
                self._maybe_done()
                return None
        except Exception:
            return None

        def local(frame, event, arg):
            if event == "line" and frame.f_lineno in wanted:
                try:
                    wanted.discard(frame.f_lineno)
                    self._line(path, target, frame.f_lineno)
                    if not wanted:
                        frame.f_trace_lines = False
                        self._maybe_done()
                except Exception:
                    pass
            return local

        return local

    def _maybe_done(self) -> None:
        if self.left <= 0 and self.tool is None:
            sys.settrace(None)
            threading.settrace(None)  # type: ignore[arg-type]

    # -- 3.12+: sys.monitoring -----------------------------------------------------------------

    def _monitor(self) -> bool:
        monitoring = sys.monitoring  # type: ignore[attr-defined]
        for tool in _TOOL_IDS:
            try:
                monitoring.use_tool_id(tool, "tipcheck-verify")
            except ValueError:
                continue
            self.tool = tool
            break
        else:
            return False
        events = monitoring.events
        line_codes: Dict[Any, Tuple[str, dict]] = {}

        def on_start(code, offset):
            try:
                found = self._target(code.co_filename)
                if found is None:
                    return monitoring.DISABLE
                path, target = found
                self._call(code, path, target)
                if self._wanted(code, target) and code not in line_codes:
                    line_codes[code] = found
                    monitoring.set_local_events(tool, code, events.LINE)
                return None if (code.co_firstlineno, code.co_name) in target["calls"] else monitoring.DISABLE
            except Exception:
                return monitoring.DISABLE

        def on_line(code, line):
            try:
                found = line_codes.get(code)
                if found is not None:
                    self._line(found[0], found[1], line)
            except Exception:
                pass
            return monitoring.DISABLE

        monitoring.register_callback(tool, events.PY_START, on_start)
        monitoring.register_callback(tool, events.LINE, on_line)
        monitoring.set_events(tool, events.PY_START)
        return True

    # -- start ---------------------------------------------------------------------------------

    def start(self) -> bool:
        if not self.files:
            return False
        if hasattr(sys, "monitoring"):
            if not self._monitor():
                return False
        else:
            if sys.gettrace() is not None:
                return False
            sys.settrace(self.trace)
            threading.settrace(self.trace)
        self._write({"watching": True})
        return True


def install(watch: Dict[str, dict], notes: Optional[str]) -> Optional[Watcher]:
    """Watch these lines in this process (see the module's doc); the watcher, or None."""
    global _active
    if _active is not None and _active.pid == os.getpid():
        return _active
    watcher = Watcher(watch, notes)
    try:
        started = watcher.start()
    except Exception:  # the watching never stops the script
        started = False
    _active = watcher if started else None
    return _active


class _WorkerInit:
    """A DataLoader's `worker_init_fn` that starts the watching in a worker that did not inherit
    it (spawn, forkserver), then calls the loader's own (picklable when that one is)."""

    def __init__(self, watch: Dict[str, dict], notes: Optional[str], inner) -> None:
        self.watch, self.notes, self.inner = watch, notes, inner

    def __call__(self, worker_id):
        if _active is None:  # not forked from a process that watched (that one's state carries over)
            install(self.watch, self.notes)
        if self.inner is not None:
            return self.inner(worker_id)
        return None


def wrap_worker_init(torch, watch: Dict[str, dict], notes: Optional[str]) -> None:
    """Give the workers of every multi-process DataLoader iterator the watching (see _WorkerInit)."""
    from torch.utils.data import dataloader

    original = dataloader._MultiProcessingDataLoaderIter.__init__

    def __init__(iterator, loader, *args, **kwargs):
        own = loader.worker_init_fn
        if isinstance(own, _WorkerInit):
            return original(iterator, loader, *args, **kwargs)
        try:
            loader.__dict__["worker_init_fn"] = _WorkerInit(watch, notes, own)
        except Exception:
            return original(iterator, loader, *args, **kwargs)
        try:
            return original(iterator, loader, *args, **kwargs)
        finally:
            loader.__dict__["worker_init_fn"] = own

    dataloader._MultiProcessingDataLoaderIter.__init__ = __init__
