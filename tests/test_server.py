"""`tipcheck server`, driven end to end: the real server in a subprocess (`python -m tipcheck
server`), a real LSP client (pytest-lsp's, on pygls) on its stdio.

The projects are small copies of the rules' corpus cases: TIP501 reported in train.py for a
DistributedSampler that data.py builds (rules/TIP501/p501_xmod_build_loader), which is what makes
an edit of data.py change the findings of train.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

import pytest

pytest.importorskip("pygls")
pytest.importorskip("pytest_lsp")

from lsprotocol import types as lsp  # noqa: E402
from pygls.uris import from_fs_path  # noqa: E402
from pytest_lsp import client_capabilities, make_test_lsp_client  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "rules" / "TIP501" / "p501_xmod_build_loader"
TIMEOUT = 30.0


def offset(text: str, position: lsp.Position) -> int:
    """The offset of an LSP position in an ASCII text."""
    lines = text.splitlines(keepends=True)
    return sum(len(line) for line in lines[: position.line]) + position.character


def apply(text: str, edits) -> str:
    """``text`` with LSP text edits applied, as an editor applies them (all against the text before)."""
    spans = sorted(((offset(text, e.range.start), offset(text, e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


class Session:
    """A client connected to a server on one project folder."""

    def __init__(self, client, root: Path) -> None:
        self.client = client
        self.root = root
        self.texts: Dict[str, str] = {}
        self.versions: Dict[str, int] = {}

    def uri(self, name: str) -> str:
        return from_fs_path(str(self.root / name))

    def open(self, name: str, text: Optional[str] = None) -> str:
        uri = self.uri(name)
        self.texts[uri] = text if text is not None else (self.root / name).read_text()
        self.versions[uri] = 1
        self.client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "python", 1, self.texts[uri]))
        )
        return uri

    def change(self, uri: str, text: str) -> None:
        """Replace the whole buffer (an incremental change covering it)."""
        old = self.texts[uri]
        end = lsp.Position(len(old.splitlines()), 0) if old.endswith("\n") else None
        if end is None:
            lines = old.splitlines()
            end = lsp.Position(max(0, len(lines) - 1), len(lines[-1]) if lines else 0)
        self.versions[uri] += 1
        self.texts[uri] = text
        change = lsp.TextDocumentContentChangePartial(range=lsp.Range(lsp.Position(0, 0), end), text=text)
        self.client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                lsp.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]), [change]
            )
        )

    def edit(self, uri: str, edits) -> None:
        """Apply LSP edits to the buffer, as the editor does with a code action's edit."""
        self.change(uri, apply(self.texts[uri], edits))

    def codes(self, uri: str) -> List[str]:
        return sorted(d.code for d in self.client.diagnostics.get(uri, []))

    async def wait(self, uri: str, condition: Callable[[List[lsp.Diagnostic]], bool]) -> List[lsp.Diagnostic]:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            found = self.client.diagnostics.get(uri)
            if found is not None and condition(list(found)):
                return list(found)
            await asyncio.sleep(0.02)
        raise AssertionError(f"timed out; diagnostics of {uri}: {self.client.diagnostics.get(uri)}")

    async def wait_codes(self, uri: str, codes: List[str]) -> List[lsp.Diagnostic]:
        return await self.wait(uri, lambda found: sorted(d.code for d in found) == sorted(codes))

    async def actions(self, uri: str, line: int, only=None) -> List[lsp.CodeAction]:
        params = lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(uri),
            lsp.Range(lsp.Position(line, 0), lsp.Position(line + 1, 0)),
            lsp.CodeActionContext(diagnostics=[], only=only),
        )
        return list(await self.client.text_document_code_action_async(params) or [])


async def start(root: Path, options=None):
    client = make_test_lsp_client()

    @client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register(params):  # the server asks to watch the project's files: accepted
        return None

    client.last_version = None
    keep = client.protocol.fm.features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def published(params: lsp.PublishDiagnosticsParams) -> None:
        keep(params)
        client.last_version = params.version

    client.protocol.fm.features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = published

    await client.start_io(sys.executable, "-m", "tipcheck", "server")
    await client.initialize_session(
        lsp.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=from_fs_path(str(root)),
            workspace_folders=[lsp.WorkspaceFolder(from_fs_path(str(root)), root.name)],
            initialization_options=options,
        )
    )
    return Session(client, root)


@contextlib.asynccontextmanager
async def serving(root: Path, options=None):
    """A session with the real server over stdio, shut down however the test ends."""
    session = await start(root, options)
    try:
        yield session
    finally:
        await session.client.shutdown_session()
        await session.client.stop()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in ("train.py", "data.py"):
        (tmp_path / name).write_text((CASE / name).read_text())
    return tmp_path


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines()) if needle in line)


# -- diagnostics -----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_diagnostics_on_open_and_change_with_code_link_and_severity(project: Path):
    async with serving(project) as session:
        uri = session.open("train.py")
        found = await session.wait_codes(uri, ["TIP501", "TIP502"])
        tip501 = next(d for d in found if d.code == "TIP501")
        text = session.texts[uri]
        assert tip501.range.start.line == line_of(text, "train_loader = build_loader(args)")
        assert tip501.range.start.character == text.splitlines()[tip501.range.start.line].index("build_loader")
        assert tip501.code_description.href.endswith("/TIP501/TIP501.md")
        assert tip501.severity == lsp.DiagnosticSeverity.Warning and tip501.source == "tipcheck"
        # An edit that sets the epoch: TIP501 goes; one that drops init_process_group: TIP502 goes.
        fixed = text.replace(
            "    for epoch in range(args.epochs):\n",
            "    for epoch in range(args.epochs):\n        train_loader.sampler.set_epoch(epoch)\n",
        )
        session.change(uri, fixed)
        await session.wait_codes(uri, ["TIP502"])
        # Three lines inserted above: the finding moves with its line.
        session.change(uri, "import os\nimport sys\nimport math\n" + text)
        found = await session.wait_codes(uri, ["TIP501", "TIP502"])
        moved = next(d for d in found if d.code == "TIP501")
        assert moved.range.start.line == tip501.range.start.line + 3
        # Hover on the finding: the rule's summary.
        hover = await session.client.text_document_hover_async(
            lsp.HoverParams(lsp.TextDocumentIdentifier(uri), moved.range.start)
        )
        assert "TIP501" in hover.contents.value and "set_epoch" in hover.contents.value


UNSAVED = """\
import torch

model = torch.nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1)
for epoch in range(3):
    optimizer.step()
"""


@pytest.mark.asyncio
async def test_an_unsaved_buffer_is_linted_and_cleared_when_closed(project: Path):
    """An `untitled:` Python buffer (never saved) gets findings and quick fixes, with the workspace's
    settings; closing it clears them."""
    async with serving(project) as session:
        uri = "untitled:Untitled-1"
        session.texts[uri], session.versions[uri] = UNSAVED, 1
        session.client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "python", 1, UNSAVED))
        )
        [found] = await session.wait_codes(uri, ["TIP401"])
        assert found.range.start.line == line_of(UNSAVED, "StepLR")
        actions = await session.actions(uri, found.range.start.line)
        noqa = next(a for a in actions if a.title == "Disable TIP401 for this line")
        assert "# noqa: TIP401" in apply(UNSAVED, noqa.edit.changes[uri]).splitlines()[found.range.start.line]
        session.change(uri, UNSAVED + "    scheduler.step()\n")
        await session.wait_codes(uri, [])
        session.change(uri, UNSAVED)
        await session.wait_codes(uri, ["TIP401"])
        # A buffer in another language is left alone.
        other = "untitled:Untitled-2"
        session.client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(other, "plaintext", 1, UNSAVED))
        )
        session.client.text_document_did_close(lsp.DidCloseTextDocumentParams(lsp.TextDocumentIdentifier(uri)))
        await session.wait_codes(uri, [])
        assert other not in session.client.diagnostics


@pytest.mark.asyncio
async def test_quick_fix_noqa_and_fix_all_give_the_fixed_text(project: Path):
    async with serving(project) as session:
        uri = session.open("train.py")
        found = await session.wait_codes(uri, ["TIP501", "TIP502"])
        line = next(d for d in found if d.code == "TIP501").range.start.line
        actions = await session.actions(uri, line)
        titles = [action.title for action in actions]
        quick = next(a for a in actions if a.title.startswith("TIP501:"))
        assert quick.is_preferred and quick.kind == lsp.CodeActionKind.QuickFix and "(unsafe)" not in quick.title
        assert "Disable TIP501 for this line" in titles
        # The quick fix, applied by the client, gives what `tipcheck fix` gives.
        expected = cli_fix(project, "train.py")
        original = session.texts[uri]
        session.edit(uri, quick.edit.changes[uri])
        assert session.texts[uri] == expected
        await session.wait_codes(uri, ["TIP502"])
        # TIP502's fix is unsafe: offered, labelled, not preferred.
        line = next(d for d in session.client.diagnostics[uri] if d.code == "TIP502").range.start.line
        unsafe = next(a for a in await session.actions(uri, line) if a.title.startswith("TIP502:"))
        assert unsafe.title.endswith("(unsafe)") and not unsafe.is_preferred
        # Disabling it for the line: the code goes into the line's own noqa comment (as
        # `--add-noqa` does), and the finding goes; that comment's other code stays unused (TIP001).
        lines = session.texts[uri].splitlines(keepends=True)
        lines[line] = lines[line].split("#")[0].rstrip() + "  # noqa: TIP101\n"
        session.change(uri, "".join(lines))
        await session.wait_codes(uri, ["TIP001", "TIP502"])
        noqa = next(a for a in await session.actions(uri, line) if a.title == "Disable TIP502 for this line")
        session.edit(uri, noqa.edit.changes[uri])
        assert session.texts[uri].splitlines()[line].endswith('dist.init_process_group("nccl")  # noqa: TIP101, TIP502')
        await session.wait_codes(uri, ["TIP001"])
        # Fix all, on the original text: the safe fixes only (TIP501's), as `tipcheck fix`.
        session.change(uri, original)
        await session.wait_codes(uri, ["TIP501", "TIP502"])
        [fix_all] = await session.actions(uri, 0, only=["source.fixAll"])
        assert fix_all.kind == "source.fixAll.tipcheck"
        session.edit(uri, fix_all.edit.changes[uri])
        assert session.texts[uri] == expected


def cli_fix(root: Path, name: str) -> str:
    """What `tipcheck fix` makes of a file of the project (in a copy)."""
    copy = root.parent / (root.name + "-cli")
    copy.mkdir()
    for path in root.glob("*.py"):
        (copy / path.name).write_text(path.read_text())
    subprocess.run([sys.executable, "-m", "tipcheck", "fix", "--no-cache", "."], cwd=copy, capture_output=True)
    return (copy / name).read_text()


@pytest.mark.asyncio
async def test_an_edit_of_data_py_changes_the_findings_of_train_py(project: Path):
    """train.py's TIP501 comes from data.py's shuffling DistributedSampler: data.py edited in the
    editor (not saved) takes it away, and back."""
    async with serving(project) as session:
        train = session.open("train.py")
        await session.wait_codes(train, ["TIP501", "TIP502"])
        data = session.open("data.py")
        text = session.texts[data]
        session.change(data, text.replace("DistributedSampler(dataset, shuffle=True)", "None"))
        await session.wait_codes(train, ["TIP502"])
        session.change(data, text)
        await session.wait_codes(train, ["TIP501", "TIP502"])


@pytest.mark.asyncio
async def test_a_broken_file_gives_invalid_syntax_and_the_server_keeps_going(project: Path):
    async with serving(project) as session:
        uri = session.open("train.py")
        await session.wait_codes(uri, ["TIP501", "TIP502"])
        text = session.texts[uri]
        broken = text.replace("def main():", "def main(:")
        session.change(uri, broken)
        [error] = await session.wait_codes(uri, ["invalid-syntax"])
        assert error.severity == lsp.DiagnosticSeverity.Error
        assert error.range.start.line == line_of(broken, "def main(:")
        for cut in (len(text) // 3, len(text) // 2, 10):  # more broken texts: cut anywhere
            session.change(uri, text[:cut])
            await session.wait(uri, lambda found: True)
        session.change(uri, text)
        await session.wait_codes(uri, ["TIP501", "TIP502"])


@pytest.mark.asyncio
async def test_a_config_change_is_picked_up(project: Path):
    async with serving(project) as session:
        uri = session.open("train.py")
        await session.wait_codes(uri, ["TIP501", "TIP502"])
        config = project / "pyproject.toml"
        config.write_text('[tool.tipcheck]\nignore = ["TIP502"]\nseverity = { "TIP501" = "error" }\n')
        session.client.workspace_did_change_watched_files(
            lsp.DidChangeWatchedFilesParams([lsp.FileEvent(from_fs_path(str(config)), lsp.FileChangeType.Created)])
        )
        [found] = await session.wait_codes(uri, ["TIP501"])
        assert found.severity == lsp.DiagnosticSeverity.Error
        # Saving the config in the editor works too (for clients without file watching).
        config.write_text('[tool.tipcheck]\nselect = ["TIP502"]\n')
        session.client.text_document_did_save(
            lsp.DidSaveTextDocumentParams(lsp.TextDocumentIdentifier(session.uri("pyproject.toml")))
        )
        await session.wait_codes(uri, ["TIP502"])
        # A broken config is reported, not fatal.
        config.write_text("[tool.tipcheck]\nselect = 3\n")
        session.client.text_document_did_save(
            lsp.DidSaveTextDocumentParams(lsp.TextDocumentIdentifier(session.uri("pyproject.toml")))
        )
        await session.wait_codes(uri, ["TIP501", "TIP502"])
        assert any("select" in message.message for message in session.client.messages)


NOTEBOOK_CELLS = [
    (lsp.NotebookCellKind.Markup, "markdown", "# Training\n"),
    (
        lsp.NotebookCellKind.Code,
        "python",
        "import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n%matplotlib inline\n",
    ),
    (
        lsp.NotebookCellKind.Code,
        "python",
        textwrap.dedent(
            """\
            model = torch.nn.Linear(4, 2)
            optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
            scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1)
            loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 2)), batch_size=2)
            """
        ),
    ),
    (
        lsp.NotebookCellKind.Code,
        "python",
        textwrap.dedent(
            """\
            for epoch in range(3):
                for x, y in loader:
                    optimizer.zero_grad()
                    loss = (model(x) - y).pow(2).mean()
                    loss.backward()
                    optimizer.step()
            """
        ),
    ),
]


def open_notebook(session: Session, path: Path):
    """Open NOTEBOOK_CELLS as a notebook document: its URI and its cells' URIs."""
    notebook_uri = from_fs_path(str(path))
    cells = [f"{notebook_uri}#cell{index}" for index in range(len(NOTEBOOK_CELLS))]
    session.client.notebook_document_did_open(
        lsp.DidOpenNotebookDocumentParams(
            lsp.NotebookDocument(
                notebook_uri,
                "jupyter-notebook",
                1,
                [lsp.NotebookCell(kind, uri) for (kind, _, _), uri in zip(NOTEBOOK_CELLS, cells)],
            ),
            [lsp.TextDocumentItem(uri, language, 1, text) for (_, language, text), uri in zip(NOTEBOOK_CELLS, cells)],
        )
    )
    return notebook_uri, cells


@pytest.mark.asyncio
async def test_notebook_findings_land_in_their_cells(tmp_path: Path):
    async with serving(tmp_path) as session:
        notebook_uri, cells = open_notebook(session, tmp_path / "train.ipynb")
        # TIP401: the scheduler never stepped, reported in the cell that creates it (cell 3); the
        # model never placed (TIP101) and the loader that never shuffles (TIP302) there too.
        found = await session.wait(
            cells[2], lambda found: sorted(d.code for d in found) == ["TIP101", "TIP302", "TIP401"]
        )
        found = next(d for d in found if d.code == "TIP401")
        assert found.range.start == lsp.Position(2, NOTEBOOK_CELLS[2][2].splitlines()[2].index("torch.optim"))
        assert not session.client.diagnostics.get(cells[3]) and not session.client.diagnostics.get(cells[1])
        actions = await session.actions(cells[2], 2)
        noqa = next(a for a in actions if a.title == "Disable TIP401 for this line")
        assert list(noqa.edit.changes) == [cells[2]]
        assert "# noqa: TIP401" in apply(NOTEBOOK_CELLS[2][2], noqa.edit.changes[cells[2]]).splitlines()[2]


@pytest.mark.asyncio
async def test_notebook_edits_move_findings_between_cells(tmp_path: Path):
    """notebookDocument/didChange: a cell's text edited (the scheduler now stepped: TIP401 gone
    from its cell), then a code cell inserted above (the findings move with their cell, and the
    new cell gets its own)."""
    async with serving(tmp_path) as session:
        notebook_uri, cells = open_notebook(session, tmp_path / "train.ipynb")
        await session.wait_codes(cells[2], ["TIP101", "TIP302", "TIP401"])
        loop = NOTEBOOK_CELLS[3][2]
        end = lsp.Position(len(loop.splitlines()), 0)
        session.client.notebook_document_did_change(
            lsp.DidChangeNotebookDocumentParams(
                lsp.VersionedNotebookDocumentIdentifier(2, notebook_uri),
                lsp.NotebookDocumentChangeEvent(
                    cells=lsp.NotebookDocumentCellChanges(
                        text_content=[
                            lsp.NotebookDocumentCellContentChanges(
                                lsp.VersionedTextDocumentIdentifier(2, cells[3]),
                                [lsp.TextDocumentContentChangePartial(lsp.Range(end, end), "    scheduler.step()\n")],
                            )
                        ]
                    )
                ),
            )
        )
        await session.wait_codes(cells[2], ["TIP101", "TIP302"])
        # A code cell inserted before the model's cell: the scheduler of the new cell is never
        # stepped (TIP401 on its line 0); the model's cell keeps its findings, on the same lines.
        added = f"{notebook_uri}#added"
        text = "warmup = torch.optim.lr_scheduler.LinearLR(torch.optim.SGD([torch.zeros(1)], lr=0.1))\n"
        session.client.notebook_document_did_change(
            lsp.DidChangeNotebookDocumentParams(
                lsp.VersionedNotebookDocumentIdentifier(3, notebook_uri),
                lsp.NotebookDocumentChangeEvent(
                    cells=lsp.NotebookDocumentCellChanges(
                        structure=lsp.NotebookDocumentCellChangeStructure(
                            lsp.NotebookCellArrayChange(2, 0, [lsp.NotebookCell(lsp.NotebookCellKind.Code, added)]),
                            did_open=[lsp.TextDocumentItem(added, "python", 1, text)],
                        )
                    )
                ),
            )
        )
        [found] = await session.wait_codes(added, ["TIP401"])
        assert found.range.start == lsp.Position(0, text.index("torch.optim.lr_scheduler"))
        kept = await session.wait_codes(cells[2], ["TIP101", "TIP302"])
        model_line = next(d for d in kept if d.code == "TIP101").range.start.line
        assert NOTEBOOK_CELLS[2][2].splitlines()[model_line].startswith("model = ")


# -- packaging ------------------------------------------------------------------------------------


def test_the_linter_does_not_import_pygls(project: Path):
    code = (
        "import sys\n"
        "from tipcheck.cli import cli\n"
        "try:\n    cli.main(['lint', '--no-cache', '.'], prog_name='tipcheck')\n"
        "except SystemExit as exc:\n    assert exc.code == 1, exc.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol') or m.startswith('tipcheck.server')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout + out.stderr


def test_server_without_pygls_says_what_to_install():
    code = (
        "import sys\n"
        "sys.modules['pygls'] = None  # as if it were not installed\n"
        "sys.argv = ['tipcheck', 'server']\n"
        "from tipcheck.cli import run\n"
        "run()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert (
        out.stderr.strip() == "error: `tipcheck server` needs pygls: install it with `pip install 'tipcheck[server]'`"
    )
    assert "Traceback" not in out.stderr


# -- robustness ----------------------------------------------------------------------------------

SNIPPETS = (
    "(", ")", ":", "\n", "    ", "x", '"""', "'", "#", "\\", "[", "}", ",", " = ", "def f(", "lambda: ",
    "for i in range(3):\n", "        optimizer.step()\n", "    scheduler.step()\n", "if True:\n", "import torch\n",
    "train_loader.sampler.set_epoch(epoch)\n", "\t", "\r\n", "é", "🙂",
)  # fmt: skip


def random_edit(rng, text: str, original: str) -> str:
    """Insert a snippet, delete a span, duplicate a line, or go back to the original text."""
    kind = rng.random()
    if kind < 0.02:
        return original
    at = rng.randrange(len(text) + 1)
    if kind < 0.5:
        return text[:at] + rng.choice(SNIPPETS) + text[at:]
    if kind < 0.8:
        return text[:at] + text[at + rng.randrange(1, 30) :]
    lines = text.splitlines(keepends=True) or [""]
    index = rng.randrange(len(lines))
    return "".join(lines[:index] + [rng.choice(lines)] + lines[index:])


class InProcess:
    """The server's handlers run in this process, on a pygls workspace of its own; what it would
    send is kept."""

    def __init__(self, root: Path) -> None:
        from pygls.workspace import Workspace

        from tipcheck.server.documents import Project
        from tipcheck.server.incremental import Linter
        from tipcheck.server.protocol import create_server

        self.server = create_server()
        self.workspace = Workspace(from_fs_path(str(root)), lsp.TextDocumentSyncKind.Incremental)
        self.server.protocol._workspace = self.workspace
        self.published: List[lsp.PublishDiagnosticsParams] = []
        self.server.text_document_publish_diagnostics = self.published.append
        self.server.window_log_message = lambda params: None
        self.server.project = Project(str(root))
        self.server.project.reload()
        self.server.linter = Linter(self.server.project)

    def open(self, path: Path) -> str:
        uri = from_fs_path(str(path))
        self.workspace.put_text_document(lsp.TextDocumentItem(uri, "python", 1, path.read_text()))
        return uri

    def change(self, uri: str, version: int, text: str) -> None:
        document = self.workspace.get_text_document(uri)
        lines = document.lines
        end = lsp.Position(len(lines), 0)
        change = lsp.TextDocumentContentChangePartial(range=lsp.Range(lsp.Position(0, 0), end), text=text)
        self.workspace.update_text_document(lsp.VersionedTextDocumentIdentifier(uri=uri, version=version), change)

    def lint(self, path: str) -> List:
        """Lint the edited file, then the files that depend on it, as a run does."""
        documents = self.server.project.documents(self.workspace)
        self.server.lint(documents, [path], always=True)
        self.server.lint(documents, [p for p in self.server.linter.dependents(documents) if p != path])
        return documents


def full_lint(documents, project, path: str):
    """The findings of ``path`` from a cold engine run over the same texts (no memo)."""
    from tipcheck.engine import check_sources
    from tipcheck.source import SourceFile

    sources = [SourceFile(d.path, d.source.text) for d in documents.values() if d.source is not None]
    rules = project.rules([s.path for s in sources])
    [result] = [r for r in check_sources(sources, rules, project.policy) if r.path == path]
    return [(d.code, d.start, d.end, d.message) for d in result.diagnostics]


def test_a_thousand_random_edits_in_process(project: Path):
    """1,000 random edits of train.py (most of them break its syntax) linted as the server does:
    no crash, every version published, the findings those of a cold run over the same texts, and
    memory that does not grow with the number of edits."""
    import gc
    import random

    rng = random.Random(17)
    here = InProcess(project)
    path = str(project / "train.py")
    uri = here.open(project / "train.py")
    original = text = (project / "train.py").read_text()
    here.lint(path)
    sizes = {}
    for version in range(2, 1002):
        # At 200 and 1000, the original text, for memory to be measured on the same text.
        text = original if version in (200, 1000) else random_edit(rng, text, original)
        here.change(uri, version, text)
        documents = here.lint(path)
        mine = [p for p in here.published if p.uri == uri]
        assert mine[-1].version == version
        if version % 100 == 0:  # the incremental findings are those of a cold run
            document, result = here.server.linter.results[path]
            assert document.source.text == here.workspace.get_text_document(uri).source
            incremental = [(d.code, d.start, d.end, d.message) for d in result.diagnostics]
            assert incremental == full_lint(documents, here.server.project, path)
        if version % 50 == 0:  # code actions and hover on what is there
            line = rng.randrange(max(1, len(text.splitlines())))
            here.server.code_actions(
                lsp.CodeActionParams(
                    lsp.TextDocumentIdentifier(uri),
                    lsp.Range(lsp.Position(line, 0), lsp.Position(line + 1, 0)),
                    lsp.CodeActionContext(diagnostics=[]),
                )
            )
            here.server.hover(lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line, 0)))
        if version in (200, 1000):
            gc.collect()
            sizes[version] = len(gc.get_objects())
            here.published.clear()
    assert sizes[1000] < 1.25 * sizes[200], sizes


@pytest.mark.asyncio
async def test_random_edits_over_stdio(project: Path):
    """Some of the same edits through the real server: it answers each, and ends where a cold run
    of the last text does."""
    import random

    rng = random.Random(3)
    async with serving(project) as session:
        uri = session.open("train.py")
        await session.wait_codes(uri, ["TIP501", "TIP502"])
        original = text = session.texts[uri]
        for _ in range(40):
            text = random_edit(rng, text, original)
            session.change(uri, text)
        version = session.versions[uri]
        # The last version is published (a burst of changes is linted once, at its end).
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline and getattr(session.client, "last_version", None) != version:
            await asyncio.sleep(0.02)
        assert session.client.last_version == version
        (project / "train.py").write_text(text)
        cold = subprocess.run(
            [sys.executable, "-m", "tipcheck", "lint", "--no-cache", "--format", "concise", "."],
            cwd=project,
            capture_output=True,
            text=True,
        )
        expected = []
        for line in cold.stdout.splitlines():
            if line.startswith("train.py:"):  # train.py:ROW:COLUMN: CODE message
                place, rest = line.split(": ", 1)
                expected.append((int(place.split(":")[1]), rest.split(" ", 1)[0]))
        shown = [(d.range.start.line + 1, d.code) for d in session.client.diagnostics[uri]]
        assert sorted(shown) == sorted(expected) and expected, cold.stdout
        session.change(uri, original)
        await session.wait_codes(uri, ["TIP501", "TIP502"])
