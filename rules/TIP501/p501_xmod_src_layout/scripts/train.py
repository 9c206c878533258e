"""[TIP501, TIP502] scripts/train.py of a project with a src/ folder (no __init__.py in src/ or src/data/): the loader comes from `src.data.loaders`, the sampler is made there, and the epoch loop never calls set_epoch; reported at the helper call."""

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402
from src.data.loaders import make_train_loader  # noqa: E402
from src.nets import SpeechTransformer  # noqa: E402


def main(epochs=50):
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    loader = make_train_loader("/data/librispeech/train-clean-100", batch_size=32)  # expect: TIP501[safe-fix]
    model = torch.nn.parallel.DistributedDataParallel(SpeechTransformer().cuda())
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(epochs):
        for features, targets in loader:
            loss = model(features.cuda(), targets.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
