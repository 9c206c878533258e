"""The cosine-shape checks of TIP405's fixtures (tipcheck.harness.checks_schedules) and the units
of scheduler lengths (tipcheck.facts.schedule_units)."""

import math

import libcst as cst
import pytest

from tipcheck.facts.schedule_units import unit_of
from tipcheck.harness.checks import Context, Environment
from tipcheck.harness.checks_schedules import (
    cosine_fraction_covered,
    cosine_phases,
    cosine_restarts,
    covered,
    restarts,
)


def _cosine(t_max, steps, base=0.1, eta_min=0.0):
    return [eta_min + (base - eta_min) * (1 + math.cos(math.pi * t / t_max)) / 2 for t in range(steps)]


def test_phases_run_from_base_to_eta_min():
    phases = cosine_phases(_cosine(10, 11, eta_min=0.01), 0.1, 0.01)
    assert phases[0] == pytest.approx(0.0) and phases[-1] == pytest.approx(1.0)
    assert phases[5] == pytest.approx(0.5)


def test_covered_and_restarts_tell_the_shapes_apart():
    once = _cosine(20, 20)
    assert covered(cosine_phases(once, 0.1, 0.0)) == pytest.approx(19 / 20) and restarts(once) == 0
    sliver = [v for v in _cosine(20, 4) for _ in range(5)]  # stepped once every 5 batches
    assert covered(cosine_phases(sliver, 0.1, 0.0)) == pytest.approx(3 / 20) and restarts(sliver) == 0
    cycling = _cosine(4, 20)  # down and up again: two turns back up in 20 steps
    assert covered(cosine_phases(cycling, 0.1, 0.0)) == pytest.approx(19 / 4) and restarts(cycling) == 2
    assert restarts([0.1, 0.05, 0.1, 0.05, 0.1]) == 2  # warm restarts jump up


def _context(lrs, cls="CosineAnnealingLR", kwargs=None):
    report = {
        "rank": None,
        "lr": [{"optimizer": 0, "lrs": [v], "loader_iter": 0} for v in lrs],
        "schedulers": [
            {"class": cls, "args": ["<optimizer>", 20], "kwargs": kwargs or {}, "optimizer_lrs": [0.1], "optimizer": 0}
        ],
    }
    return Context("before", [report], [report], Environment("cpu"))


def test_checks_pass_and_fail_with_what_they_saw():
    ok, detail = cosine_fraction_covered(_context(_cosine(20, 20)), min=0.9, max=1.0)
    assert ok and "covers 0.95 of its cosine" in detail
    ok, detail = cosine_fraction_covered(_context(_cosine(20, 4)), min=0.9, max=1.0)
    assert not ok and "not between 0.9 and 1" in detail
    ok, detail = cosine_restarts(_context(_cosine(4, 20)), n=0)
    assert not ok and "turned back up 2 time(s)" in detail
    ok, detail = cosine_restarts(_context(_cosine(20, 20), cls="StepLR"), n=0)
    assert not ok and "not a CosineAnnealingLR" in detail


@pytest.mark.parametrize(
    "keyword, text, unit, whole_run",
    [
        ("T_max", "len(train_loader)", "batch", False),
        ("T_max", "args.epochs * len(train_loader)", "batch", True),
        ("T_max", "EPOCHS", "epoch", True),
        ("T_max", "num_epochs - warmup_epochs", "epoch", True),
        ("total_steps", "cfg.epochs * steps_per_epoch", "batch", True),
        ("T_max", "200", None, None),
        ("T_max", "len(dataset)", None, None),
        ("T_max", "max_epoch_iters", None, None),
        ("T_max", "args.epochs * args.iters", None, None),
    ],
)
def test_units_of_lengths(keyword, text, unit, whole_run):
    found = unit_of(None, keyword, cst.parse_expression(text))
    if unit is None:
        assert found is None
    else:
        assert found is not None and found.unit == unit
        if keyword == "T_max" and unit == "batch" and not whole_run:
            assert not found.whole_run


def test_only_a_division_by_accumulation_steps_counts():
    assert unit_of(None, "steps_per_epoch", cst.parse_expression("len(loader) // accum_steps")).divided
    assert unit_of(
        None, "T_max", cst.parse_expression("epochs * len(loader) / args.gradient_accumulation_steps")
    ).divided
    assert not unit_of(None, "T_max", cst.parse_expression("epochs * len(loader) // world_size")).divided
