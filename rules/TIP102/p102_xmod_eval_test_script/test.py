"""[TIP102] test.py: an evaluation script that happens to be called test.py and checks no op's gradients: it must run where CUDA is missing too (look-alike of a gradcheck kernel test)."""
import torch

from net import Net

model = Net().cuda()  # expect: TIP102[unsafe-fix]
with torch.no_grad():
    scores = model(torch.randn(5, 6).cuda())  # expect: TIP102[unsafe-fix]
print(scores.argmax(1))
