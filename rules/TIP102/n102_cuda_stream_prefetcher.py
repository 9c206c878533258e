# expect: none
"""[TIP102] A loader wrapper that copies the next batch on a side CUDA stream: its stream is only ever `torch.cuda.Stream()`, which needs CUDA, so the `.cuda()` calls inside `with torch.cuda.stream(self.stream):` only run on GPUs (real-world pattern: the data prefetchers of self-supervised and segmentation trainers)."""
import torch


class Prefetcher:
    def __init__(self, loader):
        self.batches = iter(loader)
        self.stream = torch.cuda.Stream()
        self.preload()

    def preload(self):
        try:
            self.inputs, self.targets = next(self.batches)
        except StopIteration:
            self.inputs = self.targets = None
            return
        with torch.cuda.stream(self.stream):
            self.inputs = self.inputs.cuda(non_blocking=True)
            self.targets = self.targets.cuda(non_blocking=True)

    def next(self):
        torch.cuda.current_stream().wait_stream(self.stream)
        inputs, targets = self.inputs, self.targets
        self.preload()
        return inputs, targets
