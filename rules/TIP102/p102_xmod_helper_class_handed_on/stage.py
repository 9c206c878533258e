"""[TIP102] stage.py: a wrapper that moves each batch with `.cuda()`. The GPU-only launcher builds
it, but it also hands the class itself to a loader factory, which tipcheck cannot follow: the class
may be built elsewhere, on a machine without CUDA."""


class ToGpu:
    def __init__(self, loader):
        self.loader = loader

    def __iter__(self):
        for batch in self.loader:
            yield batch.cuda()  # expect: TIP102[no-fix]
