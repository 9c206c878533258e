"""[TIP401] `optimizer, scheduler = build_optimizer(model, cfg)` from a helper of the same module; the scheduler is unpacked and forgotten (real-world pattern: build_optimizer helpers)."""
import torch
from torch.optim import lr_scheduler
from torch.utils.data import DataLoader

from lm_data import WikiText103
from lm_models import TransformerXL


def build_optimizer(model, cfg):
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
    scheduler = lr_scheduler.ExponentialLR(optimizer, gamma=cfg["gamma"])  # expect: TIP401[unsafe-fix]
    return optimizer, scheduler


def main(cfg):
    model = TransformerXL().cuda()
    loader = DataLoader(WikiText103("train"), batch_size=cfg["batch_size"], shuffle=True)
    optimizer, scheduler = build_optimizer(model, cfg)
    for epoch in range(cfg["epochs"]):
        for data, target in loader:
            loss = model(data.cuda(), target.cuda())
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)
            optimizer.step()


if __name__ == "__main__":
    main({"lr": 2.5e-4, "gamma": 0.95, "batch_size": 32, "epochs": 40})
