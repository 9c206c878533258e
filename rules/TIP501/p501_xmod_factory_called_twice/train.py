"""[TIP501, TIP502] train.py: two calls of get_train_loader; only the labelled sampler gets set_epoch, the unlabelled one repeats its order every epoch. Reported at the call that builds it (real-world pattern: semi-supervised segmentation repos)."""
import torch
import torch.distributed as dist

from loaders import get_train_loader
from semiseg import DeepLab, VOCAug


def main(epochs=80, iters=500):
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    train_loader, train_sampler = get_train_loader(VOCAug("labelled"), 8, True)
    unlabelled_loader, unlabelled_sampler = get_train_loader(VOCAug("unlabelled"), 8, True)  # expect: TIP501[no-fix]
    model = torch.nn.parallel.DistributedDataParallel(DeepLab().cuda())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(epochs):
        train_sampler.set_epoch(epoch)
        labelled = iter(train_loader)
        unlabelled = iter(unlabelled_loader)
        for step in range(iters):
            images, labels = next(labelled)
            extra = next(unlabelled)
            loss = model(images.cuda(), labels.cuda(), extra.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
