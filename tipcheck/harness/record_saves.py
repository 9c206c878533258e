"""Recording the files each process writes with `torch.save`, and how the process group ends.

`SaveRecording`, a mixin of `tipcheck.harness.instrument.Recorder`, patches `torch.save` (and
`torch.serialization.save`, the same function) to note where each call writes: the absolute path
of a file (a str or path-like `f`), or the class of a buffer (`io.BytesIO`: nothing on disk). The
report's `saves` is a list, one entry per distinct target, in order of the first write: `path`
(None for a buffer), `kind` (`file` or the buffer's class), `count` (calls), `rank` (the rank of
the process when it first wrote there). The processes of one run share a working directory, so
the same path from two ranks is one file written by both (TIP504).

It also registers, when it installs its patches (before the script runs, hence after every
`atexit` handler the script registers: they run last-in first-out), a handler that looks at the
process group once the script's own exit handlers have run: `exit_state` in the report holds
`process_group_alive` (the default group is still initialised: `destroy_process_group()` was
never called on the way out), its `backend`, `torch_warning` (the text torch prints at exit for
a group left alive: under NCCL its ProcessGroupNCCL destructor prints it to stderr; gloo prints
nothing, so on CPU this is the stand-in), and `warnings`: the Python warnings shown after the
report was first written (during exit). The report, already written by `run`, is rewritten with
`exit_state` added (`note_report_path` tells the handler where it is). What the interpreter
prints after that (the NCCL destructor's warning) is in the process's stderr, which the harness
attaches as `stderr_tail` (tipcheck.harness.processes).

Nothing here imports torch at import time.
"""

from __future__ import annotations

import atexit
import json
import os
from typing import Any, Dict, List, Optional

#: What torch prints at exit when a process group was never destroyed (ProcessGroupNCCL's
#: destructor; torch >= 2.4 warns in some form): read from torch 2.14's libtorch_cuda, and seen in
#: stderr on an H200 (torch 2.11, NCCL, one process, the group never destroyed; nothing with the
#: destroy). gloo (torch 2.14, 2 processes) prints nothing at exit.
TORCH_EXIT_WARNING = (
    "WARNING: destroy_process_group() was not called before program exit, which can leak resources. "
    "For more info, please see https://pytorch.org/docs/stable/distributed.html#shutdown"
)
#: A pattern that finds it (or the older "process group has NOT been destroyed") in stderr.
EXIT_WARNING_PATTERN = r"destroy_process_group\(\) was not called|has NOT been destroyed|hasn't been destroyed"


class SaveRecording:
    """Mixin of Recorder: `saves` and `exit_state` (see the module's docstring)."""

    def _init_saves(self) -> None:
        self.saves: List[Dict[str, Any]] = []
        self._save_index: Dict[Any, int] = {}
        self.exit_state: Optional[Dict[str, Any]] = None
        self._report_path: Optional[str] = None
        self._warnings_at_report = 0

    def _install_saves(self, torch) -> None:
        import torch.serialization as serialization

        original = torch.save

        def save(obj, f, *args, **kwargs):
            try:
                self._note_save(f)
            except Exception:
                pass
            return original(obj, f, *args, **kwargs)

        save.__wrapped__ = original
        save.__doc__ = original.__doc__
        torch.save = save
        serialization.save = save
        atexit.register(self._at_exit)

    def _note_save(self, f) -> None:
        if self._paused:
            return
        self._note_rank()
        if isinstance(f, (str, bytes)) or hasattr(f, "__fspath__"):
            path = os.path.abspath(os.fsdecode(os.fspath(f)))
            key, kind = ("file", path), "file"
        else:
            path, kind = None, type(f).__name__
            key = ("buffer", kind)
        index = self._save_index.get(key)
        if index is None:
            self._save_index[key] = len(self.saves)
            self.saves.append({"path": path, "kind": kind, "count": 1, "rank": self.final_rank()})
        else:
            self.saves[index]["count"] += 1

    def note_report_path(self, path: str) -> None:
        """Where `run` wrote the report: the exit handler adds `exit_state` to it."""
        self._report_path = path
        self._warnings_at_report = len(self.warnings)

    def _exit_state(self) -> Dict[str, Any]:
        alive, backend = False, None
        try:
            import torch.distributed as dist

            alive = bool(dist.is_available() and dist.is_initialized())
            if alive:
                backend = str(dist.get_backend())
        except Exception:
            pass
        return {
            "process_group_alive": alive,
            "backend": backend,
            "torch_warning": TORCH_EXIT_WARNING if alive else None,
            "warnings": self.warnings[self._warnings_at_report :],
        }

    def _at_exit(self) -> None:
        self.exit_state = self._exit_state()
        path = self._report_path
        if path is None or not os.path.exists(path):
            return
        try:
            with open(path, encoding="utf-8") as handle:
                report = json.load(handle)
            report["exit_state"] = self.exit_state
            temporary = f"{path}.{os.getpid()}.exit.tmp"
            with open(temporary, "w", encoding="utf-8") as handle:
                json.dump(report, handle)
            os.replace(temporary, path)
        except Exception:
            pass
