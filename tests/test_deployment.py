"""Modules a deployment configuration runs on a GPU (tipcheck.deployment): a Cog
`cog.yaml` with `build: gpu: true` names its predictor (and trainer), whose CUDA placements are then
GPU-only by design (TIP102). The configuration is read from disk, so the project step's cache must
see an edit of it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tipcheck.deployment import deployment_configs, gpu_deployed

ROOT = Path(__file__).resolve().parent.parent

PREDICTOR = """import torch
from cog import BasePredictor


class Predictor(BasePredictor):
    def setup(self):
        self.model = torch.nn.Linear(4, 2).cuda()

    def predict(self, x: float = 1.0) -> list:
        return self.model(torch.full((1, 4), x).cuda()).tolist()
"""


def _config(gpu: str, predict: str = '"predict.py:Predictor"', extra: str = "") -> str:
    return f'build:\n  {gpu}\n  python_version: "3.11"\n{extra}predict: {predict}\n'


def test_a_gpu_build_names_its_predictor_and_trainer(tmp_path):
    config = tmp_path / "cog.yaml"
    config.write_text(_config("gpu: true  # an A100", extra='train: "src/fit.py:train"\n'))
    assert gpu_deployed({str(config): config.read_text()}) == {
        str(tmp_path / "predict.py"),
        str(tmp_path / "src" / "fit.py"),
    }


def test_no_gpu_or_another_section_names_nothing(tmp_path):
    config = str(tmp_path / "cog.yaml")
    assert gpu_deployed({config: _config("gpu: false")}) == set()
    assert gpu_deployed({config: _config('cuda: "12.1"')}) == set()
    # `gpu: true` under another section is not the build's
    text = 'build:\n  python_version: "3.11"\nimage:\n  gpu: true\npredict: "predict.py:Predictor"\n'
    assert gpu_deployed({config: text}) == set()


def test_configs_are_found_in_the_folders_above_the_files(tmp_path):
    (tmp_path / "cog.yaml").write_text(_config("gpu: true", predict="'app/predict.py:Predictor'"))
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "predict.py").write_text(PREDICTOR)
    (tmp_path / "app" / "cog.yaml").write_bytes(b"\xff\xfe not text")  # undecodable: left out
    found = deployment_configs([str(tmp_path / "app" / "predict.py")])
    assert list(found) == [str(tmp_path / "cog.yaml")]
    assert gpu_deployed(found) == {str(tmp_path / "app" / "predict.py")}


def _lint(folder: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run(
        [sys.executable, "-m", "tipcheck", "check", "--select", "TIP102", "--output-format", "concise", "-q", "."],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )


def test_an_edit_of_the_config_is_seen_through_the_cache(tmp_path):
    (tmp_path / "predict.py").write_text(PREDICTOR)
    (tmp_path / "cog.yaml").write_text(_config("gpu: true"))
    first, again = _lint(tmp_path), _lint(tmp_path)  # the second is answered by the cache
    assert first.returncode == again.returncode == 0 and "TIP102" not in first.stdout + again.stdout
    (tmp_path / "cog.yaml").write_text(_config("gpu: false"))
    edited = _lint(tmp_path)
    assert edited.returncode == 1 and edited.stdout.count("TIP102") == 2, edited.stdout + edited.stderr
    (tmp_path / "cog.yaml").unlink()
    assert _lint(tmp_path).stdout.count("TIP102") == 2
