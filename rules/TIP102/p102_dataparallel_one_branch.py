"""[TIP102] DataParallel over `device_ids` on one branch only: the GPU-only branch governs itself, not the single-device branch beside it (an exemption belongs to the code it governs, not to the file)."""
import argparse

import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--parallel", action="store_true")
parser.add_argument("--ids", default="0,1")
args = parser.parse_args()

model = nn.Linear(32, 10)
if args.parallel:
    model = nn.DataParallel(model, device_ids=[int(i) for i in args.ids.split(",")]).cuda()
else:
    model = model.cuda()  # expect: TIP102[unsafe-fix]
print(model)
