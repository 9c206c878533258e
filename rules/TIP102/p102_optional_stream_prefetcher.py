"""[TIP102] A look-alike of a CUDA-stream prefetcher: its stream is None without CUDA (`torch.cuda.stream(None)` does nothing), so the body of `with torch.cuda.stream(self.stream):` also runs on a machine without CUDA, and its `.cuda()` calls crash there."""
import torch


class Prefetcher:
    def __init__(self, loader):
        self.batches = iter(loader)
        self.stream = torch.cuda.Stream() if torch.cuda.is_available() else None
        self.preload()

    def preload(self):
        try:
            self.inputs, self.targets = next(self.batches)
        except StopIteration:
            self.inputs = self.targets = None
            return
        with torch.cuda.stream(self.stream):
            self.inputs = self.inputs.cuda(non_blocking=True)  # expect: TIP102[unsafe-fix]
            self.targets = self.targets.cuda(non_blocking=True)  # expect: TIP102[unsafe-fix]
