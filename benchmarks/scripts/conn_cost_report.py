"""Prints conn-cost.sh's figures for the edge and uWS, with ratios: python3 conn_cost_report.py OUT_DIR"""
import json
import os
import sys

out = sys.argv[1]
targets = {t["label"]: t for t in json.load(open(os.path.join(out, "lg", "summary.json")))["targets"]}


def listen_ms(name):
    try:
        return float(open(os.path.join(out, name + ".listen-ms")).read())
    except OSError:
        return None


rows = [("launch to listening (ms)", lambda label, r: listen_ms({"switchboard": "cc-edge", "uws": "cc-uws"}[label]), 0),
        ("RSS at start (MB)", lambda label, r: r.get("server_rss_start_bytes", 0) / 1e6, 1)]
rounds = 1
while any(f"round{rounds + 1}_connected" in t["results"] for t in targets.values()):
    rounds += 1
for n in range(1, rounds + 1):
    rows += [(f"round {n}: connected", lambda label, r, n=n: r.get(f"round{n}_connected"), 0),
             (f"round {n}: seconds to open all (connect to subscribed)", lambda label, r, n=n: r.get(f"round{n}_seconds"), 2),
             (f"round {n}: RSS growth per connection (KB)", lambda label, r, n=n: r.get(f"round{n}_rss_per_connection_bytes", 0) / 1e3, 2),
             (f"round {n}: RSS held (MB)", lambda label, r, n=n: r.get(f"round{n}_server_rss_held_bytes", 0) / 1e6, 1),
             (f"round {n}: RSS after close (MB)", lambda label, r, n=n: r.get(f"round{n}_server_rss_after_bytes", 0) / 1e6, 1)]

labels = [l for l in ("switchboard", "uws") if l in targets]
print("| figure | " + " | ".join("edge" if l == "switchboard" else l for l in labels) + (" | ratio edge/uws |" if len(labels) == 2 else " |"))
print("|---" * (len(labels) + 1 + (len(labels) == 2)) + "|")
for name, f, digits in rows:
    vals = [f(l, targets[l]["results"]) for l in labels]
    cells = ["" if v is None else f"{v:,.{digits}f}" for v in vals]
    ratio = ""
    if len(vals) == 2 and vals[0] is not None and vals[1] not in (None, 0):
        ratio = f"{vals[0] / vals[1]:.2f}x"
    print(f"| {name} | " + " | ".join(cells) + (f" | {ratio} |" if len(labels) == 2 else " |"))
for l in labels:
    e = targets[l]["errors"]
    print(f"{l}: errors {e}, handshake p50/p99 {targets[l]['handshake_us']['p50'] / 1000:.2f}/{targets[l]['handshake_us']['p99'] / 1000:.2f} ms")
