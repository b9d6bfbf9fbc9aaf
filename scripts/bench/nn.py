#!/usr/bin/env python3
"""LatentNN vs PyTorch (CPU) on the configurations of `latent bench nn`, in one run, same threads.

- MLP 784-256-256-10 (ReLU) and CNN (conv 1→32 3×3, ReLU, pool 2, conv 32→64 3×3, ReLU, pool 2,
  linear 3136→128, ReLU, linear 128→10) trained with Adam(1e-3) on synthetic 28×28 batches of 128:
  samples per second (median over epochs of a fixed number of batches).
- One forward/backward of a 4-block pre-LN causal transformer (d = 128, 4 heads, GELU MLP 4×)
  with token and position embeddings, final LayerNorm and a vocabulary head + cross-entropy, on
  32 × 64 tokens from a vocabulary of 1000.

The peer is PyTorch with its own defaults (no OMP_WAIT_POLICY set): that is the headline ratio.
A second column runs the same PyTorch code in a subprocess with OMP_WAIT_POLICY=PASSIVE (its
OpenMP workers sleep instead of spinning between ops), for reference only.
`--rounds N` alternates Latent and PyTorch N times back to back and prints the medians, which is
what to quote on a shared (noisy) machine.

Ratios are Latent speed / PyTorch speed (> 1 means Latent is faster);
goals: MLP ≥ 1.0, CNN ≥ 1.0, transformer forward ≥ 1.0, forward + backward ≥ 1.0.
Also printed: the same ratios in CPU time (user + system of all threads; on a busy machine, with
--threads 1, the number to compare), and the peak resident memory of each process (getrusage
ru_maxrss after each workload; goal: Latent's peak ≤ 1.5 × PyTorch's).
Usage: python3 scripts/bench/nn.py [--threads 2] [--latent .build/release/latent] [--batches 100]
       [--cnn-batches 10] [--epochs 3] [--rounds 1] [--no-passive]
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=os.cpu_count())
parser.add_argument("--latent", default=os.path.join(os.path.dirname(__file__), "..", "..", ".build", "release", "latent"))
parser.add_argument("--batches", type=int, default=100)
parser.add_argument("--cnn-batches", type=int, default=10)
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--batch-size", type=int, default=128)
parser.add_argument("--repeats", type=int, default=3)
parser.add_argument("--rounds", type=int, default=1, help="Latent/PyTorch alternations; medians are printed")
parser.add_argument("--no-passive", action="store_true", help="skip the OMP_WAIT_POLICY=PASSIVE column")
parser.add_argument("--torch-only", action="store_true", help=argparse.SUPPRESS)   # the PASSIVE subprocess
args = parser.parse_args()

B = args.batch_size


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2


def torch_results():
    """PyTorch's numbers for the four workloads, as a dict like Latent's JSON."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

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
        rates, cpu_rates = [], []
        for _ in range(args.epochs):
            t, c = time.perf_counter(), time.process_time()
            epoch()
            rates.append(n / (time.perf_counter() - t))
            cpu_rates.append(n / (time.process_time() - c))
        return {"samples_per_s": median(rates), "samples_per_cpu_s": median(cpu_rates)}

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
        loss().backward()
        fwd, tot, fwd_cpu, tot_cpu = [], [], [], []
        for _ in range(args.repeats):
            with torch.no_grad():
                t, c = time.perf_counter(), time.process_time(); loss()
                fwd.append(time.perf_counter() - t); fwd_cpu.append(time.process_time() - c)
            t, c = time.perf_counter(), time.process_time(); loss().backward()
            tot.append(time.perf_counter() - t); tot_cpu.append(time.process_time() - c)
        return {"forward_ms": median(fwd) * 1e3, "forward_backward_ms": median(tot) * 1e3,
                "forward_cpu_ms": median(fwd_cpu) * 1e3, "forward_backward_cpu_ms": median(tot_cpu) * 1e3}

    def peak_mb():   # ru_maxrss is in kilobytes on Linux
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    out = {"rss_mb_at_start": peak_mb()}   # after importing torch, before any model
    out["mlp"] = train_rate(mlp(), (784,), args.batches)
    out["peak_rss_mb_after_mlp"] = peak_mb()
    out["cnn"] = train_rate(cnn(), (1, 28, 28), args.cnn_batches)
    out["peak_rss_mb_after_cnn"] = peak_mb()
    out["transformer"] = transformer()
    out["peak_rss_mb"] = peak_mb()
    out["version"] = torch.__version__
    return out


if args.torch_only:
    print(json.dumps(torch_results()))
    sys.exit(0)

def latent_results():
    cmd = [args.latent, "bench", "nn", "--json", "--threads", str(args.threads), "--batches", str(args.batches),
           "--cnn-batches", str(args.cnn_batches), "--epochs", str(args.epochs), "--batch-size", str(B),
           "--repeats", str(args.repeats)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    print(out.strip())
    return json.loads(out.strip().splitlines()[-1])


PASSIVE_POLICY = "PASSIVE"


def torch_in_subprocess(passive):
    """PyTorch's numbers from a fresh process: its defaults, or with OMP_WAIT_POLICY=PASSIVE."""
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    if passive:   # the second column only; the headline is PyTorch's own default
        env["OMP_WAIT_POLICY"] = PASSIVE_POLICY
    cmd = [sys.executable, __file__, "--torch-only"] + [a for a in sys.argv[1:] if a != "--no-passive"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def speeds(r):
    """Speeds (higher is faster) of the four workloads: samples/s, and 1/ms for the transformer."""
    return [r["mlp"]["samples_per_s"], r["cnn"]["samples_per_s"],
            1 / r["transformer"]["forward_ms"], 1 / r["transformer"]["forward_backward_ms"]]


rounds = []   # (latent, torch default, torch passive or None) per round
for _ in range(args.rounds):
    lat = latent_results()             # Latent first (a separate process), then PyTorch in fresh ones
    tdef = torch_in_subprocess(passive=False)
    tpas = None if args.no_passive else torch_in_subprocess(passive=True)
    rounds.append((lat, tdef, tpas))

def cpu_speeds(r):
    """Speeds per CPU-second (all threads' user + system time): what to compare on a busy machine."""
    return [r["mlp"]["samples_per_cpu_s"], r["cnn"]["samples_per_cpu_s"],
            1 / r["transformer"]["forward_cpu_ms"], 1 / r["transformer"]["forward_backward_cpu_ms"]]


names = ["MLP train (samples/s)", "CNN train (samples/s)", "transformer fwd (ms)", "transformer fwd+bwd (ms)"]
shown = lambda i, s: s if i < 2 else 1 / s   # back from speed to the unit shown
print(f"\nthreads {args.threads}, batch {B}, torch {rounds[0][1]['version']}, {args.rounds} round(s), medians")
print(f"{'':28}{'Latent':>10}{'PyTorch':>10}{'ratio':>8}{'PyTorch PASSIVE':>17}{'ratio':>8}")
for i, name in enumerate(names):
    lat = median([speeds(r[0])[i] for r in rounds])
    tdef = median([speeds(r[1])[i] for r in rounds])
    ratio = median([speeds(r[0])[i] / speeds(r[1])[i] for r in rounds])
    line = f"{name:28}{shown(i, lat):10.1f}{shown(i, tdef):10.1f}{ratio:8.2f}"
    if not args.no_passive:
        tpas = median([speeds(r[2])[i] for r in rounds])
        rp = median([speeds(r[0])[i] / speeds(r[2])[i] for r in rounds])
        line += f"{shown(i, tpas):17.1f}{rp:8.2f}"
    print(line)
    if args.rounds > 1:
        print(f"{'':28}ratios per round: " + ", ".join(f"{speeds(r[0])[i] / speeds(r[1])[i]:.2f}" for r in rounds))
cpu_names = ["MLP (samples/CPU-s)", "CNN (samples/CPU-s)", "transformer fwd (CPU ms)", "transformer fwd+bwd (CPU ms)"]
print(f"\nCPU time (user + system, all threads), medians; ratio > 1: Latent uses less CPU")
print(f"{'':28}{'Latent':>10}{'PyTorch':>10}{'ratio':>8}")
for i, name in enumerate(cpu_names):
    lat = median([cpu_speeds(r[0])[i] for r in rounds])
    tdef = median([cpu_speeds(r[1])[i] for r in rounds])
    ratio = median([cpu_speeds(r[0])[i] / cpu_speeds(r[1])[i] for r in rounds])
    print(f"{name:28}{shown(i, lat):10.1f}{shown(i, tdef):10.1f}{ratio:8.2f}")

print("\npeak resident memory of the bench process (MB; max so far after each workload)")
print(f"{'':28}{'Latent':>10}{'PyTorch':>10}{'ratio':>8}")
for key, name in [("rss_mb_at_start", "at start (runtime, libraries)"), ("peak_rss_mb_after_mlp", "after MLP"), ("peak_rss_mb_after_cnn", "after CNN"),
                  ("peak_rss_mb", "after transformer (peak)")]:
    lat = median([r[0][key] for r in rounds])
    tdef = median([r[1][key] for r in rounds])
    print(f"{name:28}{lat:10.1f}{tdef:10.1f}{lat / tdef:8.2f}")
lat = median([r[0]["peak_rss_mb"] - r[0]["rss_mb_at_start"] for r in rounds])
tdef = median([r[1]["peak_rss_mb"] - r[1]["rss_mb_at_start"] for r in rounds])
print(f"{'peak minus start':28}{lat:10.1f}{tdef:10.1f}{lat / tdef:8.2f}")
print("memory goal: Latent peak <= 1.5 x PyTorch's (ratio column, lower is better)")

print("goals (ratio vs PyTorch defaults): MLP >= 1.0, CNN >= 1.0, transformer fwd >= 1.0, fwd+bwd >= 1.0"
      " (ratio > 1: Latent faster)", file=sys.stderr)
