"""Recording the LR schedulers a script builds, and replaying their schedules alone.

`SchedulerRecording`, a mixin of `tipcheck.harness.instrument.Recorder`, wraps the `__init__` of
every public `torch.optim.lr_scheduler` class: each scheduler built is recorded (class, arguments,
the optimizer's LRs), and when the script has ended its `reference_lrs` are computed by building
the same class with the same arguments on a stand-in optimizer and stepping it alone (see
`tipcheck.harness.instrument` for the report). It uses the Recorder's `schedulers`, `lr`,
`_optimizers`, `_scheduler_builds` and `_paused`. Also here: `_json_safe` and `_float`, how the
instrumentation turns a value into what a JSON report holds.

Nothing here imports torch at import time.
"""

from __future__ import annotations

import warnings
from typing import Any, Dict

OPTIMIZER_PLACEHOLDER = "<optimizer>"
#: The most scheduler steps replayed for `reference_lrs`.
REFERENCE_STEPS_LIMIT = 100_000


def _json_safe(value: Any, depth: int = 0) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, (list, tuple)) and depth < 3:
        return [_json_safe(v, depth + 1) for v in value]
    if isinstance(value, dict) and depth < 3 and all(isinstance(k, str) for k in value):
        return {k: _json_safe(v, depth + 1) for k, v in value.items()}
    try:  # a 0-d tensor, a numpy scalar
        if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
            return _json_safe(value.item(), depth + 1)
    except Exception:
        pass
    return {"repr": repr(value)[:200]}


def _float(value: Any) -> Any:
    try:
        return float(value)
    except Exception:
        return repr(value)


class SchedulerRecording:
    """Records the LR schedulers built and replays their schedules (a mixin of the Recorder)."""

    def _install_schedulers(self, torch) -> None:
        import functools
        import inspect

        from torch.optim import lr_scheduler

        base = getattr(lr_scheduler, "LRScheduler", None) or lr_scheduler._LRScheduler
        building = set()  # ids of schedulers whose outermost __init__ is running

        def wrap(original):
            @functools.wraps(original)
            def __init__(sched, *args, **kwargs):
                if id(sched) in building or self._paused:  # a parent's __init__, or a replay
                    return original(sched, *args, **kwargs)
                building.add(id(sched))
                try:
                    record = self._scheduler_record(sched, args, kwargs)
                    build = self._scheduler_build(sched, args, kwargs)
                    original(sched, *args, **kwargs)
                    self.schedulers.append(record)
                    self._scheduler_builds.append(build)
                finally:
                    building.discard(id(sched))

            try:
                __init__.__signature__ = inspect.signature(original)
            except (TypeError, ValueError):
                pass
            return __init__

        for name, cls in sorted(vars(lr_scheduler).items()):
            if not (isinstance(cls, type) and issubclass(cls, base) and "__init__" in vars(cls)):
                continue
            if name.startswith("_") or cls.__module__ != lr_scheduler.__name__:
                continue
            cls.__init__ = wrap(cls.__init__)

    def _scheduler_record(self, sched, args, kwargs) -> Dict[str, Any]:
        import torch

        def encode(value):
            if isinstance(value, torch.optim.Optimizer):
                return OPTIMIZER_PLACEHOLDER
            return _json_safe(value)

        optimizer = next((v for v in (*args, *kwargs.values()) if isinstance(v, torch.optim.Optimizer)), None)
        return {
            "class": type(sched).__name__,
            "module": type(sched).__module__,
            "args": [encode(a) for a in args],
            "kwargs": {k: encode(v) for k, v in kwargs.items()},
            "optimizer_lrs": [_float(g.get("lr")) for g in optimizer.param_groups] if optimizer else None,
            "optimizer_class": type(optimizer).__name__ if optimizer else None,
        }

    def _scheduler_build(self, sched, args, kwargs):
        import copy

        import torch

        optimizer = next((v for v in (*args, *kwargs.values()) if isinstance(v, torch.optim.Optimizer)), None)
        groups = None
        if optimizer is not None:
            try:
                groups = [
                    {k: copy.deepcopy(v) for k, v in group.items() if k != "params"} for group in optimizer.param_groups
                ]
            except Exception:
                groups = None
        return (type(sched), args, kwargs, optimizer, groups)

    def _reference_lrs(self, build, count: int):
        """The LRs the schedule gives (see the module's doc), or raise why it cannot tell."""
        import torch
        from torch.optim import lr_scheduler

        cls, args, kwargs, optimizer, groups = build
        base = getattr(lr_scheduler, "LRScheduler", None) or lr_scheduler._LRScheduler
        if optimizer is None or groups is None:
            raise ValueError("no optimizer among the arguments")
        if cls.__name__ == "ReduceLROnPlateau":
            raise ValueError("ReduceLROnPlateau follows a metric")
        for value in (*args, *kwargs.values()):
            if isinstance(value, base) or (
                isinstance(value, (list, tuple)) and any(isinstance(v, base) for v in value)
            ):
                raise ValueError("it wraps other schedulers")
        params = [{"params": [torch.zeros(1, requires_grad=True)], **group} for group in groups]
        try:
            stand_in = type(optimizer)(params)
        except Exception:
            stand_in = torch.optim.SGD(params, lr=groups[0].get("lr", 0.1))
        swap = lambda v: stand_in if v is optimizer else v  # noqa: E731
        values = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scheduler = cls(*[swap(a) for a in args], **{k: swap(v) for k, v in kwargs.items()})
            for index in range(count):
                values.append([_float(group["lr"]) for group in stand_in.param_groups])
                if index == count - 1:
                    break
                try:
                    scheduler.step()
                except Exception:  # OneCycleLR past its total steps: the schedule ends there
                    break
        return values

    def _finish_schedulers(self) -> None:
        count = min(len(self.lr) + 2, REFERENCE_STEPS_LIMIT)
        self._paused = True
        try:
            for record, build in zip(self.schedulers, self._scheduler_builds):
                optimizer = build[3]
                record["optimizer"] = self._optimizers.get(optimizer) if optimizer is not None else None
                try:
                    record["reference_lrs"] = self._reference_lrs(build, count)
                    record["reference_error"] = None
                except Exception as exc:
                    record["reference_lrs"] = None
                    record["reference_error"] = f"{type(exc).__name__}: {exc}"
        finally:
            self._paused = False
            self._scheduler_builds = []
