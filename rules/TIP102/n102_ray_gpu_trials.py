# expect: none
"""[TIP102] Trials that Ray Tune starts only on workers it has given a GPU (`resources_per_trial={"gpu": 1}`), and a task that asks for one (`@ray.remote(num_gpus=1)`): their code runs where a GPU is (look-alike of trials that ask for CPUs only)."""
import ray
import torch
import torch.nn as nn
from ray.tune import register_trainable, run_experiments


def evaluate(config, reporter):
    model = nn.Linear(4, 2).cuda()
    inputs = torch.randn(8, 4).cuda()
    reporter(loss=model(inputs).pow(2).mean().item() * config["scale"])


@ray.remote(num_gpus=1)
def fit(scale):
    model = nn.Linear(4, 2).cuda()
    return model(torch.randn(8, 4).cuda()).sum().item() * scale


def main():
    ray.init()
    register_trainable("search", lambda config, reporter: evaluate(config, reporter))
    run_experiments({"search": {"run": "search", "config": {"scale": 2.0}, "resources_per_trial": {"gpu": 1}}})
    print(ray.get([fit.remote(s) for s in (1.0, 2.0)]))


if __name__ == "__main__":
    main()
