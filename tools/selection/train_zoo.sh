#!/bin/sh
# Trains the selection study's zoo one model after another (one thread each: the machine is shared).
# What varies: depth 6-12, width 32-64, patch 4 or 7, pre-/post-norm, seed, 100-300 steps, a 5-class task,
# augmentation, opset 14 or 17. On the shared 2-core machine each took 5-15 minutes while other jobs ran.
# Models land in models/zoo/ (git-ignored). Existing models are kept.
set -e
cd "$(dirname "$0")/../.."
t() { stem=$1; shift; [ -f "models/zoo/$stem.onnx" ] || /usr/bin/python3 tools/selection/train_zoo.py --stem "$stem" "$@"; }
t z_d48_b8_pre    --dim 48 --depth 8  --patch 7 --steps 300 --seed 1
t z_d32_b12_aug   --dim 32 --depth 12 --patch 7 --steps 120 --seed 2 --augment
t z_d48_b6_post   --dim 48 --depth 6  --patch 7 --steps 120 --seed 7 --post-norm --opset 14
t z_d32_b8_p4     --dim 32 --depth 8  --patch 4 --steps 100 --seed 8
t z_d64_b8_cls5   --dim 64 --depth 8  --patch 7 --steps 100 --seed 5 --classes 0-4
