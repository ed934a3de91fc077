#!/usr/bin/env python3
"""Where a server process's CPU goes during loadgen's rounds scenario, per thread kind and per phase.

  thread_cpu.py sample PID OUT       samples /proc/PID/task/* (utime+stime and context switches per thread) and
                                     the number of the process's file descriptors every 0.2 s until PID exits
                                     or the sampler is ended
  thread_cpu.py report OUT N         splits the samples into phases by the descriptor count (open: from the first
                                     new socket until N are open; held: until they start to close; close: until
                                     back to the start's count; idle: the rest) and prints, per round and phase,
                                     the CPU milliseconds and the context switches (a thread handing over or
                                     woken) per connection of each kind of thread

Kinds: event loops (Netty's threads, named edge-<node>-*), JIT compilers (C1/C2 CompilerThre), GC (G1 and GC
threads), and everything else by name. Counting descriptors lists /proc/PID/fd, which costs the sampler, not PID.
"""
import os
import re
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")


def kind(comm):
    """The kind of a thread, from its name (15 characters at most in /proc)."""
    if comm.startswith("edge-"):
        return "event loops"
    if "Compiler" in comm:
        return "JIT"
    if comm.startswith(("G1", "GC ")):
        return "GC"
    if comm == "VM Thread":
        return "VM thread"
    if comm.startswith("presence"):
        return "presence"
    return "other: " + re.sub(r"\d+", "N", comm)


def sockets(pid):
    """Open file descriptors of PID (its sockets, plus a constant number of files)."""
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return -1


def threads(pid):
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                s = f.read()
        except OSError:
            continue
        comm = s[s.index("(") + 1:s.rindex(")")]
        rest = s[s.rindex(")") + 2:].split()
        switches = 0
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        switches += int(line.split()[1])
        except OSError:
            pass
        out[tid] = (comm, int(rest[11]), int(rest[12]), switches)  # utime, stime (fields 14, 15), switches
    return out


def sample(pid, path, interval=0.2):
    with open(path, "w") as f:
        while os.path.exists(f"/proc/{pid}"):
            t = time.time()
            try:
                th = threads(pid)
                n = sockets(pid)
            except OSError:
                break
            f.write(f"S {t:.3f} {n}\n")
            for tid, (comm, u, s, w) in th.items():
                f.write(f"T {tid} {u} {s} {w} {comm}\n")
            f.flush()
            time.sleep(max(0.0, interval - (time.time() - t)))


def load(path):
    samples = []
    cur = None
    for line in open(path):
        if line.startswith("S "):
            _, t, n = line.split()
            cur = (float(t), int(n), {})
            samples.append(cur)
        elif line.startswith("T ") and cur is not None:
            _, tid, u, s, w, comm = line.rstrip("\n").split(" ", 5)
            cur[2][tid] = (comm, int(u), int(s), int(w))
    return samples


def phases(samples, n):
    """[(round, phase, i0, i1)] over sample indexes, from the socket count."""
    base = samples[0][1]
    out, r, i, state, start = [], 0, 0, "idle", 0
    for i, (_, k, _) in enumerate(samples):
        if state == "idle" and k > base + n * 0.01:
            out.append((r, "idle", start, i - 1 if i else 0)); r += 1; state, start = "open", i - 1 if i else 0
        elif state == "open" and k >= base + n * 0.999:
            out.append((r, "open", start, i)); state, start = "held", i
        elif state == "held" and k < base + n * 0.99:
            out.append((r, "held", start, i - 1)); state, start = "close", i - 1
        elif state == "close" and k <= base + n * 0.001:
            out.append((r, "close", start, i)); state, start = "idle", i
    out.append((r, state, start, len(samples) - 1))
    return [p for p in out if p[3] > p[2]]


def diff(a, b):
    """{kind: (user ticks, system ticks, context switches)} between two samples' thread tables."""
    out = {}
    for tid, (comm, u1, s1, w1) in b.items():
        _, u0, s0, w0 = a.get(tid, (comm, 0, 0, 0))
        k = kind(comm)
        u, s, w = out.get(k, (0, 0, 0))
        out[k] = (u + u1 - u0, s + s1 - s0, w + w1 - w0)
    return out


def report(path, n):
    samples = load(path)
    kinds = set()
    rows = []
    for r, ph, i0, i1 in phases(samples, n):
        d = diff(samples[i0][2], samples[i1][2])
        kinds.update(d)
        rows.append((r, ph, samples[i1][0] - samples[i0][0], d))
    order = sorted(kinds, key=lambda k: -sum(sum(row[3].get(k, (0, 0, 0))[:2]) for row in rows))
    print(f"# CPU ms per connection (N={n}), by phase and thread kind; user+system (system share in brackets)")
    print("| round | phase | wall s | total | " + " | ".join(order) + " |")
    print("|---" * (4 + len(order)) + "|")
    for r, ph, wall, d in rows:
        tot_u = sum(v[0] for v in d.values()); tot_s = sum(v[1] for v in d.values())
        cells = []
        for k in order:
            u, s, _ = d.get(k, (0, 0, 0))
            cells.append(f"{(u + s) * 1000 / HZ / n:.3f} ({s * 1000 / HZ / n:.3f})" if u + s else "")
        print(f"| {r} | {ph} | {wall:.2f} | {(tot_u + tot_s) * 1000 / HZ / n:.3f} ({tot_s * 1000 / HZ / n:.3f}) | "
              + " | ".join(cells) + " |")
    print()
    print(f"# Context switches (voluntary + involuntary) per connection, by phase and thread kind")
    print("| round | phase | total | " + " | ".join(order) + " |")
    print("|---" * (3 + len(order)) + "|")
    for r, ph, wall, d in rows:
        cells = [f"{d.get(k, (0, 0, 0))[2] / n:.2f}" if d.get(k, (0, 0, 0))[2] else "" for k in order]
        print(f"| {r} | {ph} | {sum(v[2] for v in d.values()) / n:.2f} | " + " | ".join(cells) + " |")
    tot = diff(samples[0][2], samples[-1][2])
    print(f"whole sampling: {sum(u + s for u, s, _ in tot.values()) * 1000 / HZ:.0f} ms CPU, "
          f"{sum(w for _, _, w in tot.values())} context switches over {samples[-1][0] - samples[0][0]:.1f} s")


if __name__ == "__main__":
    if sys.argv[1] == "sample":
        sample(int(sys.argv[2]), sys.argv[3])
    else:
        report(sys.argv[2], int(sys.argv[3]))
