"""Which units of the national standards a person's own words cover, read with the spelling table
alone (the skills profile before the coder's glossary was shared with it) and with the glossary too
(now): units gained and lost, on the coder's tuning descriptions, each against the units of the
standards that recognise its occupation.

    DEBUG=1 .venv/bin/python bench/profile_words.py [--examples 15]

The held-out and test sets of the coder are not read.
"""

import argparse
import csv
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from incluye.skills.bundled import spelling, spelling_tokens  # noqa: E402
from incluye.skills.coder import Normalizer  # noqa: E402

TUNING = ("coder_dev.tsv", "coder_tune.tsv")
STANDARDS = ROOT / "incluye" / "skills" / "data" / "standards"


def units():
    for path in sorted(STANDARDS.glob("*.json")):
        for standard in json.loads(path.read_text(encoding="utf-8"))["standards"]:
            for unit in standard["units"]:
                yield standard["code"], unit["code"], set(standard["soc"]), unit["keywords"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=15)
    args = parser.parse_args()
    stopwords = set(spelling()["stopwords"])
    before, after = Normalizer(spelling()["tokens"], stopwords), Normalizer(spelling_tokens(), stopwords)
    catalogue = list(units())
    texts = pairs = gained = lost = 0
    examples = []
    for name in TUNING:
        with open(ROOT / "bench" / "data" / name, encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                texts += 1
                said_before, said_after = set(before.words(row["text"])), set(after.words(row["text"]))
                for standard, unit, socs, keywords in catalogue:
                    if row["soc"][:7] not in socs:
                        continue
                    pairs += 1
                    was = bool({w for k in keywords for w in before.words(k)} & said_before)
                    now = bool({w for k in keywords for w in after.words(k)} & said_after)
                    gained += now and not was
                    lost += was and not now
                    if now != was:
                        examples.append(("+" if now else "-", row["text"][:60], standard, unit))
    print(f"{texts} descriptions, {pairs} (description, unit of a standard of its occupation) pairs")
    print(f"units covered with the glossary and not without: {gained}; the other way round: {lost}")
    for example in examples[: args.examples]:
        print(" ", *example)


if __name__ == "__main__":
    main()
