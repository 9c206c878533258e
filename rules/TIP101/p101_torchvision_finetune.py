"""[TIP101] Fine-tune a torchvision ResNet-18 on an ImageFolder: the head is replaced and trained, but nothing picks a GPU (real-world pattern: transfer-learning scripts)."""
import torch
import torch.nn as nn
from torchvision import datasets, models, transforms

data_transforms = transforms.Compose(
    [transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(), transforms.ToTensor(), transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]
)
image_dataset = datasets.ImageFolder("data/hymenoptera_data/train", data_transforms)
train_loader = torch.utils.data.DataLoader(image_dataset, batch_size=4, shuffle=True, num_workers=4)

model_ft = models.resnet18(weights=models.ResNet18_Weights.IMAGENET1K_V1)  # expect: TIP101[unsafe-fix]
model_ft.fc = nn.Linear(model_ft.fc.in_features, 2)
criterion = nn.CrossEntropyLoss()
optimizer_ft = torch.optim.SGD(model_ft.parameters(), lr=0.001, momentum=0.9)

for epoch in range(25):
    model_ft.train()
    running_loss = 0.0
    for inputs, labels in train_loader:
        optimizer_ft.zero_grad()
        preds = model_ft(inputs)
        loss = criterion(preds, labels)
        loss.backward()
        optimizer_ft.step()
        running_loss += loss.item() * inputs.size(0)
    print(f"epoch {epoch}: loss {running_loss / len(image_dataset):.4f}")
