# expect: none
"""[TIP102] A trainer tests `num_gpus > 0`; its `else` says there is no GPU and returns before anything is placed: every `.cuda()` after it runs only with a GPU (look-alike of the `num_gpus > 1` test, whose `else` runs with one GPU or none)."""
import torch
import torch.nn as nn


class Trainer:
    def __init__(self, model, num_gpus):
        if num_gpus > 0:
            print(f"training on {num_gpus} GPU(s)")
        else:
            print("no GPU: nothing to do")
            return
        self.model = model.cuda()
        self.optim = torch.optim.SGD(self.model.parameters(), lr=0.1)


trainer = Trainer(nn.Linear(16, 4), torch.cuda.device_count())
print(trainer.model)
