"""Checks paired.py against cases whose answer is known in closed form. Run: /usr/bin/python3 tools/selection/test_paired.py"""
import base64
import os
import sys
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from paired import bootstrap_interval, decode, split_half_regret  # noqa: E402


def test_decode():
    x = np.array([0, 1, -1, 0], np.int8)
    assert decode(base64.b64encode(zlib.compress(x.tobytes())), "int8, deflate, base64").tolist() == [0, 1, -1, 0]
    f = np.array([0.25, 0.5], "<f4")
    assert decode(base64.b64encode(zlib.compress(f.tobytes())), "float32 little-endian, deflate, base64").tolist() == [0.25, 0.5]


def test_split_half_without_noise_is_the_true_regret():
    # every image gives each set its true damage: no winner's curse, the split-half regret is the plain one
    n = 100
    losses = {"a": np.full(n, 0.02), "b": np.full(n, 0.05), "c": np.full(n, 0.03)}
    assert abs(split_half_regret(losses, "c", list(losses)) - 1.0) < 1e-9
    assert abs(split_half_regret(losses, "a", list(losses))) < 1e-9


def test_split_half_removes_the_winners_curse():
    # 50 sets with the same true damage (each image lost with probability 0.1): the plain regret of any set against
    # the least of the 50 on the same images is well above 0, the split-half regret is 0 within its noise
    rng = np.random.default_rng(1)
    losses = {str(i): (rng.random(1000) < 0.1).astype(float) for i in range(50)}
    plain = 100 * (losses["0"].mean() - min(v.mean() for v in losses.values()))
    half = split_half_regret(losses, "0", list(losses))
    assert plain > 1.5, plain
    assert abs(half) < 1.0, half


def test_bootstrap_interval():
    x = np.array([1, 0, 1, 0], float)
    lo, hi = bootstrap_interval(x, x)
    assert lo == hi == 0
    # differences 0/1 with mean 0.5 on 400 images: the interval is about 50 +- 1.96 x 100 x sqrt(0.25 / 400) = +-4.9
    d = np.tile([1.0, 0.0], 200)
    lo, hi = bootstrap_interval(d, np.zeros_like(d))
    assert 44 < lo < 46.5 and 53.5 < hi < 56, (lo, hi)


if __name__ == "__main__":
    for name, f in list(globals().items()):
        if name.startswith("test_"):
            f()
            print("ok", name)
