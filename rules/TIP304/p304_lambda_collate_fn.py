"""[TIP304] A lambda as `collate_fn` of a loader with two workers: under spawn the loader pickles it for each worker and fails (`Can't pickle <function <lambda>>`). It reads only its argument and `torch`, so the fix moves it to a module-level function."""
import torch
from torch.utils.data import DataLoader, TensorDataset


def main():
    dataset = TensorDataset(torch.randn(32, 3), torch.randn(32, 1))
    loader = DataLoader(
        dataset,
        batch_size=4,
        num_workers=2,
        collate_fn=lambda batch: torch.stack([x for x, _ in batch]),  # expect: TIP304[safe-fix]
    )
    for inputs in loader:
        print(inputs.shape)


if __name__ == "__main__":
    main()
