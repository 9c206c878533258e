# expect: none
"""[TIP102] engine.py: the same training steps, called only by an entry that spreads the run over a
list of GPUs (`CUDA_VISIBLE_DEVICES` joined from `cfg.gpus`, DataParallel): GPU-only by design."""
import torch.nn.functional as F


def fit(net, optimizer, batches, epochs):
    net = net.cuda()
    for _ in range(epochs):
        for features, labels in batches:
            features = features.cuda()
            labels = labels.cuda()
            optimizer.zero_grad()
            F.cross_entropy(net(features), labels).backward()
            optimizer.step()
