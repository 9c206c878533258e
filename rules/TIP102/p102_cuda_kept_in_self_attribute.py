"""[TIP102] A CUDA device kept in an attribute: the tracker sets `self.device = "cuda"` once and
makes its buffers with `device=self.device`; the encoder keeps its `device="cuda"` parameter in
`self.device`, and its one construction leaves it as it is (real-world pattern: inference cores
and frozen text encoders)."""
import torch


class MaskTracker:
    def __init__(self, frames: torch.Tensor, objects: int):
        self.frames = frames
        self.device = "cuda"  # expect: TIP102[unsafe-fix]
        self.prob = torch.zeros((objects + 1, frames.shape[0]), device=self.device)

    def reset(self):
        self.prob = torch.zeros_like(self.prob, device=self.device)


class TextEncoder(torch.nn.Module):
    def __init__(self, width: int = 512, device="cuda"):  # expect: TIP102[unsafe-fix]
        super().__init__()
        self.embed = torch.nn.Embedding(49408, width)
        self.device = device

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        return self.embed(tokens.to(self.device))


def track(frames):
    encoder = TextEncoder(width=256)
    tracker = MaskTracker(frames, objects=2)
    return encoder, tracker
