# expect: none
"""[TIP501] main.py builds the DistributedSampler loader and hands it to trainer.Trainer (real-world pattern: PyTorch DDP tutorial series' multigpu_torchrun.py split in two)."""
import os
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from datautils import MyTrainDataset
from trainer import Trainer


def main(total_epochs=50, batch_size=32):
    dist.init_process_group("nccl")
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    dataset = MyTrainDataset(2048)
    train_data = DataLoader(dataset, batch_size=batch_size, pin_memory=True, shuffle=False, sampler=DistributedSampler(dataset))
    model = torch.nn.parallel.DistributedDataParallel(torch.nn.Linear(20, 1).cuda())
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
    Trainer(model, train_data, optimizer, total_epochs).fit()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
