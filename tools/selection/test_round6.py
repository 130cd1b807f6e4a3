"""Checks of round6.py on synthetic inputs whose answers are known: /usr/bin/python3 tools/selection/test_round6.py"""
import json
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import round6  # noqa: E402


def write_dump(folder, sets, test, labels):
    """The test part of a dump as SetOutputs.java writes it: the original's scores first, then each set's."""
    os.makedirs(folder, exist_ok=True)
    json.dump({"sets": sets, "test_samples": test.shape[1], "classes": test.shape[2]},
              open(os.path.join(folder, "meta.json"), "w"))
    test.astype("<f4").tofile(os.path.join(folder, "test.f32"))
    np.asarray(labels, "<i4").tofile(os.path.join(folder, "labels-test.i32"))


def report(chosen, others, search):
    cands = [{"spans": chosen, "chosen": True, "checked": True, "rank": 2}] + [
        {"spans": o, "chosen": False, "checked": o != "x", "rank": 3 + i} for i, o in enumerate(others)]
    return {"check_samples": 2000 if search == "accuracy" else 500,
            "selection": {"candidates": cands, "decided_by": search, "seconds": 1.0}}


def evaluation(correct, baseline, n):
    return {"model": {"samples": n, "correct": correct}, "baseline": {"samples": n, "correct": baseline}}


def main():
    n = 100
    labels = np.arange(n) % 3
    right = np.eye(3)[labels]              # scores that put the label first
    wrong = np.eye(3)[(labels + 1) % 3]
    original = right.copy()
    a = right.copy()
    a[:10] = wrong[:10]                     # set "0-0": 10 wrong -> drop 10 points
    b = right.copy()
    b[:4] = wrong[:4]                       # set "1-1": 4 wrong -> drop 4 points (the best)
    c = right.copy()
    c[:7] = wrong[:7]                       # set "2-2": drop 7
    with tempfile.TemporaryDirectory() as d:
        write_dump(os.path.join(d, "sets"), ["0-0", "1-1", "2-2"], np.stack([original, a, b, c]), labels)
        table, samples = round6.every_set(os.path.join(d, "sets"))
        assert samples == n
        assert table == {"0-0": 10.0, "1-1": 4.0, "2-2": 7.0}, table
        json.dump(report("1-1", ["0-0", "2-2"], "accuracy"), open(os.path.join(d, "accuracy.json"), "w"))
        json.dump(report("2-2", ["0-0", "x"], "kl+labels"), open(os.path.join(d, "default.json"), "w"))
        json.dump(evaluation(96, 100, n), open(os.path.join(d, "accuracy.eval.json"), "w"))
        json.dump(evaluation(93, 100, n), open(os.path.join(d, "default.eval.json"), "w"))
        rec = round6.collect("m", "1", "fresh", d, "20", "4", "2", "unused")
        assert rec["best"] == {"set": "1-1", "drop": 4.0, "sets": 3, "test_samples": n, "source": "every set's outputs",
                               "rank": 2}
        acc, default = rec["accuracy"], rec["default"]
        assert (acc["chosen"], acc["test_drop"], acc["regret"], acc["table_drop"]) == ("1-1", 4.0, 0.0, 4.0), acc
        assert (default["chosen"], default["test_drop"], default["regret"]) == ("2-2", 7.0, 3.0), default
        assert acc["wall_over_analyze"] == 10.0 and default["wall_over_analyze"] == 2.0
        assert acc["candidates_checked"] == 3 and default["candidates_checked"] == 2
        assert rec["original_test_accuracy"] == 1.0
        # a seen member's best comes from round 5's simulation
        json.dump({"m": {"best": "0-0", "best_drop": 3.5, "sets": 3, "test_samples": n}}, open(os.path.join(d, "sim.json"), "w"))
        seen = round6.collect("m", "1", "seen", d, "20", "4", "2", os.path.join(d, "sim.json"))
        assert seen["best"]["set"] == "0-0" and abs(seen["accuracy"]["regret"] - 0.5) < 1e-12
        assert "table_drop" not in seen["accuracy"]
    print("test_round6: ok")


if __name__ == "__main__":
    main()
