"""The harness's command: `tipcheck harness` and `python -m tipcheck.harness.run` (its options,
finding the fixtures, running them and writing the reports), on top of tipcheck.harness.runner."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import sys
import tempfile
from typing import Optional, Sequence, TextIO

from tipcheck.harness.expectations import RUN_DEVICES, ExpectationError, help_text
from tipcheck.harness.record_loaders import START_METHODS
from tipcheck.harness.report import failed, measures_table, summary_line, table, write_reports
from tipcheck.harness.runner import (
    DEFAULT_DEVICES,
    DEFAULT_TIMEOUT,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    find_fixtures,
    is_prepared_dir,
    make_cases,
    run_cases,
)

# -- the command -------------------------------------------------------------------------------------


def harness_missing() -> Optional[str]:
    """Why the harness cannot run here (its extra is not installed), or None."""
    missing = [name for name in ("torch", "torchvision") if importlib.util.find_spec(name) is None]
    if missing:
        return (
            f"the harness needs {' and '.join(missing)}, which {'is' if len(missing) == 1 else 'are'} not installed: "
            "pip install 'tipcheck[harness]'"
        )
    return None


def command(
    fixtures: Sequence[str] = (),
    devices: Sequence[str] = DEFAULT_DEVICES,
    nproc: Optional[int] = None,
    json_path: Optional[str] = None,
    fixed_dir: Optional[str] = None,
    prepare: Optional[str] = None,
    timeout: Optional[float] = None,
    keep: Optional[str] = None,
    preload: bool = True,
    jobs: int = 1,
    list_checks: bool = False,
    start_method: Optional[str] = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
    argv: Optional[Sequence[str]] = None,
) -> int:
    """What `tipcheck harness` and `python -m tipcheck.harness.run` do; the exit code."""
    if argv is None:  # as `tipcheck harness` would be typed for these options
        argv = ["tipcheck", "harness", *fixtures]
        for device in devices:
            argv += ["--device", device]
        for flag, value in (
            ("--nproc", nproc),
            ("--json", json_path),
            ("--fixed-dir", fixed_dir),
            ("--timeout", timeout),
            ("--keep", keep),
        ):
            if value is not None:
                argv += [flag, str(value)]
        if not preload:
            argv.append("--no-preload")
        if jobs != 1:
            argv += ["--jobs", str(jobs)]
        if start_method is not None:
            argv += ["--start-method", start_method]
    if list_checks:
        print(help_text(), file=out)
        return EXIT_OK
    try:
        if prepare is not None:
            if fixed_dir is not None:
                raise UsageError("--prepare and --fixed-dir do not go together")
            from tipcheck.harness.prepare import prepare_dir

            manifest = prepare_dir(find_fixtures(fixtures), prepare)
            with open(manifest, encoding="utf-8") as handle:
                entries = json.load(handle)["fixtures"]
            for entry in entries:
                fix = entry["fix"]
                state = "fixed" if fix.get("changed") else "unchanged"
                print(
                    f"{entry['name']}: {state}; findings {fix.get('findings_before')} -> {fix.get('findings_after')}",
                    file=err,
                )
            print(
                f"prepared {len(entries)} case(s) in {prepare}; run them with:\n"
                f"    cd {prepare} && python -m tipcheck.harness.run . --device cuda --json reports/cuda.json",
                file=out,
            )
            return EXIT_OK
        why = harness_missing()
        if why:
            print(f"error: {why}", file=err)
            return EXIT_USAGE
        for device in devices:
            if device not in RUN_DEVICES:
                raise UsageError(f"unknown device {device!r} ({', '.join(RUN_DEVICES)})")
        if nproc is not None and nproc < 1:
            raise UsageError("--nproc must be 1 or more")
        if start_method is not None and start_method not in START_METHODS:
            raise UsageError(f"unknown start method {start_method!r} ({', '.join(START_METHODS)})")
        work = keep or tempfile.mkdtemp(prefix="tipcheck-harness-")
        try:
            cases = make_cases(fixtures, fixed_dir=fixed_dir, scripts_dir=os.path.join(work, "_scripts"))
            report = run_cases(
                cases,
                devices=devices,
                nproc=nproc,
                work_dir=work,
                timeout=timeout,
                preload=preload,
                jobs=jobs,
                progress=err,
                command=argv,
                start_method=start_method,
            )
        finally:
            if keep is None:
                shutil.rmtree(work, ignore_errors=True)
    except (UsageError, ExpectationError) as exc:
        print(f"error: {exc}", file=err)
        return EXIT_USAGE
    if keep is None:
        for result in report["results"]:
            for run in result["runs"].values():
                run.pop("output_dir", None)
    print(table(report), file=out, end="")
    figures = measures_table(report)
    if figures:
        print("\n" + figures, file=out, end="")
    print(summary_line(report), file=out)
    if json_path:
        written = write_reports(report, json_path)
        print(f"report: {', '.join(written)}", file=err)
    return EXIT_FAILED if failed(report) else EXIT_OK


def parser(prog: str = "python -m tipcheck.harness.run") -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=prog,
        description="Run fixtures before and after tipcheck's fixes under instrumentation, and check each "
        "against its expectation file (NAME.expect.json).",
    )
    p.add_argument(
        "fixtures",
        nargs="*",
        help="fixture files or folders (default: fixtures/); with --fixed-dir of a prepared folder, names to select",
    )
    p.add_argument(
        "--device",
        dest="devices",
        action="append",
        choices=RUN_DEVICES,
        help="run on this device (repeat for several; default cpu and pretend-cuda); pretend-cuda: cuda played on the CPU, "
        "for the fixtures that opt in",
    )
    p.add_argument("--nproc", type=int, default=None, help="processes for the distributed fixtures (default: theirs)")
    p.add_argument(
        "--json", dest="json_path", metavar="REPORT", help="write the JSON report (and REPORT's .md summary)"
    )
    p.add_argument(
        "--fixed-dir", metavar="DIR", help="take the fixed copies from DIR (a --prepare'd folder, or NAME.py files)"
    )
    p.add_argument(
        "--prepare",
        metavar="DIR",
        help="write originals, fixed copies, expectations and the runtime to DIR, "
        "and run nothing (needs tipcheck's linter)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=None,
        help=f"seconds per run (default: the expectation's, or {DEFAULT_TIMEOUT:g})",
    )
    p.add_argument("--keep", metavar="DIR", help="keep the scripts and the runs' outputs in DIR")
    p.add_argument(
        "--no-preload",
        dest="preload",
        action="store_false",
        help="start each run as a fresh interpreter instead of forking it from one that imported torch",
    )
    p.add_argument("--jobs", type=int, default=1, help="fixture×environment pairs to run at once (default 1)")
    p.add_argument(
        "--start-method",
        choices=START_METHODS,
        default=None,
        help="start DataLoader workers this way (num_workers > 0, no multiprocessing_context of their own) in the "
        "fixtures whose expectation names no start_method",
    )
    p.add_argument("--list-checks", action="store_true", help="list the checks expectation files can use, and exit")
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    options = parser().parse_args(argv)
    fixtures = options.fixtures
    fixed_dir = options.fixed_dir
    # `python -m tipcheck.harness.run PREPARED_DIR [NAME]...`: the prepared folder first.
    if fixed_dir is None and options.prepare is None and fixtures and is_prepared_dir(fixtures[0]):
        fixed_dir, fixtures = fixtures[0], fixtures[1:]
    return command(
        fixtures,
        devices=options.devices or list(DEFAULT_DEVICES),
        nproc=options.nproc,
        json_path=options.json_path,
        fixed_dir=fixed_dir,
        prepare=options.prepare,
        timeout=options.timeout,
        keep=options.keep,
        preload=options.preload,
        jobs=options.jobs,
        list_checks=options.list_checks,
        start_method=options.start_method,
        argv=["python", "-m", "tipcheck.harness.run", *argv],
    )
