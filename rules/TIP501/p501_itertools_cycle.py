"""[TIP501, TIP502] The loader is cycled forever with itertools.cycle inside the training loop, no set_epoch (real-world pattern: step-based semi-supervised scripts)."""
from itertools import cycle

import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from datasets_ssl import LabeledSet
from wrn import WideResNet


def main(total_steps=2 ** 20):
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    labeled = LabeledSet("/data/cifar10", num_labels=4000)
    labeled_sampler = DistributedSampler(labeled)  # expect: TIP501[no-fix]
    labeled_loader = DataLoader(labeled, batch_size=64, sampler=labeled_sampler, num_workers=4, drop_last=True)

    model = torch.nn.parallel.DistributedDataParallel(WideResNet(28, 2).cuda())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9, nesterov=True)

    for step, (images, labels) in enumerate(cycle(labeled_loader)):
        loss = torch.nn.functional.cross_entropy(model(images.cuda()), labels.cuda())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step == total_steps:
            break
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
