"""[TIP102] Triton is optional here (the module carries on without it) and its kernel has a
PyTorch fallback, so the module runs on a machine without a GPU: the buffer placed on "cuda"
with no check crashes there (the look-alike of a module built on Triton kernels)."""
import torch

try:
    import triton
    import triton.language as tl
except ImportError:
    triton = None

if triton is not None:

    @triton.jit
    def _scale_kernel(src, dst, factor, n, BLOCK: tl.constexpr):
        offsets = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
        mask = offsets < n
        tl.store(dst + offsets, tl.load(src + offsets, mask=mask) * factor, mask=mask)


def scale(values: torch.Tensor, factor: float) -> torch.Tensor:
    if triton is None:
        return values * factor
    out = torch.empty(values.shape, device="cuda", dtype=values.dtype)  # expect: TIP102[unsafe-fix]
    n = values.numel()
    _scale_kernel[(triton.cdiv(n, 256),)](values, out, factor, n, BLOCK=256)
    return out
