"""The `tipcheck verify` command (registered by tipcheck.commands / tipcheck.cli)."""

from __future__ import annotations

import sys

import click

HELP = """Prove tipcheck's fixes on SCRIPT itself: copy its project to a scratch folder, fix the
copy (unsafe fixes included, or only --select's codes), run the original and the fixed copy for a
few batches and epochs under instrumentation with the same seed, and check that each fix did what
it promised and nothing else changed.

This RUNS YOUR OWN CODE (SCRIPT and what it imports), as `python SCRIPT ARGS` would, in a scrubbed
environment (HF_HUB_OFFLINE=1, TORCH_HOME in the scratch folder, no other variables of yours but
PATH, HOME, locale and library paths). Your files are only read. Nothing else in tipcheck runs
linted code. torchvision datasets and pretrained weights are stood in for; nothing is downloaded.

Give the script's own arguments after `--`. Exit 0: every promise kept and nothing else changed;
1: a fix broke its promise or changed something else; 2: the script could not be run (why is said).
"""


@click.command("verify", help=HELP)
@click.argument("script", type=click.Path(dir_okay=False))
@click.argument("script_args", nargs=-1, type=click.UNPROCESSED)
@click.option("--select", multiple=True, metavar="CODES", help="Fix only these rule codes or prefixes.")
@click.option("--preview", is_flag=True, help="Include preview rules.")
@click.option("--batches", type=click.IntRange(min=1), default=3, show_default=True, help="Batches per epoch.")
@click.option(
    "--epochs",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Epochs (E x K steps without an epoch loop).",
)
@click.option(
    "--nproc",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Processes (torchrun-style; gloo on cpu, nccl on cuda).",
)
@click.option(
    "--device",
    type=click.Choice(["cpu", "cuda", "pretend-cuda"]),
    default="cpu",
    show_default=True,
    help="pretend-cuda: cuda played on the CPU.",
)
@click.option("--timeout", type=float, default=300, show_default=True, help="Seconds per run.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True),
    help="The project's folder (default: found from the script's imports).",
)
@click.option("--json", "json_path", type=click.Path(dir_okay=False), metavar="REPORT", help="Write the JSON report.")
@click.option(
    "--keep", type=click.Path(file_okay=False), metavar="DIR", help="Keep the copies and the runs' output in DIR."
)
@click.option(
    "--data-stub",
    type=click.Path(dir_okay=False, exists=True),
    metavar="FILE",
    help="A Python file run before the script in each process, to stand in for the project's data.",
)
@click.option("--real-data", is_flag=True, help="Use torchvision's real datasets (no stand-ins).")
@click.option(
    "--standin-size",
    type=click.IntRange(min=1),
    default=1024,
    show_default=True,
    help="Items per split of a torchvision dataset stand-in (at most the real split's).",
)
@click.option(
    "--loss-tolerance", type=float, default=1e-4, show_default=True, help="Relative tolerance of the first step's loss."
)
@click.option(
    "--start-method",
    type=click.Choice(["spawn", "forkserver", "fork"]),
    default=None,
    help="Start DataLoader workers this way.",
)
@click.option(
    "--preload/--no-preload", default=True, show_default=True, help="Fork runs from a process that imported torch once."
)
def verify(script, script_args, select, preview, batches, epochs, nproc, device, timeout, seed, root, json_path,
           keep, data_stub, real_data, standin_size, loss_tolerance, start_method, preload):  # fmt: skip
    from tipcheck.verify.report import table, write_json
    from tipcheck.verify.session import COULD_NOT_RUN, Options, UsageError
    from tipcheck.verify.session import verify as run_session

    options = Options(
        script=script,
        args=script_args,
        select=select,
        preview=preview,
        batches=batches,
        epochs=epochs,
        nproc=nproc,
        device=device,
        timeout=timeout,
        seed=seed,
        root=root,
        keep=keep,
        data_stub=data_stub,
        standins=not real_data,
        standin_size=standin_size,
        loss_tolerance=loss_tolerance,
        start_method=start_method,
        preload=preload,
    )
    try:
        report = run_session(options, progress=sys.stderr)
    except UsageError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(COULD_NOT_RUN)
    click.echo(table(report), nl=False)
    if json_path:
        click.echo(f"report: {write_json(report, json_path)}", err=True)
    sys.exit(report["exit"])
