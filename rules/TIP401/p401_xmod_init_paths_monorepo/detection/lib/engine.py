# expect: none
"""[TIP401] detection/lib/engine.py: the batch loop; it receives the scheduler only to log the learning rate."""


def train_epoch(model, loader, optimizer, scheduler):
    model.train()
    for images, targets in loader:
        losses = model(images.cuda(), targets)
        loss = sum(losses.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print("lr", scheduler.get_last_lr()[0])
