# expect: none
"""[TIP102] test_fused_norm.py: a test of a CUDA kernel runs its inputs on the GPU on purpose; test modules are GPU-only by design (real-world pattern: SyncBatchNorm and custom-op tests in segmentation repos)."""
import torch

from fused_norm import FusedNorm


def test_matches_reference():
    layer = FusedNorm(8).cuda().double()
    inputs = torch.rand(4, 8, 5, 5).double().cuda()
    reference = torch.nn.BatchNorm2d(8).cuda().double()
    assert torch.allclose(layer(inputs), reference(inputs), atol=1e-4)
