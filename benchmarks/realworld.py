"""Precision and recall of every rule on real training code (issue 13).

    python benchmarks/realworld.py                 # lint the local copies, print the tables
    python benchmarks/realworld.py --get           # first make the local copies (see below)
    python benchmarks/realworld.py --repo owner/name --unlabeled   # one repository, with details
    python benchmarks/realworld.py --tipcheck-path DIR             # another checkout (before/after)

The corpus is public repositories of training code (``realworld/repos.tsv``: repo, commit, kind,
why) labelled by reading their code (``realworld/labels.tsv``: repo, commit, path, line, code,
verdict, why; ``realworld/excluded.tsv`` lists vendored copies of code from the repositories
kept out of development, whose findings are left out). A row says, for one rule, that the line holds a real instance (verdict ``bug``:
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
families the issues measure (TIP1xx, TIP201, TIP301-TIP304, TIP4xx, TIP501, TIP506, TIP507). Findings in notebooks, and the
engine's own (a file that does not parse), are counted apart. It prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
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
EXCLUDED_FILE = os.path.join(CORPUS, "excluded.tsv")
SRC = os.path.join(CORPUS, "src")
VERDICTS = ("bug", "ok")
DEFAULT_CODES = "TIP1,TIP201,TIP301,TIP302,TIP303,TIP304,TIP4,TIP501,TIP502,TIP503,TIP504,TIP505,TIP506,TIP507"
FAMILIES = (
    ("TIP1xx", "TIP1"),
    ("TIP201", "TIP201"),
    ("TIP301", "TIP301"),
    ("TIP302", "TIP302"),
    ("TIP303", "TIP303"),
    ("TIP304", "TIP304"),
    ("TIP4xx", "TIP4"),
    ("TIP405", "TIP405"),
    ("TIP501", "TIP501"),
    ("TIP502", "TIP502"),
    ("TIP503", "TIP503"),
    ("TIP504", "TIP504"),
    ("TIP505", "TIP505"),
    ("TIP506", "TIP506"),
    ("TIP507", "TIP507"),
)

Key = Tuple[str, str, int, str]
SKIPPED: Dict[str, int] = defaultdict(
    int
)  # findings left out of the scores (see lint), by kind  # repo, path (relative, /), line, code


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


def read_excluded(path: str = EXCLUDED_FILE) -> Dict[str, Tuple[str, ...]]:
    """Folders or files of a repository left out of the scores (``excluded.tsv``: repo, path,
    why): vendored copies of code from the repositories the project is judged on."""
    excluded: Dict[str, Tuple[str, ...]] = defaultdict(tuple)
    if os.path.exists(path):
        for row in _rows(path):
            excluded[row[0]] += (row[1],)
    return excluded


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


def _git_dir(mirrors: str, repo: Repo) -> Optional[str]:
    """The mirror's git directory: ``OWNER+NAME/repo`` (bare) or ``OWNER+NAME/repo/.git``."""
    for candidate in (os.path.join(mirrors, repo.folder, "repo", ".git"), os.path.join(mirrors, repo.folder, "repo")):
        if os.path.isfile(os.path.join(candidate, "HEAD")):
            return candidate
    return None


def _extract_all(git_dir: str, commit: str, dest: str) -> bool:
    with tempfile.TemporaryDirectory() as scratch:
        archive = os.path.join(scratch, "tree.tar")
        with open(archive, "wb") as out:
            done = subprocess.run(["git", "--git-dir", git_dir, "archive", commit], stdout=out, stderr=subprocess.PIPE)
        if done.returncode != 0:
            return False
        with tarfile.open(archive) as tar:
            for member in tar:
                try:
                    tar.extract(member, dest, filter="data")
                except tarfile.FilterError:  # a link out of the tree (an absolute symlink): left out
                    pass
    return True


# Files other than .py that the linter reads: deployment configurations (tipcheck.deployment).
_READ_TOO = ("cog.yaml",)


def _extract_python(git_dir: str, commit: str, dest: str) -> List[str]:
    """The .py files of ``commit`` one by one (a mirror missing some objects), and the other files
    the linter reads; the paths it lacks."""
    listing = subprocess.run(
        ["git", "--git-dir", git_dir, "ls-tree", "-r", "--name-only", "-z", commit], capture_output=True, check=True
    )
    lacking = []
    for path in listing.stdout.decode("utf-8", "surrogateescape").split("\0"):
        if not path.endswith(".py") and path.rsplit("/", 1)[-1] not in _READ_TOO:
            continue
        blob = subprocess.run(
            ["git", "--git-dir", git_dir, "cat-file", "blob", f"{commit}:{path}"], capture_output=True
        )
        if blob.returncode != 0:
            lacking.append(path)
            continue
        target = os.path.join(dest, *path.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(blob.stdout)
    return lacking


def get(repos: Sequence[Repo], mirrors: str, src: str = SRC) -> int:
    """Write every missing repository at its commit under ``src``; 1 when some could not be had.
    A mirror that lacks some objects gives its .py files only (what the labels are about), and the
    files other than .py that the linter reads."""
    missing = 0
    for repo in repos:
        dest = os.path.join(src, repo.folder)
        if os.path.isdir(dest):
            continue
        git_dir = _git_dir(mirrors, repo)
        if git_dir is None:
            missing += 1
            print(f"{repo.name}: no mirror under {os.path.join(mirrors, repo.folder)}; make the copy by hand:")
            print(f"    git clone https://github.com/{repo.name} {dest} && git -C {dest} checkout {repo.commit}")
            continue
        partial = dest + ".partial"
        shutil.rmtree(partial, ignore_errors=True)
        if not _extract_all(git_dir, repo.commit, partial):
            shutil.rmtree(partial, ignore_errors=True)
            try:
                lacking = _extract_python(git_dir, repo.commit, partial)
            except subprocess.CalledProcessError:
                missing += 1
                print(f"{repo.name}: commit {repo.commit} is not in {git_dir}")
                continue
            note = f"; lacking {len(lacking)}: {', '.join(lacking[:5])}" if lacking else ""
            print(f"{repo.name}: the mirror lacks some objects: .py files (and {', '.join(_READ_TOO)}) only{note}")
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
    try:
        items = json.loads(done.stdout)
    except ValueError:
        items = None
    if done.returncode not in (0, 1) or not isinstance(items, list):
        # No JSON report means tipcheck did not run (not installed, crashed): scoring an empty
        # list would print recall 0 as if it were a measurement.
        raise SystemExit(f"{repo.name}: tipcheck exited {done.returncode}: {done.stderr.strip()[-500:]}")
    findings = []
    for item in items:
        path = os.path.relpath(os.path.join(folder, item["filename"]), folder).replace(os.sep, "/")
        if not item["code"].startswith("TIP") or not path.endswith(".py"):
            # Files tipcheck could not read (invalid-syntax, ...) and notebooks: the labels are
            # about the rules, on .py files.
            SKIPPED[item["code"] if path.endswith(".py") else "notebook"] += 1
            continue
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
    excluded = read_excluded()
    for repo in present:
        for finding in lint(repo, args.select, args.src, args.tipcheck_path):
            if finding.path.startswith(excluded[repo.name]):
                SKIPPED["excluded"] += 1
            else:
                findings.append(finding)
    selected = tuple(code.strip() for code in args.select.split(","))
    kept = [label for label in labels if label.code.startswith(selected)]
    outcome = score(kept, findings, {repo.name for repo in present})
    bugs = sum(1 for label in kept if label.verdict == "bug" and label.repo in {r.name for r in present})
    oks = sum(1 for label in kept if label.verdict == "ok" and label.repo in {r.name for r in present})
    print(f"{len(present)} repositories, {bugs + oks} labelled rows ({bugs} bug, {oks} ok), {len(findings)} findings")
    print(table(outcome))
    if SKIPPED:
        print("left out: " + ", ".join(f"{count} {kind}" for kind, count in sorted(SKIPPED.items())))
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
