"""Checks of simulate_checks.py on a synthetic dump whose answers are known: /usr/bin/python3 tools/selection/test_simulate.py"""
import json
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import simulate_checks as sc  # noqa: E402


def write_dump(folder, sets, spans, check, test, check_labels, test_labels):
    """A dump as SetOutputs.java writes it: the original's scores first, then each set's."""
    os.makedirs(folder, exist_ok=True)
    meta = {"blocks": 4, "k": 1, "classes": check.shape[2], "check_samples": check.shape[1],
            "test_samples": test.shape[1], "sets": sets, "spans": spans}
    json.dump(meta, open(os.path.join(folder, "meta.json"), "w"))
    check.astype("<f4").tofile(os.path.join(folder, "check.f32"))
    test.astype("<f4").tofile(os.path.join(folder, "test.f32"))
    np.asarray(check_labels, "<i4").tofile(os.path.join(folder, "labels-check.i32"))
    np.asarray(test_labels, "<i4").tofile(os.path.join(folder, "labels-test.i32"))


def synthetic(folder, n=256):
    """Four single-block sets. The original is confident and right on every sample. Set 0-0 stays closest to it,
    3-3 moves furthest; 2-2 is ranked first by fit 1-R^2 but moves the logits of every other sample to a wrong
    class on the test images."""
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, n)
    orig = np.eye(3)[labels] * 4.0
    noise = {"0-0": 0.1, "1-1": 0.5, "2-2": 0.3, "3-3": 2.0}
    sets = list(noise)
    check = [orig]
    test = [orig]
    for s in sets:
        check.append(orig + noise[s] * rng.standard_normal(orig.shape))
        t = orig + noise[s] * rng.standard_normal(orig.shape)
        if s == "2-2":
            t[::2] = np.eye(3)[(labels[::2] + 1) % 3] * 4.0
        test.append(t)
    spans = {"0-0": {"fit-1-r2": 0.3}, "1-1": {"fit-1-r2": 0.2}, "2-2": {"fit-1-r2": 0.1}, "3-3": {"fit-1-r2": 0.4}}
    write_dump(folder, sets, spans, np.stack(check), np.stack(test), labels, labels)


def test_rank_and_stages():
    with tempfile.TemporaryDirectory() as d:
        synthetic(d)
        m = sc.Model(d)
        assert [m.sets[i] for i in m.rank] == ["2-2", "1-1", "0-0", "3-3"], m.rank
        # the original's figures against itself are 0; KL is never negative
        assert np.all(m.kl >= -1e-12)
        # by KL with every candidate: the closest set (0-0) wins; with 1 candidate, the top-ranked one is taken
        n = len(m.check_labels)
        assert m.sets[sc.select(m, m.kl, 4, np.arange(n))] == "0-0"
        assert m.sets[sc.select(m, m.kl, 1, np.arange(n))] == "2-2"
        # a blend with weight 0 is KL alone
        assert sc.select(m, sc.mixed(0.0), 4, np.arange(n)) == sc.select(m, m.kl, 4, np.arange(n))
        # test drops: 2-2 breaks every other test image (50 points); regret is the choice's drop minus the least
        assert abs(m.test_drop[m.sets.index("2-2")] - 50) < 1e-9
        r = sc.run(m, ("kl", 4), np.random.default_rng(1))
        assert r["chosen"] == "0-0" and r["regret"] == m.test_drop[0] - m.test_drop.min()
        # split-half regret of the best set itself is at most 0 (it is picked on every half where it is least)
        best = int(np.argmin(m.test_drop))
        assert sc.split_half_regret(m, best, np.random.default_rng(3), halvings=20) <= 1e-12


def test_stage_sizes_match_span_selection():
    """SpanSelection: 8 candidates on 500 samples -> stages on 62, 125, 250 (at least 32), the survivor on all."""
    seen = []

    def record(model, alive, use):
        seen.append((len(alive), len(use)))
        return list(alive)

    class Fake:
        rank = list(range(8))

    sc.select(Fake(), record, 8, np.arange(500))
    assert seen == [(8, 62), (4, 125), (2, 250)], seen


if __name__ == "__main__":
    test_rank_and_stages()
    test_stage_sizes_match_span_selection()
    print("ok")
