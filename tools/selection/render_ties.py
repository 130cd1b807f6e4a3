"""Two sections of docs/selection.md (render_study.py calls them): why the study and `rba approximate` chose
differently on z_d48_b6_post (the batch size, and a tie), and why z_d32_b12_aug's best set was not chosen (fidelity
against accuracy). Both read only committed data: STUDY_DIR/NAME.json, NAME.sel.json (the selections re-run at the
command's batch size) and STUDY_DIR/trace/*.json (tools/selection/java/SelectionTrace.java).
"""
import json
import os
import textwrap

TRACES = {"cli": "z_d48_b6_post.batch32-cli.json", "study": "z_d48_b6_post.batch50-study.json",
          "pairs50": "z_d48_b6_post.batch50-pairs.json", "file32": "z_d48_b6_post.batch32-statsfile.json"}
AUG_TRACE = "z_d32_b12_aug.batch32-cli.json"


def chosen_spans(selection):
    """The set an `rba approximate --json` selection chose (its candidate marked chosen)."""
    return [x["spans"] for x in selection["candidates"] if x["chosen"]][0]


def merge_rerun(r, rerun):
    """Replaces a study's selections by those re-run at the command's batch size (NAME.sel.json), their test drops
    looked up among the sets the study scored; keeps the first run's as selections_batch50. The time ratios then
    come from the re-run alone (its own calibration pass)."""
    scored = {s["span"]: s["drop"] for s in r.get("spans", []) if s["blocks"] == r["k"]}
    scored.update({e["set"]: e["drop"] for e in r.get("exhaustive", [])})
    r["selections_batch50"] = r["selections"]
    r["selections"] = []
    for s in rerun["selections"]:
        s = dict(s)
        s["test_drop"] = scored.get(s["chosen"]) if s.get("test_drop") is None else s["test_drop"]
        if s["test_drop"] is None:
            raise SystemExit(f"{r['model']}: the re-run chose {s['chosen']}, which the study did not score")
        r["selections"].append(s)
    for key in ("calibration_seconds", "original_check_seconds"):
        r[key + "_batch50"] = r[key]
    for key in ("calibration_seconds", "original_check_seconds", "batch_size"):
        r[key] = rerun[key]


def para(w, text):
    """One paragraph of prose, wrapped as the rest of the page."""
    for line in textwrap.wrap(text, 115, break_on_hyphens=False):
        w(line)
    w("")


def default_of(selections):
    return [x for x in selections if x["candidates"] == 8 and x["rank_by"] == "fit-1-r2"
            and x.get("decided_by", "kl") == "kl"][0]


def runner_up_cell(u, fmt):
    if u is None:
        return "none (one candidate)"
    lo, hi = u["difference_interval"]
    # KL gaps span orders of magnitude (a random-weight model's are 1e-6): two significant digits
    num = (lambda v: f"{v:.2g}") if u["decided_by"] == "kl" else fmt
    return (f"{u['spans']}: {'KL' if u['decided_by'] == 'kl' else 'drop'} {num(u['runner_up'] - u['chosen'])} [{num(lo)}, "
            f"{num(hi)}] on {u['samples']}, {'tied' if u['tied_within_noise'] else 'apart'}")


def time_means(results, names, seen, suffix):
    """Mean (calibration + original's check + default selection) / calibration, seen and held out, of the first runs
    (suffix _batch50) or the re-runs (suffix empty), as the tables compute it."""
    out = []
    for group in (True, False):
        v = []
        for n in names:
            r = results[n]
            if "selections_batch50" not in r or (n in seen) != group:
                continue
            sel = default_of(r["selections" + suffix])
            cal = r["calibration_seconds" + suffix]
            v.append((cal + sel.get("original_check_seconds", r["original_check_seconds" + suffix]) + sel["seconds"]) / cal)
        out.append(f"{sum(v) / len(v):.1f}x" if v else "n/a")
    return " / ".join(out) + " (seen / held out)"


def batch_section(w, src, results, names, fmt, seen):
    """## The study against the command: the batch size, and a tie."""
    tdir = os.path.join(src, "trace")
    if not all(os.path.exists(os.path.join(tdir, f)) for f in TRACES.values()):
        return
    t = {k: json.load(open(os.path.join(tdir, f))) for k, f in TRACES.items()}
    w("## The study against the command: the batch size, and ties")
    w("")
    para(w, f"Until this round `rba approximate --remove 2` chose {t['cli']['chosen']} on z_d48_b6_post while the study's"
         f" in-process default selection chose {t['study']['chosen']}. `tools/selection/java/SelectionTrace.java` runs one"
         " selection and scores every checked candidate on each stage's samples; run four ways on z_d48_b6_post"
         " (calibration and check at batch 32, what the command uses for this model, or 50, what the study used;"
         " statistics for the selection's pairs only, as the command computes them, or for every span up to 4 blocks"
         " through a statistics file, as the study did):")
    w("| batch | statistics | chosen | runner-up: KL gap [paired 95%] on the last stage's samples |")
    w("|---|---|---|---|")
    for k in ("cli", "file32", "pairs50", "study"):
        x = t[k]
        w(f"| {x['batch_size']} | {x['statistics']} | {x['chosen']} | {runner_up_cell(x.get('runner_up'), fmt)} |")
    w("")
    fifty = {c["spans"]: c for c in t["study"]["candidates"]}
    file32 = {c["spans"]: c for c in t["file32"]["candidates"]}
    same_batch = max(abs(c["predicted"] / file32[c["spans"]]["predicted"] - 1) for c in t["cli"]["candidates"])
    moved = {c["spans"]: c["predicted"] / fifty[c["spans"]]["predicted"] - 1 for c in t["cli"]["candidates"]}
    from_h = lambda k, h: any(int(p.split("-")[0]) == h for p in k.split("+"))  # noqa: E731
    para(w, f"The batch size alone decides; the statistics file does not (fit 1-R^2 of every candidate within"
         f" {same_batch:.0e}, relative, between the two ways at one batch size). The batch enters the statistics through"
         " the first batch's column shift and the fp32 products summed per batch (`StatisticsAccumulator`): rounding,"
         " about 1e-7 of a value. But h_2 of this post-norm model has a Gram of condition number 1.5e8 (what `rba"
         " approximate --replace 2-2` reports, with a warning), so T moves by up to cond x 2^-24 in its weakest"
         " directions, and the candidates with a span that starts at h_2 move with it: their 1-R^2 by up to"
         f" {100 * max(abs(v) for k, v in moved.items() if from_h(k, 2)):.1f}% between batch 32 and 50, the others' by up"
         f" to {100 * max(abs(v) for k, v in moved.items() if not from_h(k, 2)):.2f}%, and their held-out KL with them:")
    w("| candidate | rank | 1-R^2, batch 32 | 1-R^2, batch 50 | KL on 62 / 125 / 250 samples, batch 32 | batch 50 "
      "| last stage, batch 32 / 50 |")
    w("|---|---|---|---|---|---|---|")
    for c in t["cli"]["candidates"]:
        if "looks" not in c:
            continue
        d = fifty[c["spans"]]
        kl = lambda x: " / ".join(f"{v['kl']:.4f}" for v in x["looks"][:3])  # noqa: E731
        out = lambda x: "chosen" if x.get("eliminated_after") is None else str(x["eliminated_after"])  # noqa: E731
        w(f"| {c['spans']} | {c['rank']} | {c['predicted']:.5f} | {d['predicted']:.5f} | {kl(c)} | {kl(d)} | "
          f"{out(c)} / {out(d)} |")
    w("")
    u32, u50 = t["cli"]["runner_up"], t["study"]["runner_up"]
    tests = test_sets(results["z_d48_b6_post"]) if "z_d48_b6_post" in results else {}
    text = (f"The last stage compares {t['cli']['chosen']} and {u32['spans']} on {u32['samples']} held-out samples, where"
            f" their KL differ by {100 * (u32['runner_up'] / u32['chosen'] - 1):.1f}% at batch 32 ({u32['chosen']:.4f}"
            f" against {u32['runner_up']:.4f}) and by {100 * (u50['runner_up'] / u50['chosen'] - 1):.1f}% the other way at"
            " batch 50: a tie, which the paired interval of the difference shows at either batch size.")
    if tests:
        order = sorted(tests, key=lambda k: tests[k]["drop"])
        a, b = t["cli"]["chosen"], t["study"]["chosen"]
        text += (f" On the {results['z_d48_b6_post']['test_samples']:,} test images the command's {a} is number"
                 f" {order.index(a) + 1} of the {len(tests)} sets of 2 blocks by drop ({fmt(tests[a]['drop'])}), the"
                 f" study's old choice {b} number {order.index(b) + 1} ({fmt(tests[b]['drop'])}); the check could not"
                 " have told which.")
    para(w, text)
    batches = sorted({results[n]["batch_size"] for n in names if "selections_batch50" in results[n]})
    rescored = [n for n in names if results[n].get("rescored")]
    para(w, "What changed: the study now calibrates and checks at the batch the command uses (`BatchSizing.forCapture`"
         " over every h_k, what `rba approximate --remove` takes without `--batch-size`: "
         + " or ".join(map(str, batches)) + " for the models below), so both run the same code on the same numbers;"
         " its selections were re-run that way (`NAME.sel.json`) for every model below. The spans and sets scored on"
         " the test images, the predictors and the top-ranked sets stay those of the first runs (batch 50: a"
         " rounding-level difference in their fits)" + ("" if not rescored else "; the fourth round scored "
         + ", ".join(rescored) + " again from scratch at the command's batch, so for them everything above is at that"
         " batch and 'chosen at 50' is the second round's first run") + "; every selection in the tables above is"
         " the re-run's, and so are the selection times (taken at a load average of 4-8 on the shared 2-core machine, with other jobs running:"
         " the mean ratio of selection time to calibration pass went from "
         + time_means(results, names, seen, "_batch50") + " to " + time_means(results, names, seen, "") + "). And the"
         " selection reports its runner-up: `rba approximate` prints `runner-up SETS on the same N samples: KL ..."
         " difference ... [low, high] (paired 95%): tied within noise` under the table and marks both rows '(tied)'"
         " when the interval holds 0; `--json` has `selection.runner_up` with `tied_within_noise`.")
    para(w, "The default selection per model, at batch 50 (the study's first runs) and at the command's batch (the"
         " re-run), the command's own choice (`rba approximate`, run by `run_study.sh` before this round), and the"
         " runner-up of the re-run:")
    w("| model | batch | chosen at 50 | chosen at the command's batch | `rba approximate` chose | runner-up at the "
      "command's batch: gap [paired 95%] on N samples |")
    w("|---|---|---|---|---|---|")
    tied = []
    rows = 0
    for n in names:
        r = results[n]
        if "selections_batch50" not in r:
            continue
        rows += 1
        old, new = default_of(r["selections_batch50"]), default_of(r["selections"])
        cli = r.get("cli")
        cli_choice = "not run" if cli is None else chosen_spans(cli["selection"])
        u = new.get("runner_up")
        if u is not None and u["tied_within_noise"]:
            tied.append(n)
        w(f"| {n} | {r['batch_size']} | {old['chosen']} | {new['chosen']} | {cli_choice} | {runner_up_cell(u, fmt)} |")
    w("")
    para(w, f"The default's choice was tied with its runner-up on {len(tied)} of the {rows} models above"
         + (" (" + ", ".join(tied) + ")" if tied else "") + ": there, other held-out samples could as well have"
         " chosen the runner-up.")


def aug_section(w, src, results, fmt, seen, earlier=None):
    """## z_d32_b12_aug: a miss that a fidelity check cannot see. earlier: the second round's result of it, where the
    fourth round scored it again (the trace and this analysis were made on the second round's 2,000 images)."""
    path = os.path.join(src, "trace", AUG_TRACE)
    r = earlier or results.get("z_d32_b12_aug")
    if r is None or not os.path.exists(path) or "exhaustive" not in r:
        return
    t = json.load(open(path))
    tests = test_sets(r)
    by_kl = sorted(tests, key=lambda k: tests[k]["kl"])
    by_drop = sorted(tests, key=lambda k: tests[k]["drop"])
    chosen = default_of(r["selections"])["chosen"]
    best = by_drop[0]
    cands = {c["spans"]: c for c in t["candidates"]}
    w("## z_d32_b12_aug: a miss that a fidelity check cannot see")
    w("")
    if earlier is not None:
        now = results["z_d32_b12_aug"]
        nb = min(test_sets(now).items(), key=lambda kv: kv[1]["drop"])
        para(w, f"(The second round's figures, on its {r['test_samples']:,} test images, where this was traced. On the"
             f" fourth round's {now['test_samples']:,} the best set is {nb[0]} (drop {fmt(nb[1]['drop'])}), the default's"
             f" choice {default_of(now['selections'])['chosen']} (drop {fmt(default_of(now['selections'])['test_drop'])}):"
             " see 'What the fourth round's test images changed' above.)")
    para(w, f"On z_d32_b12_aug (held out) the best set of 3 blocks on the test images, {best}, scores"
         f" {fmt(-tests[best]['drop'])} points above the original; rba's choice {chosen} scores"
         f" {fmt(tests[chosen]['drop'])} below it. Without tuning anything on this model: where each set stood in the"
         f" ranking (fit 1-R^2, among {len(t['candidates'])} candidates; the first 8 are checked), on the 500 held-out"
         " calibration samples the check uses (SelectionTrace at the command's batch, `trace/" + AUG_TRACE + "`) and"
         f" on the {r['test_samples']:,} test images (the study), with each set's rank by test KL among all"
         f" {len(tests)} sets:")
    w("| set | rank by fit 1-R^2 | held-out KL | held-out agreement | held-out drop | test KL | test agreement | "
      "test drop | rank by test KL |")
    w("|---|---|---|---|---|---|---|---|---|")
    shown = [best, chosen] + [k for k in (by_kl[0], "3-5", "3-3+5-6") if k not in (best, chosen)]
    held = {}
    for k in shown:
        c = cands.get(k)
        look = None if c is None or "looks" not in c else c["looks"][-1]
        held[k] = look
        e = tests[k]
        note = " (best by test drop)" if k == best else " (rba's choice)" if k == chosen else \
            " (least test KL)" if k == by_kl[0] else ""
        w(f"| {k}{note} | {c['rank'] if c else 'n/a'} | "
          + (" | ".join(("n/a",) * 3) if look is None else
             f"{look['kl']:.4f} | {100 * look['agreement']:.1f}% | {fmt(look['drop'])}")
          + f" | {e['kl']:.4f} | {100 * e['agreement']:.1f}% | {fmt(e['drop'])} | {by_kl.index(k) + 1} |")
    w("")
    hb, hc = held[best], held[chosen]
    gainers = [k for k in tests if tests[k]["drop"] <= -0.5]
    common = sorted(set.intersection(*(blocks(k) for k in gainers))) if gainers else []
    checked = [c for c in t["candidates"] if "eliminated_after" in c]
    first = t["stage_samples"][0]
    beaten = sum(c["looks"][0]["kl"] < cands[best]["looks"][0]["kl"] for c in checked)
    by = {d: [regret(results[n], d) for n in seen if n in results and "exhaustive" in results[n]] for d in ("kl", "drop")}
    para(w, "It is not check noise: the held-out samples order the two sets in fidelity as the test images do (KL"
         f" {hb['kl'] / hc['kl']:.1f} times the choice's on the held-out samples, {tests[best]['kl'] / tests[chosen]['kl']:.1f}"
         f" times on the test images; agreement {100 * (hc['agreement'] - hb['agreement']):.1f} and"
         f" {100 * (tests[chosen]['agreement'] - tests[best]['agreement']):.1f} points lower), so a larger check would keep"
         f" rba's choice. The ranking put the best set {ordinal(cands[best]['rank'])}, outside the 8 checked; had it"
         f" been checked, {beaten} of the 8 had a lower KL on the first stage's {first} samples, which keeps the best"
         f" {len(checked) // 2}{', so it would have been dropped there' if beaten >= len(checked) // 2 else ''}. It is a difference of fidelity against"
         f" accuracy: the {len(gainers)} sets that score 0.5 points or more above the original all replace block"
         f"{'s' if len(common) > 1 else ''} {', '.join(map(str, common)) or '(none in common)'}, and the best of them"
         f" changes {100 * (1 - tests[best]['agreement']):.1f}% of the original's test predictions; on balance those"
         " changes fix more test images than they break, which only labels can show. rba's staged check asks how close"
         " the replaced model stays to the original (the KL of the softmax), which it must, since it also runs without"
         f" labels; by that measure its choice is the {ordinal(by_kl.index(chosen) + 1)} most faithful of the"
         f" {len(tests)} sets on the test images. Ordering the stages by the labelled drop instead ('by drop' above)"
         f" gives a mean regret of {fmt(sum(by['drop']) / len(by['drop']))} on the seen models against"
         f" {fmt(sum(by['kl']) / len(by['kl']))} by KL, so nothing changed. The held-out labels did show it ({best}:"
         f" drop {fmt(hb['drop'])} on 500 samples, an interval of about +-1.5 points): a user who wants accuracy rather"
         " than fidelity can read the `drop` column of the candidates checked, or `--replace` a set of their own"
         " choosing.")
    para(w, "The same view for every model: the default's choice's rank by test KL among all sets of K blocks (1 ="
         " the most faithful set there is), its test agreement with the original against the highest of any set, and"
         " its regret in top-1 points (as in the tables above).")
    w("| model | K | sets | default's choice | its rank by test KL | agreement: choice / best of any set | "
      "regret (top-1 points) |")
    w("|---|---|---|---|---|---|---|")
    for n, rr in results.items():
        if "exhaustive" not in rr:
            continue
        ts = test_sets(rr)
        if any(v.get("kl") is None for v in ts.values()):
            continue
        order = sorted(ts, key=lambda k: ts[k]["kl"])
        ch = default_of(rr["selections"])["chosen"]
        top = max(v["agreement"] for v in ts.values())
        w(f"| {n} | {rr['k']} | {len(ts)} | {ch} | {order.index(ch) + 1} | {100 * ts[ch]['agreement']:.2f}% / "
          f"{100 * top:.2f}% | {fmt(ts[ch]['drop'] - min(v['drop'] for v in ts.values()))} |")
    w("")


def regret(r, decided_by):
    """Test drop of the 8-candidate fit-1-r2 selection ordered by KL or by drop, minus the least of any set of K."""
    sel = [x for x in r["selections"] if x["candidates"] == 8 and x["rank_by"] == "fit-1-r2"
           and x.get("decided_by") == decided_by][0]
    return sel["test_drop"] - min(v["drop"] for v in test_sets(r).values())


def test_sets(r):
    """Every scored set of K blocks with its test figures (single spans from the spans' own rows)."""
    spans = {s["span"]: s for s in r["spans"]}
    out = {}
    for e in r["exhaustive"]:
        out[e["set"]] = e if "kl" in e else spans.get(e["set"], e)
    return out


def blocks(key):
    """The blocks a set replaces, from its text (e.g. 2-2+5-7: {2, 5, 6, 7})."""
    out = set()
    for part in key.split("+"):
        a, b = part.split("-")
        out.update(range(int(a), int(b) + 1))
    return out


def ordinal(n):
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
