# expect: none
"""[TIP404] The policy is a OneCycleLR or a StepLR, stepped once an epoch: right for the StepLR branch, so the per-batch rule does not hold for every class the variable can have (real-world pattern: a scheduler option)."""
import torch
from torch.optim.lr_scheduler import OneCycleLR, StepLR
from torch.utils.data import DataLoader

from retail import Rossmann, EntityEmbeddingNet


def main(policy="step", epochs=20):
    loader = DataLoader(Rossmann("train"), batch_size=1024, shuffle=True)
    model = EntityEmbeddingNet()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    if policy == "onecycle":
        scheduler = OneCycleLR(optimizer, max_lr=0.05, total_steps=epochs)
    else:
        scheduler = StepLR(optimizer, step_size=5, gamma=0.5)
    for epoch in range(epochs):
        for cats, conts, sales in loader:
            loss = torch.nn.functional.mse_loss(model(cats, conts), sales)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler.step()


if __name__ == "__main__":
    main()
