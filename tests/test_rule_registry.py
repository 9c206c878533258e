"""The rules are collected from tipcheck/rules/ (no list kept by hand), and the README's rule table is
generated from them (scripts/rule_table.py, as the torchvision table is generated and checked)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tipcheck import rules as rules_package
from tipcheck.rules import ALL_RULES, RULES_BY_CODE, collect_rules

ROOT = Path(__file__).resolve().parent.parent
GENERATOR_PATH = ROOT / "scripts" / "rule_table.py"
README = ROOT / "README.md"


def load_generator():
    spec = importlib.util.spec_from_file_location("_tipcheck_rule_table", GENERATOR_PATH)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


# -- the registry ----------------------------------------------------------------------------------


def test_every_rule_module_gives_one_rule_in_code_order():
    modules = sorted(p.stem for p in (ROOT / "tipcheck" / "rules").glob("tip[0-9][0-9][0-9]_*.py"))
    assert [type(rule).__module__.rsplit(".", 1)[1] for rule in ALL_RULES] == modules
    assert [rule.code for rule in ALL_RULES] == sorted(RULES_BY_CODE)
    for rule in ALL_RULES:
        assert type(rule).__module__.rsplit(".", 1)[1].startswith(f"tip{rule.code[3:]}_")
        assert rule.finds and rule.fix_safety, rule.code


def test_the_registry_names_no_rule_module():
    """Adding a rule module is enough: the package's __init__ imports none of them by name."""
    text = Path(rules_package.__file__).read_text(encoding="utf-8")
    assert "import tip" not in text and "rules.tip" not in text


def _package(tmp_path: Path, name: str, modules: dict) -> list:
    root = tmp_path / name
    root.mkdir()
    (root / "__init__.py").write_text("")
    for module, body in modules.items():
        (root / f"{module}.py").write_text("from tipcheck.rules.base import Rule, ProjectRule\n" + body)
    sys.path.insert(0, str(tmp_path))
    try:
        return collect_rules(name, [str(root)])
    finally:
        sys.path.remove(str(tmp_path))
        for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
            del sys.modules[key]


RULE = 'class {cls}({base}):\n    code = "{code}"\n    name = "x"\n    needs_text = ("x",)\n'


def test_collects_a_package_of_rule_modules(tmp_path):
    found = _package(
        tmp_path,
        "pkg_ok",
        {
            "tip902_b": RULE.format(cls="B", base="ProjectRule", code="TIP902"),
            "tip901_a": "class Helper(Rule):\n    pass\n" + RULE.format(cls="A", base="Rule", code="TIP901"),
            "helpers": RULE.format(cls="NotARule", base="Rule", code="TIP903"),  # not a tipNNN_ module
        },
    )
    assert [rule.code for rule in found] == ["TIP901", "TIP902"]


@pytest.mark.parametrize(
    "modules, message",
    [
        (
            {
                "tip901_a": RULE.format(cls="A", base="Rule", code="TIP901")
                + RULE.format(cls="B", base="Rule", code="TIP902")
            },
            "defines 2 rules",
        ),
        ({"tip901_a": "x = 1\n"}, "defines 0 rules"),
        ({"tip901_a": RULE.format(cls="A", base="Rule", code="TIP902")}, "its name must start with tip902_"),
    ],
)
def test_a_module_that_is_not_one_rule_is_refused(tmp_path, modules, message):
    with pytest.raises(ImportError, match=message):
        _package(tmp_path, "pkg_bad", modules)


# -- the README table -----------------------------------------------------------------------------


def test_readme_rule_table_is_generated():
    generator = load_generator()
    text = README.read_text(encoding="utf-8")
    assert generator.render(text) == text, "README's rule table is stale; run scripts/rule_table.py"
    assert generator.main(["--check"]) == 0
    rows = generator.table_rows()
    assert len(rows) == len(ALL_RULES)
    assert "| [TIP201](rules/TIP201/TIP201.md) | deprecated-pretrained |" in rows[4]


def test_generator_check_mode(tmp_path, capsys, monkeypatch):
    generator = load_generator()
    target = tmp_path / "README.md"
    text = README.read_text(encoding="utf-8")
    target.write_text(text.replace("| safe |\n", "| unsafe |\n", 1), encoding="utf-8")
    assert generator.main(["--check", "--readme", str(target)]) == 1
    assert "the rule table is stale" in capsys.readouterr().err
    assert generator.main(["--readme", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == text
    # A rule's own fields are what the table shows.
    monkeypatch.setattr(type(RULES_BY_CODE["TIP403"]), "fix_safety", "changed")
    assert generator.main(["--check", "--readme", str(target)]) == 1
    assert (
        "plateau-step-without-metric | `ReduceLROnPlateau.step()` without the metric (a `TypeError`) | changed |"
        in capsys.readouterr().err
    )
    target.write_text("# no table\n", encoding="utf-8")
    assert generator.main(["--check", "--readme", str(target)]) == 1
    assert "no rule table" in capsys.readouterr().err


# -- rules/CODE/ in an installed wheel ---------------------------------------------------------------


def test_an_installed_wheel_finds_pages_in_its_copy_of_rules(tmp_path, monkeypatch):
    """pyproject ships the pages of rules/ as tipcheck/_rule_pages (not the corpus cases); docs reads
    CODE/CODE.md there, before any checkout."""
    import tomllib

    from tipcheck import docs

    wheel = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]["build"]["targets"][
        "wheel"
    ]
    assert wheel["sources"] == {"rules": "tipcheck/_rule_pages"} and "rules" in wheel["only-include"]
    assert wheel["exclude"] == ["/rules/**/*.py"]
    package = tmp_path / "site-packages" / "tipcheck"
    (package / "_rule_pages" / "TIP201").mkdir(parents=True)
    (package / "_rule_pages" / "TIP201" / "TIP201.md").write_text("# from the wheel\n", encoding="utf-8")
    monkeypatch.setattr(docs, "__file__", str(package / "docs.py"))
    assert docs.rule_page("TIP201") == "# from the wheel\n"
    assert docs.rule_page("TIP501") is None  # not in this wheel, and no checkout beside it
    assert docs.rule_url("TIP201").endswith("/rules/TIP201/TIP201.md")
