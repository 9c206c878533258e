"""[TIP102] rerank.py: a script over the optional-extension neighbours.py."""
import torch

from neighbours import nearest

if __name__ == "__main__":
    feats = torch.randn(100, 64).cuda()  # expect: TIP102[unsafe-fix]
    print(nearest(feats[:10], feats, 5).shape)
