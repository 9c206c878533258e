"""[TIP501] main.py: the pair comes back from loaders.pair_of_loaders; the epoch loop never calls
set_epoch on the training loader's sampler: reported on the helper call, not inside the helper."""
import torch
import torch.distributed as dist

from loaders import pair_of_loaders


def main(train_set, eval_set, net):
    dist.init_process_group("gloo")
    fit_loader, eval_loader = pair_of_loaders(train_set, eval_set, 32)  # expect: TIP501[safe-fix]
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    for epoch in range(20):
        for x, y in fit_loader:
            opt.zero_grad()
            torch.nn.functional.cross_entropy(net(x), y).backward()
            opt.step()
        with torch.no_grad():
            for x, y in eval_loader:
                net(x)
    dist.destroy_process_group()
