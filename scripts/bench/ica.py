#!/usr/bin/env python3
"""FastICA on Fashion-MNIST: latent vs scikit-learn, same data, iterations and thread count.

    swift build -c release && python3 scripts/bench/ica.py [--rows 60000] [--components 50] [--max-iter 200]

Both sides run with tol=0, so they do exactly --max-iter iterations. A second pair of fits with
max_iter=1 times the whitening alone, giving the per-iteration time too. Prints ratio lines
(latent seconds / scikit-learn seconds; ≤ 1 means latent is at least as fast).
"""
import os

from fashion import load_fashion, parse, report, run_latent, save_temp, timed

args = parse(__doc__, lambda p: (p.add_argument("--whiten-solver", default="svd", choices=["svd", "eigh"]),
                                 p.add_argument("--algorithm", default="parallel", choices=["parallel", "deflation"])))

import warnings  # noqa: E402

from sklearn.decomposition import FastICA  # noqa: E402

warnings.simplefilter("ignore")
x = load_fashion(args.rows)
path = save_temp(x)
solver = {"svd": "svd", "eigh": "eigen"}[args.whiten_solver]
try:
    def latent(iterations):
        return run_latent(args, ["ica", "--input", path, "--components", str(args.components), "--max-iterations",
                                 str(iterations), "--tolerance", "0", "--algorithm", args.algorithm,
                                 "--whitening-solver", solver])

    def sklearn(iterations):
        ica = FastICA(n_components=args.components, algorithm=args.algorithm, whiten="unit-variance",
                      whiten_solver=args.whiten_solver, fun="logcosh", max_iter=iterations, tol=0, random_state=0)
        return timed(lambda: ica.fit(x))

    ours = latent(args.max_iter)
    theirs_seconds, theirs = sklearn(args.max_iter)
    report(f"fastica {args.algorithm} k={args.components} {x.shape[0]}x{x.shape[1]} total", ours["seconds"], theirs_seconds,
           f"iterations latent {ours['iterations']}, scikit-learn {theirs.n_iter_}; threads {args.threads}")
    ours1 = latent(1)
    theirs1_seconds, _ = sklearn(1)
    steps = max(1, args.max_iter - 1)
    report(f"fastica {args.algorithm} per iteration", (ours["seconds"] - ours1["seconds"]) / steps,
           (theirs_seconds - theirs1_seconds) / steps,
           f"whitening + 1 iteration: latent {ours1['seconds']:.3f} s, scikit-learn {theirs1_seconds:.3f} s")
finally:
    os.remove(path)
