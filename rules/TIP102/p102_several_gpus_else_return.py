"""[TIP102] A trainer tests `num_gpus > 1`; its `else` sets up one device and returns. That `else` is no exit without CUDA: with no GPU at all `num_gpus` is 0 and the single-device branch calls `.cuda()` (real-world pattern: re-id trainers taking `torch.cuda.device_count()`)."""
import torch
import torch.nn as nn


class Trainer:
    def __init__(self, model, num_gpus):
        if num_gpus > 1:
            self.model = nn.DataParallel(model, device_ids=list(range(num_gpus))).cuda()
        else:
            self.model = model.cuda()  # expect: TIP102[unsafe-fix]
            self.optim = torch.optim.SGD(self.model.parameters(), lr=0.1)
            return
        self.optim = torch.optim.SGD(self.model.parameters(), lr=0.1 * num_gpus)


trainer = Trainer(nn.Linear(16, 4), torch.cuda.device_count())
print(trainer.model)
