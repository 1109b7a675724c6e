"""Validate the occupation-coder gold files: coder_dev.tsv, coder_test.tsv and coder_fresh.tsv (four
columns), and
the calibration sets coder_tune.tsv and coder_heldout.tsv (five: a `kind` column before the note).

Run from the repository root (standard library only):

    python bench/data/check_gold.py

Checks: exact header; four (or five) tab-separated columns per row; non-empty text; code syntax;
every SOC code in the SOC 2018 6-digit list and every ISCO code an ISCO-08 unit group
(level 4) when the reference files exist at ../shared/data relative to the repository
(the check is skipped with a message when they do not); NONE rows carry NONE in both
columns and nothing else; no text repeated within or across the files (compared case- and
accent-insensitively, whitespace collapsed); in the calibration sets, a known kind, NONE exactly on
the nonsense and no-job rows, and several jobs (";" between jobs, "|" between the codes accepted
for one job) exactly on the "several" rows. Exits 1 on any error.
"""

import csv
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SHARED = REPO.parent / "shared" / "data"
SOC_FILE = SHARED / "isco" / "codingsystems_danielruss" / "soc2018_6digit.csv"
ISCO_FILE = SHARED / "isco" / "derived" / "isco08_ciuo08_es_en.csv"
FILES = ("coder_dev.tsv", "coder_test.tsv", "coder_tune.tsv", "coder_heldout.tsv", "coder_fresh.tsv")
HEADER = ["text", "soc", "isco", "note"]
HEADER_WITH_KIND = ["text", "soc", "isco", "kind", "note"]
KINDS = {"work", "english", "other", "mixed", "several", "nonsense", "nonwork"}
SOC_RE = re.compile(r"^\d{2}-\d{4}$")
ISCO_RE = re.compile(r"^\d{4}$")


def norm(text):
    """Case-, accent- and whitespace-insensitive key."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text).strip()


def load_soc():
    if not SOC_FILE.exists():
        return None
    with SOC_FILE.open(encoding="utf-8", newline="") as f:
        return {row["soc2018_code"].strip() for row in csv.DictReader(f)}


def load_isco():
    if not ISCO_FILE.exists():
        return None
    with ISCO_FILE.open(encoding="utf-8", newline="") as f:
        return {row["code"].strip() for row in csv.DictReader(f) if row["level"].strip() == "4"}


def check_codes(cell, pattern, known, system, where, errors):
    if ";" in cell:
        for job in cell.split(";"):
            check_codes(job, pattern, known, system, where, errors)
        return
    codes = cell.split("|")
    if cell == "NONE":
        return
    if "NONE" in codes:
        errors.append(f"{where}: NONE mixed with codes in {system} '{cell}'")
        return
    if len(set(codes)) != len(codes):
        errors.append(f"{where}: repeated {system} code in '{cell}'")
    for code in codes:
        if not pattern.match(code):
            errors.append(f"{where}: malformed {system} code '{code}'")
        elif known is not None and code not in known:
            errors.append(f"{where}: {system} code '{code}' not in the reference list")


def main():
    errors = []
    soc_known = load_soc()
    isco_known = load_isco()
    if soc_known is None:
        print(f"note: {SOC_FILE} not found; SOC codes checked for syntax only")
    if isco_known is None:
        print(f"note: {ISCO_FILE} not found; ISCO codes checked for syntax only")

    seen = {}  # normalised text -> "file:line"
    for name in FILES:
        path = HERE / name
        if not path.exists():
            errors.append(f"{name}: missing")
            continue
        raw = path.read_bytes()
        if b"\r" in raw:
            errors.append(f"{name}: contains carriage returns (use LF line ends)")
        try:
            lines = raw.decode("utf-8").split("\n")
        except UnicodeDecodeError as exc:
            errors.append(f"{name}: not UTF-8 ({exc})")
            continue
        if lines and lines[-1] == "":
            lines.pop()
        header = HEADER_WITH_KIND if name in ("coder_tune.tsv", "coder_heldout.tsv") else HEADER
        if not lines or lines[0].split("\t") != header:
            errors.append(f"{name}: header must be exactly {'<TAB>'.join(header)}")
        rows = none_rows = 0
        for lineno, line in enumerate(lines[1:], start=2):
            where = f"{name}:{lineno}"
            cols = line.split("\t")
            if len(cols) != len(header):
                errors.append(f"{where}: expected {len(header)} tab-separated columns, got {len(cols)}")
                continue
            text, soc, isco = cols[:3]
            if header is HEADER_WITH_KIND:
                kind = cols[3]
                if kind not in KINDS:
                    errors.append(f"{where}: unknown kind '{kind}'")
                if (kind in ("nonsense", "nonwork")) != (soc == "NONE"):
                    errors.append(f"{where}: NONE exactly on nonsense and nonwork rows")
                if (kind == "several") != (";" in soc) or soc.count(";") != isco.count(";"):
                    errors.append(f"{where}: several jobs exactly on 'several' rows, as many in soc and isco")
            elif ";" in soc or ";" in isco:
                errors.append(f"{where}: ';' only in the calibration sets")
            rows += 1
            if not text.strip() or text != text.strip():
                errors.append(f"{where}: empty text or leading/trailing spaces")
            key = norm(text)
            if key in seen:
                errors.append(f"{where}: text '{text}' duplicates {seen[key]}")
            else:
                seen[key] = where
            if (soc == "NONE") != (isco == "NONE"):
                errors.append(f"{where}: NONE must be in both soc and isco")
            none_rows += soc == "NONE" and isco == "NONE"
            check_codes(soc, SOC_RE, soc_known, "SOC", where, errors)
            check_codes(isco, ISCO_RE, isco_known, "ISCO", where, errors)
        print(f"{name}: {rows} rows, {none_rows} NONE rows")

    if errors:
        for err in errors:
            print("ERROR", err)
        print(f"{len(errors)} error(s)")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
