# expect: none
"""[TIP102] `.cuda()` on loss modules that hold no parameters and no buffers (built inline, or kept in a name that is moved again): Module.cuda() then moves nothing and needs no CUDA (real-world pattern: `criterion = nn.CrossEntropyLoss().cuda()` in scripts that otherwise check for a GPU)."""
import torch
import torch.nn as nn

use_gpu = torch.cuda.is_available()
head = nn.Linear(16, 4)
if use_gpu:
    head = head.cuda()

classify = nn.CrossEntropyLoss(label_smoothing=0.1, reduction="mean").cuda()
regress = nn.SmoothL1Loss(beta=0.5)
regress = regress.cuda()
pool = nn.AdaptiveAvgPool2d(1).cuda()

features = torch.randn(8, 16)
labels = torch.randint(0, 4, (8,))
loss = classify(head(features), labels) + regress(head(features), torch.zeros(8, 4))
print(loss.item(), pool)
