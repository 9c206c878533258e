"""TIP201 deprecated-pretrained: what is reported, where, and what the fix writes.

The last part executes fixed code: for every builder in the table (each legacy case), a small
script calling it the deprecated way is fixed with the real ``fix_source`` and both versions are
run under torchvision, with weight loading patched out. The fixed call must load exactly the
member that the deprecated call loads, and must not warn about the deprecated interface. Those
tests are skipped when torch or torchvision is not installed.

Expected enum members are written out only for a few documented facts (the torchvision docs give
``resnet50(pretrained=True)`` == ``resnet50(weights=ResNet50_Weights.IMAGENET1K_V1)``); everything
else is compared with what torchvision itself does.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import importlib
import textwrap
import warnings
from typing import Any, Dict, List, Optional, Sequence, Tuple
from unittest import mock

import pytest
from conftest import fix, lint

from tipcheck.data import torchvision_table
from tipcheck.diagnostics import Applicability, Diagnostic
from tipcheck.fixes import apply_fixes, select_fixes

CODE = "TIP201"


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def position(source: str, row: int, needle: str) -> Tuple[int, int]:
    """(row, 1-based column) of the first ``needle`` on line ``row``."""
    line = source.splitlines()[row - 1]
    assert needle in line, f"{needle!r} not on line {row}: {line!r}"
    return row, line.index(needle) + 1


def where(diags: Sequence[Diagnostic]) -> List[Tuple[str, int, int]]:
    return [(d.code, d.start.row, d.start.column) for d in diags]


def assert_fixes_to(source: str, expected: str, unsafe: bool = False) -> None:
    """``source`` fixes to ``expected``; fixing that again changes nothing, and no fixable finding
    is left in it."""
    fixed = fix(source, unsafe=unsafe)
    assert fixed == expected
    assert fix(fixed, unsafe=True) == fixed
    assert [d for d in lint(fixed) if d.fix is not None] == []
    compile(fixed, "t.py", "exec")


# ------------------------------------------------------------------------------------------
# Positives: every way of reaching a builder
# ------------------------------------------------------------------------------------------

# (id, source, [(row, needle)]) -- one finding per (row, needle), at the needle.
POSITIVES = [
    (
        "import-torchvision",
        "import torchvision\nm = torchvision.models.resnet18(pretrained=True)\n",
        [(2, "pretrained=True")],
    ),
    (
        "import-models-as",
        "import torchvision.models as models\nm = models.resnet18(pretrained=True)\n",
        [(2, "pretrained=True")],
    ),
    (
        "from-torchvision-import-models-as",
        "from torchvision import models as tvm\nm = tvm.resnet18(pretrained=False)\n",
        [(2, "pretrained=False")],
    ),
    (
        "from-models-import-builder-as",
        "from torchvision.models import resnet18 as r\nm = r(pretrained=True)\n",
        [(2, "pretrained=True")],
    ),
    (
        "defining-submodule-attribute",
        "import torchvision\nm = torchvision.models.resnet.resnet50(pretrained=True)\n",
        [(2, "pretrained=True")],
    ),
    (
        "defining-submodule-detection",
        "from torchvision.models.detection.faster_rcnn import fasterrcnn_resnet50_fpn\n"
        "m = fasterrcnn_resnet50_fpn(pretrained=True)\n",
        [(2, "pretrained=True")],
    ),
    (
        "import-defining-submodule-as",
        "import torchvision.models.detection.faster_rcnn as frcnn\n"
        "m = frcnn.fasterrcnn_resnet50_fpn(pretrained_backbone=True)\n",
        [(2, "pretrained_backbone=True")],
    ),
    (
        "get_model",
        'import torchvision\nm = torchvision.models.get_model("resnet50", pretrained=True)\n',
        [(2, "pretrained=True")],
    ),
    (
        "get_model-imported-name-keyword",
        'from torchvision.models import get_model\nm = get_model(name="resnet50", pretrained=True)\n',
        [(2, "pretrained=True")],
    ),
    (
        "positional",
        "from torchvision.models import resnet18\nm = resnet18(True)\n",
        [(2, "True")],
    ),
    (
        "weights-true",
        "from torchvision.models import resnet18\nm = resnet18(weights=True)\n",
        [(2, "weights=True")],
    ),
    (
        "quantized-quantize-true",
        "import torchvision\nm = torchvision.models.quantization.resnet50(pretrained=True, quantize=True)\n",
        [(2, "pretrained=True")],
    ),
    (
        "quantized-quantize-absent",
        "from torchvision.models.quantization import mobilenet_v2\nm = mobilenet_v2(pretrained=True)\n",
        [(2, "pretrained=True")],
    ),
    (
        "detection-both-flags",
        "import torchvision\n"
        "m = torchvision.models.detection.fasterrcnn_resnet50_fpn(pretrained=True, pretrained_backbone=False)\n",
        [(2, "pretrained=True"), (2, "pretrained_backbone=False")],
    ),
    (
        "keypointrcnn",
        "from torchvision.models.detection import keypointrcnn_resnet50_fpn\n"
        "m = keypointrcnn_resnet50_fpn(pretrained=False, pretrained_backbone=True, num_keypoints=17)\n",
        [(2, "pretrained=False"), (2, "pretrained_backbone=True")],
    ),
    (
        "segmentation",
        "import torchvision\nm = torchvision.models.segmentation.deeplabv3_resnet50(pretrained=True)\n",
        [(2, "pretrained=True")],
    ),
    (
        "video",
        "from torchvision.models import video\nm = video.r3d_18(pretrained=True)\n",
        [(2, "pretrained=True")],
    ),
    (
        "optical-flow",
        "from torchvision.models.optical_flow import raft_large\nm = raft_large(pretrained=True)\n",
        [(2, "pretrained=True")],
    ),
    (
        "resnet_fpn_backbone",
        "from torchvision.models.detection.backbone_utils import resnet_fpn_backbone\n"
        'b = resnet_fpn_backbone(backbone_name="resnet50", pretrained=True)\n',
        [(2, "pretrained=True")],
    ),
    (
        "mobilenet_backbone",
        "from torchvision.models.detection import backbone_utils\n"
        'b = backbone_utils.mobilenet_backbone(backbone_name="mobilenet_v3_large", fpn=True, pretrained=True)\n',
        [(2, "pretrained=True")],
    ),
    (
        "imported-inside-function",
        src(
            """
            def build():
                from torchvision.models import resnet50
                return resnet50(pretrained=True)
            """
        ),
        [(3, "pretrained=True")],
    ),
    (
        "multi-line-call",
        src(
            """
            import torchvision.models as models

            model = models.resnet50(
                num_classes=10,
                pretrained=False,
            )
            """
        ),
        [(5, "pretrained=False")],
    ),
    (
        "class-body-and-comprehension",
        src(
            """
            import torchvision.models as models

            class Net:
                backbone = models.resnet18(pretrained=True)

            ensemble = [models.resnet18(pretrained=True) for _ in range(3)]
            """
        ),
        [(4, "pretrained=True"), (6, "pretrained=True")],
    ),
    (
        # A wrapper of the module that hands its arguments on to the builder, as they are.
        "forwarding-wrapper",
        src(
            """
            import torchvision

            def _backbone(*args, **kwargs):
                kwargs["init_weights"] = False
                return torchvision.models.inception_v3(*args, **kwargs)

            net = _backbone(pretrained=True)
            plain = _backbone(num_classes=1008, aux_logits=False, pretrained=False)
            """
        ),
        [(7, "pretrained=True"), (8, "pretrained=False")],
    ),
]


@pytest.mark.parametrize("source,expected", [p[1:] for p in POSITIVES], ids=[p[0] for p in POSITIVES])
def test_reported(source, expected):
    diags = lint(source)
    assert where(diags) == [(CODE, *position(source, row, needle)) for row, needle in expected]
    for diag, (row, needle) in zip(diags, expected):
        assert diag.name == "deprecated-pretrained"
        # The finding spans the argument, keyword included.
        assert diag.end.row == row and diag.end.column == diag.start.column + len(needle)
        assert diag.fix is not None and diag.fix.applicability is Applicability.SAFE
    assert_fixes_to(source, fix(source))  # and the fix leaves nothing behind


def test_messages_name_the_parameter():
    source = src(
        """
        import torchvision
        a = torchvision.models.detection.fcos_resnet50_fpn(pretrained_backbone=True)
        b = torchvision.models.resnet18(True)
        """
    )
    first, second = lint(source)
    assert "`fcos_resnet50_fpn(pretrained_backbone=True)`" in first.message
    assert "deprecated `pretrained_backbone`" in first.message
    assert "positionally" in second.message and "`resnet18(True)`" in second.message


# ------------------------------------------------------------------------------------------
# Negatives
# ------------------------------------------------------------------------------------------

NEGATIVES = {
    "timm": """
        import torchvision
        import timm
        m = timm.create_model("resnet50", pretrained=True)
        """,
    "from_pretrained": """
        import torchvision
        from transformers import AutoModel
        m = AutoModel.from_pretrained("bert-base-uncased")
        n = torchvision.models.resnet50(weights=None).from_pretrained("x", pretrained=True)
        """,
    "own-function-named-like-a-builder": """
        import torchvision

        def resnet50(pretrained=False, num_classes=10):
            return MyResNet(num_classes)

        m = resnet50(pretrained=True)
        """,
    "own-class-named-like-a-builder": """
        import torchvision

        class resnet18:
            def __init__(self, pretrained=False):
                pass

        m = resnet18(pretrained=True)
        """,
    "hub-entry-point-definitions": """
        import torchvision
        dependencies = ["torch", "torchvision"]

        def resnet50(pretrained=True, **kwargs):
            \"\"\"torch.hub entry point.\"\"\"
            return MyNet(**kwargs)

        def vgg16(pretrained: bool = True, progress: bool = True):
            return MyVGG()
        """,
    "strings-and-comments": """
        import torchvision
        # model = torchvision.models.resnet50(pretrained=True)
        code = "torchvision.models.resnet50(pretrained=True)"
        \"\"\"
        torchvision.models.resnet18(pretrained=True)
        \"\"\"
        """,
    "shadowed-by-parameter": """
        import torchvision
        import torchvision.models as models

        def build(models, resnet18):
            return models.resnet50(pretrained=True), resnet18(pretrained=True)
        """,
    "shadowed-by-local-assignment": """
        import torchvision
        from torchvision.models import resnet50

        def build():
            resnet50 = make_my_resnet
            return resnet50(pretrained=True)
        """,
    "shadowed-by-module-assignment": """
        import torchvision
        from torchvision.models import resnet50
        resnet50 = my_resnet50
        m = resnet50(pretrained=True)
        """,
    "module-alias-rebound": """
        import torchvision
        import torchvision.models as models
        models = something()
        m = models.resnet50(pretrained=True)
        """,
    "new-api-default": """
        import torchvision
        from torchvision.models import ResNet50_Weights
        m = torchvision.models.resnet50(weights=ResNet50_Weights.DEFAULT)
        """,
    "new-api-strings-and-none": """
        import torchvision
        a = torchvision.models.resnet50(weights="IMAGENET1K_V2")
        b = torchvision.models.resnet50(weights=None, progress=False)
        c = torchvision.models.resnet50()
        d = torchvision.models.resnet50(weights)
        """,
    "lookup-in-other-libraries": """
        import torchvision
        import timm
        import pretrainedmodels
        a = timm.create_model(arch, pretrained=True)
        b = pretrainedmodels.__dict__[arch](num_classes=1000, pretrained="imagenet")
        c = getattr(pretrainedmodels, arch)(pretrained="imagenet")
        """,
    "lookup-in-a-project-dict": """
        import torchvision
        from nets import wide_resnet, pyramidnet

        ARCHS = {"wrn": wide_resnet, "pyramid": pyramidnet}
        MIXED = {"wrn": wide_resnet, "r18": torchvision.models.resnet18}
        a = ARCHS[args.arch](pretrained=True)
        b = MIXED[args.arch](pretrained=True)
        """,
    "lookup-that-may-give-something-else": """
        import torchvision
        import torchvision.models as models
        import models as my_models
        a = getattr(models, arch, None)(pretrained=True)
        b = my_models.__dict__[arch](pretrained=True)
        c = models.resnet.__dict__[arch](pretrained=True)
        d = models.__dict__["ResNet"](pretrained=True)
        ARCHS = {"r18": models.resnet18}
        ARCHS = load_more()
        e = ARCHS[name](pretrained=True)

        def pick(name):
            make = getattr(models, name)
            return make

        def build(make):
            return make(pretrained=True)
        """,
    "dynamic-get_model-name": """
        import torchvision
        m = torchvision.models.get_model(arch, pretrained=True)
        """,
    "builder-name-from-another-module": """
        import torchvision
        from mylib.models import resnet50
        from .models import resnet18
        a = resnet50(pretrained=True)
        b = resnet18(pretrained=True)
        """,
    "wrapper-reads-the-flag": """
        import torchvision
        def build(**kwargs):
            if kwargs.pop("pretrained", False):
                return torchvision.models.resnet18(weights="IMAGENET1K_V1", **kwargs)
            return torchvision.models.resnet18(**kwargs)
        model = build(pretrained=True)
        """,
    "wrapper-with-a-parameter-of-its-own": """
        import torchvision
        def build(depth, **kwargs):
            return torchvision.models.resnet50(**kwargs) if depth == 50 else torchvision.models.resnet18(**kwargs)
        model = build(18, pretrained=True)
        """,
    "wrapper-that-sets-what-the-weights-depend-on": """
        import torchvision
        def quantized(**kwargs):
            kwargs["quantize"] = True
            return torchvision.models.quantization.shufflenet_v2_x0_5(**kwargs)
        model = quantized(pretrained=True)
        """,
    "other-torchvision-callables": """
        import torchvision
        t = torchvision.transforms.Resize(pretrained=True)
        d = torchvision.datasets.CIFAR10("data", download=True)
        """,
}

# A call that must be reported: appended to each negative to show that the rule did run on it.
CANARY = "canary = torchvision.models.alexnet(pretrained=False)\n"


@pytest.mark.parametrize("source", [src(s) for s in NEGATIVES.values()], ids=list(NEGATIVES))
def test_not_reported(source):
    assert lint(source) == []
    assert fix(source, unsafe=True) == source
    with_canary = source + CANARY
    assert where(lint(with_canary)) == [(CODE, *position(with_canary, with_canary.count("\n"), "pretrained="))]


# ------------------------------------------------------------------------------------------
# Fix output, exact text
# ------------------------------------------------------------------------------------------

SEED_TIP2 = (
    "import torch\nimport torchvision.models as models\n\n# Load a pre-trained ResNet18 model\n"
    "model = models.resnet18(pretrained=True)\n\n# Replace the classifier with your own\n"
    "model.fc = torch.nn.Linear(512, 10)\n"
)


def test_seed_chapter_tip2():
    (diag,) = lint(SEED_TIP2)
    assert where([diag]) == [(CODE, *position(SEED_TIP2, 5, "pretrained=True"))]
    assert diag.fix.applicability is Applicability.SAFE
    # Documented fact: resnet18(pretrained=True) loads ResNet18_Weights.IMAGENET1K_V1.
    assert_fixes_to(
        SEED_TIP2,
        "import torch\nimport torchvision.models as models\nfrom torchvision.models import ResNet18_Weights\n\n"
        "# Load a pre-trained ResNet18 model\nmodel = models.resnet18(weights=ResNet18_Weights.IMAGENET1K_V1)\n\n"
        "# Replace the classifier with your own\nmodel.fc = torch.nn.Linear(512, 10)\n",
    )


def test_fix_true_import_goes_after_first_torchvision_import():
    source = src(
        '''
        """Train a classifier."""
        import os

        import torch
        import torchvision.transforms as T
        import torchvision.models as models

        model = models.resnet50(pretrained=True)
        '''
    )
    # Documented fact: resnet50(pretrained=True) loads IMAGENET1K_V1, although DEFAULT is V2.
    assert_fixes_to(
        source,
        src(
            '''
            """Train a classifier."""
            import os

            import torch
            import torchvision.transforms as T
            from torchvision.models import ResNet50_Weights
            import torchvision.models as models

            model = models.resnet50(weights=ResNet50_Weights.IMAGENET1K_V1)
            '''
        ),
    )


def test_fix_false_adds_no_import():
    source = "import torchvision\nm = torchvision.models.resnet50(pretrained=False, num_classes=3)\n"
    assert_fixes_to(source, "import torchvision\nm = torchvision.models.resnet50(weights=None, num_classes=3)\n")


def test_fix_positional():
    source = "from torchvision.models import resnet18\nm = resnet18(True, False)\nn = resnet18(False)\n"
    assert_fixes_to(
        source,
        "from torchvision.models import resnet18\nfrom torchvision.models import ResNet18_Weights\n"
        "m = resnet18(weights=ResNet18_Weights.IMAGENET1K_V1, progress=False)\nn = resnet18(weights=None)\n",
    )


def test_fix_positional_flags_of_one_call_do_not_conflict():
    # Both flags passed positionally: each finding's fix names every positional argument. The fixes
    # of one pass, chosen as the engine chooses them, must still give valid code.
    source = "import torchvision\nm = torchvision.models.detection.fasterrcnn_resnet50_fpn(False, True, 91, True)\n"
    diags = lint(source)
    assert where(diags) == [(CODE, *position(source, 2, "False")), (CODE, *position(source, 2, "True)"))]
    one_pass = apply_fixes(source, select_fixes([d.fix for d in diags]))
    compile(one_pass, "t.py", "exec")
    fixed = fix(source)
    assert "fasterrcnn_resnet50_fpn(weights=None, progress=True, num_classes=91, weights_backbone=" in fixed
    assert_fixes_to(source, fixed)


def test_fix_pretrained_none():
    source = "from torchvision.models import resnet18\nm = resnet18(pretrained=None)\n"
    (diag,) = lint(source)
    assert diag.fix.applicability is Applicability.SAFE
    assert_fixes_to(source, "from torchvision.models import resnet18\nm = resnet18(weights=None)\n")


def test_fix_weights_true():
    source = "from torchvision.models import resnet18\nm = resnet18(weights=True)\n"
    assert_fixes_to(
        source,
        "from torchvision.models import resnet18\nfrom torchvision.models import ResNet18_Weights\n"
        "m = resnet18(weights=ResNet18_Weights.IMAGENET1K_V1)\n",
    )


def test_fix_keeps_layout_comments_and_crlf():
    source = (
        "import torchvision.models as models\r\n"
        "model = models.resnet50(\r\n"
        "    pretrained=True,  # ImageNet\r\n"
        "    progress=False,\r\n"
        ")\r\n"
    )
    assert_fixes_to(
        source,
        "import torchvision.models as models\r\n"
        "from torchvision.models import ResNet50_Weights\r\n"
        "model = models.resnet50(\r\n"
        "    weights=ResNet50_Weights.IMAGENET1K_V1,  # ImageNet\r\n"
        "    progress=False,\r\n"
        ")\r\n",
    )


def test_fix_import_inside_function_and_try():
    source = src(
        """
        def build():
            try:
                from torchvision.models import resnet50
            except ImportError:
                return None
            return resnet50(pretrained=True)
        """
    )
    assert_fixes_to(
        source,
        src(
            """
            def build():
                try:
                    from torchvision.models import resnet50
                    from torchvision.models import ResNet50_Weights
                except ImportError:
                    return None
                return resnet50(weights=ResNet50_Weights.IMAGENET1K_V1)
            """
        ),
    )


def test_fix_import_and_call_on_one_line():
    # The new import must run before the call that uses it, on the same line.
    source = "import torchvision.models as models; model = models.resnet50(pretrained=True)\n"
    expected = (
        "import torchvision.models as models; from torchvision.models import ResNet50_Weights; "
        "model = models.resnet50(weights=ResNet50_Weights.IMAGENET1K_V1)\n"
    )
    assert_fixes_to(source, expected)


def test_fix_get_model():
    source = 'import torchvision\nm = torchvision.models.get_model("resnet50", pretrained=True)\n'
    assert_fixes_to(
        source,
        "import torchvision\nfrom torchvision.models import ResNet50_Weights\n"
        'm = torchvision.models.get_model("resnet50", weights=ResNet50_Weights.IMAGENET1K_V1)\n',
    )


# -- safe / unsafe ---------------------------------------------------------------------------


def test_literal_is_safe_non_literal_is_unsafe():
    source = src(
        """
        import torchvision.models as models
        a = models.resnet50(pretrained=True)
        b = models.resnet50(pretrained=args.pretrained)
        """
    )
    first, second = lint(source)
    assert first.fix.applicability is Applicability.SAFE
    assert second.fix is not None and second.fix.applicability is Applicability.UNSAFE
    assert (second.start.row, second.start.column) == position(source, 3, "pretrained=args")
    safe_only = src(
        """
        import torchvision.models as models
        from torchvision.models import ResNet50_Weights
        a = models.resnet50(weights=ResNet50_Weights.IMAGENET1K_V1)
        b = models.resnet50(pretrained=args.pretrained)
        """
    )
    assert fix(source, unsafe=False) == safe_only
    assert fix(safe_only, unsafe=False) == safe_only  # the unsafe one stays, reported
    assert where(lint(safe_only)) == [(CODE, *position(safe_only, 4, "pretrained="))]
    assert_fixes_to(
        source,
        src(
            """
            import torchvision.models as models
            from torchvision.models import ResNet50_Weights
            a = models.resnet50(weights=ResNet50_Weights.IMAGENET1K_V1)
            b = models.resnet50(weights=(ResNet50_Weights.IMAGENET1K_V1 if args.pretrained else None))
            """
        ),
        unsafe=True,
    )


def test_non_literal_conditional_keeps_complex_conditions_grouped():
    source = "import torchvision.models as models\nm = models.resnet18(pretrained=a if b else c)\n"
    assert_fixes_to(
        source,
        "import torchvision.models as models\nfrom torchvision.models import ResNet18_Weights\n"
        "m = models.resnet18(weights=(ResNet18_Weights.IMAGENET1K_V1 if (a if b else c) else None))\n",
        unsafe=True,
    )


def test_non_literal_positional_is_not_a_flag():
    # `resnet18(w)` may well pass a weights enum: nothing to report.
    assert lint("from torchvision.models import resnet18\nm = resnet18(w)\n") == []


# -- reported without a fix --------------------------------------------------------------------


def assert_reported_without_fix(source: str, row: int, needle: str, *message_parts: str) -> Diagnostic:
    (diag,) = lint(source)
    assert where([diag]) == [(CODE, *position(source, row, needle))]
    assert diag.fix is None
    for part in message_parts:
        assert part in diag.message
    assert fix(source, unsafe=True) == source
    return diag


def test_quantize_non_literal_has_no_fix():
    source = "import torchvision\nm = torchvision.models.quantization.resnet50(pretrained=True, quantize=args.q)\n"
    assert_reported_without_fix(source, 2, "pretrained=True", "`quantize`", "not a literal")


def test_quantize_non_literal_with_pretrained_false_is_fixed():
    # pretrained=False never reads `quantize`: weights=None whatever it is.
    source = "import torchvision\nm = torchvision.models.quantization.resnet50(pretrained=False, quantize=args.q)\n"
    assert_fixes_to(
        source, "import torchvision\nm = torchvision.models.quantization.resnet50(weights=None, quantize=args.q)\n"
    )


@pytest.mark.parametrize("builder", ["vit_h_14", "regnet_y_128gf"])
def test_no_legacy_weights(builder):
    source = f"import torchvision\nm = torchvision.models.{builder}(pretrained=True)\n"
    assert_reported_without_fix(source, 2, "pretrained=True", "torchvision raises")
    source = f"import torchvision\nm = torchvision.models.{builder}(pretrained=False)\n"
    assert_fixes_to(source, f"import torchvision\nm = torchvision.models.{builder}(weights=None)\n")


def test_both_pretrained_and_weights_has_no_fix():
    source = "from torchvision.models import resnet50\nm = resnet50(pretrained=True, weights=None)\n"
    assert_reported_without_fix(source, 2, "pretrained=True", "`pretrained` and `weights`")


@pytest.mark.parametrize("splat", ["**kwargs", "*args"])
def test_star_arguments_have_no_fix(splat):
    source = f"from torchvision.models import resnet50\nm = resnet50({splat}, pretrained=True)\n"
    assert_reported_without_fix(source, 2, "pretrained=True", "no fix")


def test_star_import_has_no_fix():
    # There is no import to put the enum's import beside.
    source = "from torchvision.models import *\nm = resnet18(pretrained=True)\n"
    assert_reported_without_fix(source, 2, "pretrained=True")


# -- the enum's import ------------------------------------------------------------------------


def test_existing_import_of_the_enum_is_reused():
    source = src(
        """
        import torchvision
        from torchvision.models import ResNet50_Weights
        m = torchvision.models.resnet50(pretrained=True)
        """
    )
    assert_fixes_to(
        source,
        src(
            """
            import torchvision
            from torchvision.models import ResNet50_Weights
            m = torchvision.models.resnet50(weights=ResNet50_Weights.IMAGENET1K_V1)
            """
        ),
    )


def test_two_findings_one_import():
    source = src(
        """
        import torchvision
        from torchvision.models import resnet50

        student = resnet50(pretrained=True)
        teacher = torchvision.models.resnet50(pretrained=True)
        """
    )
    fixed = fix(source)
    assert fixed.count("import ResNet50_Weights") == 1
    assert_fixes_to(
        source,
        src(
            """
            import torchvision
            from torchvision.models import ResNet50_Weights
            from torchvision.models import resnet50

            student = resnet50(weights=ResNet50_Weights.IMAGENET1K_V1)
            teacher = torchvision.models.resnet50(weights=ResNet50_Weights.IMAGENET1K_V1)
            """
        ),
    )


LOCAL_ENUM_THROUGH_MODULE = src(
    """
    import torchvision.models as models

    class ResNet50_Weights:
        mine = True

    model = models.resnet50(pretrained=True)
    """
)
LOCAL_ENUM_ALIASED = src(
    """
    from torchvision.models import resnet50

    def ResNet50_Weights():
        return "mine"

    model = resnet50(pretrained=True)
    """
)


def test_local_name_collision_through_imported_module():
    assert_fixes_to(
        LOCAL_ENUM_THROUGH_MODULE,
        LOCAL_ENUM_THROUGH_MODULE.replace("pretrained=True", "weights=models.ResNet50_Weights.IMAGENET1K_V1"),
    )


def test_local_name_collision_aliased_import():
    assert_fixes_to(
        LOCAL_ENUM_ALIASED,
        src(
            """
            from torchvision.models import resnet50
            from torchvision.models import ResNet50_Weights as tv_ResNet50_Weights

            def ResNet50_Weights():
                return "mine"

            model = resnet50(weights=tv_ResNet50_Weights.IMAGENET1K_V1)
            """
        ),
    )


@pytest.mark.parametrize(
    "source,expected",
    [
        pytest.param(
            "import torchvision as tv\nm = tv.models.resnet50(pretrained=True)\n",
            "import torchvision as tv\nfrom torchvision.models import ResNet50_Weights\n"
            "m = tv.models.resnet50(weights=ResNet50_Weights.IMAGENET1K_V1)\n",
            id="import-torchvision-as",
        ),
        pytest.param(
            "import torchvision.models as models\ndef f(ResNet50_Weights):\n    return models.resnet50(pretrained=True)\n",
            "import torchvision.models as models\ndef f(ResNet50_Weights):\n"
            "    return models.resnet50(weights=models.ResNet50_Weights.IMAGENET1K_V1)\n",
            id="enum-name-is-a-parameter",
        ),
        pytest.param(
            "from torchvision.models.detection import *\nimport torchvision\nm = fasterrcnn_resnet50_fpn(pretrained=False)\n",
            "from torchvision.models.detection import *\nimport torchvision\nm = fasterrcnn_resnet50_fpn(weights=None)\n",
            id="star-import-false",
        ),
    ],
)
def test_enum_reached_through_existing_names(source, expected):
    assert_fixes_to(source, expected)


def test_quantize_none_is_false_as_torchvision_tests_it():
    source = "from torchvision.models import quantization\nm = quantization.resnet50(pretrained=True, quantize=None)\n"
    fixed = fix(source)
    assert "weights=ResNet50_Weights.IMAGENET1K_V1" in fixed
    assert "from torchvision.models import ResNet50_Weights" in fixed


def test_backbone_name_non_literal_has_no_fix():
    source = (
        "from torchvision.models.detection.backbone_utils import resnet_fpn_backbone\n"
        "b = resnet_fpn_backbone(backbone_name=args.backbone, pretrained=True)\n"
    )
    assert_reported_without_fix(source, 2, "pretrained=True", "`backbone_name`", "not a literal")


def test_enum_imported_only_after_the_call():
    pytest.importorskip("torchvision")
    source = src(
        """
        import torchvision
        model = torchvision.models.resnet50(pretrained=True)
        from torchvision.models import ResNet50_Weights
        """
    )
    fixed = fix(source)
    namespace: Dict[str, Any] = {}
    with mock.patch("torchvision.models.resnet50") as builder:
        exec(compile(fixed, "t.py", "exec"), namespace)  # no NameError: the later import is not relied on
    builder.assert_called_once()
    assert "torchvision.models.ResNet50_Weights.IMAGENET1K_V1" in fixed


# ==========================================================================================
# Execution: the fixed code loads exactly what the deprecated code loads
# ==========================================================================================


class _WeightsLoaded(BaseException):
    """Raised by the patched ``get_state_dict``; a BaseException so no builder swallows it."""


@dataclasses.dataclass
class Run:
    mode: str
    loads: List[Any] = dataclasses.field(default_factory=list)  # members get_state_dict was called on
    error: Optional[BaseException] = None
    warnings: List[str] = dataclasses.field(default_factory=list)
    namespace: Dict[str, Any] = dataclasses.field(default_factory=dict)


# Build modes, cheapest first. "meta": everything on the meta device. "meta-params": only
# ``torch.empty`` (what layers allocate parameters with) on meta, for builders that compute their
# architecture with tensors (RegNet's ``.tolist()``). "cpu": for builders that still fail on meta.
# Random init is skipped on meta: values don't matter, weight loading is patched out. So is the
# calibration of quantize=True (``quantize_model``, a forward pass on CPU that took most of this
# file's time): it runs after torchvision has picked the weights, and cannot change which.
MODES = ("meta", "meta-params", "cpu")


@functools.lru_cache(maxsize=None)
def _torch():
    torch = pytest.importorskip("torch")
    pytest.importorskip("torchvision")
    from torchvision.models._api import WeightsEnum

    return torch, WeightsEnum


def _return_first(tensor, *_args, **_kwargs):
    return tensor


@functools.lru_cache(maxsize=None)
def _quantization_modules():
    """The torchvision.models.quantization modules that call ``quantize_model`` (imported by name)."""
    import pkgutil

    import torchvision.models.quantization as quantization

    names = [f"{quantization.__name__}.{info.name}" for info in pkgutil.iter_modules(quantization.__path__)]
    return tuple(m for m in map(importlib.import_module, names) if hasattr(m, "quantize_model"))


@contextlib.contextmanager
def _build_mode(mode: str):
    torch, _ = _torch()
    if mode == "cpu":
        with torch.device("cpu"):
            yield
        return

    class ParamsOnMeta(torch.overrides.TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            kwargs = dict(kwargs or {})
            if func is torch.empty and kwargs.get("device") is None:
                kwargs["device"] = "meta"
            return func(*args, **kwargs)

    with contextlib.ExitStack() as stack:
        for name in ("normal_", "uniform_", "trunc_normal_", "kaiming_normal_", "kaiming_uniform_"):
            stack.enter_context(mock.patch.object(torch.nn.init, name, _return_first))
        for name in ("normal_", "uniform_"):
            stack.enter_context(mock.patch.object(torch.Tensor, name, _return_first))
        for module in _quantization_modules():
            stack.enter_context(mock.patch.object(module, "quantize_model", _return_first))
        stack.enter_context(torch.device("meta") if mode == "meta" else ParamsOnMeta())
        yield


def execute(code: str, first_mode: str = MODES[0]) -> Run:
    """Run ``code`` as a script with weight loading patched out, in the cheapest mode that gets past
    building the model (an exception other than the load moves on to the next mode)."""
    torch, WeightsEnum = _torch()
    compiled = compile(code, "t.py", "exec")
    # One thread: the CPU builds (quantize=True calibration) slow down many times over with more
    # threads than free cores, as when other tests run beside these.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return _execute(compiled, first_mode, WeightsEnum)
    finally:
        torch.set_num_threads(threads)


def _execute(compiled, first_mode: str, WeightsEnum) -> Run:
    for mode in MODES[MODES.index(first_mode) :]:
        run = Run(mode)

        def fake_get_state_dict(self, *_args, **_kwargs):
            run.loads.append(self)  # noqa: B023 (called within this iteration)
            raise _WeightsLoaded

        with (
            mock.patch.object(WeightsEnum, "get_state_dict", fake_get_state_dict),
            warnings.catch_warnings(record=True) as caught,
            _build_mode(mode),
        ):
            warnings.simplefilter("always")
            try:
                exec(compiled, run.namespace)
            except _WeightsLoaded:
                pass
            except Exception as exc:  # noqa: BLE001
                run.error = exc
        run.warnings = [str(w.message) for w in caught]
        if run.error is None:
            return run
    return run


# torch warns about its own deprecations when the quantize=True builders run torch.ao.quantization.
UNRELATED = (
    "torch.ao.quantization is deprecated",
    "torch.quantize_per_tensor, torch.quantize_per_channel and other quantized tensor",  # warned once
)


def interface_warnings(run: Run) -> List[str]:
    return [
        m
        for m in run.warnings
        if not m.startswith(UNRELATED) and ("pretrained" in m.lower() or "deprecated" in m.lower())
    ]


def assert_same_behaviour(legacy_code: str, unsafe: bool = False, expect_load: bool = True) -> str:
    """Fix ``legacy_code``, run both, and compare what they load; returns the fixed code."""
    fixed = fix(legacy_code, unsafe=unsafe)
    assert fixed != legacy_code
    assert lint(fixed) == []
    assert fix(fixed, unsafe=True) == fixed
    old = execute(legacy_code)
    assert old.error is None, f"the legacy script raised {old.error!r}:\n{legacy_code}"
    assert any("deprecated" in m for m in old.warnings), old.warnings  # it did take the legacy path
    new = execute(fixed, first_mode=old.mode)
    assert new.error is None, f"the fixed script raised {new.error!r}:\n{fixed}"
    if expect_load:
        assert len(old.loads) == 1, f"the legacy script loaded {old.loads}:\n{legacy_code}"
    else:
        assert old.loads == []
    assert len(new.loads) == len(old.loads) and all(a is b for a, b in zip(new.loads, old.loads)), (
        f"legacy loads {old.loads}, fixed loads {new.loads}:\n{fixed}"
    )
    assert interface_warnings(new) == [], f"{interface_warnings(new)}:\n{fixed}"
    return fixed


# -- one script per builder and legacy case ----------------------------------------------------

FORMS = (
    "import torchvision",
    "from defining module import builder as b",
    "import module as m",
    "from parent import module as tvm",
    "get_model",
)


def script_for(builder, form: str, kwargs: Dict[str, Any]) -> str:
    """A two-line script calling ``builder`` with ``kwargs``, reaching it in the given form."""
    short, defining = builder.paths[0], builder.paths[-1]
    module = short.rsplit(".", 1)[0]
    args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    if form == "get_model" and builder.registry_name is None:
        form = FORMS[0]
    if form == "import torchvision":
        import_line, call = "import torchvision", f"{short}({args})"
    elif form == "from defining module import builder as b":
        # (not `import torchvision.models.googlenet as m`: that binds the function, which shadows
        # its own module as an attribute of the package)
        import_line, call = f"from {defining.rsplit('.', 1)[0]} import {builder.name} as b", f"b({args})"
    elif form == "import module as m":
        import_line, call = f"import {module} as m", f"m.{builder.name}({args})"
    elif form == "from parent import module as tvm":
        parent, last = module.rsplit(".", 1)
        import_line, call = f"from {parent} import {last} as tvm", f"tvm.{builder.name}({args})"
    else:
        import_line, call = "from torchvision.models import get_model", f"get_model({builder.registry_name!r}, {args})"
    return f"{import_line}\nmodel = {call}\n"


def _builder_cases():
    """One case per builder, legacy parameter and legacy case; the import forms take turns."""
    cases = []
    for builder in torchvision_table().builders:
        for legacy in builder.legacy:
            for case in legacy.cases:
                kwargs = dict(case.when)
                if "fpn" in builder.params:
                    kwargs["fpn"] = True  # mobilenet_backbone: required
                for other in builder.legacy:
                    if other is not legacy:
                        kwargs[other.pretrained_param] = False
                kwargs[legacy.pretrained_param] = True
                form = FORMS[len(cases) % len(FORMS)]
                label = f"{builder.paths[0]}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"
                cases.append(pytest.param(script_for(builder, form, kwargs), id=label))
    return cases


BUILDER_CASES = _builder_cases()


def test_builder_cases_cover_the_table():
    table = torchvision_table()
    with_cases = [b for b in table.builders if any(legacy.cases for legacy in b.legacy)]
    assert len(with_cases) >= 121  # every registered builder but vit_h_14 / regnet_y_128gf, plus 2 helpers
    assert len(BUILDER_CASES) == sum(len(legacy.cases) for b in table.builders for legacy in b.legacy)
    scripts = "".join(p.values[0] for p in BUILDER_CASES)
    for form_marker in ("import torchvision\n", " as m\n", " as b\n", " as tvm\n", "import get_model\n"):
        assert form_marker in scripts
    for subpackage in ("detection", "segmentation", "video", "optical_flow", "quantization"):
        assert f"torchvision.models.{subpackage}" in scripts or f"models import {subpackage} as tvm" in scripts


@pytest.mark.parametrize("code", BUILDER_CASES)
def test_fixed_call_loads_the_same_weights(code):
    fixed = assert_same_behaviour(code)
    assert "pretrained" not in fixed


# -- exact fix text, the member read from torchvision ---------------------------------------------

TEXT_CASES = [
    # (call, the flag that is True, the public module the fix imports the enum from)
    (
        "torchvision.models.quantization.resnet50(pretrained=True, quantize=True)",
        "pretrained",
        "torchvision.models.quantization",
    ),
    ("torchvision.models.quantization.resnet50(quantize=False, pretrained=True)", "pretrained", "torchvision.models"),
    (
        "torchvision.models.detection.fasterrcnn_resnet50_fpn(pretrained=False, pretrained_backbone=True)",
        "pretrained_backbone",
        "torchvision.models",
    ),
    (
        "torchvision.models.detection.keypointrcnn_resnet50_fpn(pretrained=True, pretrained_backbone=False)",
        "pretrained",
        "torchvision.models.detection",
    ),
    (
        "torchvision.models.detection.backbone_utils.mobilenet_backbone("
        'backbone_name="mobilenet_v3_small", fpn=True, pretrained=True)',
        "pretrained",
        "torchvision.models",
    ),
    ("torchvision.models.video.mvit_v2_s(pretrained=True)", "pretrained", "torchvision.models.video"),
]


@pytest.mark.parametrize("call,flag,module", TEXT_CASES, ids=[c[0].split("(")[0] for c in TEXT_CASES])
def test_fix_text_names_what_torchvision_loads(call, flag, module):
    source = f"import torchvision\nmodel = {call}\n"
    run = execute(source)
    assert run.error is None
    (member,) = run.loads
    enum = type(member)
    assert getattr(importlib.import_module(module), enum.__name__) is enum
    weights = {"pretrained": "weights", "pretrained_backbone": "weights_backbone"}
    expected_call = call.replace(f"{flag}=True", f"{weights[flag]}={enum.__name__}.{member.name}")
    for old, new in weights.items():
        expected_call = expected_call.replace(f"{old}=False", f"{new}=None")
    assert_fixes_to(source, f"import torchvision\nfrom {module} import {enum.__name__}\nmodel = {expected_call}\n")


def test_no_legacy_weights_for_these_arguments_matches_torchvision():
    # A literal backbone_name that the helper has no legacy weights for: torchvision raises, so
    # there is nothing to keep, and the fix must not guess one.
    source = (
        "from torchvision.models.detection.backbone_utils import mobilenet_backbone\n"
        'b = mobilenet_backbone(backbone_name="resnet50", fpn=True, pretrained=True)\n'
    )
    assert_reported_without_fix(source, 2, "pretrained=True", "torchvision raises")
    run = execute(source)
    assert run.error is not None and run.loads == []


# -- hand-written scripts ------------------------------------------------------------------------

EXECUTED = {
    "positional": """
        import torchvision.models as models
        model = models.resnet18(True)
        """,
    "positional-detection-both-flags": """
        import torchvision
        model = torchvision.models.detection.fasterrcnn_resnet50_fpn(False, True, 91, True)
        """,
    "positional-backbone-helper": """
        from torchvision.models.detection.backbone_utils import resnet_fpn_backbone
        backbone = resnet_fpn_backbone("resnet34", True)
        """,
    "weights-true": """
        from torchvision.models import efficientnet_b0
        model = efficientnet_b0(weights=True)
        """,
    "get_model-quantized": """
        import torchvision
        model = torchvision.models.get_model("quantized_shufflenet_v2_x0_5", pretrained=True, quantize=True)
        """,
    "get_model-detection-backbone": """
        from torchvision.models import get_model
        model = get_model("retinanet_resnet50_fpn", pretrained=False, pretrained_backbone=True)
        """,
    "import-and-call-on-one-line": """
        import torchvision.models as models; model = models.resnet50(pretrained=True)
        """,
    "local-enum-through-module": LOCAL_ENUM_THROUGH_MODULE,
    "local-enum-aliased": LOCAL_ENUM_ALIASED,
    "seed-tip2": SEED_TIP2,
    "forwarding-wrapper": """
        import torchvision
        def _inception(*args, **kwargs):
            kwargs["init_weights"] = False
            return torchvision.models.inception_v3(*args, **kwargs)
        model = _inception(pretrained=True)
        """,
    "imported-inside-function": """
        def build():
            from torchvision.models import resnet50
            return resnet50(pretrained=True)
        model = build()
        """,
}


@pytest.mark.parametrize("code", [src(c) for c in EXECUTED.values()], ids=list(EXECUTED))
def test_executed_script(code):
    assert_same_behaviour(code)


@pytest.mark.parametrize("code", [LOCAL_ENUM_THROUGH_MODULE, LOCAL_ENUM_ALIASED], ids=["module", "aliased"])
def test_local_enum_untouched_at_run_time(code):
    fixed = fix(code)
    run = execute(fixed)
    assert run.error is None
    from torchvision.models import ResNet50_Weights

    assert run.loads == [ResNet50_Weights.IMAGENET1K_V1]  # documented fact
    local = run.namespace["ResNet50_Weights"]
    assert local is not ResNet50_Weights
    assert getattr(local, "mine", None) is True or local() == "mine"


# pretrained=False: the fix is weights=None, and what loads (nothing, or the detection builders'
# default ImageNet backbone) stays the same.
FALSE_CASES = {
    "resnet50": ("import torchvision\nmodel = torchvision.models.resnet50(pretrained=False)\n", False),
    "vit_h_14": ("import torchvision\nmodel = torchvision.models.vit_h_14(pretrained=False)\n", False),
    "fasterrcnn-default-backbone": (
        "import torchvision\nmodel = torchvision.models.detection.fasterrcnn_resnet50_fpn(pretrained=False)\n",
        True,
    ),
    "keypointrcnn-no-backbone": (
        "import torchvision\nmodel = torchvision.models.detection.keypointrcnn_resnet50_fpn("
        "pretrained=False, pretrained_backbone=False)\n",
        False,
    ),
}


@pytest.mark.parametrize("code,loads", list(FALSE_CASES.values()), ids=list(FALSE_CASES))
def test_executed_pretrained_false(code, loads):
    assert "weights=None" in assert_same_behaviour(code, expect_load=loads)


# Non-literal flags: the unsafe conditional fix behaves like the legacy handler for either value.
NON_LITERAL = {
    "resnet50": "model = torchvision.models.resnet50(pretrained=flag)\n",
    "get_model": 'model = torchvision.models.get_model("convnext_tiny", pretrained=flag)\n',
    "quantized": "model = torchvision.models.quantization.shufflenet_v2_x0_5(pretrained=flag, quantize=True)\n",
    "detection": "model = torchvision.models.detection.ssd300_vgg16(pretrained=flag, pretrained_backbone=flag)\n",
    "backbone-helper": "model = torchvision.models.detection.backbone_utils.resnet_fpn_backbone("
    'backbone_name="resnet18", pretrained=flag)\n',
}


@pytest.mark.parametrize("value", [True, False])
@pytest.mark.parametrize("line", list(NON_LITERAL.values()), ids=list(NON_LITERAL))
def test_executed_non_literal_flag(line, value):
    code = f"import torchvision\nflag = {value}\n{line}"
    assert fix(code, unsafe=False) == code
    fixed = assert_same_behaviour(code, unsafe=True, expect_load=value)
    assert " if flag else None)" in fixed


def test_executed_legacy_member_is_not_default():
    # The point of the rule's exactness: for resnet50 the legacy weights are not DEFAULT.
    fixed = assert_same_behaviour("import torchvision.models as models\nmodel = models.resnet50(pretrained=True)\n")
    run = execute(fixed)
    (member,) = run.loads
    assert member is not type(member).DEFAULT
    assert f"{type(member).__name__}.{member.name}" in fixed


# ==========================================================================================
# Builders picked at run time: `models.__dict__[arch]`, `getattr(models, name)`, a dict of builders
# ==========================================================================================

LOOKUP = src(
    """
    import torchvision
    import torchvision.models as models

    BACKBONES = {"r18": models.resnet18, "r50": torchvision.models.resnet50}


    def build(arch, name, key, flag):
        a = models.__dict__[arch](pretrained=True)
        b = getattr(torchvision.models, name)(pretrained=False)
        c = BACKBONES[key](pretrained=True)
        make = BACKBONES.get(key)
        d = make(pretrained=True)
        e = torchvision.models.video.__dict__[arch](pretrained=True, progress=False)
        f = models.__dict__[arch](pretrained=flag)
        return a, b, c, d, e, f
    """
)


def test_lookups_are_reported_and_fixed_with_the_member_name():
    diags = lint(LOOKUP)
    assert where(diags) == [(CODE, *position(LOOKUP, row, "pretrained=")) for row in (8, 9, 10, 12, 13, 14)]
    assert "one of 80 builders" in diags[0].message and "picked at run time" in diags[0].message
    assert [d.fix.applicability for d in diags] == [Applicability.SAFE] * 5 + [Applicability.UNSAFE]
    fixed = fix(LOOKUP, unsafe=True)
    assert 'models.__dict__[arch](weights="IMAGENET1K_V1")' in fixed
    assert "getattr(torchvision.models, name)(weights=None)" in fixed
    assert 'BACKBONES[key](weights="IMAGENET1K_V1")' in fixed
    assert 'make(weights="IMAGENET1K_V1")' in fixed
    assert 'torchvision.models.video.__dict__[arch](weights="KINETICS400_V1", progress=False)' in fixed
    assert 'models.__dict__[arch](weights=("IMAGENET1K_V1" if flag else None))' in fixed
    assert_fixes_to(LOOKUP, fix(LOOKUP, unsafe=True), unsafe=True)


def test_lookup_whose_builders_load_different_members_is_unsafe_and_says_what_it_picks():
    source = src(
        """
        import torchvision.models as models
        q = models.quantization.__dict__[arch](pretrained=True, quantize=True)
        d = models.detection.__dict__[arch](pretrained_backbone=True)
        """
    )
    first, second = lint(source)
    for diag, picked, other in (
        (first, "IMAGENET1K_FBGEMM_V1", "mobilenet_v2"),
        (second, "IMAGENET1K_V1", "ssd300_vgg16"),
    ):
        assert diag.fix is not None and diag.fix.applicability is Applicability.UNSAFE
        assert f"picks `{picked}`" in diag.fix.message and f"`{other}`" in diag.fix.message
    assert fix(source) == source


def test_lookup_without_a_fix():
    source = src(
        """
        import torchvision.models as models
        a = models.quantization.__dict__[arch](pretrained=True, quantize=args.quantize)
        b = models.__dict__[arch](True, pretrained=True)
        c = models.__dict__[arch](pretrained=True, **extra)
        d = models.__dict__[arch](pretrained=True, weights=None)
        """
    )
    diags = lint(source)
    assert [d.start.row for d in diags] == [2, 3, 4, 5]
    assert all(d.fix is None for d in diags)
    assert "`quantize`" in diags[0].message and "positional" in diags[1].message


def _lookup_cases():
    """One script per builder a torchvision package holds and legacy case: the builder is looked
    up by a name the linter cannot read, so the fix is the member name that every builder there
    shares; it must load what the deprecated call loads, builder by builder."""
    table = torchvision_table()
    cases = []
    packages = sorted({path.rsplit(".", 1)[0] for b in table.builders for path in b.paths})
    for package in packages:
        for builder in table.in_namespace(package):
            for legacy in builder.legacy:
                for case in legacy.cases:
                    kwargs = dict(case.when)
                    for other in builder.legacy:
                        if other is not legacy:
                            kwargs[other.pretrained_param] = False
                    kwargs[legacy.pretrained_param] = True
                    args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
                    form = len(cases) % 2
                    lookup = f"getattr({package}, arch)" if form else f"{package}.__dict__[arch]"
                    code = f"import sys\nimport torchvision\narch = sys.intern({builder.name!r})\nmodel = {lookup}({args})\n"
                    cases.append(pytest.param(code, case, id=f"{package}[{builder.name}]({args})"))
    return cases


LOOKUP_CASES = _lookup_cases()


def test_lookup_cases_cover_the_packages():
    scripts = "".join(p.values[0] for p in LOOKUP_CASES)
    for package in ("models", "detection", "segmentation", "video", "optical_flow", "quantization"):
        assert f"torchvision.{package}.__dict__[arch]" in scripts or f"torchvision.models.{package}" in scripts
    assert len(LOOKUP_CASES) >= 120


@pytest.mark.parametrize("code,case", LOOKUP_CASES)
def test_executed_lookup_loads_the_same_weights(code, case):
    (diag,) = [d for d in lint(code) if "=True" in d.message or d.fix is None or "None" not in d.fix.message]
    assert diag.fix is not None
    builder = code.split("intern(", 1)[1].split(")", 1)[0].strip("'")
    if not diag.fix.is_safe and f"`{builder}`" in diag.fix.message:
        return  # the builders there load different members; the unsafe fix names this one as wrong
    fixed = assert_same_behaviour(code, unsafe=not diag.fix.is_safe)
    assert 'weights="' in fixed or 'weights_backbone="' in fixed
    assert f'"{case.member}"' in fixed  # the table's member, which the builder cases check directly


# ==========================================================================================
# A flag passed positionally that is not a literal; version checks; a dict of builders in a class
# ==========================================================================================


POSITIONAL_FLAG = src(
    """
    import torchvision
    from torchvision import models


    class Encoder:
        def __init__(self, arch, use_imagenet=True):
            self.a = models.alexnet(use_imagenet)
            self.b = getattr(models, arch)(use_imagenet)
            self.c = getattr(torchvision.models, arch)(False)


    def backbone(cfg):
        return models.vgg11(not cfg.resume)
    """
)


def test_positional_flag_that_is_not_a_literal():
    diags = lint(POSITIONAL_FLAG)
    assert where(diags) == [
        (CODE, *position(POSITIONAL_FLAG, 7, "use_imagenet)")),
        (CODE, *position(POSITIONAL_FLAG, 8, "use_imagenet)")),
        (CODE, *position(POSITIONAL_FLAG, 9, "False")),
        (CODE, *position(POSITIONAL_FLAG, 13, "not cfg")),
    ]
    assert [d.fix.applicability for d in diags] == [Applicability.UNSAFE] * 2 + [
        Applicability.SAFE,
        Applicability.UNSAFE,
    ]
    assert all("positional" in d.message for d in diags)
    fixed = fix(POSITIONAL_FLAG, unsafe=True)
    assert "models.alexnet(weights=(AlexNet_Weights.IMAGENET1K_V1 if use_imagenet else None))" in fixed
    assert 'getattr(models, arch)(weights=("IMAGENET1K_V1" if use_imagenet else None))' in fixed
    assert "getattr(torchvision.models, arch)(weights=None)" in fixed
    assert "models.vgg11(weights=(VGG11_Weights.IMAGENET1K_V1 if not cfg.resume else None))" in fixed
    assert_fixes_to(POSITIONAL_FLAG, fixed, unsafe=True)


def test_positional_value_that_may_be_the_weights_is_not_reported():
    # torchvision takes an enum member, a string or None in that place as the weights themselves.
    source = src(
        """
        import torchvision
        from torchvision import models
        from torchvision.models import ResNet18_Weights

        def build(arch, weights=None, chosen=ResNet18_Weights.DEFAULT, tag: str = "IMAGENET1K_V1"):
            a = models.resnet18(weights)
            b = models.resnet18(chosen)
            c = getattr(models, arch)(tag)
            d = models.resnet18(cfg.pretrained)
            e = getattr(models, arch)(weights)
            return a, b, c, d, e
        """
    )
    assert lint(source) == []


@pytest.mark.parametrize("value", [True, False])
@pytest.mark.parametrize(
    "call",
    ["torchvision.models.squeezenet1_1(flag)", "getattr(torchvision.models, name)(flag)", "tv_vgg(not flag)"],
    ids=["direct", "getattr", "not"],
)
def test_executed_positional_flag(call, value):
    code = src(
        f"""
        import sys
        import torchvision
        from torchvision.models import vgg13 as tv_vgg

        def build(flag=False):
            name = sys.intern("squeezenet1_1")
            return {call}

        model = build({value})
        """
    )
    loads = not value if call.startswith("tv_vgg") else value
    assert "weights=" in assert_same_behaviour(code, unsafe=True, expect_load=loads)


VERSION_CHECKS = src(
    """
    import torchvision
    from packaging import version
    from torchvision import models

    TV_VERSION = version.parse(torchvision.__version__)

    if TV_VERSION < version.parse("0.13"):
        a = models.inception_v3(pretrained=True, aux_logits=False)
    else:
        a = models.inception_v3(weights=models.Inception_V3_Weights.IMAGENET1K_V1, aux_logits=False)

    def build():
        if not version.parse(torchvision.__version__) >= version.parse("0.13"):
            return models.resnet18(pretrained=True)
        return models.resnet18(weights="IMAGENET1K_V1")

    if hasattr(torchvision.models, "ResNet50_Weights"):
        c = models.resnet50(weights="IMAGENET1K_V1")
    else:
        c = getattr(models, "resnet50")(pretrained=True)
    d = models.alexnet(weights=None) if hasattr(models, "AlexNet_Weights") else models.alexnet(pretrained=False)
    """
)


def test_old_branch_of_a_version_check_is_not_reported():
    assert lint(VERSION_CHECKS) == []


def test_new_branch_or_another_package_check_is_reported():
    source = src(
        """
        import torch
        import torchvision
        from packaging import version
        from torchvision import models

        TV_VERSION = version.parse(torchvision.__version__)
        if TV_VERSION >= version.parse("0.13"):
            a = models.resnet18(pretrained=True)
        if version.parse(torch.__version__) < version.parse("2.0"):
            b = models.resnet18(pretrained=True)
        if hasattr(models, "ResNet18_Weights"):
            c = models.resnet18(pretrained=True)
        if TV_VERSION < version.parse("0.13") and fast:
            d = models.resnet18(pretrained=True)
        """
    )
    assert [d.start.row for d in lint(source)] == [8, 10, 12, 14]


CLASS_FACTORY = src(
    """
    import torchvision


    class ReidNet:
        __backbones = {
            18: torchvision.models.resnet18,
            50: torchvision.models.resnet50,
        }

        def __init__(self, depth, pretrained=True):
            self.base = ReidNet.__backbones[depth](pretrained=pretrained)
            self.copy = self.__backbones[depth](pretrained=True)
    """
)


def test_dict_of_builders_in_a_class_body():
    diags = lint(CLASS_FACTORY)
    assert where(diags) == [(CODE, *position(CLASS_FACTORY, row, "pretrained=")) for row in (11, 12)]
    assert "`ReidNet.__backbones[depth](...)`" in diags[0].message and "one of 2 builders" in diags[0].message
    assert [d.fix.applicability for d in diags] == [Applicability.UNSAFE, Applicability.SAFE]
    fixed = assert_same_behaviour(CLASS_FACTORY + "net = ReidNet(50)\n", unsafe=True)
    assert 'self.__backbones[depth](weights="IMAGENET1K_V1")' in fixed


def test_class_attribute_that_is_not_a_dict_of_torchvision_builders():
    source = src(
        """
        import torchvision
        from nets import wide_resnet


        class Mine:
            __nets = {"wrn": wide_resnet}
            tv = {"r18": torchvision.models.resnet18}

            def __init__(self, other, key):
                self.a = self.__nets[key](pretrained=True)
                self.b = other.tv[key](pretrained=True)


        class Rebound:
            tv = {"r18": torchvision.models.resnet18}
            tv = load_more()

            def build(self, key):
                return self.tv[key](pretrained=True)
        """
    )
    assert lint(source) == []
