#!/usr/bin/env python3
"""PCA speed: Latent's solvers beside scikit-learn's, on the same data, threads and machine.

    python3 scripts/bench/pca.py --fashion-mnist --threads 2     # 60000 x 784 float32, 50 components
    python3 scripts/bench/pca.py --rows 20000 --cols 784         # synthetic, decaying spectrum

The data go to Latent as a temporary .npy (`latent bench pca --input … --json`); scikit-learn's
solvers (full, covariance_eigh where available, randomized) run in this process under
threadpoolctl with the same thread count and their own defaults otherwise (run on an idle machine).
Prints one line per solver and the ratio of Latent's best time to scikit-learn's fastest,
the largest explained-variance-ratio difference against scikit-learn's full SVD, and Latent's peak
resident memory as a multiple of the input's bytes.
"""
import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time

# Peers run with their own defaults (no OMP_WAIT_POLICY): what a user gets.

import numpy as np  # noqa: E402


def fashion_mnist(folder):
    with gzip.open(os.path.join(folder, "train-images-idx3-ubyte.gz"), "rb") as f:
        raw = f.read()
    n, rows, cols = (int.from_bytes(raw[i:i + 4], "big") for i in (4, 8, 12))
    return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, rows * cols).astype(np.float32) / 255.0


def synthetic(n, d, seed):
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    scales = np.exp(-np.arange(d) / 20) + 0.05
    x = (rng.standard_normal((n, d)) * scales) @ q.T + rng.uniform(-1, 1, d)
    return x.astype(np.float32)


def median_time(fn, repeats, warmup):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--fashion-mnist", action="store_true", help="use /usr/share/datasets/fashion-mnist (train images)")
    p.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--rows", type=int, default=20000)
    p.add_argument("--cols", type=int, default=784)
    p.add_argument("--components", type=int, default=50)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--latent", default=".build/release/latent", help="the latent executable (swift build -c release)")
    p.add_argument("--solvers", default="covarianceEigen,randomized,full", help="Latent solvers to time")
    p.add_argument("--sklearn-solvers", default="covariance_eigh,full,randomized",
                   help="scikit-learn solvers to time (covariance_eigh is skipped where unavailable)")
    args = p.parse_args()

    x = fashion_mnist(args.data_dir) if args.fashion_mnist else synthetic(args.rows, args.cols, 0)
    x = np.ascontiguousarray(x, dtype=np.float32)
    print(f"data {x.shape[0]}x{x.shape[1]} float32 ({x.nbytes / 2**20:.0f} MiB), {args.components} components, "
          f"{args.threads} threads")

    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(args.threads))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "x.npy")
        np.save(path, x)
        cmd = [args.latent, "bench", "pca", "--input", path, "--components", str(args.components),
               "--solvers", args.solvers, "--threads", str(args.threads), "--repeats", str(args.repeats),
               "--warmup", str(args.warmup), "--json"]
        out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    latent = json.loads(out.strip().splitlines()[-1])

    from threadpoolctl import threadpool_limits
    import sklearn
    from sklearn.decomposition import PCA

    solvers = [s for s in args.sklearn_solvers.split(",") if s]
    try:
        PCA(n_components=1, svd_solver="covariance_eigh").fit(np.random.default_rng(0).standard_normal((10, 3)))
    except ValueError:
        solvers = [s for s in solvers if s != "covariance_eigh"]
    sk = {}
    with threadpool_limits(limits=args.threads):
        for solver in solvers:
            pca = PCA(n_components=args.components, svd_solver=solver, random_state=0)
            seconds, model = median_time(lambda: pca.fit(x), args.repeats, args.warmup)
            sk[solver] = (seconds, model.explained_variance_ratio_.astype(np.float64))
            print(f"sklearn {sklearn.__version__} {solver}: {seconds:.4f} s, ratio sum {sk[solver][1].sum():.6f}")

    # Reference ratios: scikit-learn's full SVD in float64 (exact up to rounding), whatever was timed.
    reference = PCA(n_components=args.components, svd_solver="covariance_eigh" if len(x) >= 10 * x.shape[1] else "full").fit(
        x.astype(np.float64)).explained_variance_ratio_
    fastest_name = min(sk, key=lambda s: sk[s][0])
    fastest = sk[fastest_name][0]
    for r in latent["results"]:
        ratios = np.asarray(r["explained_variance_ratio"])
        diff = np.max(np.abs(ratios - reference) / np.abs(reference))
        print(f"latent {r['solver']} ({r['used']}): {r['seconds']:.4f} s = {r['seconds'] / fastest:.2f} x sklearn fastest "
              f"({fastest_name} {fastest:.4f} s); max relative ratio difference vs float64 reference {diff:.2e}; "
              f"peak RSS {r['peak_over_input']:.2f} x input bytes (fit added {r['fit_extra_over_input']:.2f} x)")
    best = min(latent["results"], key=lambda r: r["seconds"])
    print(f"RESULT best latent {best['solver']} {best['seconds']:.4f} s / sklearn {fastest_name} {fastest:.4f} s = "
          f"{best['seconds'] / fastest:.2f} (target <= 0.7)")


if __name__ == "__main__":
    sys.exit(main())
