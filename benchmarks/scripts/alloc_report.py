#!/usr/bin/env python3
"""What each of the edge's threads allocated per connection, and the GC pauses, from a JFR recording made with
alloc.jfc (edge-memory.sh ALLOC=1): jdk.ThreadAllocationStatistics (per thread, every second) and
jdk.GarbageCollection / jdk.GCHeapSummary.
Usage: alloc_report.py RECORDING.jfr CONNECTIONS_PER_ROUND ROUNDS"""
import json
import os
import subprocess
import sys
from collections import defaultdict

jfr, n, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
tool = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "jfr")
events = json.loads(subprocess.run(
    [tool, "print", "--json", "--events", "jdk.ThreadAllocationStatistics,jdk.GarbageCollection,jdk.GCHeapSummary", jfr],
    capture_output=True, text=True, check=True).stdout)["recording"]["events"]


def kind(name):
    for prefix, k in (("edge-", "event loop"), ("presence-", "presence"), ("lettuce-epoll", "Lettuce I/O"),
                      ("lettuce-", "Lettuce other"), ("ForkJoinPool", "common pool"), ("broker-", "broker writer")):
        if name.startswith(prefix):
            return k
    return "other"


first, last = {}, {}
pauses, committed = [], []
for e in events:
    v = e["values"]
    if e["type"] == "jdk.ThreadAllocationStatistics":
        t = v["thread"]
        key = (t["javaName"] if t else "?", t["javaThreadId"] if t else 0)
        first.setdefault(key, v["allocated"])
        last[key] = v["allocated"]
    elif e["type"] == "jdk.GarbageCollection":
        if "Full" in v["name"]:
            continue  # the class histograms' own collections
        p = v["sumOfPauses"]
        pauses.append(float(p.replace("PT", "").replace("S", "")) * 1000 if isinstance(p, str) else p / 1e6)
    elif e["type"] == "jdk.GCHeapSummary":
        committed.append(v["heapSpace"]["committedSize"] / 2**20)

by_kind = defaultdict(float)
for key, value in last.items():
    by_kind[kind(key[0])] += value - first[key]
total = sum(by_kind.values())
per = n * rounds
print(f"allocated per connection over {rounds} round(s) of {n:,} (open, held, close; every thread): {total / per:,.0f} B")
print("  " + "; ".join(f"{k} {v / per:,.0f}" for k, v in sorted(by_kind.items(), key=lambda x: -x[1]) if v / per >= 10))
if pauses:
    print(f"GC (young and mixed; the histograms' full collections left out): {len(pauses)} pauses, {sum(pauses):,.0f} ms in all, longest {max(pauses):.0f} ms, "
          f"{sum(1 for p in pauses if p > 20)} over 20 ms; heap committed at most {max(committed):.0f} MiB")
