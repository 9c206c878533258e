"""[TIP102] `.cuda()` on a loss built with a class-weight tensor: the weight is a buffer, so Module.cuda() moves it and needs CUDA (real-world pattern: class-balanced segmentation losses)."""
import torch
import torch.nn as nn

class_weights = torch.tensor([0.2, 1.0, 3.0])
criterion = nn.CrossEntropyLoss(weight=class_weights, ignore_index=255).cuda()  # expect: TIP102[unsafe-fix]
balanced = nn.NLLLoss(class_weights)
balanced = balanced.cuda()  # expect: TIP102[unsafe-fix]

logits = torch.randn(4, 3)
targets = torch.tensor([0, 2, 1, 2])
print(criterion(logits, targets).item(), balanced(logits.log_softmax(1), targets).item())
