# expect: none
"""[TIP102] train.py: the GPU-only entry script (as in n102_xmod_gpu_entry_module). It trains with DistributedDataParallel on one GPU per process, or else with DataParallel over the GPU list of its configuration: GPU-only whichever way it goes."""

import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader

import segdata


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--local_rank", type=int, default=-1)
    parser.add_argument("--gpus", default="0,1")
    parser.add_argument("--dataset", default="streets")
    args = parser.parse_args()
    gpus = [int(g) for g in args.gpus.split(",")]
    dataset = segdata.REGISTRY[args.dataset]()
    model = nn.Conv2d(3, 5, 1)
    criterion = nn.CrossEntropyLoss(weight=dataset.class_weights)
    if args.local_rank >= 0:
        torch.cuda.set_device(args.local_rank)
        torch.distributed.init_process_group(backend="nccl")
        model = nn.parallel.DistributedDataParallel(model.cuda(), device_ids=[args.local_rank])
    else:
        model = nn.DataParallel(model, device_ids=gpus).cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    for images, labels in DataLoader(dataset, batch_size=4):
        loss = criterion(model(images.cuda()), labels.cuda())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(dataset.inference(model, images).shape)


if __name__ == "__main__":
    main()
