#!/usr/bin/env python3
"""word2vec: Latent against gensim, in one run, on the same corpus and settings (issue 12).

Both sides: skip-gram (then CBOW), d=100, window 5, 5 negatives, min_count 5, sample 1e-3,
5 epochs, 2 worker threads, seeds 1..3. gensim runs with its own defaults otherwise
(Word2Vec(sentences=LineSentence(corpus)), the usual way to train it). Speed is effective
words/s of the training call (tokens kept after subsampling / seconds); for Latent the
`latent word2vec train` summary line (training only, reading the corpus excluded; gensim's build_vocab
is excluded likewise). Quality of both sides' vectors is measured by the same code, gensim's
evaluate_word_pairs (WordSim-353 Spearman) and evaluate_word_analogies (Google questions,
restrict_vocab 300000), after loading Latent's vectors with KeyedVectors.load_word2vec_format.

Under load (a shared machine) wall-clock words/s mostly measures the scheduler; the script also
prints effective words per CPU-second of the whole process (gensim: process_time() around train(),
all its threads; Latent: the child's user+system time, reading the corpus included).

Usage: python3 scripts/bench/word2vec.py [--latent .build/release/latent] [--seeds 3] [--arch sg cbow]
"""
import argparse
import os
import resource
import re
import statistics
import subprocess
import sys
import tempfile
import time

from gensim.models import KeyedVectors, Word2Vec
from gensim.models.word2vec import LineSentence

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "text")

parser = argparse.ArgumentParser()
parser.add_argument("--latent", default=".build/release/latent")
parser.add_argument("--corpus", default=os.path.join(DATA, "gcide-definitions.txt"))
parser.add_argument("--data", default=DATA)
parser.add_argument("--seeds", type=int, default=3)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--arch", nargs="+", default=["sg", "cbow"])
args = parser.parse_args()


def quality(kv):
    rho = kv.evaluate_word_pairs(os.path.join(args.data, "wordsim353.tsv"))[1].statistic
    acc, _ = kv.evaluate_word_analogies(os.path.join(args.data, "questions-words.txt"))
    return rho, acc


def run_gensim(sg, seed):
    model = Word2Vec(vector_size=100, window=5, negative=5, min_count=5, sample=1e-3, sg=sg,
                     workers=args.threads, seed=seed, epochs=args.epochs)
    model.build_vocab(LineSentence(args.corpus))
    start, cpu = time.perf_counter(), time.process_time()
    effective, raw = model.train(LineSentence(args.corpus), total_examples=model.corpus_count, epochs=args.epochs)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return effective / seconds, seconds, effective / cpu, quality(model.wv)


def run_latent(sg, seed, folder):
    out = os.path.join(folder, f"latent-{sg}-{seed}.bin")
    cmd = [args.latent, "word2vec", "train", args.corpus, "-o", out, "--architecture", "skipgram" if sg else "cbow",
           "--dimension", "100", "--window", "5", "--negative", "5", "--min-count", "5", "--sample", "1e-3",
           "--epochs", str(args.epochs), "--threads", str(args.threads), "--seed", str(seed), "--quiet"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    text = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)   # includes reading the corpus
    m = re.search(r"training: ([0-9.]+) s, ([0-9]+) effective words/s", text)
    effective = int(re.search(r"effective words: ([0-9]+)", text).group(1))
    return float(m.group(2)), float(m.group(1)), effective / cpu, quality(KeyedVectors.load_word2vec_format(out, binary=True))


print(f"corpus {args.corpus}, {args.threads} threads, {args.epochs} epochs, seeds 1..{args.seeds}", flush=True)
with tempfile.TemporaryDirectory() as folder:
    for arch in args.arch:
        sg = 1 if arch == "sg" else 0
        rows = {"gensim": [], "latent": []}
        for seed in range(1, args.seeds + 1):
            for side in ("gensim", "latent"):   # back to back, alternating, so load changes hit both
                wps, seconds, per_cpu, (rho, acc) = run_gensim(sg, seed) if side == "gensim" else run_latent(sg, seed, folder)
                rows[side].append((wps, seconds, rho, acc, per_cpu))
                print(f"{arch} seed {seed} {side:6s}: {wps:10.0f} effective words/s, {seconds:6.1f} s, {per_cpu:10.0f} per CPU-second, "
                      f"WordSim-353 rho {rho:.4f}, analogy accuracy {acc:.4f}", flush=True)
        g, l = rows["gensim"], rows["latent"]
        med = lambda r, k: statistics.median(x[k] for x in r)
        mean = lambda r, k: statistics.mean(x[k] for x in r)
        print(f"{arch}: median words/s gensim {med(g, 0):.0f}, latent {med(l, 0):.0f}, ratio {med(l, 0) / med(g, 0):.2f} (target >= 1.5); per CPU-second gensim {med(g, 4):.0f}, latent {med(l, 4):.0f}, ratio {med(l, 4) / med(g, 4):.2f}")
        print(f"{arch}: mean WordSim rho gensim {mean(g, 2):.4f}, latent {mean(l, 2):.4f}, diff {mean(l, 2) - mean(g, 2):+.4f} (target |diff| <= 0.02)")
        print(f"{arch}: mean analogy acc gensim {mean(g, 3):.4f}, latent {mean(l, 3):.4f}, diff {mean(l, 3) - mean(g, 3):+.4f} (target |diff| <= 0.02)", flush=True)
