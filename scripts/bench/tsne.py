#!/usr/bin/env python3
"""t-SNE speed and quality: Latent's Barnes-Hut t-SNE beside scikit-learn's and openTSNE's.

    python3 scripts/bench/tsne.py --threads 2               # 10000 Fashion-MNIST test images, PCA to 50
    python3 scripts/bench/tsne.py --rows 2000 --threads 2   # a quick check

The images (t10k, scaled to [0, 1]) are reduced to 50 dimensions by scikit-learn's PCA and written
to a temporary pca50.npy (float32) that all three tools embed: perplexity 30, theta/angle 0.5,
PCA initialisation, learning rate "auto", 1000 iterations in all (250 of them with early
exaggeration 12), exact nearest neighbours. scikit-learn and openTSNE run in this process under
threadpoolctl and n_jobs with the same thread count as `latent bench tsne --threads`, otherwise
with their own defaults (run on an idle machine). Differences that remain:
openTSNE's learning rate "auto" is n / 12 (scikit-learn and Latent: max(n / 48, 50)), and each tool
reports its own KL estimate. Prints seconds, final KL and 10-NN preservation (fraction of each
point's 10 nearest neighbours in the 50-D input that are among its 10 nearest in the embedding)
per tool, then Latent's ratios to scikit-learn (goals: time <= 1.0x, KL within 5%).
"""
import argparse
import gzip
import json
import os
import subprocess
import tempfile
import time

# Peers run with their own defaults (no OMP_WAIT_POLICY).

import numpy as np  # noqa: E402


def fashion_mnist_test(folder, rows):
    with gzip.open(os.path.join(folder, "t10k-images-idx3-ubyte.gz"), "rb") as f:
        raw = f.read()
    n, r, c = (int.from_bytes(raw[i:i + 4], "big") for i in (4, 8, 12))
    x = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, r * c).astype(np.float32) / 255.0
    return x[:rows]


def knn_preservation(x, y, k=10):
    from sklearn.neighbors import NearestNeighbors
    a = NearestNeighbors(n_neighbors=k).fit(x).kneighbors(return_distance=False)
    b = NearestNeighbors(n_neighbors=k).fit(y).kneighbors(return_distance=False)
    return float(np.mean([len(set(a[i]) & set(b[i])) / k for i in range(len(x))]))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--rows", type=int, default=10000)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--perplexity", type=float, default=30.0)
    p.add_argument("--iterations", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--latent", default=".build/release/latent", help="the latent executable (swift build -c release)")
    p.add_argument("--skip-opentsne", action="store_true")
    args = p.parse_args()

    from sklearn.decomposition import PCA
    from sklearn.manifold import TSNE
    from threadpoolctl import threadpool_limits

    x784 = fashion_mnist_test(args.data_dir, args.rows)
    with threadpool_limits(limits=args.threads):
        x = PCA(n_components=50, random_state=args.seed).fit_transform(x784).astype(np.float32)
    results = {}

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "pca50.npy")
        np.save(path, x)
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(args.threads))
        cmd = [args.latent, "bench", "tsne", "--input", path, "--perplexity", str(args.perplexity),
               "--iterations", str(args.iterations), "--threads", str(args.threads), "--seed", str(args.seed), "--json"]
        out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
        latent = json.loads(out.strip().splitlines()[-1])
        results["latent"] = (latent["seconds"], latent["kl"], latent["knn_preservation"])

    with threadpool_limits(limits=args.threads):
        tsne = TSNE(n_components=2, perplexity=args.perplexity, method="barnes_hut", angle=0.5, init="pca",
                    learning_rate="auto", max_iter=args.iterations, n_jobs=args.threads, random_state=args.seed)
        start = time.perf_counter()
        y = tsne.fit_transform(x)
        seconds = time.perf_counter() - start
        results["sklearn"] = (seconds, float(tsne.kl_divergence_), knn_preservation(x, y))

        if not args.skip_opentsne:
            try:
                import openTSNE
            except ImportError:
                print("openTSNE is not installed (pip install openTSNE); skipped")
            else:
                ot = openTSNE.TSNE(n_components=2, perplexity=args.perplexity, theta=0.5, initialization="pca",
                                   negative_gradient_method="bh", neighbors="exact", learning_rate="auto",
                                   early_exaggeration_iter=250, early_exaggeration=12,
                                   n_iter=args.iterations - 250, n_jobs=args.threads, random_state=args.seed)
                start = time.perf_counter()
                emb = ot.fit(x)
                seconds = time.perf_counter() - start
                results["openTSNE"] = (seconds, float(emb.kl_divergence), knn_preservation(x, np.asarray(emb)))

    print(f"t-SNE on {x.shape[0]} x {x.shape[1]} (Fashion-MNIST test, PCA 50), perplexity {args.perplexity}, "
          f"{args.iterations} iterations, {args.threads} threads")
    for name, (seconds, kl, pres) in results.items():
        print(f"{name:9s} {seconds:8.3f} s   KL {kl:.4f}   10-NN preservation {pres:.4f}")
    print(f"latent exact kNN ({min(x.shape[0] - 1, int(3 * args.perplexity + 1))} neighbours) alone: {latent['knn_seconds']:.3f} s")
    lt, lk, _ = results["latent"]
    st, sk, _ = results["sklearn"]
    print(f"RESULT latent/sklearn time {lt / st:.2f}x (goal <= 1.0)  KL {lk / sk:.3f}x (goal within 5%: "
          f"{'met' if abs(lk / sk - 1) <= 0.05 else 'NOT met'})")


if __name__ == "__main__":
    main()
