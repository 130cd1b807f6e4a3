"""The sixth round's per-model record (tools/selection/run_round6.sh calls it).

    round6.py collect NAME K GROUP DIR ACCURACY_WALL DEFAULT_WALL ANALYZE_WALL SIMULATION_JSON > round6/NAME.json

DIR holds the two commands' --json reports (accuracy.json, default.json), their chosen models scored on the test images
by `rba evaluate --json` (accuracy.eval.json, default.eval.json) and, for a fresh member, every set's outputs
(sets/: SetOutputs.java's meta.json, labels-test.i32, test.f32). The exhaustive best comes from those outputs (fresh)
or from round 5's simulation.json (seen: the same fits, scored on the same test images).
"""
import json
import os
import sys

import numpy as np


def chosen_set(report):
    for c in report["selection"]["candidates"]:
        if c["chosen"]:
            return c["spans"]
    raise SystemExit("no chosen candidate in the report")


def test_drop(evaluation):
    """Points of top-1 the chosen model loses against the original on the test images (rba evaluate)."""
    m, b = evaluation["model"], evaluation["baseline"]
    if m["samples"] != b["samples"]:
        raise SystemExit("the two models were scored on different samples")
    return 100.0 * (b["correct"] - m["correct"]) / b["samples"], b["correct"] / b["samples"], b["samples"]


def every_set(folder):
    """Each set's top-1 drop on the test images, from SetOutputs.java's dump: {set: drop}."""
    meta = json.load(open(os.path.join(folder, "meta.json")))
    n, classes = meta["test_samples"], meta["classes"]
    labels = np.fromfile(os.path.join(folder, "labels-test.i32"), dtype="<i4")
    scores = np.fromfile(os.path.join(folder, "test.f32"), dtype="<f4").reshape(-1, n, classes)
    if scores.shape[0] != len(meta["sets"]) + 1 or labels.shape[0] != n:
        raise SystemExit(f"{folder}: the dump does not match its meta.json")
    correct = (scores.argmax(axis=2) == labels[None, :]).sum(axis=1)
    return {s: 100.0 * (int(correct[0]) - int(c)) / n for s, c in zip(meta["sets"], correct[1:])}, n


def collect(name, k, group, folder, acc_wall, def_wall, ana_wall, simulation):
    rec = {"model": name, "group": group, "k": int(k), "analyze_wall_s": float(ana_wall)}
    table = None
    if group == "fresh":
        table, n = every_set(os.path.join(folder, "sets"))
        best = min(table, key=lambda s: (table[s], s))
        rec["best"] = {"set": best, "drop": table[best], "sets": len(table), "test_samples": n, "source": "every set's outputs"}
    else:
        sim = json.load(open(simulation))[name]
        rec["best"] = {"set": sim["best"], "drop": sim["best_drop"], "sets": sim["sets"], "test_samples": sim["test_samples"],
                       "source": "round 5 (simulation.json)"}
    for search, wall in (("accuracy", acc_wall), ("default", def_wall)):
        report = json.load(open(os.path.join(folder, search + ".json")))
        sel = report["selection"]
        chosen = chosen_set(report)
        drop, original, samples = test_drop(json.load(open(os.path.join(folder, search + ".eval.json"))))
        if samples != rec["best"]["test_samples"]:
            raise SystemExit(f"{name}: evaluated on {samples} test images, the exhaustive best on {rec['best']['test_samples']}")
        r = {"chosen": chosen, "test_drop": drop, "regret": drop - rec["best"]["drop"], "wall_s": float(wall),
             "wall_over_analyze": float(wall) / float(ana_wall), "decided_by": sel["decided_by"],
             "candidates_checked": sum(1 for c in sel["candidates"] if c["checked"]), "candidates": len(sel["candidates"]),
             "check_samples": report["check_samples"], "selection_s": sel["seconds"]}
        if search == "accuracy":
            # where the best set stood in the --rank-by order, which is the order --budget or --candidates N cut
            rank = {c["spans"]: c["rank"] for c in sel["candidates"]}
            rec["best"]["rank"] = rank.get(rec["best"]["set"])
        if table is not None:
            # the command's fit against the study's: the same set scored the same way must lose the same points
            r["table_drop"] = table[chosen]
        rec[search] = r
        rec["original_test_accuracy"] = original
    return rec


def main():
    if len(sys.argv) != 10 or sys.argv[1] != "collect":
        raise SystemExit(__doc__)
    print(json.dumps(collect(*sys.argv[2:]), indent=1))


if __name__ == "__main__":
    main()
