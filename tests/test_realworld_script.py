"""benchmarks/realworld.py: how findings are matched to the labelled rows, and the label checks."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location(
    "tipcheck_realworld_benchmark", Path(__file__).resolve().parent.parent / "benchmarks" / "realworld.py"
)
realworld = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = realworld
_SPEC.loader.exec_module(realworld)

Label, Finding, Repo = realworld.Label, realworld.Finding, realworld.Repo


def _label(line, code, verdict, repo="a/b"):
    return Label(repo, "c" * 40, "train.py", line, code, verdict, "why")


def _finding(line, code, repo="a/b"):
    return Finding(repo, "train.py", line, code, "message")


def test_findings_are_scored_per_rule_and_per_family():
    labels = [
        _label(10, "TIP402", "bug"),  # found: true positive
        _label(20, "TIP402", "bug"),  # not found: a miss
        _label(30, "TIP401", "ok"),  # found: a false positive
        _label(40, "TIP401", "ok"),  # not found: a true negative
        _label(50, "TIP501", "bug", repo="x/y"),  # a repository not linted: left out
    ]
    findings = [_finding(10, "TIP402"), _finding(30, "TIP401"), _finding(60, "TIP102"), _finding(20, "TIP401")]
    outcome = realworld.score(labels, findings, {"a/b"})
    tip402, tip401, family = outcome.scores["TIP402"], outcome.scores["TIP401"], outcome.scores["TIP4xx"]
    assert (tip402.tp, tip402.fp, tip402.fn) == (1, 0, 1)
    assert (tip401.tp, tip401.fp, tip401.fn, tip401.negatives) == (0, 1, 0, 2)
    assert (family.tp, family.fp, family.fn, family.negatives) == (1, 1, 1, 2)
    assert family.precision == 0.5 and family.recall == 0.5
    assert "TIP501" not in outcome.scores
    # A finding on the right line but for another rule is not the labelled one.
    assert {(f.line, f.code) for f in outcome.unlabeled} == {(60, "TIP102"), (20, "TIP401")}
    assert outcome.scores["TIP1xx"].unlabeled == 1
    assert [label.line for label in outcome.misses] == [20]
    assert [label.line for label, _ in outcome.false_positives] == [30]


def test_label_problems_are_reported():
    repos = [Repo("a/b", "c" * 40)]
    labels = [_label(1, "TIP402", "bug"), _label(1, "TIP402", "ok"), _label(2, "TIP402", "bug", repo="q/r")]
    labels.append(Label("a/b", "d" * 40, "train.py", 3, "TIP402", "bug", ""))
    problems = realworld.check_labels(repos, labels)
    assert any("labelled twice" in p for p in problems)
    assert any("not in repos.tsv: q/r" in p for p in problems)
    assert any("at commit " + "d" * 40 in p for p in problems)


def test_the_committed_corpus_is_well_formed():
    """Every label names a listed repository at its listed commit, once, with a known verdict."""
    repos = realworld.read_repos()
    labels = realworld.read_labels()
    assert realworld.check_labels(repos, labels) == []
    assert all(len(repo.commit) == 40 for repo in repos)


def test_no_label_is_in_an_excluded_folder():
    excluded = realworld.read_excluded()
    assert excluded, "excluded.tsv lists the vendored copies of held-out code"
    assert [label.key for label in realworld.read_labels() if label.path.startswith(excluded[label.repo])] == []
