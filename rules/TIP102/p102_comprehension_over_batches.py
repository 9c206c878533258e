"""[TIP102] A look-alike of a per-GPU comprehension: this one walks over the tensors of a batch, not over the GPUs, so it runs on a machine without CUDA and its `.cuda()` crashes there; so does a placement in the iterable of a comprehension over the GPUs, which runs before any iteration."""
import torch

batch = [torch.randn(4, 8), torch.randn(4, 8)]
moved = [t.cuda() for t in batch]  # expect: TIP102[unsafe-fix]
parts = [p for p in torch.randn(2, 8).cuda().chunk(torch.cuda.device_count() or 1)]  # expect: TIP102[unsafe-fix]
print(len(moved), len(parts))
