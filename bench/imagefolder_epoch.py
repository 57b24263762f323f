"""One epoch of torchvision ImageFolder + DataLoader (2 workers) over ROOT; prints images/s.

usage: /usr/bin/python3 imagefolder_epoch.py ROOT
"""
import sys
import time

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

torch.set_num_threads(1)
root = sys.argv[1]
transform = transforms.Compose([transforms.Resize(64), transforms.CenterCrop(64), transforms.ToTensor()])
start = time.perf_counter()
dataset = datasets.ImageFolder(root, transform=transform)
loader = DataLoader(dataset, batch_size=64, shuffle=True, num_workers=2,
                    generator=torch.Generator().manual_seed(0))
count = 0
for images, labels in loader:
    count += images.shape[0]
elapsed = time.perf_counter() - start
print(f"images_per_s={count / elapsed:.0f} seconds={elapsed:.3f} images={count} classes={len(dataset.classes)}")
