# expect: none
"""[TIP102] test.py: a script that checks the gradients of a compiled op with gradcheck on GPU tensors: a CUDA kernel test, GPU-only by design (real-world pattern: deformable-convolution and attention op tests shipped with their extension)."""
import torch
from torch.autograd import gradcheck

from shift_op import ShiftFunction

values = torch.rand(2, 4, dtype=torch.double).cuda().requires_grad_()
offsets = torch.rand(2, 4, dtype=torch.double).cuda().requires_grad_()
print("shift grad ok:", gradcheck(ShiftFunction.apply, (values, offsets), eps=1e-6, atol=1e-4))
