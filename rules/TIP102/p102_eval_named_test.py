"""[TIP102] A training script whose evaluation function is called `test()`: only test modules are GPU tests by design; a function of that name in a script is not (look-alike of a CUDA kernel test)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(8, 2)
loader = DataLoader(TensorDataset(torch.randn(32, 8), torch.randint(0, 2, (32,))), batch_size=8)


def test(net, batches):
    net.eval()
    correct = 0
    with torch.no_grad():
        for inputs, targets in batches:
            inputs, targets = inputs.cuda(), targets.cuda()  # expect: TIP102[unsafe-fix], TIP102[unsafe-fix]
            correct += (net(inputs).argmax(1) == targets).sum().item()
    return correct


if torch.cuda.is_available():
    model = model.cuda()
print(test(model, loader))
