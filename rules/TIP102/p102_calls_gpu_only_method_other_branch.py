"""[TIP102] A look-alike of a tiled evaluator: only the small-image branch calls the GPU-only `run_tile`; the other branch averages on its own and places its buffer with `.cuda(device)`, so a machine without CUDA crashes there."""
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
            scores = torch.zeros(classes, *image.shape[-2:]).cuda(device)  # expect: TIP102[no-fix]
            with torch.no_grad():
                scores += self.model(image[None])[0]
            return scores
