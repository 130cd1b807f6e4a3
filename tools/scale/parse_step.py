"""One step of tools/scale/run.sh as one JSON line: GNU time's wall time and peak RSS, plus what the command itself
printed about where its time went (OrtForward's load/run split; rba's "rba: STAGE: N samples done in X s" progress
lines, analyze's "time (backend ...): session .., data .., ONNX Runtime .., statistics .." line, and the
"rba: time: STAGE X s, ..., other X s, total X s" line that approximate and evaluate print at the end).

Usage: parse_step.py LOG_PREFIX MODEL KIND EXIT_CODE COMMAND   (reads LOG_PREFIX.time, .out, .err)"""
import json
import os
import re
import sys

prefix, model, kind, rc, command = sys.argv[1:6]


def read(ext):
    try:
        with open(prefix + ext, errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def wall_seconds(text):
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
    if not m:
        return None
    parts = [float(p) for p in m.group(1).split(":")]
    return round(sum(p * 60 ** i for i, p in enumerate(reversed(parts))), 2)


def field(text, name):
    m = re.search(re.escape(name) + r": (\S+)", text)
    return float(m.group(1)) if m else None


t, out, err = read(".time"), read(".out"), read(".err")
rss_kib = field(t, "Maximum resident set size (kbytes)")
rec = {"model": model, "kind": kind, "exit": int(rc), "command": command, "wall_s": wall_seconds(t),
       "peak_rss_mib": round(rss_kib / 1024) if rss_kib else None,
       "user_s": field(t, "User time (seconds)"), "sys_s": field(t, "System time (seconds)")}
runs = [dict(kv.split("=", 1) for kv in line.split()[1:]) for line in out.splitlines()
        if line.startswith("ort-forward ")]
if runs:
    rec["ort_runs"] = [{"model": r["model"].rsplit("/", 1)[-1], "repeat": int(r["repeat"]),
                        "load_s": float(r["load_s"]), "run_s": float(r["run_s"]),
                        "samples": int(r["samples"]), "batch": int(r["batch"])} for r in runs]
stages = [{"stage": m.group(1), "count": int(m.group(2)), "unit": m.group(3), "seconds": float(m.group(4))}
          for m in re.finditer(r"^rba: (.+?): (\d+) (\S+) done in ([\d.]+) s", err, re.M)]
if stages:
    rec["rba_stages"] = stages
m = re.search(r"^rba: time: (.*)$", err, re.M)
if m:
    rec["rba_times"] = {k: float(v) for k, v in re.findall(r"([^,]+?) ([\d.]+) s(?:,\s*|$)", m.group(1))}
m = re.search(r"^time \(backend (\S+)\): (.*)$", out, re.M)
if m:
    rec["backend"] = m.group(1)
    rec["calibration_split"] = m.group(2)
m = re.search(r"^backend: (.*)$", out + err, re.M)
if m and "backend" not in rec:
    rec["backend"] = m.group(1)
m = re.search(r"^MACs per sample\s+(\S+)\s+(\S+)\s+([-+][\d.]+)%", out, re.M)
if m:
    rec["macs_per_sample"] = {"baseline": m.group(1), "model": m.group(2), "change_pct": float(m.group(3))}
macs = os.environ.get("RBA_SCALE_MACS", "").split()
if kind.startswith("latency") and len(macs) == 2:
    # run.sh's rba inspect of the original and the rewritten model
    base, new = (int(x) for x in macs)
    rec["macs_per_sample"] = {"baseline": f"{base / 1e9:.2f}G", "model": f"{new / 1e9:.2f}G",
                              "change_pct": round(100 * (new - base) / base, 1)}
if int(rc) != 0:
    lines = [l for l in err.splitlines() if l.strip() and "Command exited" not in l]
    rec["error"] = lines[-1][:400] if lines else ""
print(json.dumps(rec))
