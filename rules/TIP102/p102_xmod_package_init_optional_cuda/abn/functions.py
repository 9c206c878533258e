# expect: none
"""[TIP102] abn/functions.py: as in the GPU-only look-alike, compiles the in-place batch norm from its C++ and CUDA sources as it
is imported."""
import os

from torch.utils.cpp_extension import load

_src = os.path.join(os.path.dirname(__file__), "src")
_backend = load(name="inplace_abn", sources=[os.path.join(_src, "abn.cpp"), os.path.join(_src, "abn_cuda.cu")])


def inplace_abn(x, weight, bias):
    return _backend.forward(x, weight, bias)
