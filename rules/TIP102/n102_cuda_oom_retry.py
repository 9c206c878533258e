# expect: none
"""[TIP102] `.cuda()` in the handler that recovers from a CUDA out-of-memory error (it frees the CUDA cache, redoes the work on the CPU, and moves the result back): it only runs after the GPU ran out of memory (real-world pattern: label assignment retried on the CPU in detection losses)."""
import torch


def assign(scores, boxes):
    return scores.argmax(1), boxes.sum(1)


def targets(scores, boxes):
    try:
        labels, sizes = assign(scores, boxes)
    except RuntimeError:
        print("ran out of GPU memory: assigning this batch on the CPU")
        torch.cuda.empty_cache()
        labels, sizes = assign(scores.cpu(), boxes.cpu())
        labels = labels.cuda()
        sizes = sizes.cuda()
    return labels, sizes


def retry(step, batch):
    try:
        return step(batch)
    except torch.cuda.OutOfMemoryError:
        return step(batch.half().cuda())
