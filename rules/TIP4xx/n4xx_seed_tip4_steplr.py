# expect: none
"""[TIP401, TIP402, TIP403, TIP404] The seed chapter's Tip 4 loop made runnable: StepLR stepped once per epoch after the batch loop (real-world: the seed text)."""
import torch
import torch.optim as optim
import torch.optim.lr_scheduler as lr_scheduler
from torch.utils.data import DataLoader

from mypkg.data import MyDataset
from mypkg.models import MyModel

model = MyModel()
criterion = torch.nn.CrossEntropyLoss()
loader = DataLoader(MyDataset("train"), batch_size=64, shuffle=True)

# Create an optimizer and a scheduler
optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.1)

# Train your model
for epoch in range(100):
    for inputs, targets in loader:
        # Compute the loss and gradients
        optimizer.zero_grad()
        loss = criterion(model(inputs), targets)
        loss.backward()
        # Update the model parameters
        optimizer.step()
    # Update the learning rate
    scheduler.step()
