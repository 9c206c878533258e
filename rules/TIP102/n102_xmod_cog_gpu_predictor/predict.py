# expect: none
"""[TIP102] predict.py: a Cog predictor whose cog.yaml gives the container a GPU (`build: gpu: true`): it only ever runs there (look-alike of a predictor whose cog.yaml asks for no GPU)."""
import torch
import torch.nn as nn
from cog import BasePredictor, Input


class Predictor(BasePredictor):
    def setup(self):
        self.model = nn.Linear(16, 4)
        self.model.eval()
        self.model.cuda()

    def predict(self, scale: float = Input(description="input scale", default=1.0)) -> list:
        features = torch.randn(1, 16).cuda() * scale
        with torch.no_grad():
            return self.model(features).tolist()
