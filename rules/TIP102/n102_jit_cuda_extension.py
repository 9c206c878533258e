# expect: none
"""[TIP102] A module that compiles its fused activation from CUDA sources as it is imported (torch.utils.cpp_extension.load with a .cu file at the top level): it cannot load without the CUDA toolkit and a GPU, so its `.cuda()` is by design."""
import os

import torch
from torch.utils.cpp_extension import load

_here = os.path.dirname(__file__)
_fused = load(name="fused_gelu", sources=[os.path.join(_here, "gelu.cpp"), os.path.join(_here, "gelu_kernel.cu")])


def fused_gelu(x, bias):
    return _fused.forward(x, bias.cuda())
