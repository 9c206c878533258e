"""[TIP402] AMP: the per-batch CyclicLR is stepped before `scaler.step(optimizer)` (synthetic, AMP recipe with the scheduler line moved up)."""
import torch
from torch.cuda.amp import GradScaler, autocast
from torch.optim.lr_scheduler import CyclicLR
from torch.utils.data import DataLoader

from speech import CommonVoice, Wav2Letter


def main(epochs=40):
    loader = DataLoader(CommonVoice("en", "train"), batch_size=32, shuffle=True, num_workers=8)
    model = Wav2Letter().cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    scheduler = CyclicLR(optimizer, base_lr=1e-4, max_lr=1e-2, step_size_up=2000)
    scaler = GradScaler()
    for epoch in range(epochs):
        for feats, targets, feat_lens, target_lens in loader:
            optimizer.zero_grad()
            with autocast():
                loss = model(feats.cuda(), targets.cuda(), feat_lens, target_lens)
            scaler.scale(loss).backward()
            scheduler.step()  # expect: TIP402[safe-fix]
            scaler.step(optimizer)
            scaler.update()


if __name__ == "__main__":
    main()
