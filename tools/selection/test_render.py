"""Checks the study page's own arithmetic against closed forms. Run: /usr/bin/python3 tools/selection/test_render.py"""
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import render_rounds  # noqa: E402
from render_study import FRESH, ROUND4, fmt, merge, ranks, round_of, spearman  # noqa: E402
from render_ties import blocks, ordinal  # noqa: E402


def test_ties_share_their_mean_rank():
    assert ranks(np.array([3.0, 1.0, 2.0, 2.0])).tolist() == [3.0, 0.0, 1.5, 1.5]
    # x = 1, 2, 2, 3 against y = 1, 2, 3, 4: ranks (0, 1.5, 1.5, 3) and (0, 1, 2, 3), both centred on 1.5;
    # covariance 4.5, variances 4.5 and 5: rho = sqrt(4.5 / 5)
    assert math.isclose(spearman([1, 2, 2, 3], [1, 2, 3, 4]), math.sqrt(0.9), rel_tol=1e-12)
    # the same data in another order gives the same figure (no dependence on how a sort breaks ties)
    assert math.isclose(spearman([2, 3, 1, 2], [3, 4, 1, 2]), math.sqrt(0.9), rel_tol=1e-12)


def test_set_text():
    assert blocks("2-2+5-7") == {2, 5, 6, 7}
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 112)] == \
        ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "112th"]


def test_a_fresh_member_counts_in_held_out_and_apart():
    summary = {}
    merge(summary, {("held out", "regret", False): [0.5], ("held out", "time"): [2.0], "cli same": [("a", True)]}, "old")
    merge(summary, {("held out", "regret", False): [1.5], ("paired", "held out"): [True]}, ROUND4[0])
    merge(summary, {("seen", "regret", False): [0.25]}, "seen_model")
    assert summary[("held out", "regret", False)] == [0.5, 1.5]
    assert summary[(FRESH, "regret", False)] == [1.5]
    assert summary[("paired", FRESH)] == [True]
    assert (FRESH, "time") not in summary and summary["cli same"] == [("a", True)]
    assert summary[("seen", "regret", False)] == [0.25] and ("seen", FRESH) not in summary


def test_round_of_a_model():
    assert round_of(ROUND4[1], {}, []) == 4
    assert round_of("m", {"sample_losses": {}}, ["m"]) == 4
    assert round_of("m", {"sample_losses": {}}, []) == 2
    assert round_of("m", {}, []) == 1


def fig(regret, n=10000):
    return dict(test_samples=n, best_set="1-1", best=0.0, chosen="2-2", drop=regret, regret=regret, split_half=None)


def test_before_and_now_per_group():
    old = {"a": fig(2.0, 2000), "b": fig(0.0, 2000)}
    new = {"a": fig(1.0), "b": fig(0.5), "c": fig(0.25), "s": fig(0.75)}  # c not scored again, s seen
    rows = render_rounds.group_rows(old, new, (("seen", ["s"]), ("held out", ["a", "b", "c", "gone"])))
    assert rows[0] == ("seen", ["s"], [0.75], [0.75])
    assert rows[1] == ("held out", ["a", "b", "c"], [2.0, 0.0, 0.25], [1.0, 0.5, 0.25])
    lines = []
    render_rounds.section(lines.append, old, new, (("held out", ["a", "b", "c"]),), fmt)
    # means (2 + 0 + 0.25) / 3 = 0.75 before, (1 + 0.5 + 0.25) / 3 = 0.58 now; worst 2.00 before, 1.00 now
    assert "| held out | 3 | 0.75 -> 0.58 | 2.00 -> 1.00 |" in lines
    assert any(x.startswith("| a | 2,000 -> 10,000 |") for x in lines) and not any(x.startswith("| c |") for x in lines)


if __name__ == "__main__":
    for name, f in list(globals().items()):
        if name.startswith("test_"):
            f()
    print("ok")
