"""Recording what each DataLoader drew, pass by pass, and how long the training loop waited for data.

`LoaderRecording`, a mixin of `tipcheck.harness.instrument.Recorder`, patches:

- `DataLoader.__iter__`: each call is a pass (an "epoch" of that loader). It counts the Recorder's
  `loader_iters`, opens a pass record of the loader (loaders are numbered in the order of their
  first pass), and, when a start method is asked for (`TIPCHECK_START_METHOD`: `spawn`,
  `forkserver` or `fork`), gives a loader with `num_workers > 0` and no `multiprocessing_context`
  of its own that start method before its workers start;
- `_BaseDataLoaderIter._next_index`: the indices the loader's (batch) sampler yields, drawn in the
  main process for single- and multi-process loaders alike (workers only fetch them), appended to
  the pass in order; a pass whose sampler ran out is `complete` (one left early, or cut short by
  `next(iter(loader))`, is not; a multi-process pass also holds the indices prefetched ahead);
- `_BaseDataLoaderIter.__next__`: the batches of each pass, and the data wait: the time from the
  end of an optimizer step (the Recorder calls `_note_step_end`) to the next batch's arrival.

Nothing is drawn, seeded or reordered by the recording: the script's RNG streams and behaviour are
those it has without it. The report's `loader_epochs` is a list, one entry per loader: `loader`
(its number), `class`, `dataset` (class), `dataset_len` (None if it has no length), `sampler` and
`batch_sampler` (class names), `batch_size`, `drop_last`, `num_workers`, `persistent_workers`,
`iterable` (an IterableDataset: no indices), `start_method` (the multiprocessing start method its
workers ran under; None without workers), `start_method_forced` (given by the harness),
`epochs` (per pass, the indices drawn, in order), `complete`, `loader_iters` (per pass, the index
of its `DataLoader.__iter__` call among all loaders', as the `loader_iter` of `lr` entries),
`batches` (per pass, batches yielded) and `capped` (more than INDEX_LIMIT indices were drawn: the
rest are not recorded). `data_wait`: `steps` (waits measured), `mean_s`, `max_s`, `total_s`, and
the same without the first batch of each pass (`in_pass_steps`, `in_pass_mean_s`: the first one
also waits for the pass to start, workers included); None when no optimizer step was followed by
a batch. `start_method`: what `TIPCHECK_START_METHOD` asked for (None: nothing).

Nothing here imports torch at import time.
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from typing import Any, Dict, List, Optional

#: The variable that asks for a start method, and the methods it may name.
START_METHOD_ENV = "TIPCHECK_START_METHOD"
START_METHODS = ("spawn", "forkserver", "fork")
#: The most indices recorded per loader (all passes together).
INDEX_LIMIT = 1_000_000


def _indices(value: Any) -> Optional[List[Any]]:
    """The dataset indices in what a (batch) sampler yielded: a list for a batch, one for an index;
    None for an IterableDataset's placeholder."""
    if value is None:
        return None
    if hasattr(value, "tolist") and not isinstance(value, (list, tuple)):
        value = value.tolist()
    items = value if isinstance(value, (list, tuple)) else [value]
    out = []
    for item in items:
        if hasattr(item, "item") and getattr(item, "ndim", 1) == 0:
            item = item.item()
        out.append(item if isinstance(item, (int, str)) else repr(item)[:100])
    return out


def _start_method(loader, iterator=None) -> Optional[str]:
    """The start method of the loader's workers (None without workers)."""
    if not getattr(loader, "num_workers", 0):
        return None
    for worker in getattr(iterator, "_workers", None) or []:
        method = getattr(worker, "_start_method", None)
        if method:
            return method
    context = getattr(loader, "multiprocessing_context", None)
    if context is not None:
        return context.get_start_method()
    import multiprocessing

    return multiprocessing.get_start_method(allow_none=True)  # never fixes the default context


class LoaderRecording:
    """Records the loaders' passes and the data wait (a mixin of the Recorder, which calls
    `_init_loaders` and `_install_loader`, and `_note_step_end` after each optimizer step)."""

    def _init_loaders(self) -> None:
        self.loaders: List[Dict[str, Any]] = []
        self._loader_index: "weakref.WeakKeyDictionary[Any, int]" = weakref.WeakKeyDictionary()
        self._opening = threading.local()  # the pass whose `DataLoader.__iter__` is running
        self._step_end: Optional[float] = None
        self._waits: List[tuple] = []  # (seconds, first batch of its pass)
        method = os.environ.get(START_METHOD_ENV) or None
        self.start_method: Optional[str] = method if method in START_METHODS else None

    def _note_step_end(self) -> None:
        self._step_end = time.perf_counter()

    def _loader_record(self, loader) -> Dict[str, Any]:
        index = self._loader_index.get(loader)
        if index is not None:
            return self.loaders[index]
        self._loader_index[loader] = len(self.loaders)

        def name(value):
            return None if value is None else type(value).__name__

        try:
            length = len(loader.dataset)
        except Exception:
            length = None
        from torch.utils.data import IterableDataset

        record = {
            "loader": len(self.loaders),
            "class": type(loader).__name__,
            "dataset": name(loader.dataset),
            "dataset_len": length,
            "sampler": name(getattr(loader, "sampler", None)),
            "batch_sampler": name(getattr(loader, "batch_sampler", None)),
            "batch_size": getattr(loader, "batch_size", None),
            "drop_last": getattr(loader, "drop_last", None),
            "num_workers": getattr(loader, "num_workers", 0),
            "persistent_workers": getattr(loader, "persistent_workers", False),
            "iterable": isinstance(loader.dataset, IterableDataset),
            "start_method": None,
            "start_method_forced": False,
            "epochs": [],
            "complete": [],
            "loader_iters": [],
            "batches": [],
            "capped": False,
            "_drawn": 0,
        }
        self.loaders.append(record)
        return record

    def _open_pass(self, loader) -> Optional[tuple]:
        try:
            record = self._loader_record(loader)
            if self.start_method and loader.num_workers > 0 and loader.multiprocessing_context is None:
                loader.multiprocessing_context = self.start_method
                record["start_method_forced"] = True
            return self._add_pass(record)
        except Exception:  # the recording never stops the script
            return None

    def _add_pass(self, record: Dict[str, Any]) -> tuple:
        record["epochs"].append([])
        record["complete"].append(False)
        record["loader_iters"].append(self.loader_iters - 1)
        record["batches"].append(0)
        return record, len(record["epochs"]) - 1

    def next_pass(self, iterator) -> None:
        """The batches `iterator` gives from now on are a new pass, counted as a `DataLoader.__iter__`
        call is: `tipcheck verify` cuts an endless loader (a sampler with no length, taken with
        `next()`) into passes of its batch limit."""
        self.loader_iters += 1
        current = iterator.__dict__.get("_tipcheck_pass")
        if current is not None:
            iterator.__dict__["_tipcheck_pass"] = self._add_pass(current[0])

    def _install_loader(self, torch) -> None:
        from torch.utils.data import DataLoader
        from torch.utils.data.dataloader import _BaseDataLoaderIter

        original_iter = DataLoader.__iter__
        original_next_index = _BaseDataLoaderIter._next_index
        original_next = _BaseDataLoaderIter.__next__
        opening = self._opening

        def __iter__(loader):
            self.loader_iters += 1
            current = self._open_pass(loader)
            previous = getattr(opening, "current", None)
            opening.current = current  # a multi-process iterator draws its first indices in here
            iterator = None
            try:
                iterator = original_iter(loader)
            finally:
                opening.current = previous
                if current is not None:
                    try:
                        current[0]["start_method"] = _start_method(loader, iterator) or current[0]["start_method"]
                    except Exception:
                        pass
            if current is not None:
                try:
                    iterator.__dict__["_tipcheck_pass"] = current
                except Exception:
                    pass
            return iterator

        def _next_index(iterator):
            current = getattr(opening, "current", None) or iterator.__dict__.get("_tipcheck_pass")
            try:
                index = original_next_index(iterator)
            except StopIteration:
                if current is not None:
                    current[0]["complete"][current[1]] = True
                raise
            if current is not None:
                try:
                    self._note_indices(current, index)
                except Exception:
                    pass
            return index

        def __next__(iterator):
            data = original_next(iterator)
            now = time.perf_counter()
            current = iterator.__dict__.get("_tipcheck_pass")
            first = False
            if current is not None:
                first = current[0]["batches"][current[1]] == 0
                current[0]["batches"][current[1]] += 1
            if self._step_end is not None and not self._paused:
                self._waits.append((now - self._step_end, first))
                self._step_end = None
            return data

        DataLoader.__iter__ = __iter__
        _BaseDataLoaderIter._next_index = _next_index
        _BaseDataLoaderIter.__next__ = __next__

    def _note_indices(self, current: tuple, index: Any) -> None:
        record, number = current
        drawn = _indices(index)
        if drawn is None or record["capped"]:
            return
        if record["_drawn"] + len(drawn) > INDEX_LIMIT:
            record["capped"] = True
            return
        record["_drawn"] += len(drawn)
        record["epochs"][number].extend(drawn)

    def _loader_report(self) -> Dict[str, Any]:
        loaders = [{k: v for k, v in record.items() if not k.startswith("_")} for record in self.loaders]
        waits = [seconds for seconds, _ in self._waits]
        in_pass = [seconds for seconds, first in self._waits if not first]
        data_wait = None
        if waits:
            data_wait = {
                "steps": len(waits),
                "mean_s": sum(waits) / len(waits),
                "max_s": max(waits),
                "total_s": sum(waits),
                "in_pass_steps": len(in_pass),
                "in_pass_mean_s": sum(in_pass) / len(in_pass) if in_pass else None,
            }
        return {"loader_epochs": loaders, "data_wait": data_wait, "start_method": self.start_method}
