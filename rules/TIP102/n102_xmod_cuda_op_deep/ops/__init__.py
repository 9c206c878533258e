# expect: none
"""[TIP102] ops: the fused bias-activation op, compiled from its CUDA sources as the package is
imported (torch.utils.cpp_extension.load of a .cu file at the top level)."""
import os

from torch.utils.cpp_extension import load

_here = os.path.dirname(__file__)
fused = load(name="fused_bias_act", sources=[os.path.join(_here, "fused.cpp"), os.path.join(_here, "fused_kernel.cu")])
