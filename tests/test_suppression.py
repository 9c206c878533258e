"""Suppression comments: noqa forms, tipcheck: ignore / file-ignore, unused ones (TIP001), add_noqa."""

from __future__ import annotations

import tokenize

import pytest

from tipcheck.diagnostics import Diagnostic, Location
from tipcheck.fixes import apply_fixes
from tipcheck.source import SourceFile
from tipcheck.suppression import Suppressions, add_noqa, is_suppressible


def D(code: str, row: int, column: int = 1) -> Diagnostic:
    return Diagnostic(code, "name", "message", "t.py", Location(row, column), Location(row, column + 1))


def suppressed(text: str, *findings: Diagnostic) -> list:
    kept, gone = Suppressions.parse(text).filter(list(findings))
    assert len(kept) + len(gone) == len(findings)
    return [(d.code, d.start.row) for d in gone]


def fixed(text: str, findings, enabled=None) -> str:
    unused = Suppressions.parse(text).unused(findings, "t.py", enabled)
    return apply_fixes(text, [d.fix for d in unused])


# -- forms -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "comment",
    [
        "# noqa",
        "#noqa",
        "# NOQA",
        "# NoQA because the loader is sharded",
        "# noqa: TIP201",
        "#noqa:TIP201",
        "# noqa : TIP201",
        "# noqa:TIP401,TIP201",
        "# noqa: TIP401, TIP201",
        "# noqa: TIP401 TIP201",
        "# noqa: TIP401,, TIP201",
        "# noqa: E501, TIP201 the reason",
        "# noqa: TIP2",
        "# type: ignore  # noqa: TIP201",
        "# noqa: TIP201# trailing",
        "# tipcheck: ignore[TIP201]",
        "#tipcheck:ignore[TIP201]",
        "# tipcheck: ignore [TIP2, TIP4]",
        "# tipcheck: ignore[TIP401 TIP201]",
        "# tipcheck: ignore",
        "# tipcheck: ignore  # noqa: E501",
        "# noqa: E501  # tipcheck: ignore[TIP201]",
    ],
)
def test_forms_that_suppress(comment):
    text = f"model = resnet18(pretrained=True)  {comment}\nother = 1\n"
    assert suppressed(text, D("TIP201", 1), D("TIP201", 2)) == [("TIP201", 1)]


@pytest.mark.parametrize(
    "text",
    [
        "x = 1  # noqa: TIP401\n",
        "x = 1  # noqa: E501\n",
        "x = 1  # noqa: TIP2011\n",
        "x = '# noqa'\n",
        'x = "# noqa: TIP201"\n',
        'x = """\n# noqa\n"""\n',
        'x = f"{1}  # noqa"\n',
        "x = 1  # tipcheck: ignore[TIP4]\n",
        "x = 1  # this is not noqa\n",
        "x = 1  # tipcheck is nice\n",
        "x = 1  # tipcheck: file-ignore[TIP4]\n",
    ],
)
def test_forms_that_do_not_suppress(text):
    findings = [D("TIP201", row) for row in range(1, text.count("\n") + 2)]
    assert suppressed(text, *findings) == []


@pytest.mark.parametrize(
    "comment, fragment",
    [
        ("# noqa:", "expected a comma-separated list of codes"),
        ("# noqa: tip201", "expected a comma-separated list of codes"),
        ("# noqa: TIP", "expected a comma-separated list of codes"),
        ("# noqa; TIP201", "expected `:` followed by"),
        ("#noqaTIP201", "expected `:` followed by"),
        ("# noqa: TIP201abc", "uppercase letters and digits"),
        ("# noqa: TIP201TIPx", "uppercase letters and digits"),
        ("# tipcheck: ignore[tip201]", "`tip201` is not a code"),
        ("# tipcheck: ignore[]", "expected codes inside the brackets"),
        ("# tipcheck: ignore[TIP201", "missing `]`"),
        ("# tipcheck: ignored[TIP201]", "invalid `# tipcheck: ignore` directive"),
        ("# tipcheck: ignre[TIP201]", "unknown `# tipcheck:` directive `ignre`"),
        ("# tipcheck: noqa", "unknown `# tipcheck:` directive `noqa`"),
    ],
)
def test_malformed_directives_suppress_nothing_and_warn(comment, fragment):
    text = f"x = 1  {comment}\n"
    supp = Suppressions.parse(text)
    assert supp.filter([D("TIP201", 1)])[1] == []
    assert len(supp.warnings) == 1
    warning = supp.warnings[0]
    assert (warning.row, warning.column) == (1, 8)
    assert fragment in warning.message and "line 1" in warning.message


def test_squashed_codes_are_read_as_two():
    assert suppressed("x = 1  # noqa: TIP401TIP201\n", D("TIP201", 1)) == [("TIP201", 1)]


def test_prefixes_and_exact_codes():
    text = "a = 1  # noqa: TIP4\nb = 1  # tipcheck: ignore[TIP40]\nc = 1  # noqa: TIP401\n"
    findings = [D(code, row) for row in (1, 2, 3) for code in ("TIP401", "TIP404", "TIP501")]
    assert suppressed(text, *findings) == [("TIP401", 1), ("TIP404", 1), ("TIP401", 2), ("TIP404", 2), ("TIP401", 3)]


def test_only_tipcheck_codes_are_suppressed():
    text = "x = (  # noqa\n"
    assert not is_suppressible("invalid-syntax") and not is_suppressible("io-error")
    assert is_suppressible("TIP201") and is_suppressible("TIP001")
    assert suppressed(text, D("invalid-syntax", 1), D("io-error", 1), D("TIP101", 1)) == [("TIP101", 1)]


def test_the_start_line_of_a_multi_line_finding_counts():
    text = "opt = build(\n    model,  # noqa: TIP401\n)  # noqa: TIP401\n"
    assert suppressed(text, D("TIP401", 1)) == []
    text = "opt = build(  # noqa: TIP401\n    model,\n)\n"
    assert suppressed(text, D("TIP401", 1)) == [("TIP401", 1)]


def test_file_ignore():
    text = "a = 1\nb = 2  # tipcheck: file-ignore[TIP5, TIP201]\n\n# tipcheck: file-ignore[TIP102]\n"
    findings = [D("TIP501", 1), D("TIP201", 3), D("TIP202", 1), D("TIP102", 9), D("TIP101", 1)]
    assert suppressed(text, *findings) == [("TIP501", 1), ("TIP201", 3), ("TIP102", 9)]
    assert suppressed("x = 1\n# tipcheck: file-ignore\n", D("TIP101", 1), D("invalid-syntax", 1)) == [("TIP101", 1)]
    assert suppressed('x = "# tipcheck: file-ignore"\n', D("TIP101", 1)) == []


def test_text_without_directives_is_not_tokenized(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("tokenized")

    monkeypatch.setattr(tokenize, "generate_tokens", boom)
    supp = Suppressions.parse("from tipcheck import config\nmodel = torch.nn.Linear(1, 1)\n" * 1000)
    assert not supp
    findings = [D("TIP101", 2)]
    assert supp.filter(findings) == (findings, [])
    assert supp.unused(findings, "t.py") == []


def test_comments_before_a_tokenize_error_are_read():
    text = "x = 1  # noqa: TIP101\ny = '''unterminated\n"
    assert suppressed(text, D("TIP101", 1)) == [("TIP101", 1)]


def test_crlf_and_cr_rows():
    text = "a = 1\r\nb = 1  # noqa\r\nc = 1\rd = 1  # noqa: TIP4\r"
    assert suppressed(text, D("TIP101", 2), D("TIP101", 3), D("TIP401", 4)) == [("TIP101", 2), ("TIP401", 4)]


# -- unused suppressions (TIP001) ----------------------------------------------------------------


def test_unused_code_finding_and_fix():
    text = "import torch\nmodel = make()  # noqa: TIP201\n"
    [finding] = Suppressions.parse(text).unused([D("TIP101", 2)], "t.py")
    assert (finding.code, finding.name, finding.path) == ("TIP001", "unused-suppression", "t.py")
    assert finding.message == "Unused `noqa` directive (unused: `TIP201`)"
    assert (finding.start, finding.end) == (Location(2, 17), Location(2, 31))
    assert finding.source_line == "model = make()  # noqa: TIP201"
    assert finding.fix.is_safe and finding.fix.message == "Remove unused suppression"
    assert apply_fixes(text, [finding.fix]) == "import torch\nmodel = make()\n"


@pytest.mark.parametrize(
    "line, findings, expected",
    [
        # Only some codes unused: they go, the rest (other linters' too) stays as written.
        ("x = 1  # noqa: E501, TIP201, TIP101", ["TIP101"], "x = 1  # noqa: E501, TIP101"),
        ("x = 1  #noqa:TIP201,TIP101", ["TIP101"], "x = 1  #noqa:TIP101"),
        ("x = 1  # tipcheck: ignore[TIP201, TIP4]", ["TIP401"], "x = 1  # tipcheck: ignore[TIP4]"),
        ("x = 1  # noqa: TIP201, E501", [], "x = 1  # noqa: E501"),
        # The whole directive goes; other text on the line stays.
        ("x = 1  # noqa: TIP201  # why", [], "x = 1  # why"),
        ("x = 1  # why  # noqa: TIP201", [], "x = 1  # why"),
        ("x = 1  # noqa: TIP201 because of X", [], "x = 1  # because of X"),
        ("x = 1  #noqa:TIP201 because", [], "x = 1  # because"),
        ("x = 1  # tipcheck: ignore[TIP201]  # noqa: E501", [], "x = 1  # noqa: E501"),
        ("x = 1  # type: ignore  # tipcheck: ignore[TIP2]", [], "x = 1  # type: ignore"),
        # Unknown and duplicated codes.
        ("x = 1  # noqa: TIP999, TIP101", ["TIP101"], "x = 1  # noqa: TIP101"),
        ("x = 1  # noqa: TIP101, TIP101", ["TIP101"], "x = 1  # noqa: TIP101"),
    ],
)
def test_unused_fixes(line, findings, expected):
    text = f"a = 0\n{line}\nb = 2\n"
    result = fixed(text, [D(code, 2) for code in findings])
    assert result == f"a = 0\n{expected}\nb = 2\n"


def test_a_line_holding_only_the_directive_is_removed():
    text = "a = 0\n    # noqa: TIP201\nb = 2\n"
    assert fixed(text, []) == "a = 0\nb = 2\n"


def test_messages_list_every_reason():
    text = "x = 1  # tipcheck: ignore[TIP201, TIP999, TIP101, TIP101, E501]\n"
    [finding] = Suppressions.parse(text).unused([D("TIP101", 1)], "t.py")
    assert finding.message == (
        "Unused `tipcheck: ignore` directive (unused: `TIP201`; duplicated: `TIP101`; unknown: `TIP999`)"
    )
    assert finding.fix.message == "Remove unused codes from the suppression"


@pytest.mark.parametrize(
    "text",
    [
        "x = 1  # noqa\n",  # bare: other linters use it too
        "x = 1  # tipcheck: ignore\n",
        "x = 1  # noqa: E501, F401\n",  # not ours
        "x = 1  # noqa: TIP201\n",  # used
        "x = 1  # noqa: TIP2\n",  # used, through a prefix
        "x = 1  # noqa: TIP201, TIP001\n",  # TIP001 silences its own finding
        "x = 1  # noqa: TIP201  # noqa\n",  # so does a bare directive on the line
        "x = 1  # noqa: TIP401\n# tipcheck: file-ignore[TIP001]\n",
        "x = 1  # tipcheck: file-ignore[TIP4]\n",  # file-ignore is never judged
        'x = "# noqa: TIP401"\n',
    ],
)
def test_not_reported(text):
    assert Suppressions.parse(text).unused([D("TIP201", 1)], "t.py") == []


def test_a_finding_already_file_ignored_does_not_use_the_line_directive():
    text = "x = 1  # noqa: TIP201\n# tipcheck: file-ignore[TIP2]\n"
    [finding] = Suppressions.parse(text).unused([D("TIP201", 1)], "t.py")
    assert "unused: `TIP201`" in finding.message


def test_codes_of_disabled_rules_are_not_judged():
    text = "x = 1  # noqa: TIP401, TIP201\n"
    supp = Suppressions.parse(text)
    # Only TIP2 rules (and TIP001) run, e.g. `--select TIP2,TIP001`: TIP401 is kept.
    [finding] = supp.unused([], "t.py", enabled={"TIP201", "TIP001"})
    assert finding.message == "Unused `noqa` directive (unused: `TIP201`)"
    assert apply_fixes(text, [finding.fix]) == "x = 1  # noqa: TIP401\n"
    # TIP001 not enabled (or per-file-ignored): nothing.
    assert supp.unused([], "t.py", enabled={"TIP201", "TIP401"}) == []
    # Unknown codes are reported whatever is enabled.
    assert supp.unused([], "t.py", enabled={"TIP001"}) == []
    assert len(Suppressions.parse("x = 1  # noqa: TIP999\n").unused([], "t.py", enabled={"TIP001"})) == 1


def test_two_directives_on_a_line_are_judged_apart():
    text = "x = 1  # tipcheck: ignore[TIP201]  # noqa: TIP101, TIP401\n"
    findings = Suppressions.parse(text).unused([D("TIP101", 1)], "t.py")
    assert [f.message for f in findings] == [
        "Unused `tipcheck: ignore` directive (unused: `TIP201`)",
        "Unused `noqa` directive (unused: `TIP401`)",
    ]


def test_unused_fix_keeps_crlf_and_uses_source_offsets():
    text = "a = 0\r\nb = 1  # noqa: TIP201, TIP101\r\nc = 2  # noqa: TIP401\r\n"
    source = SourceFile("t.py", text)
    supp = Suppressions.from_source(source)
    findings = supp.unused([D("TIP101", 2)], "t.py")
    assert [f.start.row for f in findings] == [2, 3]
    assert apply_fixes(text, [f.fix for f in findings]) == "a = 0\r\nb = 1  # noqa: TIP101\r\nc = 2\r\n"
    assert fixed("a = 0\r\n# noqa: TIP201\r\nb = 1\r\n", []) == "a = 0\r\nb = 1\r\n"


def test_unused_fix_is_idempotent():
    text = "x = 1  # noqa: TIP201, TIP101  # why\n"
    once = fixed(text, [D("TIP101", 1)])
    assert once == "x = 1  # noqa: TIP101  # why\n"
    assert Suppressions.parse(once).unused([D("TIP101", 1)], "t.py") == []


# -- add_noqa ----------------------------------------------------------------------------------


def test_add_noqa_appends_merges_and_counts():
    text = (
        "import torch\n"
        "model = resnet18(pretrained=True)\n"
        "opt = make()  # build it   \n"
        "sched = StepLR(opt)  # noqa: E501\n"
        "x = 1  # tipcheck: ignore[TIP101]\n"
        "y = 2  # noqa\n"
    )
    findings = [
        D("TIP201", 2),
        D("TIP101", 2),
        D("TIP201", 2, 30),
        D("TIP401", 3),
        D("TIP402", 4),
        D("TIP102", 5),
        D("TIP101", 5),
        D("TIP501", 6),  # already suppressed
        D("invalid-syntax", 1),
        D("TIP001", 1),  # never noqa'd
    ]
    result = add_noqa(text, findings)
    assert result.text == (
        "import torch\n"
        "model = resnet18(pretrained=True)  # noqa: TIP101, TIP201\n"
        "opt = make()  # build it  # noqa: TIP401\n"
        "sched = StepLR(opt)  # noqa: E501, TIP402\n"
        "x = 1  # tipcheck: ignore[TIP101, TIP102]\n"
        "y = 2  # noqa\n"
    )
    assert (result.added, result.skipped) == (4, 0)
    # Idempotent: everything is suppressed now.
    again = add_noqa(result.text, findings)
    assert again == (result.text, 0, 0)
    assert Suppressions.parse(result.text).filter(findings)[0] == [findings[8], findings[9]]


def test_add_noqa_skips_lines_that_cannot_take_a_comment():
    text = 'x = f("""\nTIP\n""")\ny = 1 + \\\n    2\nz = (\n    3)\n'
    findings = [D("TIP101", 1), D("TIP101", 2), D("TIP102", 3), D("TIP103", 4), D("TIP201", 5), D("TIP401", 6)]
    result = add_noqa(text, findings)
    assert (
        result.text
        == 'x = f("""\nTIP\n""")  # noqa: TIP102\ny = 1 + \\\n    2  # noqa: TIP201\nz = (  # noqa: TIP401\n    3)\n'
    )
    assert (result.added, result.skipped) == (3, 3)


def test_add_noqa_keeps_line_endings():
    text = "a = 1\r\nb = 2\r\nc = 3"
    result = add_noqa(text, [D("TIP101", 2), D("TIP102", 3)])
    assert result.text == "a = 1\r\nb = 2  # noqa: TIP101\r\nc = 3  # noqa: TIP102"
    assert add_noqa("a = 1\rb = 2\r", [D("TIP101", 1)]).text == "a = 1  # noqa: TIP101\rb = 2\r"


def test_add_noqa_with_nothing_to_do():
    text = "x = 1\n"
    assert add_noqa(text, []) == (text, 0, 0)
    assert add_noqa(text, [D("io-error", 1)]) == (text, 0, 0)


def test_add_noqa_output_round_trips_through_unused():
    text = "model = resnet18(pretrained=True)\n"
    result = add_noqa(text, [D("TIP201", 1)])
    supp = Suppressions.parse(result.text)
    assert supp.unused([D("TIP201", 1)], "t.py") == []
    # Once the finding is gone (fixed by hand), the added directive is reported and removed.
    assert fixed(result.text, []) == text
