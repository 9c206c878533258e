# expect: none
"""[TIP102] The look-alike: the same forward takes its CUDA flag from the caller (a parameter, or a setting read from the config), so `if not no_cuda:` is a real choice a CPU user can make; and a `use_gpu` set to False, then to True when CUDA is there, is a real check."""
import torch
import torch.nn as nn


class SpanPooler(nn.Module):
    def __init__(self, hidden, config):
        super().__init__()
        self.proj = nn.Linear(hidden, hidden)
        self.config = config

    def forward(self, states, spans, no_cuda=not torch.cuda.is_available()):
        index = torch.tensor([start for start, _ in spans])
        if not no_cuda:
            index = index.cuda()
        pooled = states.index_select(0, index)
        return self.proj(pooled)

    def pool_all(self, states, spans):
        no_cuda = self.config.no_cuda
        index = torch.tensor([start for start, _ in spans])
        if not no_cuda:
            index = index.cuda()
        return states.index_select(0, index)

    def pool_checked(self, states, spans):
        use_gpu = False
        if torch.cuda.is_available():
            use_gpu = True
        index = torch.tensor([start for start, _ in spans])
        if use_gpu:
            index = index.cuda()
        return states.index_select(0, index)
