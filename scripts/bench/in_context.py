#!/usr/bin/env python3
"""In-context learning of substitution ciphers in PyTorch: the peer of `latent train in-context`.

The same task family (docs/transformers.md, Sources/LatentModels/Transformers/SubstitutionTasks.swift):
a task maps the `--alphabet` plain symbols to distinct symbols of a separate alphabet of
`--cipher-symbols` (0: a permutation of the plain symbols, the family's first version), applied to
words of `--word-length` symbols; a training sequence is `x1 y1 x2 y2 ... x8 y8 xq yq`
(`--markers`: `x1 > y1 ; ... ; xq > yq`) with a target on every output symbol; tasks are split in
halves by the same FNV-1a hash (training: even, evaluation: odd). The same model: a pre-LN GPT
(learned positions N(0, 0.02), tied head, final LayerNorm, GELU MLP 4d, no dropout), AdamW (decay
0.01 on matrices and embeddings only), linear warm-up then cosine to 0, gradient-norm clip 1. Its
own random draws (numpy), not Latent's.

It answers whether the model *can* learn the task in a given budget, and how fast the loss leaves
ln(cipher symbols): it prints the training loss every `--report` steps and the held-out accuracy for
k = 0, 1, 2, 4, 8 demonstrations (greedy answers).

Usage: python3 scripts/bench/in_context.py [--threads 1] (defaults: `latent train in-context`'s:
words of 1 symbol, 8 plain → 32 cipher symbols, 8000 steps; --markers --cipher-symbols 0 for the first version)
"""
import argparse
import math
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--alphabet", type=int, default=8)
parser.add_argument("--word-length", type=int, default=1)
parser.add_argument("--cipher-symbols", type=int, default=32, help="cipher symbols, disjoint from the plain ones (0: a permutation of the plain ones)")
parser.add_argument("--markers", action="store_true", help="demonstrations `x > y ;` instead of `x y`")
parser.add_argument("--demonstrations", type=int, default=8)
parser.add_argument("--layers", type=int, default=2)
parser.add_argument("--model-size", type=int, default=64)
parser.add_argument("--heads", type=int, default=4)
parser.add_argument("--steps", type=int, default=8000)
parser.add_argument("--batch-size", type=int, default=32)
parser.add_argument("--lr", type=float, default=3e-3)
parser.add_argument("--warmup", type=int, default=100)
parser.add_argument("--queries", type=int, default=500)
parser.add_argument("--report", type=int, default=100)
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--threads", type=int, default=0, help="torch threads (0: PyTorch's default)")
args = parser.parse_args()
if args.threads:
    torch.set_num_threads(args.threads)

A, W, K = args.alphabet, args.word_length, args.demonstrations
B = args.cipher_symbols or A               # output symbols
OFFSET = A if args.cipher_symbols else 0   # first output token
ARROW, SEP = OFFSET + B, OFFSET + B + 1
V = SEP + 1
MARKERS = args.markers
DEMO = 2 * W + (2 if MARKERS else 0)
CONTEXT = (K + 1) * DEMO - (1 if MARKERS else 0)


def held_out(p):
    h = 0xcbf29ce484222325
    for s in p:
        h = ((h ^ int(s)) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return (h >> 17) & 1 == 1


def task(rng, heldout):
    while True:
        p = rng.permutation(B)[:A]
        if held_out(p) == heldout:
            return p


def sequence(p, k, rng):
    tokens = []
    for i in range(k + 1):
        w = rng.integers(0, A, W)
        tokens += list(w) + ([ARROW] if MARKERS else []) + list(p[w] + OFFSET)
        if i < k and MARKERS:
            tokens.append(SEP)
    return tokens


def training_row(rng):
    tokens = sequence(task(rng, False), K, rng)
    targets = [-100] * (len(tokens) - 1)
    for start in range(0, len(tokens), DEMO):
        for j in range(W):
            at = start + W + (1 if MARKERS else 0) + j   # the output symbol, the target of the token before it
            targets[at - 1] = tokens[at]
    return tokens[:-1], targets


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.query, self.key, self.value, self.output = (nn.Linear(d, d) for _ in range(4))
        self.expand, self.contract = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)
        self.heads = heads

    def attend(self, x):
        B, T, C = x.shape
        H = self.heads
        q, k, v = (f(x).view(B, T, H, C // H).transpose(1, 2) for f in (self.query, self.key, self.value))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.output(y.transpose(1, 2).reshape(B, T, C))

    def forward(self, x):
        h = x + self.attend(self.norm1(x))
        return h + self.contract(F.gelu(self.expand(self.norm2(h))))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        d = args.model_size
        self.tokens = nn.Embedding(V, d)
        nn.init.normal_(self.tokens.weight, std=0.02)
        self.positions = nn.Parameter(torch.randn(CONTEXT, d) * 0.02)
        self.blocks = nn.ModuleList(Block(d, args.heads) for _ in range(args.layers))
        self.norm = nn.LayerNorm(d)

    def forward(self, ids):
        h = self.tokens(ids) + self.positions[:ids.shape[1]]
        for b in self.blocks:
            h = b(h)
        return self.norm(h) @ self.tokens.weight.T


def rate(step):
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    return args.lr * 0.5 * (1 + math.cos(math.pi * min(1, (step - args.warmup) / max(1, args.steps - args.warmup))))


def accuracy(model, k, rng):
    right = 0
    with torch.no_grad():
        for _ in range(args.queries):
            tokens = sequence(task(rng, True), k, rng)
            prompt, answer = tokens[:-W], tokens[-W:]
            for j in range(W):
                nxt = model(torch.tensor([prompt]))[0, -1].argmax().item()
                right += nxt == answer[j]
                prompt.append(nxt)
    return right / (args.queries * W)


def main():
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    model = GPT()
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}], lr=args.lr)
    start, running = time.perf_counter(), []
    for step in range(args.steps):
        for g in opt.param_groups:
            g["lr"] = rate(step)
        rows = [training_row(rng) for _ in range(args.batch_size)]
        x = torch.tensor([r[0] for r in rows])
        y = torch.tensor([r[1] for r in rows])
        loss = F.cross_entropy(model(x).reshape(-1, V), y.reshape(-1), ignore_index=-100)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        running.append(loss.item())
        if (step + 1) % args.report == 0:
            print(f"step {step + 1}  loss {np.mean(running):.4f}  {time.perf_counter() - start:.0f} s", flush=True)
            running = []
    model.eval()
    erng = np.random.default_rng(args.seed + 1000)
    print(f"chance {1 / B:.3f}")
    for k in [k for k in (0, 1, 2, 4, 8, 16, 32, 64) if k <= K]:
        print(f"k {k}  symbol accuracy {accuracy(model, k, erng):.3f}", flush=True)


if __name__ == "__main__":
    main()
