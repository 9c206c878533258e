# expect: none
"""[TIP401] train.py: steps each optimizer of the group by name; the schedules are left as they are."""
from torch.utils.data import DataLoader

from multi_opt import make_group
from voice_data import Utterances
from voice_nets import Generator, Critic


def main(epochs=50):
    loader = DataLoader(Utterances("train"), batch_size=16, shuffle=True)
    gen, critic = Generator(), Critic()
    group = make_group({"gen": gen.parameters(), "critic": critic.parameters()}, epochs * len(loader))
    for epoch in range(epochs):
        for mel, text in loader:
            group.zero_grad()
            critic(gen(text).detach(), mel).backward()
            group.step("critic")
            group.zero_grad()
            (-critic(gen(text), mel)).backward()
            group.step("gen")


if __name__ == "__main__":
    main()
