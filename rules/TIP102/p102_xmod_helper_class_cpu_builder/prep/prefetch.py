"""[TIP102] prep/prefetch.py: the same prefetcher, but smoke.py builds it too, in a script with no
CUDA check and nothing GPU-only: there `.cuda()` crashes on a machine without CUDA."""


class GpuPrefetcher:
    def __init__(self, loader, rank):
        self.loader = loader
        self.rank = rank

    def __iter__(self):
        for inputs, labels in self.loader:
            inputs = inputs.cuda(self.rank, non_blocking=True)  # expect: TIP102[no-fix]
            yield inputs, labels
