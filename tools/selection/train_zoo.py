"""Train one small ViT of the selection study's zoo on Fashion-MNIST and export it to ONNX with rba.* metadata.

The zoo varies what a selection rule could overfit to: depth, width, patch size (tokens), pre- or post-norm,
seed, training length, the task (a subset of the classes) and augmentation. Every member is a few minutes of
one CPU thread, so the zoo is cheap to rebuild; none is committed (models/zoo/ is git-ignored).

Run from the repository root with Debian's torch, e.g.
    /usr/bin/python3 tools/selection/train_zoo.py --stem z_d48_b8 --dim 48 --depth 8 --patch 7 --steps 300

Outputs (models/zoo/): STEM.onnx, STEM.pt (state_dict, for the study's torch reference), STEM.train.json.
"""
import argparse
import datetime
import json
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fixtures"))
from fmnist import CLASS_NAMES, load_split, normalise, train_input_stats  # noqa: E402
from onnx_meta import set_metadata  # noqa: E402
from vit_model import Attention, Mlp, ViT  # noqa: E402

OUT_DIR = "models/zoo"


class PostNormBlock(nn.Module):
    """Post-norm block (original Transformer / BERT order): norm1(h + attn(h)), then norm2(. + mlp(.))."""

    def __init__(self, dim, num_heads, mlp_ratio):
        super().__init__()
        self.attn = Attention(dim, num_heads)
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, dim * mlp_ratio)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)

    def forward(self, x):
        x = self.norm1(x + self.attn(x))
        return self.norm2(x + self.mlp(x))


def build(config, post_norm):
    model = ViT(**config)
    if post_norm:
        model.blocks = nn.Sequential(*[PostNormBlock(config["dim"], config["num_heads"], config["mlp_ratio"])
                                       for _ in range(config["depth"])])
        model.norm = nn.Identity()  # the last block already ends in a LayerNorm
        model.apply(ViT._init)
    return model


def augment(x, gen):
    """Random horizontal flip and a shift of up to 2 pixels (zero-padded edges are the normalised 0)."""
    flip = torch.rand(x.shape[0], generator=gen) < 0.5
    x = torch.where(flip[:, None, None, None], x.flip(3), x)
    dx, dy = (int(v) for v in torch.randint(-2, 3, (2,), generator=gen))
    return torch.roll(x, shifts=(dy, dx), dims=(2, 3))


@torch.no_grad()
def accuracy(model, x, y, batch=1000):
    model.eval()
    return sum((model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
               for i in range(0, len(x), batch)) / len(x)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--stem", required=True)
    p.add_argument("--dim", type=int, default=48)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--depth", type=int, default=8)
    p.add_argument("--patch", type=int, default=7)
    p.add_argument("--post-norm", action="store_true")
    p.add_argument("--classes", default="0-9", help="first-last class kept (a subset changes the task)")
    p.add_argument("--augment", action="store_true")
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--opset", type=int, default=17)
    a = p.parse_args()

    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    torch.set_num_threads(1)  # the machine is shared
    lo, hi = (int(v) for v in a.classes.split("-"))
    tr_img, tr_lab = load_split("train")
    te_img, te_lab = load_split("t10k")
    mean, std = train_input_stats(tr_img)
    keep_tr = (tr_lab >= lo) & (tr_lab <= hi)
    keep_te = (te_lab >= lo) & (te_lab <= hi)
    xtr = torch.from_numpy(normalise(tr_img[keep_tr], mean, std))
    ytr = torch.from_numpy(tr_lab[keep_tr].astype(np.int64) - lo)
    xte = torch.from_numpy(normalise(te_img[keep_te], mean, std))
    yte = torch.from_numpy(te_lab[keep_te].astype(np.int64) - lo)

    config = dict(img_size=28, patch=a.patch, in_chans=1, dim=a.dim, depth=a.depth, num_heads=a.heads,
                  mlp_ratio=4, num_classes=hi - lo + 1)
    model = build(config, a.post_norm)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.05)
    warmup = max(1, a.steps // 20)
    gen = torch.Generator().manual_seed(a.seed)
    t0 = time.time()
    for step in range(a.steps):
        model.train()
        lr = a.lr * (step + 1) / warmup if step < warmup else \
            a.lr * 0.5 * (1 + math.cos(math.pi * (step - warmup) / (a.steps - warmup)))
        for g in opt.param_groups:
            g["lr"] = lr
        idx = torch.randint(0, len(xtr), (a.batch,), generator=gen)
        xb = augment(xtr[idx], gen) if a.augment else xtr[idx]
        loss = nn.functional.cross_entropy(model(xb), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        if (step + 1) % 50 == 0:
            print(f"{a.stem} step {step + 1}/{a.steps} loss {loss.item():.3f} {time.time() - t0:.0f}s", flush=True)
    wall = time.time() - t0
    acc = accuracy(model, xte, yte)
    print(f"{a.stem}: test accuracy {acc:.4f} on {len(xte)} images, {wall:.0f}s", flush=True)

    os.makedirs(OUT_DIR, exist_ok=True)
    path = f"{OUT_DIR}/{a.stem}.onnx"
    model.eval()
    torch.onnx.export(model, torch.zeros(2, 1, 28, 28), path, opset_version=a.opset,
                      input_names=["pixel_values"], output_names=["logits"],
                      dynamic_axes={"pixel_values": {0: "batch"}, "logits": {0: "batch"}},
                      do_constant_folding=True)
    names = CLASS_NAMES[lo:hi + 1]
    record = dict(vars(a), config=config, test_accuracy=round(acc, 4), test_images=len(xte),
                  train_wall_s=round(wall), mean=mean, std=std, date=datetime.date.today().isoformat(),
                  torch=torch.__version__, class_offset=lo)
    set_metadata(path, {
        "rba.input.mean": f"{mean:.4f}", "rba.input.std": f"{std:.4f}", "rba.input.layout": "NCHW",
        "rba.input.scale": "1/255", "rba.labels": ",".join(names),
        "rba.provenance": f"script=tools/selection/train_zoo.py; {json.dumps(vars(a), sort_keys=True)}; "
                          f"test_accuracy={acc:.4f}",
    })
    torch.save(model.state_dict(), f"{OUT_DIR}/{a.stem}.pt")
    with open(f"{OUT_DIR}/{a.stem}.train.json", "w") as f:
        json.dump(record, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"wrote {path}", flush=True)


if __name__ == "__main__":
    main()
