# expect: none
"""[TIP102] shift_op.py: an autograd function standing in for a compiled CUDA op; it places nothing itself."""
import torch


class ShiftFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, values, offsets):
        ctx.save_for_backward(offsets)
        return values + offsets

    @staticmethod
    def backward(ctx, grad):
        return grad, grad
