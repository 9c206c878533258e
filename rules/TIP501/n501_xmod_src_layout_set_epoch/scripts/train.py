# expect: none
"""[TIP501] scripts/train.py, the look-alike of p501_xmod_src_layout: the loop of each epoch is src/engine/loop.py (a namespace package, imported as `src.engine.loop`), which calls the sampler's set_epoch first; nothing to report."""

import os
import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402
from src.data.loaders import make_train_loader  # noqa: E402
from src.engine.loop import train_one_epoch  # noqa: E402
from src.nets import SpeechTransformer  # noqa: E402


def main(epochs=50):
    dist.init_process_group("nccl")
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    loader = make_train_loader("/data/librispeech/train-clean-100", batch_size=32)
    model = torch.nn.parallel.DistributedDataParallel(SpeechTransformer().cuda())
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(epochs):
        train_one_epoch(model, loader, optimizer, epoch)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
