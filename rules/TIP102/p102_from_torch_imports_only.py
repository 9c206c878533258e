"""[TIP102] Only `from torch import cuda, manual_seed, nn, optim, randn`: no name `torch` is bound, so the fix adds `import torch` (torch is loaded by then: the import only binds the name) with the device variable after the opening imports (runnable; real-world pattern: scripts importing torch's submodules by name)."""
from torch import cuda, manual_seed, nn, optim, randn
from torch.utils.data import DataLoader, TensorDataset

print(f"devices: {cuda.device_count()}")
manual_seed(0)
data = TensorDataset(randn(96, 6), randn(96, 1))
model = nn.Linear(6, 1).cuda()  # expect: TIP102[unsafe-fix]
optimizer = optim.SGD(model.parameters(), lr=0.1)
for x, y in DataLoader(data, batch_size=32):
    loss = nn.functional.mse_loss(model(x.cuda()), y.cuda())  # expect: TIP102[unsafe-fix] TIP102[unsafe-fix]
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(f"loss {loss.item():.4f}")
