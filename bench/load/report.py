"""The load test's table from locust's CSVs (bench/load/run.sh calls it; needs only the standard library).

    python3 bench/load/report.py RESULTS_DIR [--max-p95 1000]

Reads RESULTS_DIR/u<N>_stats.csv for each load N (users), RESULTS_DIR/u<N>.http (the HTTP statuses
that gunicorn answered during that run, ramp-up included: its access log) and RESULTS_DIR/fixtures.json
(database size); prints per page, at each load: requests, requests/s, median and p95 ms, failures,
then whether the load passes (no failure, no HTTP status ≥ 400 in gunicorn's log, every page's
p95 under --max-p95 ms) and the rated load: the highest load that passes.
"""

import argparse
import csv
import json
import os
import re
from pathlib import Path


def load_runs(results: Path) -> dict[int, list[dict]]:
    runs = {}
    for path in results.glob("u*_stats.csv"):
        match = re.fullmatch(r"u(\d+)_stats\.csv", path.name)
        if match:
            with path.open(encoding="utf-8") as f:
                runs[int(match.group(1))] = list(csv.DictReader(f))
    return dict(sorted(runs.items()))


def http_errors(results: Path, users: int) -> dict[str, int]:
    path = results / f"u{users}.http"
    if not path.exists():
        return {}
    counts = {}
    for line in path.read_text(encoding="utf-8").split():
        if line.isdigit() and int(line) >= 400:
            counts[line] = counts.get(line, 0) + 1
    # Requests that were not the load test's (a check by hand during the run): "STATUS COUNT reason".
    foreign = results / f"u{users}.http-foreign"
    if foreign.exists():
        for line in foreign.read_text(encoding="utf-8").splitlines():
            status, count, *_ = line.split()
            counts[status] = counts.get(status, 0) - int(count)
            print(f"({users} users: {line} — left out of the verdict)")
    return {status: n for status, n in counts.items() if n > 0}


def cpu_use(results: Path, users: int) -> str:
    """From u<N>.cpu (two lines of run.sh's cpu(): start and end of the measured window)."""
    path = results / f"u{users}.cpu"
    lines = path.read_text().splitlines() if path.exists() else []
    if len(lines) < 2:
        return ""
    (t0, busy0, total0, g0, l0), (t1, busy1, total1, g1, l1) = (
        map(float, line.split()) for line in lines[:2]
    )
    cores = os.cpu_count() or 1
    busy = (busy1 - busy0) / (total1 - total0) * cores
    gunicorn, locust = (g1 - g0) / (t1 - t0), (l1 - l0) / (t1 - t0)
    return (
        f"CPU, measured window: {busy:.2f} of {cores} cores busy (gunicorn {gunicorn:.2f}, locust {locust:.2f}, "
        f"the rest — PostgreSQL and anything else on the machine — {max(0.0, busy - gunicorn - locust):.2f})"
    )


def verdict(rows: list[dict], errors: dict, max_p95: float) -> tuple[bool, list[str]]:
    reasons = []
    pages = [r for r in rows if r["Name"] != "Aggregated" and int(r["Request Count"])]
    failed = sum(int(r["Failure Count"]) for r in pages)
    if failed:
        reasons.append(f"{failed} failed requests")
    if errors:
        reasons.append("HTTP " + ", ".join(f"{code} ×{n}" for code, n in sorted(errors.items())))
    slow = [f"{r['Name']} p95 {r['95%']} ms" for r in pages if float(r["95%"]) > max_p95]
    reasons += slow
    return not reasons, reasons


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results", type=Path)
    parser.add_argument("--max-p95", type=float, default=1000)
    args = parser.parse_args()
    runs = load_runs(args.results)
    think_file = args.results / "think"
    think = float(think_file.read_text().strip()) if think_file.exists() else 1.0
    if think != 1:
        print(f"Think times × {think:g}: N users ask as much as {1 / think:g} × N users at the real pace.")
        print()
    fixtures = args.results / "fixtures.json"
    if fixtures.exists():
        size = json.loads(fixtures.read_text(encoding="utf-8"))["database"]
        print(
            "Database before the runs: " + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in size.items())
        )
        print()
    names = []
    for rows in runs.values():
        for row in rows:
            if row["Name"] != "Aggregated" and row["Name"] not in names:
                names.append(row["Name"])
    names.sort(key=lambda n: (n.split(" ")[0].split("/")[1], n))
    by_load = {u: {r["Name"]: r for r in rows} for u, rows in runs.items()}
    print("| page | users | requests | req/s | median ms | p95 ms | failures |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in [*names, "Aggregated"]:
        label = "**all pages**" if name == "Aggregated" else f"`{name}`"
        for u in runs:
            r = by_load[u].get(name)
            if r is None or not int(r["Request Count"]):
                continue
            cells = [
                str(u),
                r["Request Count"],
                f"{float(r['Requests/s']):.2f}",
                r["50%"],
                r["95%"],
                r["Failure Count"],
            ]
            print(f"| {label} | " + " | ".join(cells) + " |")
            label = ""
    print()
    rated = None
    for u, rows in runs.items():
        ok, reasons = verdict(rows, http_errors(args.results, u), args.max_p95)
        total = by_load[u].get("Aggregated", {})
        equivalent = "" if think == 1 else f" (as {u / think:g} at the real pace)"
        print(
            f"{u} users{equivalent}: {'PASS' if ok else 'FAIL'}; {float(total.get('Requests/s', 0)):.2f} requests/s in all, "
            f"p95 of all requests {total.get('95%', '?')} ms" + ("" if ok else " — " + "; ".join(reasons))
        )
        cpu = cpu_use(args.results, u)
        if cpu:
            print(f"    {cpu}")
        if ok:
            rated = u
    print()
    if rated and think != 1:
        print(
            f"Rated load: {rated} users at think times × {think:g}, as {rated / think:g} users at the real pace"
        )
    else:
        print(f"Rated load: {rated} users" if rated else "Rated load: none of the loads passed")


if __name__ == "__main__":
    main()
