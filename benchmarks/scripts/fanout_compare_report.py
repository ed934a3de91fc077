"""Prints fanout-compare.sh's figures for the edge and uWS, with ratios: python3 fanout_compare_report.py DIR CLK_TCK

DIR holds lg/summary.json (one loadgen run, both targets) and cpu.txt (lines "epoch_ms edge_ticks uws_ticks").
A server's CPU is taken over its target's measured window (steady_from/to_epoch_ms), interpolated between samples.
"""
import bisect
import json
import os
import sys

d, hz = sys.argv[1], float(sys.argv[2])
targets = {t["label"]: t for t in json.load(open(os.path.join(d, "lg", "summary.json")))["targets"]}
samples = [tuple(float(x) for x in line.split()) for line in open(os.path.join(d, "cpu.txt")) if len(line.split()) == 3]
column = {"switchboard": 1, "uws": 2}


def ticks_at(ms, col):
    """Cumulative CPU ticks of a server at epoch ms, linear between the samples around it; None outside them."""
    times = [s[0] for s in samples]
    i = bisect.bisect_left(times, ms)
    if i == 0 or i >= len(samples):
        return None
    (t0, v0), (t1, v1) = (samples[i - 1][0], samples[i - 1][col]), (samples[i][0], samples[i][col])
    if v0 < 0 or v1 < 0:
        return None
    return v0 + (v1 - v0) * (ms - t0) / (t1 - t0)


def figures(label):
    t = targets[label]
    r, lat, c = t["results"], t["latency_us"], t["counters"]
    f = {"delivered": c["delivered"], "expected": r.get("expected_deliveries", 0),
         "p50": lat.get("p50", 0) / 1e3, "p99": lat.get("p99", 0) / 1e3, "p99.9": lat.get("p99.9", 0) / 1e3,
         "max": lat.get("max", 0) / 1e3, "errors": sum(t["errors"].values())}
    lo, hi = r.get("steady_from_epoch_ms"), r.get("steady_to_epoch_ms")
    f["window_deliveries"] = r.get("steady_delivered_per_s", 0) * r.get("steady_seconds", 0)
    a = ticks_at(lo, column[label]) if lo else None
    b = ticks_at(hi, column[label]) if hi else None
    if a is not None and b is not None:
        f["cpu_s"] = (b - a) / hz
        f["cpu_core"] = f["cpu_s"] / r["steady_seconds"]
        f["cpu_us_per_delivery"] = f["cpu_s"] / f["window_deliveries"] * 1e6 if f["window_deliveries"] else None
    return f


labels = [l for l in ("switchboard", "uws") if l in targets]
vals = {l: figures(l) for l in labels}
rows = [("delivered / expected", lambda f: f"{f['delivered']:,.0f} / {f['expected']:,.0f} ({f['delivered'] / max(f['expected'], 1):.1%})", None),
        ("latency p50 (ms)", lambda f: f"{f['p50']:.2f}", "p50"),
        ("latency p99 (ms)", lambda f: f"{f['p99']:.2f}", "p99"),
        ("latency p99.9 (ms)", lambda f: f"{f['p99.9']:.2f}", "p99.9"),
        ("latency max (ms)", lambda f: f"{f['max']:.2f}", "max"),
        ("deliveries in the measured window", lambda f: f"{f['window_deliveries']:,.0f}", None),
        ("server CPU in the window (s; share of a core)",
         lambda f: f"{f['cpu_s']:.2f}; {f['cpu_core']:.0%}" if "cpu_s" in f else "", "cpu_s"),
        ("server CPU per delivery (µs)",
         lambda f: f"{f['cpu_us_per_delivery']:.3f}" if f.get("cpu_us_per_delivery") else "", "cpu_us_per_delivery"),
        ("errors", lambda f: f"{f['errors']}", None)]
two = len(labels) == 2
print("| figure | " + " | ".join("edge" if l == "switchboard" else l for l in labels) + (" | ratio edge/uws |" if two else " |"))
print("|---" * (len(labels) + 1 + two) + "|")
for name, fmt, key in rows:
    ratio = ""
    if two and key:
        a, b = vals["switchboard"].get(key), vals["uws"].get(key)
        if a is not None and b:
            ratio = f"{a / b:.2f}x"
    print(f"| {name} | " + " | ".join(fmt(vals[l]) for l in labels) + (f" | {ratio} |" if two else " |"))
