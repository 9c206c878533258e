"""[TIP102] A model whose forward tests a CUDA flag that the forward itself sets to a constant (`no_cuda = False`): the name reads like a check, but the branch always runs, so the index tensor goes to the GPU on every machine."""
import torch
import torch.nn as nn


class SpanPooler(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.proj = nn.Linear(hidden, hidden)

    def forward(self, states, spans):
        no_cuda = False
        index = torch.tensor([start for start, _ in spans])
        if not no_cuda:
            index = index.cuda()  # expect: TIP102[unsafe-fix]
        pooled = states.index_select(0, index)
        return self.proj(pooled) if not no_cuda else pooled
