"""[TIP102] The look-alike: the CUDA sources are compiled only when CUDA is there, and a plain torch path serves the CPU; the `.cuda()` below runs on both, so it crashes without CUDA."""
import os

import torch
import torch.nn.functional as F
from torch.utils.cpp_extension import load

_here = os.path.dirname(__file__)
_fused = None
if torch.cuda.is_available():
    _fused = load(name="fused_gelu", sources=[os.path.join(_here, "gelu.cpp"), os.path.join(_here, "gelu_kernel.cu")])


def fused_gelu(x, bias):
    bias = bias.cuda()  # expect: TIP102[unsafe-fix]
    if _fused is not None:
        return _fused.forward(x, bias)
    return F.gelu(x + bias)
