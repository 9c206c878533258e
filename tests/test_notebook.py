"""Jupyter notebooks (tipcheck.notebook): the code cells as one Python text, IPython syntax replaced
by placeholders, locations by cell, fixes written back into the cells with the JSON layout kept."""

from __future__ import annotations

import json
from typing import List, Union

import libcst as cst
import pytest

from tipcheck.engine import check_source
from tipcheck.fixing import fix_source
from tipcheck.notebook import PLACEHOLDER, Notebook, NotebookError, format_location, is_notebook_path
from tipcheck.rules import select_rules


def code(source: Union[str, List[str]], count=None, outputs=None, metadata=None) -> dict:
    if isinstance(source, str) and not source.startswith("#str"):
        source = source.splitlines(True)  # nbformat's form: a list of lines
    return {
        "cell_type": "code",
        "execution_count": count,
        "metadata": metadata if metadata is not None else {},
        "outputs": outputs if outputs is not None else [],
        "source": source,
    }


def markdown(source: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source.splitlines(True)}


def notebook(*cells: dict, **metadata) -> dict:
    return {
        "cells": list(cells),
        "metadata": metadata or {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def nbformat_text(nb: dict) -> str:
    """The text nbformat writes: indent 1, sorted keys, non-ASCII kept, a final newline."""
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


OUTPUT = {"name": "stdout", "output_type": "stream", "text": ["epoch 0: loss 0.41 ✓\n"]}

TRAINING = notebook(
    markdown("# Training\nA small model."),
    code("import torch\nfrom torch import nn\nfrom torch.utils.data import DataLoader, TensorDataset", count=1),
    code(
        "model = nn.Linear(4, 2)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
        "scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1)",
        count=2,
    ),
    code("%%capture\nloader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 2)), batch_size=4)", count=3),
    code("!nvidia-smi", count=4),
    code(
        "for epoch in range(3):\n    for x, y in loader:\n        optimizer.zero_grad()\n"
        "        loss = ((model(x) - y) ** 2).mean()\n        loss.backward()\n        optimizer.step()",
        count=5,
        outputs=[OUTPUT],
    ),
)


# -- the text ----------------------------------------------------------------------------------------
def test_code_cells_are_concatenated_with_magics_replaced():
    nb = Notebook.read(nbformat_text(TRAINING))
    lines = nb.text.splitlines()
    assert lines[:3] == [
        "import torch",
        "from torch import nn",
        "from torch.utils.data import DataLoader, TensorDataset",
    ]
    assert lines[3] == "model = nn.Linear(4, 2)"
    assert lines[6] == PLACEHOLDER  # %%capture: its body is Python, kept
    assert lines[7].startswith("loader = DataLoader(")
    assert lines[8] == PLACEHOLDER  # !nvidia-smi
    assert lines[9] == "for epoch in range(3):"
    assert "Training" not in nb.text  # markdown is left out
    assert nb.text.endswith("optimizer.step()\n")
    assert nb.python_cells == [2, 3, 4, 5, 6]
    cst.parse_module(nb.text)


def test_findings_work_across_cells_and_are_located_by_cell():
    nb = Notebook.read(nbformat_text(TRAINING), path="train.ipynb")
    diags = check_source(nb.source_file(), select_rules(["TIP101", "TIP401"])).diagnostics
    where = {d.code: nb.format_location(d.start.row, d.start.column) for d in diags}
    # The model and the scheduler are built in cell 3; the loop that trains them is in cell 6.
    assert where == {"TIP101": "train.ipynb:cell 3:1:9", "TIP401": "train.ipynb:cell 3:3:13"}


def test_placeholders_are_not_suppression_comments():
    from tipcheck.suppression import Suppressions

    nb = Notebook.read(nbformat_text(TRAINING))
    suppressions = Suppressions.from_source(nb.source_file())
    assert not suppressions and not getattr(suppressions, "warnings", [])


@pytest.mark.parametrize(
    "line, replaced",
    [
        ("%matplotlib inline", PLACEHOLDER),
        ("!pip install torch", PLACEHOLDER),
        ("?torch.nn.Linear", PLACEHOLDER),
        ("torch.nn.Linear?", PLACEHOLDER),
        ("torch.nn.Linear??  # the source", PLACEHOLDER),
        ("%time x = train()", PLACEHOLDER),
        ("/print 1", PLACEHOLDER),
        ("files = !ls data", "files = " + PLACEHOLDER.replace("pass", "None")),
        ("a, b = %sx echo 1 2", "a, b = " + PLACEHOLDER.replace("pass", "None")),
        ("x = 1  # really?", "x = 1  # really?"),
        ("s = '%d items?' % n", "s = '%d items?' % n"),
        ("y = a != b", "y = a != b"),
        ("x %= 2", "x %= 2"),
    ],
)
def test_ipython_lines(line, replaced):
    nb = Notebook.read(json.dumps(notebook(code(["n = 3\n", line + "\n", "z = 0"]))))
    assert nb.text.splitlines()[1] == replaced
    cst.parse_module(nb.text)


def test_magics_keep_their_indentation_and_strings_are_left_alone():
    source = [
        "for i in range(2):\n",
        "    !echo $i\n",
        "    %time f(i)\n",
        "def f():\n",
        '    """Doc.\n',
        "    %d items?\n",
        "    !not a shell line\n",
        '    """\n',
        "    return (1,\n",
        "            ?2)\n",  # inside brackets: not a statement start (and not valid anyway)
        "%load_ext \\\n",
        "    autoreload\n",
    ]
    nb = Notebook.read(json.dumps(notebook(code(source))))
    lines = nb.text.splitlines()
    assert lines[1] == "    " + PLACEHOLDER and lines[2] == "    " + PLACEHOLDER
    assert lines[5:7] == ["    %d items?", "    !not a shell line"]
    assert lines[9] == "            ?2)"
    assert lines[10:] == [PLACEHOLDER, PLACEHOLDER]


def test_non_python_cells_are_left_out():
    nb = Notebook.read(
        json.dumps(
            notebook(
                code("%%bash\necho hi"),
                code("pip install torch"),
                code("x = 1\n%%writefile f.txt\nhello"),
                code("SELECT 1", metadata={"vscode": {"languageId": "sql"}}),
                {"cell_type": "raw", "metadata": {}, "source": "raw"},
                code([]),
                code("%%time\ny = 2"),
                code("time = 5"),
            )
        )
    )
    assert nb.python_cells == [7, 8]
    assert nb.text == f"{PLACEHOLDER}\ny = 2\ntime = 5\n"
    assert nb.location(2, 1) == (7, 2, 1)


# -- locations ---------------------------------------------------------------------------------------
def test_locations_count_all_cells_like_jupyter_and_ruff():
    nb = Notebook.read(nbformat_text(TRAINING), path="train.ipynb")
    assert nb.location(1, 1) == (2, 1, 1)
    assert nb.location(3, 7) == (2, 3, 7)
    assert nb.location(4, 9) == (3, 1, 9)
    assert nb.location(9, 1) == (5, 1, 1)
    assert nb.location(15, 9) == (6, 6, 9)
    assert nb.location(99, 1) == (6, 6, 1)  # past the end: the last line
    assert nb.display_location(10, 5) == "cell 6:1:5"
    assert format_location("nb/train.ipynb", 4, 3, 1) == "nb/train.ipynb:cell 4:3:1"
    assert is_notebook_path("a/Train.IPYNB") and not is_notebook_path("train.py")


def test_file_line_points_into_the_json():
    raw = nbformat_text(TRAINING)
    nb = Notebook.read(raw)
    raw_lines = raw.splitlines()
    assert raw_lines[nb.file_line(4) - 1].strip() == '"model = nn.Linear(4, 2)\\n",'
    assert raw_lines[nb.file_line(15) - 1].strip() == '"        optimizer.step()"'
    one_string = Notebook.read(json.dumps(notebook(code("#str\na = 1\nb = 2")), indent=1))
    assert (
        one_string.file_line(3)
        == json.dumps(notebook(code("#str\na = 1\nb = 2")), indent=1)
        .splitlines()
        .index('   "source": "#str\\na = 1\\nb = 2"')
        + 1
    )


# -- writing back ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "dump",
    [
        nbformat_text,
        lambda nb: json.dumps(nb, indent=2) + "\n",  # ASCII escapes, key order as built
        lambda nb: json.dumps(nb, indent=4, ensure_ascii=False),  # no final newline
        lambda nb: json.dumps(nb),  # one line
        lambda nb: json.dumps(nb, indent=1).replace("\n", "\r\n") + "\r\n",
    ],
)
def test_nothing_to_fix_round_trips_byte_identically(dump):
    raw = dump(TRAINING)
    nb = Notebook.read(raw)
    assert nb.write_fixed(nb.text) == raw
    assert nb.write_fixed(nb.text.replace("model", "model")) == raw


@pytest.mark.parametrize(
    "dump",
    [
        nbformat_text,
        lambda nb: json.dumps(nb, indent=2) + "\n",
        lambda nb: json.dumps(nb, indent=4, ensure_ascii=False),
        lambda nb: json.dumps(nb),
        lambda nb: json.dumps(nb, separators=(",", ":")),
        lambda nb: json.dumps(nb, indent=1).replace("\n", "\r\n") + "\r\n",
    ],
)
def test_changed_cells_are_written_in_the_files_layout(dump):
    nb = Notebook.read(dump(TRAINING))
    fixed = nb.text.replace("model = nn.Linear(4, 2)\n", "model = nn.Linear(4, 2)\nmodel.to(device)\n")
    fixed = fixed.replace("        optimizer.step()\n", "        optimizer.step()\n    scheduler.step()\n")
    expected = json.loads(json.dumps(TRAINING))
    expected["cells"][2]["source"].insert(1, "model.to(device)\n")
    expected["cells"][5]["source"][-1] += "\n"
    expected["cells"][5]["source"].append("    scheduler.step()")
    assert nb.write_fixed(fixed) == dump(expected)
    # A one-line cell that grows.
    expected["cells"][4]["source"] = ["!nvidia-smi\n", "x = 1"]
    assert nb.write_fixed(fixed.replace(PLACEHOLDER + "\nfor", PLACEHOLDER + "\nx = 1\nfor")) == dump(expected)


def test_bom_and_bytes_round_trip(tmp_path):
    data = b"\xef\xbb\xbf" + nbformat_text(TRAINING).encode("utf-8")
    path = tmp_path / "train.ipynb"
    path.write_bytes(data)
    nb = Notebook.read(str(path))
    assert nb.path == str(path) and nb.encoding == "utf-8-sig"
    assert nb.encode(nb.write_fixed(nb.text)) == data
    assert Notebook.read(data).encode(Notebook.read(data).raw) == data
    from_text = Notebook.read(data.decode("utf-8"))
    assert from_text.encode(from_text.write_fixed(from_text.text)) == data


def test_write_fixed_changes_only_the_sources_of_changed_cells():
    raw = nbformat_text(TRAINING)
    nb = Notebook.read(raw)
    fixed = nb.text.replace("model = nn.Linear(4, 2)\n", "model = nn.Linear(4, 2).to(device)\n")
    out = nb.write_fixed(fixed)
    assert out == raw.replace('"model = nn.Linear(4, 2)\\n"', '"model = nn.Linear(4, 2).to(device)\\n"')
    data = json.loads(out)
    assert data["cells"][5]["outputs"] == [OUTPUT] and data["cells"][5]["execution_count"] == 5
    assert data["metadata"] == TRAINING["metadata"]
    assert list(data) == list(json.loads(raw))


def test_added_lines_join_the_cell_of_the_line_they_follow():
    raw = nbformat_text(TRAINING)
    nb = Notebook.read(raw)
    # An import added after the last line of cell 2, and a line added at the end of cell 6.
    fixed = (
        nb.text.replace("TensorDataset\n", "TensorDataset\nfrom torchvision.models import ResNet18_Weights\n")
        + "scheduler.step()\n"
    )
    cells = json.loads(nb.write_fixed(fixed))["cells"]
    assert cells[1]["source"] == [
        "import torch\n",
        "from torch import nn\n",
        "from torch.utils.data import DataLoader, TensorDataset\n",
        "from torchvision.models import ResNet18_Weights",
    ]
    assert cells[2]["source"] == TRAINING["cells"][2]["source"]
    assert cells[5]["source"][-2:] == ["        optimizer.step()\n", "scheduler.step()"]
    # At the very top: the first code cell.
    top = json.loads(nb.write_fixed("import os\n" + nb.text))["cells"]
    assert top[1]["source"][0] == "import os\n"


def test_magic_lines_are_restored_and_deleted_lines_removed():
    raw = nbformat_text(TRAINING)
    nb = Notebook.read(raw)
    fixed = nb.text.replace("        optimizer.zero_grad()\n", "").replace(
        "loader = DataLoader(", "loader = DataLoader(pin_memory=True, dataset="
    )
    cells = json.loads(nb.write_fixed(fixed))["cells"]
    assert cells[3]["source"][0] == "%%capture\n"
    assert cells[3]["source"][1].startswith("loader = DataLoader(pin_memory=True, dataset=")
    assert cells[4]["source"] == ["!nvidia-smi"]
    assert "        optimizer.zero_grad()\n" not in cells[5]["source"]


def test_a_fix_that_changes_a_magic_line_is_refused():
    nb = Notebook.read(nbformat_text(TRAINING))
    with pytest.raises(NotebookError, match="IPython line of cell 5"):
        nb.write_fixed(nb.text.replace(PLACEHOLDER + "\nfor", "pass\nfor"))


def test_string_sources_stay_strings_and_unchanged_cells_keep_their_escaping():
    raw = (
        '{"cells": [{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], '
        '"source": "import torch\\nx = torch.ones(2)"}, '
        '{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], '
        '"source": ["s = \\"caf\\u00e9 \\/ ok\\"\\n", "t = 1"]}], '
        '"metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    )
    nb = Notebook.read(raw)
    out = nb.write_fixed(nb.text.replace("torch.ones(2)", "torch.ones(2, device=d)"))
    assert '"source": "import torch\\nx = torch.ones(2, device=d)"}' in out
    assert '"source": ["s = \\"caf\\u00e9 \\/ ok\\"\\n", "t = 1"]' in out
    # An escaped file stays ASCII; a new non-ASCII character is escaped like the rest.
    out = nb.write_fixed(nb.text.replace("t = 1", "t = 'é'"))
    assert '"source": ["s = \\"caf\\u00e9 \\/ ok\\"\\n", "t = \'\\u00e9\'"]' in out


def test_full_fix_through_the_engine():
    nb = Notebook.read(
        nbformat_text(
            notebook(
                code("import torchvision.models as models", count=1),
                markdown("## Model"),
                code("!nvidia-smi\nmodel = models.resnet50(pretrained=True)", count=2, outputs=[OUTPUT]),
            )
        ),
        path="train.ipynb",
    )
    result = fix_source(nb.source_file(), select_rules(["TIP201"]), False)
    cells = json.loads(nb.write_fixed(result.fixed_text))["cells"]
    assert cells[0]["source"] == [
        "import torchvision.models as models\n",
        "from torchvision.models import ResNet50_Weights",
    ]
    assert cells[2]["source"] == ["!nvidia-smi\n", "model = models.resnet50(weights=ResNet50_Weights.IMAGENET1K_V1)"]
    assert cells[2]["outputs"] == [OUTPUT]
    assert nb.diff(result.fixed_text).splitlines()[:2] == ["--- a/train.ipynb:cell 1", "+++ b/train.ipynb:cell 1"]


# -- errors and metadata -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw, message",
    [
        ('{"cells": [', "not valid JSON"),
        ("[1, 2]", "not an object"),
        ('{"metadata": {}}', "no `cells` list"),
        ('{"worksheets": [], "nbformat": 3}', "nbformat 3"),
        ('{"cells": [], "nbformat": 2}', "nbformat 2"),
        ('{"cells": [{"source": "x"}]}', "cell 1 has no `cell_type`"),
        ('{"cells": [{"cell_type": "code", "source": [1]}]}', "`source` of cell 1 is not text"),
    ],
)
def test_not_a_notebook(raw, message):
    with pytest.raises(NotebookError, match=message):
        Notebook.read(raw)


def test_read_errors(tmp_path):
    with pytest.raises(NotebookError) as info:
        Notebook.read('{\n "cells": [,]\n}')
    assert (info.value.line, info.value.column) == (2, 12)
    with pytest.raises(NotebookError, match="not UTF-8"):
        Notebook.read(b'{"cells": ["\xff"]}')
    with pytest.raises(NotebookError, match="no such file"):
        Notebook.read(str(tmp_path / "missing.ipynb"))


def test_language_and_empty_notebooks():
    assert Notebook.read(json.dumps(notebook())).is_python
    r = notebook(language_info={"name": "R"})
    assert not Notebook.read(json.dumps(r)).is_python
    empty = Notebook.read(json.dumps(notebook(markdown("# only text"))))
    assert empty.text == "" and empty.python_cells == []
    assert empty.write_fixed("") == empty.raw and empty.location(1, 1) == (1, 1, 1)
