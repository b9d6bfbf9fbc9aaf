#!/usr/bin/env python3
"""NMF on Fashion-MNIST: latent vs scikit-learn, same data, solver, initialisation, iterations and threads.

    swift build -c release && python3 scripts/bench/nmf.py [--rows 60000] [--components 50] [--max-iter 200] [--solver cd|mu]

Both sides run with tol=0, so they do exactly --max-iter iterations. Prints the time ratio
(latent / scikit-learn; ≤ 1 means latent is at least as fast) and both reconstruction errors.
A second pair of fits with max_iter=1 gives the initialisation cost and the per-iteration time.
"""
import os

from fashion import load_fashion, parse, report, run_latent, save_temp, timed

args = parse(__doc__, lambda p: (p.add_argument("--solver", default="cd", choices=["cd", "mu"]),
                                 p.add_argument("--beta-loss", default="frobenius", choices=["frobenius", "kullback-leibler"]),
                                 p.add_argument("--init", default="nndsvda", choices=["nndsvd", "nndsvda", "nndsvdar", "random"])))

import warnings  # noqa: E402

from sklearn.decomposition import NMF  # noqa: E402

warnings.simplefilter("ignore")
x = load_fashion(args.rows)
path = save_temp(x)
try:
    def latent(iterations):
        return run_latent(args, ["nmf", "--input", path, "--components", str(args.components), "--solver", args.solver,
                                 "--beta-loss", args.beta_loss, "--initialization", args.init,
                                 "--max-iterations", str(iterations), "--tolerance", "0"])

    def sklearn(iterations):
        nmf = NMF(n_components=args.components, solver=args.solver, beta_loss=args.beta_loss, init=args.init,
                  max_iter=iterations, tol=0, random_state=0)
        return timed(lambda: nmf.fit(x))

    ours = latent(args.max_iter)
    theirs_seconds, theirs = sklearn(args.max_iter)
    name = f"nmf {args.solver} {args.beta_loss} k={args.components} {x.shape[0]}x{x.shape[1]}"
    report(name + " total", ours["seconds"], theirs_seconds,
           f"iterations {ours['iterations']}/{theirs.n_iter_}; error latent {ours['reconstruction_error']:.6g}, "
           f"scikit-learn {theirs.reconstruction_err_:.6g} (ratio {ours['reconstruction_error'] / theirs.reconstruction_err_:.4f}); "
           f"threads {args.threads}")
    ours1 = latent(1)
    theirs1_seconds, _ = sklearn(1)
    steps = max(1, args.max_iter - 1)
    report(name + " per iteration", (ours["seconds"] - ours1["seconds"]) / steps, (theirs_seconds - theirs1_seconds) / steps,
           f"init + 1 iteration: latent {ours1['seconds']:.3f} s, scikit-learn {theirs1_seconds:.3f} s")
finally:
    os.remove(path)
