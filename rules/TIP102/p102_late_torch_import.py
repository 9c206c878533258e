"""[TIP102] A script exported from a notebook: `from torch import nn` at the top, the model put on the GPU with `.cuda()`, and `import torch` only further down, where a cell first needed it. The device variable the fix adds must be defined before the model's line, with `import torch` added there too (runnable; real-world pattern: notebooks exported with nbconvert)."""
import numpy as np
from torch import nn

# In[1]:
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1)).cuda()  # expect: TIP102[unsafe-fix]

# In[2]:
import torch

features = torch.from_numpy(np.random.default_rng(0).normal(size=(64, 4)).astype("float32"))
targets = features.sum(dim=1, keepdim=True)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
for step in range(20):
    x, y = features.cuda(), targets.cuda()  # expect: TIP102[unsafe-fix] TIP102[unsafe-fix]
    loss = nn.functional.mse_loss(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(f"loss {loss.item():.4f}")
