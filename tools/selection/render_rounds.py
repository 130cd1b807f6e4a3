"""docs/selection.md's section on what the fourth round's extra test images changed (render_study.py calls it): the
models scored again on all 10,000 Fashion-MNIST test images (5,000 for a 5-class member), their second-round figures
(2,000 images, STUDY_DIR/round2/) beside the new ones, and each group's regret both ways.

A model's figures (render_study.default_figures): test_samples, best_set, best (its drop), chosen (the default
selection's set), drop (its test drop), regret (drop - best), split_half (split-half regret, or None).
"""
import numpy as np


def group_rows(old, new, groups):
    """[(group, models, old regrets, new regrets)]: per group, every model of it with figures now (a model the
    fourth round did not score again counts with the same figure in both), so the old column is what the page said
    before this round and the new one what it says now."""
    rows = []
    for group, members in groups:
        names = [n for n in members if n in new]
        if names:
            rows.append((group, names, [old.get(n, new[n])["regret"] for n in names], [new[n]["regret"] for n in names]))
    return rows


def section(w, old, new, groups, fmt):
    """## What 10,000 test images changed. old: {name: figures} of the second round (re-scored models only); new:
    {name: figures} now; groups: [(group, [names])] for the summary rows (the fresh members are not in old)."""
    rescored = [n for n in new if n in old]
    if not rescored:
        return
    w("## What the fourth round's test images changed")
    w("")
    w("The models scored again, their second-round figures (the study's 2,000 test images) beside the fourth")
    w("round's (all 10,000, or all 5,000 of a 5-class member's classes); same calibration data, same selection code,")
    w("the second round's selections as re-run at the command's batch (third round). Drops and regret in points;")
    w("split-half regret as in the targets above.")
    w("")
    w("| model | test images | best set (drop) | default's choice (drop) | regret | split-half regret |")
    w("|---|---|---|---|---|---|")

    for n in rescored:
        o, x = old[n], new[n]
        w(f"| {n} | {o['test_samples']:,} -> {x['test_samples']:,} | {o['best_set']} ({fmt(o['best'])}) -> "
          f"{x['best_set']} ({fmt(x['best'])}) | {o['chosen']} ({fmt(o['drop'])}) -> {x['chosen']} ({fmt(x['drop'])}) | "
          f"{fmt(o['regret'])} -> {fmt(x['regret'])} | {fmt(o['split_half'])} -> {fmt(x['split_half'])} |")
    w("")
    w("Each group's regret of the default `--remove K` (class scores, exhaustive best), as the page said before this")
    w("round and as it says now (models not scored again count the same in both):")
    w("")
    w("| group | models | mean regret: before -> now | worst regret: before -> now |")
    w("|---|---|---|---|")
    for group, names, before, now in group_rows(old, new, groups):
        w(f"| {group} | {len(names)} | {fmt(float(np.mean(before)))} -> {fmt(float(np.mean(now)))} | "
          f"{fmt(float(np.max(before)))} -> {fmt(float(np.max(now)))} |")
    w("")
