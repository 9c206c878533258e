# expect: none
"""[TIP501] src/engine/loop.py: reshuffles through the loader's sampler, then runs the batch loop."""


def train_one_epoch(model, loader, optimizer, epoch):
    loader.sampler.set_epoch(epoch)
    model.train()
    for features, targets in loader:
        loss = model(features.cuda(), targets.cuda())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
