"""Module names and imports are resolved in one place, for the training facts and the prefilter.

tipcheck.facts.modules gives each file its dotted name and says which file an import means: the
training facts link a name to the one file it means, and the prefilter, which reads imports in
the text before anything is parsed, takes every file a name may mean. Both read relative imports
and names written from inside a package the same way, so the prefilter parses the modules on the
other side of every import the facts follow (issue 12, item 2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict

from tipcheck.analysis import FileAnalysis
from tipcheck.facts.modules import ModuleIndex, module_name_for
from tipcheck.facts.training import ProjectFacts
from tipcheck.parsing import parse_source
from tipcheck.prefilter import _Modules, _related_to
from tipcheck.source import SourceFile

# A project linted from the folder above its packages: `pkg` and `other` are packages, `tools`
# and `common` are plain folders (their modules are named by their stem only).
TREE = {
    "pkg/__init__.py": "from .engine import run\nRUN = run\n",
    "pkg/engine.py": "from .sub.data import build\nfrom . import sub\nBUILD = build\nSUB = sub\ndef run():\n    pass\n",
    "pkg/sub/__init__.py": "",
    "pkg/sub/data.py": (
        "from ..engine import run\nfrom ...elsewhere import thing\nRUN = run\nTHING = thing\ndef build():\n    pass\n"
    ),
    "pkg/utils.py": "def helper():\n    pass\n",
    "other/__init__.py": "",
    "other/utils.py": "def helper():\n    pass\n",
    "tools/common.py": "def shared():\n    pass\n",
    "more/common.py": "def shared():\n    pass\n",
    "train.py": (
        "from pkg.engine import run\nfrom engine import run as run2\nfrom utils import helper\nimport common\n"
        "from pkg.sub import data\nVALUES = [run, run2, helper, common.shared, data.build]\n"
    ),
}


def _write(root: Path, tree: Dict[str, str] = TREE) -> Dict[str, str]:
    """Write ``tree`` (relative path -> text) under ``root``; its paths by relative name."""
    paths = {}
    for name, text in tree.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths[name] = str(path)
    return paths


def test_names_and_imports_resolve_to_files(tmp_path):
    paths = _write(tmp_path)
    names = {name: module_name_for(path) for name, path in paths.items()}
    assert names["pkg/__init__.py"] == "pkg" and names["pkg/sub/data.py"] == "pkg.sub.data"
    assert names["tools/common.py"] == "common" and names["train.py"] == "train"
    index = ModuleIndex(list(paths.values()))
    # Relative imports: from a package's __init__, from a module, two dots up, past the top.
    assert index.absolute("engine", 1, paths["pkg/__init__.py"]) == "pkg.engine"
    assert index.absolute("sub.data", 1, paths["pkg/engine.py"]) == "pkg.sub.data"
    assert index.absolute("engine", 2, paths["pkg/sub/data.py"]) == "pkg.engine"
    assert index.absolute("", 1, paths["pkg/engine.py"]) == "pkg"
    # The longest prefix that names a file; what follows are names defined in it.
    assert index.resolve("pkg.sub.data.build") == (paths["pkg/sub/data.py"], ["build"])
    assert index.resolve("pkg.sub") == (paths["pkg/sub/__init__.py"], [])
    # The end of one name only (written from inside the package), and not of two.
    assert index.resolve("engine.run") == (paths["pkg/engine.py"], ["run"])
    assert index.candidates("engine.run") == {paths["pkg/engine.py"]}
    assert index.resolve("utils.helper") is None
    assert index.candidates("utils.helper") == {paths["pkg/utils.py"], paths["other/utils.py"]}
    # Two files of one name: the facts take the last, the prefilter both.
    assert index.resolve("common.shared") == (paths["more/common.py"], ["shared"])
    assert index.candidates("common.shared") == {paths["tools/common.py"], paths["more/common.py"]}
    assert index.resolve("torch.nn.Linear") is None and index.candidates("torch.nn.Linear") == set()


def test_the_prefilter_reads_every_import_the_facts_follow(tmp_path):
    paths = _write(tmp_path)
    sources = [SourceFile.read(path) for path in paths.values()]
    summaries = []
    for source in sources:
        parsed = parse_source(source, FileAnalysis(source.path))
        assert parsed is not None
        summaries.append(parsed[1].flow(source.path, source.text))
    project = ProjectFacts(summaries)
    prefilter = _Modules(list(paths.values()))
    followed = 0
    for source, summary in zip(sources, summaries):
        linked = prefilter.imported_by(source.path, source.text)
        for name in summary.ext_names:
            found = project._split_qualified(name, summary.module_id)
            if found is not None and found[0] != source.path:
                followed += 1
                assert found[0] in linked, (source.path, name)
    # Every imported name used in the tree but `...elsewhere` (past the top) and the ambiguous
    # `utils`: run (3 times), run2, build, sub, common, data.
    assert followed == 8
    assert prefilter.imported_by(paths["pkg/sub/data.py"], TREE["pkg/sub/data.py"]) == {paths["pkg/engine.py"]}
    expected = (
        "pkg/engine.py",
        "pkg/utils.py",
        "other/utils.py",
        "tools/common.py",
        "more/common.py",
        "pkg/sub/data.py",
    )
    assert prefilter.imported_by(paths["train.py"], TREE["train.py"]) == {paths[name] for name in expected}


# Import roots (issue 13): namespace folders, `src.` imports, and folders put on sys.path.
ROOTS_TREE = {
    "lib/models/net.py": "def build():\n    pass\n",  # lib/ and lib/models/ have no __init__.py
    "src/data/loaders.py": "def make():\n    pass\n",
    "a/tools/_init_paths.py": (
        "import os.path as osp\nimport sys\n\n\ndef add_path(path):\n    if path not in sys.path:\n"
        "        sys.path.insert(0, path)\n\n\nadd_path(osp.join(osp.dirname(__file__), '..', 'lib'))\n"
    ),
    "a/tools/train.py": "import _init_paths\nfrom engine import run\n",
    "a/lib/engine.py": "def run():\n    pass\n",
    "b/tools/train.py": "import sys\nsys.path.append('../lib')\nfrom engine import run\n",
    "b/lib/engine.py": "def run():\n    pass\n",
    "c/train.py": "from engine import run\n",  # no root of its own: both engines are on the path
    "d/run.py": "import sys, os\nsys.path.insert(0, os.path.join(os.path.dirname(__file__), 'pkgs'))\nimport helper\n",
    "d/pkgs/helper.py": "X = 1\n",
    "d/helper.py": "X = 2\n",
}


def test_import_roots(tmp_path):
    root = tmp_path / "proj"
    paths = _write(root, ROOTS_TREE)
    linted = [path for name, path in paths.items() if not name.endswith("_init_paths.py")]  # read from disk
    index = ModuleIndex(linted, {path: ROOTS_TREE[name] for name, path in paths.items() if path in linted})
    # Namespace folders: the longer names of a file, when only one file has them.
    assert index.resolve("lib.models.net.build") == (paths["lib/models/net.py"], ["build"])
    assert index.resolve("models.net") == (paths["lib/models/net.py"], [])
    assert index.resolve("src.data.loaders.make") == (paths["src/data/loaders.py"], ["make"])
    assert index.candidates("lib.models.net") == {paths["lib/models/net.py"]}
    # Two files named engine: each script finds the one its own roots (or _init_paths) put on the path.
    assert index.resolve("engine.run", paths["a/tools/train.py"]) == (paths["a/lib/engine.py"], ["run"])
    assert index.resolve("engine.run", paths["b/tools/train.py"]) == (paths["b/lib/engine.py"], ["run"])
    assert index.resolve("engine.run", paths["c/train.py"]) is None  # either could be meant
    # A root put in front of the path comes before the script's own folder.
    assert index.resolve("helper.X", paths["d/run.py"]) == (paths["d/pkgs/helper.py"], ["X"])
    assert index.resolve("torch.nn.Linear", paths["d/run.py"]) is None


def test_the_roots_a_module_adds(tmp_path):
    from tipcheck.facts.syspath import added_roots

    script = str(tmp_path / "proj" / "tools" / "train.py")
    top, lib = str(tmp_path / "proj"), str(tmp_path / "proj" / "lib")

    def roots(text):
        return [(where, folders[0]) for where, folders in added_roots(script, text)]

    assert roots("import sys, os\nsys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))\n") == [
        ("front", lib)
    ]
    assert roots(
        "import sys, os\nsys.path.append(os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir)))\n"
    ) == [("back", top)]
    assert roots(
        "import sys\nfrom pathlib import Path\nsys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'lib'))\n"
    ) == [("front", lib)]
    assert roots(
        "import site, os.path as osp\nsite.addsitedir(osp.dirname(osp.dirname(osp.realpath(__file__))))\n"
    ) == [("back", top)]
    assert roots("import sys\nthis_dir = __file__.rsplit('/', 1)[0]\nsys.path.insert(1, 'lib')\n") == [
        ("back", str(tmp_path / "proj" / "tools" / "lib"))  # relative: from the module's folder first
    ]
    assert roots("import sys\nsys.path.insert(0, get_root())\nsys.path = ['x']\n") == []


def test_a_module_that_is_not_a_script_does_not_prefer_its_own_folder(tmp_path):
    tree = {
        "tools/train.py": "import sys\nsys.path.insert(0, '../lib')\nimport utils\nif __name__ == '__main__':\n    pass\n",
        "tools/utils.py": "X = 0\n",
        "tools/eval.py": "import utils\nif __name__ == '__main__':\n    pass\n",
        "lib/utils.py": "X = 1\n",
        "lib/models/net.py": "import utils\n",  # imported as models.net: lib/models is not on the path
        "lib/models/utils.py": "X = 2\n",
    }
    paths = _write(tmp_path, tree)
    index = ModuleIndex(list(paths.values()), {paths[name]: text for name, text in tree.items()})
    assert index.resolve("utils.X", paths["tools/train.py"]) == (paths["lib/utils.py"], ["X"])  # front first
    assert index.resolve("utils.X", paths["tools/eval.py"]) == (paths["tools/utils.py"], ["X"])  # a script's folder
    assert index.resolve("utils.X", paths["lib/models/net.py"]) is None  # its folder, or lib/: either


def test_two_copies_of_a_program_each_import_their_own(tmp_path):
    # One program copied in two folders that are packages (`code/__init__.py`): both `trainer`
    # modules are named `code.trainer`. Each copy's script imports its own (its folder runs first
    # on the path), not the other copy's.
    tree = {
        "train_copy/code/__init__.py": "",
        "train_copy/code/main.py": "from trainer import Trainer\n",
        "train_copy/code/trainer.py": "class Trainer:\n    pass\n",
        "test_copy/code/__init__.py": "",
        "test_copy/code/main.py": "from trainer import Trainer\n",
        "test_copy/code/trainer.py": "class Trainer:\n    pass\n",
    }
    paths = _write(tmp_path, tree)
    index = ModuleIndex(list(paths.values()), {paths[name]: text for name, text in tree.items()})
    own = index.resolve("trainer.Trainer", paths["train_copy/code/main.py"])
    assert own == (paths["train_copy/code/trainer.py"], ["Trainer"])
    own = index.resolve("trainer.Trainer", paths["test_copy/code/main.py"])
    assert own == (paths["test_copy/code/trainer.py"], ["Trainer"])
    assert index.resolve("trainer.Trainer") == (
        paths["test_copy/code/trainer.py"],
        ["Trainer"],
    )  # no importer: the last


# Several star imports (`from nets import *`, `from plots import *`): a bare name means the one
# definition among the star-imported project modules; the prefilter reads them all.
STARS_TREE = {
    "nets.py": "def fit(model, optimizer):\n    optimizer.step()\n",
    "plots.py": "def show(values):\n    print(values)\n",  # no training words of its own
    "train.py": (
        "import torch\nfrom nets import *\nfrom plots import *\n\n"
        "opt = torch.optim.SGD([], lr=0.1)\nfit(None, opt)\nshow([1])\nlen([])\n"
    ),
    "other.py": "from nets import *\nfrom outside_lib import *\n\nfit(None, None)\n",
}


def test_two_star_imports_name_the_one_definition(tmp_path):
    root = tmp_path
    paths = _write(root, STARS_TREE)
    prefilter = _Modules(list(paths.values()))
    assert prefilter.imported_by(paths["train.py"], STARS_TREE["train.py"]) == {paths["nets.py"], paths["plots.py"]}
    anchors = {paths["train.py"]: STARS_TREE["train.py"]}
    others = {paths[name]: STARS_TREE[name] for name in ("nets.py", "plots.py")}
    assert _related_to(others, anchors) == {paths["nets.py"], paths["plots.py"]}
    summaries = []
    for name in ("nets.py", "plots.py", "train.py", "other.py"):
        source = SourceFile.read(paths[name])
        parsed = parse_source(source, FileAnalysis(source.path))
        summaries.append(parsed[1].flow(source.path, source.text))
    project = ProjectFacts(summaries)
    targets = {
        site.node.func.value: project.call_targets.get(id(site))
        for summary in summaries
        if summary.module_id == paths["train.py"]
        for site in summary.calls
        if hasattr(site.node.func, "value") and isinstance(site.node.func.value, str)
    }
    assert targets["fit"] == ("func", paths["nets.py"], "$.fit")
    assert targets["show"] == ("func", paths["plots.py"], "$.show")
    assert targets["len"] is None
    # A star import of a module outside the project may define `fit` too: not resolved.
    other = next(summary for summary in summaries if summary.module_id == paths["other.py"])
    assert all(project.call_targets.get(id(site)) is None for site in other.calls)
