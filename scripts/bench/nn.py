#!/usr/bin/env python3
"""LatentNN vs PyTorch (CPU) on the configurations of `latent bench nn`, in one run, same threads.

- MLP 784-256-256-10 (ReLU) and CNN (conv 1→32 3×3, ReLU, pool 2, conv 32→64 3×3, ReLU, pool 2,
  linear 3136→128, ReLU, linear 128→10) trained with Adam(1e-3) on synthetic 28×28 batches of 128:
  samples per second (median over epochs of a fixed number of batches).
- One forward/backward of a 4-block pre-LN causal transformer (d = 128, 4 heads, GELU MLP 4×)
  with token and position embeddings, final LayerNorm and a vocabulary head + cross-entropy, on
  32 × 64 tokens from a vocabulary of 1000.

Ratios are PyTorch time / Latent time (> 1 means Latent is faster); goals: MLP ≥ 1.0, CNN ≥ 0.8.
Usage: python3 scripts/bench/nn.py [--threads 2] [--latent .build/release/latent] [--batches 100]
       [--cnn-batches 10] [--epochs 3]
"""
import argparse
import json
import os
import subprocess
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=os.cpu_count())
parser.add_argument("--latent", default=os.path.join(os.path.dirname(__file__), "..", "..", ".build", "release", "latent"))
parser.add_argument("--batches", type=int, default=100)
parser.add_argument("--cnn-batches", type=int, default=10)
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--batch-size", type=int, default=128)
parser.add_argument("--repeats", type=int, default=3)
args = parser.parse_args()

import torch  # noqa: E402  (after OMP_WAIT_POLICY is set)
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(args.threads)
torch.manual_seed(0)
B = args.batch_size


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2


def mlp():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))


def cnn():
    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10))


def train_rate(model, shape, batches):
    n = batches * B
    x = torch.rand(n, *shape)
    y = torch.randint(0, 10, (n,))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def epoch():
        perm = torch.randperm(n)
        for i in range(batches):
            idx = perm[i * B:(i + 1) * B]
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()

    model(x[:B]).sum().backward()   # warm-up
    rates = []
    for _ in range(args.epochs):
        t = time.perf_counter()
        epoch()
        rates.append(n / (time.perf_counter() - t))
    return median(rates)


class GPT(nn.Module):
    def __init__(self, V=1000, T=64, C=128, layers=4, heads=4):
        super().__init__()
        self.tok, self.pos = nn.Embedding(V, C), nn.Embedding(T, C)
        layer = nn.TransformerEncoderLayer(C, heads, 4 * C, dropout=0.0, activation="gelu", batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.norm, self.head = nn.LayerNorm(C), nn.Linear(C, V)
        self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(T))

    def forward(self, ids):
        h = self.tok(ids) + self.pos(torch.arange(ids.shape[1]))          # (B, T, C)
        h = self.blocks(h, mask=self.mask, is_causal=True)
        return self.head(self.norm(h))                                     # (B, T, V)


def transformer():
    Bt, T, V = 32, 64, 1000
    model = GPT()
    ids, targets = torch.randint(0, V, (Bt, T)), torch.randint(0, V, (Bt * T,))

    def loss():
        return F.cross_entropy(model(ids).reshape(Bt * T, V), targets)

    with torch.no_grad():
        loss()
    fwd, tot = [], []
    for _ in range(args.repeats):
        with torch.no_grad():
            t = time.perf_counter(); loss(); fwd.append(time.perf_counter() - t)
        t = time.perf_counter(); loss().backward(); tot.append(time.perf_counter() - t)
    return median(fwd) * 1e3, median(tot) * 1e3


# --- Latent first (a separate process), then PyTorch in this one
cmd = [args.latent, "bench", "nn", "--json", "--threads", str(args.threads), "--batches", str(args.batches),
       "--cnn-batches", str(args.cnn_batches), "--epochs", str(args.epochs), "--batch-size", str(B),
       "--repeats", str(args.repeats)]
out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
print(out.strip())
latent = json.loads(out.strip().splitlines()[-1])

torch_mlp = train_rate(mlp(), (784,), args.batches)
torch_cnn = train_rate(cnn(), (1, 28, 28), args.cnn_batches)
torch_fwd, torch_tot = transformer()

print(f"\nthreads {args.threads}, batch {B}, torch {torch.__version__}")
print(f"{'':28}{'Latent':>12}{'PyTorch':>12}{'ratio':>8}")
rows = [("MLP train (samples/s)", latent["mlp"]["samples_per_s"], torch_mlp, latent["mlp"]["samples_per_s"] / torch_mlp),
        ("CNN train (samples/s)", latent["cnn"]["samples_per_s"], torch_cnn, latent["cnn"]["samples_per_s"] / torch_cnn),
        ("transformer fwd (ms)", latent["transformer"]["forward_ms"], torch_fwd, torch_fwd / latent["transformer"]["forward_ms"]),
        ("transformer fwd+bwd (ms)", latent["transformer"]["forward_backward_ms"], torch_tot,
         torch_tot / latent["transformer"]["forward_backward_ms"])]
for name, a, b, r in rows:
    print(f"{name:28}{a:12.1f}{b:12.1f}{r:8.2f}")
print("goals: MLP ratio >= 1.0, CNN ratio >= 0.8 (ratio > 1: Latent faster)", file=sys.stderr)
