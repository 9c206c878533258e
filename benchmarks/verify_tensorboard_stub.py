"""A `--data-stub` for `tipcheck verify` on scripts that log to TensorBoard where it is not
installed: `torch.utils.tensorboard.SummaryWriter` becomes a writer that writes nothing."""

import sys
import types


class SummaryWriter:
    def __init__(self, *args, **kwargs):
        pass

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


module = types.ModuleType("torch.utils.tensorboard")
module.SummaryWriter = SummaryWriter
sys.modules["torch.utils.tensorboard"] = module
