"""[TIP102] The look-alike: the worker is called with a joined list of run tags, not of GPUs, on the path without spawn; nothing there chose a GPU, so its bare `.cuda()` crashes on a machine without CUDA."""
import torch
import torch.multiprocessing as mp
import torch.nn as nn

TAGS = ("baseline", "small")


def worker(tag, ngpus, multiprocess):
    model = nn.Linear(10, 2)
    if multiprocess:
        torch.cuda.set_device(tag)
        model = model.cuda(tag)
    else:
        model = nn.DataParallel(model).cuda()  # expect: TIP102[unsafe-fix]
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(3):
        loss = model(torch.randn(8, 10).cuda()).pow(2).mean()  # expect: TIP102[unsafe-fix]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def main(multiprocess):
    ngpus = torch.cuda.device_count()
    if multiprocess:
        mp.spawn(worker, nprocs=ngpus, args=(ngpus, True))
    else:
        worker(",".join(TAGS), ngpus, False)


if __name__ == "__main__":
    main(multiprocess=False)
