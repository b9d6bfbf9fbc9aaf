"""Shared helpers of scripts/bench/{ica,nmf}.py: thread settings, Fashion-MNIST loading, running latent."""
import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time

FASHION = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"


def parse(description, extra):
    """Parses the common options (plus `extra(parser)`) and fixes the BLAS/OpenMP thread count
    before NumPy is imported, so scikit-learn and latent use the same number of threads."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--rows", type=int, default=60000, help="first N training images (default all 60000)")
    parser.add_argument("--components", type=int, default=50)
    parser.add_argument("--max-iter", type=int, default=200)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--latent", default=".build/release/latent", help="path of the latent executable")
    extra(parser)
    args = parser.parse_args()
    for name in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"]:
        os.environ[name] = str(args.threads)
    # Peers run with their own defaults (no OMP_WAIT_POLICY): that is what a user gets.
    return args


def load_fashion(rows):
    """The first `rows` Fashion-MNIST training images as float32 in [0, 1], rows × 784."""
    import numpy as np

    with gzip.open(FASHION, "rb") as f:
        data = f.read()
    x = np.frombuffer(data, dtype=np.uint8, offset=16).reshape(-1, 784)[:rows]
    return (x.astype(np.float32) / 255.0).copy()


def save_temp(x):
    """Writes `x` to a temporary .npy file and returns its path (the caller removes it)."""
    import numpy as np

    fd, path = tempfile.mkstemp(suffix=".npy")
    os.close(fd)
    np.save(path, x)
    return path


def run_latent(args, command):
    """Runs `latent bench …` and returns its JSON line as a dict."""
    cmd = [args.latent, "bench"] + command + ["--threads", str(args.threads)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def report(name, latent_seconds, sklearn_seconds, detail):
    ratio = latent_seconds / sklearn_seconds
    print(f"{name}: latent {latent_seconds:.3f} s, scikit-learn {sklearn_seconds:.3f} s, ratio {ratio:.2f}  ({detail})")
    sys.stdout.flush()
