"""Render runs of tools/scale/run.sh into docs/scale.md, and keep their raw results beside it.

Usage (repository root): /usr/bin/python3 tools/scale/render.py [--keep] RUN_DIR [RUN_DIR ...]
Each RUN_DIR holds machine.json and results.jsonl (a "note" in machine.json is printed after the command). --keep:
the runs already in docs/scale.json follow the new ones (the run folders of earlier sessions are gone; their raw
results are not). Writes docs/scale.json (every run: machine and each step, as
measured) and docs/scale.md (one table per run). An rba step's ratio is its wall time over the mean wall time of the
plain forward passes run just before and just after it on the same model (whole processes both).
"""
import json
import os
import re
import statistics
import sys

DOC_MD, DOC_JSON = "docs/scale.md", "docs/scale.json"
# Hand-written notes at the end of docs/scale.md, from this line on, are kept when it is rendered again.
NOTES = "<!-- notes below are written by hand and kept by tools/scale/render.py -->"


def load(run_dir):
    with open(os.path.join(run_dir, "machine.json")) as f:
        machine = json.load(f)
    with open(os.path.join(run_dir, "results.jsonl")) as f:
        steps = [json.loads(line) for line in f if line.strip()]
    models = {}
    if os.path.exists(os.path.join(run_dir, "models.json")):
        with open(os.path.join(run_dir, "models.json")) as f:
            models = json.load(f)
    return {"machine": machine, "models": models, "steps": steps}


def neighbours(steps, i):
    """The forward passes of the same model just before and after step i."""
    model = steps[i]["model"]
    before = next((s for s in reversed(steps[:i]) if s["model"] == model and s["kind"] == "forward"), None)
    after = next((s for s in steps[i + 1:] if s["model"] == model and s["kind"] == "forward"), None)
    return [s for s in (before, after) if s and s["exit"] == 0]


def failure(step):
    if step["exit"] in (143, 137):  # SIGTERM / SIGKILL: stopped from outside, not a failure of the command
        return f"stopped by hand (exit {step['exit']}), see the run's note"
    return f"exit {step['exit']}: {step.get('error', '')[:160]}"


def split(step):
    parts = []
    if step.get("calibration_split"):
        parts.append(step["calibration_split"])
    if step.get("rba_times"):
        # the "rba: time:" line of approximate and evaluate: every stage, then what lies outside them
        parts.append(", ".join(f"{k} {v:.1f}" for k, v in step["rba_times"].items()) + " (s)")
    for s in [] if step.get("rba_times") else step.get("rba_stages", []):
        parts.append(f"{s['stage']} {s['seconds']:.1f} s")
    if step.get("ort_runs"):
        r = step["ort_runs"][0]
        parts.append(f"session {r['load_s']:.1f} s, run {r['run_s']:.1f} s")
    return "; ".join(parts) if parts else "-"


def samples_of(step):
    for flag in ("--samples", "--limit"):
        words = step["command"].split()
        if flag in words:
            return words[words.index(flag) + 1]
    m = re.search(r"images_\d+_(\d+)\.npz", step["command"])
    if m:
        return m.group(1)
    r = step.get("ort_runs")
    return str(r[0]["samples"]) if r else "-"


def short(command):
    words = command.split()
    for i, w in enumerate(words):
        if w.endswith("/rba"):
            return "rba " + " ".join(os.path.basename(x) if "/" in x else x for x in words[i + 1:])
    return "OrtForward " + " ".join(os.path.basename(x) if "/" in x else x for x in words[-4:])


def table(run):
    steps = run["steps"]
    rows = ["| model | command | samples | wall s | forward s | ratio | CPU s (forward) | peak RSS MiB | forward RSS MiB "
            "| stage split |", "|---|---|---|---|---|---|---|---|---|---|"]
    for i, s in enumerate(steps):
        if s["kind"] in ("forward",) or s["kind"].startswith("latency"):
            continue
        fw = neighbours(steps, i)
        fwall = statistics.mean(f["wall_s"] for f in fw) if fw else None
        frss = max(f["peak_rss_mib"] for f in fw) if fw else None
        ok = s["exit"] == 0
        ratio = f"{s['wall_s'] / fwall:.2f}x" if ok and fwall else "-"
        wall = f"{s['wall_s']:.1f}" if ok else f"{s['wall_s']:.1f} ({failure(s)})"
        cpu = s["user_s"] + s["sys_s"]
        fcpu = statistics.mean(f["user_s"] + f["sys_s"] for f in fw) if fw else None
        cpu_cell = f"{cpu:.0f} ({fcpu:.0f}): {cpu / fcpu:.2f}x" if fcpu else f"{cpu:.0f}"
        rows.append(f"| {s['model']} | `{short(s['command'])}` | {samples_of(s)} | {wall} | "
                    f"{'%.1f' % fwall if fwall else '-'} | {ratio} | {cpu_cell} | {s['peak_rss_mib']} | {frss or '-'} | "
                    f"{split(s).replace('|', '/')} |")
    return "\n".join(rows)


def forwards(run):
    rows = []
    for s in run["steps"]:
        if s["kind"] == "forward" and s["exit"] == 0:
            r = s["ort_runs"][0]
            rows.append(f"{s['model']}: {s['wall_s']:.1f} s whole process (session {r['load_s']:.1f} s, "
                        f"{r['samples']} samples in {r['run_s']:.1f} s at batch {r['batch']}), {s['peak_rss_mib']} MiB")
    return rows


def latency(run):
    out = []
    macs = next((s.get("macs_per_sample") for s in run["steps"] if s["kind"] == "evaluate"
                 and s["model"] == "vit_b16" and s.get("macs_per_sample")), None)
    for s in run["steps"]:
        if not s["kind"].startswith("latency") or s["exit"] != 0:
            continue
        macs = s.get("macs_per_sample", macs)
        by = {}
        for r in s["ort_runs"]:
            by.setdefault(r["model"], []).append(r["run_s"])
        (orig, to), (rep, tr) = list(by.items())[:2]
        mo, mr = statistics.median(to), statistics.median(tr)
        gain = 1 - mr / mo
        line = (f"{s['model']}, batch {s['ort_runs'][0]['batch']}, {s['ort_runs'][0]['samples']} samples per run, "
                f"{len(to)} runs each, alternating in one process: original {orig} median {mo:.2f} s "
                f"(runs {', '.join('%.2f' % x for x in to)}), replaced {rep} median {mr:.2f} s "
                f"(runs {', '.join('%.2f' % x for x in tr)}): {100 * gain:.1f}% faster")
        if macs:
            share = -macs["change_pct"] / 100
            line += (f"; MACs per sample {macs['baseline']} -> {macs['model']} ({macs['change_pct']:+.1f}%), so the "
                     f"target (>= 90% of the MAC share) is {100 * 0.9 * share:.1f}% faster: "
                     f"{'met' if gain >= 0.9 * share else 'not met'}")
        out.append(line)
    return out


def targets(run):
    """Issue 11's targets, checked on this run's own numbers (its sample counts, not necessarily the issue's 500)."""
    steps, out = run["steps"], []
    for i, s in enumerate(steps):
        fw = neighbours(steps, i)
        if s["kind"] == "forward" or s["kind"].startswith("latency") or s["kind"] == "inspect" or not fw:
            continue
        if s["exit"] != 0:
            out.append(f"{s['model']} `{s['kind']}`: {failure(s)}")
            continue
        fwall = statistics.mean(f["wall_s"] for f in fw)
        ratio, extra = s["wall_s"] / fwall, s["peak_rss_mib"] - max(f["peak_rss_mib"] for f in fw)
        if s["kind"].startswith("replace") and s["model"] in ("vit_b16", "vit_l16"):
            out.append(f"{s['model']} `approximate --{s['kind'].replace('-', ' ', 1)}` on {samples_of(s)} samples: "
                       f"wall {ratio:.2f}x the plain pass (target <= 1.10x: {'met' if ratio <= 1.10 else 'not met'}), "
                       f"peak RSS {extra:+d} MiB over it (target <= +1536 MiB: {'met' if extra <= 1536 else 'not met'})")
        elif s["kind"].startswith("remove") and s["model"] == "vit_b16":
            out.append(f"{s['model']} `approximate --{s['kind'].replace('-', ' ', 1)}`: wall {ratio:.2f}x the plain "
                       f"pass (target <= 4x: {'met' if ratio <= 4 else 'not met'})")
    h = [s for s in steps if s["model"] == "vit_h14" and s["kind"] != "forward"]
    if h:
        out.append("vit_h14 (over 2 GB): " + ", ".join(
            f"`{s['kind']}` {'ok' if s['exit'] == 0 else failure(s)} at {s['peak_rss_mib']} MiB" for s in h))
    return out


def main():
    args = sys.argv[1:]
    keep = args[:1] == ["--keep"]
    runs = [load(d) for d in args[keep:]]
    if keep and os.path.exists(DOC_JSON):
        with open(DOC_JSON) as f:
            runs += json.load(f)["runs"]
    with open(DOC_JSON + ".tmp", "w") as f:
        json.dump({"runs": runs}, f, indent=1)
        f.write("\n")
    os.replace(DOC_JSON + ".tmp", DOC_JSON)
    md = ["# rba at real sizes: ViT-B/16, ViT-L/16, ViT-H/14 (over 2 GB)", "",
          "Generated by `tools/scale/run.sh` (models with random weights, timm layout, opset 17, built by "
          "`tools/scale/make_models.py`; random calibration images, `.npz`) and rendered by `tools/scale/render.py` "
          "from the raw results in [`scale.json`](scale.json).", "",
          "How to read it: each rba command runs as a whole process between two plain ONNX Runtime forward passes "
          "over the same samples (`tools/scale/java/OrtForward.java`: ONNX Runtime's default session options, one "
          "intra-op thread per core as rba's `--threads 0`, batches of 32 = rba's default `--batch-size`, the logits "
          "copied out). *forward s* is the mean wall time of those two passes (JVM start and session creation "
          "included, as for rba), *ratio* = rba's wall time / forward s, peak RSS is GNU time's maximum resident set "
          "size. *CPU s* is user + system CPU time of the process (GNU time), with the plain passes' mean in "
          "brackets: on a shared machine it varies less than wall time, which waits for other jobs. The stage split is "
          "what rba prints by itself: `analyze` its calibration split (session, data, ONNX Runtime, copy-out, "
          "statistics); `approximate` and `evaluate` the `rba: time:` line, the wall time of "
          "every stage in seconds (model read, blocks, shape probe, data open, summary-token probe, calibration "
          "session / data / ORT run / copy-out / statistics, fit, rewrite, checks, source hash, write; for evaluate "
          "model read, session, data, ORT run, latency, sizes), *other* (JVM start and what lies between stages) and "
          "*total* (the process's wall time from its start); runs of commits before that line existed show only their progress stages.",
          "", "Models (random weights; file = the `.onnx` plus its external data):", "",
          "| model | blocks | d | heads | tokens | parameters | file |", "|---|---|---|---|---|---|---|"]
    models = {}
    for run in runs:
        models.update(run.get("models", {}))
    for stem, m in sorted(models.items(), key=lambda kv: kv[1]["parameters"]):
        size = (m["onnx_bytes"] + m["external_data_bytes"]) / 2 ** 20
        ext = f", {m['external_data_bytes'] / 2 ** 20:.0f} MiB of it in one external-data file" if m["external_data_bytes"] else ""
        md.append(f"| {stem} | {m['blocks']} | {m['d']} | {m['heads']} | {m['tokens']} | "
                  f"{m['parameters'] / 1e6:.1f} M | {size:.0f} MiB{ext} |")
    md.append("")
    for run in runs:
        m = run["machine"]
        md += [f"## rba at `{m.get('head', m['commit'])}` (its sources last changed in `{m['commit']}`)"
               + (f", {m['dirty_files']} modified source files" if m["dirty_files"] else ""),
               "", f"Machine: {m['nproc']} cores ({m['cpu']}), {m['mem_gib']} GiB, kernel {m['kernel']}; started "
               f"{m['date']}, load average {', '.join('%.1f' % x for x in m['load_at_start'])} at the start (the "
               "machine was shared with other jobs).", ""]
        if m.get("invocation"):
            md += [f"Command: `{m['invocation']}`" + (f" ({m['note']})" if m.get("note") else ""), ""]
        md += [table(run), "", "Plain forward passes:", ""]
        md += [f"- {r}" for r in forwards(run)]
        tg = targets(run)
        if tg:
            md += ["", "Issue 11's targets on this run's numbers:", ""] + [f"- {t}" for t in tg]
        lat = latency(run)
        if lat:
            md += ["", "Rewritten ViT-B (`--replace 9-10`) against the original, ONNX Runtime latency:", ""]
            md += [f"- {r}" for r in lat]
        md.append("")
    if os.path.exists(DOC_MD):
        with open(DOC_MD) as f:
            old = f.read()
        if NOTES in old:
            md.append(old[old.index(NOTES):].rstrip("\n"))
    with open(DOC_MD + ".tmp", "w") as f:
        f.write("\n".join(md) + "\n")
    os.replace(DOC_MD + ".tmp", DOC_MD)
    print(f"wrote {DOC_MD} and {DOC_JSON}")


if __name__ == "__main__":
    main()
