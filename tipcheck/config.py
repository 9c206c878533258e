"""Configuration: ``[tool.tipcheck]`` in ``pyproject.toml``, or a ``tipcheck.toml``, as Ruff does it.

Discovery ("the closest config wins")
    Each linted path uses the nearest config file among the folders above it: in each folder,
    ``tipcheck.toml`` (top-level keys) is preferred to ``pyproject.toml`` (keys under
    ``[tool.tipcheck]``); a ``pyproject.toml`` without ``[tool.tipcheck]`` is not a config and the
    search goes on upward. Settings are never merged between levels (Ruff without ``extend``).
    With no config anywhere above, the defaults apply. With ``--config PATH``, that one file
    applies to every path, and its relative globs are resolved against the current folder (as
    Ruff does); otherwise relative globs are resolved against the config file's folder.

Keys (kebab-case, type-checked; an unknown key is an error)
    ``select``, ``extend-select``, ``ignore``            lists of rule codes or prefixes ("ALL" too)
    ``per-file-ignores``                                 table: glob -> list of codes or prefixes
    ``exclude``, ``extend-exclude``                      lists of globs
    ``unsafe-fixes``, ``respect-gitignore``              booleans
    ``preview``                                          boolean: enable the preview rules too
    ``output-format``                                    one of OUTPUT_FORMATS (tipcheck.output.formats)
    ``severity``                                         table: code or prefix -> a level of tipcheck.severity

Globs (``per-file-ignores``, ``exclude``; tipcheck.globs) follow Ruff's matchers: a pattern matches a path when it
matches the path relative to the config's folder (``tests/*.py``) or the path's file name alone
(``__init__.py``, ``*_test.py`` match in any folder). ``*`` and ``?`` also match ``/`` (globset's
default, so ``tests/*`` covers nested folders too), ``**/`` matches zero or more folders, and
``[abc]``, ``[!abc]`` and ``{a,b}`` work as usual. A per-file-ignores pattern starting with ``!``
applies to the files that do NOT match it. An exclude pattern ending with ``/`` (``legacy/``)
matches folders only. An empty glob, or one globset would refuse (an unclosed ``[`` or ``{``, a
stray ``}``, a range out of order), is a ConfigError naming the file and the key.

Typical use (the CLI)::

    try:
        overrides = Overrides(select=..., extend_select=..., ignore=..., ...)   # from the options
        resolver = Resolver(config=args.config, overrides=overrides)
        base = resolver.base()            # output-format, respect-gitignore: the cwd's settings
        for path in files:
            settings = resolver.for_path(path)
            rules = settings.enabled_rules_for(path)   # enabled minus per-file-ignores
    except ConfigError as exc:
        print(f"error: {exc}"); exit(2)
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Tuple

from tipcheck import selection
from tipcheck.configfile import (  # noqa: F401 (re-exported: the config's API)
    CONFIG_FILE,
    CONFIG_FILES,
    PYPROJECT,
    ConfigError,
    boolean,
    check_output_format,
    find_config,
    is_tipcheck_config,
    pyproject_section,
    read_toml,
    string_list,
    type_name,
)
from tipcheck.discovery import SKIPPED_DIRS
from tipcheck.globs import GlobPattern, glob_problem, relative_to
from tipcheck.output.formats import FORMATS as OUTPUT_FORMATS  # noqa: F401 (re-exported)
from tipcheck.ruleinfo import catalogue
from tipcheck.severity import Levels, level_of, read_levels

if TYPE_CHECKING:
    from tipcheck.rules.base import Rule


def _rules_with(codes: FrozenSet[str]) -> List[Rule]:
    """The rules of ``codes``, in ALL_RULES order (imported here: the cached path needs none)."""
    from tipcheck.rules import ALL_RULES

    return [rule for rule in ALL_RULES if rule.code in codes]


# Folders and files never walked into unless the config replaces `exclude` (extend-exclude adds).
DEFAULT_EXCLUDE: Tuple[str, ...] = tuple(sorted(SKIPPED_DIRS)) + ("*.egg-info",)

KEYS = (
    "select",
    "extend-select",
    "ignore",
    "per-file-ignores",
    "exclude",
    "extend-exclude",
    "unsafe-fixes",
    "output-format",
    "respect-gitignore",
    "preview",
    "severity",
)


# -- rule codes ------------------------------------------------------------------------------


# The rules' codes and flags come from their catalogue (tipcheck.ruleinfo): selecting rules does
# not import them.
PREVIEW_CODES = frozenset(rule.code for rule in catalogue() if rule.preview)


def all_codes() -> Tuple[str, ...]:
    """Every code that selection applies to: the rules' codes (TIP001 among them, a rule whose
    findings the engine's suppression pass makes: tipcheck.codes), each once."""
    return tuple(rule.code for rule in catalogue())


def _normalize_selector(raw: str, where: str, path: Optional[str], key: str) -> str:
    selector = selection.normalize(raw)
    if not selector:
        raise ConfigError(f"{where}: empty rule selector", path, key)
    if not selection.is_known(selector, all_codes()):  # reserved prefixes such as TIP3 are known
        hint = ""
        from difflib import get_close_matches

        close = get_close_matches(selector, all_codes(), n=1)
        if close:
            hint = f" (did you mean `{close[0]}`?)"
        raise ConfigError(f"{where}: unknown rule selector `{selector}`{hint}", path, key)
    return selector


@dataclass(frozen=True)
class RuleSelection:
    """One layer of rule selection (the defaults, a config file, or the command line).

    Layers are applied in order, as Ruff does: a layer with ``select`` replaces what the earlier
    layers enabled (their ``ignore`` included); a layer without it adds ``extend_select`` and
    removes ``ignore`` on top. Within a layer the more specific selector wins (``TIP401`` over
    ``TIP4`` over ``ALL``), and ``ignore`` wins a tie.
    """

    select: Optional[Tuple[str, ...]] = None
    extend_select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return self.select is None and not self.extend_select and not self.ignore


_DEFAULT_SELECTION = RuleSelection(select=("ALL",))


def _resolve_codes(layers: Sequence[RuleSelection], codes: Sequence[str]) -> FrozenSet[str]:
    enabled: set = set()
    carried_ignores: Tuple[str, ...] = ()
    for layer in layers:
        selectors = (*(layer.select or ()), *layer.extend_select)
        ignores = (*layer.ignore, *carried_ignores)
        carried_ignores = ()
        updates = selection.decide(codes, selectors, ignores)
        if layer.select is not None:
            enabled = {code for code, on in updates.items() if on}
            # Ruff: `select = []` with an `ignore` hands the ignores on to the next layer.
            if not layer.select and not layer.extend_select and layer.ignore:
                carried_ignores = layer.ignore
        else:
            for code, on in updates.items():
                (enabled.add if on else enabled.discard)(code)
    return frozenset(enabled)


def _glob(value: str, path: str, key: str) -> str:
    problem = glob_problem(value)
    if problem is not None:
        raise ConfigError(f"`{key}`: invalid glob {json.dumps(value)}: {problem}", path, key)
    return value


@dataclass(frozen=True)
class PerFileIgnore:
    pattern: str  # as written, `!` included
    codes: Tuple[str, ...]
    root: str

    @cached_property
    def negated(self) -> bool:
        return self.pattern.startswith("!")

    @cached_property
    def glob(self) -> GlobPattern:
        return GlobPattern(self.pattern[1:] if self.negated else self.pattern, self.root)

    def applies_to(self, path: str) -> bool:
        return self.glob.matches(path) != self.negated


def _selectors(value: Any, path: str, key: str, where: Optional[str] = None) -> Tuple[str, ...]:
    return tuple(_normalize_selector(s, where or f"`{key}`", path, key) for s in string_list(value, path, key))


# -- settings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """The settings that apply to the files under one config file (or the defaults).

    ``select`` is None when the config does not set it (the default: ALL); ``exclude`` is None
    when not set (the default: DEFAULT_EXCLUDE). ``cli`` holds the command-line rule selection
    layered on top by with_overrides (empty when there is none).
    """

    path: Optional[str] = None  # the config file, absolute; None for the defaults
    root: str = field(default_factory=os.getcwd)  # relative globs are resolved against it
    select: Optional[Tuple[str, ...]] = None
    extend_select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()
    per_file_ignores: Tuple[PerFileIgnore, ...] = ()
    exclude: Optional[Tuple[str, ...]] = None
    extend_exclude: Tuple[str, ...] = ()
    unsafe_fixes: bool = False
    output_format: str = "full"
    respect_gitignore: bool = True
    preview: bool = False
    severity: Levels = ()  # how an editor shows the findings (tipcheck.severity)
    cli: RuleSelection = RuleSelection()

    # -- construction --------------------------------------------------------------------------
    @classmethod
    def default(cls, root: Optional[str] = None) -> "Settings":
        """The settings when there is no config file; relative globs resolve against ``root``
        (the current folder by default)."""
        return cls(root=os.path.abspath(root or os.getcwd()))

    @classmethod
    def from_file(cls, path: str, root: Optional[str] = None) -> "Settings":
        """Read and check one config file (tipcheck.toml, or pyproject.toml's [tool.tipcheck]).

        ``root`` is what relative globs are resolved against: the file's folder by default (pass
        the current folder for ``--config``, as Ruff does). A pyproject.toml without
        [tool.tipcheck] gives the defaults. Raises ConfigError.
        """
        path = os.path.abspath(path)
        data = read_toml(path)
        if os.path.basename(path) == PYPROJECT:
            section = pyproject_section(data, path)
            table = section if section is not None else {}
        else:
            table = data
        return cls.from_mapping(table, path=path, root=root or os.path.dirname(path))

    @classmethod
    def from_mapping(
        cls, table: Mapping[str, Any], path: Optional[str] = None, root: Optional[str] = None
    ) -> "Settings":
        """Settings from the keys of a config table (already parsed TOML). Raises ConfigError."""
        shown = path or "<config>"
        pyproject = path is not None and os.path.basename(path) == PYPROJECT
        root = os.path.abspath(root or (os.path.dirname(path) if path else os.getcwd()))
        values: Dict[str, Any] = {}
        for key, value in table.items():
            if key not in KEYS:
                where = " in [tool.tipcheck]" if pyproject else ""
                from difflib import get_close_matches

                close = get_close_matches(key.replace("_", "-"), KEYS, n=1, cutoff=0.6)
                hint = f" (did you mean `{close[0]}`?)" if close else ""
                known = ", ".join(KEYS)
                raise ConfigError(f"unknown key `{key}`{where}{hint}; known keys: {known}", shown, key)
            if key in ("select", "extend-select", "ignore"):
                values[key.replace("-", "_")] = _selectors(value, shown, key)
            elif key in ("exclude", "extend-exclude"):
                values[key.replace("-", "_")] = tuple(_glob(g, shown, key) for g in string_list(value, shown, key))
            elif key in ("unsafe-fixes", "respect-gitignore", "preview"):
                values[key.replace("-", "_")] = boolean(value, shown, key)
            elif key == "output-format":
                values["output_format"] = check_output_format(value, shown, key)
            elif key == "severity":
                values["severity"] = read_levels(
                    value, shown, lambda raw, at: _normalize_selector(raw, f"`{at}`", shown, "severity")
                )
            elif key == "per-file-ignores":
                if not isinstance(value, dict):
                    raise ConfigError(
                        f"`per-file-ignores` must be a table of glob = [codes], got {type_name(value)}", shown, key
                    )
                entries = []
                for pattern, codes in value.items():
                    entry_key = f"per-file-ignores.{json.dumps(pattern)}"
                    _glob(pattern[1:] if pattern.startswith("!") else pattern, shown, entry_key)
                    entries.append(PerFileIgnore(pattern, _selectors(codes, shown, entry_key), root))
                values["per_file_ignores"] = tuple(entries)
        return cls(path=path, root=root, **values)

    # -- command line --------------------------------------------------------------------------
    def with_overrides(self, overrides: Optional["Overrides"] = None, **options: Any) -> "Settings":
        """These settings with command-line options on top (see Overrides for the precedence).

        Either pass an Overrides, or its fields as keywords:
        ``settings.with_overrides(select=["TIP2"], ignore=["TIP201"], unsafe_fixes=True)``.
        """
        if overrides is None:
            overrides = Overrides(**options)
        elif options:
            raise TypeError("pass an Overrides or keywords, not both")
        return overrides.apply(self)

    # -- rules ---------------------------------------------------------------------------------
    @property
    def layers(self) -> Tuple[RuleSelection, ...]:
        config = RuleSelection(self.select, self.extend_select, self.ignore)
        return tuple(layer for layer in (_DEFAULT_SELECTION, config, self.cli) if not layer.empty)

    @cached_property
    def enabled_codes(self) -> FrozenSet[str]:
        """Every enabled code (rule codes and TIP001), before per-file-ignores. A preview rule
        (Rule.preview) is enabled only in preview mode (``preview = true``, ``--preview``) or when
        a selection names its exact code (`--select TIP305`); a prefix or ALL leaves it out."""
        enabled = _resolve_codes(self.layers, all_codes())
        if self.preview:
            return enabled
        named = [s for layer in self.layers for s in (*(layer.select or ()), *layer.extend_select)]
        return frozenset(selection.preview_allowed(sorted(enabled), PREVIEW_CODES, named))

    def enabled_rules(self) -> List[Rule]:
        """The enabled rules, in ALL_RULES order (select, extend-select, ignore, then the CLI)."""
        return _rules_with(self.enabled_codes)

    def is_enabled(self, code: str) -> bool:
        """Whether ``code`` is enabled at all (before per-file-ignores)."""
        return code in self.enabled_codes

    def codes_ignored_for(self, path: str) -> FrozenSet[str]:
        """The codes and prefixes that per-file-ignores turn off for ``path`` ("ALL" included)."""
        ignored = set()
        for entry in self.per_file_ignores:
            if entry.applies_to(path):
                ignored.update(entry.codes)
        return frozenset(ignored)

    def enabled_codes_for(self, path: str) -> FrozenSet[str]:
        """The codes enabled for ``path``: enabled_codes minus what per-file-ignores turn off."""
        ignored = self.codes_ignored_for(path)
        if not ignored:
            return self.enabled_codes
        return frozenset(c for c in self.enabled_codes if not any(selection.specificity(s, c) >= 0 for s in ignored))

    def enabled_rules_for(self, path: str) -> List[Rule]:
        """The rules to run on ``path``: the enabled ones that per-file-ignores leave on."""
        return _rules_with(self.enabled_codes_for(path))

    def is_ignored_for(self, path: str, code: str) -> bool:
        """Whether per-file-ignores turn ``code`` off for ``path``."""
        return any(selection.specificity(s, code) >= 0 for s in self.codes_ignored_for(path))

    def severity_of(self, code: str) -> str:
        """How an editor shows a finding of ``code`` (tipcheck.severity)."""
        return level_of(self.severity, code)

    # -- files ---------------------------------------------------------------------------------
    @property
    def effective_exclude(self) -> Tuple[str, ...]:
        return (DEFAULT_EXCLUDE if self.exclude is None else self.exclude) + self.extend_exclude

    @cached_property
    def _exclude_globs(self) -> Tuple[GlobPattern, ...]:
        return tuple(GlobPattern(p, self.root) for p in self.effective_exclude)

    def is_excluded(self, path: str) -> bool:
        """Whether ``path`` (a file or a folder) is excluded by exclude/extend-exclude.

        The path and its parent folders below ``root`` are checked (a file inside an excluded
        folder is excluded); for a path outside ``root``, only the path itself. The root itself
        is never excluded. Walkers should call it on each entry, and skip what is excluded;
        files named on the command line are linted anyway, as in Ruff.
        """
        absolute = os.path.abspath(path)
        if absolute == self.root:
            return False
        if self._matches_exclude(absolute):
            return True
        return bool(relative_to(absolute, self.root)) and self._folder_excluded(os.path.dirname(absolute))

    def _matches_exclude(self, absolute: str, is_dir: Optional[bool] = None) -> bool:
        return any(glob.matches_absolute(absolute, is_dir) for glob in self._exclude_globs)

    def _folder_excluded(self, folder: str) -> bool:
        """Whether a folder below ``root`` or one of its parents below ``root`` is excluded
        (remembered: the files of one folder share the answer)."""
        if folder == self.root or len(folder) <= len(self.root):
            return False
        known = self._excluded_folders.get(folder)
        if known is None:
            known = self._matches_exclude(folder, True) or self._folder_excluded(os.path.dirname(folder))
            self._excluded_folders[folder] = known
        return known

    @cached_property
    def _excluded_folders(self) -> Dict[str, bool]:
        return {}


def _split_codes(values: Optional[Iterable[str]]) -> Tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    return tuple(part for value in values for part in value.split(",") if part.strip())


@dataclass(frozen=True)
class Overrides:
    """Command-line options that override every resolved config, with Ruff's precedence.

    - ``select`` (None: not given) replaces the config's whole rule selection (its select,
      extend-select and ignore); ``extend_select`` and ``ignore`` are applied on top of what the
      config enabled (a command-line --extend-select re-enables what the config ignores).
    - ``exclude`` (None: not given) replaces the config's exclude; ``extend_exclude`` adds.
    - ``unsafe_fixes``, ``output_format``, ``respect_gitignore``, ``preview``: None means "not given"; a value
      replaces the config's. (Click flags should default to None for this to work.)

    Code lists may hold comma-joined items ("TIP2,TIP401"), as click's multiple options give.
    The selectors are checked here: ConfigError(key="--select" ...) for an unknown one.
    """

    select: Optional[Sequence[str]] = None
    extend_select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    exclude: Optional[Sequence[str]] = None
    extend_exclude: Sequence[str] = ()
    unsafe_fixes: Optional[bool] = None
    output_format: Optional[str] = None
    respect_gitignore: Optional[bool] = None
    preview: Optional[bool] = None

    def __post_init__(self) -> None:
        def check(values, option):
            return tuple(_normalize_selector(v, option, None, option) for v in _split_codes(values))

        object.__setattr__(self, "select", None if self.select is None else check(self.select, "--select"))
        object.__setattr__(self, "extend_select", check(self.extend_select, "--extend-select"))
        object.__setattr__(self, "ignore", check(self.ignore, "--ignore"))

        def globs(values):
            return (values,) if isinstance(values, str) else tuple(values)

        if self.exclude is not None:
            object.__setattr__(self, "exclude", globs(self.exclude))
        object.__setattr__(self, "extend_exclude", globs(self.extend_exclude))
        if self.output_format is not None:
            check_output_format(self.output_format, None, "--output-format")

    def apply(self, settings: Settings) -> Settings:
        changes: Dict[str, Any] = {}
        layer = RuleSelection(self.select, tuple(self.extend_select), tuple(self.ignore))
        if not layer.empty:
            changes["cli"] = layer
        if self.exclude is not None:
            changes["exclude"] = tuple(self.exclude)
        if self.extend_exclude:
            changes["extend_exclude"] = settings.extend_exclude + tuple(self.extend_exclude)
        for name in ("unsafe_fixes", "output_format", "respect_gitignore", "preview"):
            if getattr(self, name) is not None:
                changes[name] = getattr(self, name)
        return replace(settings, **changes) if changes else settings


# -- resolution ------------------------------------------------------------------------------


class Resolver:
    """Finds the settings of each path, with a per-folder cache (make one per CLI run).

    ``config``: the ``--config`` file, used for every path (relative globs resolve against
    ``cwd``). ``overrides``: the command-line options, applied to every resolved config.
    ``cwd`` (default: the current folder) is the root of --config and of the defaults; relative
    paths given to the methods are taken from the process's current folder, like everywhere.
    Each config file is read once; each folder is looked at once.
    """

    def __init__(self, config: Optional[str] = None, overrides: Optional[Overrides] = None, cwd: Optional[str] = None):
        self.cwd = os.path.abspath(cwd or os.getcwd())
        self.overrides = overrides or Overrides()
        self._by_folder: Dict[str, Settings] = {}
        self._by_config: Dict[str, Settings] = {}
        self._default: Optional[Settings] = None
        self._fixed: Optional[Settings] = None
        if config is not None:
            self._fixed = self.overrides.apply(Settings.from_file(config, root=self.cwd))

    def _load(self, config: str) -> Settings:
        settings = self._by_config.get(config)
        if settings is None:
            settings = self._by_config[config] = self.overrides.apply(Settings.from_file(config))
        return settings

    def default(self) -> Settings:
        if self._default is None:
            self._default = self.overrides.apply(Settings.default(self.cwd))
        return self._default

    def for_folder(self, folder: str) -> Settings:
        """The settings of the files inside ``folder``: the nearest config in it or above."""
        if self._fixed is not None:
            return self._fixed
        folder = os.path.abspath(folder)
        visited: List[str] = []
        current = folder
        while True:
            cached = self._by_folder.get(current)
            if cached is not None:
                settings = cached
                break
            visited.append(current)
            config = find_config(current)
            if config is not None:
                settings = self._load(config)
                break
            parent = os.path.dirname(current)
            if parent == current:
                settings = self.default()
                break
            current = parent
        for seen in visited:
            self._by_folder[seen] = settings
        return settings

    def for_path(self, path: str) -> Settings:
        """The settings that govern ``path`` (a file, or a folder as an entry of its parent):
        the nearest config in the folder that holds it, or above. No file-system check of
        ``path`` itself."""
        if self._fixed is not None:
            return self._fixed
        return self.for_folder(os.path.dirname(os.path.abspath(path)))

    def base(self) -> Settings:
        """The settings of the current folder (or --config): for run-wide options such as
        output-format and respect-gitignore, as Ruff takes them."""
        return self.for_folder(self.cwd)


_shared: Dict[Optional[str], Resolver] = {}


def resolve_settings(path: str, config: Optional[str] = None) -> Settings:
    """The settings for ``path`` (a file, or a folder's own files if it is a folder), through a
    module-wide Resolver per ``config`` (cached per folder; see clear_cache). A CLI run should
    rather hold its own Resolver, with its Overrides."""
    resolver = _shared.get(config)
    if resolver is None:
        resolver = _shared[config] = Resolver(config=config)
    if os.path.isdir(path):
        return resolver.for_folder(path)
    return resolver.for_path(path)


def clear_cache() -> None:
    """Forget what resolve_settings has cached (config files edited, cwd changed)."""
    _shared.clear()
