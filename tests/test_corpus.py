"""The corpus: realistic training scripts, each stating what the linter must report.

Every case lives in its rule's folder, ``rules/TIP501/`` (cases about several rules of one family in
``rules/TIP4xx/``), beside the rule's page. A case is one ``.py`` file or a folder of ``.py`` files
linted together (cross-module cases: modules resolve by file name), named ``p501_*`` (positive: it
expects findings) or ``n501_*`` (negative), ``p4xx_*``/``n4xx_*`` for a family. Each file states its expectations in comments,
one per finding:

- ``# expect: TIP501`` at the end of the line the finding starts on;
- ``# expect-next-line: TIP501`` on its own line, for a finding on the line below;
- ``# expect: none`` at the top of a file in which nothing may be reported.

Each code also states the fix its finding must carry: ``TIP402[safe-fix]``, ``TIP402[unsafe-fix]``
or ``TIP402[no-fix]``. A code without it fails its case: a fix that disappears (or appears) must
show as a failure, not as a case with nothing to fix.

A case's first docstring starts with the rules it covers, in brackets: ``[TIP402, TIP501] ...``.

The tests lint each case with its family's rules selected (the family is read from the code in its
name: ``p501_*`` -> TIP5, ``n4xx_*`` -> TIP4), plus the rules its docstring covers, and compare the
exact set of (file, line, code) with the expectations, and the fix each finding carries with the
one it states; for cases that state a fix, they check that the fixed code (unsafe fixes included)
parses, that fixing it again changes nothing, and that no finding with a safe fix is left. A last
test keeps each family from shrinking or tilting to one side.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

import pytest

from tipcheck import engine, fixing
from tipcheck.rules import RULES_BY_CODE, select_rules

CORPUS = Path(__file__).resolve().parent.parent / "rules"  # rules/CODE/ holds the cases of rule CODE
CASE_NAME = re.compile(r"^([pn])(\d)(\d\d|xx)_\w+$")  # p501_..., n4xx_...

MIN_PER_RULE = 3  # positive cases and negative cases for each rule
MIN_CASES, MIN_CROSS = 120, 10  # the whole corpus: cases, cross-module cases


def family_of(name: str) -> str:
    """The family of a case, from the code in its name: ``p501_x`` -> TIP5."""
    match = CASE_NAME.match(name.removesuffix(".py"))
    assert match, f"{name}: a corpus case is named p<code>_... or n<code>_... (p501_x, n4xx_y)"
    return f"TIP{match.group(2)}"


def folder_of(name: str) -> str:
    """The folder of rules/ a case belongs in: ``p501_x`` -> TIP501, ``n4xx_y`` -> TIP4xx."""
    match = CASE_NAME.match(name.removesuffix(".py"))
    assert match, name
    return f"TIP{match.group(2)}{match.group(3)}"


_EXPECT = re.compile(r"#\s*expect(-next-line)?:\s*(.*?)\s*$")
_CODE = re.compile(r"^(TIP\d{3})(?:\[(safe-fix|unsafe-fix|no-fix)\])?$")
_COVERS = re.compile(r"^[rRuU]?(?:\"\"\"|''')\s*\[([^\]]*)\]", re.MULTILINE)

Finding = Tuple[str, int, str]  # (file name inside the case, 1-based line, code)


@dataclass
class Case:
    name: str
    files: List[Path]
    expected: Counter = field(default_factory=Counter)  # Finding -> how many
    fixes: Dict[Finding, str] = field(default_factory=dict)  # Finding -> "safe-fix", "unsafe-fix", "no-fix"
    undeclared: Set[Finding] = field(default_factory=set)  # findings that state no fix
    negative_files: Set[str] = field(default_factory=set)
    covers: Set[str] = field(default_factory=set)
    root: Optional[Path] = None  # a folder case: file names are relative to it (subfolders kept)

    @property
    def family(self) -> str:
        return family_of(self.name)

    @property
    def codes(self) -> List[str]:
        """The codes selected for this case: its family's rules and the known rules it covers."""
        return sorted(rule.code for rule in self.rules)

    @property
    def rules(self) -> List:
        return select_rules([self.family, *sorted(code for code in self.covers if code in RULES_BY_CODE)])

    @property
    def positive(self) -> bool:
        return sum(self.expected.values()) > 0

    @property
    def declares_fix(self) -> bool:
        """Whether a finding of the case states that it carries a fix (safe or unsafe)."""
        return any(kind != "no-fix" for kind in self.fixes.values())

    @property
    def cross_module(self) -> bool:
        return len(self.files) > 1

    def rel(self, path: str) -> str:
        if self.root is None:
            return Path(path).name
        return Path(path).resolve().relative_to(self.root.resolve()).as_posix()


def _parse_expectations(path: Path, name: str = "") -> Tuple[Counter, Dict[Finding, str], Set[Finding], bool, Set[str]]:
    """(expected findings, the fixes they must carry, the findings that state no fix, whether the
    file says `expect: none`, rules its docstring covers)."""
    text = path.read_text(encoding="utf-8")
    name = name or path.name
    expected: Counter = Counter()
    fixes: Dict[Finding, str] = {}
    undeclared: Set[Finding] = set()
    none = False
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        match = _EXPECT.search(token.string)
        if not match:
            continue
        row = token.start[0] + (1 if match.group(1) else 0)
        words = [w for w in re.split(r"[\s,]+", match.group(2)) if w]
        if words == ["none"]:
            if match.group(1):
                raise AssertionError(f"{path}:{token.start[0]}: `expect-next-line: none` makes no sense")
            none = True
            continue
        for word in words:
            code = _CODE.match(word)
            if not code:
                raise AssertionError(f"{path}:{token.start[0]}: bad expectation {word!r}")
            expected[(name, row, code.group(1))] += 1
            if code.group(2):
                fixes[(name, row, code.group(1))] = code.group(2)
            else:
                undeclared.add((name, row, code.group(1)))
    if none and expected:
        raise AssertionError(f"{path}: says `expect: none` and expects findings")
    covers: Set[str] = set()
    match = _COVERS.search("\n".join(text.splitlines()[:3]))  # the docstring opens the file
    if match:
        covers = {c.strip() for c in match.group(1).split(",") if c.strip()}
    return expected, fixes, undeclared, none, covers


def _case_entries() -> List[Path]:
    """Every case under rules/*/, sorted by name: a ``.py`` file or a folder, named p<code>_ or n<code>_."""
    entries = [
        entry
        for folder in CORPUS.iterdir()
        if folder.is_dir()
        for entry in folder.iterdir()
        if entry.name[:1] in "pn" and (entry.is_dir() or entry.suffix == ".py")
    ]
    return sorted(entries, key=lambda entry: entry.name)


def _load_cases() -> List[Case]:
    cases = []
    for entry in _case_entries():
        if entry.is_dir():
            # Subfolders are part of a case (packages, namespace folders, a `lib/` put on sys.path).
            files = sorted(p for p in entry.rglob("*.py") if "__pycache__" not in p.parts)
        elif entry.suffix == ".py":
            files = [entry]
        else:
            continue
        case = Case(entry.name, files, root=entry if entry.is_dir() else None)
        for path in files:
            expected, fixes, undeclared, none, covers = _parse_expectations(path, case.rel(str(path)))
            assert expected or none, f"{path}: states no expectation (`# expect: none` at the top, or `# expect: CODE`)"
            case.expected.update(expected)
            case.fixes.update(fixes)
            case.undeclared |= undeclared
            if none:
                case.negative_files.add(case.rel(str(path)))
            case.covers |= covers
        cases.append(case)
    return cases


CASES = _load_cases()


def _ids(cases):
    return [case.name for case in cases]


def _lint(case: Case) -> Tuple[Counter, List]:
    results = engine.lint_paths([str(p) for p in case.files], case.rules)
    got: Counter = Counter()
    diagnostics = []
    for result in results:
        assert not result.errors, "\n".join(e.trace for e in result.errors)
        for diag in result.diagnostics:
            got[(case.rel(diag.path), diag.start.row, diag.code)] += 1
            diagnostics.append(diag)
    return got, diagnostics


def _show(findings: Counter) -> List[str]:
    return sorted(f"{f}:{row}: {code}" + (f" x{n}" if n > 1 else "") for (f, row, code), n in findings.items())


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_case_findings(case: Case) -> None:
    got, diagnostics = _lint(case)
    missing = case.expected - got
    unexpected = got - case.expected
    assert not missing and not unexpected, (
        f"{case.name}: missing {_show(missing)}, unexpected {_show(unexpected)}; "
        f"messages: {[f'{case.rel(d.path)}:{d.start.row}: {d.code} {d.message}' for d in diagnostics]}"
    )
    for finding, wanted in case.fixes.items():
        carried = {
            "no-fix" if d.fix is None else "safe-fix" if d.fix.is_safe else "unsafe-fix"
            for d in diagnostics
            if (case.rel(d.path), d.start.row, d.code) == finding
        }
        assert carried == {wanted}, f"{case.name}: {finding} should carry {wanted}, carries {sorted(carried)}"
    for finding in sorted(case.undeclared):
        carried = sorted(
            "no-fix" if d.fix is None else "safe-fix" if d.fix.is_safe else "unsafe-fix"
            for d in diagnostics
            if (case.rel(d.path), d.start.row, d.code) == finding
        )
        file, row, code = finding
        raise AssertionError(
            f"{case.name}: {file}:{row}: `# expect: {code}` must state the fix it carries "
            f"({code}[safe-fix], {code}[unsafe-fix] or {code}[no-fix]); it carries {carried}"
        )


def _fix_all(paths: List[Path], rules: List):
    results = fixing.fix_paths([str(p) for p in paths], rules, unsafe=True)
    for result in results:
        assert not result.errors, "\n".join(e.trace for e in result.errors)
        assert not result.dropped_fixes, result.dropped_fixes
    return results


FIX_CASES = [case for case in CASES if case.declares_fix]


@pytest.mark.parametrize("case", FIX_CASES, ids=_ids(FIX_CASES))
def test_case_fixes(case: Case, tmp_path: Path) -> None:
    """Fixed code parses, fixing it again changes nothing, and no safe-fixable finding is left."""
    before = [d for r in engine.lint_paths([str(p) for p in case.files], case.rules) for d in r.diagnostics]
    stated = sorted(f"{f}:{row}: {code}[{kind}]" for (f, row, code), kind in case.fixes.items() if kind != "no-fix")
    assert any(d.fix is not None for d in before), f"{case.name}: no finding has a fix, the case states {stated}"
    safe_before = Counter((Path(d.path).name, d.code) for d in before if d.fix is not None and d.fix.is_safe)

    results = _fix_all(case.files, case.rules)
    fixed_dir = tmp_path / case.name
    fixed_dir.mkdir()
    fixed_paths = []
    for path, result in zip(case.files, results):
        text = result.fixed_text if result.fixed_text is not None else path.read_text(encoding="utf-8")
        ast.parse(text, filename=path.name)  # the fixed code parses
        target = fixed_dir / case.rel(str(path))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        fixed_paths.append(target)
    assert any(r.fixed_text is not None for r in results), f"{case.name}: fixes were offered but none applied"

    # Fixing again changes nothing.
    again = _fix_all(fixed_paths, case.rules)
    for path, result in zip(fixed_paths, again):
        assert result.fixed_text is None, (
            f"{case.name}/{path.name}: a second fix pass changed the code:\n{result.fixed_text}"
        )

    # What had a safe fix is gone; nothing left offers one.
    after = [d for r in engine.lint_paths([str(p) for p in fixed_paths], case.rules) for d in r.diagnostics]
    left_safe = [d for d in after if d.fix is not None and d.fix.is_safe]
    assert not left_safe, [f"{Path(d.path).name}:{d.start.row}: {d.code}" for d in left_safe]
    remaining = Counter((Path(d.path).name, d.code) for d in after)
    total_before = Counter((Path(d.path).name, d.code) for d in before)
    for key, fixed_count in safe_before.items():
        assert remaining[key] <= total_before[key] - fixed_count, (
            f"{case.name}: {key} still reported after its safe fix"
        )


def test_cases_live_in_their_rule_folder() -> None:
    """rules/TIP501/ holds the TIP501 cases (p501_*, n501_*) and nothing else but the page."""
    for folder in CORPUS.iterdir():
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if entry.name in (f"{folder.name}.md", "__pycache__"):
                continue
            assert CASE_NAME.match(entry.name.removesuffix(".py")), f"rules/{folder.name}/{entry.name}: not a case"
            assert folder_of(entry.name) == folder.name, f"{entry.name} belongs in rules/{folder_of(entry.name)}/"
    assert len(CASES) >= MIN_CASES
    assert sum(case.cross_module for case in CASES) >= MIN_CROSS


def test_family_comes_from_the_name() -> None:
    """A case selects its own family: a TIP3 case is linted with the TIP3 rules, not another family's."""
    assert family_of("p301_loader") == "TIP3" and folder_of("p301_loader") == "TIP301"
    assert family_of("n4xx_mixed") == "TIP4" and folder_of("n4xx_mixed") == "TIP4xx"
    by_name = {case.name: case for case in CASES}
    assert by_name["p101_toy_regression.py"].codes == ["TIP101", "TIP102", "TIP103"]
    assert by_name["p4xx_501_ddp_two_bugs.py"].codes == sorted(r.code for r in select_rules(["TIP4", "TIP501"]))
    case = Case("p301_demo.py", [], covers={"TIP301"})  # TIP3 has no rule yet (tests/test_new_rule.py adds one)
    assert case.codes == sorted(rule.code for rule in select_rules(["TIP3"]))
    assert not any(code.startswith(("TIP1", "TIP4", "TIP5")) for code in case.codes), case.codes


CASE_FAMILIES = sorted({case.family for case in CASES})  # read from the cases, not kept by hand


@pytest.mark.parametrize("family", CASE_FAMILIES)
def test_corpus_size_and_balance(family: str, capsys) -> None:
    """Each family stays balanced: per-rule positive and negative cases are counted."""
    codes = sorted(rule.code for rule in select_rules([family]))
    cases = [c for c in CASES if c.family == family]
    positives = [c for c in cases if c.positive]
    negatives = [c for c in cases if not c.positive]
    cross = [c for c in cases if c.cross_module]
    findings = Counter(code for c in cases for (_, _, code), n in c.expected.items() for _ in range(n))
    per_rule = {}
    for code in codes:
        pos = [c for c in positives if any(k[2] == code for k in c.expected)]
        neg = [c for c in negatives if code in c.covers]
        per_rule[code] = (len(pos), len(neg), findings[code])
    with capsys.disabled():
        print(
            f"\ncorpus {family}: {len(cases)} cases ({len(positives)} positive, {len(negatives)} negative, {len(cross)} cross-module)"
        )
        for code, (pos, neg, count) in per_rule.items():
            print(f"  {code}: {pos} positive cases ({count} findings), {neg} negative cases")
    for case in cases:
        unknown = case.covers - set(case.codes)
        assert case.covers and not unknown, (
            f"{case.name}: its docstring must start with the rules it covers, e.g. [{codes[0]}]"
        )
        for code in {k[2] for k in case.expected}:
            assert code in case.covers, f"{case.name}: expects {code} but does not say it covers it"
    assert abs(len(positives) - len(negatives)) <= len(cases) // 5, (len(positives), len(negatives))
    for code, (pos, neg, _) in per_rule.items():
        assert pos >= MIN_PER_RULE and neg >= MIN_PER_RULE, (code, pos, neg)
