"""[TIP102] `main()` is defined before `import torch` (the environment is set first) and called at the end: the device variable the fix adds after `import torch` is in place by the time `main()` runs, since nothing in between calls it (runnable; real-world pattern: `os.environ` set before importing torch)."""
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")


def main():
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1).cuda()  # expect: TIP102[unsafe-fix]
    x = torch.randn(16, 3, device="cuda")  # expect: TIP102[unsafe-fix]
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(5):
        loss = model(x).pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"loss {loss.item():.4f}")


import torch  # noqa: E402

if __name__ == "__main__":
    main()
