"""[TIP501, TIP502] A project subclass of DistributedSampler (catalyst-style DistributedSamplerWrapper) used without set_epoch (real-world pattern: catalyst's DistributedSamplerWrapper)."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader, Dataset, WeightedRandomSampler
from torch.utils.data.distributed import DistributedSampler

from imbalanced import LongTailDataset, make_weights
from nets import EfficientNet


class DatasetFromSampler(Dataset):
    def __init__(self, sampler):
        self.sampler = sampler
        self.sampler_list = None

    def __getitem__(self, index):
        if self.sampler_list is None:
            self.sampler_list = list(self.sampler)
        return self.sampler_list[index]

    def __len__(self):
        return len(self.sampler)


class DistributedSamplerWrapper(DistributedSampler):
    def __init__(self, sampler, num_replicas=None, rank=None, shuffle=True):
        super().__init__(DatasetFromSampler(sampler), num_replicas=num_replicas, rank=rank, shuffle=shuffle)
        self.sampler = sampler

    def __iter__(self):
        self.dataset = DatasetFromSampler(self.sampler)
        indexes_of_indexes = super().__iter__()
        subsampler_indexes = self.dataset
        return iter(subsampler_indexes[i] for i in indexes_of_indexes)


def main():
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    dataset = LongTailDataset("/data/inat")
    weighted = WeightedRandomSampler(make_weights(dataset), num_samples=len(dataset))
    sampler = DistributedSamplerWrapper(weighted)  # expect: TIP501[safe-fix]
    loader = DataLoader(dataset, batch_size=64, sampler=sampler, num_workers=8)
    model = torch.nn.parallel.DistributedDataParallel(EfficientNet().cuda())
    optimizer = torch.optim.RMSprop(model.parameters(), lr=0.016, alpha=0.9)
    for epoch in range(350):
        for images, labels in loader:
            loss = torch.nn.functional.cross_entropy(model(images.cuda()), labels.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
