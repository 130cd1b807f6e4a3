"""Replays selection rules on every set's recorded class scores (tools/selection/java/SetOutputs.java) and scores each
rule's choice on the test images, without running a model again.

A rule = a ranking (sum of the spans' fit 1-R^2, as rba ranks; sets of up to 3 spans), a number of candidates, and
what the successive-halving stages order candidates by on the selection's own held-out calibration samples (the
first n of them, n = 1/8, 1/4, 1/2 of all, at least 32, as SpanSelection does). Regret = the choice's top-1 drop on
the test images minus the least drop of any set of K blocks there, in points.

Besides the command's own 500 held-out samples ('as run'), each rule is replayed on bootstrap resamples of them
('resampled': the same rule on other draws of check samples of the same size), so a rule that was lucky once shows.

Usage: /usr/bin/python3 tools/selection/simulate_checks.py DUMP_DIR [NAME ...] [--json OUT]
"""
import json
import math
import os
import sys

import numpy as np

MAX_SPANS = 3
MIN_STAGE = 32
RESAMPLES = 200


def softmax(z):
    z = z - z.max(-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(-1, keepdims=True)


def log_softmax(z):
    z = z - z.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))


class Model:
    def __init__(self, folder):
        self.meta = json.load(open(os.path.join(folder, "meta.json")))
        c = self.meta["classes"]
        s = len(self.meta["sets"]) + 1
        check = np.fromfile(os.path.join(folder, "check.f32"), "<f4").reshape(s, -1, c).astype(np.float64)
        test = np.fromfile(os.path.join(folder, "test.f32"), "<f4").reshape(s, -1, c)
        self.check_labels = np.fromfile(os.path.join(folder, "labels-check.i32"), "<i4")
        self.test_labels = np.fromfile(os.path.join(folder, "labels-test.i32"), "<i4")
        self.sets = self.meta["sets"]
        self._test = test
        right = test.argmax(2) == self.test_labels
        self._test_wrong_diff = right[0][None, :].astype(np.int8) - right[1:].astype(np.int8)   # [sets, n]
        self.test_drop = 100 * self._test_wrong_diff.mean(1)
        # per check sample, per set: the losses a stage can order by
        lp = log_softmax(check)
        p0 = np.exp(lp[0])
        self.kl = (p0 * (lp[0] - lp[1:])).sum(-1)                                   # [sets, n]
        idx = self.check_labels
        nll = -lp[:, np.arange(len(idx)), idx]                                     # [sets+1, n]
        self.nll_diff = nll[1:] - nll[0]
        right = (check.argmax(2) == idx)
        self.wrong_diff = right[0].astype(float) - right[1:].astype(float)          # 1 = a sample the set breaks
        self.disagree = (check[1:].argmax(2) != check[0].argmax(1)).astype(float)
        p = np.exp(lp)
        onehot = np.eye(p.shape[2])[idx]
        brier = ((p - onehot) ** 2).sum(-1)
        self.brier_diff = brier[1:] - brier[0]
        self.rank = self._rank()

    def test_drop_on(self, samples):
        """Every set's drop on some of the test images, in points."""
        return 100 * self._test_wrong_diff[:, samples].mean(1)

    def _rank(self):
        """Set indices by the sum of their spans' fit 1-R^2 (only sets of up to MAX_SPANS spans: rba's candidates)."""
        spans = self.meta["spans"]
        keyed = []
        for i, s in enumerate(self.sets):
            parts = s.split("+")
            if len(parts) > MAX_SPANS:
                continue
            p = sum(spans[x]["fit-1-r2"] for x in parts)
            keyed.append((p if math.isfinite(p) else math.inf, i))
        keyed.sort()
        return [i for _, i in keyed]


LOSSES = {
    "kl": lambda m: m.kl,
    "drop": lambda m: m.wrong_diff,
    "nll": lambda m: m.nll_diff,
    "brier": lambda m: m.brier_diff,
    "disagree": lambda m: m.disagree,
}


def order_by(loss, model, alive, use):
    """A stage's order: by the mean loss, ties by the drop, then rank."""
    sub = loss[np.ix_(alive, use)].mean(1)
    tie = model.wrong_diff[np.ix_(alive, use)].mean(1)
    return [alive[j] for j in sorted(range(len(alive)), key=lambda j: (sub[j], tie[j], j))]


def label_overrides(z):
    """KL orders the stage; a candidate whose true-label NLL is lower than the KL leader's by more than z standard
    errors (paired, on the stage's samples) moves ahead of it: labels decide only where they are clear."""
    def order(model, alive, use):
        by_kl = order_by(model.kl, model, alive, use)
        lead = by_kl[0]
        better = []
        for c in by_kl[1:]:
            d = model.nll_diff[c, use] - model.nll_diff[lead, use]
            se = d.std(ddof=1) / math.sqrt(len(use))
            if se > 0 and d.mean() / se < -z:
                better.append((d.mean(), c))
        if not better:
            return by_kl
        first = min(better)[1]
        return [first] + [c for c in by_kl if c != first]
    return order


def mixed(w):
    """Orders by KL + w * (NLL change - KL): w 0 is KL, w 1 the change of the true label's NLL."""
    def order(model, alive, use):
        return order_by(model.kl + w * (model.nll_diff - model.kl), model, alive, use)
    return order


RULES = {"sig2": label_overrides(1.96), "sig3": label_overrides(3.0)}
RULES.update({f"mix{round(100 * w):02d}": mixed(w) for w in (0.1, 0.15, 0.25, 0.35, 0.5, 0.75)})


def select(model, loss, candidates, order):
    """SpanSelection's successive halving over the first `candidates` ranked sets; `order` = the check samples."""
    alive = list(model.rank[:candidates])
    n = len(order)
    rounds = 0
    while (1 << rounds) < len(alive):
        rounds += 1
    rnd = 0
    while len(alive) > 1:
        k = min(n, max(MIN_STAGE, n >> (rounds - rnd)))
        use = order[:k]
        alive = loss(model, alive, use) if callable(loss) else order_by(loss, model, alive, use)
        alive = alive[:(len(alive) + 1) // 2]
        rnd += 1
    return alive[0]


def regret(model, chosen):
    return float(model.test_drop[chosen] - model.test_drop.min())


def split_half_regret(model, chosen, rng, halvings=200):
    """The test images halved at random: the best set picked on one half, it and `chosen` scored on the other (both
    ways; mean over the halvings): regret without the winner's curse of the least of many noisy drops."""
    n = len(model.test_labels)
    out = []
    for _ in range(halvings):
        perm = rng.permutation(n)
        for a, b in ((perm[:n // 2], perm[n // 2:]), (perm[n // 2:], perm[:n // 2])):
            pick = int(np.argmin(model.test_drop_on(a)))
            on_b = model.test_drop_on(b)
            out.append(on_b[chosen] - on_b[pick])
    return float(np.mean(out))


def run(model, rule, rng):
    """A rule's choice on the command's own check samples, its regret and split-half regret, and the mean regret of the
    rule over bootstrap resamples of those samples."""
    loss_name, cand = rule
    loss = RULES[loss_name] if loss_name in RULES else LOSSES[loss_name](model)
    n = len(model.check_labels)
    chosen = select(model, loss, cand, np.arange(n))
    res = [regret(model, select(model, loss, cand, rng.integers(0, n, n))) for _ in range(RESAMPLES)]
    return {"chosen": model.sets[chosen], "test_drop": float(model.test_drop[chosen]), "regret": regret(model, chosen),
            "split_half_regret": split_half_regret(model, chosen, np.random.default_rng(2)),
            "resampled_regret": float(np.mean(res))}


def pool_floor(model, sizes=(500, 2000, 4000), splits=40):
    """What scoring every set could reach: the test images split at random into N 'check' images and the rest; the
    set with the least figure on the N (KL, the log-loss change, the blend, or the top-1 drop itself) is scored on the
    rest against the best set there. Mean regret over the splits, per N and figure. Ignores the ranking and the
    stages: the floor of a check of N labelled samples, not a rule rba could run within its time target."""
    lp = log_softmax(model._test.astype(np.float64))
    y = model.test_labels
    n = len(y)
    kl = (np.exp(lp[0]) * (lp[0] - lp[1:])).sum(-1)
    nll = -lp[:, np.arange(n), y]
    nd = nll[1:] - nll[0]
    figures = {"kl": kl, "nll": nd, "mix25": 0.75 * kl + 0.25 * nd, "drop": model._test_wrong_diff.astype(np.float64)}
    rng = np.random.default_rng(5)
    out = {}
    for size in sizes:
        if size >= n:
            continue
        regs = {k: [] for k in figures}
        for _ in range(splits):
            perm = rng.permutation(n)
            check, rest = perm[:size], perm[size:]
            on_rest = model.test_drop_on(rest)
            for k, f in figures.items():
                regs[k].append(float(on_rest[int(np.argmin(f[:, check].mean(1)))] - on_rest.min()))
        out[str(size)] = {k: float(np.mean(v)) for k, v in regs.items()}
    return out


def main(argv):
    folder = argv[0]
    out = None
    if "--json" in argv:
        out = argv[argv.index("--json") + 1]
        argv = argv[:argv.index("--json")]
    names = argv[1:] or sorted(x for x in os.listdir(folder) if os.path.isfile(os.path.join(folder, x, "meta.json")))
    rules = [(l, c) for l in (os.environ.get("RULES", "kl,nll,brier,drop,sig2,sig3,mix25,mix50").split(","))
             for c in (int(x) for x in os.environ.get("CANDIDATES", "4,8,16").split(","))]
    table = {}
    for name in names:
        m = Model(os.path.join(folder, name))
        rng = np.random.default_rng(1)
        best = int(np.argmin(m.test_drop))
        row = {"blocks": m.meta["blocks"], "k": m.meta["k"], "test_samples": len(m.test_labels),
               "check_samples": len(m.check_labels), "sets": len(m.sets), "best": m.sets[best],
               "best_drop": float(m.test_drop[best]),
               "best_rank_by_fit_1_r2": m.rank.index(best) + 1 if best in m.rank else None,
               "rules": {f"{r[0]}:{r[1]}": run(m, r, rng) for r in rules}, "pool": pool_floor(m)}
        table[name] = row
        print(f"{name}: best {row['best']} ({row['best_drop']:.2f}), rank by fit-1-r2 {row['best_rank_by_fit_1_r2']} "
              f"of {len(m.rank)}", flush=True)
        print("  " + "  ".join(f"{k} {v['regret']:.2f}/{v['resampled_regret']:.2f}" for k, v in row["rules"].items()),
              flush=True)
    keys = [f"{r[0]}:{r[1]}" for r in rules]
    print("\nrule: mean / worst regret as run, mean / worst split-half, mean / worst resampled")
    for k in keys:
        f = [[table[n]["rules"][k][x] for n in table] for x in ("regret", "split_half_regret", "resampled_regret")]
        print(f"{k:12s} " + "  ".join(f"{np.mean(v):.2f} {np.max(v):.2f}" for v in f))
    if out:
        with open(out, "w") as f:
            json.dump(table, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1:])
