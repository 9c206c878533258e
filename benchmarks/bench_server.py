"""How long `tipcheck server` takes from an edit to its findings: `didChange` to `publishDiagnostics`.

    python benchmarks/bench_server.py [--edits 200] [--files 50] [--lines 1000] [--pause 0.3]

A project of ``--files`` Python files is generated in a temporary folder (benchmarks/server_project.py:
a ``train.py`` of about ``--lines`` lines and the packages and scripts around it), the server is
started on it (`python -m tipcheck server`, over stdio, with pygls's client) and ``train.py`` is
opened. Then ``--edits`` edits, each the kind a keystroke makes in a function body somewhere in the
file (a character typed in a name or a number, a line added or removed), every other one undoing
the last so that the file stays what it was; between two edits the client waits ``--pause``
seconds (a pause longer than the server's debounce: each edit is linted, as a keystroke after a
pause is). The latency of each edit is the time from sending `didChange` to receiving the
`publishDiagnostics` of that version of train.py. Printed: the time to the first findings after
opening (cold: every file of the project analysed), then the median, p95, mean and max latency.

It prints figures; it is not a test. The goal of issue 17 is a median of 50 ms or less. It also
prints how fast the machine is at the time (a full LibCST parse of train.py): on a shared machine
that moves by half within minutes, and the latency with it.

To measure another tipcheck (`PYTHONPATH=/path/to/other/tree`), run this from a folder that holds
no `tipcheck` package: `python -m tipcheck server` puts the working folder first on `sys.path`.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import keyword
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from typing import Dict, List, Tuple

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_project import generate  # noqa: E402

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _edits(text: str, count: int, seed: int) -> List[str]:
    """``count`` texts, each one keystroke-sized edit away from the one before: an edit inside a
    function body, then its undo."""
    rng = random.Random(seed)
    lines = text.splitlines(keepends=True)
    body = [i for i, line in enumerate(lines) if line.startswith("        ") and line.strip()]

    def indent(line: str) -> int:
        return len(line) - len(line.lstrip())

    # Lines that can go without breaking the syntax: a statement between two of the same depth.
    removable = [
        i
        for i in body
        if 0 < i < len(lines) - 1
        and indent(lines[i - 1]) == indent(lines[i]) == indent(lines[i + 1])
        and not lines[i].rstrip().endswith((":", "(", ",", "\\"))
        and not lines[i - 1].rstrip().endswith(("(", ",", "\\"))
    ]
    texts = []
    while len(texts) < count:
        index = rng.choice(body)
        line = lines[index]
        kind = rng.randrange(3)
        if kind == 0:  # a character typed into a name of the line (not a keyword)
            words = [m for m in _NAME.finditer(line) if not keyword.iskeyword(m.group())]
            if not words:
                continue
            word = rng.choice(words)
            at = rng.randrange(word.start() + 1, word.end() + 1)
            changed = lines[:index] + [line[:at] + rng.choice("abcxyz_01") + line[at:]] + lines[index + 1 :]
        elif kind == 1:  # a statement added after it
            if index not in removable:
                continue
            lead = line[: len(line) - len(line.lstrip())]
            changed = lines[: index + 1] + [f"{lead}value_{len(texts)} = {len(texts)}\n"] + lines[index + 1 :]
        else:  # a line removed (and put back by the undo)
            index = rng.choice(removable)
            changed = lines[:index] + lines[index + 1 :]
        texts.append("".join(changed))
        texts.append(text)
    return texts[:count]


def _position(text: str, offset: int) -> lsp.Position:
    """The LSP position of an offset (the generated project is ASCII: a character is a UTF-16 unit)."""
    line = text.count("\n", 0, offset)
    return lsp.Position(line, offset - (text.rfind("\n", 0, offset) + 1))


def _change(old: str, new: str) -> lsp.TextDocumentContentChangePartial:
    """The change an editor sends for an edit: the range of ``old`` it replaces and the new text
    there (a keystroke's, not the whole document's)."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0  # the common end, not overlapping the common start
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    old_end, new_end = len(old) - end, len(new) - end
    where = lsp.Range(_position(old, start), _position(old, old_end))
    return lsp.TextDocumentContentChangePartial(range=where, text=new[start:new_end])


class Client:
    def __init__(self) -> None:
        self.client = LanguageClient("bench-server", "1")
        self.published: Dict[Tuple[str, int], float] = {}
        self.first: Dict[str, float] = {}

        self.arrived = asyncio.Event()

        @self.client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: lsp.PublishDiagnosticsParams) -> None:
            now = time.perf_counter()
            self.first.setdefault(params.uri, now)
            if params.version is not None:
                self.published.setdefault((params.uri, params.version), now)
            self.arrived.set()

        @self.client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
        def register(params) -> None:
            return None

        @self.client.feature(lsp.WINDOW_LOG_MESSAGE)
        def log(params) -> None:
            print("server:", params.message, file=sys.stderr)

    async def wait(self, key, timeout: float = 120.0) -> float:
        deadline = time.perf_counter() + timeout
        while key not in self.published:
            self.arrived.clear()
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"no diagnostics for {key}")
            try:
                await asyncio.wait_for(self.arrived.wait(), left)
            except asyncio.TimeoutError:
                pass
        return self.published[key]


async def run(args) -> None:
    with tempfile.TemporaryDirectory() as root:
        train = generate(root, files=args.files, train_lines=args.lines)
        text = open(train, encoding="utf-8").read()
        uri = from_fs_path(train)
        bench = Client()
        client = bench.client
        await client.start_io(sys.executable, "-m", "tipcheck", "server")
        capabilities = lsp.ClientCapabilities(
            workspace=lsp.WorkspaceClientCapabilities(
                did_change_watched_files=lsp.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True)
            )
        )
        await client.initialize_async(
            lsp.InitializeParams(
                capabilities=capabilities,
                root_uri=from_fs_path(root),
                workspace_folders=[lsp.WorkspaceFolder(from_fs_path(root), "bench")],
            )
        )
        client.initialized(lsp.InitializedParams())
        start = time.perf_counter()
        client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "python", 1, text)))
        opened = await bench.wait((uri, 1)) - start
        await asyncio.sleep(1.0)  # the rest of the project's first run
        latencies: List[float] = []
        version = 1
        previous = text
        for new in _edits(text, args.edits, args.seed):
            version += 1
            change = _change(previous, new)
            sent = time.perf_counter()
            client.text_document_did_change(
                lsp.DidChangeTextDocumentParams(lsp.VersionedTextDocumentIdentifier(uri=uri, version=version), [change])
            )
            latencies.append(await bench.wait((uri, version)) - sent)
            previous = new
            await asyncio.sleep(args.pause)
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()
    latencies.sort()
    ms = [1000 * value for value in latencies]
    speed = _parse_ms(text)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    print(f"project: {args.files} files, train.py {len(text.splitlines())} lines; {len(ms)} edits")
    print(
        f"this machine now: a full LibCST parse of train.py takes {speed:.0f} ms (median of 5; about 110 ms when quiet)"
    )
    print(f"open train.py to its first findings (cold, the whole project): {opened * 1000:.0f} ms")
    print(
        f"didChange -> publishDiagnostics: median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, "
        f"mean {statistics.mean(ms):.1f} ms, min {ms[0]:.1f} ms, max {ms[-1]:.1f} ms"
    )


def _parse_ms(text: str) -> float:
    """How fast this machine is right now (a shared machine's speed moves by half from minute to
    minute): the median CPU time of five full LibCST parses of ``text``, in ms."""
    import libcst as cst

    times = []
    for _ in range(5):
        start = time.process_time()
        cst.parse_module(text)
        times.append(1000 * (time.process_time() - start))
    return statistics.median(times)


def breakdown(args) -> None:
    """The same edits in this process, without the protocol: CPU time per edit of the whole run
    for train.py (Linter.run, as the server's first step) and of its parts, measured one by one."""
    import libcst as cst
    from pygls.workspace import Workspace

    from tipcheck.analysis import FileAnalysis, run_rules
    from tipcheck.context import RuleContext
    from tipcheck.facts import ModuleFacts
    from tipcheck.facts.training import ProjectFacts
    from tipcheck.pool import tune_gc
    from tipcheck.positions import Positions
    from tipcheck.prefilter import rules_per_file
    from tipcheck.reparse import reparse
    from tipcheck.rules import ALL_RULES
    from tipcheck.server.documents import Project
    from tipcheck.server.incremental import Linter
    from tipcheck.source import SourceFile

    try:
        from tipcheck.facts.kept import Kept
    except ImportError:  # a tipcheck from before the kept store (to compare): nothing is kept
        Kept = None

    tune_gc()  # as `tipcheck server` does
    cpu = time.process_time
    with tempfile.TemporaryDirectory() as root:
        train = generate(root, files=args.files, train_lines=args.lines)
        text = open(train, encoding="utf-8").read()
        uri = from_fs_path(train)
        workspace = Workspace(from_fs_path(root), lsp.TextDocumentSyncKind.Incremental)
        workspace.put_text_document(lsp.TextDocumentItem(uri, "python", 1, text))
        project = Project(root)
        project.reload()
        linter = Linter(project)
        linter.run(project.documents(workspace), [train, *project.files])
        others = [path for path in project.files if path != train]
        times: Dict[str, List[float]] = {}

        def note(name: str, start: float) -> None:
            times.setdefault(name, []).append(1000 * (cpu() - start))

        module = cst.parse_module(text)
        positions = Positions(module)
        kept = Kept() if Kept is not None else None
        # The facts are built from the last version's, as the memo does, where this tipcheck can
        # (tipcheck.facts.parts); the loop's own chain of versions, from a cold build of the first.
        hands_on = "previous" in inspect.signature(ModuleFacts).parameters
        facts = None
        rule_positions = Positions(linter.memo.get_any(train).tree[0])
        previous = text
        for version, new in enumerate(_edits(text, args.edits, args.seed), 2):
            lines = workspace.get_text_document(uri).lines
            change = lsp.TextDocumentContentChangePartial(
                range=lsp.Range(lsp.Position(0, 0), lsp.Position(len(lines), 0)), text=new
            )
            workspace.update_text_document(lsp.VersionedTextDocumentIdentifier(uri=uri, version=version), change)
            start = cpu()
            documents = project.documents(workspace)
            linter.run(documents, [train])
            note("the run for train.py (Linter.run)", start)
            start = cpu()
            linter.run(documents, others)
            note("then the other files (their project rules)", start)
            start = cpu()
            full = cst.parse_module(new)
            note("  full LibCST parse", start)
            start = cpu()
            done = reparse(previous, module, positions, new)
            note("  re-parse of the statements touched (tipcheck.reparse)", start)
            module, positions = done if done is not None else (full, Positions(full))
            previous = new
            start = cpu()
            Positions(full).starts()
            note("  positions of the whole module (codegen)", start)
            # The facts and rules are timed on the tree the run made (the statements an edit did not
            # touch are those of the tree before: what is kept for them is found again), with facts
            # made again here (from this loop's facts of the last version, as the memo does);
            # positions and the store of kept results (tipcheck.facts.kept) are this loop's own,
            # carried from edit to edit as the memo carries its own.
            module = linter.memo.get_any(train).tree[0]
            start = cpu()
            facts = ModuleFacts(module, facts) if hands_on and facts is not None else ModuleFacts(module)
            note("  ModuleFacts (scopes)", start)
            start = cpu()
            facts.flow(train, new)
            note("  flow summary", start)
            facts.positions = rule_positions = Positions(module, rule_positions)
            sources = [d.source for d in documents.values() if d.source is not None]
            wanted = rules_per_file(sources, ALL_RULES)[train]
            trees = {path: analysis.tree for path in project.files if (analysis := linter.memo.get_any(path))}
            trees[train] = (module, facts)
            start = cpu()
            facts_of_project = ProjectFacts([tree[1].flow(path) for path, tree in trees.items()])
            note("  ProjectFacts (combining the summaries)", start)
            # As the engine hands them on: the linted texts, and what is kept from the edit before.
            facts_of_project.linted = {source.path: source.text for source in sources}
            facts_of_project.kept = kept
            source = SourceFile(train, new)
            for rule in wanted:
                context = RuleContext(source, module, facts, facts_of_project if rule.project else None)
                context.kept = kept  # as the engine hands it to every rule
                start = cpu()
                run_rules(context, [rule], FileAnalysis(train))
                note(f"  rule {rule.code}", start)
            if kept is not None:
                kept.keep_only([tree[0].body for tree in trees.values()], [source.path for source in sources])
    print(f"project: {args.files} files, train.py {len(text.splitlines())} lines; {args.edits} edits; CPU ms per edit:")
    for name, values in times.items():
        print(f"{name:58} median {statistics.median(values):7.1f}  mean {statistics.mean(values):7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--pause", type=float, default=0.3, help="seconds between two edits")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--breakdown", action="store_true", help="time the parts in this process (CPU time)")
    args = parser.parse_args()
    if args.breakdown:
        breakdown(args)
    else:
        asyncio.run(run(args))


if __name__ == "__main__":
    main()
