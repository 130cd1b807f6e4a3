"""Writes docs/results.md from the JSON records that make_results.sh leaves in docs/results/.

    /usr/bin/python3 tools/results/render_results.py docs/results docs/results.md [--wall-s S]

Every figure in the page comes from those records; the verdicts on the paper's claims are computed here by the
rules stated next to each claim, so a rerun on other models states what those models show.
"""
import argparse
import glob
import json
import os

import numpy as np

MODELS_DIR = "models"


def load(path):
    with open(path) as f:
        return json.load(f)


def ranks(values):
    """Ranks 1..n with ties given their average rank (what Spearman's coefficient needs)."""
    v = np.asarray(values, dtype=float)
    order = np.argsort(v, kind="mergesort")
    r = np.empty(len(v))
    i = 0
    while i < len(v):
        j = i
        while j + 1 < len(v) and v[order[j + 1]] == v[order[i]]:
            j += 1
        r[order[i:j + 1]] = (i + j) / 2.0 + 1
        i = j + 1
    return r


def spearman(a, b):
    if len(a) < 3:
        return float("nan")
    ra, rb = ranks(a), ranks(b)
    ra, rb = ra - ra.mean(), rb - rb.mean()
    den = np.sqrt((ra * ra).sum() * (rb * rb).sum())
    return float((ra * rb).sum() / den) if den > 0 else float("nan")


def pct(x):
    return f"{100 * x:.2f}"


def pts(x):
    return f"{100 * x:+.2f}"


def fmt(x, digits=3):
    if x is None:
        return "n/a"
    if isinstance(x, float) and (abs(x) >= 1e4 or (abs(x) < 1e-3 and x != 0)):
        return f"{x:.2e}"
    return f"{x:.{digits}f}" if isinstance(x, float) else str(x)


def verdict(ok):
    return "**reproduced**" if ok else "**not reproduced**"


class Page:
    def __init__(self):
        self.lines = []

    def add(self, *lines):
        self.lines.extend(lines)

    def table(self, header, rows):
        self.add("| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|")
        for r in rows:
            self.add("| " + " | ".join(str(c) for c in r) + " |")
        self.add("")


def longest_similar_run(matrix, threshold):
    """Longest run of consecutive boundaries h_a..h_b (a >= 1) whose every pair has similarity >= threshold."""
    n = len(matrix)
    best = (0, 0)
    for a in range(1, n):
        b = a
        while b + 1 < n and all(matrix[k][b + 1] is not None and matrix[k][b + 1] >= threshold
                                for k in range(a, b + 1)):
            b += 1
        if b - a > best[1] - best[0]:
            best = (a, b)
    return best


def model_section(page, name, res_dir, claims):
    res = load(f"{res_dir}/{name}.results.json")
    cls = load(f"{res_dir}/{name}.analyze-cls.json")
    alltok = load(f"{res_dir}/{name}.analyze-all.json")
    train = load(f"{MODELS_DIR}/{name}.train.json")
    c = train["config"]
    L = res["blocks"]
    orig = res["original_test_accuracy"]
    page.add(f"## {name}: {L} blocks, d={c['dim']}, {c['num_heads']} heads, patch {c['patch']} "
             f"({cls['tokens']} tokens incl. CLS)", "",
             f"Trained by `tools/train/train_vit12.py` (seed {train['seed']}, {train['steps']} steps = "
             f"{train['epochs']} epoch of the 60,000 Fashion-MNIST train images, batch {train['batch']}, "
             f"{train['train_wall_s']} s on 2 cores): test accuracy {pct(train['test_accuracy'])}% on the 10,000 "
             f"test images, **{pct(orig)}% on the 2,000 committed test images** used below. "
             f"Model file `models/{name}.onnx`, blocks as `rba inspect` finds them: "
             f"`docs/results/{name}.inspect.txt`.", "")

    # Heatmaps
    page.add("### Similarity of every pair of block outputs", "",
             f"`rba analyze --metric br,cosine,cka` on 500 calibration images. h_0 enters block 0, h_k leaves block "
             f"k-1. CLS token (the token BR reads; CKA of h_0 is n/a because h_0's CLS row is the same for every "
             f"image):", "", f"![{name} CLS](results/{name}-cls.png)", "", "All tokens:", "",
             f"![{name} all tokens](results/{name}-all-tokens.png)", "")
    cka = alltok["matrices"]["cka"]["values"]
    cos = cls["matrices"]["cosine"]["values"]
    run = longest_similar_run(cka, 0.9)
    adj = [cka[k][k + 1] for k in range(1, L)]
    page.add(f"Adjacent boundaries h_k, h_k+1 (k >= 1) have all-token CKA from {min(adj):.3f} to {max(adj):.3f} "
             f"(median {np.median(adj):.3f}); the longest run of boundaries with pairwise CKA >= 0.9 is "
             f"h_{run[0]}..h_{run[1]} ({run[1] - run[0]} blocks).", "")
    claims["patterns"].append((name, run, float(np.median(adj))))

    # BR table
    spans = res["spans"]
    by_span = {s["span"]: s for s in spans}
    rel = {s["span"]: s["relative_change"] for s in cls["spans"]}
    page.add("### Block Redundancy of every span of up to 4 blocks", "",
             "BR(i-j) = -mean ||h_j+1[CLS] - h_i[CLS]||^2 over the 500 fit images (closer to 0 = more redundant); "
             "'rel.' is the same distance divided by ||h_i[CLS]||^2 (rba's `relative_change`). Accuracy and "
             f"agreement: the model with the span replaced by the linear T (500 fit images), on the 2,000 test "
             f"images (original {pct(orig)}%).", "")
    rows = []
    for length in range(1, 5):
        for s in sorted((s for s in spans if s["blocks"] == length), key=lambda s: -s["br"]):
            lin = s["translators"]["linear"]
            a, b = map(int, s["span"].split("-"))
            rows.append([s["span"], f"h_{a} -> h_{b + 1}", f"{s['br']:.2f}", f"{rel.get(s['span'], float('nan')):.4f}",
                         pct(lin["accuracy"]), pct(lin["agreement"]), fmt(lin["relative_residual"], 4)])
    page.table(["span", "maps", "BR", "rel.", "acc. % (linear)", "agreement %", "fit residual"], rows)

    # Later blocks more redundant
    singles = sorted((s for s in spans if s["blocks"] == 1), key=lambda s: int(s["span"].split("-")[0]))
    br1 = [s["br"] for s in singles]
    rel1 = [rel[s["span"]] for s in singles]
    half = L // 2
    rho_br = spearman(list(range(L)), br1)
    rho_rel = spearman(list(range(L)), rel1)
    page.add(f"Single blocks: mean BR of blocks 0-{half - 1} is {np.mean(br1[:half]):.2f}, of blocks {half}-{L - 1} "
             f"{np.mean(br1[half:]):.2f}; Spearman(block index, BR) = {rho_br:+.2f}; Spearman(block index, -rel.) = "
             f"{-rho_rel:+.2f}.", "")
    claims["later"].append((name, np.mean(br1[:half]), np.mean(br1[half:]), rho_br, -rho_rel))

    # Translators
    page.add("### Translators: single blocks and the best 2-, 3- and 4-block spans", "",
             "Test accuracy % / agreement % with the original on the 2,000 test images. 'best by BR' is what BR "
             "alone picks; 'best by acc.' is the span whose linear replacement scored best on the test set (an "
             "oracle, shown for reference).", "")
    rows = []
    wins, gaps = 0, []
    methods = ["linear", "affine", "orthogonal", "identity"]
    shown = [s for s in spans if len(s["translators"]) == 4]
    for s in shown:
        tag = "single" if s["blocks"] == 1 else ""
        same_len = [t for t in spans if t["blocks"] == s["blocks"]]
        if s["blocks"] > 1:
            if s is max(same_len, key=lambda t: t["br"]):
                tag = "best by BR"
            if s is max(same_len, key=lambda t: t["translators"]["linear"]["accuracy"]):
                tag = (tag + ", " if tag else "") + "best by acc."
        tr = s["translators"]
        rows.append([s["span"], tag] + [f"{pct(tr[m]['accuracy'])} / {pct(tr[m]['agreement'])}" for m in methods])
        d = tr["linear"]["accuracy"] - tr["identity"]["accuracy"]
        gaps.append(d)
        wins += d > 0
    page.table(["span", "why shown", "linear", "affine", "orthogonal", "identity (drop)"], rows)
    page.add(f"Linear beats dropping the blocks in {wins} of {len(gaps)} spans; mean gain "
             f"{100 * np.mean(gaps):+.2f} points, median {100 * np.median(gaps):+.2f}.", "")
    claims["identity"].append((name, wins, len(gaps), float(np.mean(gaps))))

    # Calibration sweep
    sweep = res["calibration_sizes"]
    page.add("### Accuracy vs calibration samples", "",
             "Seeded choice of N images of the committed 3,000-image calibration set `models/calibration-3000` "
             "(Fashion-MNIST train images, none in the test set); the spans are the best 2- and 4-block spans by "
             "BR. Test accuracy % on the 2,000 test images.", "")
    sizes = sorted({r["samples"] for r in sweep})
    keys = sorted({(r["span"], r["translator"]) for r in sweep}, key=lambda k: (int(k[0].split("-")[0]), k[0], k[1]))
    rows = []
    ok_500 = True
    for key in keys:
        acc = {r["samples"]: r["accuracy"] for r in sweep if (r["span"], r["translator"]) == key}
        rows.append([key[0], key[1]] + [pct(acc[n]) if n in acc else "" for n in sizes])
        if key[1] == "linear" and 500 in acc and max(sizes) in acc:
            ok_500 &= abs(acc[500] - acc[max(sizes)]) <= 0.005
            claims["samples"].append((name, key[0], acc.get(50), acc[500], acc[max(sizes)]))
    page.table(["span", "translator"] + [f"N={n}" for n in sizes], rows)

    # Spearman BR vs accuracy and selection
    page.add("### Does BR predict accuracy? And what the checked selection gains", "")
    rows = []
    for length in [None, 1, 2, 3, 4]:
        sel = [s for s in spans if length is None or s["blocks"] == length]
        rho = spearman([s["br"] for s in sel], [s["translators"]["linear"]["accuracy"] for s in sel])
        rows.append(["all lengths" if length is None else f"{length}-block spans", len(sel), f"{rho:+.2f}"])
        if length is None:
            claims["spearman"].append((name, rho))
    page.table(["spans", "n", "Spearman(BR, linear test accuracy)"], rows)
    page.add("`rba approximate --remove K` (BR ranks candidates of one or two spans; the best 5 per size are "
             "scored on 500 held-out calibration images; the one with the least held-out drop wins) against BR alone "
             "(the single K-block span with the highest BR). Test accuracy % on the 2,000 test images.", "")
    rows = []
    for r in res["selection"]:
        if not r.get("chosen"):
            rows.append([r["remove"], "none found", "", "", "", "", ""])
            continue
        rows.append([r["remove"], r["chosen"], r["chosen_br_rank"], pct(r["test_accuracy"]),
                     r["br_only"], pct(r["br_only_test_accuracy"]),
                     pts(r["test_accuracy"] - r["br_only_test_accuracy"])])
        claims["selection"].append((name, r["remove"], r["test_accuracy"] - r["br_only_test_accuracy"]))
    page.table(["K", "rba chose", "its BR rank", "acc. %", "BR alone", "acc. %", "gain (points)"], rows)

    # Before / after
    page.add("### Size, compute and ONNX Runtime latency before and after", "",
             "The models `--remove K` chose (linear T). Latency: median (p90) ms of one batch of 32 on ONNX Runtime "
             "CPU, 30 timed runs after 5 warm-up runs, the two models taking turns; the machine is shared, so "
             "latencies are noisy.", "")
    rows = []
    for r in res["selection"]:
        if not r.get("chosen"):
            continue
        b, a = r["before"], r["after"]
        rows.append([r["remove"], r["chosen"], f"{pct(orig)} -> {pct(r['test_accuracy'])} ({pts(r['test_accuracy'] - orig)})",
                     f"{b['parameters']:,} -> {a['parameters']:,} ({100 * (a['parameters'] / b['parameters'] - 1):+.1f}%)",
                     f"{b['macs_per_sample'] / 1e6:.2f}M -> {a['macs_per_sample'] / 1e6:.2f}M "
                     f"({100 * (a['macs_per_sample'] / b['macs_per_sample'] - 1):+.1f}%)",
                     f"{b['file_bytes'] / 1e6:.2f} -> {a['file_bytes'] / 1e6:.2f} MB",
                     f"{b['latency_median_ms']:.1f} ({b['latency_p90_ms']:.1f}) -> {a['latency_median_ms']:.1f} "
                     f"({a['latency_p90_ms']:.1f})"])
        claims["keeps"].append((name, r["remove"], r["test_accuracy"] - orig,
                                a["parameters"] / b["parameters"] - 1, a["macs_per_sample"] / b["macs_per_sample"] - 1))
    page.table(["K", "spans", "test accuracy %", "parameters", "MACs / image", "file", "latency ms"], rows)

    p = res["pipeline"]
    page.add("### Where rba's time goes (analysis + fit + rewrite)", "",
             f"One calibration pass over 500 images computing the statistics of every span up to 4 blocks "
             f"({res['backend']} backend), then the linear fit, rewrite and save of span {p['span']}:", "")
    page.table(["step", "seconds"], [
        ["ONNX Runtime forward passes", f"{p['onnxruntime_s']:.2f}"],
        ["statistics (Grams, BR and similarity sums)", f"{p['statistics_s']:.2f}"],
        ["data loading", f"{p['data_s']:.2f}"],
        ["fit of T (from the statistics)", f"{p['fit_s']:.3f}"],
        ["rewrite (reload statistics, fit, splice)", f"{p['fit_and_rewrite_s']:.3f}"],
        ["save", f"{p['save_s']:.3f}"],
        ["total", f"{p['total_s']:.2f}"]])
    page.add(f"Per batch of 32 once warm: ONNX Runtime {1e3 * p['median_onnxruntime_batch_s']:.1f} ms, statistics "
             f"{1e3 * p['median_statistics_batch_s']:.1f} ms. rba's own code (everything but the forward passes) "
             f"takes {100 * (p['total_s'] - p['onnxruntime_s']) / p['total_s']:.0f}% of the pipeline.", "")
    claims["pipeline"].append((name, p))


def reference_section(page, res_dir, names, claims):
    page.add("## Against the reference approach: streamed statistics vs `torch.linalg.lstsq`", "",
             "`tools/results/reference_compare.sh` captures h_i and h_j+1 of the pipeline span with `rba capture "
             "--npy` (fit images: a seeded 12,000-image subset of Debian's Fashion-MNIST train set written to /tmp at "
             "run time, not committed; held-out rows: 500 committed test images). On the same files: rba's fit "
             "(`tools/results/java/StreamedFit.java`: streams the files 256 images at a time through rba's "
             "`StatisticsAccumulator`, then `LinearFits`, linear, no bias) and the reference "
             "(`tools/results/reference_fit.py`: the whole [images x tokens, d] float32 matrix in memory, "
             "`torch.linalg.lstsq`, CPU default driver gelsy, 2 threads). Residual = ||X T - Y||^2 / ||Y||^2 on the "
             "held-out rows. Times: median of 5 warm runs (rba's first, cold run with JIT and library loading in "
             "brackets); reading the files is not counted for either. Memory: peak RSS of each process (rba: a JVM "
             "with OpenBLAS loaded and its heap capped at 128 MB; torch: the Python process, and in brackets the growth over its "
             "size before loading the matrix).", "")
    rows = []
    for name in names:
        for f in sorted(glob.glob(f"{res_dir}/reference/reference-fit-{name}-*.json"),
                        key=lambda p: int(p.rsplit("-", 1)[1].split(".")[0])):
            ref = load(f)
            n = ref["samples"]
            rba = load(f"{res_dir}/reference/rba-fit-{name}-{n}.json")
            rr, rt = ref["heldout_relative_residual_rba"], ref["heldout_relative_residual_reference"]
            speed = ref["lstsq_median_s"] / rba["warm_fit_median_s"]
            rows.append([name, f"{n:,}", f"{ref['rows']:,}", fmt(ref["gram_condition_number"]), f"{rt:.5f}",
                         f"{rr:.5f}", f"{100 * (rr / rt - 1):+.3f}%",
                         f"{rba['warm_fit_median_s']:.3f} ({rba['cold']['fit_s']:.2f})", f"{ref['lstsq_median_s']:.3f}",
                         f"{speed:.1f}x", f"{rba['peak_rss_mb']:.0f}",
                         f"{ref['rss_peak_mb']:.0f} (+{ref['rss_peak_mb'] - ref['rss_start_mb']:.0f})"])
            claims["reference"].append((name, n, rr / rt - 1, speed, rba["peak_rss_mb"], ref["rss_peak_mb"] - ref["rss_start_mb"]))
            if "lstsq_rank" in ref and ref["lstsq_rank"] < ref["d"]:
                claims["truncated"].append((name, n, ref["lstsq_rank"], ref["d"], ref["lstsq_default_rcond"],
                                            ref["singular_value_ratio"], ref["train_relative_residual_reference"],
                                            ref["train_relative_residual_rba"]))
    page.table(["model", "fit images", "rows", "cond(X^T X)", "held-out res. torch", "held-out res. rba",
                "rba vs torch", "rba fit s (cold)", "torch lstsq s", "speed-up", "rba peak MB",
                "torch peak MB (growth)"], rows)


def claims_section(page, claims):
    page.add("## The paper's claims", "")
    pat = claims["patterns"]
    ok = all(run[1] - run[0] >= 2 for _, run, _ in pat)
    page.add("1. **Redundancy patterns appear in trained ViTs** (runs of consecutive blocks whose outputs are nearly "
             "the same representation). Rule: some run of >= 2 consecutive blocks has pairwise all-token CKA >= 0.9. "
             + verdict(ok) + ": " + "; ".join(f"{n}: h_{r[0]}..h_{r[1]}, median adjacent CKA {m:.3f}" for n, r, m in pat)
             + ".", "")
    lat = claims["later"]
    ok = all(b2 > b1 for _, b1, b2, _, _ in lat)
    ok_rel = all(rr > 0 for _, _, _, _, rr in lat)
    v = verdict(ok) if ok or not ok_rel else ("**not reproduced by BR, reproduced relative to the stream's norm** "
                                              "(the residual stream grows with depth, and BR is an absolute distance)")
    page.add("2. **Later blocks are more redundant.** Rule: mean single-block BR of the second half of the blocks "
             "is closer to 0 than of the first half; also checked on the change relative to ||h_i||^2 (positive "
             "Spearman(index, -relative change) = later blocks change the stream less). " + v + ": " + "; ".join(
                 f"{n}: {b1:.2f} (first half) vs {b2:.2f} (second half), Spearman(index, BR) {r:+.2f}, "
                 f"Spearman(index, -relative change) {rr:+.2f}" for n, b1, b2, r, rr in lat) + ".", "")
    ide = claims["identity"]
    ok = all(w > t / 2 and g > 0 for _, w, t, g in ide)
    page.add("3. **A linear map beats dropping the blocks (identity).** Rule: linear scores higher on the test set "
             "in most spans and on average. " + verdict(ok) + ": " + "; ".join(
                 f"{n}: {w} of {t} spans, mean {100 * g:+.2f} points" for n, w, t, g in ide) + ".", "")
    smp = claims["samples"]
    ok = all(abs(a500 - amax) <= 0.005 for _, _, _, a500, amax in smp)
    page.add("4. **About 500 calibration samples suffice.** Rule: linear test accuracy at 500 samples within 0.5 "
             "points of that at 3,000. " + verdict(ok) + ": " + "; ".join(
                 f"{n} span {s}: {pct(a50) if a50 is not None else 'n/a'}% at 50, {pct(a500)}% at 500, "
                 f"{pct(amax)}% at 3,000" for n, s, a50, a500, amax in smp) + ".", "")
    kp = claims["keeps"]
    two = [k for k in kp if k[1] == 2]
    ok = bool(two) and all(d >= -0.01 and p < 0 and m < 0 for _, _, d, p, m in two)
    page.add("5. **The approximated model keeps its accuracy with fewer parameters and less compute.** Rule: "
             "removing 2 of 12 blocks (`--remove 2`) costs at most 1 point of test accuracy. " + verdict(ok) + ": "
             + "; ".join(f"{n} K={k}: {pts(d)} points, parameters {100 * p:+.1f}%, MACs {100 * m:+.1f}%"
                         for n, k, d, p, m in kp) + ".", "")
    page.add("Weakness noted by the paper's reviewers, checked here: Spearman(BR, accuracy) over all spans "
             + ", ".join(f"{n} {r:+.2f}" for n, r in claims["spearman"]) + "; the checked selection's gain over BR "
             "alone: " + ", ".join(f"{n} K={k} {pts(g)} points" for n, k, g in claims["selection"]) + ".", "")


def targets_section(page, claims):
    page.add("## rba's targets", "")
    ref = claims["reference"]
    # rba's residual may be lower than the reference's (the target is about rba not being worse).
    worst = max(r[2] for r in ref) if ref else float("nan")
    best = min(r[2] for r in ref) if ref else float("nan")
    at2k = [r for r in ref if r[1] == 2000]
    rss = {}
    for n, s, _, _, mb, _ in ref:
        rss.setdefault(n, []).append(mb)
    note = ""
    for n, k, rank, d, rcond, ratio, tr_ref, tr_rba in claims["truncated"]:
        note += (f" Where rba is lower ({n}, {k:,} images), the reference is the less accurate one: "
                 f"`torch.linalg.lstsq`'s default rcond is float32 eps x rows = {rcond:.3g}, above this X's "
                 f"sigma_min / sigma_max = {ratio:.3g}, so gelsy cut X to rank {rank} of {d}; its training residual "
                 f"is {tr_ref:.5f} against rba's {tr_rba:.5f}. rba's fp64 normal equations keep every direction "
                 f"(cond(X^T X) about 1e4-1e5 loses about 5 of fp64's 16 digits).")
    page.add(f"- Held-out residual within 1% of the reference's: rba's is between {100 * best:+.3f}% and "
             f"{100 * worst:+.3f}% of torch's -> {'met' if worst <= 0.01 else 'missed'}." + note,
             "- Fit at least 5x faster than `torch.linalg.lstsq` at 2,000 samples: "
             + ", ".join(f"{n} {sp:.1f}x" for n, _, _, sp, _, _ in at2k)
             + f" -> {'met' if at2k and all(r[3] >= 5 for r in at2k) else 'missed'}. Both fits cost O(rows d^2): "
             "rba's streamed Gram of [X | Y] is rows (2d)^2 flops (one `ssyrk`) plus its per-row sums, "
             "Householder least squares about 6 rows d^2 (QR, then Q^T Y), and gelsy's column pivoting is partly "
             "BLAS-2; so the expected ratio is a few times, not an order of magnitude. Below ~0.1 s both are "
             "dominated by fixed costs and by the other jobs on the shared machine. What streaming buys is memory: "
             "see the next line.",
             "- Peak memory independent of the sample count: rba's peak RSS at 500 / 2,000 / 10,000 samples "
             + "; ".join(f"{n}: " + " / ".join(f"{m:.0f}" for m in v) + " MB" for n, v in rss.items())
             + " (torch grows by " + "; ".join(f"{r[0]} {r[1]:,}: +{r[5]:.0f} MB" for r in ref if r[1] == 10000) + ").")
    for name, p in claims["pipeline"]:
        share = p["onnxruntime_s"] / p["total_s"]
        steady = p["median_statistics_batch_s"] < p["median_onnxruntime_batch_s"]
        page.add(f"- Most of the time in ONNX Runtime ({name}, analysis of every span up to 4 blocks + fit + "
                 f"rewrite + save on 500 images): ONNX Runtime {p['onnxruntime_s']:.2f} s of {p['total_s']:.2f} s "
                 f"({100 * share:.0f}%) -> {'met' if share > 0.5 else 'missed'} for the whole pass; per batch once "
                 f"warm, statistics {1e3 * p['median_statistics_batch_s']:.1f} ms vs ONNX Runtime "
                 f"{1e3 * p['median_onnxruntime_batch_s']:.1f} ms -> {'met' if steady else 'missed'} in the steady "
                 f"state. On these small models (17 tokens) a 500-image pass is 16 batches, and the first batches "
                 f"pay for JIT-compiling the statistics kernels (see CalibrationTimings).")
    page.add("")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("res_dir")
    ap.add_argument("out")
    ap.add_argument("--wall-s", type=int, default=None)
    args = ap.parse_args()
    names = sorted({os.path.basename(p).split(".")[0] for p in glob.glob(f"{args.res_dir}/*.results.json")},
                   key=lambda n: int(n.split("_d")[-1]) if "_d" in n else 0)
    claims = {k: [] for k in ["patterns", "later", "identity", "samples", "keeps", "spearman", "selection",
                              "reference", "pipeline", "truncated"]}
    body = Page()
    for name in names:
        model_section(body, name, args.res_dir, claims)
    reference_section(body, args.res_dir, names, claims)
    page = Page()
    page.add("# rba on trained ViTs: the paper's findings and the reference fit", "",
             "Generated by `tools/results/make_results.sh` from the committed models "
             + ", ".join(f"`models/{n}.onnx`" for n in names)
             + " (no training; " + (f"{args.wall_s} s" if args.wall_s else "minutes")
             + " on the shared 2-core development machine). Calibration: the committed 1,000 Fashion-MNIST train "
             "images (`fixtures/data/fashion-mnist --split train`), split with seed 0 into 500 images for the fits "
             "and 500 held-out images for rba's checks. Evaluation: the 2,000 committed test images "
             "(`--split test`), which no fit or check sees. Spans are inclusive block ranges: span i-j removes "
             "blocks i..j and maps h_i to h_j+1. The variants are fitted and scored through rba's core API in one "
             "JVM (`tools/results/java/RbaResults.java`), the same code `rba approximate --replace` and "
             "`rba evaluate` run.", "")
    claims_section(page, claims)
    targets_section(page, claims)
    page.lines.extend(body.lines)
    with open(args.out, "w") as f:
        f.write("\n".join(page.lines).rstrip() + "\n")


if __name__ == "__main__":
    main()
