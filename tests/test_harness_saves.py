"""The harness's record of torch.save targets and of the process group at exit (TIP504, TIP505),
the checks that read them, and the rank-guard facts the two rules share."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from tipcheck.facts.ranks import RankGuards, rank_test
from tipcheck.harness.checks import CHECKS, Context, Environment

GLOO2 = Environment("cpu", 2, True)


def _run(name, reports):
    return CHECKS[name](Context("after", reports, reports, GLOO2))


def _saves(rank, *paths):
    return {"rank": rank, "saves": [{"path": p, "kind": "file", "count": 1, "rank": rank} for p in paths]}


def test_writer_checks():
    both = [_saves(0, "/w/ckpt.pt"), _saves(1, "/w/ckpt.pt")]
    ok, detail = _run("several_writers", both)
    assert ok and "ckpt.pt: 2 writers" in detail
    assert not _run("one_writer_per_file", both)[0]
    one = [_saves(0, "/w/ckpt.pt"), _saves(1)]
    assert _run("one_writer_per_file", one)[0]
    assert not _run("several_writers", one)[0]
    per_rank = [_saves(0, "/w/ckpt0.pt"), _saves(1, "/w/ckpt1.pt")]
    assert _run("one_writer_per_file", per_rank)[0] and not _run("several_writers", per_rank)[0]
    # Nothing saved at all is not "one writer per file": the fix must not have removed the save.
    assert not _run("one_writer_per_file", [_saves(0), _saves(1)])[0]
    buffers = [{"rank": r, "saves": [{"path": None, "kind": "BytesIO", "count": 2, "rank": r}]} for r in range(2)]
    assert not _run("several_writers", buffers)[0]


def _exit(alive, stderr="", warnings=()):
    state = {"process_group_alive": alive, "backend": "gloo", "torch_warning": "x" if alive else None}
    state["warnings"] = list(warnings)
    return {"rank": 0, "exit_state": state, "stderr_tail": stderr}


def test_exit_warning_checks():
    assert _run("exit_warning_present", [_exit(True), _exit(True)])[0]
    assert not _run("exit_warning_gone", [_exit(True), _exit(False)])[0]
    assert _run("exit_warning_gone", [_exit(False), _exit(False)])[0]
    assert not _run("exit_warning_present", [_exit(False), _exit(False)])[0]
    # torch's own text in stderr (NCCL's destructor) counts, whatever the recorded state: the line
    # an H200 printed (torch 2.11, NCCL, one process, no destroy; with the destroy, nothing).
    nccl = (
        "[rank0]:[W1203 15:14:00.347154333 ProcessGroupNCCL.cpp:1575] Warning: WARNING: destroy_process_group() "
        "was not called before program exit, which can leak resources. For more info, please see "
        "https://pytorch.org/docs/stable/distributed.html#shutdown (function operator())"
    )
    assert _run("exit_warning_present", [_exit(False, stderr=nccl)])[0]
    assert not _run("exit_warning_gone", [_exit(False, stderr=nccl)])[0]
    # A report written without the exit handler (it never ran) proves nothing either way.
    missing = {"rank": 0, "exit_state": None, "stderr_tail": ""}
    assert not _run("exit_warning_gone", [missing])[0] and not _run("exit_warning_present", [missing])[0]


def test_rank_tests():
    for text in (
        "rank == 0",
        "dist.get_rank() == 0",
        "is_main_process()",
        "args.local_rank in [-1, 0]",
        "args.rank % ngpus_per_node == 0",
        "master",
        "self.trainer.is_global_zero",
        "accelerator.is_main_process",
    ):
        assert rank_test(text), text
    for text in ('__name__ == "__main__"', "epoch % 10 == 0", "loss < best", "args.save"):
        assert not rank_test(text), text


def _guarded(source):
    module = cst.parse_module(textwrap.dedent(source))
    guards = RankGuards(module)
    saves = [c for c in guards.stacks.calls if cst.Module(body=[]).code_for_node(c.func) == "torch.save"]
    return [guards.guarded(c) for c in saves]


def test_guards_follow_callers_and_early_exits():
    assert _guarded(
        """
        def save(m):
            torch.save(m, "a.pt")

        def train(rank):
            dist.init_process_group("gloo")
            if rank == 0:
                save(m)
        """
    ) == [True]
    assert _guarded(
        """
        def save(m):
            torch.save(m, "a.pt")

        def train(rank):
            dist.init_process_group("gloo")
            if rank == 0:
                save(m)
            save(m)
        """
    ) == [False]
    assert _guarded(
        """
        def export(m, rank):
            if rank != 0:
                return
            torch.save(m, "a.pt")

        def worker(rank):
            dist.init_process_group("gloo")
            export(m, rank)
        """
    ) == [True]
    # Never called here: unknown (silent), unless it initialises the group itself.
    assert _guarded("def helper(m):\n    torch.save(m, 'a.pt')\n") == [True]
    assert _guarded("def run(m):\n    dist.init_process_group('gloo')\n    torch.save(m, 'a.pt')\n") == [False]
    # mp.spawn(worker, ...) refers to the worker: every process runs it.
    assert _guarded(
        """
        def worker(rank, m):
            torch.save(m, "a.pt")

        mp.spawn(worker, nprocs=2)
        """
    ) == [False]


torch = pytest.importorskip("torch")


@pytest.mark.parametrize("destroy", [False, True])
def test_the_harness_records_saves_and_the_group_at_exit(tmp_path, destroy):
    from tipcheck.harness import run_instrumented

    script = tmp_path / "small.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import io
            import torch
            import torch.distributed as dist

            dist.init_process_group("gloo", init_method="file://{tmp_path / "store"}", rank=0, world_size=1)
            model = torch.nn.Linear(2, 1)
            for _ in range(2):
                torch.save(model.state_dict(), "ckpt.pt")
            torch.save(model.state_dict(), io.BytesIO())
            """
        )
        + ("dist.destroy_process_group()\n" if destroy else ""),
        encoding="utf-8",
    )
    [report] = run_instrumented(str(script), str(tmp_path / "out"), preload=False)
    assert report["exit"] == 0, report["stderr_tail"]
    files = [(s["path"].rsplit("/", 1)[-1], s["count"]) for s in report["saves"] if s["kind"] == "file"]
    assert files == [("ckpt.pt", 2)]
    assert [s["kind"] for s in report["saves"] if s["path"] is None] == ["BytesIO"]
    assert report["exit_state"]["process_group_alive"] is (not destroy)
