# expect: none
"""[TIP501, TIP401, TIP402] DeiT main.py shape: `data_loader_train.sampler.set_epoch(epoch)`, timm scheduler `lr_scheduler.step(epoch)` (real-world: facebookresearch/deit main.py)."""
import argparse

import torch
import torch.utils.data
from timm.models import create_model
from timm.scheduler import create_scheduler
from timm.optim import create_optimizer

from datasets import build_dataset
from engine import evaluate, train_one_epoch
import utils


def main(args):
    utils.init_distributed_mode(args)
    dataset_train, args.nb_classes = build_dataset(is_train=True, args=args)
    num_tasks = utils.get_world_size()
    global_rank = utils.get_rank()
    sampler_train = torch.utils.data.DistributedSampler(
        dataset_train, num_replicas=num_tasks, rank=global_rank, shuffle=True
    )
    data_loader_train = torch.utils.data.DataLoader(
        dataset_train, sampler=sampler_train, batch_size=args.batch_size, num_workers=args.num_workers,
        pin_memory=args.pin_mem, drop_last=True,
    )
    model = create_model(args.model, pretrained=False, num_classes=args.nb_classes)
    model.cuda()
    model = torch.nn.parallel.DistributedDataParallel(model, device_ids=[args.gpu])
    optimizer = create_optimizer(args, model.module)
    lr_scheduler, _ = create_scheduler(args, optimizer)
    criterion = torch.nn.CrossEntropyLoss()

    for epoch in range(args.start_epoch, args.epochs):
        data_loader_train.sampler.set_epoch(epoch)
        train_stats = train_one_epoch(model, criterion, data_loader_train, optimizer, "cuda", epoch)
        lr_scheduler.step(epoch)


if __name__ == "__main__":
    parser = argparse.ArgumentParser("DeiT training and evaluation script")
    main(parser.parse_args())
