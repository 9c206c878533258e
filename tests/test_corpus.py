"""The corpus: realistic training scripts, each stating what the linter must report.

Every case in tests/corpus/ is one ``.py`` file or a folder of ``.py`` files linted together
(cross-module cases: modules resolve by file name). Each file states its expectations in comments,
one per finding:

- ``# expect: TIP501`` at the end of the line the finding starts on;
- ``# expect-next-line: TIP501`` on its own line, for a finding on the line below;
- ``# expect: none`` at the top of a file in which nothing may be reported.

Each code also states the fix its finding must carry: ``TIP402[safe-fix]``, ``TIP402[unsafe-fix]``
or ``TIP402[no-fix]``. A code without it fails its case: a fix that disappears (or appears) must
show as a failure, not as a case with nothing to fix.

A case's first docstring starts with the rules it covers, in brackets: ``[TIP402, TIP501] ...``.

The tests lint each case with its family's rules selected (TIP1 for cases named ``p10*``/``n10*``,
TIP4 and TIP5 for the others) and compare the exact set of
(file, line, code) with the expectations, and the fix each finding carries with the one it states;
for cases that state a fix, they check that the fixed code (unsafe fixes included) parses, that
fixing it again changes nothing, and that no finding with a safe fix is left. A last test keeps each family from shrinking or tilting to one side.
"""

from __future__ import annotations

import ast
import io
import re
import shutil
import tokenize
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest

from tipcheck import engine
from tipcheck.rules import select_rules

CORPUS = Path(__file__).parent / "corpus"
RULES = select_rules(["TIP4", "TIP5"])
CODES = sorted(rule.code for rule in RULES)

# Families of cases: (name prefixes, rules selected, minimum cases, minimum cross-module cases).
# A case belongs to the first family whose prefixes its name starts with ("" matches any).
FAMILIES = {
    "TIP1": (("p10", "n10"), ["TIP1"], 50, 4),
    "TIP4/TIP5": (("",), ["TIP4", "TIP5"], 70, 6),
}
FAMILY_RULES = {family: select_rules(select) for family, (_, select, _, _) in FAMILIES.items()}
FAMILY_CODES = {family: sorted(rule.code for rule in rules) for family, rules in FAMILY_RULES.items()}

MIN_PER_RULE = 3  # positive cases and negative cases for each rule


def family_of(name: str) -> str:
    return next(family for family, (prefixes, _, _, _) in FAMILIES.items() if name.startswith(prefixes))

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

    @property
    def family(self) -> str:
        return family_of(self.name)

    @property
    def rules(self) -> List:
        return FAMILY_RULES[self.family]

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
        return Path(path).name


def _parse_expectations(path: Path) -> Tuple[Counter, Dict[Finding, str], Set[Finding], bool, Set[str]]:
    """(expected findings, the fixes they must carry, the findings that state no fix, whether the
    file says `expect: none`, rules its docstring covers)."""
    text = path.read_text(encoding="utf-8")
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
            expected[(path.name, row, code.group(1))] += 1
            if code.group(2):
                fixes[(path.name, row, code.group(1))] = code.group(2)
            else:
                undeclared.add((path.name, row, code.group(1)))
    if none and expected:
        raise AssertionError(f"{path}: says `expect: none` and expects findings")
    covers: Set[str] = set()
    match = _COVERS.search("\n".join(text.splitlines()[:3]))  # the docstring opens the file
    if match:
        covers = {c.strip() for c in match.group(1).split(",") if c.strip()}
    return expected, fixes, undeclared, none, covers


def _load_cases() -> List[Case]:
    cases = []
    for entry in sorted(CORPUS.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_dir():
            files = sorted(entry.glob("*.py"))
        elif entry.suffix == ".py":
            files = [entry]
        else:
            continue
        case = Case(entry.name, files)
        for path in files:
            expected, fixes, undeclared, none, covers = _parse_expectations(path)
            assert expected or none, f"{path}: states no expectation (`# expect: none` at the top, or `# expect: CODE`)"
            case.expected.update(expected)
            case.fixes.update(fixes)
            case.undeclared |= undeclared
            if none:
                case.negative_files.add(path.name)
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
    results = engine.fix_paths([str(p) for p in paths], rules, unsafe=True)
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
        target = fixed_dir / path.name
        target.write_text(text, encoding="utf-8")
        fixed_paths.append(target)
    assert any(r.fixed_text is not None for r in results), f"{case.name}: fixes were offered but none applied"

    # Fixing again changes nothing.
    again = _fix_all(fixed_paths, case.rules)
    for path, result in zip(fixed_paths, again):
        assert result.fixed_text is None, f"{case.name}/{path.name}: a second fix pass changed the code:\n{result.fixed_text}"

    # What had a safe fix is gone; nothing left offers one.
    after = [d for r in engine.lint_paths([str(p) for p in fixed_paths], case.rules) for d in r.diagnostics]
    left_safe = [d for d in after if d.fix is not None and d.fix.is_safe]
    assert not left_safe, [f"{Path(d.path).name}:{d.start.row}: {d.code}" for d in left_safe]
    remaining = Counter((Path(d.path).name, d.code) for d in after)
    total_before = Counter((Path(d.path).name, d.code) for d in before)
    for key, fixed_count in safe_before.items():
        assert remaining[key] <= total_before[key] - fixed_count, f"{case.name}: {key} still reported after its safe fix"


@pytest.mark.parametrize("family", list(FAMILIES))
def test_corpus_size_and_balance(family: str, capsys) -> None:
    """Each family stays big and balanced: per-rule positive and negative cases are counted."""
    _, _, min_cases, min_cross = FAMILIES[family]
    codes = FAMILY_CODES[family]
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
        print(f"\ncorpus {family}: {len(cases)} cases ({len(positives)} positive, {len(negatives)} negative, {len(cross)} cross-module)")
        for code, (pos, neg, count) in per_rule.items():
            print(f"  {code}: {pos} positive cases ({count} findings), {neg} negative cases")
    for case in cases:
        unknown = case.covers - set(codes)
        assert case.covers and not unknown, f"{case.name}: its docstring must start with the rules it covers, e.g. [{codes[0]}]"
        for code in {k[2] for k in case.expected}:
            assert code in case.covers, f"{case.name}: expects {code} but does not say it covers it"
    assert len(cases) >= min_cases
    assert len(cross) >= min_cross
    assert abs(len(positives) - len(negatives)) <= len(cases) // 5, (len(positives), len(negatives))
    for code, (pos, neg, _) in per_rule.items():
        assert pos >= MIN_PER_RULE and neg >= MIN_PER_RULE, (code, pos, neg)
