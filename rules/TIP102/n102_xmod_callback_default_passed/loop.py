# expect: none
"""[TIP102] loop.py: a project engine that calls the batch callback it is given with the device it was given."""


def build_step(model, optimizer, to_device, device=None):
    def step(batch):
        inputs, targets = to_device(batch, device=device)
        loss = (model(inputs) - targets).pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    return step
