"""[TIP501, TIP502] set_epoch(0) called once before the epoch loop, never inside it (synthetic, a misunderstanding of set_epoch)."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader, DistributedSampler

from audio import LibriSpeech, Conformer, collate


def main(num_epochs=60):
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    train_set = LibriSpeech("/data/librispeech", "train-960")
    sampler = DistributedSampler(train_set, shuffle=True, seed=1234)  # expect: TIP501[safe-fix]
    sampler.set_epoch(0)
    loader = DataLoader(train_set, batch_size=16, sampler=sampler, collate_fn=collate)
    model = torch.nn.parallel.DistributedDataParallel(Conformer().cuda())
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.98))
    for epoch in range(num_epochs):
        for feats, feat_lens, tokens, token_lens in loader:
            loss = model(feats.cuda(), feat_lens, tokens.cuda(), token_lens)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
