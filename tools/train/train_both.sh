#!/bin/sh
# Trains the two committed 12-block ViTs one after the other (not in parallel: 2 cores), 1.5 epochs each.
# `--bench 10` on the shared 2-core machine gave 2.1 s/step at d=64 and 3.6 s/step at d=128 (patch 7, i.e.
# 17 tokens) while others' jobs ran, and about 0.5-0.7 s/step on a quiet machine: 704 steps took about 7 and
# 12 minutes when the committed models were trained (their train_wall_s is in models/*.train.json).
set -e
cd "$(dirname "$0")/../.."
/usr/bin/python3 tools/train/train_vit12.py --dim 64 --heads 4 --patch 7 --epochs 1.5 --stem vit12_d64
/usr/bin/python3 tools/train/train_vit12.py --dim 128 --heads 4 --patch 7 --epochs 1.5 --stem vit12_d128
