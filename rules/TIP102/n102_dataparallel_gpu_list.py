# expect: none
"""[TIP102] DataParallel over `device_ids` parsed from a GPU list: the script is GPU-only by design, so its `.cuda()` calls are not reported (real-world pattern: pose-estimation and re-id training scripts with a `--gpus 0,1,2,3` option)."""
import argparse

import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--gpus", default="0,1")
args = parser.parse_args()


def main():
    ids = [int(part) for part in args.gpus.split(",")]
    model = nn.DataParallel(nn.Linear(32, 10), device_ids=ids).cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    for step in range(10):
        inputs = torch.randn(64, 32).cuda(non_blocking=True)
        loss = model(inputs).pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


if __name__ == "__main__":
    main()
