"""Figure (issue 15, items 5 and 6; issue 20): a small XLSX that unpacks to a million rows is refused
quickly, with bounded memory. Each run reads the file in a fresh process (the peak of that process's
own memory, VmHWM: getrusage would count the parent's memory at the fork) and prints the time to the
refusal and the peak.

    DEBUG=1 .venv/bin/python bench/import_limits.py --runs 3

The behaviour itself (refused, in Spanish, one row past the limit) is a test:
`incluye/people/tests/test_import_limits.py`.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

READ = """
import os, re, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from incluye.people.imports import ManifestFileError, read_source
content = open(sys.argv[1], "rb").read()
started = time.perf_counter()
error = ""
try:
    read_source("bomb.xlsx", content)
except ManifestFileError as exc:
    error = str(exc)
seconds = time.perf_counter() - started
peak = int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1)) // 1024
print(seconds, peak, error)
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from incluye.people.tests.test_import_limits import million_row_workbook

    content = million_row_workbook(args.rows)
    path = Path(tempfile.mkdtemp()) / "bomb.xlsx"
    path.write_bytes(content)
    print(f"{len(content) / 1024:.0f} KB unpacking to {args.rows:,} rows".replace(",", " "))
    times, peaks = [], []
    for run in range(args.runs):
        result = subprocess.run(
            [sys.executable, "-c", READ, str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "DEBUG": "1"},
        )
        seconds, megabytes, message = result.stdout.strip().split(" ", 2)
        times.append(float(seconds))
        peaks.append(int(megabytes))
        print(f"run {run + 1}: refused in {float(seconds):.1f} s, peak {megabytes} MB: {message}")
    print(
        f"median {statistics.median(times):.1f} s (target: under 30 s), peak at most {max(peaks)} MB (was 1.1 GB)"
    )


if __name__ == "__main__":
    main()
