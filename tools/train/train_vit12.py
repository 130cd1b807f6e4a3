"""Train a 12-block pre-norm ViT on the full Fashion-MNIST and export it to ONNX (opset 17) with rba.* metadata.

Reuses the fixture's model, data and metadata helpers (tools/fixtures/). Deterministic: one seed fixes the
initialisation and the batch order, and torch runs with deterministic algorithms on 2 threads.

Run from the repository root with Debian's torch:
    /usr/bin/python3 tools/train/train_vit12.py --dim 64 --heads 4 --epochs 1 --stem vit12_d64
    /usr/bin/python3 tools/train/train_vit12.py --dim 64 --bench 20     # seconds per step, nothing written

Outputs (models/): STEM.onnx (opset 17), STEM.train.json (training record). The state_dict goes to
/tmp (not committed: the ONNX file carries the weights).
"""
import argparse
import datetime
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
from vit_model import ViT  # noqa: E402
from vit_training import evaluate, export_onnx, fmnist_tensors, setup_determinism, train_steps  # noqa: E402

OUT_DIR = "models"
SEED = 20240611


def config_of(args):
    return dict(img_size=28, patch=args.patch, in_chans=1, dim=args.dim, depth=args.depth,
                num_heads=args.heads, mlp_ratio=4, num_classes=10)


def train(args):
    setup_determinism(SEED)
    xtr, ytr, xte, yte, mean, std = fmnist_tensors()
    config = config_of(args)
    model = ViT(**config)
    steps_per_epoch = math.ceil(len(xtr) / args.batch)
    # Fractional epochs keep the budget fixed in steps (deterministic), not in wall time.
    total = args.bench if args.bench else math.ceil(steps_per_epoch * args.epochs)
    wall = train_steps(model, xtr, ytr, args.lr, args.batch, total, SEED)
    if args.bench:
        print(f"bench dim={args.dim} patch={args.patch} depth={args.depth}: {wall / total:.3f} s/step, "
              f"{wall / total * steps_per_epoch / 60:.1f} min/epoch", flush=True)
        return None, None
    acc = evaluate(model, xte, yte)
    print(f"test accuracy {acc:.4f} on {len(xte)} images, train wall {wall:.0f}s", flush=True)
    record = dict(seed=SEED, epochs=args.epochs, steps=total, batch=args.batch, lr=args.lr,
                  test_accuracy=round(acc, 4), test_images=len(xte), train_images=len(xtr),
                  train_wall_s=round(wall), mean=mean, std=std, date=datetime.date.today().isoformat(),
                  config=config, torch=torch.__version__, threads=torch.get_num_threads())
    return model, record


def export(model, record, stem):
    os.makedirs(OUT_DIR, exist_ok=True)
    path = f"{OUT_DIR}/{stem}.onnx"
    c = record["config"]
    export_onnx(model, path, 17, 1, record["mean"], record["std"],
                f"script=tools/train/train_vit12.py; depth={c['depth']}; dim={c['dim']}; "
                f"heads={c['num_heads']}; patch={c['patch']}; seed={record['seed']}; "
                f"epochs={record['epochs']}; steps={record['steps']}; "
                f"test_accuracy={record['test_accuracy']:.4f} on {record['test_images']} "
                f"Fashion-MNIST test images; opset=17; date={record['date']}")
    with open(f"{OUT_DIR}/{stem}.train.json", "w") as f:
        json.dump(record, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)", flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dim", type=int, default=64)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--depth", type=int, default=12)
    p.add_argument("--patch", type=int, default=4)
    p.add_argument("--epochs", type=float, default=1.0, help="may be fractional; fixes the step budget")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--stem", default=None, help="output name under models/ (default vit12_dDIM)")
    p.add_argument("--bench", type=int, default=0, help="time this many steps and exit (writes nothing)")
    args = p.parse_args()
    model, record = train(args)
    if model is None:
        return
    stem = args.stem or f"vit{args.depth}_d{args.dim}"
    torch.save(model.state_dict(), f"/tmp/{stem}.pt")
    export(model, record, stem)


if __name__ == "__main__":
    main()
