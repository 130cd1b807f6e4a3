"""Writes the 3,000-image calibration set (models/calibration-3000/, IDX gz, about 1.3 MB) used for the
calibration-size sweep of docs/results.md: a seeded choice of 3,000 of the 60,000 Fashion-MNIST train images
(Debian's dataset-fashion-mnist), so it shares no image with the committed test images (taken from t10k).

Run from the repository root: /usr/bin/python3 tools/results/make_calibration_set.py [--count N] [--out DIR]
(--count 12000 --out /tmp/... gives the larger set the reference comparison uses; it is not committed).
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
from fmnist import load_split, write_idx  # noqa: E402

SEED = 3000


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--count", type=int, default=3000)
    p.add_argument("--out", default="models/calibration-3000")
    p.add_argument("--seed", type=int, default=SEED)
    args = p.parse_args()
    images, labels = load_split("train")
    idx = np.sort(np.random.default_rng(args.seed).choice(len(images), size=args.count, replace=False))
    os.makedirs(args.out, exist_ok=True)
    write_idx(f"{args.out}/train-images-idx3-ubyte.gz", images[idx])
    write_idx(f"{args.out}/train-labels-idx1-ubyte.gz", labels[idx])
    with open(f"{args.out}/source-indices-train.txt", "w") as f:
        f.write(f"# indices into Debian's train-images-idx3-ubyte.gz, seed {args.seed}\n")
        f.write("\n".join(str(i) for i in idx) + "\n")
    print(f"wrote {args.count} images to {args.out}")


if __name__ == "__main__":
    main()
