"""[TIP501, TIP502] main.py: sampler made here, the epoch loop lives in trainer.Trainer which never reshuffles; reported at the sampler (synthetic, modelled on the DDP tutorial's multigpu_torchrun.py)."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from datautils import MyTrainDataset
from trainer import Trainer


def main(total_epochs=50, batch_size=32):
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    dataset = MyTrainDataset(2048)
    sampler = DistributedSampler(dataset)  # expect: TIP501[no-fix]
    train_data = DataLoader(dataset, batch_size=batch_size, pin_memory=True, shuffle=False, sampler=sampler)
    model = torch.nn.parallel.DistributedDataParallel(torch.nn.Linear(20, 1).cuda())
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
    trainer = Trainer(model, train_data, optimizer)
    trainer.train(total_epochs)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
