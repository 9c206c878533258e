"""What each rank ends up with: the CUDA device it asked for (record_devices, TIP502) and the
options argparse gave it (record_arguments, TIP503), their checks, and pretend-CUDA over several
processes (`pretend-cuda×2`)."""

from __future__ import annotations

import textwrap

import pytest

torch = pytest.importorskip("torch")

from tipcheck.harness import run_instrumented  # noqa: E402
from tipcheck.harness.checks import Context, Environment  # noqa: E402
from tipcheck.harness.expectations import _spec, run_check  # noqa: E402
from tipcheck.harness.record_devices import device_index  # noqa: E402

SCRIPT = """
import argparse
import torch

parser = argparse.ArgumentParser()
parser.add_argument("--local_rank", type=int, default=0)
parser.add_argument("--name", default="run")
args = parser.parse_args()
torch.cuda.set_device(args.local_rank)
x = torch.ones(2).cuda() if torch.cuda.is_available() else torch.ones(2)
"""


def _run(tmp_path, env, args=()):
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(SCRIPT))
    [report] = run_instrumented(str(script), str(tmp_path / "out"), env=env, args=list(args), preload=True)
    return report


def test_set_device_and_options_are_recorded_on_cpu(tmp_path):
    """On a CPU-only machine set_device is recorded and does nothing; the namespace is recorded."""
    report = _run(tmp_path, {"CUDA_VISIBLE_DEVICES": ""}, ["--local_rank", "3"])
    assert report["exception"] is None, report["exception"]
    assert report["cuda_set_device"] == [3] and report["cuda_device"] == 3
    assert report["parsed_args"] == [{"local_rank": 3, "name": "run"}]
    assert report["globals"]["x"] == ["cpu"]


def test_pretend_cuda_bare_cuda_follows_set_device(tmp_path):
    """Under pretend-CUDA a bare `.cuda()` goes to the device set_device made current, as on a GPU."""
    report = _run(tmp_path, {"CUDA_VISIBLE_DEVICES": "", "TIPCHECK_PRETEND_CUDA": "1"}, ["--local_rank", "1"])
    assert report["exception"] is None, report["exception"]
    assert report["cuda_set_device"] == [1] and report["globals"]["x"] == ["cuda:1"]
    report = _run(tmp_path, {"CUDA_VISIBLE_DEVICES": "", "TIPCHECK_PRETEND_CUDA": "1"})
    assert report["cuda_set_device"] == [0] and report["globals"]["x"] == ["cuda:0"]


def test_device_index():
    assert device_index(2) == 2 and device_index("cuda:1") == 1 and device_index(torch.device("cuda", 3)) == 3
    assert device_index("cuda") is None and device_index(torch.device("cuda")) is None


PLAYED = Environment("cuda", 2, distributed=True, pretend=True)


def _check(raw, reports, env=PLAYED):
    result = run_check(_spec(raw, "test", "after"), Context("after", reports, reports, env))
    return result.ok, result.detail


def _report(rank, **values):
    return {"rank": rank, "exit": 0, "exception": None, **values}


def test_cuda_device_per_rank():
    same = [_report(0, cuda_device=0, cuda_set_device=[]), _report(1, cuda_device=0, cuda_set_device=[])]
    own = [_report(0, cuda_device=0, cuda_set_device=[0]), _report(1, cuda_device=1, cuda_set_device=[1])]
    assert _check("cuda_device_per_rank", same)[0] is False
    ok, detail = _check("cuda_device_per_rank", own)
    assert ok and "rank 1: device 1" in detail
    assert _check({"check": "cuda_device_per_rank", "expected": 0}, same)[0] is True
    assert _check({"check": "cuda_device_per_rank", "expected": 0}, own)[0] is False


def test_option_per_rank():
    default = [_report(r, parsed_args=[{"local_rank": 0}]) for r in (0, 1)]
    own = [_report(r, parsed_args=[{"local_rank": r}]) for r in (0, 1)]
    assert _check({"check": "option_per_rank", "name": "local_rank"}, default)[0] is False
    assert _check({"check": "option_per_rank", "name": "local_rank"}, own)[0] is True
    assert _check({"check": "option_per_rank", "name": "local_rank", "expected": 0}, default)[0] is True
    ok, detail = _check({"check": "option_per_rank", "name": "local_rank"}, [_report(0, parsed_args=[])])
    assert not ok and "no `local_rank` was parsed" in detail
