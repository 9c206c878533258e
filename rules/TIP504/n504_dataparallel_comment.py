# expect: none
"""[TIP504] As p504_epoch_checkpoint, but on one process with nn.DataParallel; a comment mentions DistributedDataParallel and init_process_group, which the script never calls. One process, one writer."""
import torch

# With DistributedDataParallel (after init_process_group) you would divide the batch size by the GPUs.
model = torch.nn.DataParallel(torch.nn.Linear(16, 4)).cuda()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(10):
    loss = model(torch.randn(32, 16, device="cuda")).pow(2).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    torch.save({"model": model.module.state_dict(), "epoch": epoch}, "checkpoint.pth.tar")
