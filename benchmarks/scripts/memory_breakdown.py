"""edge-memory.sh's figures: python3 memory_breakdown.py OUT_DIR N ROUNDS

Per round, the growth from before the round (at start, or after the previous round closed) to while it
is held, per connection: RSS; the resident Java heap (smaps of the heap's address range); G1's committed
heap; and NMT's committed memory by category. Then the live heap per connection (class histograms with
the connections held and after they closed) and the classes that make it up.
"""
import os
import re
import sys

out, n, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def read(name):
    with open(os.path.join(out, name)) as f:
        return f.read()


def heap_range(tag):
    """The heap's reserved address range from GC.heap_info, e.g. '[0x00000006..., 0x00000008...)'."""
    m = re.search(r"\[(0x[0-9a-f]+), (0x[0-9a-f]+)\)", read(f"heap-{tag}.txt"))
    return (int(m.group(1), 16), int(m.group(2), 16)) if m else None


def resident_in(tag, lo, hi):
    """KiB resident in mappings inside [lo, hi) per /proc/PID/smaps."""
    total, inside = 0, False
    for line in read(f"smaps-{tag}.txt").splitlines():
        m = re.match(r"^([0-9a-f]+)-([0-9a-f]+) ", line)
        if m:
            start, end = int(m.group(1), 16), int(m.group(2), 16)
            inside = start >= lo and end <= hi
        elif inside and line.startswith("Rss:"):
            total += int(line.split()[1])
    return total


def committed_heap(tag):
    m = re.search(r"total (?:reserved \d+K, committed )?(\d+)K, used (\d+)K", read(f"heap-{tag}.txt"))
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


def nmt(tag):
    cats = {}
    for m in re.finditer(r"^-\s+(.+?) \(reserved=(\d+)KB?, committed=(\d+)KB?\)", read(f"nmt-{tag}.txt"), re.M):
        cats[m.group(1).strip()] = int(m.group(3))
    m = re.search(r"Total: reserved=(\d+)KB?, committed=(\d+)KB?", read(f"nmt-{tag}.txt"))
    cats["(total)"] = int(m.group(2)) if m else 0
    return cats


def status(tag):
    return {k: int(v) for k, v in re.findall(r"^(\w+):\s+(\d+) kB", read(f"status-{tag}.txt"), re.M)}


def snap(tag):
    lo_hi = heap_range(tag)
    committed, used = committed_heap(tag)
    st = status(tag)
    return {"rss": st.get("VmRSS", 0), "anon": st.get("RssAnon", 0), "file": st.get("RssFile", 0),
            "heap_resident": resident_in(tag, *lo_hi) if lo_hi else 0,
            "heap_committed": committed, "heap_used": used, "nmt": nmt(tag)}


snaps = {"start": snap("start")}
for r in range(1, rounds + 1):
    snaps[f"round{r}"] = snap(f"round{r}")
    snaps[f"closed{r}"] = snap(f"closed{r}")

s = snaps["start"]
print(f"at start: RSS {s['rss'] / 1024:.1f} MiB (anonymous {s['anon'] / 1024:.1f}, files {s['file'] / 1024:.1f}); "
      f"Java heap resident {s['heap_resident'] / 1024:.1f} MiB of {s['heap_committed'] / 1024:.1f} committed "
      f"({s['heap_used'] / 1024:.1f} used); NMT committed by category (MiB):")
print("  " + ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(s["nmt"].items(), key=lambda kv: -kv[1]) if v >= 512))

print()
print("growth per connection while held, from before the round (bytes; no forced GC):")
cols = [("RSS", lambda a: a["rss"]), ("heap resident", lambda a: a["heap_resident"]),
        ("RSS outside the heap", lambda a: a["rss"] - a["heap_resident"]),
        ("heap committed", lambda a: a["heap_committed"]), ("heap used", lambda a: a["heap_used"])]
cats = sorted({c for v in snaps.values() for c in v["nmt"]} - {"(total)", "Java Heap"})
print("| round | " + " | ".join(c for c, _ in cols) + " | NMT (committed, not heap): " + " ".join(cats) + " |")
for r in range(1, rounds + 1):
    before = snaps["start"] if r == 1 else snaps[f"closed{r - 1}"]
    held = snaps[f"round{r}"]
    row = [f"{(f(held) - f(before)) * 1024 / n:,.0f}" for _, f in cols]
    nm = [f"{c} {(held['nmt'].get(c, 0) - before['nmt'].get(c, 0)) * 1024 / n:,.0f}" for c in cats
          if abs(held['nmt'].get(c, 0) - before['nmt'].get(c, 0)) * 1024 / n >= 5]
    print(f"| {r} | " + " | ".join(row) + " | " + ", ".join(nm) + " |")
print("RSS after each round closed (MiB): " + ", ".join(f"{snaps[f'closed{r}']['rss'] / 1024:.1f}" for r in range(1, rounds + 1)))


def histo(name):
    d = {}
    for line in read(name).splitlines():
        m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
        if m:
            d[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    total = re.search(r"Total\s+(\d+)\s+(\d+)", read(name))
    return d, int(total.group(2))


held, held_total = histo("histo-held.txt")
closed, closed_total = histo("histo-closed.txt")
print()
print(f"live heap per connection: {(held_total - closed_total) / n:,.0f} B (class histograms, {n} held vs none)")
if os.path.exists(os.path.join(out, "histo-start.txt")):
    start, start_total = histo("histo-start.txt")
    print(f"  against the histogram before the first round: {(held_total - start_total) / n:,.0f} B "
          f"(includes one-time objects of the first connections; excludes what closed connections leave behind)")
rows = sorted(((held.get(k, (0, 0))[1] - closed.get(k, (0, 0))[1], held.get(k, (0, 0))[0] - closed.get(k, (0, 0))[0], k)
               for k in set(held) | set(closed)), reverse=True)
for b, c, k in rows[:30]:
    if b / n >= 4:
        print(f"  {b / n:7.1f} B  {c / n:5.2f}/conn  {k}")
