"""The commands beside `lint` and `fix` (tipcheck.cli registers them): `clean` (the cache),
`rules` and `rule CODE` (the rules and their pages), `harness` (fixtures run before and after
their fixes) and `verify` (the user's own script run before and after its fixes:
tipcheck.verify.command)."""

from __future__ import annotations

import json
import os
import sys

import click

from tipcheck.cache import DEFAULT_DIR as DEFAULT_CACHE_DIR
from tipcheck.cache import ENV_VAR as ENV_CACHE_DIR
from tipcheck.cache import Cache
from tipcheck.cache import default_dir as default_cache_dir
from tipcheck.codes import EXIT_ERROR
from tipcheck.verify.command import verify  # noqa: F401  (registered by tipcheck.cli)


@click.command("clean")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    envvar=ENV_CACHE_DIR,
    default=None,
    help=f"The cache to remove (default: {DEFAULT_CACHE_DIR}/ here).",
)
def clean(cache_dir):
    """Remove the cache folder: what tipcheck wrote in it, and the folder when nothing else is left."""
    directory = cache_dir or default_cache_dir(os.getcwd())
    if not os.path.isdir(directory):
        click.echo(f"No cache at {directory}")
        return
    real = os.path.realpath(directory)  # a link to the cache: the cache is where it points
    try:
        own = Cache.own_entries(real)
    except OSError as exc:
        click.echo(f"error: cannot read {directory}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_ERROR)
    if own is None:
        click.echo(
            f"error: {directory} is not a tipcheck cache (no CACHEDIR.TAG written by tipcheck); not removing it",
            err=True,
        )
        sys.exit(EXIT_ERROR)
    import shutil

    for name in own:  # the CACHEDIR.TAG last: a folder half cleaned is still known as a cache
        path = os.path.join(real, name)
        try:
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.unlink(path)
        except OSError as exc:
            click.echo(f"error: cannot remove {path}: {exc.strerror or exc}", err=True)
            sys.exit(EXIT_ERROR)
    try:
        others = os.listdir(real)
    except OSError:
        others = ["?"]
    if others:
        listed = ", ".join(sorted(others)[:5]) + (", ..." if len(others) > 5 else "")
        click.echo(f"Removed tipcheck's cache from {directory}; kept the folder, which holds other files ({listed})")
    elif os.path.islink(directory):
        click.echo(f"Removed the cache in {directory}; kept the folder, a symbolic link to {real}")
    else:
        try:
            os.rmdir(real)
        except OSError as exc:
            click.echo(f"error: cannot remove {directory}: {exc.strerror or exc}", err=True)
            sys.exit(EXIT_ERROR)
        click.echo(f"Removed {directory}")


@click.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_rules(output_format):
    """List every rule."""
    from tipcheck.docs import rule_url
    from tipcheck.rules import ALL_RULES  # imports LibCST: not at start-up, which every command pays

    if output_format == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "code": r.code,
                        "name": r.name,
                        "summary": r.summary,
                        "fix": r.fixable,
                        "preview": r.preview,
                        "url": rule_url(r.code),
                    }
                    for r in ALL_RULES
                ],
                indent=2,
            )
        )
        return
    width = max(len(r.name) for r in ALL_RULES)
    for r in ALL_RULES:
        marker = "  (preview: `--preview` or `--select " + r.code + "` enables it)" if r.preview else ""
        click.echo(f"{r.code}  {r.name:<{width}}  {r.summary}{marker}")


@click.command("rule")
@click.argument("code")
def show_rule(code):
    """Print the page of one rule (e.g. `tipcheck rule TIP201`)."""
    from tipcheck.docs import rule_page
    from tipcheck.rules import RULES_BY_CODE

    code = code.upper()
    if code not in RULES_BY_CODE:
        raise click.UsageError(f"unknown rule `{code}` (see `tipcheck rules`)")
    page = rule_page(code)
    if page is None:
        raise click.ClickException(f"the page of {code} is missing from this installation")
    click.echo(page, nl=not page.endswith("\n"))


@click.command("harness")
@click.argument("fixtures", nargs=-1, type=click.Path())
@click.option(
    "--device",
    "devices",
    multiple=True,
    type=click.Choice(["cpu", "cuda", "pretend-cuda"]),
    help="Run on this device (repeat for several; default cpu and pretend-cuda: cuda played on the CPU, for the fixtures that opt in).",
)
@click.option(
    "--nproc",
    type=click.IntRange(min=1),
    default=None,
    help="Processes for the distributed fixtures (default: theirs).",
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False),
    metavar="REPORT",
    help="Write the JSON report (and a .md summary beside it).",
)
@click.option(
    "--fixed-dir",
    type=click.Path(exists=True, file_okay=False),
    help="Take the fixed copies from DIR (a --prepare'd folder, or NAME.py files).",
)
@click.option(
    "--prepare",
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Write originals, fixed copies, expectations and the harness runtime to DIR; run nothing.",
)
@click.option("--timeout", type=float, default=None, help="Seconds per run (default: the expectation's, or 120).")
@click.option(
    "--keep", type=click.Path(file_okay=False), metavar="DIR", help="Keep the scripts and the runs' outputs in DIR."
)
@click.option(
    "--preload/--no-preload", default=True, show_default=True, help="Fork runs from a process that imported torch once."
)
@click.option(
    "--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="Fixture×environment pairs to run at once."
)
@click.option(
    "--start-method",
    type=click.Choice(["spawn", "forkserver", "fork"]),
    default=None,
    help="Start DataLoader workers this way in the fixtures whose expectation names no start_method.",
)
@click.option("--list-checks", is_flag=True, help="List the checks expectation files can use.")
def harness(
    fixtures, devices, nproc, json_path, fixed_dir, prepare, timeout, keep, preload, jobs, start_method, list_checks
):
    """Run FIXTURES before and after tipcheck's fixes (unsafe ones too) and check each against its
    expectation file, NAME.expect.json (default: every fixtures/*.py that has one). Needs the
    harness extra (torch, torchvision)."""
    from tipcheck.harness.command import command
    from tipcheck.harness.runner import DEFAULT_DEVICES

    sys.exit(
        command(
            fixtures,
            devices=devices or DEFAULT_DEVICES,
            nproc=nproc,
            json_path=json_path,
            fixed_dir=fixed_dir,
            prepare=prepare,
            timeout=timeout,
            keep=keep,
            preload=preload,
            jobs=jobs,
            list_checks=list_checks,
            start_method=start_method,
            out=sys.stdout,
            err=sys.stderr,
            argv=None,
        )
    )
