"""Precision and recall of every rule on real training code (issue 13).

    python benchmarks/realworld.py                 # lint the local copies, print the tables
    python benchmarks/realworld.py --get           # first make the local copies (see below)
    python benchmarks/realworld.py --repo owner/name --unlabeled   # one repository, with details
    python benchmarks/realworld.py --tipcheck-path DIR             # another checkout (before/after)

The corpus is public repositories of training code (``realworld/repos.tsv``: repo, commit, kind,
why) labelled by reading their code (``realworld/labels.tsv``: repo, commit, path, line, code,
verdict, why). A row says, for one rule, that the line holds a real instance (verdict ``bug``:
the rule should report this line) or a look-alike that is not one (``ok``: it should not). The
line is the one the rule reports (its rule page): TIP401 and TIP501 the line that builds the
scheduler or sampler, TIP402-TIP404 the ``scheduler.step()`` call, TIP101 the line that builds
the model, TIP102 the CUDA call, TIP103 the model call or loss, TIP201 the ``pretrained=`` call.

The sources are not committed. ``--get`` writes each repository at its labelled commit into
``realworld/src/OWNER+NAME`` from a local git mirror (``--mirrors``, default
``/work/.mirror``, the layout the development tools' ``fetch`` makes: ``OWNER+NAME/repo``, a
bare git directory). Without a mirror it prints the commands that make the copy by hand
(``git clone`` and ``git checkout`` of the commit).

Each repository is linted in a fresh process (``python -m tipcheck lint --format json
--no-cache`` with the selected rules), as a user would, and the findings are matched to the
labels by (repo, path, line, code). A finding on a ``bug`` row is a true positive, on an ``ok``
row a false positive; a ``bug`` row without a finding is a miss. Findings on no row are listed
(``--unlabeled``) and counted apart: label them, then they count. Rules are grouped into the
families the issue measures (TIP1xx, TIP201, TIP4xx, TIP501). It prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(HERE, "realworld")
REPOS_FILE = os.path.join(CORPUS, "repos.tsv")
LABELS_FILE = os.path.join(CORPUS, "labels.tsv")
SRC = os.path.join(CORPUS, "src")
VERDICTS = ("bug", "ok")
DEFAULT_CODES = "TIP1,TIP201,TIP4,TIP501"
FAMILIES = (("TIP1xx", "TIP1"), ("TIP201", "TIP201"), ("TIP4xx", "TIP4"), ("TIP501", "TIP501"))

Key = Tuple[str, str, int, str]  # repo, path (relative, /), line, code


@dataclass
class Repo:
    name: str
    commit: str
    kind: str = ""
    why: str = ""

    @property
    def folder(self) -> str:
        return self.name.replace("/", "+")


@dataclass
class Label:
    repo: str
    commit: str
    path: str
    line: int
    code: str
    verdict: str
    why: str

    @property
    def key(self) -> Key:
        return (self.repo, self.path, self.line, self.code)


@dataclass
class Finding:
    repo: str
    path: str
    line: int
    code: str
    message: str

    @property
    def key(self) -> Key:
        return (self.repo, self.path, self.line, self.code)


def _rows(path: str) -> Iterable[List[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t"), 1):
            if not row or row[0].startswith("#") or number == 1:
                continue
            yield row


def read_repos(path: str = REPOS_FILE) -> List[Repo]:
    return [Repo(*(row + ["", ""])[:4]) for row in _rows(path)]


def read_labels(path: str = LABELS_FILE) -> List[Label]:
    labels = []
    for row in _rows(path):
        if len(row) < 6:
            raise SystemExit(f"{path}: a row needs repo, commit, path, line, code, verdict, why: {row!r}")
        repo, commit, file, line, code, verdict = row[:6]
        if verdict not in VERDICTS:
            raise SystemExit(f"{path}: verdict must be one of {VERDICTS}: {row!r}")
        labels.append(Label(repo, commit, file, int(line), code, verdict, row[6] if len(row) > 6 else ""))
    return labels


def check_labels(repos: Sequence[Repo], labels: Sequence[Label]) -> List[str]:
    """Problems with the label file: unknown repositories, a commit other than the repo list's,
    the same (repo, path, line, code) twice."""
    problems = []
    commits = {repo.name: repo.commit for repo in repos}
    seen: Set[Key] = set()
    for label in labels:
        if label.repo not in commits:
            problems.append(f"label for a repository not in repos.tsv: {label.repo}")
        elif commits[label.repo] != label.commit:
            problems.append(f"{label.repo}: label at commit {label.commit}, repos.tsv has {commits[label.repo]}")
        if label.key in seen:
            problems.append(f"labelled twice: {label.key}")
        seen.add(label.key)
    return problems


# -- local copies -------------------------------------------------------------------------------


def _data_or_skip(member: tarfile.TarInfo, path: str) -> Optional[tarfile.TarInfo]:
    """The "data" extraction filter, skipping (not failing on) members it refuses, such as absolute links."""
    try:
        return tarfile.data_filter(member, path)
    except tarfile.FilterError:
        return None


def get(repos: Sequence[Repo], mirrors: str, src: str = SRC) -> int:
    """Write every missing repository at its commit under ``src``; 1 when some could not be had."""
    missing = 0
    for repo in repos:
        dest = os.path.join(src, repo.folder)
        if os.path.isdir(dest):
            continue
        git_dir = os.path.join(mirrors, repo.folder, "repo")
        if os.path.isdir(os.path.join(git_dir, ".git")):  # some mirrors keep the git directory one level down
            git_dir = os.path.join(git_dir, ".git")
        if not os.path.isdir(git_dir):
            missing += 1
            print(f"{repo.name}: no mirror at {git_dir}; make the copy by hand:")
            print(f"    git clone https://github.com/{repo.name} {dest} && git -C {dest} checkout {repo.commit}")
            continue
        with tempfile.TemporaryDirectory() as scratch:
            archive = os.path.join(scratch, "tree.tar")
            with open(archive, "wb") as out:
                done = subprocess.run(["git", "--git-dir", git_dir, "archive", repo.commit], stdout=out)
            if done.returncode != 0:
                # A mirror can lack its largest blobs (images, weights): then take the Python files only.
                listed = subprocess.run(
                    ["git", "--git-dir", git_dir, "ls-tree", "-r", "--name-only", "-z", repo.commit],
                    capture_output=True,
                )
                sources = [name for name in listed.stdout.decode().split("\0") if name.endswith(".py")]
                if listed.returncode == 0 and sources:
                    with open(archive, "wb") as out:
                        done = subprocess.run(
                            ["git", "--git-dir", git_dir, "archive", repo.commit, "--", *sources], stdout=out
                        )
            if done.returncode != 0:
                missing += 1
                print(f"{repo.name}: commit {repo.commit} is not in {git_dir}")
                continue
            partial = dest + ".partial"
            with tarfile.open(archive) as tar:
                tar.extractall(partial, filter=_data_or_skip)
            os.replace(partial, dest)
        print(f"{repo.name}: {dest}")
    return 1 if missing else 0


# -- linting ------------------------------------------------------------------------------------


def lint(repo: Repo, codes: str, src: str = SRC, tipcheck_path: Optional[str] = None) -> List[Finding]:
    folder = os.path.join(src, repo.folder)
    env = dict(os.environ)
    if tipcheck_path:
        env["PYTHONPATH"] = tipcheck_path + os.pathsep + env.get("PYTHONPATH", "")
    command = [sys.executable, "-m", "tipcheck", "lint", ".", "--format", "json", "--no-cache", "--select", codes]
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        print(f"{repo.name}: tipcheck exited {done.returncode}: {done.stderr.strip()[-500:]}", file=sys.stderr)
    findings = []
    for item in json.loads(done.stdout or "[]"):
        path = os.path.relpath(os.path.join(folder, item["filename"]), folder).replace(os.sep, "/")
        findings.append(Finding(repo.name, path, item["location"]["row"], item["code"], item["message"]))
    return findings


# -- scoring ------------------------------------------------------------------------------------


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    negatives: int = 0  # ok rows
    unlabeled: int = 0

    @property
    def precision(self) -> Optional[float]:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> Optional[float]:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class Outcome:
    scores: Dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    false_positives: List[Tuple[Label, Finding]] = field(default_factory=list)
    misses: List[Label] = field(default_factory=list)
    unlabeled: List[Finding] = field(default_factory=list)


def family(code: str) -> Optional[str]:
    for name, prefix in FAMILIES:
        if code.startswith(prefix):
            return name
    return None


def score(labels: Sequence[Label], findings: Sequence[Finding], repos: Set[str]) -> Outcome:
    """Match findings to labels, per rule and per family (see the module docstring)."""
    outcome = Outcome()
    found = {finding.key: finding for finding in findings}
    labelled = set()
    for label in labels:
        if label.repo not in repos:
            continue
        labelled.add(label.key)
        groups = [label.code] + [name for name in [family(label.code)] if name and name != label.code]
        hit = found.get(label.key)
        for group in groups:
            entry = outcome.scores[group]
            if label.verdict == "bug":
                if hit:
                    entry.tp += 1
                else:
                    entry.fn += 1
            else:
                entry.negatives += 1
                if hit:
                    entry.fp += 1
        if label.verdict == "bug" and not hit:
            outcome.misses.append(label)
        if label.verdict == "ok" and hit:
            outcome.false_positives.append((label, hit))
    for finding in findings:
        if finding.key not in labelled:
            outcome.unlabeled.append(finding)
            for group in {finding.code, family(finding.code)} - {None}:
                outcome.scores[group].unlabeled += 1
    return outcome


def _figure(value: Optional[float]) -> str:
    return "  -  " if value is None else f"{value:.2f}"


def table(outcome: Outcome) -> str:
    lines = [
        f"{'rule':<8} {'precision':>9} {'recall':>7} {'TP':>5} {'FP':>4} {'FN':>4} {'ok rows':>8} {'unlabeled':>9}"
    ]
    names = sorted(outcome.scores, key=lambda n: (n.endswith("xx") or n in dict(FAMILIES), n))
    for name in names:
        s = outcome.scores[name]
        lines.append(
            f"{name:<8} {_figure(s.precision):>9} {_figure(s.recall):>7} {s.tp:>5} {s.fp:>4} {s.fn:>4} "
            f"{s.negatives:>8} {s.unlabeled:>9}"
        )
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--get", action="store_true", help="make the local copies, then stop")
    parser.add_argument("--mirrors", default=os.environ.get("TIPCHECK_MIRRORS", "/work/.mirror"))
    parser.add_argument("--src", default=SRC, help="where the local copies are")
    parser.add_argument("--repo", action="append", help="only this repository (repeatable)")
    parser.add_argument("--select", default=DEFAULT_CODES, help=f"rules to run (default {DEFAULT_CODES})")
    parser.add_argument("--tipcheck-path", help="put this checkout first on PYTHONPATH")
    parser.add_argument("--unlabeled", action="store_true", help="list every unlabeled finding")
    parser.add_argument("--details", action="store_true", help="list every false positive and miss")
    args = parser.parse_args(argv)

    repos = read_repos()
    if args.repo:
        unknown = set(args.repo) - {repo.name for repo in repos}
        if unknown:
            raise SystemExit(f"not in repos.tsv: {', '.join(sorted(unknown))}")
        repos = [repo for repo in repos if repo.name in args.repo]
    if args.get:
        return get(repos, args.mirrors, args.src)
    labels = read_labels()
    problems = check_labels(read_repos(), labels)
    for problem in problems:
        print(f"labels.tsv: {problem}", file=sys.stderr)
    present = [repo for repo in repos if os.path.isdir(os.path.join(args.src, repo.folder))]
    for repo in repos:
        if repo not in present:
            print(f"{repo.name}: no local copy (run with --get)", file=sys.stderr)
    findings: List[Finding] = []
    for repo in present:
        findings.extend(lint(repo, args.select, args.src, args.tipcheck_path))
    selected = tuple(code.strip() for code in args.select.split(","))
    kept = [label for label in labels if label.code.startswith(selected)]
    outcome = score(kept, findings, {repo.name for repo in present})
    bugs = sum(1 for label in kept if label.verdict == "bug" and label.repo in {r.name for r in present})
    oks = sum(1 for label in kept if label.verdict == "ok" and label.repo in {r.name for r in present})
    print(f"{len(present)} repositories, {bugs + oks} labelled rows ({bugs} bug, {oks} ok), {len(findings)} findings")
    print(table(outcome))
    if args.details:
        for label, finding in outcome.false_positives:
            print(
                f"FALSE POSITIVE {label.repo} {label.path}:{label.line} {label.code}: {label.why} | {finding.message}"
            )
        for label in outcome.misses:
            print(f"MISS {label.repo} {label.path}:{label.line} {label.code}: {label.why}")
    if args.unlabeled:
        for finding in outcome.unlabeled:
            print(f"UNLABELED {finding.repo} {finding.path}:{finding.line} {finding.code}: {finding.message}")
    elif outcome.unlabeled:
        print(f"{len(outcome.unlabeled)} unlabeled findings (--unlabeled lists them)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
