# expect: none
"""[TIP401] The group's `decay()` method, the only code that steps its schedulers, is never called by name:
it is handed on as a bound method to a list of end-of-epoch callbacks, which run it (look-alike of a
method nothing calls)."""
import torch
from torch.utils.data import DataLoader, TensorDataset


class TwoOptimizers:
    def __init__(self, optimizers, schedulers):
        self.optimizers = optimizers
        self.schedulers = schedulers

    def step(self):
        for opt in self.optimizers:
            opt.step()

    def decay(self):
        for sched in self.schedulers:
            sched.step()


def main(epochs=20):
    encoder, decoder = torch.nn.Linear(8, 4), torch.nn.Linear(4, 8)
    opts = [torch.optim.SGD(encoder.parameters(), lr=0.1), torch.optim.SGD(decoder.parameters(), lr=0.1)]
    scheds = [torch.optim.lr_scheduler.StepLR(opt, step_size=5) for opt in opts]
    pair = TwoOptimizers(opts, scheds)
    end_of_epoch = [pair.decay]
    loader = DataLoader(TensorDataset(torch.randn(64, 8)), batch_size=8)
    for epoch in range(epochs):
        for (x,) in loader:
            for opt in opts:
                opt.zero_grad()
            torch.nn.functional.mse_loss(decoder(encoder(x)), x).backward()
            pair.step()
        for callback in end_of_epoch:
            callback()


if __name__ == "__main__":
    main()
