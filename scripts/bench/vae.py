#!/usr/bin/env python3
"""`latent train vae` vs the same VAE in PyTorch (CPU) on Fashion-MNIST, in one run.

Both train the MLP VAE of `latent train vae --architecture mlp --hidden 512 --code-size 16`:
encoder 784 → 512 (ReLU) → mean and log-variance heads of 16; decoder 16 → 512 (ReLU) → 784
Bernoulli logits; loss = mean over the batch of [BCE summed over pixels + KL(q(z|x) ‖ N(0, I))],
one reparameterised sample, Adam(1e-3), batch 128, the first `--limit` training images reshuffled
every epoch, PyTorch's default initialisation (which Latent's `Linear` also uses).

Printed per framework: training images per second (training only, median over epochs: Latent's
epoch time excludes its test pass, and so does the PyTorch timer) and the test ELBO after the last
epoch (nats per image, one sample per test image, higher is better).
Goals (issue 10): throughput ratio Latent ÷ PyTorch ≥ 1.0; test ELBO within 1 nat of PyTorch's.
PyTorch runs with its own threading defaults (no OMP_WAIT_POLICY set); `--threads` sets both.

Usage: python3 scripts/bench/vae.py [--latent .build/release/latent] [--epochs 5] [--limit 60000]
       [--threads 2] [--seed 1]
"""
import argparse
import gzip
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

FOLDER = "/usr/share/datasets/fashion-mnist"

parser = argparse.ArgumentParser()
parser.add_argument("--latent", default=os.path.join(os.path.dirname(__file__), "..", "..", ".build", "release", "latent"))
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--limit", type=int, default=60000)
parser.add_argument("--threads", type=int, default=os.cpu_count())
parser.add_argument("--seed", type=int, default=1)
args = parser.parse_args()


def images(name):
    with gzip.open(os.path.join(FOLDER, name), "rb") as f:
        data = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
    return (data.reshape(-1, 784) / 255.0).astype(np.float32)


def run_latent():
    """Per-epoch training seconds and the last epoch's test ELBO from `latent train vae`."""
    with tempfile.TemporaryDirectory() as folder:
        command = [args.latent, "train", "vae", "--architecture", "mlp", "--hidden", "512", "--code-size", "16",
                   "--epochs", str(args.epochs), "--batch-size", "128", "--learning-rate", "1e-3",
                   "--limit", str(args.limit), "--seed", str(args.seed), "--threads", str(args.threads),
                   "--output", os.path.join(folder, "vae.safetensors")]
        out = subprocess.run(command, capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"latent failed ({out.returncode}): {out.stderr.strip()}")
    seconds, elbo = [], None
    for line in out.stdout.splitlines():
        m = re.search(r"test elbo (-?[0-9.]+).*?([0-9.]+) s$", line)
        if m:
            elbo, seconds = float(m.group(1)), seconds + [float(m.group(2))]
    if not seconds:
        sys.exit("no epoch lines in latent's output:\n" + out.stdout)
    return seconds, elbo


def run_torch(train, test):
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    class VAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = nn.Sequential(nn.Linear(784, 512), nn.ReLU())
            self.mean, self.log_variance = nn.Linear(512, 16), nn.Linear(512, 16)
            self.decoder = nn.Sequential(nn.Linear(16, 512), nn.ReLU(), nn.Linear(512, 784))

        def terms(self, x):
            h = self.encoder(x)
            m, lv = self.mean(h), self.log_variance(h)
            z = m + torch.exp(0.5 * lv) * torch.randn_like(m)
            reconstruction = F.binary_cross_entropy_with_logits(self.decoder(z), x, reduction="none").sum(1)
            kl = 0.5 * (m.pow(2) + lv.exp() - 1 - lv).sum(1)
            return reconstruction, kl

    model = VAE()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x_train, x_test = torch.from_numpy(train), torch.from_numpy(test)
    seconds = []
    for _ in range(args.epochs):
        order = torch.randperm(len(x_train))
        start = time.perf_counter()
        for i in range(0, len(order), 128):
            reconstruction, kl = model.terms(x_train[order[i:i + 128]])
            loss = reconstruction.mean() + kl.mean()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        seconds.append(time.perf_counter() - start)
    with torch.no_grad():
        total = 0.0
        for i in range(0, len(x_test), 1000):
            reconstruction, kl = model.terms(x_test[i:i + 1000])
            total += -(reconstruction + kl).sum().item()
    return seconds, total / len(x_test)


def main():
    train, test = images("train-images-idx3-ubyte.gz")[:args.limit], images("t10k-images-idx3-ubyte.gz")
    latent_seconds, latent_elbo = run_latent()
    torch_seconds, torch_elbo = run_torch(train, test)
    latent_speed = len(train) / statistics.median(latent_seconds)
    torch_speed = len(train) / statistics.median(torch_seconds)
    print(f"VAE 784-512-16 on {len(train)} Fashion-MNIST images, batch 128, {args.epochs} epochs, {args.threads} threads")
    print(f"{'':10} {'images/s':>10} {'test ELBO':>10}")
    print(f"{'Latent':10} {latent_speed:10.0f} {latent_elbo:10.2f}")
    print(f"{'PyTorch':10} {torch_speed:10.0f} {torch_elbo:10.2f}")
    print(f"throughput ratio Latent ÷ PyTorch: {latent_speed / torch_speed:.2f} (goal ≥ 1.0); "
          f"ELBO difference: {latent_elbo - torch_elbo:+.2f} nats (goal within ±1)")


main()
