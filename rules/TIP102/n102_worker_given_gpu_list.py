# expect: none
"""[TIP102] A launcher that either spawns one worker per GPU or calls the worker once with every configured GPU joined into one string (`"0,1,2,3"`) for DataParallel: both ways the worker is handed GPUs to run on, so its bare `.cuda()` is by design."""
import torch
import torch.multiprocessing as mp
import torch.nn as nn

GPUS = (0, 1, 2, 3)


def worker(gpu, ngpus, multiprocess):
    model = nn.Linear(10, 2)
    if multiprocess:
        torch.cuda.set_device(gpu)
        model = model.cuda(gpu)
    else:
        model = nn.DataParallel(model).cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(3):
        loss = model(torch.randn(8, 10).cuda()).pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def main(multiprocess):
    ngpus = torch.cuda.device_count()
    if multiprocess:
        mp.spawn(worker, nprocs=ngpus, args=(ngpus, True))
    else:
        worker(",".join(str(i) for i in GPUS), ngpus, False)


if __name__ == "__main__":
    main(multiprocess=False)
