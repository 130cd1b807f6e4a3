"""Regret figures from the per-sample test losses the selection study keeps (SelectionStudy.TestScores).

A set's drop is 100 x the mean of its per-sample losses on the test images, so two sets scored on the same images
can be compared sample by sample. The plain regret (the choice's drop minus the least drop of any set on the same
images) is biased upward: the least of up to 220 noisy drops is lucky (the winner's curse). Two figures that pair
the sets on the images avoid or show that:

- split_half_regret: the best set is chosen on one half of the images and both it and the choice are scored on the
  other half (and the other way round), over many random halvings. Nothing chosen on an image is scored on it, so
  the figure is unbiased for "the choice against the set an exhaustive search on half the images would pick"; that
  set is at best the truly best one, so in expectation the figure is at most the true regret, while the plain
  regret is at least it.
- bootstrap_interval: a paired bootstrap (images resampled with replacement, both sets' losses together) of the
  difference between two fixed sets' drops.
"""
import base64
import zlib

import numpy as np

SPLITS = 200
RESAMPLES = 2000
SEED = 20261202


def decode(text, encoding):
    """One set's per-sample losses, as the study wrote them (deflated little-endian int8 or float32, base64)."""
    raw = zlib.decompress(base64.b64decode(text))
    dtype = np.int8 if encoding.startswith("int8") else np.dtype("<f4")
    return np.frombuffer(raw, dtype=dtype).astype(np.float64)


def losses_of(result):
    """{set: per-sample losses} of one model's study result, or {} when it kept none (an earlier round)."""
    enc = result.get("sample_losses_encoding")
    return {k: decode(v, enc) for k, v in result.get("sample_losses", {}).items()} if enc else {}


def split_half_regret(losses, choice, candidates, splits=SPLITS, seed=SEED):
    """Mean over random halvings (both directions) of: the choice's drop on one half minus the drop, on that half,
    of the candidate with the least drop on the other half (ties on that half: the mean of the tied sets), in points.
    """
    m = np.stack([losses[c] for c in candidates])
    mine = losses[choice]
    n = m.shape[1]
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(splits):
        a = np.zeros(n, bool)
        a[rng.permutation(n)[: n // 2]] = True
        for pick, score in ((a, ~a), (~a, a)):
            on_pick = m[:, pick].mean(axis=1)
            tied = on_pick <= on_pick.min() + 1e-12
            out.append(mine[score].mean() - m[tied][:, score].mean(axis=1).mean())
    return 100 * float(np.mean(out))


def bootstrap_interval(x, y, resamples=RESAMPLES, seed=SEED):
    """95% percentile interval of 100 x mean(x - y) over paired bootstrap resamples of the images."""
    d = np.asarray(x, float) - np.asarray(y, float)
    rng = np.random.default_rng(seed)
    means = np.array([d[rng.integers(0, d.size, d.size)].mean() for _ in range(resamples)])
    return 100 * float(np.percentile(means, 2.5)), 100 * float(np.percentile(means, 97.5))
