# expect: none
"""[TIP501] main.py: look-alike of p501_xmod_tuple_of_loaders that calls set_epoch through the
returned training loader at the start of each epoch."""
import torch
import torch.distributed as dist

from loaders import pair_of_loaders


def main(train_set, eval_set, net):
    dist.init_process_group("gloo")
    fit_loader, eval_loader = pair_of_loaders(train_set, eval_set, 32)
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    for epoch in range(20):
        fit_loader.sampler.set_epoch(epoch)
        for x, y in fit_loader:
            opt.zero_grad()
            torch.nn.functional.cross_entropy(net(x), y).backward()
            opt.step()
        with torch.no_grad():
            for x, y in eval_loader:
                net(x)
    dist.destroy_process_group()
