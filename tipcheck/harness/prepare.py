"""Produce the fixed copies the harness compares with the originals, with tipcheck itself.

This is the only part of the harness that needs the linter (libcst): `tipcheck.harness.runner`
takes its cases from here, or from a folder written by `prepare_dir` on a machine that has
tipcheck, and runs them where only torch (and torchvision) are installed.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
from typing import List, Mapping, Optional, Sequence

from tipcheck.engine import lint_paths  # the linter: an ImportError here where it is not installed
from tipcheck.fixing import fix_paths
from tipcheck.harness.cases import MANIFEST, RUNTIME_MODULES, Case, case_name
from tipcheck.harness.expectations import expectation_path, load_expectation
from tipcheck.rules import RULES_BY_CODE

#: What `fix_info` records of the fix of one file.
FIX_KEYS = ("changed", "fixed_count", "findings_before", "findings_after", "errors", "dropped_fixes")


def fixed_text(path: str, rule: Optional[str] = None) -> tuple:
    """The text `tipcheck fix --unsafe-fixes` (every rule on by default, and ``rule`` when it is a
    preview rule: the fixture's own) writes for `path`, and what it did: `(text, info)`, info with
    FIX_KEYS. The file itself is not touched."""
    from tipcheck.rules import select_rules

    rules = select_rules([*(["ALL", rule] if rule in RULES_BY_CODE else [])])
    [linted] = lint_paths([path], rules)
    [result] = fix_paths([path], rules, unsafe=True)
    source_text = result.source.text if result.source is not None else None
    text = source_text if result.fixed_text is None else result.fixed_text
    info = {
        "changed": result.fixed_text is not None and result.fixed_text != source_text,
        "fixed_count": result.fixed_count,
        "findings_before": sorted(d.code for d in linted.diagnostics),
        "findings_after": sorted(d.code for d in result.diagnostics),
        "errors": [f"{e.rule or 'engine'}: {e.detail}" for e in (*linted.errors, *result.errors)],
        "dropped_fixes": list(dict.fromkeys(result.dropped_fixes)),
    }
    return text, info


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def prepare_cases(
    fixtures: Sequence[str],
    scripts_dir: str,
    fixed: Optional[Mapping[str, str]] = None,
) -> List[Case]:
    """A case per fixture, its copies in `scripts_dir/original/` and `scripts_dir/fixed/` (the
    fixture's own file name). The fixed copy is tipcheck's (every rule on by default and the
    fixture's own, unsafe fixes included),
    or the file `fixed[NAME]` (NAME: the fixture's stem, or its path) where given, e.g. a
    deliberately wrong fix. Raises ExpectationError for a fixture without a usable expectation."""
    fixed = dict(fixed or {})
    cases = []
    for path in fixtures:
        name = case_name(path)
        expectation = load_expectation(expectation_path(path))
        original = os.path.join(scripts_dir, "original", os.path.basename(path))
        target = os.path.join(scripts_dir, "fixed", os.path.basename(path))
        _write(original, _read(path))
        substitute = fixed.get(name) or fixed.get(path) or fixed.get(os.path.abspath(path))
        if substitute is not None:
            text = _read(substitute)
            info = {"substituted": os.path.abspath(substitute)}
        else:
            text, info = fixed_text(path, expectation.rule)
            if expectation.rule and expectation.rule not in RULES_BY_CODE:  # its rule has not landed yet
                info["errors"].append(f"{expectation.rule}, the fixture's rule, is not a rule of this tipcheck")
        _write(target, text)
        cases.append(Case(name, original, target, expectation, info, source=os.path.abspath(path)))
    return cases


def prepare_dir(fixtures: Sequence[str], out_dir: str, fixed: Optional[Mapping[str, str]] = None) -> str:
    """Write what `python -m tipcheck.harness.run OUT_DIR` needs on a machine without tipcheck's
    linter (torch and torchvision only): `original/`, `fixed/`, `expect/`, `manifest.json`, and a
    copy of the harness's runtime modules (`tipcheck/harness/`) so that OUT_DIR alone will do.
    Returns the manifest's path."""
    out_dir = os.path.abspath(out_dir)
    cases = prepare_cases(fixtures, out_dir, fixed)
    entries = []
    for case, source in zip(cases, fixtures):
        expect = os.path.join(out_dir, "expect", os.path.basename(expectation_path(source)))
        _write(expect, _read(expectation_path(source)))
        entries.append(
            {
                "name": case.name,
                "source": os.path.relpath(os.path.abspath(source)),
                "original": os.path.relpath(case.original, out_dir),
                "fixed": os.path.relpath(case.fixed, out_dir),
                "expect": os.path.relpath(expect, out_dir),
                "fix": case.fix,
            }
        )
    from tipcheck import __version__

    manifest = {
        "format": "tipcheck-harness-prepared/1",
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "tipcheck_version": __version__,
        "fixtures": entries,
    }
    path = os.path.join(out_dir, MANIFEST)
    _write(path, json.dumps(manifest, indent=2) + "\n")
    # The runtime: enough of the package for `python -m tipcheck.harness.run` with OUT_DIR as the
    # working directory (or on PYTHONPATH).
    here = os.path.dirname(os.path.abspath(__file__))
    package = os.path.join(out_dir, "tipcheck")
    os.makedirs(os.path.join(package, "harness"), exist_ok=True)
    shutil.copy(os.path.join(os.path.dirname(here), "__init__.py"), os.path.join(package, "__init__.py"))
    for module in RUNTIME_MODULES:
        shutil.copy(os.path.join(here, module), os.path.join(package, "harness", module))
    _write(
        os.path.join(out_dir, "README.md"),
        "# Prepared tipcheck harness cases\n\n"
        "Originals, tipcheck's fixed copies and expectations, with the harness runtime (no libcst or\n"
        "click needed; torch and torchvision are). From this folder:\n\n"
        "    python -m tipcheck.harness.run . --device cpu --device cuda --json reports/cuda.json\n\n"
        "(`--nproc 2` for the distributed fixtures; `--help` for the rest.)\n",
    )
    return path
