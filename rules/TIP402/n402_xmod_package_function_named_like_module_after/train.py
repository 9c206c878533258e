# expect: none
"""[TIP402] train.py: `from trainers import fit` is the function the package hands on, not the module `trainers/fit.py` (real-world pattern: a package whose function has its module's name)."""
import torch
from torch.utils.data import DataLoader

from trainers import fit
from weather import Readings, Forecaster

model = Forecaster()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
schedule = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.5)
fit(model, optimizer, schedule, DataLoader(Readings(), batch_size=128, shuffle=True), epochs=40)
