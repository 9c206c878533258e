# expect: none
"""[TIP102] prep/prefetch.py: a loader wrapper whose iteration moves each batch with `.cuda()`. Its
methods have no caller tipcheck can see (they run through the object); the only place that builds it
is run.py's worker(), which pins a GPU with `set_device` first, so it only runs on GPUs."""


class GpuPrefetcher:
    def __init__(self, loader, rank):
        self.loader = loader
        self.rank = rank

    def __iter__(self):
        for inputs, labels in self.loader:
            inputs = inputs.cuda(self.rank, non_blocking=True)
            yield inputs, labels
