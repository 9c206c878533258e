"""[TIP102] engine.py: the training steps move the model and each batch with `.cuda()`; the entry that
calls them only names the one GPU to take (`CUDA_VISIBLE_DEVICES = cfg.gpu_id`), which says nothing
about a CPU-only run, so these crash there (real-world pattern: re-identification baselines)."""
import torch.nn.functional as F


def fit(net, optimizer, batches, epochs):
    net = net.cuda()  # expect: TIP102[unsafe-fix]
    for _ in range(epochs):
        for features, labels in batches:
            features = features.cuda()  # expect: TIP102[unsafe-fix]
            labels = labels.cuda()  # expect: TIP102[unsafe-fix]
            optimizer.zero_grad()
            F.cross_entropy(net(features), labels).backward()
            optimizer.step()
