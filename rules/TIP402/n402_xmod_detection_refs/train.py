# expect: none
"""[TIP402, TIP401, TIP501] torchvision detection references train.py: set_epoch, train_one_epoch from engine.py, MultiStepLR stepped after it (real-world: pytorch/vision references/detection/train.py)."""
import torch
import torch.utils.data
import torchvision

import utils
from engine import train_one_epoch
from coco_utils import get_coco
from group_by_aspect_ratio import GroupedBatchSampler, create_aspect_ratio_groups


def main(args):
    utils.init_distributed_mode(args)
    device = torch.device(args.device)
    dataset = get_coco(args.data_path, image_set="train")
    if args.distributed:
        train_sampler = torch.utils.data.distributed.DistributedSampler(dataset)
    else:
        train_sampler = torch.utils.data.RandomSampler(dataset)
    group_ids = create_aspect_ratio_groups(dataset, k=args.aspect_ratio_group_factor)
    train_batch_sampler = GroupedBatchSampler(train_sampler, group_ids, args.batch_size)
    data_loader = torch.utils.data.DataLoader(
        dataset, batch_sampler=train_batch_sampler, num_workers=args.workers, collate_fn=utils.collate_fn
    )
    model = torchvision.models.detection.fasterrcnn_resnet50_fpn(weights=None, num_classes=91)
    model.to(device)
    if args.distributed:
        model = torch.nn.parallel.DistributedDataParallel(model, device_ids=[args.gpu])
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.SGD(params, lr=args.lr, momentum=args.momentum, weight_decay=args.weight_decay)
    scaler = torch.cuda.amp.GradScaler() if args.amp else None
    lr_scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=args.lr_steps, gamma=args.lr_gamma)

    for epoch in range(args.start_epoch, args.epochs):
        if args.distributed:
            train_sampler.set_epoch(epoch)
        train_one_epoch(model, optimizer, data_loader, device, epoch, args.print_freq, scaler)
        lr_scheduler.step()


if __name__ == "__main__":
    main(utils.get_args_parser().parse_args())
