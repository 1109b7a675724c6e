"""Build the ESCO titles bundled with the coder: incluye/skills/data/taxonomy/esco_titles.json.

    .venv/bin/python bench/make_esco_titles.py      # reads ESCO and the ESCO–O*NET crosswalk from ../shared/data/esco

For every bundled occupation, the Spanish (ESCO 1.2, else 1.0) and English (ESCO 1.1.1) preferred
and alternative labels of the ESCO occupations that Nesta's ESCO–O*NET crosswalk (Mapping Career
Causeways, 2020; MIT) maps to it with confidence 1 or 2 (its 0.5 matches are left out). A crosswalk
code that is not a bundled O*NET-SOC code counts for the bundled occupation of the same six-digit
SOC code when there is exactly one. Labels are split at "/" (masculine/feminine forms), folded for
de-duplication and kept as written. A label that the bundle gives to another occupation
("jardinero", which the crosswalk's "garden labourer" brings to farmworkers) is left out: the
bundle, written for returnees, decides; so are labels of a single English word ("dog", "sander").
"""

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import coder_data

ESCO = coder_data.SHARED / "esco"
TAXONOMY = coder_data.ROOT / "incluye" / "skills" / "data" / "taxonomy"
OUT = TAXONOMY / "esco_titles.json"


def labels(path: Path) -> dict[str, list[str]]:
    out = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            found = [row["preferredLabel"], *row.get("altLabels", "").split("\n")]
            out[row["conceptUri"]] = [
                part.strip() for label in found for part in label.split("/") if part.strip()
            ]
    return out


def main():
    sys.path.insert(0, str(coder_data.ROOT))
    from incluye.core.text import fold

    bundle = json.loads((TAXONOMY / "occupations.json").read_text(encoding="utf-8"))["occupations"]
    codes = {o["onet"] for o in bundle}
    by_soc = defaultdict(list)
    for o in bundle:
        by_soc[o["soc"]].append(o["onet"])
    spanish = labels(ESCO / "v1.0_es_en" / "occupations_es.csv")
    spanish.update(labels(ESCO / "v1.2_es_occupations_subset" / "occupations_es.csv"))
    english = labels(ESCO / "v1.1.1_en" / "occupations_en.csv")
    owner: dict[str, set[str]] = defaultdict(set)  # folded bundled title -> its occupations
    for o in bundle:
        for key in ("title_es", "title_en"):
            owner[fold(o[key])].add(o["onet"])
        for key in ("titles_es", "titles_en"):
            for title in o.get(key, []):
                owner[fold(title)].add(o["onet"])
    titles: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: {"es": {}, "en": {}})
    with (ESCO / "crosswalk_onet_nesta" / "esco_onet_crosswalk_Nov2020.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if float(row["confidence"]) < 1:
                continue
            code = row["onet_code"]
            target = code if code in codes else (by_soc[code[:7]][0] if len(by_soc[code[:7]]) == 1 else None)
            if target is None:
                continue
            for language, table in (("es", spanish), ("en", english)):
                for label in table.get(row["concept_uri"], []):
                    folded = fold(label)
                    if owner.get(folded, {target}) != {target} and target not in owner[folded]:
                        continue
                    if language == "en" and " " not in folded.strip():
                        continue
                    titles[target][language].setdefault(folded, label)
    data = {
        "about": (
            "ESCO occupation labels for the bundled occupations, built by bench/make_esco_titles.py. "
            "ESCO classification, European Commission (v1.0, v1.1.1, v1.2), reused with acknowledgement "
            "under the Commission's reuse policy (CC BY 4.0). Mapping from ESCO to O*NET-SOC: Nesta, "
            "Mapping Career Causeways (2020), ESCO-O*NET crosswalk (MIT). Do not edit by hand."
        ),
        "titles": {
            code: {language: sorted(found[language].values()) for language in ("es", "en")}
            for code, found in sorted(titles.items())
        },
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(
        f"{OUT.relative_to(coder_data.ROOT)}: {len(titles)} occupations, "
        f"{sum(len(v['es']) + len(v['en']) for v in data['titles'].values())} labels"
    )


if __name__ == "__main__":
    main()
