#!/usr/bin/python3
"""One training epoch's worth of data loading with torchvision's ImageFolder over ROOT: a shuffling
DataLoader with worker processes and a real transform, seeded so that two runs visit the samples in
the same order. Prints the classes, the sample count, then one line per sample in the order the
loader produced them: relative path, label, SHA-256 of the decoded tensor's bytes.

usage: imagefolder_epoch.py ROOT [--workers N] [--batch N] [--seed N]
"""
import argparse
import hashlib
import os

import torch
from torch.utils.data import DataLoader, Dataset
from torchvision import datasets, transforms


class Indexed(Dataset):
    """The wrapped dataset's (sample, label) with the sample's index, so paths can be reported."""

    def __init__(self, inner):
        self.inner = inner

    def __len__(self):
        return len(self.inner)

    def __getitem__(self, i):
        sample, label = self.inner[i]
        return i, sample, label


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seed", type=int, default=20261121)
    args = ap.parse_args()
    transform = transforms.Compose([
        transforms.Resize(72),
        transforms.CenterCrop(64),
        transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    ])
    folder = datasets.ImageFolder(args.root, transform=transform)
    loader = DataLoader(Indexed(folder), batch_size=args.batch, shuffle=True, num_workers=args.workers,
                        generator=torch.Generator().manual_seed(args.seed))
    print("classes", " ".join(folder.classes))
    print("samples", len(folder))
    for indices, tensors, labels in loader:
        for i, tensor, label in zip(indices.tolist(), tensors, labels.tolist()):
            path = os.path.relpath(folder.samples[i][0], args.root)
            digest = hashlib.sha256(tensor.contiguous().numpy().tobytes()).hexdigest()
            print(path, label, tuple(tensor.shape), digest, sep="\t")


if __name__ == "__main__":
    main()
