# expect: none
"""[TIP101, TIP102, TIP103] train.py: builds model.MLPMixerTiny, chooses a device with the fallback idiom and moves the model and the batches (real-world pattern: model.py + train.py projects)."""
import torch
import torch.nn as nn
import torchvision
import torchvision.transforms as transforms

from model import MLPMixerTiny

device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
trainset = torchvision.datasets.CIFAR10(root="./data", train=True, download=True, transform=transforms.ToTensor())
trainloader = torch.utils.data.DataLoader(trainset, batch_size=256, shuffle=True, num_workers=2)
net = MLPMixerTiny()
net.to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)

for epoch in range(30):
    for i, data in enumerate(trainloader, 0):
        inputs, labels = data[0].to(device), data[1].to(device)
        optimizer.zero_grad()
        loss = criterion(net(inputs), labels)
        loss.backward()
        optimizer.step()
