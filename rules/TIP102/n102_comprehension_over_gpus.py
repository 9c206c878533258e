# expect: none
"""[TIP102] One replica per GPU, built in a list comprehension over the GPU ids (`range(args.ngpu)`, `args.gpu_ids`): without a GPU the comprehension builds nothing, so its `device="cuda:{i}"` placements only run on GPUs, like a `for` loop over the GPUs (real-world pattern: preprocessing scripts that run one detector per GPU)."""
import argparse

import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--ngpu", type=int, default=1)
parser.add_argument("--gpu_ids", type=int, nargs="+", default=[0])
args = parser.parse_args()

detectors = [nn.Linear(8, 4).to(device="cuda:{}".format(i)) for i in range(args.ngpu)]
scales = {gpu: torch.ones(4, device=f"cuda:{gpu}") for gpu in args.gpu_ids}
print(len(detectors), len(scales))
