"""Config files: discovery (closest wins), each key, precedence with the command line, errors."""

from __future__ import annotations

import json
import os
import textwrap

import pytest

from tipcheck import config as config_module
from tipcheck.config import (
    DEFAULT_EXCLUDE,
    ConfigError,
    Overrides,
    Resolver,
    Settings,
    clear_cache,
    resolve_settings,
)
from tipcheck.rules import ALL_RULES, select_rules
from tipcheck.settings_text import describe

# What the defaults enable (the preview rules: tests/test_preview.py).
ALL_CODES = sorted(rule.code for rule in ALL_RULES if not rule.preview)


def family(prefix: str, *without: str) -> list:
    """The codes a prefix selects by default (no preview rules), less ``without``."""
    return [code for code in ALL_CODES if code.startswith(prefix) and code not in without]


def write(path, text=""):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def codes(settings, path=None):
    rules = settings.enabled_rules() if path is None else settings.enabled_rules_for(str(path))
    return sorted(rule.code for rule in rules)


def toml_settings(tmp_path, text, name="tipcheck.toml"):
    return Settings.from_file(str(write(tmp_path / name, text)))


# -- discovery ---------------------------------------------------------------------------------


def test_no_config_gives_the_defaults(tmp_path):
    file = write(tmp_path / "pkg" / "train.py")
    settings = Resolver(cwd=str(tmp_path)).for_path(str(file))
    assert settings.path is None
    assert settings.root == str(tmp_path)
    assert codes(settings) == ALL_CODES
    assert settings.is_enabled("TIP001")
    assert (settings.unsafe_fixes, settings.output_format, settings.respect_gitignore) == (False, "full", True)
    assert settings.effective_exclude == DEFAULT_EXCLUDE


def test_the_closest_config_wins_and_nothing_is_merged(tmp_path):
    root_cfg = write(tmp_path / "tipcheck.toml", 'select = ["TIP2"]\nunsafe-fixes = true\n')
    sub_cfg = write(tmp_path / "sub" / "pyproject.toml", '[tool.tipcheck]\nignore = ["TIP5"]\n')
    resolver = Resolver(cwd=str(tmp_path))

    top = resolver.for_path(str(tmp_path / "a.py"))
    assert top.path == str(root_cfg) and codes(top) == ["TIP201"] and top.unsafe_fixes

    deep = resolver.for_path(str(tmp_path / "sub" / "deeper" / "b.py"))
    assert deep.path == str(sub_cfg)
    assert codes(deep) == [c for c in ALL_CODES if not c.startswith("TIP5")]  # not TIP2 only
    assert deep.unsafe_fixes is False  # the parent's value is not inherited


def test_tipcheck_toml_wins_over_pyproject_in_the_same_folder(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.tipcheck]\nselect = ["TIP4"]\n')
    own = write(tmp_path / "tipcheck.toml", 'select = ["TIP5"]\n')
    settings = Resolver(cwd=str(tmp_path)).for_path(str(tmp_path / "x.py"))
    assert settings.path == str(own) and codes(settings) == family("TIP5")


def test_a_pyproject_without_the_section_is_not_a_config(tmp_path):
    root_cfg = write(tmp_path / "tipcheck.toml", 'select = ["TIP1"]\n')
    # Mentions tipcheck (a dependency) but has no [tool.tipcheck]; and one with no mention at all.
    write(tmp_path / "a" / "pyproject.toml", '[project]\ndependencies = ["tipcheck"]\n[tool.ruff]\nline-length = 1\n')
    write(tmp_path / "b" / "pyproject.toml", "[project]\nname = 'x'\n")
    resolver = Resolver(cwd=str(tmp_path))
    for folder in ("a", "b"):
        assert resolver.for_path(str(tmp_path / folder / "m.py")).path == str(root_cfg)


def test_an_empty_tool_tipcheck_section_is_a_config(tmp_path):
    write(tmp_path / "tipcheck.toml", 'select = ["TIP1"]\n')
    sub = write(tmp_path / "sub" / "pyproject.toml", "[tool.tipcheck]\n")
    settings = Resolver(cwd=str(tmp_path)).for_path(str(tmp_path / "sub" / "m.py"))
    assert settings.path == str(sub) and codes(settings) == ALL_CODES


def test_dash_dash_config_applies_to_every_file_with_globs_from_the_cwd(tmp_path):
    write(tmp_path / "sub" / "tipcheck.toml", 'select = ["TIP1"]\n')
    given = write(tmp_path / "conf" / "strict.toml", 'select = ["TIP4"]\n[per-file-ignores]\n"sub/*" = ["TIP401"]\n')
    resolver = Resolver(config=str(given), cwd=str(tmp_path))
    for path in (tmp_path / "a.py", tmp_path / "sub" / "b.py"):
        assert resolver.for_path(str(path)).path == str(given)
    settings = resolver.for_path(str(tmp_path / "sub" / "b.py"))
    assert settings.root == str(tmp_path)  # not conf/
    assert codes(settings, tmp_path / "sub" / "b.py") == family("TIP4", "TIP401")
    assert codes(settings, tmp_path / "a.py") == family("TIP4")


def test_dash_dash_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="config file not found") as info:
        Resolver(config=str(tmp_path / "missing.toml"), cwd=str(tmp_path))
    assert str(tmp_path / "missing.toml") in str(info.value)
    # An explicit pyproject.toml without the section: the defaults.
    plain = write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert codes(Resolver(config=str(plain), cwd=str(tmp_path)).base()) == ALL_CODES


def test_settings_are_cached_per_folder(tmp_path, monkeypatch):
    write(tmp_path / "tipcheck.toml", 'select = ["TIP2"]\n')
    for name in ("x", "y"):
        write(tmp_path / "a" / "b" / f"{name}.py")
    calls = []
    real = config_module.find_config
    monkeypatch.setattr(config_module, "find_config", lambda folder: calls.append(folder) or real(folder))
    loads = []
    real_from_file = Settings.from_file.__func__
    monkeypatch.setattr(
        Settings, "from_file", classmethod(lambda cls, *a, **k: loads.append(a) or real_from_file(cls, *a, **k))
    )

    resolver = Resolver(cwd=str(tmp_path))
    first = resolver.for_path(str(tmp_path / "a" / "b" / "x.py"))
    assert len(calls) == 3 and len(loads) == 1  # a/b, a, then the root holds the config
    assert resolver.for_path(str(tmp_path / "a" / "b" / "y.py")) is first
    assert resolver.for_path(str(tmp_path / "a" / "z.py")) is first
    assert resolver.for_folder(str(tmp_path)) is first
    assert len(calls) == 3 and len(loads) == 1


def test_resolve_settings_helper(tmp_path):
    clear_cache()
    cfg = write(tmp_path / "proj" / "tipcheck.toml", 'output-format = "concise"\n')
    file = write(tmp_path / "proj" / "pkg" / "m.py")
    assert resolve_settings(str(file)).path == str(cfg)
    assert resolve_settings(str(tmp_path / "proj" / "pkg")).output_format == "concise"  # a folder
    assert resolve_settings(str(file), config=str(cfg)).root == os.getcwd()
    clear_cache()


def test_base_is_the_cwd_settings(tmp_path):
    cfg = write(tmp_path / "tipcheck.toml", 'output-format = "json"\nrespect-gitignore = false\n')
    base = Resolver(cwd=str(tmp_path)).base()
    assert base.path == str(cfg) and base.output_format == "json" and base.respect_gitignore is False


# -- rule selection ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ('select = ["TIP4"]', family("TIP4")),
        ('select = ["TIP4"]\nignore = ["TIP401"]', family("TIP4", "TIP401")),
        ('select = ["TIP401"]\nignore = ["TIP4"]', ["TIP401"]),  # the more specific wins
        ('select = ["TIP401"]\nignore = ["TIP401"]', []),  # a tie: ignore wins
        ('select = ["tip2", " TIP5 "]', family("TIP2") + family("TIP5")),  # normalized
        ("select = []", []),
        ('extend-select = ["TIP2"]', ALL_CODES),  # on top of the default ALL
        ('select = ["TIP2"]\nextend-select = ["TIP5"]', family("TIP2") + family("TIP5")),
        ('ignore = ["TIP1", "TIP3", "TIP4"]', ["TIP001", *family("TIP2"), *family("TIP5")]),  # TIP001 is TIP0
        ('select = ["ALL"]\nignore = ["TIP"]', []),
        ('select = ["TIP6"]', []),  # a reserved prefix: accepted, selects nothing yet
        ('select = ["TIP3"]', ["TIP301", "TIP302", "TIP303", "TIP304"]),  # not the preview TIP305/TIP306
    ],
)
def test_select_extend_select_ignore(tmp_path, text, expected):
    assert codes(toml_settings(tmp_path, text)) == expected


@pytest.mark.parametrize(
    "select, ignore",
    [(["TIP4"], ["TIP401"]), (["TIP401"], ["TIP4"]), (["ALL"], ["TIP1"]), (["TIP1", "TIP201"], []), ([], ["TIP5"])],
)
def test_single_layer_selection_agrees_with_select_rules(select, ignore):
    settings = Settings.from_mapping({"select": select or ["ALL"], "ignore": ignore})
    assert settings.enabled_rules() == select_rules(select, ignore)


def test_tip001_can_be_selected_and_ignored(tmp_path):
    assert not toml_settings(tmp_path, 'ignore = ["TIP001"]').is_enabled("TIP001")
    assert not toml_settings(tmp_path, 'ignore = ["TIP0"]').is_enabled("TIP001")
    only = toml_settings(tmp_path, 'select = ["TIP001"]')
    assert only.is_enabled("TIP001") and codes(only) == ["TIP001"]  # TIP001 is a rule of ALL_RULES too
    assert not toml_settings(tmp_path, 'select = ["TIP2"]').is_enabled("TIP001")


def test_command_line_select_replaces_the_config_selection(tmp_path):
    settings = toml_settings(tmp_path, 'select = ["TIP4"]\nignore = ["TIP401"]\nextend-select = ["TIP5"]')
    assert codes(settings.with_overrides(select=["TIP401"])) == ["TIP401"]  # config ignore dropped too
    assert codes(settings.with_overrides(select=["TIP2,TIP1"], ignore=["TIP102"])) == ["TIP101", "TIP103", "TIP201"]


def test_command_line_extend_select_and_ignore_add(tmp_path):
    settings = toml_settings(tmp_path, 'select = ["TIP4"]\nignore = ["TIP401"]')
    assert codes(settings.with_overrides(extend_select=["TIP401"])) == family("TIP4")
    assert codes(settings.with_overrides(extend_select=["TIP2"], ignore=["TIP402"])) == [
        "TIP201",
        *family("TIP4", "TIP401", "TIP402"),
    ]
    assert codes(settings.with_overrides(Overrides(ignore=("TIP4",)))) == []


def test_command_line_scalars_override_only_when_given(tmp_path):
    settings = toml_settings(
        tmp_path, 'unsafe-fixes = true\noutput-format = "github"\nrespect-gitignore = false\nextend-exclude = ["a"]'
    )
    assert settings.with_overrides() == settings
    same = settings.with_overrides(unsafe_fixes=None, output_format=None, respect_gitignore=None)
    assert (same.unsafe_fixes, same.output_format, same.respect_gitignore) == (True, "github", False)
    changed = settings.with_overrides(
        unsafe_fixes=False, output_format="sarif", respect_gitignore=True, extend_exclude=["b"], exclude=["c"]
    )
    assert (changed.unsafe_fixes, changed.output_format, changed.respect_gitignore) == (False, "sarif", True)
    assert changed.effective_exclude == ("c", "a", "b")


def test_overrides_apply_to_every_resolved_config(tmp_path):
    write(tmp_path / "tipcheck.toml", 'select = ["TIP1"]\n')
    write(tmp_path / "sub" / "tipcheck.toml", 'select = ["TIP4"]\n')
    resolver = Resolver(overrides=Overrides(extend_select=["TIP201"]), cwd=str(tmp_path))
    assert codes(resolver.for_path(str(tmp_path / "a.py"))) == ["TIP101", "TIP102", "TIP103", "TIP201"]
    assert codes(resolver.for_path(str(tmp_path / "sub" / "b.py")))[0] == "TIP201"


@pytest.mark.parametrize("option", ["select", "extend_select", "ignore"])
def test_unknown_command_line_code(option):
    flag = "--" + option.replace("_", "-")
    with pytest.raises(ConfigError, match=f"{flag}: unknown rule selector `TIP999`") as info:
        Overrides(**{option: ["TIP201,TIP999"]})
    assert info.value.key == flag and info.value.path is None
    with pytest.raises(ConfigError, match="--output-format"):
        Overrides(output_format="xml")


# -- per-file-ignores --------------------------------------------------------------------------


def test_per_file_ignores_globs(tmp_path):
    settings = toml_settings(
        tmp_path,
        """
        [per-file-ignores]
        "tests/*" = ["TIP5"]
        "__init__.py" = ["TIP201"]
        "**/scripts/*.py" = ["TIP401", "TIP402"]
        "{docs,examples}/*.py" = ["ALL"]
        "!src/**" = ["TIP103"]
        "legacy_?.py" = ["tip1"]
        """,
    )
    t = tmp_path
    assert settings.codes_ignored_for(str(t / "tests" / "test_a.py")) == {"TIP5", "TIP103"}
    assert "TIP5" in settings.codes_ignored_for(str(t / "tests" / "deep" / "test_b.py"))  # `*` crosses `/`
    assert settings.codes_ignored_for(str(t / "src" / "pkg" / "__init__.py")) == {"TIP201"}  # a bare name
    assert settings.codes_ignored_for(str(t / "src" / "scripts" / "run.py")) == {"TIP401", "TIP402"}
    assert settings.codes_ignored_for(str(t / "scripts" / "run.py")) == {"TIP401", "TIP402", "TIP103"}
    assert settings.codes_ignored_for(str(t / "examples" / "x.py")) == {"ALL", "TIP103"}
    assert settings.codes_ignored_for(str(t / "src" / "legacy_1.py")) == {"TIP1"}
    assert settings.codes_ignored_for(str(t / "src" / "train.py")) == set()
    assert settings.codes_ignored_for(str(t / "src" / "tests" / "a.py")) == set()  # relative to the root

    assert codes(settings, t / "src" / "legacy_2.py") == [c for c in ALL_CODES if not c.startswith("TIP1")]
    assert codes(settings, t / "docs" / "conf.py") == []
    assert settings.enabled_codes_for(str(t / "docs" / "conf.py")) == set()
    assert settings.is_ignored_for(str(t / "tests" / "t.py"), "TIP501")
    assert not settings.is_ignored_for(str(t / "tests" / "t.py"), "TIP401")


def test_per_file_ignores_are_relative_to_the_config_folder(tmp_path):
    write(tmp_path / "proj" / "tipcheck.toml", '[per-file-ignores]\n"gen/*.py" = ["TIP2"]\n')
    resolver = Resolver(cwd=str(tmp_path))
    inside = tmp_path / "proj" / "gen" / "m.py"
    assert resolver.for_path(str(inside)).codes_ignored_for(str(inside)) == {"TIP2"}
    settings = resolver.for_path(str(inside))
    assert settings.codes_ignored_for(str(tmp_path / "gen" / "m.py")) == set()  # not under the root
    # A relative path is taken from the current folder.
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path / "proj")
        assert settings.codes_ignored_for("gen/m.py") == {"TIP2"}
    finally:
        os.chdir(cwd)


def test_per_file_ignores_absolute_pattern(tmp_path):
    pattern = str(tmp_path / "abs" / "*.py")
    settings = Settings.from_mapping({"per-file-ignores": {pattern: ["TIP4"]}}, root=str(tmp_path / "elsewhere"))
    assert settings.codes_ignored_for(str(tmp_path / "abs" / "x.py")) == {"TIP4"}


# -- exclude -----------------------------------------------------------------------------------


def test_default_exclude(tmp_path):
    settings = Settings.default(str(tmp_path))
    assert settings.is_excluded(str(tmp_path / ".venv"))
    assert settings.is_excluded(str(tmp_path / "pkg" / "build" / "lib" / "m.py"))  # inside an excluded folder
    assert settings.is_excluded(str(tmp_path / "tipcheck.egg-info"))
    assert not settings.is_excluded(str(tmp_path / "pkg" / "builder.py"))
    assert not settings.is_excluded(str(tmp_path))


def test_extend_exclude_and_exclude(tmp_path):
    extended = toml_settings(tmp_path, 'extend-exclude = ["generated", "legacy/*.py", "*_pb2.py"]')
    t = tmp_path
    assert extended.is_excluded(str(t / "a" / "generated" / "x.py"))
    assert extended.is_excluded(str(t / "legacy" / "old.py"))
    assert not extended.is_excluded(str(t / "src" / "legacy" / "old.py"))  # relative to the root
    assert extended.is_excluded(str(t / "src" / "msg_pb2.py"))
    assert extended.is_excluded(str(t / "build"))  # the defaults still apply

    replaced = toml_settings(tmp_path, 'exclude = ["notebooks"]')
    assert replaced.is_excluded(str(t / "notebooks" / "a.py"))
    assert not replaced.is_excluded(str(t / "build" / "a.py"))  # the defaults are replaced


def test_exclude_of_the_root_folder_name_does_not_exclude_the_project(tmp_path):
    root = tmp_path / "build"
    settings = toml_settings(root, "")
    assert not settings.is_excluded(str(root / "train.py"))
    assert not settings.is_excluded(str(root))
    # Outside the root, only the path itself is judged (not the folders above it).
    assert not settings.is_excluded(str(tmp_path / "dist" / "elsewhere" / "x.py"))
    assert settings.is_excluded(str(tmp_path / "other" / "dist"))


# -- scalar keys -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["full", "concise", "json", "json-lines", "sarif", "github"])
def test_output_format_values(tmp_path, fmt):
    assert toml_settings(tmp_path, f'output-format = "{fmt}"').output_format == fmt


def test_booleans(tmp_path):
    settings = toml_settings(tmp_path, "unsafe-fixes = true\nrespect-gitignore = false")
    assert settings.unsafe_fixes is True and settings.respect_gitignore is False


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, key, fragment",
    [
        ('selct = ["TIP2"]', "selct", "unknown key `selct` (did you mean `select`?)"),
        ("per_file_ignores = {}", "per_file_ignores", "did you mean `per-file-ignores`?"),
        ('[lint]\nselect = ["TIP2"]', "lint", "unknown key `lint`"),
        ('select = "TIP2"', "select", "`select` must be an array of strings, got a string"),
        ('ignore = ["TIP2", 3]', "ignore", "`ignore` must be an array of strings, got an array with a non-string item"),
        ('exclude = "build"', "exclude", "`exclude` must be an array of strings"),
        ('unsafe-fixes = "yes"', "unsafe-fixes", "`unsafe-fixes` must be a boolean (true or false), got a string"),
        ("respect-gitignore = 1", "respect-gitignore", "got an integer"),
        ('output-format = "text"', "output-format", '`output-format` must be one of "full", "concise"'),
        ("output-format = 3", "output-format", "must be a string"),
        ('per-file-ignores = ["a"]', "per-file-ignores", "must be a table of glob = [codes], got an array"),
        ('select = ["TIP999"]', "select", "`select`: unknown rule selector `TIP999`"),
        ('extend-select = ["TIP2O1"]', "extend-select", "unknown rule selector `TIP2O1`"),
        ('ignore = ["E501"]', "ignore", "unknown rule selector `E501`"),
        ('select = [""]', "select", "empty rule selector"),
        (
            '[per-file-ignores]\n"tests/*" = ["TIP4011"]',
            'per-file-ignores."tests/*"',
            "unknown rule selector `TIP4011`",
        ),
        ('[per-file-ignores]\n"tests/*" = "TIP5"', 'per-file-ignores."tests/*"', "must be an array of strings"),
        ('[per-file-ignores]\n"[abc" = ["TIP5"]', 'per-file-ignores."[abc"', "unclosed character class"),
        ('[per-file-ignores]\n"" = ["TIP5"]', 'per-file-ignores.""', "empty glob"),
        ('[per-file-ignores]\n"!" = ["TIP5"]', 'per-file-ignores."!"', "empty glob"),
        ('[per-file-ignores]\n"!tests/[!a" = ["TIP5"]', 'per-file-ignores."!tests/[!a"', "unclosed character class"),
        ('[per-file-ignores]\n"{a,b" = ["TIP5"]', 'per-file-ignores."{a,b"', "unclosed alternation"),
        ('[per-file-ignores]\n"a}.py" = ["TIP5"]', 'per-file-ignores."a}.py"', "without an opening"),
        ('[per-file-ignores]\n"[z-a].py" = ["TIP5"]', 'per-file-ignores."[z-a].py"', "invalid glob"),
        ('exclude = ["build", "[abc"]', "exclude", 'invalid glob "[abc": unclosed character class'),
        ('extend-exclude = [""]', "extend-exclude", "empty glob"),
    ],
)
def test_bad_values_name_the_file_and_the_key(tmp_path, text, key, fragment):
    path = write(tmp_path / "tipcheck.toml", text)
    with pytest.raises(ConfigError) as info:
        Settings.from_file(str(path))
    assert info.value.key == key
    assert str(info.value).startswith(f"{path}: ")
    assert fragment in str(info.value)
    assert key in str(info.value)


def test_valid_globs_are_accepted(tmp_path):
    text = '[per-file-ignores]\n"tests/[!_]*.py" = ["TIP5"]\n"{a,b}/*.py" = ["TIP4"]\n"[]]x.py" = ["TIP1"]\n"\\\\[x.py" = ["TIP2"]\n'
    settings = toml_settings(tmp_path, text)
    assert [entry.pattern for entry in settings.per_file_ignores] == [
        "tests/[!_]*.py",
        "{a,b}/*.py",
        "[]]x.py",
        "\\[x.py",
    ]


def test_a_bad_glob_is_a_config_error_on_the_command_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from tipcheck.cli import cli

    monkeypatch.chdir(tmp_path)
    write(tmp_path / "pyproject.toml", '[tool.tipcheck.per-file-ignores]\n"[abc" = ["TIP201"]\n')
    write(tmp_path / "train.py", "x = 1\n")
    result = CliRunner().invoke(cli, ["lint", "train.py"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f'error: {tmp_path / "pyproject.toml"}: `per-file-ignores."[abc"`: invalid glob')
    assert "Traceback" not in result.output


def test_exclude_with_a_trailing_slash_means_a_folder(tmp_path):
    # The README's own example: `extend-exclude = ["legacy/"]`.
    settings = toml_settings(tmp_path, 'extend-exclude = ["legacy/", "src/old/"]')
    (tmp_path / "legacy").mkdir()
    (tmp_path / "src" / "old").mkdir(parents=True)
    assert settings.is_excluded(str(tmp_path / "legacy"))
    assert settings.is_excluded(str(tmp_path / "legacy" / "train.py"))
    assert settings.is_excluded(str(tmp_path / "pkg" / "legacy" / "train.py"))  # a name, at any depth
    assert settings.is_excluded(str(tmp_path / "src" / "old" / "a.py"))
    assert not settings.is_excluded(str(tmp_path / "old" / "a.py"))  # anchored at the root
    write(tmp_path / "files" / "legacy", "")  # a file named legacy is not a folder
    assert not settings.is_excluded(str(tmp_path / "files" / "legacy"))


def test_exclude_with_a_trailing_slash_through_the_cli(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from tipcheck.cli import cli

    monkeypatch.chdir(tmp_path)
    write(tmp_path / "pyproject.toml", '[tool.tipcheck]\nextend-exclude = ["legacy/"]\n')
    write(tmp_path / "legacy" / "old.py", "from torchvision import models\nmodel = models.resnet18(pretrained=True)\n")
    write(tmp_path / "train.py", "x = 1\n")
    result = CliRunner().invoke(cli, ["lint", "--no-cache", "--format", "concise", "--select", "TIP201", "."])
    assert result.stdout == "All checks passed!\n"
    assert result.exit_code == 0


def test_errors_in_pyproject_name_the_section(tmp_path):
    path = write(tmp_path / "pyproject.toml", '[tool.tipcheck]\nselect = ["TIP2"]\nfoo = 1\n')
    with pytest.raises(ConfigError, match=r"unknown key `foo` in \[tool.tipcheck\]"):
        Settings.from_file(str(path))
    path = write(tmp_path / "pyproject.toml", '[tool]\ntipcheck = "on"\n')
    with pytest.raises(ConfigError, match="`tool.tipcheck` must be a table"):
        Settings.from_file(str(path))


def test_toml_syntax_errors(tmp_path):
    path = write(tmp_path / "tipcheck.toml", 'select = ["TIP2"]\nunsafe-fixes = = true\n')
    with pytest.raises(ConfigError, match=r"invalid TOML: .*line") as info:
        Resolver(cwd=str(tmp_path)).for_path(str(tmp_path / "a.py"))
    assert info.value.path == str(path)
    # A broken pyproject.toml that mentions tipcheck fails discovery; one that doesn't is skipped.
    write(tmp_path / "x" / "pyproject.toml", "[tool.tipcheck\nselect = 1\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        Resolver(cwd=str(tmp_path)).for_path(str(tmp_path / "x" / "a.py"))


def test_a_broken_pyproject_without_tipcheck_is_ignored(tmp_path):
    write(tmp_path / "pyproject.toml", "[project\nname = 1\n")
    assert Resolver(cwd=str(tmp_path)).for_path(str(tmp_path / "a.py")).path is None


# -- --show-settings ---------------------------------------------------------------------------


def test_describe(tmp_path):
    path = write(
        tmp_path / "tipcheck.toml",
        'select = ["TIP4"]\nignore = ["TIP401"]\nunsafe-fixes = true\n[per-file-ignores]\n"tests/*" = ["TIP402"]\n',
    )
    settings = Settings.from_file(str(path)).with_overrides(extend_select=["TIP201"])
    text = describe(settings)
    assert text == describe(settings)
    for line in (
        f'config-file = "{path}"',
        f'root = "{tmp_path}"',
        'select = ["TIP4"]',
        "extend-select = []",
        'ignore = ["TIP401"]',
        '    "tests/*" = ["TIP402"],',
        "extend-exclude = []",
        "unsafe-fixes = true",
        'output-format = "full"',
        "respect-gitignore = true",
        'command-line extend-select = ["TIP201"]',
        "enabled-codes = " + json.dumps(["TIP201", *family("TIP4", "TIP401")]),
    ):
        assert line in text.splitlines(), line
    assert any(line.startswith("exclude = [") and line.endswith("# default") for line in text.splitlines())
    default = describe(Settings.default(str(tmp_path)))
    assert "config-file = none (defaults)" in default and 'select = ["ALL"]  # default' in default


# -- severity (how `tipcheck server` shows findings) ------------------------------------------


def test_severity_the_most_specific_selector_wins(tmp_path):
    path = write(tmp_path / "tipcheck.toml", '[severity]\nALL = "information"\nTIP5 = "error"\nTIP501 = "hint"\n')
    settings = Settings.from_file(str(path))
    assert settings.severity_of("TIP501") == "hint"
    assert settings.severity_of("TIP502") == "error"
    assert settings.severity_of("TIP101") == "information"
    assert settings.severity_of("invalid-syntax") == "error"  # the engine's own: no selector names them
    assert 'severity = {"ALL" = "information", "TIP5" = "error", "TIP501" = "hint"}' in describe(settings)
    default = Settings.default(str(tmp_path))
    assert default.severity_of("TIP101") == "warning" and default.severity_of("io-error") == "error"


@pytest.mark.parametrize(
    "table, message",
    [
        ('severity = { "TIP5" = "fatal" }', '`severity."TIP5"`: "fatal" is not a level'),
        ('severity = { "TIP9X" = "error" }', "unknown rule selector `TIP9X`"),
        ('severity = ["TIP5"]', "`severity` must be a table of code = level, got an array"),
    ],
)
def test_severity_errors_name_the_key(tmp_path, table, message):
    path = write(tmp_path / "tipcheck.toml", table + "\n")
    with pytest.raises(ConfigError) as raised:
        Settings.from_file(str(path))
    assert message in str(raised.value) and str(path) in str(raised.value)
