# expect: none
"""[TIP501] The learner: `self.data` is the bunch it is given; `fit()` loops the epochs over `self.data.train_dl`, giving its sampler the epoch where it is a DistributedSampler."""
import torch
from torch.utils.data.distributed import DistributedSampler


class TextLearner:
    def __init__(self, data, model, lr=3e-5):
        self.data = data
        self.model = model
        self.optimizer = torch.optim.AdamW(model.parameters(), lr=lr)

    def fit(self, epochs):
        self.model.train()
        for epoch in range(epochs):
            if isinstance(self.data.train_dl.sampler, DistributedSampler):
                self.data.train_dl.sampler.set_epoch(epoch)
            for input_ids, labels in self.data.train_dl:
                loss = self.model(input_ids.cuda(), labels=labels.cuda()).loss
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()
