"""[TIP102] `.cuda()` inside a loop over chunks of a batch: a loop over a count that has nothing to do with GPUs is no check (look-alike of a loop over `device_count()`)."""
import torch


def chunked_sum(batch, chunks=4):
    total = 0.0
    count = batch.shape[0] // chunks
    for index in range(count):
        piece = batch[index * chunks : (index + 1) * chunks].cuda()  # expect: TIP102[unsafe-fix]
        total += piece.sum().item()
    return total


print(chunked_sum(torch.randn(16, 3)))
