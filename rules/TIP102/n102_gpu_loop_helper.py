# expect: none
"""[TIP102] A multi-GPU helper: one buffer per GPU in a loop over `torch.cuda.device_count()` (no iteration without CUDA), and a broadcast through `torch.cuda.comm` (real-world pattern: memory-efficient DenseNet and scatter helpers)."""
import torch
import torch.cuda.comm as comm


def buffers_per_gpu(numel=1024):
    count = torch.cuda.device_count()
    buffers = []
    for index in range(count):
        with torch.cuda.device(index):
            buffers.append(torch.empty(numel).cuda())
    return buffers


def copy_to_gpus(tensor, gpu_ids):
    copies = comm.broadcast(tensor.cuda(gpu_ids[0]), gpu_ids)
    return [c.cuda(g) for c, g in zip(copies, gpu_ids)]
