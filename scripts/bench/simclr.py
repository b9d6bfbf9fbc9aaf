#!/usr/bin/env python3
"""SimCLR training throughput: Latent (`latent train simclr`) vs PyTorch (CPU), same run.

Both train the same thing on the first N Fashion-MNIST training images for one epoch:
- encoder f: [3×3 conv (no bias) → BatchNorm → ReLU] × 3 with 32, 64, 128 channels, 2×2 max-pool
  between blocks, global average pool (128 features); projection g: 128 → 128 → ReLU → 64;
- two views per image: random resized crop (area 0.2–1, ratio 3/4–4/3, bilinear, to 28 × 28),
  horizontal flip (p 0.5), brightness and contrast jitter 0.4 (p 0.8, clamped to [0, 1]),
  Gaussian blur 3 × 3 with σ ∈ [0.1, 2] (p 0.5);
- NT-Xent with τ = 0.5 over the 2B views, Adam(1e-3), batch 256, the last partial batch dropped.
PyTorch has no torchvision here, so its augmentations are batched tensor ops (per-sample affine
grids through `grid_sample`, grouped convolution for the blur) — the fast way to write them.

Images per second = training images / epoch wall time (each image gives two views). PyTorch
runs with its own default threading (no OMP_WAIT_POLICY); Latent with its default (all cores).
Usage: python3 scripts/bench/simclr.py [--rows 10240] [--latent .build/release/latent] [--quick]
"""
import argparse
import gzip
import math
import os
import re
import subprocess
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=10240, help="training images in the epoch (default 10240 = 40 batches)")
parser.add_argument("--batch-size", type=int, default=256)
parser.add_argument("--latent", default=os.path.join(os.path.dirname(__file__), "..", "..", ".build", "release", "latent"))
parser.add_argument("--quick", action="store_true", help="2048 images (8 batches): a smoke run")
args = parser.parse_args()
if args.quick:
    args.rows = 2048

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

FASHION = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
with gzip.open(FASHION, "rb") as f:
    images = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 1, 28, 28)[: args.rows]
x_all = torch.from_numpy(images.astype(np.float32) / 255.0)


def encoder():
    layers, c = [], 1
    for i, f in enumerate([32, 64, 128]):
        if i > 0:
            layers.append(nn.MaxPool2d(2))
        layers += [nn.Conv2d(c, f, 3, padding=1, bias=False), nn.BatchNorm2d(f), nn.ReLU()]
        c = f
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
    return nn.Sequential(*layers)


def augment(x, g):
    """Two-view augmentation of a batch (B, 1, 28, 28), all random choices from generator g."""
    b = x.shape[0]
    # random resized crop: area s ∈ [0.2, 1], log-ratio uniform; box clipped into the image
    s = torch.empty(b).uniform_(0.2, 1.0, generator=g)
    r = torch.exp(torch.empty(b).uniform_(math.log(3 / 4), math.log(4 / 3), generator=g))
    w = torch.sqrt(s * r).clamp(max=1.0)
    h = torch.sqrt(s / r).clamp(max=1.0)
    cx = (torch.rand(b, generator=g) * 2 - 1) * (1 - w)
    cy = (torch.rand(b, generator=g) * 2 - 1) * (1 - h)
    flip = torch.where(torch.rand(b, generator=g) < 0.5, -1.0, 1.0)
    theta = torch.zeros(b, 2, 3)
    theta[:, 0, 0] = w * flip
    theta[:, 0, 2] = cx
    theta[:, 1, 1] = h
    theta[:, 1, 2] = cy
    grid = F.affine_grid(theta, (b, 1, 28, 28), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
    # brightness, then contrast around each image's mean (p 0.8), clamped
    jitter = (torch.rand(b, generator=g) < 0.8).float().view(b, 1, 1, 1)
    bf = torch.empty(b, 1, 1, 1).uniform_(0.6, 1.4, generator=g)
    cf = torch.empty(b, 1, 1, 1).uniform_(0.6, 1.4, generator=g)
    y = (x * bf).clamp(0, 1)
    m = y.mean(dim=(1, 2, 3), keepdim=True)
    y = ((y - m) * cf + m).clamp(0, 1)
    x = jitter * y + (1 - jitter) * x
    # Gaussian blur 3×3, σ ∈ [0.1, 2] (p 0.5): one kernel per image through a grouped convolution
    sigma = torch.empty(b).uniform_(0.1, 2.0, generator=g)
    t = torch.tensor([-1.0, 0.0, 1.0])
    k1 = torch.exp(-(t.view(1, 3) ** 2) / (2 * sigma.view(b, 1) ** 2))
    k1 = k1 / k1.sum(dim=1, keepdim=True)
    k2 = (k1.view(b, 3, 1) * k1.view(b, 1, 3)).view(b, 1, 3, 3)
    blurred = F.conv2d(F.pad(x.view(1, b, 28, 28), (1, 1, 1, 1), mode="reflect"), k2, groups=b).view(b, 1, 28, 28)
    blur = (torch.rand(b, generator=g) < 0.5).float().view(b, 1, 1, 1)
    return blur * blurred + (1 - blur) * x


def nt_xent(a, b, tau):
    n = a.shape[0]
    z = F.normalize(torch.cat([a, b]), dim=1)
    sim = z @ z.t() / tau
    sim.fill_diagonal_(-1e9)
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, target)


def pytorch_epoch():
    torch.manual_seed(0)
    f, g_head = encoder(), nn.Sequential(nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 64))
    opt = torch.optim.Adam(list(f.parameters()) + list(g_head.parameters()), lr=1e-3)
    gen = torch.Generator().manual_seed(0)
    order = torch.randperm(args.rows, generator=gen)
    steps = args.rows // args.batch_size
    start = time.perf_counter()
    for s in range(steps):
        batch = x_all[order[s * args.batch_size:(s + 1) * args.batch_size]]
        v1, v2 = augment(batch, gen), augment(batch, gen)
        z = g_head(f(torch.cat([v1, v2])))
        loss = nt_xent(z[: len(batch)], z[len(batch):], 0.5)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return args.rows / (time.perf_counter() - start), float(loss)


def latent_epoch():
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([args.latent, "train", "simclr", "--limit", str(args.rows), "--epochs", "1",
                              "--batch-size", str(args.batch_size), "--filters", "32,64,128", "--temperature", "0.5",
                              "--projection", "128,64", "--output", os.path.join(tmp, "simclr.safetensors")],
                             capture_output=True, text=True, check=True).stdout
    m = re.search(r"train loss ([0-9.]+).*?([0-9.]+) images/s", out)
    return float(m.group(2)), float(m.group(1))


torch_speed, torch_loss = pytorch_epoch()
latent_speed, latent_loss = latent_epoch()
print(f"SimCLR, {args.rows} Fashion-MNIST images, batch {args.batch_size}, encoder 32-64-128, one epoch; "
      f"PyTorch {torch.__version__} with {torch.get_num_threads()} threads (its default)")
print(f"  PyTorch: {torch_speed:8.1f} images/s  (last-batch loss {torch_loss:.3f})")
print(f"  Latent:  {latent_speed:8.1f} images/s  (mean epoch loss {latent_loss:.3f})")
print(f"  Latent / PyTorch: {latent_speed / torch_speed:.2f}x (goal ≥ 1.0)")
