# expect: none
"""[TIP102] neighbours.py: needs the project's CUDA extension at import (no fallback), so it cannot
even load on a machine without a GPU build; its `.cuda()` calls are by design."""
import torch

import pairwise_topk


def nearest(queries, gallery, k):
    queries, gallery = queries.cuda(), gallery.cuda()
    return pairwise_topk.forward(queries, gallery, k)
