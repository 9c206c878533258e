"""Run training scripts under instrumentation and read what they did.

`run_instrumented` runs a script in a subprocess (or in `nproc` processes of a gloo group) under
`tipcheck.harness.instrument` and returns the per-rank JSON reports (see that module for what they
hold). Each process is either a fresh interpreter (`python -m tipcheck.harness.instrument`, the
default) or, with `preload=True`, a fork of a server that has imported torch once (much faster: a
fresh interpreter spends seconds importing torch and torch._dynamo before the script does
anything). The other helpers read observables out of reports; none of them needs torch, and
nothing here imports it.

This package re-exports what a caller needs; the code is in its modules:
- `processes`: `run_instrumented`, `run_processes` (one process or a distributed group);
- `forkserver`: the fork server and its client (`preload=True`);
- `observables`: reading what a run did out of its reports;
- `instrument`: the instrumented process (`python -m tipcheck.harness.instrument`) and its report,
  with the recorders it mixes in: `record_schedulers`, `record_weights`, `record_loaders` (each
  DataLoader pass's drawn indices, the data wait per step, the start method of loader workers),
  `record_saves` (the files each process wrote with torch.save, the process group at exit);
- `errors`: `HarnessError` (and `ExpectationError`).

The rest of the harness (`tipcheck harness`, `python -m tipcheck.harness.run`):
- `cases`: the shared case types (a case, the prepared folder's manifest and runtime modules);
- `expectations`: the expectation files (`fixtures/NAME.expect.json`); `checks`: the checks they
  name (`checks_saves`: those about saved files and the exit warning);
- `runner`: runs each fixture's original and fixed copy per environment (cpu, cuda, gloo×N,
  nccl×N) and judges them; `report`: the table and the JSON and markdown reports;
- `prepare`: the fixed copies, made by tipcheck itself (the only module that needs the linter),
  and `--prepare DIR` folders for machines where only torch is installed;
- `run`: `python -m tipcheck.harness.run`, the command without click or libcst.
"""

from __future__ import annotations

from tipcheck.harness.errors import HarnessError
from tipcheck.harness.forkserver import INSTRUMENT, PRELOAD_ENV, stop_fork_server
from tipcheck.harness.observables import (
    epoch_lrs,
    failures,
    loader_passes,
    loader_record,
    loader_shard_problems,
    lrs_by_loader_iter,
    sampler_orders,
    sampler_problems,
    sampler_repeats_every_epoch,
    step_lrs,
    warnings_matching,
)
from tipcheck.harness.processes import (
    FAILED_PEER_GRACE_S,
    REPORT_NAME,
    RunOutcome,
    free_port,
    run_instrumented,
    run_processes,
)

__all__ = [
    "FAILED_PEER_GRACE_S",
    "HarnessError",
    "INSTRUMENT",
    "PRELOAD_ENV",
    "REPORT_NAME",
    "RunOutcome",
    "epoch_lrs",
    "failures",
    "free_port",
    "loader_passes",
    "loader_record",
    "loader_shard_problems",
    "lrs_by_loader_iter",
    "run_instrumented",
    "run_processes",
    "sampler_orders",
    "sampler_problems",
    "sampler_repeats_every_epoch",
    "step_lrs",
    "stop_fork_server",
    "warnings_matching",
]
