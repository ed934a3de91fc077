"""One table from connection-cost-report.sh's runs: python3 connection_cost_report.py BASE

BASE holds before/ and after/ (each the OUT_BASE of conn-cost.sh, edge-memory.sh, fanout-compare.sh and
reconnect-storm.sh for one edge) and the scripts' printed output as NAME-EDGE.txt. The figures are read from the
summaries the scripts print (markdown rows "| figure | edge | uws | ...").
"""
import os
import re
import sys

base = sys.argv[1]


def table(path):
    """{figure: {column: cell}} from a markdown table; {} if the file is missing."""
    try:
        lines = open(path).read().splitlines()
    except OSError:
        return {}
    rows, header = {}, None
    for line in lines:
        if not line.startswith("|") or line.startswith("|---"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None or cells[0] == "figure":
            header = cells
            continue
        rows[cells[0]] = dict(zip(header[1:], cells[1:]))
    return rows


def number(cell):
    """The first number in a cell ("1,234.5", "0.41; 20%"), or None."""
    if cell is None:
        return None
    m = re.search(r"-?[\d,]*\.?\d+", cell)
    return float(m.group(0).replace(",", "")) if m else None


def text(path):
    try:
        return open(path).read()
    except OSError:
        return ""


def conn(edge):
    return table(os.path.join(base, edge, "conn-cost-cc", "summary.txt"))


def fan(edge, scenario):
    return table(os.path.join(base, edge, "fanout-compare-fc", scenario, "summary.txt"))


def handshake(edge, label):
    m = re.search(label + r": errors (.*?), handshake p50/p99 ([\d.]+)/([\d.]+) ms",
                  text(os.path.join(base, edge, "conn-cost-cc", "summary.txt")))
    return (float(m.group(2)), float(m.group(3))) if m else (None, None)


def live_heap(edge):
    m = re.search(r"live heap per connection: ([\d,]+) B", text(os.path.join(base, f"edge-memory-{edge}.txt")))
    return float(m.group(1).replace(",", "")) if m else None


def storm(edge):
    s = text(os.path.join(base, edge, "storm-19000", "summary.txt"))
    m = re.search(r"recovery_s=([\d.]+).*?errors=(\d+)", s)
    return (float(m.group(1)), int(m.group(2))) if m else (None, None)


def cell(edge, figure, column):
    return number(conn(edge).get(figure, {}).get(column))


def fcell(edge, scenario, figure, column):
    return number(fan(edge, scenario).get(figure, {}).get(column))


# (figure, target, unit digits, value(edge, column) where column is "edge" or "uws"; None where it does not apply)
ROWS = [
    ("launch to listening (ms)", "cut it", 0, lambda e, c: cell(e, "launch to listening (ms)", c)),
    ("RSS at start (MB)", "≤ 80", 1, lambda e, c: cell(e, "RSS at start (MB)", c)),
    ("round 1 (fresh): s to open 10k", "≤ 1.5", 2, lambda e, c: cell(e, "round 1: seconds to open all (connect to subscribed)", c)),
    ("round 1: RSS growth per connection (KB)", "≤ 4.0", 2, lambda e, c: cell(e, "round 1: RSS growth per connection (KB)", c)),
    ("round 2: s to open 10k", "≤ 1.0", 2, lambda e, c: cell(e, "round 2: seconds to open all (connect to subscribed)", c)),
    ("round 2: RSS growth per connection (KB)", "≤ 2.0", 2, lambda e, c: cell(e, "round 2: RSS growth per connection (KB)", c)),
    ("handshake p50 (ms)", "", 2, lambda e, c: handshake(e, "switchboard" if c == "edge" else "uws")[0]),
    ("handshake p99 (ms)", "", 2, lambda e, c: handshake(e, "switchboard" if c == "edge" else "uws")[1]),
    ("live heap per connection (B)", "≤ 1,200", 0, lambda e, c: live_heap(e) if c == "edge" else None),
    ("c500: CPU per delivery (µs)", "≤ uWS", 2, lambda e, c: fcell(e, "c500", "server CPU per delivery (µs)", c)),
    ("c500: p99 (ms)", "≤ 1.8", 2, lambda e, c: fcell(e, "c500", "latency p99 (ms)", c)),
    ("c500: delivered (%)", "100", 1, lambda e, c: delivered(e, "c500", c)),
    ("f400k: CPU per delivery (µs)", "keep", 2, lambda e, c: fcell(e, "f400k", "server CPU per delivery (µs)", c)),
    ("f400k: p99 (ms)", "≤ 25", 1, lambda e, c: fcell(e, "f400k", "latency p99 (ms)", c)),
    ("f400k: p99.9 (ms)", "", 1, lambda e, c: fcell(e, "f400k", "latency p99.9 (ms)", c)),
    ("f400k: delivered (%)", "100", 1, lambda e, c: delivered(e, "f400k", c)),
    ("storm, 19,000 clients, one --redis node: errors", "0", 0, lambda e, c: storm(e)[1] if c == "edge" else None),
    ("storm: drop to all resubscribed (s)", "", 2, lambda e, c: storm(e)[0] if c == "edge" else None),
]


def delivered(edge, scenario, column):
    m = re.search(r"\(([\d.]+)%\)", fan(edge, scenario).get("delivered / expected", {}).get(column, ""))
    return float(m.group(1)) if m else None


def fmt(v, digits):
    return "" if v is None else f"{v:,.{digits}f}"


def ratio(a, b):
    return f"{a / b:.2f}x" if a is not None and b else ""


edges = [e for e in ("before", "after") if os.path.isdir(os.path.join(base, e)) and os.listdir(os.path.join(base, e))]
print(text(os.path.join(base, "machine.txt")).strip())
print()
head = ["figure", "target"] + [f"edge {e}" for e in edges] + ["uWS", "edge/uWS"] + (["after/before"] if len(edges) == 2 else [])
print("| " + " | ".join(head) + " |")
print("|---" * len(head) + "|")
for name, target, digits, value in ROWS:
    vals = {e: value(e, "edge") for e in edges}
    uws = value("after", "uws")
    cells = [name, target] + [fmt(vals[e], digits) for e in edges] + [fmt(uws, digits), ratio(vals.get("after"), uws)]
    if len(edges) == 2:
        cells.append(ratio(vals["after"], vals["before"]))
    print("| " + " | ".join(cells) + " |")
