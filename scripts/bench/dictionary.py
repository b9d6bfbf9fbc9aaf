#!/usr/bin/env python3
"""Mini-batch dictionary learning: Latent vs scikit-learn on Fashion-MNIST (60000 × 784, pixels in [0, 1]).

Both do the same work: MiniBatchDictionaryLearning with the same atoms, alpha, batch size, number of
epochs (so the same samples seen and steps), the same coding algorithm (lasso-LARS by default, as
scikit-learn's fit_algorithm="lars"), early stopping off (tol=0, max_no_improvement=None), and the
same thread count for BLAS. Each dictionary is then scored on the first --eval-rows training rows
by the mean of ½‖x − zD‖² + alpha‖z‖₁ with lasso-LARS codes.

    swift build -c release
    python3 scripts/bench/dictionary.py --threads 2            # full data, 1 epoch
    python3 scripts/bench/dictionary.py --rows 5000 --threads 2 # quick check

Prints one line per tool and ratio lines (Latent time / scikit-learn time; < 1 means Latent is faster).
"""
import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]


def load_fashion_mnist(path):
    with gzip.open(path, "rb") as f:
        data = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
    return (data.reshape(-1, 784).astype(np.float32) / 255.0)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")
    p.add_argument("--rows", type=int, default=None, help="train on the first ROWS images (default: all)")
    p.add_argument("--atoms", type=int, default=128)
    p.add_argument("--alpha", type=float, default=1.0)
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--algorithm", choices=["lasso-lars", "lasso-cd"], default="lasso-lars")
    p.add_argument("--eval-rows", type=int, default=2000)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--latent", default=str(ROOT / ".build" / "release" / "latent"))
    p.add_argument("--skip-sklearn", action="store_true")
    args = p.parse_args()

    threads = str(args.threads)
    os.environ.update(OMP_NUM_THREADS=threads, OPENBLAS_NUM_THREADS=threads,
                      MKL_NUM_THREADS=threads)
    x = load_fashion_mnist(args.data)
    train = x if args.rows is None else x[: args.rows]
    evaluation = x[: args.eval_rows]

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fashion.npy"
        np.save(path, train)
        cmd = [args.latent, "bench", "dictionary", "--input", str(path), "--atoms", str(args.atoms),
               "--alpha", str(args.alpha), "--batch-size", str(args.batch_size), "--epochs", str(args.epochs),
               "--algorithm", args.algorithm, "--eval-rows", str(args.eval_rows), "--threads", threads,
               "--seed", str(args.seed), "--json"]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=os.environ).stdout
        latent = json.loads(out.strip().splitlines()[-1])
    print(f"latent   {latent['seconds']:9.3f} s  objective {latent['objective']:.5f}  steps {latent['steps']}")
    if args.skip_sklearn:
        return

    from sklearn.decomposition import MiniBatchDictionaryLearning, sparse_encode
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=args.threads):
        model = MiniBatchDictionaryLearning(
            n_components=args.atoms, alpha=args.alpha, batch_size=args.batch_size, max_iter=args.epochs,
            fit_algorithm="lars" if args.algorithm == "lasso-lars" else "cd", shuffle=True,
            random_state=args.seed, tol=0.0, max_no_improvement=None)
        start = time.perf_counter()
        model.fit(train)
        seconds = time.perf_counter() - start
        d = model.components_
        z = sparse_encode(evaluation, d, algorithm="lasso_lars", alpha=args.alpha)
        objective = float((0.5 * ((evaluation - z @ d) ** 2).sum() + args.alpha * np.abs(z).sum()) / len(evaluation))
    print(f"sklearn  {seconds:9.3f} s  objective {objective:.5f}  steps {model.n_steps_}")
    print(f"ratio time latent/sklearn      {latent['seconds'] / seconds:.3f}   (target ≤ 1.0)")
    print(f"ratio objective latent/sklearn {latent['objective'] / objective:.4f}   (target ≤ 1.0)")
    if latent["steps"] != model.n_steps_:
        print(f"warning: step counts differ ({latent['steps']} vs {model.n_steps_})", file=sys.stderr)


if __name__ == "__main__":
    main()
