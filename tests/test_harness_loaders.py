"""The harness's DataLoader recording (each pass's drawn indices, the data wait, the workers' start
method), the loader checks, the start method option, and the fixtures of TIP301-TIP305 and the
seed chapter's Tip 3.

Until a TIP30x rule is in this checkout, tipcheck cannot make its fixture's fixed copy: these
tests run each such fixture through the harness with a fixed copy written here by hand (what the
rule's fix is meant to do), and with wrong ones, so that the original's checks and the fixed
copy's are both seen to hold, and to fail where they should.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from click.testing import CliRunner  # noqa: E402

from tipcheck.cli import cli  # noqa: E402
from tipcheck.harness import run_instrumented  # noqa: E402
from tipcheck.harness.expectations import (  # noqa: E402
    Context,
    Environment,
    ExpectationError,
    _spec,
    parse_expectation,
    run_check,
)
from tipcheck.harness.report import markdown, measures_table  # noqa: E402
from tipcheck.harness.runner import make_cases, run_cases  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
PICKLING_ERROR = r"PicklingError|Can't pickle|Can't get local object|Can't get attribute '<lambda>'"


# -- what a run records ----------------------------------------------------------------------------

LOADERS_SCRIPT = """
import json, sys
import torch
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
data = TensorDataset(torch.arange(20))
loaders = {
    "shuffled": DataLoader(data, batch_size=6, shuffle=True),
    "workers": DataLoader(data, batch_size=4, shuffle=True, num_workers=2),
    "persistent": DataLoader(data, batch_size=5, shuffle=True, num_workers=2, persistent_workers=True),
    "single": DataLoader(data, batch_size=None, shuffle=True),
}
seen = {}
for name, loader in loaders.items():
    seen[name] = [[int(i) for batch in loader for i in batch[0].reshape(-1)] for epoch in range(2)]
peek = next(iter(DataLoader(data, batch_size=3)))
seen["rand"] = torch.rand(3).tolist()
with open(sys.argv[1], "w") as handle:
    json.dump(seen, handle)
"""


def test_each_pass_records_the_indices_drawn_and_the_script_runs_as_without_it(tmp_path):
    script = tmp_path / "loaders.py"
    script.write_text(LOADERS_SCRIPT, encoding="utf-8")
    plain = tmp_path / "plain.json"
    subprocess.run([sys.executable, str(script), str(plain)], check=True, cwd=tmp_path, capture_output=True)
    recorded = tmp_path / "recorded.json"
    [report] = run_instrumented(str(script), str(tmp_path / "out"), args=[str(recorded)], preload=True)
    assert report["exit"] == 0, report["stderr_tail"]
    seen = json.loads(recorded.read_text(encoding="utf-8"))
    # Same batches in the same order, same random numbers after: the recording draws nothing.
    assert seen == json.loads(plain.read_text(encoding="utf-8"))

    loaders = report["loader_epochs"]
    assert [entry["loader"] for entry in loaders] == [0, 1, 2, 3, 4]  # in order of first pass
    for entry, name in zip(loaders, ["shuffled", "workers", "persistent", "single"]):
        assert entry["epochs"] == seen[name], name
        assert entry["complete"] == [True, True] and entry["dataset_len"] == 20
        assert sorted(entry["epochs"][0]) == list(range(20)) and entry["epochs"][0] != entry["epochs"][1]
    shuffled, workers, persistent, single, peek = loaders
    assert (shuffled["sampler"], shuffled["batch_sampler"], shuffled["num_workers"]) == (
        "RandomSampler",
        "BatchSampler",
        0,
    )
    assert shuffled["start_method"] is None and shuffled["batches"] == [4, 4]
    assert workers["num_workers"] == persistent["num_workers"] == 2
    if sys.platform == "linux":  # Python 3.11's default there
        assert workers["start_method"] == persistent["start_method"] == "fork"
    assert not workers["start_method_forced"] and report["start_method"] is None
    assert persistent["persistent_workers"] and persistent["batches"] == [4, 4]
    assert single["batch_sampler"] is None and single["batches"] == [20, 20]
    # A pass cut short is recorded as drawn (the first batch) and not complete.
    assert peek["sampler"] == "SequentialSampler" and peek["complete"] == [False]
    assert peek["epochs"] == [[0, 1, 2]]
    # The passes are numbered among all loaders' `__iter__` calls, as the `loader_iter` of `lr`.
    assert shuffled["loader_iters"] == [0, 1] and peek["loader_iters"] == [8] and report["loader_iters"] == 9
    assert report["sampler_epochs"] == []  # no DistributedSampler: nothing there, as before


def test_the_data_wait_is_measured_from_each_step_to_the_next_batch(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(
        textwrap.dedent(
            """
            import torch
            from torch.utils.data import DataLoader, TensorDataset

            loader = DataLoader(TensorDataset(torch.randn(12, 2), torch.randn(12, 1)), batch_size=4)
            model = torch.nn.Linear(2, 1)
            optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
            for epoch in range(3):
                for x, y in loader:
                    optimizer.zero_grad()
                    torch.nn.functional.mse_loss(model(x), y).backward()
                    optimizer.step()
            for x, y in loader:  # evaluation: no step, no wait
                pass
            """
        ),
        encoding="utf-8",
    )
    [report] = run_instrumented(str(script), str(tmp_path / "out"), preload=True)
    assert report["exit"] == 0, report["stderr_tail"]
    wait = report["data_wait"]
    # 9 batches with a step before them (all but the first), 6 of them inside a pass; one more
    # batch follows the last step (the evaluation's first), none after.
    assert (wait["steps"], wait["in_pass_steps"]) == (9, 6)
    assert wait["mean_s"] >= 0 and wait["max_s"] >= wait["mean_s"] and wait["in_pass_mean_s"] >= 0
    [entry] = report["loader_epochs"]
    assert entry["batches"] == [3, 3, 3, 3] and all(entry["complete"])


WORKERS_SCRIPT = """
import sys
import torch
from torch.utils.data import DataLoader, TensorDataset


def collate(batch):
    return torch.stack([x for x, in batch])


if __name__ == "__main__":
    data = TensorDataset(torch.arange(8.0))
    chosen = (lambda batch: torch.stack([x for x, in batch])) if sys.argv[1:] == ["lambda"] else collate
    for batch in DataLoader(data, batch_size=4, num_workers=2, collate_fn=chosen):
        pass
    for batch in DataLoader(data, batch_size=4, num_workers=2, multiprocessing_context="fork"):
        pass
"""


def test_a_start_method_is_given_to_the_loaders_that_choose_none(tmp_path):
    script = tmp_path / "workers.py"
    script.write_text(WORKERS_SCRIPT, encoding="utf-8")
    env = {"TIPCHECK_START_METHOD": "spawn"}
    # The script runs as __main__ and its spawned workers import it again: a module-level
    # collate_fn pickles by name, in a fork of the preload server and in a fresh interpreter.
    for preload in (True, False):
        [report] = run_instrumented(str(script), str(tmp_path / f"out{preload}"), env=env, preload=preload)
        assert report["exit"] == 0, report["stderr_tail"]
        assert report["start_method"] == "spawn"
        spawned, own = report["loader_epochs"]
        assert (spawned["start_method"], spawned["start_method_forced"]) == ("spawn", True)
        assert spawned["epochs"] == [[0, 1, 2, 3, 4, 5, 6, 7]] and spawned["complete"] == [True]
        assert (own["start_method"], own["start_method_forced"]) == ("fork", False)  # its own context
    # A lambda cannot be sent to a spawned worker.
    [report] = run_instrumented(str(script), str(tmp_path / "lambda"), env=env, args=["lambda"], preload=True)
    assert report["exit"] == 1
    ok, detail = _check({"check": "crash_matching", "pattern": PICKLING_ERROR}, [report])
    assert ok, report["exception"]
    assert report["loader_epochs"][0]["start_method"] == "spawn"


# -- the checks, on made-up reports --------------------------------------------------------------------


def _loader(epochs, complete=None, length=8, sampler="RandomSampler", workers=0, method=None):
    return {
        "loader": 0,
        "sampler": sampler,
        "dataset_len": length,
        "num_workers": workers,
        "start_method": method,
        "epochs": epochs,
        "complete": complete or [True] * len(epochs),
    }


def _report(rank=None, loaders=(), **overrides):
    report = {"rank": rank, "exit": 0, "exception": None, "loader_epochs": list(loaders), "stderr_tail": ""}
    report.update(overrides)
    return report


CPU = Environment("cpu")


def _check(raw, reports, env=CPU):
    result = run_check(_spec(raw, "test", "after"), Context("after", reports, reports, env))
    return result.ok, result.detail


def test_loader_order_checks():
    same = _report(loaders=[_loader([[0, 1, 2, 3]] * 3, length=4, sampler="SequentialSampler")])
    new = _report(loaders=[_loader([[0, 1, 2, 3], [2, 0, 3, 1], [3, 1, 0, 2]], length=4)])
    assert _check("loader_same_order_every_epoch", [same])[0]
    assert not _check("loader_same_order_every_epoch", [new])[0]
    assert _check({"check": "loader_same_order_every_epoch", "min_epochs": 4}, [same]) == (
        False,
        "3 complete pass(es), need 4",
    )
    assert _check("loader_reshuffled", [new])[0]
    ok, detail = _check("loader_reshuffled", [same])
    assert not ok and "pass 1 repeats the order of pass 0 (SequentialSampler)" in detail
    # A pass cut short (not complete) is left out: one complete pass is not enough to reshuffle.
    cut = _report(loaders=[_loader([[0, 1], [2, 0, 3, 1]], complete=[False, True], length=4)])
    assert _check("loader_reshuffled", [cut]) == (False, "1 complete pass(es), need 2")
    # A loader that was never iterated fails, negated or not; so does another loader number.
    assert not _check("loader_reshuffled", [_report()])[0]
    assert not _check({"check": "loader_reshuffled", "negate": True}, [_report()])[0]
    ok, detail = _check({"check": "loader_reshuffled", "loader": 1}, [new])
    assert not ok and "no DataLoader #1 was iterated (1 were)" in detail


def test_rank_coverage_checks():
    whole = [_report(rank=r, loaders=[_loader([[3, 1, 0, 2, 5, 4], [0, 1, 2, 3, 4, 5]], length=6)]) for r in (0, 1)]
    assert _check("ranks_each_cover_dataset", whole)[0]
    ok, detail = _check("ranks_disjoint_covering", whole)
    assert not ok and "the shards overlap" in detail
    shards = [
        _report(rank=0, loaders=[_loader([[4, 0, 2], [1, 5, 3]], length=6)]),
        _report(rank=1, loaders=[_loader([[1, 5, 3], [0, 2, 4]], length=6)]),
    ]
    assert _check("ranks_disjoint_covering", shards)[0]
    ok, detail = _check("ranks_each_cover_dataset", shards)
    assert not ok and "rank 0: the first pass drew 3 of 6 indices" in detail
    # 7 items over 2 ranks: DistributedSampler pads to 8 by repeating one index; two repeats fail.
    padded = [
        _report(rank=0, loaders=[_loader([[6, 0, 2, 4]], length=7)]),
        _report(rank=1, loaders=[_loader([[1, 3, 5, 6]], length=7)]),
    ]
    assert _check("ranks_disjoint_covering", padded)[0]
    padded[1]["loader_epochs"][0]["epochs"] = [[1, 3, 5, 6, 0]]
    ok, detail = _check("ranks_disjoint_covering", padded)
    assert not ok and "padding allows 1 repeats" in detail
    # A rank that misses an index, or made another number of passes.
    short = [
        _report(rank=0, loaders=[_loader([[0, 2]], length=6)]),
        _report(rank=1, loaders=[_loader([[1, 3]], length=6)]),
    ]
    ok, detail = _check("ranks_disjoint_covering", short)
    assert not ok and "the ranks cover 4 of 6 indices" in detail
    uneven = [shards[0], _report(rank=1, loaders=[_loader([[1, 5, 3]], length=6)])]
    ok, detail = _check("ranks_disjoint_covering", uneven)
    assert not ok and "complete passes per rank {0: 2, 1: 1}" in detail


def test_loader_workers_check():
    spawned = _report(loaders=[_loader([[0, 1]], length=2, workers=2, method="spawn")])
    assert _check("loader_workers", [spawned]) == (True, "2 workers (spawn)")
    assert _check({"check": "loader_workers", "start_method": "spawn"}, [spawned])[0]
    ok, detail = _check({"check": "loader_workers", "start_method": "forkserver"}, [spawned])
    assert not ok and "started by spawn, not forkserver" in detail
    ok, detail = _check("loader_workers", [_report(loaders=[_loader([[0, 1]], length=2)])])
    assert not ok and "num_workers=0" in detail


def test_crash_matching_tells_an_exception_type_from_a_message_that_names_it():
    raised = _report(exit=1, exception={"type": "ValueError", "message": "sampler option is mutually exclusive"})
    named = _report(exit=1, exception={"type": "RuntimeError", "message": "a ValueError was raised in a worker"})
    pickled = _report(exit=1, exception={"type": "_pickle.PicklingError", "message": "Can't pickle <function <lambda>"})
    anchored = {"check": "crash_matching", "pattern": "^ValueError:"}
    assert _check(anchored, [raised])[0] and not _check(anchored, [named])[0]
    assert _check({"check": "crash_matching", "pattern": "ValueError"}, [named])[0]  # unanchored: the message too
    assert _check({"check": "crash_matching", "pattern": r"^_pickle\.PicklingError:"}, [pickled])[0]
    assert not _check(anchored, [_report()])[0]  # no crash


def test_start_method_and_measures_in_expectations():
    expectation = parse_expectation(
        {"start_method": "spawn", "measures": ["data_wait"], "before": ["exit_ok"], "after": ["exit_ok"]}
    )
    assert expectation.start_method == "spawn" and expectation.measures == ("data_wait",)
    for data, message in (
        ({"start_method": "thread"}, "start_method must be one of ('spawn', 'forkserver', 'fork')"),
        ({"measures": ["speed"]}, "measures must be a list of ('data_wait',)"),
    ):
        with pytest.raises(ExpectationError, match=message.replace("(", r"\(").replace(")", r"\)")):
            parse_expectation({**data, "before": ["exit_ok"], "after": ["exit_ok"]}, "x.expect.json")


# -- the fixtures, with fixed copies written by hand ---------------------------------------------------


def _edited(name: str, edits, folder: Path) -> Path:
    source = (FIXTURES / name).read_text(encoding="utf-8")
    for old, new in edits:
        assert source.count(old) == 1, (name, old)
        source = source.replace(old, new)
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    return path


LAMBDA = "collate_fn=lambda batch: (torch.stack([x for x, _ in batch]), torch.stack([y for _, y in batch])),"
COLLATE_DEF = (
    "\n\ndef collate_batch(batch):\n"
    "    return (torch.stack([x for x, _ in batch]), torch.stack([y for _, y in batch]))\n"
    "\n\nif __name__"
)
SAMPLER_IMPORT = (
    "from torch.utils.data import DataLoader, TensorDataset\n",
    "from torch.utils.data import DataLoader, TensorDataset\nfrom torch.utils.data.distributed import DistributedSampler\n",
)
#: What each TIP30x fix is meant to write (the rule's own text may differ in form).
HAND_FIXES = {
    "tip301_sampler_with_shuffle.py": [
        ("sampler=RandomSampler(dataset), shuffle=True)", "sampler=RandomSampler(dataset))")
    ],
    "tip302_loader_never_shuffles.py": [
        ("DataLoader(dataset, batch_size=8)", "DataLoader(dataset, batch_size=8, shuffle=True)")
    ],
    "tip303_ddp_without_distributed_sampler.py": [
        SAMPLER_IMPORT,
        (
            "DataLoader(dataset, batch_size=8, shuffle=True)",
            "DataLoader(dataset, batch_size=8, sampler=DistributedSampler(dataset))",
        ),
        ("    for epoch in range(3):\n", "    for epoch in range(3):\n        loader.sampler.set_epoch(epoch)\n"),
    ],
    "tip304_lambda_collate_fn.py": [("\nif __name__", COLLATE_DEF), (LAMBDA, "collate_fn=collate_batch,")],
    "tip305_loader_in_main_process.py": [("batch_size=8, shuffle=True)", "batch_size=8, shuffle=True, num_workers=2)")],
}
#: Fixes that are wrong, each caught by the fixed copy's checks.
WRONG_FIXES = {
    # DistributedSampler without set_epoch: shards, but every epoch in one order.
    "tip303_ddp_without_distributed_sampler.py": HAND_FIXES["tip303_ddp_without_distributed_sampler.py"][:2],
    # No workers at all: nothing to pickle, and nothing loaded in parallel either.
    "tip304_lambda_collate_fn.py": [("num_workers=2,", "num_workers=0,")],
}
SEED = "seed_tip3_loader.py"


def _run(names, fixed: Path, tmp_path: Path, **options):
    cases = make_cases([str(FIXTURES / n) for n in names], fixed_dir=str(fixed))
    return {
        r["fixture"]: r
        for r in run_cases(cases, devices=("cpu",), work_dir=str(tmp_path / "runs"), **options)["results"]
    }


@pytest.fixture(scope="module")
def hand_fixed(tmp_path_factory):
    work = tmp_path_factory.mktemp("hand-fixed")
    for name, edits in HAND_FIXES.items():
        _edited(name, edits, work / "fixed")
    _edited(SEED, [], work / "fixed")  # no rule changes it
    cases = make_cases([str(FIXTURES / n) for n in [*HAND_FIXES, SEED]], fixed_dir=str(work / "fixed"))
    return run_cases(cases, devices=("cpu",), work_dir=str(work / "runs"), preload=True)


def _failed(result):
    return [(c["phase"], c["label"], c["detail"]) for c in result["checks"] if not c["ok"]]


@pytest.mark.parametrize("name", [*HAND_FIXES, SEED])
def test_fixture_passes_with_its_fix_written_by_hand(hand_fixed, name):
    [result] = [r for r in hand_fixed["results"] if r["fixture"] == name[:-3]]
    assert result["verdict"] == "pass", (_failed(result), result["runs"])
    assert {c["phase"] for c in result["checks"]} == {"before", "after"}


def test_the_fixtures_record_what_their_rules_are_about(hand_fixed):
    results = {r["fixture"]: r for r in hand_fixed["results"]}
    assert results["tip303_ddp_without_distributed_sampler"]["environment"] == "gloo×2"
    tip304 = results["tip304_lambda_collate_fn"]
    assert tip304["start_method"] == "spawn"  # from its expectation
    assert any(c["check"] == "crash_matching" and "Can't pickle" in c["detail"] for c in tip304["checks"])
    tip301 = results["tip301_sampler_with_shuffle"]
    assert "ValueError: sampler option is mutually exclusive with shuffle" in tip301["checks"][0]["detail"]
    # TIP305's figure: the data wait per step, measured in both runs, shown in the reports.
    tip305 = results["tip305_loader_in_main_process"]
    assert tip305["measures"] == ["data_wait"]
    for phase in ("before", "after"):
        assert tip305["runs"][phase]["data_wait_ms"][0] is not None
    text = measures_table(hand_fixed)
    assert text.startswith("data wait per step") and "tip305_loader_in_main_process  cpu" in text
    assert "tip302" not in text  # only the fixtures that ask
    assert "## Measured" in markdown(hand_fixed) and "| tip305_loader_in_main_process | cpu |" in markdown(hand_fixed)


@pytest.mark.parametrize("name", sorted(WRONG_FIXES))
def test_a_wrong_fix_fails(tmp_path, name):
    _edited(name, WRONG_FIXES[name], tmp_path / "wrong")
    result = _run([name], tmp_path / "wrong", tmp_path)[name[:-3]]
    assert result["verdict"] == "fail"
    failed = {(phase, label) for phase, label, _ in _failed(result)}
    wanted = {
        "tip303_ddp_without_distributed_sampler.py": {
            ("after", "loader_reshuffled()"),
            ("after", "sampler_reshuffled_disjoint_covering()"),
        },
        "tip304_lambda_collate_fn.py": {("after", "loader_workers(start_method='spawn')")},
    }[name]
    assert failed == wanted, _failed(result)


def test_a_fixture_whose_rule_is_missing_is_an_error(tmp_path):
    script = tmp_path / "tip999_made_up.py"
    script.write_text("print('hello')\n", encoding="utf-8")
    (tmp_path / "tip999_made_up.expect.json").write_text(
        json.dumps({"rule": "TIP999", "before": ["exit_ok"], "after": ["exit_ok"]}), encoding="utf-8"
    )
    [case] = make_cases([str(script)], scripts_dir=str(tmp_path / "scripts"))
    why = "tipcheck could not fix it: TIP999, the fixture's rule, is not a rule of this tipcheck"
    assert case.error == why
    # So is it in a prepared folder (run where tipcheck is not installed).
    assert CliRunner().invoke(cli, ["harness", "--prepare", str(tmp_path / "prepared"), str(script)]).exit_code == 0
    [case] = make_cases(fixed_dir=str(tmp_path / "prepared"))
    assert case.error == why


# -- the command's --start-method ------------------------------------------------------------------------


def test_cli_start_method_for_the_fixtures_that_name_none(tmp_path):
    folder = tmp_path / "fixtures"
    folder.mkdir()
    script = folder / "workers.py"
    script.write_text(WORKERS_SCRIPT, encoding="utf-8")
    check = {"check": "loader_workers", "start_method": "spawn"}
    (folder / "workers.expect.json").write_text(
        json.dumps({"rule": None, "before": [check], "after": [check]}), encoding="utf-8"
    )
    report_path = tmp_path / "spawn.json"
    args = ["harness", str(script), "--fixed-dir", str(folder), "--device", "cpu"]
    result = CliRunner().invoke(cli, [*args, "--start-method", "spawn", "--json", str(report_path)])
    assert result.exit_code == 0, result.output
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["start_method"] == "spawn" and report["results"][0]["start_method"] == "spawn"
    command = report["command"]
    assert command[command.index("--start-method") + 1] == "spawn"
    assert "DataLoader workers start with: spawn" in report_path.with_suffix(".md").read_text(encoding="utf-8")
    # Without it each loader keeps its own way (fork, on Linux): the check fails.
    if sys.platform == "linux":
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1 and "the workers started by fork, not spawn" in result.stderr
    result = CliRunner().invoke(cli, [*args, "--start-method", "thread"])
    assert result.exit_code == 2 and "'thread' is not one of" in result.output
