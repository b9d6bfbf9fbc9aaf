#!/usr/bin/env python3
"""BERT and GPT: Latent against PyTorch, in one run, on the same data, sizes, steps and seed (issue 13).

Both sides: 4 layers x d 128 x 4 heads (MLP 4d, GELU), context 64, batch 32, dropout 0.1, AdamW
(lr 1e-3, betas 0.9/0.999, eps 1e-8, decay 0.01 on matrices and embeddings only), linear warm-up
then cosine decay to 0, gradient-norm clip 1.0. GPT: pre-LN, learned positions, final LayerNorm,
head tied to the token embedding. BERT: token + position + segment embeddings, LayerNorm, post-LN
blocks, MLM head Linear-GELU-LayerNorm then the tied embedding plus a bias, loss on the chosen
positions only (15%: 80% [MASK], 10% random, 10% unchanged). Initialisation: embeddings N(0, 0.02),
Linear layers PyTorch's default, on both sides.

Data: the first --lines lines of the corpus; the last 5% of them held out. A byte-level BPE
tokenizer is trained by `latent tokenize train`; PyTorch encodes with Hugging Face `tokenizers`
from the same vocab.json + merges.txt (the ids are identical, see Tests/Fixtures/bpe). Training
windows are drawn at random offsets (each side from its own generator: the same distribution,
not the same draws); the held-out windows are the same consecutive windows on both sides. GPT's
held-out perplexity is therefore on identical windows. BERT's held-out score is on identical masked
windows too: this script masks the held-out windows once (numpy, seed + 1, the rule above) and
scores both trained models on them with the same PyTorch code, Latent's model read from the
checkpoint `latent train bert` wrote (safetensors; every tensor maps one to one, Linear weights are
(out, in) on both sides). The loading is checked exactly first: the loaded model's mean-pooled
states of 8 held-out lines must equal `latent encode`'s sentence embeddings to 1e-3 (the run stops
otherwise). MLM loss and accuracy are per chosen token. Latent's own held-out scores (its masks,
its code) are printed beside them.

Speed: training tokens/s = steps x batch x context / training seconds (Latent: its epoch line, held-out
scoring excluded; PyTorch: the loop, the same). Generation: greedy decoding of --generate tokens
after a 16-token prompt, Latent `latent generate` (key/value cache) against a PyTorch loop that
caches keys and values per layer (past_key_values style), batch 1. PyTorch runs with its default
threading (torch.get_num_threads()); nothing else is set.

Usage: python3 scripts/bench/transformers.py [--latent .build/release/latent] [--quick]
Timings on a loaded machine are noisy: compare the two columns of one run only.
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from tokenizers import Tokenizer, models, pre_tokenizers, decoders

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "text")
SPECIALS = ["[PAD]", "[MASK]", "[CLS]", "[SEP]", "<|endoftext|>"]

parser = argparse.ArgumentParser()
parser.add_argument("--latent", default=".build/release/latent")
parser.add_argument("--corpus", default=os.path.join(DATA, "gcide-definitions.txt"))
parser.add_argument("--lines", type=int, default=40000)
parser.add_argument("--vocab-size", type=int, default=4096)
parser.add_argument("--layers", type=int, default=4)
parser.add_argument("--model-size", type=int, default=128)
parser.add_argument("--heads", type=int, default=4)
parser.add_argument("--context", type=int, default=64)
parser.add_argument("--batch-size", type=int, default=32)
parser.add_argument("--steps", type=int, default=600)
parser.add_argument("--eval-windows", type=int, default=256)
parser.add_argument("--generate", type=int, default=200, help="tokens generated in the generation benchmark")
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--models", nargs="+", default=["gpt", "bert"])
parser.add_argument("--quick", action="store_true", help="a smoke run: 4000 lines, 40 steps, 32 held-out windows, 50 tokens")
parser.add_argument("--json", help="also write the results here")
args = parser.parse_args()
if args.quick:
    args.lines, args.steps, args.eval_windows, args.generate, args.vocab_size = 4000, 40, 32, 50, 1024
WARMUP = min(20, args.steps)
LR = 1e-3


# ---------------------------------------------------------------- data

def read_lines():
    out = []
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n").rstrip("\r")
            if line:
                out.append(line)
                if len(out) >= args.lines:
                    break
    return out


def split(lines):
    cut = len(lines) - int(math.floor(len(lines) * 0.05 + 0.5))      # Swift's .rounded(): half away from zero
    return "\n".join(lines[:cut]) + "\n", "\n".join(lines[cut:]) + "\n"


def hf_tokenizer(vocab, merges):
    tok = Tokenizer(models.BPE.from_file(vocab, merges))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens(SPECIALS)
    return tok


# ---------------------------------------------------------------- models

class Block(nn.Module):
    def __init__(self, d, heads, dropout, causal, norm_first):
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.query, self.key, self.value, self.output = (nn.Linear(d, d) for _ in range(4))
        self.expand, self.contract = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)
        self.drop = nn.Dropout(dropout)
        self.heads, self.causal, self.norm_first = heads, causal, norm_first

    def attend(self, x, past=None, padding=None):
        B, T, C = x.shape
        H = self.heads
        q = self.query(x).view(B, T, H, C // H).transpose(1, 2)          # (B, H, T, hs)
        k = self.key(x).view(B, T, H, C // H).transpose(1, 2)
        v = self.value(x).view(B, T, H, C // H).transpose(1, 2)
        if past is not None:
            if past[0] is not None:
                k, v = torch.cat([past[0], k], 2), torch.cat([past[1], v], 2)
            past[0], past[1] = k, v
        if self.causal and past is not None and k.shape[2] != T:
            # new queries at the end: each sees all cached keys and the new ones up to itself
            offset = k.shape[2] - T
            mask = torch.ones(T, k.shape[2], dtype=torch.bool).tril(offset)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        else:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=self.causal)
        return self.output(y.transpose(1, 2).reshape(B, T, C))

    def mlp(self, x):
        return self.contract(F.gelu(self.expand(x)))

    def forward(self, x, past=None):
        if self.norm_first:
            h = x + self.drop(self.attend(self.norm1(x), past))
            return h + self.drop(self.mlp(self.norm2(h)))
        h = self.norm1(x + self.drop(self.attend(x, past)))
        return self.norm2(h + self.drop(self.mlp(h)))


class GPT(nn.Module):
    def __init__(self, V, d, heads, layers, context, dropout=0.1):
        super().__init__()
        self.tokens = nn.Embedding(V, d)
        self.positions = nn.Parameter(torch.randn(context, d) * 0.02)
        nn.init.normal_(self.tokens.weight, std=0.02)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList(Block(d, heads, dropout, True, True) for _ in range(layers))
        self.norm = nn.LayerNorm(d)

    def forward(self, ids, past=None, offset=0):
        T = ids.shape[1]
        h = self.drop(self.tokens(ids) + self.positions[offset:offset + T])
        for i, b in enumerate(self.blocks):
            h = b(h, None if past is None else past[i])
        return self.norm(h) @ self.tokens.weight.T


class BERT(nn.Module):
    def __init__(self, V, d, heads, layers, context, dropout=0.1):
        super().__init__()
        self.tokens = nn.Embedding(V, d)
        self.positions = nn.Parameter(torch.randn(context, d) * 0.02)
        self.segments = nn.Embedding(2, d)
        nn.init.normal_(self.tokens.weight, std=0.02)
        nn.init.normal_(self.segments.weight, std=0.02)
        self.norm = nn.LayerNorm(d, eps=1e-12)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList(Block(d, heads, dropout, False, False) for _ in range(layers))
        self.head = nn.Linear(d, d)
        self.head_norm = nn.LayerNorm(d, eps=1e-12)
        self.head_bias = nn.Parameter(torch.zeros(V))

    def hidden(self, ids):
        T = ids.shape[1]
        h = self.drop(self.norm(self.tokens(ids) + self.positions[:T] + self.segments.weight[0]))
        for b in self.blocks:
            h = b(h)
        return h                                                             # (B, T, C)

    def forward(self, ids, chosen):
        h = self.hidden(ids)
        h = h.reshape(-1, h.shape[-1])[chosen]                               # the chosen positions only
        return self.head_norm(F.gelu(self.head(h))) @ self.tokens.weight.T + self.head_bias


def optimizer(model):
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    return torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}],
                             lr=LR, betas=(0.9, 0.999), eps=1e-8)


def rate(step):                                                  # LatentNN's .cosine(base:totalSteps:warmupSteps:)
    if step < WARMUP:
        return LR * (step + 1) / WARMUP
    progress = min(1, (step - WARMUP) / max(1, args.steps - WARMUP))
    return LR * 0.5 * (1 + math.cos(math.pi * progress))


def bert_mask(window, rng, ids):
    """[CLS] window [SEP], then BERT's 15% / 80-10-10 corruption; targets -100 where not chosen."""
    tokens = np.concatenate([[ids["[CLS]"]], window, [ids["[SEP]"]]])
    special = np.isin(tokens, ids["specials"])
    u, kind = rng.random(len(tokens)), rng.random(len(tokens))
    replacement = rng.choice(ids["ordinary"], len(tokens))
    chosen = (u < 0.15) & ~special
    inputs = tokens.copy()
    inputs[chosen & (kind < 0.8)] = ids["[MASK]"]
    swap = chosen & (kind >= 0.8) & (kind < 0.9)
    inputs[swap] = replacement[swap]
    return inputs, np.where(chosen, tokens, -100)


# ---------------------------------------------------------------- PyTorch runs

def torch_gpt(train, held, V):
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    T, B = args.context, args.batch_size
    model, opt = GPT(V, args.model_size, args.heads, args.layers, T), None
    opt = optimizer(model)
    train = np.array(train)
    start = time.perf_counter()
    for step in range(args.steps):
        for g in opt.param_groups:
            g["lr"] = rate(step)
        offsets = rng.integers(0, len(train) - T, B)
        x = torch.from_numpy(np.stack([train[o:o + T + 1] for o in offsets]))
        loss = F.cross_entropy(model(x[:, :-1]).reshape(-1, V), x[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    seconds = time.perf_counter() - start
    model.eval()
    n = min(args.eval_windows, len(held) // (T + 1))
    total, count = 0.0, 0
    with torch.no_grad():
        for i in range(0, n, B):
            x = torch.tensor([held[j * (T + 1):(j + 1) * (T + 1)] for j in range(i, min(n, i + B))])
            total += F.cross_entropy(model(x[:, :-1]).reshape(-1, V), x[:, 1:].reshape(-1), reduction="sum").item()
            count += x[:, 1:].numel()
    return model, args.steps * B * T / seconds, math.exp(total / count)


def torch_bert(train, held, V, ids):
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    T, B, L = args.context, args.batch_size, args.context - 2
    model = BERT(V, args.model_size, args.heads, args.layers, T)
    opt = optimizer(model)
    train = np.array(train)
    start = time.perf_counter()
    for step in range(args.steps):
        for g in opt.param_groups:
            g["lr"] = rate(step)
        offsets = rng.integers(0, len(train) - L + 1, B)
        rows = [bert_mask(train[o:o + L], rng, ids) for o in offsets]
        x = torch.from_numpy(np.stack([r[0] for r in rows]))
        y = torch.from_numpy(np.stack([r[1] for r in rows])).reshape(-1)
        chosen = (y != -100).nonzero().squeeze(1)
        loss = F.cross_entropy(model(x, chosen), y[chosen])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    seconds = time.perf_counter() - start
    return model, args.steps * B * T / seconds


def bert_held_out_rows(held, ids):
    """The held-out windows (consecutive, context - 2 tokens), masked once: both models are scored on these."""
    L = args.context - 2
    rng = np.random.default_rng(args.seed + 1)
    n = min(args.eval_windows, len(held) // L)
    return [bert_mask(np.array(held[j * L:(j + 1) * L]), rng, ids) for j in range(n)]


def bert_score(model, rows):
    """MLM loss and accuracy per chosen token of `model` (evaluation mode) on the masked `rows`."""
    model.eval()
    loss, correct, total = 0.0, 0, 0
    with torch.no_grad():
        for i in range(0, len(rows), args.batch_size):
            batch = rows[i:i + args.batch_size]
            x = torch.from_numpy(np.stack([r[0] for r in batch]))
            y = torch.from_numpy(np.stack([r[1] for r in batch])).reshape(-1)
            chosen = (y != -100).nonzero().squeeze(1)
            logits = model(x, chosen)
            loss += F.cross_entropy(logits, y[chosen], reduction="sum").item()
            correct += (logits.argmax(1) == y[chosen]).sum().item()
            total += len(chosen)
    return loss / total, correct / total, total


def latent_bert(path, V):
    """Latent's trained BERT (a `latent train bert` checkpoint) as the PyTorch BERT above."""
    from safetensors.numpy import load_file
    weights = {k[len("model."):]: v for k, v in load_file(path).items() if k.startswith("model.")}
    rename = {"positions.weight": "positions", "embeddingNorm.": "norm.", "headTransform.": "head.", "headNorm.": "head_norm.",
              "headBias": "head_bias", ".attention.": "."}
    state = {}
    for name, value in weights.items():
        for a, b in rename.items():
            name = name.replace(a, b)
        state[name] = torch.from_numpy(value.copy())
    model = BERT(V, args.model_size, args.heads, args.layers, args.context)
    model.load_state_dict(state, strict=True)             # every tensor present, shapes equal
    return model.eval()


def check_loading(model, model_file, lines, tok, ids, tmp):
    """Largest |difference| between `latent encode`'s sentence embeddings and the loaded model's
    mean-pooled states ([CLS] line [SEP], cut to the context) of the same lines: an exact check
    that the checkpoint was read as Latent computes it."""
    path, out = os.path.join(tmp, "sentences.txt"), os.path.join(tmp, "sentences.npy")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    latent("encode", "--checkpoint", model_file, "--lines", path, "-o", out)
    theirs = np.load(out)
    with torch.no_grad():
        ours = [model.hidden(torch.tensor([[ids["[CLS]"]] + tok.encode(line).ids[:args.context - 2] + [ids["[SEP]"]]]))[0].mean(0).numpy()
                for line in lines]
    return float(np.abs(np.stack(ours) - theirs).max())


def torch_generate(model, prompt, count):
    """Greedy decoding with per-layer key/value caches (past_key_values style)."""
    model.eval()
    with torch.no_grad():
        past = [[None, None] for _ in model.blocks]
        start = time.perf_counter()
        logits = model(torch.tensor([prompt]), past, 0)
        out, position = [], len(prompt)
        for _ in range(count):
            nxt = int(logits[0, -1].argmax())
            out.append(nxt)
            if position >= args.context:
                break
            logits = model(torch.tensor([[nxt]]), past, position)
            position += 1
        return len(out) / (time.perf_counter() - start)


# ---------------------------------------------------------------- Latent runs

def latent(*argv):
    proc = subprocess.run([args.latent, *argv], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"latent {' '.join(argv)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return proc.stdout, proc.stderr


def number(pattern, text):
    m = re.findall(pattern, text)
    if not m:
        sys.exit(f"no match for {pattern!r} in:\n{text[-2000:]}")
    return float(m[-1])


def main():
    torch_threads = torch.get_num_threads()
    lines = read_lines()
    train_text, held_text = split(lines)
    results = {"threads_torch": torch_threads, "lines": len(lines), "steps": args.steps}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "corpus.txt")
        with open(corpus, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        vocab, merges = os.path.join(tmp, "vocab.json"), os.path.join(tmp, "merges.txt")
        latent("tokenize", "train", corpus, "--vocab", vocab, "--merges", merges, "--vocab-size", str(args.vocab_size))
        tok = hf_tokenizer(vocab, merges)
        V = tok.get_vocab_size()
        train, held = tok.encode(train_text).ids, tok.encode(held_text).ids
        print(f"corpus: {len(lines)} lines, {len(train)} training / {len(held)} held-out tokens, vocabulary {V}; "
              f"{args.layers} layers x d {args.model_size} x {args.heads} heads, context {args.context}, batch {args.batch_size}, "
              f"{args.steps} steps; PyTorch {torch.__version__} with {torch_threads} threads")
        common = ["--vocab", vocab, "--merges", merges, "--layers", str(args.layers), "--model-size", str(args.model_size),
                  "--heads", str(args.heads), "--context", str(args.context), "--batch-size", str(args.batch_size),
                  "--steps", str(args.steps), "--epochs", "1", "--learning-rate", str(LR), "--warmup", str(WARMUP),
                  "--eval-windows", str(args.eval_windows), "--seed", str(args.seed)]
        rows = []
        if "gpt" in args.models:
            model_file = os.path.join(tmp, "gpt.safetensors")
            out, _ = latent("train", "gpt", corpus, "-o", model_file, *common)
            l_speed, l_ppl = number(r"([0-9.]+) tokens/s", out), number(r"perplexity ([0-9.]+)", out)
            model, t_speed, t_ppl = torch_gpt(train, held, V)
            prompt_text = lines[-1][:80]
            prompt = tok.encode(prompt_text).ids[:16]
            count = min(args.generate, args.context - len(prompt))
            _, err = latent("generate", "--checkpoint", model_file, "--prompt", tok.decode(prompt), "--tokens", str(count), "--temperature", "0")
            l_gen = number(r"\(([0-9.]+) tokens/s\)", err)
            t_gen = torch_generate(model, prompt, count)
            rows += [("GPT training tokens/s", l_speed, t_speed), ("GPT held-out perplexity", l_ppl, t_ppl),
                     (f"GPT greedy generation tokens/s ({count} tokens, KV cache)", l_gen, t_gen)]
        if "bert" in args.models:
            model_file = os.path.join(tmp, "bert.safetensors")
            out, _ = latent("train", "bert", corpus, "-o", model_file, *common)
            l_speed = number(r"([0-9.]+) tokens/s", out)
            own_loss, own_acc = number(r"held-out loss ([0-9.]+)", out), number(r"MLM accuracy ([0-9.]+)", out)
            ids = {s: tok.token_to_id(s) for s in SPECIALS}
            ids["specials"] = np.array([ids[s] for s in SPECIALS])
            ids["ordinary"] = np.array([i for i in range(V) if i not in ids["specials"]])
            model, t_speed = torch_bert(train, held, V, ids)
            masked = bert_held_out_rows(held, ids)
            latent_model = latent_bert(model_file, V)
            gap = check_loading(latent_model, model_file, lines[-8:], tok, ids, tmp)
            print(f"Latent's BERT read into PyTorch: sentence embeddings of 8 held-out lines differ from `latent encode`'s by at most {gap:.2e}")
            if gap > 1e-3:
                sys.exit("the checkpoint was not read as Latent computes it; the BERT scores would not be Latent's")
            results["bert_loading_max_difference"] = gap
            l_loss, l_acc, chosen = bert_score(latent_model, masked)
            t_loss, t_acc, _ = bert_score(model, masked)
            print(f"BERT held-out: {len(masked)} windows, {chosen} chosen tokens, the same masks for both models. "
                  f"Latent's own evaluation (its masks, its code): loss {own_loss:.4f}, accuracy {own_acc:.4f}; "
                  f"the same model scored here: loss {l_loss:.4f}, accuracy {l_acc:.4f}")
            results["bert_held_out_chosen_tokens"] = chosen
            results["latent_bert_own_evaluation"] = {"loss": own_loss, "accuracy": own_acc}
            rows += [("BERT training tokens/s", l_speed, t_speed), ("BERT held-out MLM loss (same masks)", l_loss, t_loss),
                     ("BERT held-out MLM accuracy (same masks)", l_acc, t_acc)]
    print(f"\n| measure | Latent | PyTorch | Latent / PyTorch |\n| --- | ---: | ---: | ---: |")
    for name, a, b in rows:
        print(f"| {name} | {a:.4g} | {b:.4g} | {a / b:.3f} |")
        results[name] = {"latent": a, "pytorch": b}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
