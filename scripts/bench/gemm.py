#!/usr/bin/env python3
"""Latent's GEMM and elementwise throughput beside NumPy's, in one run, with one thread count.

    swift build -c release --product latent
    python3 scripts/bench/gemm.py                          # n = 256, 512, 1024, 2048; all cores
    python3 scripts/bench/gemm.py --sizes 128,256 --repeats 3 --elements 1000000 --threads 1

Runs `.build/release/latent bench gemm --json` (Matrix API and direct cblas call), then NumPy's
`matmul(a, b, out=c)` on the same sizes and `a + b`, `a + row` on float32 data, with
OMP_NUM_THREADS / OPENBLAS_NUM_THREADS / MKL_NUM_THREADS set to the same thread count and
no OMP_WAIT_POLICY: each side runs with its own defaults (run on an idle machine).
Prints a table with ratios and the machine's theoretical peak (cores × clock × FLOPs per cycle).
"""
import argparse
import json
import os
import subprocess
import sys
import time

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--sizes", default="256,512,1024,2048", help="comma-separated n for n×n products")
parser.add_argument("--repeats", type=int, default=5, help="timed repeats (median reported)")
parser.add_argument("--elements", type=int, default=10_000_000, help="float32 elements for the adds")
parser.add_argument("--threads", type=int, default=os.cpu_count(), help="threads for both sides")
parser.add_argument("--latent", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                                     ".build", "release", "latent"), help="latent binary")
args = parser.parse_args()
sizes = [int(s) for s in args.sizes.split(",")]

# The environment must be set before NumPy loads its BLAS.
for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[name] = str(args.threads)
print(f"set OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=MKL_NUM_THREADS={args.threads} for both Latent and NumPy "
      "(no OMP_WAIT_POLICY: peers run with their own defaults)")
import numpy as np  # noqa: E402


# MARK: - Machine peak
def machine_peak(cores):
    """(GFLOP/s float32, GFLOP/s float64, basis text) from /proc/cpuinfo."""
    model, mhz, flags = "unknown CPU", None, set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                key, value = key.strip(), value.strip()
                if key == "model name" and model == "unknown CPU":
                    model = value
                elif key == "cpu MHz" and mhz is None:
                    mhz = float(value)
                elif key == "flags" and not flags:
                    flags = set(value.split())
    except OSError:
        pass
    clock_source = "cpu MHz in /proc/cpuinfo (current clock)"
    try:
        with open("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq") as f:
            mhz, clock_source = int(f.read()) / 1000, "cpuinfo_max_freq (maximum clock)"
    except (OSError, ValueError):
        pass
    if "avx512f" in flags:
        lanes, units, isa = 16, 2, "AVX-512 + FMA: 2 FMA units × 16 float32 lanes × 2 FLOPs (some parts have 1 unit)"
    elif "avx2" in flags and "fma" in flags:
        lanes, units, isa = 8, 2, "AVX2 + FMA: 2 FMA units × 8 float32 lanes × 2 FLOPs"
    elif "avx" in flags:
        lanes, units, isa = 8, 1, "AVX without FMA: 1 add + 1 multiply × 8 float32 lanes"
    else:
        lanes, units, isa = 4, 1, "SSE: 1 add + 1 multiply × 4 float32 lanes"
    per_cycle32 = lanes * units * 2
    ghz = (mhz or 0) / 1000
    basis = (f"{model}; {cores} cores × {ghz:.3f} GHz ({clock_source}) × {per_cycle32} float32 "
             f"({per_cycle32 // 2} float64) FLOPs/cycle; {isa}")
    return cores * ghz * per_cycle32, cores * ghz * per_cycle32 / 2, basis


def median_seconds(body, repeats):
    body()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


# MARK: - Latent
command = [args.latent, "bench", "gemm", "--json", "--sizes", args.sizes, "--repeats", str(args.repeats),
           "--elements", str(args.elements), "--threads", str(args.threads)]
print("running", " ".join(command), flush=True)
latent = json.loads(subprocess.run(command, check=True, capture_output=True, text=True, env=os.environ).stdout)

# MARK: - NumPy
rng = np.random.default_rng(0)
numpy_gemm = {}
for dtype in (np.float32, np.float64):
    for n in sizes:
        a = rng.uniform(-1, 1, (n, n)).astype(dtype)
        b = rng.uniform(-1, 1, (n, n)).astype(dtype)
        c = np.empty((n, n), dtype)
        seconds = median_seconds(lambda: np.matmul(a, b, out=c), args.repeats)
        numpy_gemm[(np.dtype(dtype).name, n)] = 2 * n ** 3 / seconds / 1e9

columns = 1000
rows = args.elements // columns
x = rng.uniform(0, 1, (rows, columns)).astype(np.float32)
y = rng.uniform(0, 1, (rows, columns)).astype(np.float32)
row = np.arange(columns, dtype=np.float32)
count = rows * columns
numpy_elementwise = {
    "add": 3 * 4 * count / median_seconds(lambda: x + y, args.repeats) / 1e9,
    "add_row_broadcast": 2 * 4 * count / median_seconds(lambda: x + row, args.repeats) / 1e9,
}

# MARK: - Report
peak32, peak64, basis = machine_peak(args.threads)
print(f"\nLatent: {latent['blas']} (core {latent['blasCore']}), {latent['threads']} threads, BLAS threads "
      f"{latent['blasThreads']}")
try:
    numpy_blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    print(f"NumPy {np.__version__}: {numpy_blas.get('name')} {numpy_blas.get('version')}")
except Exception:  # older NumPy without mode="dicts"
    print(f"NumPy {np.__version__}")
print(f"Peak: {peak32:.1f} GFLOP/s float32, {peak64:.1f} GFLOP/s float64 — {basis}")
print("Direct call: " + latent["direct"])
print()
print(f"{'dtype':8} {'n':>5} {'API':>8} {'direct':>8} {'NumPy':>8} {'API/direct':>11} {'API/NumPy':>10} {'API/peak':>9}"
      "   (GFLOP/s)")
for r in latent["gemm"]:
    peak = peak32 if r["dtype"] == "float32" else peak64
    theirs = numpy_gemm[(r["dtype"], r["n"])]
    print(f"{r['dtype']:8} {r['n']:5d} {r['apiGFLOPS']:8.1f} {r['directGFLOPS']:8.1f} {theirs:8.1f} "
          f"{r['ratio']:11.3f} {r['apiGFLOPS'] / theirs:10.3f} {r['apiGFLOPS'] / peak if peak else float('nan'):9.3f}")
print()
print(f"{'float32 op':18} {'elements':>10} {'Latent GB/s':>12} {'NumPy GB/s':>11} {'Latent/NumPy':>13}")
for r in latent["elementwise"]:
    theirs = numpy_elementwise[r["operation"]]
    print(f"{r['operation']:18} {r['elements']:10d} {r['gigabytesPerSecond']:12.2f} {theirs:11.2f} "
          f"{r['gigabytesPerSecond'] / theirs:13.3f}")
print("\nGB/s counts bytes read + written: 3 arrays for add, 2 for add_row_broadcast (row stays in cache).")
