"""[TIP401] The scheduler class is looked up by name in torch.optim.lr_scheduler and the result is never stepped; its class is only known at run time, so no fix says where to step it (real-world pattern: YAML-configured schedulers)."""
import torch
import yaml
from torch.utils.data import DataLoader

from audio import ESC50, PANNsCNN14


def main(config_path):
    with open(config_path) as handle:
        cfg = yaml.safe_load(handle)
    loader = DataLoader(ESC50(fold=1), batch_size=32, shuffle=True)
    model = PANNsCNN14(classes=50).cuda()
    optimizer = getattr(torch.optim, cfg["optimizer"])(model.parameters(), **cfg["optimizer_args"])
    scheduler = getattr(torch.optim.lr_scheduler, cfg["scheduler"])(optimizer, **cfg["scheduler_args"])  # expect: TIP401[no-fix]
    for epoch in range(cfg["epochs"]):
        for clip, label in loader:
            loss = torch.nn.functional.cross_entropy(model(clip.cuda()), label.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main("configs/esc50.yaml")
