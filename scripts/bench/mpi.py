#!/usr/bin/env python3
"""Scaling of `--distributed` at 2 ranks × 1 thread against 1 rank × 1 thread, in one run.

- PCA of Fashion-MNIST's 60000 × 784 training images, 50 components: the distributed
  covariance-eigen fit (`mpirun -np R latent pca fashion-mnist:train --distributed`); the fit time
  from the JSON summary (loading excluded: every rank reads the file), and the single-process
  `latent pca --solver covariance-eigen` for reference.
- CNN training (the network of scripts/bench/nn.py: conv 1→32, pool, conv 32→64, pool, 3136→128→10,
  Adam, batches of 128) on the first N Fashion-MNIST images for one epoch
  (`mpirun -np R latent train classifier --model cnn --distributed`): training samples per second
  as printed by rank 0 (evaluation excluded), and the seconds spent in the gradient all-reduce.

Efficiency = T(1 rank) / (2 · T(2 ranks)): 1.0 is perfect scaling. Each rank runs 1 thread
(--threads 1: OpenBLAS and Latent's loops), so 2 ranks use the 2 cores.
Usage: python3 scripts/bench/mpi.py [--latent .build/release/latent] [--images 3840] [--repeats 3]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
parser = argparse.ArgumentParser()
parser.add_argument("--latent", default=os.path.join(root, ".build", "release", "latent"))
parser.add_argument("--images", type=int, default=3840, help="training images for the CNN epoch")
parser.add_argument("--components", type=int, default=50)
parser.add_argument("--repeats", type=int, default=3, help="runs per configuration; the median is printed")
args = parser.parse_args()

env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_btl_vader_single_copy_mechanism="none", OPENBLAS_NUM_THREADS="1", LATENT_NUM_THREADS="1")


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2


def run(command):
    print("running:", " ".join(command), file=sys.stderr, flush=True)
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stdout}\n{done.stderr}")
    return done


def mpirun(ranks, *command):
    return ["mpirun", "--oversubscribe", "--bind-to", "core", "-np", str(ranks), args.latent, *command]


def pca_seconds(command):
    return json.loads(run(command).stdout)["fitSeconds"]


def cnn_rate(ranks, checkpoint):
    if os.path.exists(checkpoint):
        os.remove(checkpoint)
    done = run(mpirun(ranks, "train", "classifier", "--model", "cnn", "--epochs", "1", "--limit", str(args.images),
                      "--batch-size", "128", "--checkpoint", checkpoint, "--threads", "1", "--distributed"))
    rate = float(re.search(r"\((\d+) samples/s\)", done.stdout).group(1))
    seconds = float(re.search(r"all-reduce of the gradients: ([0-9.]+) s", done.stderr).group(1))
    epoch = float(re.search(r"  ([0-9.]+) s  \(", done.stdout).group(1))
    return rate, seconds, epoch


pca_args = ["pca", "fashion-mnist:train", "--components", str(args.components), "--threads", "1", "--json", "--quiet"]
rows = []
single = median([pca_seconds([args.latent, *pca_args, "--solver", "covariance-eigen"]) for _ in range(args.repeats)])
one = median([pca_seconds(mpirun(1, *pca_args, "--distributed")) for _ in range(args.repeats)])
two = median([pca_seconds(mpirun(2, *pca_args, "--distributed")) for _ in range(args.repeats)])
rows.append(("PCA fit, Fashion-MNIST 60000×784, 50 components", f"{single:.2f} s", f"{one:.2f} s", f"{two:.2f} s",
             f"{one / (2 * two):.2f}"))

with tempfile.TemporaryDirectory() as folder:
    checkpoint = os.path.join(folder, "cnn.safetensors")
    r1 = [cnn_rate(1, checkpoint) for _ in range(args.repeats)]
    r2 = [cnn_rate(2, checkpoint) for _ in range(args.repeats)]
rate1, rate2 = median([r[0] for r in r1]), median([r[0] for r in r2])
comm2, epoch2 = median([r[1] for r in r2]), median([r[2] for r in r2])
rows.append((f"CNN training, {args.images} images, batch 128 (samples/s)", "—", f"{rate1:.0f}", f"{rate2:.0f}",
             f"{rate2 / (2 * rate1):.2f}"))

print("| workload | single process | 1 rank | 2 ranks | efficiency at 2 |")
print("| --- | --- | --- | --- | --- |")
for row in rows:
    print("| " + " | ".join(row) + " |")
print(f"\nCNN on 2 ranks: all-reduce {comm2:.2f} s of a {epoch2:.1f} s epoch ({100 * comm2 / epoch2:.0f}%)")
