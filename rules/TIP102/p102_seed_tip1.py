"""[TIP102] The seed chapter's Tip 1 verbatim: `x = x.cuda()` with no CUDA check crashes on a CPU-only machine (runnable)."""
import torch

# Create a tensor on the CPU
x = torch.randn(10, 10)

# Move the tensor to the GPU
x = x.cuda()  # expect: TIP102[unsafe-fix]
print(x.device)
