#!/usr/bin/env python3
"""Sparse vs dense embedding gradients: Latent (`latent bench sparse-embedding`) and PyTorch in one run.

Both train a 100 000 × 300 table looked up by 1024 random ids per step, loss mean(e²), with SGD and
Adam: PyTorch with `nn.Embedding(sparse=True)` + SGD / SparseAdam for the sparse column and
`sparse=False` + SGD / Adam for the dense one. PyTorch runs with its own default threading.
Prints steps per second and the ratio Latent / PyTorch (> 1: Latent faster).
Usage: python3 scripts/bench/sparse_embedding.py [--latent .build/release/latent] [--steps 200]
"""
import argparse
import json
import os
import subprocess
import time

parser = argparse.ArgumentParser()
parser.add_argument("--latent", default=os.path.join(os.path.dirname(__file__), "..", "..", ".build", "release", "latent"))
parser.add_argument("--steps", type=int, default=200)
parser.add_argument("--vocabulary", type=int, default=100_000)
parser.add_argument("--dimension", type=int, default=300)
parser.add_argument("--batch-size", type=int, default=1024)
args = parser.parse_args()

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

torch.manual_seed(0)


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def torch_rate(sparse, adam):
    table = nn.Embedding(args.vocabulary, args.dimension, sparse=sparse)
    if adam:
        opt = torch.optim.SparseAdam(table.parameters(), lr=1e-3) if sparse else torch.optim.Adam(table.parameters(), lr=1e-3)
    else:
        opt = torch.optim.SGD(table.parameters(), lr=0.1)
    batches = [torch.randint(args.vocabulary, (args.batch_size,)) for _ in range(8)]
    n = args.steps if sparse else max(3, args.steps // 10)

    def run():
        for s in range(n):
            opt.zero_grad()
            table(batches[s % 8]).pow(2).mean().backward()
            opt.step()
    run()
    times = []
    for _ in range(3):
        t = time.perf_counter(); run(); times.append(time.perf_counter() - t)
    return n / median(times)


out = subprocess.run([args.latent, "bench", "sparse-embedding", "--json", "--steps", str(args.steps),
                      "--vocabulary", str(args.vocabulary), "--dimension", str(args.dimension),
                      "--batch-size", str(args.batch_size)], check=True, capture_output=True, text=True).stdout
latent = json.loads(out.strip().splitlines()[-1])
print(f"embedding {args.vocabulary} x {args.dimension}, batch {args.batch_size}: steps/s")
print(f"{'':14}{'Latent':>10}{'PyTorch':>10}{'ratio':>8}")
for opt in ("sgd", "adam"):
    for kind in ("sparse", "dense"):
        ours = latent[f"{opt}_{kind}_steps_per_s"]
        theirs = torch_rate(kind == "sparse", opt == "adam")
        print(f"{opt + ' ' + kind:14}{ours:10.1f}{theirs:10.1f}{ours / theirs:8.2f}")
