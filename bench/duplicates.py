"""Benchmark of the batch duplicate search (incluye/people/duplicates/) against a baseline Splink
model with Splink's default comparisons, on synthetic people with a known ground truth.

    DEBUG=1 .venv/bin/python bench/duplicates.py --records 1000000                   # the harder registry
    DEBUG=1 .venv/bin/python bench/duplicates.py --records 1000000 --generator classic

Two generators (names drawn like incluye.people.generate: Spanish, Maya, Garífuna and Lenca surnames
with their frequencies). Corruptions: accents or case dropped, typos, nicknames, surnames swapped,
married name, day and month swapped, second surname missing, one digit of the birth date wrong,
one given name dropped; plus an identity number missing or mistyped, a new phone, a move.

- `harder` (issue 18): 10 % of the records are further registrations of another person — one,
  two or three copies of the same person — each with two or three corruptions at once; the
  copy's identity number is missing (60 %), mistyped (15 %) or kept (25 %); 5 % of copies are
  registered in another country; records carry the registering country and the nationality; and
  0.5 % of the records are namesakes: different people with another's name and a birth date a few
  days off, day and month swapped, or in the same year, with a different identity number or in
  another country (they must not be linked).
- `classic` (issue 9): 10 % of the records duplicate another with one to three corruptions; the
  identity number missing (50 %) or mistyped (20 %).

The records go to Parquet; each model then runs in a child process (its own peak memory) on the
same records: the Incluye model through `score_pairs` (the very code the batch job runs: prepare,
train, predict), the reasons and the groups (`cluster_pairs`); the baseline through a plain Splink
setup, its pairs grouped into connected components. Both print wall-clock time, peak memory, and
precision and recall — of the pairs above the threshold, and of the pairs the groups imply (what
an officer reviews) — overall, without identity numbers (pairs where a record has none), by number
of corruptions, and how many namesakes were linked.
"""

import argparse
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from incluye.people import duplicates  # noqa: E402

SUPPORT_THRESHOLD: float | None = duplicates.SUPPORT_THRESHOLD  # --support-threshold; none: off
LONE_THRESHOLD: float | None = duplicates.LONE_THRESHOLD  # --lone-threshold; none: off
from incluye.people.generate import (  # noqa: E402
    FEMALE,
    INDIGENOUS_SHARE,
    LENCA_GARIFUNA,
    MALE,
    MAYA,
    NAMES,
    SPANISH,
)

COUNTRIES = ("GT", "HN", "SV", "CR")
COUNTRY_WEIGHTS = (0.45, 0.3, 0.2, 0.05)  # rough shares of returns
CALLING_CODES = {"GT": "502", "SV": "503", "HN": "504", "CR": "506"}
TODAY = datetime.date(2026, 6, 1)
CORRUPTIONS = {
    "no_accents": 3,
    "typo_given": 2,
    "typo_surname": 2,
    "nickname": 2,
    "swap_surnames": 2,
    "married_name": 1,
    "swap_day_month": 1,
    "missing_second_surname": 2,
    "typo_birth_date": 1,
    "one_given_name": 1,
}


# -- generation ----------------------------------------------------------------------------------


def _pool(weighted):
    values = np.array(weighted.values, dtype=object)
    weights = np.diff(np.array([0, *weighted.cum], dtype=float))
    return values, weights / weights.sum()


def _draw(rng, weighted, size):
    values, p = _pool(weighted)
    return values[rng.choice(len(values), size=size, p=p)]


def generate_originals(n: int, rng: np.random.Generator) -> dict[str, list]:
    country = np.array(COUNTRIES)[rng.choice(len(COUNTRIES), size=n, p=COUNTRY_WEIGHTS)]
    maya_share = np.array([INDIGENOUS_SHARE[c][0] for c in country])
    other_share = np.array([INDIGENOUS_SHARE[c][1] for c in country])

    def surnames():
        r = rng.random(n)
        return np.where(
            r < maya_share,
            _draw(rng, MAYA, n),
            np.where(r < maya_share + other_share, _draw(rng, LENCA_GARIFUNA, n), _draw(rng, SPANISH, n)),
        )

    first_surname = surnames()
    second_surname = np.where(rng.random(n) > 0.06, surnames(), "")
    female = rng.random(n) < 0.22
    first_given = np.where(female, _draw(rng, FEMALE, n), _draw(rng, MALE, n))
    second_given = np.where(female, _draw(rng, FEMALE, n), _draw(rng, MALE, n))
    two = (rng.random(n) < 0.7) & (first_given != second_given)
    given = np.where(
        two, np.char.add(np.char.add(first_given.astype(str), " "), second_given.astype(str)), first_given
    )
    age = np.clip(rng.normal(31, 9, n).astype(int), 12, 75)
    year, month, day = TODAY.year - age, rng.integers(1, 13, n), rng.integers(1, 29, n)
    year_only = rng.random(n) < 0.05
    month, day = np.where(year_only, 1, month), np.where(year_only, 1, day)
    has_id = rng.random(n) < 0.9
    ids = rng.integers(10**12, 10**13, n)
    has_phone = rng.random(n) < 0.8
    phones = rng.integers(30_000_000, 60_000_000, n)
    residence = rng.integers(1, 341, n)
    country_index = {c: i for i, c in enumerate(COUNTRIES)}
    return {
        "given_names": given.tolist(),
        "first_surname": first_surname.tolist(),
        "second_surname": second_surname.tolist(),
        "birth_date": [
            datetime.date(int(y), int(m), int(d)) for y, m, d in zip(year, month, day, strict=True)
        ],
        "birth_date_precision": np.where(year_only, "year", "day").tolist(),
        "sex": np.where(female, "F", "M").tolist(),
        "national_id": [str(i) if h else None for i, h in zip(ids, has_id, strict=True)],
        "phone": [
            f"+{CALLING_CODES[c]}{p}" if h else "" for c, p, h in zip(country, phones, has_phone, strict=True)
        ],
        "residence_id": [country_index[c] * 1000 + int(r) for c, r in zip(country, residence, strict=True)],
        "country": country.tolist(),
    }


NICKNAMES = dict(NAMES["nicknames"])


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word))
    kind = rng.choice(("substitute", "delete", "insert", "transpose"))
    letter = rng.choice("aeioulnrstmcdbgvzsh")
    if kind == "substitute":
        return word[:i] + letter + word[i + 1 :]
    if kind == "delete":
        return word[:i] + word[i + 1 :]
    if kind == "insert":
        return word[:i] + letter + word[i:]
    i = min(i, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def corrupt(record: dict, kind: str, rng: random.Random) -> bool:
    """Apply one corruption in place; False when it does not apply to this record."""
    given = record["given_names"].split()
    if kind == "no_accents":
        upper = rng.random() < 0.5
        for key in ("given_names", "first_surname", "second_surname"):
            value = strip_accents(record[key]).replace("ñ", "n")
            record[key] = value.upper() if upper else value
    elif kind == "typo_given":
        given[0] = typo(given[0], rng)
        record["given_names"] = " ".join(given)
    elif kind == "typo_surname":
        key = "second_surname" if record["second_surname"] and rng.random() < 0.4 else "first_surname"
        record[key] = typo(record[key], rng)
    elif kind == "nickname":
        if given[0] not in NICKNAMES:
            return False
        record["given_names"] = rng.choice(NICKNAMES[given[0]])
    elif kind == "swap_surnames":
        if not record["second_surname"]:
            return False
        record["first_surname"], record["second_surname"] = record["second_surname"], record["first_surname"]
    elif kind == "married_name":
        if record["sex"] != "F":
            return False
        spouse = SPANISH.pick(rng)
        style = rng.randrange(3)
        if style == 0:
            record["second_surname"] = f"de {spouse}"
        elif style == 1 and record["second_surname"]:
            record["second_surname"] = f"{record['second_surname']} de {spouse}"
        else:
            record["first_surname"], record["second_surname"] = f"{record['first_surname']} de {spouse}", ""
    elif kind == "swap_day_month":
        born = record["birth_date"]
        if record["birth_date_precision"] != "day" or born.day > 12 or born.day == born.month:
            return False
        record["birth_date"] = born.replace(month=born.day, day=born.month)
    elif kind == "missing_second_surname":
        if not record["second_surname"]:
            return False
        record["second_surname"] = ""
    elif kind == "typo_birth_date":
        born = record["birth_date"]
        if record["birth_date_precision"] != "day":
            return False
        if rng.random() < 0.5:
            record["birth_date"] = born.replace(day=rng.choice([d for d in range(1, 29) if d != born.day]))
        else:
            record["birth_date"] = born.replace(year=born.year - born.year % 10 + rng.randrange(10))
    elif kind == "one_given_name":
        if len(given) < 2:
            return False
        record["given_names"] = given[rng.randrange(2)]
    return True


def second_registration(
    record: dict,
    wanted: int,
    prng: random.Random,
    *,
    id_missing: float,
    id_mistyped: float,
    move: float = 0.3,
) -> list[str]:
    """Turn a copy of a record into a second registration: `wanted` corruptions at once (which ones
    are returned), the identity number missing or mistyped, a new phone or none, maybe a move."""
    kinds, weights = list(CORRUPTIONS), list(CORRUPTIONS.values())
    done: list[str] = []
    for _attempt in range(20):
        if len(done) == wanted:
            break
        kind = prng.choices(kinds, weights=weights)[0]
        if kind not in done and corrupt(record, kind, prng):
            done.append(kind)
    r = prng.random()
    if record["national_id"] is not None:
        if r < id_missing:
            record["national_id"] = None
        elif r < id_missing + id_mistyped:
            record["national_id"] = typo_digits(record["national_id"], prng)
    r = prng.random()
    if r < 0.3:
        record["phone"] = ""
    elif r < 0.5:
        record["phone"] = f"+{CALLING_CODES[record['country']]}{prng.randrange(30_000_000, 60_000_000)}"
    if prng.random() < move:
        record["residence_id"] = record["residence_id"] // 1000 * 1000 + prng.randrange(1, 341)
    return done


def generate(n: int, *, duplicate_share: float = 0.1, seed: int = 2016) -> pa.Table:
    """N records, `duplicate_share` of which duplicate another: the columns of RAW_SCHEMA plus
    entity_id (the ground truth) and corruptions (what was done to a duplicate)."""
    rng = np.random.default_rng(seed)
    prng = random.Random(seed)
    n_duplicates = int(n * duplicate_share)
    n_originals = n - n_duplicates
    columns = generate_originals(n_originals, rng)
    columns["entity_id"] = list(range(n_originals))
    columns["corruptions"] = [""] * n_originals
    keys = [k for k in columns if k not in ("entity_id", "corruptions")]
    sources = rng.integers(0, n_originals, n_duplicates)
    for source in sources.tolist():
        record = {k: columns[k][source] for k in keys}
        wanted = prng.choices((1, 2, 3), weights=(55, 30, 15))[0]
        done = second_registration(record, wanted, prng, id_missing=0.5, id_mistyped=0.2)
        for k in keys:
            columns[k].append(record[k])
        columns["entity_id"].append(source)
        columns["corruptions"].append(" ".join(done))
    columns["nationality"] = columns["country"]
    columns["unique_id"] = list(range(n))
    schema = pa.schema([*duplicates.RAW_SCHEMA, ("entity_id", pa.int64()), ("corruptions", pa.string())])
    return pa.table({name: columns[name] for name in schema.names}, schema=schema)


def generate_harder(
    n: int, *, duplicate_share: float = 0.1, namesake_share: float = 0.005, seed: int = 2016
) -> pa.Table:
    """The harder registry (issue 18): `duplicate_share` of the records are further registrations
    of another person — one, two or three copies of the same person (70 / 20 / 10 % of the people
    registered again) — each with two or three corruptions at once; the copy's identity number is
    missing (60 %), mistyped (15 %) or kept (25 %); 5 % of copies are registered in another
    country. Records carry the registering country and the nationality (Nicaraguans among Costa
    Rica's, a few of another country elsewhere). `namesake_share` of the records are different
    people who share another's name, with a birth date a few days off, with day and month swapped,
    or in the same year, and either a different identity number or another country (or both):
    they must not be linked."""
    rng = np.random.default_rng(seed)
    prng = random.Random(seed)
    n_duplicates = int(n * duplicate_share)
    n_namesakes = int(n * namesake_share)
    n_originals = n - n_duplicates - n_namesakes
    columns = generate_originals(n_originals, rng)
    columns["nationality"] = [
        ("NI" if c == "CR" and r < 0.35 else prng.choice(COUNTRIES) if r > 0.97 else c)
        for c, r in zip(columns["country"], rng.random(n_originals), strict=True)
    ]
    columns["entity_id"] = list(range(n_originals))
    columns["corruptions"] = [""] * n_originals
    keys = [k for k in columns if k not in ("entity_id", "corruptions")]
    made = 0
    while made < n_duplicates:
        source = int(rng.integers(0, n_originals))
        copies = prng.choices((1, 2, 3), weights=(70, 20, 10))[0]
        for _ in range(min(copies, n_duplicates - made)):
            record = {k: columns[k][source] for k in keys}
            done = second_registration(
                record, prng.choice((2, 3)), prng, id_missing=0.6, id_mistyped=0.15, move=0.0
            )
            if prng.random() < 0.05:
                record["country"] = prng.choice([c for c in COUNTRIES if c != record["country"]])
                record["residence_id"] = COUNTRIES.index(record["country"]) * 1000 + prng.randrange(1, 341)
            elif prng.random() < 0.3:
                record["residence_id"] = record["residence_id"] // 1000 * 1000 + prng.randrange(1, 341)
            for k in keys:
                columns[k].append(record[k])
            columns["entity_id"].append(source)
            columns["corruptions"].append(" ".join(done))
            made += 1
    for number in range(n_namesakes):
        source = int(rng.integers(0, n_originals))
        record = {k: columns[k][source] for k in keys}
        born = record["birth_date"]
        style = prng.random()
        if style < 0.45:
            record["birth_date"] = born + datetime.timedelta(days=prng.choice((-3, -2, -1, 1, 2, 3)))
        elif style < 0.75 and born.day <= 12 and born.day != born.month:
            record["birth_date"] = born.replace(month=born.day, day=born.month)
        else:
            record["birth_date"] = born.replace(day=1 + (born.day + prng.randrange(1, 27)) % 28)
        record["birth_date_precision"] = "day"
        different_id, other_country = prng.random() < 0.7, prng.random() < 0.5
        if not different_id:
            other_country = True
        record["national_id"] = str(int(rng.integers(10**12, 10**13))) if different_id else None
        if columns["national_id"][source] is None and different_id:
            columns["national_id"][source] = str(int(rng.integers(10**12, 10**13)))
        if other_country:
            record["country"] = prng.choice([c for c in COUNTRIES if c != record["country"]])
            record["nationality"] = record["country"]
        record["residence_id"] = COUNTRIES.index(record["country"]) * 1000 + prng.randrange(1, 341)
        record["phone"] = f"+{CALLING_CODES[record['country']]}{prng.randrange(30_000_000, 60_000_000)}"
        for k in keys:
            columns[k].append(record[k])
        columns["entity_id"].append(n_originals + number)  # someone else
        columns["corruptions"].append(f"namesake_of:{source}")
    columns["unique_id"] = list(range(len(columns["entity_id"])))
    schema = pa.schema([*duplicates.RAW_SCHEMA, ("entity_id", pa.int64()), ("corruptions", pa.string())])
    return pa.table({name: columns[name] for name in schema.names}, schema=schema)


def typo_digits(number: str, rng: random.Random) -> str:
    i = rng.randrange(len(number) - 1)
    if rng.random() < 0.5:
        return number[:i] + number[i + 1] + number[i] + number[i + 2 :]
    return number[:i] + str((int(number[i]) + rng.randrange(1, 10)) % 10) + number[i + 1 :]


# -- the two models ------------------------------------------------------------------------------


def run_incluye(records: pa.Table, threshold: float, data: Path) -> tuple[pa.Table, pa.Table, dict]:
    """The batch job's own code: score_pairs (prepare, train, predict), the groups (weak links
    corroborated), the reasons of the pairs kept."""
    model: dict = {}
    support = SUPPORT_THRESHOLD
    scored = duplicates.score_pairs(
        records, threshold=threshold, support_threshold=support, train_model=True, model_json=model
    )
    (data / "incluye-model.json").write_text(json.dumps(model, indent=1))
    pq.write_table(scored.table, data / "incluye-pairs.parquet")
    started = time.perf_counter()
    # Normalised as the job does while loading the records (upper case, letters and digits), by
    # Arrow: a loop over every record's characters cost 0.2 s of this step.
    ids = records.column("national_id")
    present = pc.indices_nonzero(pc.and_kleene(pc.is_valid(ids), pc.not_equal(ids, "")))
    normalised = pc.replace_substring_regex(pc.utf8_upper(pc.take(ids, present)), r"[^\pL\pN]", "")
    national_ids = dict(zip(present.to_pylist(), normalised.to_pylist(), strict=True))
    clusters = duplicates.cluster_pairs(
        scored.table.column("unique_id_l").to_pylist(),
        scored.table.column("unique_id_r").to_pylist(),
        scored.table.column("match_probability").to_pylist(),
        national_ids=national_ids,
        threshold=threshold if support is not None else None,
        may_support=scored.table.column("may_support").to_pylist(),
        evidence=list(
            zip(*(scored.table.column(c).to_pylist() for c in duplicates.EVIDENCE_COLUMNS), strict=True)
        ),
        lone_threshold=LONE_THRESHOLD,
        may_pair_alone=scored.table.column("may_pair_alone").to_pylist(),
        may_link=scored.table.column("may_link").to_pylist(),
        own_surnames=scored.own_surnames,
        own_given_names=scored.own_given_names,
    )
    scored.timings["group"] = time.perf_counter() - started
    started = time.perf_counter()
    # Reasons for the pairs the job keeps: above the threshold, or inside a group.
    group_of = {m: number for number, cluster in enumerate(clusters) for m in cluster.members}
    kept = pc.or_(
        pc.greater_equal(scored.table["match_probability"], threshold),
        pc.equal(
            pa.array([group_of.get(m, -1) for m in scored.table["unique_id_l"].to_pylist()]),
            pa.array([group_of.get(m, -2) for m in scored.table["unique_id_r"].to_pylist()]),
        ),
    )
    pairs = scored.table.filter(kept)
    for row in pairs.select(
        [c for c in pairs.column_names if c.startswith(("gamma_", "married_"))]
    ).to_pylist():
        duplicates.pair_reasons(row)
    scored.timings["reasons"] = time.perf_counter() - started
    return (
        pairs.select(["unique_id_l", "unique_id_r", "match_probability"]),
        groups_table(clusters),
        scored.timings,
    )


def groups_table(clusters) -> pa.Table:
    members, ids = [], []
    for number, cluster in enumerate(clusters):
        members += cluster.members
        ids += [number] * len(cluster.members)
    return pa.table({"unique_id": pa.array(members, pa.int64()), "group_id": pa.array(ids, pa.int64())})


def run_baseline(records: pa.Table, threshold: float, data: Path) -> tuple[pa.Table, pa.Table, dict]:
    """Splink out of the box: default comparisons on the raw columns, blocking like ours; its pairs
    grouped into plain connected components."""
    import logging

    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    timings = {}
    started = time.perf_counter()
    con = duplicates.duckdb_connection()
    # Minimal cleaning a plain setup would do: empty strings are missing values.
    records = records.select([c for c in records.column_names if c not in ("country", "nationality")])
    records = records.set_column(
        records.schema.get_field_index("phone"),
        "phone",
        pc.if_else(pc.equal(records["phone"], ""), None, records["phone"]),
    )
    records = records.set_column(
        records.schema.get_field_index("second_surname"),
        "second_surname",
        pc.if_else(pc.equal(records["second_surname"], ""), None, records["second_surname"]),
    )
    df = DuckDBAPI(con).register(records)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("given_names"),
            cl.NameComparison("first_surname"),
            cl.NameComparison("second_surname"),
            cl.DateOfBirthComparison("birth_date", input_is_string=False),
            cl.ExactMatch("national_id"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("national_id"),
            block_on("phone"),
            block_on("first_surname", "second_surname", "year(birth_date)"),
            block_on("first_surname", "year(birth_date)", "substr(given_names, 1, 1)"),
            block_on("birth_date", "given_names"),
            block_on("first_surname", "second_surname", "given_names"),
        ],
        retain_matching_columns=False,
    )
    linker = Linker(df, settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_names", "first_surname", "second_surname", "birth_date")],
        recall=duplicates.DETERMINISTIC_RECALL,
    )
    linker.training.estimate_u_using_random_sampling(
        max_pairs=duplicates.U_SAMPLE_PAIRS, seed=duplicates.SEED
    )
    for rule in (block_on("given_names", "birth_date"), block_on("first_surname", "second_surname")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=duplicates.EM_MAX_PAIRS
        )
    timings["train"] = time.perf_counter() - started
    started = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    table = (
        predictions.as_duckdbpyrelation()
        .select("unique_id_l, unique_id_r, match_probability")
        .to_arrow_table()
    )
    timings["predict"] = time.perf_counter() - started
    started = time.perf_counter()
    clusters = duplicates.cluster_pairs(
        table.column("unique_id_l").to_pylist(),
        table.column("unique_id_r").to_pylist(),
        table.column("match_probability").to_pylist(),
    )
    timings["group"] = time.perf_counter() - started
    return table, groups_table(clusters), timings


def evaluate(pairs: pa.Table, groups: pa.Table, truth: pa.Table) -> dict:
    import duckdb

    con = duckdb.connect()
    con.register("found_pairs", pairs)
    con.register("groups", groups)
    con.register("truth", truth)
    con.execute("""
        create table true_pairs as
        select a.unique_id as l, b.unique_id as r, a.national_id is null or b.national_id is null as no_id,
               greatest(length(a.corruptions) - length(replace(a.corruptions, ' ', '')) + (a.corruptions <> '')::int,
                        length(b.corruptions) - length(replace(b.corruptions, ' ', '')) + (b.corruptions <> '')::int)
                   as corruptions,
               a.corruptions <> '' and b.corruptions <> '' as copies,
               a.corruptions || ' ' || b.corruptions as kinds
        from truth a join truth b on a.entity_id = b.entity_id and a.unique_id < b.unique_id
    """)
    con.execute("""
        create table namesakes as
        select least(t.unique_id, cast(split_part(t.corruptions, ':', 2) as bigint)) as l,
               greatest(t.unique_id, cast(split_part(t.corruptions, ':', 2) as bigint)) as r
        from truth t where t.corruptions like 'namesake_of:%'
    """)
    result = {}
    for level, table in (
        (
            "pairs",
            "select least(unique_id_l, unique_id_r) as l, greatest(unique_id_l, unique_id_r) as r from found_pairs",
        ),
        (
            "groups",
            "select least(a.unique_id, b.unique_id) as l, greatest(a.unique_id, b.unique_id) as r "
            "from groups a join groups b on a.group_id = b.group_id and a.unique_id < b.unique_id",
        ),
    ):
        con.execute(f"create or replace table predicted as select distinct * from ({table})")
        predicted, correct = con.execute("""
            select count(*), count(*) filter (where a.entity_id = b.entity_id)
            from predicted p join truth a on a.unique_id = p.l join truth b on b.unique_id = p.r
        """).fetchone()
        found = "exists (select 1 from predicted p where p.l = t.l and p.r = t.r)"
        totals = con.execute(f"""
            select count(*), count(*) filter (where {found}),
                   count(*) filter (where no_id), count(*) filter (where no_id and {found}),
                   count(*) filter (where copies), count(*) filter (where copies and {found})
            from true_pairs t
        """).fetchone()
        by_count = {
            k: f / n
            for k, n, f in con.execute(f"""
                select corruptions, count(*), count(*) filter (where {found}) from true_pairs t
                group by corruptions order by corruptions
            """).fetchall()
        }
        # A pair counts for each kind of mistake either of its records carries.
        by_kind = {}
        for kind in CORRUPTIONS:
            n, f = con.execute(f"""
                select count(*), count(*) filter (where {found}) from true_pairs t
                where list_contains(string_split(kinds, ' '), '{kind}')
            """).fetchone()
            by_kind[kind] = f / n if n else None
        namesakes = con.execute(
            f"select count(*), count(*) filter (where {found}) from namesakes t"
        ).fetchone()
        result[level] = {
            "predicted": int(predicted),
            "correct": int(correct),
            "true_pairs": int(totals[0]),
            "precision": correct / predicted if predicted else 0.0,
            "recall": totals[1] / totals[0] if totals[0] else 0.0,
            "recall_without_ids": totals[3] / totals[2] if totals[2] else 0.0,
            "pairs_without_ids": int(totals[2]),
            "recall_copy_to_copy": totals[5] / totals[4] if totals[4] else None,
            "recall_by_corruptions": by_count,
            "recall_by_kind": by_kind,
            "namesakes": int(namesakes[0]),
            "namesakes_linked": int(namesakes[1]),
        }
    return result


def print_misses(data: Path, groups: pa.Table, sample: int, seed: int) -> None:
    """A sample of the true pairs without identity numbers that no group holds, to stderr: each
    record, its mistakes, and the pair's probability when it was scored above the support
    threshold (else it met no blocking rule, or scored below)."""
    import duckdb

    con = duckdb.connect()
    con.register("records", pq.read_table(data / "records.parquet"))
    con.register("groups", groups)
    scored = data / "incluye-pairs.parquet"
    con.execute(
        f"create table scored as select * from read_parquet('{scored}')"
        if scored.exists()
        else "create table scored as select 0::bigint as unique_id_l, 0::bigint as unique_id_r, 0.0 as match_probability"
    )
    rows = con.execute(f"""
        with truth as (
            select a.unique_id as l, b.unique_id as r from records a join records b
              on a.entity_id = b.entity_id and a.unique_id < b.unique_id
            where a.national_id is null or b.national_id is null
        ), missed as (
            select t.* from truth t where not exists (
                select 1 from groups x join groups y on x.group_id = y.group_id
                where x.unique_id = t.l and y.unique_id = t.r)
        )
        select m.l, m.r, s.match_probability,
               a.given_names || ' | ' || a.first_surname || ' | ' || a.second_surname || ' | ' || a.birth_date::varchar
                 || ' | ' || coalesce(a.national_id, '-') || ' | ' || a.country || '/' || a.nationality
                 || ' | ' || a.corruptions,
               b.given_names || ' | ' || b.first_surname || ' | ' || b.second_surname || ' | ' || b.birth_date::varchar
                 || ' | ' || coalesce(b.national_id, '-') || ' | ' || b.country || '/' || b.nationality
                 || ' | ' || b.corruptions,
               count(*) over () as missed,
               count(s.match_probability) over () as scored
        from missed m join records a on a.unique_id = m.l join records b on b.unique_id = m.r
        left join scored s on s.unique_id_l = least(m.l, m.r) and s.unique_id_r = greatest(m.l, m.r)
            or s.unique_id_l = greatest(m.l, m.r) and s.unique_id_r = least(m.l, m.r)
        order by hash(m.l + {int(seed)}) limit {int(sample)}
    """).fetchall()
    if rows:
        print(
            f"missed pairs without ids: {rows[0][5]:,}, of which scored above the support threshold: {rows[0][6]:,}",
            file=sys.stderr,
        )
    for left, right, probability, a, b, _missed, _scored in rows:
        shown = "not scored" if probability is None else f"p={probability:.3f}"
        print(f"{left}-{right} {shown}\n  {a}\n  {b}", file=sys.stderr)


def print_wrong(data: Path, groups: pa.Table, sample: int) -> None:
    """The pairs of records of two different people that a group holds, to stderr (up to `sample`,
    the least probable first): each record, its mistakes (a namesake says whose), and the pair's
    probability when it was scored (else the group holds it through others)."""
    import duckdb

    con = duckdb.connect()
    con.register("records", pq.read_table(data / "records.parquet"))
    con.register("groups", groups)
    con.execute(f"create table scored as select * from read_parquet('{data / 'incluye-pairs.parquet'}')")

    def shown(side: str) -> str:
        return (
            f"{side}.given_names || ' | ' || {side}.first_surname || ' | ' || {side}.second_surname"
            f" || ' | ' || {side}.birth_date::varchar || ' | ' || coalesce({side}.national_id, '-')"
            f" || ' | ' || coalesce({side}.phone, '') || ' | ' || {side}.sex || ' | ' || {side}.residence_id"
            f" || ' | ' || {side}.country || '/' || {side}.nationality || ' | ' || {side}.corruptions"
        )

    rows = con.execute(f"""
        select x.unique_id, y.unique_id, s.match_probability, {shown("a")}, {shown("b")}, count(*) over ()
        from groups x join groups y on x.group_id = y.group_id and x.unique_id < y.unique_id
        join records a on a.unique_id = x.unique_id join records b on b.unique_id = y.unique_id
        left join scored s on s.unique_id_l = x.unique_id and s.unique_id_r = y.unique_id
            or s.unique_id_l = y.unique_id and s.unique_id_r = x.unique_id
        where a.entity_id <> b.entity_id
        order by s.match_probability nulls first, x.unique_id limit {int(sample)}
    """).fetchall()  # nosec B608
    if rows:
        print(f"wrong pairs in the groups: {rows[0][5]:,}", file=sys.stderr)
    for left, right, probability, a, b, _wrong in rows:
        shown_probability = "through the group" if probability is None else f"p={probability:.3f}"
        print(f"{left}-{right} {shown_probability}\n  {a}\n  {b}", file=sys.stderr)


def worker(model: str, data: Path, threshold: float, misses: int = 0, wrong: int = 0) -> None:
    records = pq.read_table(data / "records.parquet", columns=duplicates.RAW_SCHEMA.names)
    started = time.perf_counter()
    pairs, groups, timings = (run_incluye if model == "incluye" else run_baseline)(records, threshold, data)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MiB (Linux: KiB)
    truth = pq.read_table(
        data / "records.parquet", columns=["unique_id", "entity_id", "corruptions", "national_id"]
    )
    result = {"model": model, "wall_seconds": wall, "peak_mib": peak, "timings": timings}
    result |= evaluate(pairs, groups, truth)
    if misses and model == "incluye":
        print_misses(data, groups, misses, 2016)
    if wrong and model == "incluye":
        print_wrong(data, groups, wrong)
    if model == "incluye":
        pq.write_table(groups, data / "incluye-groups.parquet")
    print(json.dumps(result))


# -- the driver ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--generator", choices=("harder", "classic"), default="harder")
    parser.add_argument("--duplicate-share", type=float, default=0.1)
    parser.add_argument("--threshold", type=float, default=duplicates.THRESHOLD)
    parser.add_argument("--models", default="incluye,baseline")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--keep", type=Path, help="write the generated records to this folder and keep them")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--train-by-em",
        action="store_true",
        help="train m by EM even when records share identity numbers (as a registry with few shared ones does)",
    )
    parser.add_argument(
        "--support-threshold",
        type=float,
        default=duplicates.SUPPORT_THRESHOLD,
        help="weak links down to this probability join groups when corroborated (1 turns them off)",
    )
    parser.add_argument(
        "--lone-threshold",
        type=float,
        default=duplicates.LONE_THRESHOLD,
        help="a weak link down to this probability joins two records whose only link it is (1 turns it off)",
    )
    parser.add_argument(
        "--misses", type=int, default=0, help="print a sample of this many missed pairs (stderr)"
    )
    parser.add_argument(
        "--wrong", type=int, default=0, help="print up to this many wrong pairs the groups hold (stderr)"
    )
    parser.add_argument("--worker", choices=("incluye", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        if args.train_by_em:
            duplicates.model.MIN_LABELLED_PAIRS = float("inf")
        global SUPPORT_THRESHOLD
        SUPPORT_THRESHOLD = None if args.support_threshold >= args.threshold else args.support_threshold
        global LONE_THRESHOLD
        LONE_THRESHOLD = None if args.lone_threshold >= args.threshold else args.lone_threshold
        worker(args.worker, args.data, args.threshold, args.misses, args.wrong)
        return

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="incluye-bench-") as tmp:
        data = args.keep or Path(tmp)
        data.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        make = generate_harder if args.generator == "harder" else generate
        table = make(args.records, duplicate_share=args.duplicate_share, seed=args.seed)
        pq.write_table(table, data / "records.parquet")
        print(f"generated {table.num_rows:,} records in {time.perf_counter() - started:.0f} s", flush=True)
        results = []
        for model in args.models.split(","):
            command = [sys.executable, __file__, "--worker", model, "--data", str(data)]
            command += ["--threshold", str(args.threshold)] + (["--train-by-em"] if args.train_by_em else [])
            command += ["--support-threshold", str(args.support_threshold), "--misses", str(args.misses)]
            command += ["--lone-threshold", str(args.lone_threshold), "--wrong", str(args.wrong)]
            out = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
            results.append(json.loads(out.strip().splitlines()[-1]))
            print(f"{model}: {results[-1]['wall_seconds']:.0f} s", flush=True)
    print_table(args, results, load=(load_before, os.getloadavg()[0]))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


def print_table(args, results: list[dict], load: tuple[float, float]) -> None:
    print(
        f"\n{args.records:,} records ({args.generator}), {args.duplicate_share:.0%} duplicates, threshold "
        f"{args.threshold} (weak links from {args.support_threshold}, lone pairs from {args.lone_threshold}), {os.cpu_count()} cores, load average {load[0]:.1f} before and {load[1]:.1f} after"
        " (other processes share the cores when it is above 0)"
    )
    rows = [
        ("wall clock (s)", lambda r: f"{r['wall_seconds']:.0f}"),
        *(
            (f"  {step} (s)", lambda r, s=step: f"{r['timings'].get(s, 0):.0f}" if s in r["timings"] else "-")
            for step in ("prepare", "train", "predict", "reasons", "group")
        ),
        ("peak memory (MiB)", lambda r: f"{r['peak_mib']:.0f}"),
        ("true pairs", lambda r: f"{r['pairs']['true_pairs']:,}"),
        ("  of which without ids", lambda r: f"{r['pairs']['pairs_without_ids']:,}"),
    ]
    for level, label in (("pairs", "pairs above the threshold"), ("groups", "pairs in the groups")):
        rows += [
            (f"{label}", lambda r, lv=level: f"{r[lv]['predicted']:,}"),
            ("  wrong", lambda r, lv=level: f"{r[lv]['predicted'] - r[lv]['correct']:,}"),
            ("  precision", lambda r, lv=level: f"{r[lv]['precision']:.4f}"),
            ("  recall", lambda r, lv=level: f"{r[lv]['recall']:.4f}"),
            ("  recall without ids", lambda r, lv=level: f"{r[lv]['recall_without_ids']:.4f}"),
            (
                "  recall, copy to copy",
                lambda r, lv=level: (
                    "-" if r[lv]["recall_copy_to_copy"] is None else f"{r[lv]['recall_copy_to_copy']:.4f}"
                ),
            ),
            ("  namesakes linked", lambda r, lv=level: f"{r[lv]['namesakes_linked']} / {r[lv]['namesakes']}"),
        ]
        counts = sorted({k for r in results for k in r[level]["recall_by_corruptions"]})
        rows += [
            (
                f"  recall, {k} corruption(s)",
                lambda r, k=k, lv=level: f"{r[lv]['recall_by_corruptions'].get(k, 0):.4f}",
            )
            for k in counts
        ]
        rows += [
            (
                f"  recall, {kind.replace('_', ' ')}",
                lambda r, k=kind, lv=level: (
                    "-" if r[lv]["recall_by_kind"].get(k) is None else f"{r[lv]['recall_by_kind'][k]:.4f}"
                ),
            )
            for kind in CORRUPTIONS
        ]
    names = [r["model"] for r in results]
    width = max(len(label) for label, _ in rows)
    print(f"| {'':{width}} | " + " | ".join(f"{n:>10}" for n in names) + " |")
    print(f"|{'-' * (width + 2)}|" + "|".join("-" * 12 for _ in names) + "|")
    for label, cell in rows:
        print(f"| {label:{width}} | " + " | ".join(f"{cell(r):>10}" for r in results) + " |")


if __name__ == "__main__":
    main()
