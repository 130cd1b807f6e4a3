#!/bin/sh
# Trains the selection study's zoo one model after another (one thread each: the machine is shared).
# What varies: depth 6-12, width 32-96, patch 4 or 7, pre-/post-norm, seed, 120-300 steps, a 5-class task,
# augmentation, opset 14 or 17. On the shared 2-core machine at load 15-20, z_d48_b8_pre took 46 minutes
# (9 s a step); the others were not trained in that session.
# Models land in models/zoo/ (git-ignored). Existing models are kept.
set -e
cd "$(dirname "$0")/../.."
t() { stem=$1; shift; [ -f "models/zoo/$stem.onnx" ] || nice /usr/bin/python3 tools/selection/train_zoo.py --stem "$stem" "$@"; }
t z_d48_b8_pre    --dim 48 --depth 8  --patch 7 --steps 300 --seed 1
t z_d48_b6_post   --dim 48 --depth 6  --patch 7 --steps 120 --seed 7 --post-norm --opset 14
# the two below were trained for 100-120 steps at first (38-39% top-1); retrained longer before their results
t z_d32_b12_aug   --dim 32 --depth 12 --patch 7 --steps 300 --seed 2 --augment
t z_d32_b8_p4     --dim 32 --depth 8  --patch 4 --steps 250 --seed 8
t z_d96_b6_p7     --dim 96 --depth 6  --patch 7 --steps 200 --seed 9 --heads 6
t z_d64_b8_cls5   --dim 64 --depth 8  --patch 7 --steps 150 --seed 5 --classes 0-4
