# expect: none
"""[TIP102] rerank.py: a script over neighbours.py, which requires the CUDA extension."""
import torch

from neighbours import nearest

if __name__ == "__main__":
    feats = torch.randn(100, 64).cuda()
    print(nearest(feats[:10], feats, 5).shape)
