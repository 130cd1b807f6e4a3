"""Checks the study page's own arithmetic against closed forms. Run: /usr/bin/python3 tools/selection/test_render.py"""
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from render_study import ranks, spearman  # noqa: E402
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


if __name__ == "__main__":
    for name, f in list(globals().items()):
        if name.startswith("test_"):
            f()
    print("ok")
