# expect: none
"""[TIP102] A tiled evaluator: `tile_scores` places its buffers with `.cuda(device)` and, in the same block, calls `self.run_tile`, a method whose body enters `with torch.cuda.device(...)`: a call of a function that only runs on GPUs by design is a GPU-only statement of its own, so the block around it is GPU code (real-world pattern: segmentation evaluators that split an image into crops)."""
import torch


class TiledEvaluator:
    def __init__(self, model, tile):
        self.model = model
        self.tile = tile

    def run_tile(self, crop, device):
        crop = torch.as_tensor(crop).cuda(device)
        with torch.cuda.device(crop.get_device()):
            with torch.no_grad():
                return self.model(crop[None])[0]

    def tile_scores(self, image, classes, device):
        if image.shape[-1] <= self.tile:
            return self.run_tile(image, device)
        else:
            scores = torch.zeros(classes, *image.shape[-2:]).cuda(device)
            for left in range(0, image.shape[-1], self.tile):
                crop = image[..., left : left + self.tile]
                scores[..., left : left + self.tile] += self.run_tile(crop, device)
            return scores
