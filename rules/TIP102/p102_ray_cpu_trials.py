"""[TIP102] The same trials with Ray asked for CPUs only (`{"cpu": 2}`, `num_gpus=0`): they run on any worker, GPU or not (look-alike of trials given a GPU)."""
import ray
import torch
import torch.nn as nn
from ray.tune import register_trainable, run_experiments


def evaluate(config, reporter):
    model = nn.Linear(4, 2).cuda()  # expect: TIP102[unsafe-fix]
    inputs = torch.randn(8, 4).cuda()  # expect: TIP102[unsafe-fix]
    reporter(loss=model(inputs).pow(2).mean().item() * config["scale"])


@ray.remote(num_gpus=0)
def fit(scale):
    model = nn.Linear(4, 2).cuda()  # expect: TIP102[unsafe-fix]
    return model(torch.randn(8, 4).cuda()).sum().item() * scale  # expect: TIP102[unsafe-fix]


def main():
    ray.init()
    register_trainable("search", lambda config, reporter: evaluate(config, reporter))
    run_experiments({"search": {"run": "search", "config": {"scale": 2.0}, "resources_per_trial": {"cpu": 2}}})
    print(ray.get([fit.remote(s) for s in (1.0, 2.0)]))


if __name__ == "__main__":
    main()
