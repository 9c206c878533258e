"""[TIP102] train.py: the same batch callback, called here with a device but also handed to a trainer from outside the project: what that trainer passes is unknown, so the CUDA default may be used (look-alike of a callback a project engine always gives a device)."""
import torch
import torch.nn as nn
from trainkit import Trainer


def to_device(batch, device="cuda"):  # expect: TIP102[unsafe-fix]
    inputs, targets = batch
    return inputs.to(device), targets.to(device)


def main():
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = nn.Linear(4, 1).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2)
    print(model(to_device((torch.randn(2, 4), torch.randn(2, 1)), device=device)[0]))
    trainer = Trainer(model, optimizer, nn.MSELoss(), batch_fn=to_device)
    for epoch in range(3):
        trainer.fit_epoch([(torch.randn(8, 4), torch.randn(8, 1))])
        scheduler.step()


if __name__ == "__main__":
    main()
