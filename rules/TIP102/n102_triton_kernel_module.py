# expect: none
"""[TIP102] A module that requires Triton and defines its own kernel with `@triton.jit`: the
kernel runs only on a GPU, and the output buffer made for it with `device="cuda"` is part of that
design (real-world pattern: a quantized matmul written in Triton)."""
import torch
import triton
import triton.language as tl


@triton.jit
def _scale_kernel(src, dst, factor, n, BLOCK: tl.constexpr):
    offsets = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offsets < n
    tl.store(dst + offsets, tl.load(src + offsets, mask=mask) * factor, mask=mask)


def scale(values: torch.Tensor, factor: float) -> torch.Tensor:
    out = torch.empty(values.shape, device="cuda", dtype=values.dtype)
    n = values.numel()
    _scale_kernel[(triton.cdiv(n, 256),)](values, out, factor, n, BLOCK=256)
    return out
