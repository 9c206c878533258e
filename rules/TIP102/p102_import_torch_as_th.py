"""[TIP102] `import torch as th`: the device idiom the fix writes must go through `th` (no name `torch` is bound), for the variable it adds and for `th.device("cuda")` rewritten in place (runnable; real-world pattern: RL code bases that alias torch)."""
import numpy as np
import torch as th
from torch import nn

policy = nn.Sequential(nn.Linear(8, 32), nn.Tanh(), nn.Linear(32, 4)).cuda()  # expect: TIP102[unsafe-fix]
target_device = th.device("cuda")  # expect: TIP102[unsafe-fix]
optimizer = th.optim.Adam(policy.parameters(), lr=3e-4)
observations = th.as_tensor(np.random.default_rng(0).normal(size=(128, 8)), dtype=th.float32)
for update in range(10):
    batch = observations.to(target_device)
    logits = policy(batch)
    loss = -th.log_softmax(logits, dim=-1).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(f"loss {loss.item():.4f}")
