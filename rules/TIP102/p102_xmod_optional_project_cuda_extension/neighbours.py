"""[TIP102] neighbours.py: the look-alike: the extension is optional (a pure-torch fallback when it
is not built), so the module loads on a CPU machine, where its `.cuda()` crashes."""
import torch

try:
    import pairwise_topk
except ImportError:
    pairwise_topk = None


def nearest(queries, gallery, k):
    queries, gallery = queries.cuda(), gallery.cuda()  # expect: TIP102[unsafe-fix], TIP102[unsafe-fix]
    if pairwise_topk is not None:
        return pairwise_topk.forward(queries, gallery, k)
    return torch.cdist(queries, gallery).topk(k, largest=False).indices
