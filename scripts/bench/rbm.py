#!/usr/bin/env python3
"""Bernoulli RBM training speed: `latent bench rbm` against scikit-learn's BernoulliRBM.

Both train PCD-1 with the same hidden units, batch size, learning rate and epochs on Fashion-MNIST
(60000 x 784, pixels / 255, Float32), batches in data order, with the same number of threads.
Prints one line per tool and a ratio line (Latent time / scikit-learn time; below 1 is faster).

    python3 scripts/bench/rbm.py --threads 2 --batch-size 100 --epochs 10
    python3 scripts/bench/rbm.py --rows 5000 --epochs 1      # quick check
"""
import argparse
import gzip
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--images", default="/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")
parser.add_argument("--latent", default=str(pathlib.Path(__file__).resolve().parents[2] / ".build" / "release" / "latent"))
parser.add_argument("--rows", type=int, default=None, help="use only the first ROWS images")
parser.add_argument("--hidden", type=int, default=256)
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--batch-size", type=int, default=100)
parser.add_argument("--learning-rate", type=float, default=0.1)
parser.add_argument("--threads", type=int, default=os.cpu_count())
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()

# Thread settings must be in place before NumPy loads OpenBLAS / OpenMP.
for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[name] = str(args.threads)
# No OMP_WAIT_POLICY: peers run with their own defaults.

import numpy as np  # noqa: E402
from sklearn.neural_network import BernoulliRBM  # noqa: E402

with gzip.open(args.images, "rb") as f:
    raw = f.read()
x = (np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255).astype(np.float32)
if args.rows:
    x = x[: args.rows]
x = np.ascontiguousarray(x)

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "fashion.npy")
    np.save(path, x)
    cmd = [args.latent, "bench", "rbm", "--input", path, "--hidden", str(args.hidden), "--epochs", str(args.epochs),
           "--batch-size", str(args.batch_size), "--learning-rate", str(args.learning_rate),
           "--threads", str(args.threads), "--seed", str(args.seed), "--json"]
    latent = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)

rbm = BernoulliRBM(n_components=args.hidden, learning_rate=args.learning_rate, batch_size=args.batch_size,
                   n_iter=args.epochs, random_state=args.seed)
start = time.perf_counter()
rbm.fit(x)
sk_seconds = time.perf_counter() - start
sk_pseudo = float(rbm.score_samples(x).mean())
hidden = rbm.transform(x)
reconstruction = 1 / (1 + np.exp(-(hidden @ rbm.components_ + rbm.intercept_visible_)))
sk_error = float(((x - reconstruction) ** 2).mean())

shape = f"{x.shape[0]}x{x.shape[1]} hidden {args.hidden} epochs {args.epochs} batch {args.batch_size} threads {args.threads}"
print(f"latent       rbm {shape}: {latent['seconds']:.3f} s, pseudo-likelihood {latent['pseudo_likelihood']:.2f}, "
      f"reconstruction error {latent['reconstruction_error']:.5f}")
print(f"scikit-learn rbm {shape}: {sk_seconds:.3f} s, pseudo-likelihood {sk_pseudo:.2f}, reconstruction error {sk_error:.5f}")
print(f"ratio rbm latent/scikit-learn: {latent['seconds'] / sk_seconds:.3f}")
sys.stdout.flush()
