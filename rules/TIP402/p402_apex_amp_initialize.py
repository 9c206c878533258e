"""[TIP402] apex mixed precision: `amp.initialize` hands back the model and optimizer under new names; the scheduler, built on the original optimizer, steps at the top of the epoch, before the returned optimizer's first step (real-world pattern: apex-era detection and re-ID trainers)."""
import torch
from apex import amp
from torch.optim.lr_scheduler import MultiStepLR
from torch.utils.data import DataLoader

from reid import Market1501, ResNet50IBN, TripletLoss


def main(max_epoch=120):
    loader = DataLoader(Market1501("train"), batch_size=64, shuffle=True, num_workers=8, drop_last=True)
    backbone = ResNet50IBN(num_classes=751).cuda()
    base_optimizer = torch.optim.Adam(backbone.parameters(), lr=3.5e-4, weight_decay=5e-4)
    scheduler = MultiStepLR(base_optimizer, milestones=[40, 70], gamma=0.1)
    model, optimizer = amp.initialize(backbone, base_optimizer, opt_level="O1")
    triplet = TripletLoss(margin=0.3)
    for epoch in range(max_epoch):
        scheduler.step()  # expect: TIP402[safe-fix]
        model.train()
        for images, pids in loader:
            scores, feats = model(images.cuda())
            loss = torch.nn.functional.cross_entropy(scores, pids.cuda()) + triplet(feats, pids.cuda())
            optimizer.zero_grad()
            with amp.scale_loss(loss, optimizer) as scaled_loss:
                scaled_loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()
