"""[TIP102] The same script with PPQ optional (its `except ImportError` carries on without it): the rest runs on any machine, so its CUDA placements need a check (look-alike of a script that requires PPQ)."""
import torch

try:
    from ppq import TorchExecutor
except ImportError:
    TorchExecutor = None

model = torch.nn.Linear(8, 2).cuda()  # expect: TIP102[unsafe-fix]
samples = [torch.rand(1, 8) for _ in range(4)]
if TorchExecutor is None:
    for sample in samples:
        print(model(sample.cuda()))  # expect: TIP102[unsafe-fix]
