"""[TIP501, TIP502] DistributedSampler wrapped in a BatchSampler passed as batch_sampler=, never set_epoch'd (real-world pattern: detection/segmentation trainers)."""
import torch
import torch.distributed as dist
from torch.utils.data import BatchSampler, DataLoader
from torch.utils.data.distributed import DistributedSampler

from det import CocoDetection, build_detector, collate_fn


def main(args):
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    dataset = CocoDetection(args.coco_path, "train")
    sampler_train = DistributedSampler(dataset)  # expect: TIP501[safe-fix]
    batch_sampler_train = BatchSampler(sampler_train, args.batch_size, drop_last=True)
    data_loader_train = DataLoader(dataset, batch_sampler=batch_sampler_train, collate_fn=collate_fn, num_workers=2)

    model = torch.nn.parallel.DistributedDataParallel(build_detector(args).cuda())
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=1e-4)

    for epoch in range(args.start_epoch, args.epochs):
        model.train()
        for samples, targets in data_loader_train:
            loss_dict = model(samples, targets)
            losses = sum(loss_dict.values())
            optimizer.zero_grad()
            losses.backward()
            optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--coco_path", default="/data/coco")
    parser.add_argument("--batch_size", type=int, default=2)
    parser.add_argument("--start_epoch", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=50)
    main(parser.parse_args())
