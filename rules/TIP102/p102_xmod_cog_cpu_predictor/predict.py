"""[TIP102] predict.py: the same Cog predictor with `gpu: false` in its cog.yaml: the container has no GPU, so its `.cuda()` calls crash there (look-alike of a predictor deployed on a GPU)."""
import torch
import torch.nn as nn
from cog import BasePredictor, Input


class Predictor(BasePredictor):
    def setup(self):
        self.model = nn.Linear(16, 4)
        self.model.eval()
        self.model.cuda()  # expect: TIP102[unsafe-fix]

    def predict(self, scale: float = Input(description="input scale", default=1.0)) -> list:
        features = torch.randn(1, 16).cuda() * scale  # expect: TIP102[unsafe-fix]
        with torch.no_grad():
            return self.model(features).tolist()
