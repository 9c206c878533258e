"""[TIP102] The script picks its GPU at the top, `os.environ["CUDA_VISIBLE_DEVICES"] = "0"`, before it imports torch, then moves the network and every batch with `.cuda()`: that line only says which GPU to take when there is one, nothing stops a CPU-only run (real-world pattern: restoration and pose training scripts). A choice at the top of a module governs no code: it would exempt the whole file."""
import os

os.environ["CUDA_VISIBLE_DEVICES"] = "0"

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


def run_epoch(net, batches):
    for inputs, targets in batches:
        inputs = inputs.cuda()  # expect: TIP102[unsafe-fix]
        targets = targets.cuda()  # expect: TIP102[unsafe-fix]
        print(nn.functional.mse_loss(net(inputs), targets).item())


net = nn.Linear(16, 4).cuda()  # expect: TIP102[unsafe-fix]
run_epoch(net, [(torch.randn(8, 16), torch.randn(8, 4))])
