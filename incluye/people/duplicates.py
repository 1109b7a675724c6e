"""Batch search for people registered more than once, with Splink (Fellegi-Sunter) on DuckDB.

Design, in the order the job runs:

1. **Load** (`load_registry`): the people not merged into another record, read in bulk with
   `values_list` in chunks, one national identity number per person, into an Arrow table whose
   `unique_id` is a row number (integers join faster than UUIDs in DuckDB).
2. **Prepare** (`prepare_features`): names are folded (no case, accents or ñ); a married part
   ("López de Pérez", "de Pérez") is split out of the surnames; each surname gets a Spanish
   phonetic key (v/b, z/s/c, ll/y, silent h…); each given name is mapped to its formal name when it
   is a nickname or abbreviation (Chepe → José, Ma. → María), then to a phonetic key; the birth
   date gets a day/month-swapped variant; phones keep their last 8 digits. The Python functions run
   once per *distinct* value and are joined back in DuckDB: a million people take seconds.
3. **Model** (`COMPARISONS`, `settings`): surnames (same; swapped, a strong level of its own; same
   first surname with the second missing or married; sounding alike; Jaro-Winkler, straight or
   swapped; one in common), given names (same; same first; nickname or spelling; Jaro-Winkler; a
   given name in common), birth date (same; day and month swapped; one digit off; same year),
   identity number (same; one character off), phone, sex and municipality. Term-frequency
   adjustments make José López weigh less than Xiloj Tzul. `BLOCKING_RULES` keep a million
   records to about 25 million comparisons, each an equi-join: identity number, phone, phonetic
   surname pair (order-free) + birth year, phonetic first (or second) surname + birth year + given
   initial, birth date + given initial, phonetic first surname + birth date, surname pair + given
   name, first surname + given name + day and month, surname pair + day and month.
4. **Train** (`train`), without labels as Splink recommends: the prior probability of a match from
   a deterministic rule, u by random sampling, m by expectation maximisation on three blocking
   rules made of mostly duplicates, each leaving other comparisons free. A registry too small for
   EM to be stable (< `MIN_RECORDS_TO_TRAIN`) runs on the prior m and u values kept in
   `COMPARISONS` instead (from a model trained on a million synthetic records).
5. **Predict** pairs above the threshold, explain each with short translated reasons, and
   **write** `DuplicateCandidate` rows idempotently: a new pair is created, a pending pair is
   updated, a reviewed pair (merged or distinct) is left alone. Pending pairs that no longer
   reach the threshold are left for the officers too.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from incluye.core.text import fold

logger = logging.getLogger(__name__)

NAMES = json.loads(
    (Path(__file__).parent.parent / "core" / "data" / "names.json").read_text(encoding="utf-8")
)

# Below this many records EM has too few pairs to be stable: the prior m and u values are used.
MIN_RECORDS_TO_TRAIN = 20_000
# Pairs sampled to estimate u; enough for every level of the model at a million records.
U_SAMPLE_PAIRS = 5e6
# Cap on the pairs each EM session iterates over (Splink samples records to reach it).
EM_MAX_PAIRS = 2e6
# Share of records expected to duplicate another one; sets the prior when the model is not trained.
PRIOR_DUPLICATE_SHARE = 0.05
# Recall assumed for the deterministic rule that estimates the prior probability of a match.
DETERMINISTIC_RECALL = 0.4
SEED = 2016
# An EM session on fewer pairs than this is skipped (its comparisons keep the prior m).
MIN_EM_PAIRS = 200
CHUNK_SIZE = 20_000

RAW_SCHEMA = pa.schema(
    [
        ("unique_id", pa.int64()),
        ("given_names", pa.string()),
        ("first_surname", pa.string()),
        ("second_surname", pa.string()),
        ("birth_date", pa.date32()),
        ("birth_date_precision", pa.string()),
        ("sex", pa.string()),
        ("national_id", pa.string()),
        ("phone", pa.string()),
        ("residence_id", pa.int64()),
    ]
)


# -- text features -------------------------------------------------------------------------------

_ABBREVIATIONS = {"ma": "maria", "fco": "francisco", "jse": "jose", "guad": "guadalupe"}


@cache
def _nickname_table() -> dict[str, tuple[str, ...]]:
    """Folded nickname -> folded formal names (a nickname may stand for several: Beto)."""
    table: dict[str, set[str]] = {}
    for formal, nicknames in NAMES["nicknames"].items():
        for nickname in nicknames:
            table.setdefault(fold(nickname), set()).add(fold(formal))
    for abbreviation, formal in _ABBREVIATIONS.items():
        table.setdefault(abbreviation, set()).add(formal)
    return {nickname: tuple(sorted(formals)) for nickname, formals in table.items()}


_PHONETIC_RULES = [
    (r"ch", "X"),
    (r"ll", "y"),
    (r"qu", "k"),
    (r"gu(?=[ei])", "G"),
    (r"c(?=[ei])", "s"),
    (r"g(?=[ei])", "j"),
    (r"G", "g"),
    (r"ph", "f"),
    (r"[ckq]", "k"),
    (r"z", "s"),
    (r"[vw]", "b"),
    (r"nb", "mb"),
    (r"h", ""),
    (r"y", "i"),
]


@cache
def spanish_phonetic(text: str) -> str:
    """A phonetic key for Spanish (and Maya) names: 'Vásquez', 'Basques' and 'Vazquez' -> 'baskes'.

    Letters written differently but sounding alike in Central American Spanish map to one
    letter; h is silent; doubled letters collapse. Vowels are kept: they are stable in Spanish.
    """
    key = re.sub(r"[^a-z]", "", fold(text))
    for pattern, replacement in _PHONETIC_RULES:
        key = re.sub(pattern, replacement, key)
    return re.sub(r"(.)\1+", r"\1", key)


@cache
def canonical_given(token: str) -> tuple[str, ...]:
    """Phonetic keys of the formal names a given-name token may stand for (Chepe -> José)."""
    folded = fold(token).strip(".")
    formals = _nickname_table().get(folded, (folded,))
    return tuple(sorted({spanish_phonetic(f) for f in formals}))


_MARRIED = re.compile(r"^(?:(?P<own>.*\S)\s+)?de\s+(?P<spouse>(?:la\s+|las\s+|los\s+|del\s+)?\S+)$")
_PARTICLES = {"de", "del", "la", "las", "los", "y"}
# Surnames that start with "de" and are no married name.
COMPOUND_SURNAMES = {fold(s) for s, _ in NAMES["surnames"]["spanish"] if fold(s).startswith("de")} | {
    "de la cruz",
    "de la rosa",
    "de jesus",
    "de los santos",
    "de la o",
    "de la paz",
}


def split_married(surname: str) -> tuple[str, str]:
    """'lopez de perez' -> ('lopez', 'perez'); 'de perez' -> ('', 'perez'); 'de leon' is a surname.

    A married woman may add "de" and her husband's surname after her own ("María López de
    Pérez"), in either surname field. What comes before "de" is her own surname.
    """
    if surname in COMPOUND_SURNAMES:
        return surname, ""
    match = _MARRIED.match(surname)
    if not match or (match["own"] or "") in _PARTICLES or surname.endswith(tuple(COMPOUND_SURNAMES)):
        return surname, ""
    return match["own"] or "", match["spouse"]


def given_features(given_names: str) -> dict:
    tokens = [t.strip(".") for t in fold(given_names).split() if t.strip(".")]
    if not tokens:
        return {"given": None, "given1": None, "given1_canon": None, "given_canon": None, "given_key": None}
    first = canonical_given(tokens[0])
    every = sorted({key for token in tokens for key in canonical_given(token)})
    return {
        "given": " ".join(tokens),
        "given1": tokens[0],
        "given1_canon": list(first),
        "given_canon": every,
        "given_key": first[0],
    }


def surname_features(first_surname: str, second_surname: str) -> dict:
    first, married_first = split_married(fold(first_surname))
    second, married_second = split_married(fold(second_surname))
    if not first and second:
        first, second = second, ""
    if not second and not married_first:
        # Both surnames typed in the first field: "López García".
        words = first.split()
        if len(words) == 2 and not _PARTICLES & set(words):
            first, second = words
    first_key, second_key = spanish_phonetic(first), spanish_phonetic(second)
    pair = sorted(k for k in (first_key, second_key) if k)
    return {
        "fs": first or None,
        "ss": second or None,
        "married": married_first or married_second or None,
        "fs_ph": first_key or None,
        "ss_ph": second_key or None,
        "surname_pair": " ".join(pair) or None,
        "surnames": " ".join(s for s in (first, second) if s) or None,
    }


_GIVEN_SCHEMA = pa.schema(
    [
        ("raw_given", pa.string()),
        ("given", pa.string()),
        ("given1", pa.string()),
        ("given1_canon", pa.list_(pa.string())),
        ("given_canon", pa.list_(pa.string())),
        ("given_key", pa.string()),
    ]
)
_SURNAME_SCHEMA = pa.schema(
    [("raw_first", pa.string()), ("raw_second", pa.string())]
    + [(name, pa.string()) for name in ("fs", "ss", "married", "fs_ph", "ss_ph", "surname_pair", "surnames")]
)


FEATURES_TABLE = "incluye_people"


def prepare_features(con: duckdb.DuckDBPyConnection, records: pa.Table) -> None:
    """Create FEATURES_TABLE in `con` with the model's features for `records` (`RAW_SCHEMA`).

    Name features are computed in Python once per distinct value, then joined back in DuckDB.
    """
    con.register("incluye_raw", records)
    given_values = con.sql("select distinct coalesce(given_names, '') as v from incluye_raw").to_arrow_table()
    rows = [{"raw_given": v, **given_features(v)} for v in given_values.column("v").to_pylist()]
    con.register("incluye_given_map", pa.Table.from_pylist(rows, schema=_GIVEN_SCHEMA))
    surname_values = con.sql(
        "select distinct coalesce(first_surname, '') as a, coalesce(second_surname, '') as b from incluye_raw"
    ).to_arrow_table()
    rows = [
        {"raw_first": a, "raw_second": b, **surname_features(a, b)}
        for a, b in zip(
            surname_values.column("a").to_pylist(), surname_values.column("b").to_pylist(), strict=True
        )
    ]
    con.register("incluye_surname_map", pa.Table.from_pylist(rows, schema=_SURNAME_SCHEMA))
    # The only interpolated name is FEATURES_TABLE, a constant.
    con.execute(f"""
        create or replace table {FEATURES_TABLE} as
        with base as (
            select r.*, case when r.birth_date_precision = 'day' then r.birth_date end as day_date
            from incluye_raw r
        )
        select
            r.unique_id,
            g.given, g.given1, g.given1_canon, g.given_canon, g.given_key,
            left(g.given_key, 1) as given_initial,
            s.fs, s.ss, s.married, s.fs_ph, s.ss_ph, s.surname_pair, s.surnames,
            r.day_date as dob,
            case when day(r.day_date) <= 12 and day(r.day_date) <> month(r.day_date)
                 then make_date(year(r.day_date), day(r.day_date), month(r.day_date)) end as dob_swapped,
            strftime(r.day_date, '%Y%m%d') as dob_text,
            strftime(r.day_date, '%m%d') as dob_day,
            year(r.birth_date) as birth_year,
            nullif(nullif(r.sex, 'X'), '') as sex,
            nullif(upper(regexp_replace(r.national_id, '[^0-9A-Za-z]', '', 'g')), '') as national_id,
            nullif(right(regexp_replace(coalesce(r.phone, ''), '[^0-9]', '', 'g'), 8), '') as phone8,
            r.residence_id
        from base r
        join incluye_given_map g on g.raw_given = coalesce(r.given_names, '')
        join incluye_surname_map s
          on s.raw_first = coalesce(r.first_surname, '') and s.raw_second = coalesce(r.second_surname, '')
    """)  # noqa: S608  # nosec B608
    for view in ("incluye_raw", "incluye_given_map", "incluye_surname_map"):
        con.unregister(view)


# -- the model -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    """One level of a comparison: its SQL, a reason shown to officers, and prior m and u."""

    sql: str
    label: str
    reason: object  # a lazy translation, or None when the level is no evidence of a match
    m: float
    u: float
    tf_column: str | None = None
    fix_m: bool = False  # keep the prior m (EM would make a data-entry error impossible)


@dataclass(frozen=True)
class Comparison:
    name: str
    null_sql: str
    levels: tuple[Level, ...]  # in decreasing order of similarity; an else level is appended
    else_m: float  # prior m and u of that else level
    else_u: float
    fix_else_m: bool = False


SURNAME_MISSING_LABEL = "first surname, second missing"


def _jw(column: str, threshold: float) -> str:
    return f"jaro_winkler_similarity({column}_l, {column}_r) >= {threshold}"


# Prior m and u values: from the model trained on a million synthetic records (bench/duplicates.py),
# rounded, and tempered where the synthetic corruptions are narrower than real life (a wholly
# different birth date or identity number is rarer in the benchmark than at a reception desk).
COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "national_id",
        "national_id_l is null or national_id_r is null",
        (
            Level("national_id_l = national_id_r", "same id", _("same identity number"), 0.6, 1e-6),
            Level(
                "damerau_levenshtein(national_id_l, national_id_r) <= 1",
                "id one typo",
                _("identity number differs by one character"),
                0.3,
                5e-6,
            ),
        ),
        else_m=0.01,
        else_u=0.99999,
    ),
    Comparison(
        "surnames",
        # surname_pair is null exactly when fs is; naming it tells Splink that EM on a rule
        # blocking on surname_pair cannot train this comparison.
        "fs_l is null or fs_r is null or surname_pair_l is null or surname_pair_r is null",
        (
            Level(
                "fs_l = fs_r and ss_l = ss_r",
                "same surnames",
                _("same surnames"),
                0.35,
                6e-5,
                tf_column="surnames",
            ),
            Level("fs_l = ss_r and ss_l = fs_r", "surnames swapped", _("surnames swapped"), 0.15, 4e-5),
            Level(
                "fs_l = fs_r and (ss_l is null or ss_r is null)",
                SURNAME_MISSING_LABEL,
                _("same first surname, second surname missing or married name"),
                0.2,
                1e-3,
            ),
            Level(
                "fs_ph_l = fs_ph_r and ss_ph_l = ss_ph_r",
                "surnames sound alike",
                _("surnames sound alike"),
                0.03,
                1e-6,
            ),
            Level(
                f"({_jw('fs', 0.9)} and {_jw('ss', 0.9)})"
                " or (jaro_winkler_similarity(fs_l, ss_r) >= 0.9 and jaro_winkler_similarity(ss_l, fs_r) >= 0.9)",
                "surnames similar",
                _("similar surnames"),
                0.12,
                3e-5,
            ),
            Level(
                "fs_ph_l in (fs_ph_r, ss_ph_r) or ss_ph_l in (fs_ph_r, ss_ph_r)",
                "one surname in common",
                _("one surname in common"),
                0.05,
                0.025,
            ),
        ),
        else_m=0.05,
        else_u=0.97,
    ),
    Comparison(
        "given_names",
        "given1_l is null or given1_r is null or given_key_l is null or given_key_r is null",
        (
            Level(
                "given_l = given_r", "same given names", _("same given names"), 0.45, 1e-3, tf_column="given"
            ),
            Level("given1_l = given1_r", "same first given name", _("same first given name"), 0.06, 7.5e-3),
            Level(
                "list_has_any(given1_canon_l, given1_canon_r)",
                "nickname or spelling",
                _("nickname or spelling of the same name"),
                0.1,
                1.5e-4,
            ),
            Level(_jw("given1", 0.9), "first given name similar", _("similar given name"), 0.2, 2.5e-3),
            Level(
                "list_has_any(given_canon_l, given_canon_r)",
                "a given name in common",
                _("a given name in common"),
                0.07,
                0.0175,
            ),
            Level(_jw("given1", 0.8), "given name vaguely similar", None, 0.02, 6e-3),
        ),
        else_m=0.05,
        else_u=0.965,
    ),
    Comparison(
        "birth_date",
        "birth_year_l is null or birth_year_r is null",
        (
            Level("dob_l = dob_r", "same birth date", _("same birth date"), 0.7, 8e-5),
            Level(
                "dob_l = dob_swapped_r",
                "day and month swapped",
                _("birth date with day and month swapped"),
                0.06,
                3.5e-5,
            ),
            Level(
                "damerau_levenshtein(dob_text_l, dob_text_r) <= 1",
                "birth date one typo",
                _("birth date differs by one digit"),
                0.1,
                2.3e-3,
            ),
            Level("birth_year_l = birth_year_r", "same birth year", _("same birth year"), 0.1, 0.03),
        ),
        else_m=0.01,
        else_u=0.97,
    ),
    Comparison(
        "phone",
        "phone8_l is null or phone8_r is null",
        (Level("phone8_l = phone8_r", "same phone", _("same phone"), 0.6, 1e-5),),
        else_m=0.4,
        else_u=0.99999,
    ),
    Comparison(
        "sex",
        "sex_l is null or sex_r is null",
        (Level("sex_l = sex_r", "same sex", None, 0.98, 0.65, fix_m=True),),
        else_m=0.02,
        else_u=0.35,
        fix_else_m=True,
    ),
    Comparison(
        "residence",
        "residence_id_l is null or residence_id_r is null",
        (Level("residence_id_l = residence_id_r", "same municipality", _("same municipality"), 0.6, 1e-3),),
        else_m=0.4,
        else_u=0.999,
    ),
)

# Blocking rules for prediction (see the module docstring); each is an equi-join DuckDB hashes.
BLOCKING_RULES: tuple[tuple[str, ...], ...] = (
    ("national_id",),
    ("phone8",),
    ("surname_pair", "birth_year"),
    ("fs_ph", "birth_year", "given_initial"),
    ("ss_ph", "birth_year", "given_initial"),
    ("dob", "given_initial"),
    ("fs_ph", "dob"),
    ("surname_pair", "given_key"),
    ("fs_ph", "given_key", "dob_day"),
    ("surname_pair", "dob_day"),
)
# Expectation maximisation sessions, each on pairs that are mostly duplicates; each comparison is
# left free (trained) in at least one: surnames in the first, given names in the second, the
# birth date in the third, identity, phone and sex in all.
TRAINING_RULES: tuple[tuple[str, ...], ...] = (
    ("given_key", "dob"),
    ("surname_pair", "dob"),
    ("surname_pair", "given_key", "residence_id"),
)
# Deterministic rule for the prior probability that two records match.
DETERMINISTIC_RULES: tuple[tuple[str, ...], ...] = (("given", "fs", "ss", "dob"),)


def _splink_comparisons(*, term_frequencies: bool):
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    comparisons = []
    for comparison in COMPARISONS:
        levels = [cll.CustomLevel(comparison.null_sql).configure(is_null_level=True)]
        for level in comparison.levels:
            options = {"label_for_charts": level.label}
            if level.tf_column and term_frequencies:
                options |= {"tf_adjustment_column": level.tf_column, "disable_tf_exact_match_detection": True}
            # EM starts from the prior m (and a level it cannot observe keeps it).
            options |= {"m_probability": level.m, "fix_m_probability": level.fix_m}
            # Sampling overwrites the prior u of every level it observes (not the rarest ones).
            options["u_probability"] = level.u
            levels.append(cll.CustomLevel(level.sql).configure(**options))
        else_level = cll.ElseLevel().configure(
            m_probability=comparison.else_m,
            u_probability=comparison.else_u,
            fix_m_probability=comparison.fix_else_m,
        )
        levels.append(else_level)
        comparisons.append(cl.CustomComparison(levels, output_column_name=comparison.name))
    return comparisons


def settings(*, term_frequencies: bool = True, probability_two_random_records_match: float = 1e-4):
    """The Splink settings of the model, with the prior m and u values (training overwrites them).

    `term_frequencies` adjusts exact name matches by how common the name is (José López
    weighs less than Xiloj Tzul); off for small registries, whose frequencies are noise."""
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=_splink_comparisons(term_frequencies=term_frequencies),
        blocking_rules_to_generate_predictions=[block_on(*rule) for rule in BLOCKING_RULES],
        probability_two_random_records_match=probability_two_random_records_match,
        retain_matching_columns=True,  # with the gamma_ columns, which give the reasons
        retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=["married"],
        em_convergence=0.001,
        max_iterations=20,
    )


def count_pairs(con: duckdb.DuckDBPyConnection, rule: tuple[str, ...]) -> int:
    """How many pairs a blocking rule (equality on these feature columns, constants) makes."""
    keys = ", ".join(rule)
    not_null = " and ".join(f"{key} is not null" for key in rule)
    sql = f"""
        select coalesce(sum(n * (n - 1) // 2), 0)
        from (select count(*) as n from {FEATURES_TABLE} where {not_null} group by {keys})
    """  # noqa: S608  # nosec B608
    return int(con.execute(sql).fetchall()[0][0])


def train(linker, con: duckdb.DuckDBPyConnection, records: int, *, seed: int = SEED) -> dict[str, float]:
    """Unsupervised training (no labels): the prior by a deterministic rule, u by random sampling,
    m by EM. Returns the seconds each step took.

    A registry with (almost) no duplicates makes EM diverge: such a session is undone and its
    comparisons keep their prior m. Splink narrows the linker's own settings while a session runs
    and restores them only when it succeeds, hence the copy kept here.
    """
    from splink import block_on
    from splink.internals.exceptions import SplinkException

    model = linker._settings_obj
    timings = {}
    started = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(
        [block_on(*rule) for rule in DETERMINISTIC_RULES], recall=DETERMINISTIC_RECALL
    )
    # No exact duplicate at all would make every pair impossible: expect at least one.
    floor = 1 / max(1, records * (records - 1) // 2)
    model._probability_two_random_records_match = max(model._probability_two_random_records_match, floor)
    timings["train_prior"] = time.perf_counter() - started
    started = time.perf_counter()
    linker.training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=seed)
    timings["train_u"] = time.perf_counter() - started
    started = time.perf_counter()
    for rule in TRAINING_RULES:
        if count_pairs(con, rule) < MIN_EM_PAIRS:
            # Too few pairs for this rule in this registry: its comparisons keep their prior m.
            logger.warning("find_duplicates: too few pairs to train on with %s", rule)
            continue
        before = model.core_model_settings.copy()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*rule), estimate_without_term_frequencies=True, max_pairs=EM_MAX_PAIRS
            )
        except (ArithmeticError, ValueError, SplinkException) as error:
            model.core_model_settings = before
            logger.warning("find_duplicates: EM on %s did not converge (%s); prior m kept", rule, error)
    timings["train_m"] = time.perf_counter() - started
    return timings


def duckdb_connection(threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that spills to the system's temporary folder, not the working one."""
    con = duckdb.connect(":memory:")
    spill = Path(tempfile.gettempdir()) / f"incluye-duckdb-{os.getpid()}"
    con.execute(f"set temp_directory = '{spill}'")
    con.execute("set preserve_insertion_order = false")
    if threads:
        con.execute(f"set threads = {int(threads)}")
    return con


@dataclass
class ScoredPairs:
    """Pairs above the threshold: `table` has unique_id_l/_r, match_weight, match_probability,
    married_l/_r and one gamma_ column per comparison."""

    table: pa.Table
    trained: bool
    timings: dict[str, float] = field(default_factory=dict)  # prepare, train, predict
    training_timings: dict[str, float] = field(default_factory=dict)  # train's own steps


def score_pairs(
    records: pa.Table,
    *,
    threshold: float = 0.9,
    train_model: bool | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    seed: int = SEED,
    model_json: dict | None = None,
) -> ScoredPairs:
    """Prepare, train (when `train_model`, or by default when the registry is large enough) and
    predict. This is what both the batch job and the benchmark run."""
    from splink import DuckDBAPI, Linker

    timings: dict[str, float] = {}
    con = con or duckdb_connection()
    started = time.perf_counter()
    prepare_features(con, records)
    timings["prepare"] = time.perf_counter() - started

    n = records.num_rows
    if n < 2:
        empty = pa.table({"unique_id_l": pa.array([], pa.int64()), "unique_id_r": pa.array([], pa.int64())})
        return ScoredPairs(table=empty, trained=False, timings=timings)
    if train_model is None:
        train_model = n >= MIN_RECORDS_TO_TRAIN
    started = time.perf_counter()
    if train_model:
        model_settings = settings()
    else:
        # Expect PRIOR_DUPLICATE_SHARE of the records to duplicate another one.
        pairs = max(1, n * (n - 1) // 2)
        prior = min(0.5, max(1e-9, PRIOR_DUPLICATE_SHARE * n / pairs))
        model_settings = settings(term_frequencies=False, probability_two_random_records_match=prior)
    db_api = DuckDBAPI(con)
    people = db_api.register(FEATURES_TABLE)
    linker = Linker(people, model_settings, log_level=logging.WARNING)
    training_timings = train(linker, con, n, seed=seed) if train_model else {}
    timings["train"] = time.perf_counter() - started
    if model_json is not None:
        model_json.update(linker.misc.save_model_to_json())

    started = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    columns = ["unique_id_l", "unique_id_r", "match_weight", "match_probability", "married_l", "married_r"]
    columns += [f"gamma_{comparison.name}" for comparison in COMPARISONS]
    table = predictions.as_duckdbpyrelation().select(", ".join(columns)).to_arrow_table()
    predictions.drop_table_from_database_and_remove_from_cache()
    timings["predict"] = time.perf_counter() - started
    return ScoredPairs(table=table, trained=train_model, timings=timings, training_timings=training_timings)


@cache
def _levels_by_gamma() -> dict[str, dict[int, Level]]:
    """{comparison: {gamma value: level}}: Splink numbers the levels from n-1 down to 0 (else)."""
    return {
        comparison.name: {
            len(comparison.levels) - index: level for index, level in enumerate(comparison.levels)
        }
        for comparison in COMPARISONS
    }


def pair_reasons(row: dict) -> list[str]:
    """Short reasons, in the active language, from a predicted pair's gamma_ columns."""
    reasons = []
    for name, levels in _levels_by_gamma().items():
        level = levels.get(row.get(f"gamma_{name}"))
        if level is None or level.reason is None:
            continue
        reason = level.reason
        if level.label == SURNAME_MISSING_LABEL:
            married = row.get("married_l") or row.get("married_r")
            reason = _("married name") if married else _("second surname missing")
        reasons.append(str(reason))
    return reasons


# -- the batch job -------------------------------------------------------------------------------


@dataclass
class DuplicateRun:
    """What a run of `find_duplicates` did, and how long each step took (seconds)."""

    records: int = 0
    pairs_found: int = 0
    created: int = 0
    updated: int = 0
    skipped_reviewed: int = 0
    trained: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    def as_log_data(self) -> dict:
        return {
            "records": self.records,
            "pairs_found": self.pairs_found,
            "created": self.created,
            "updated": self.updated,
            "skipped_reviewed": self.skipped_reviewed,
            "trained": self.trained,
            "seconds": round(sum(self.timings.values()), 1),
        }


@dataclass
class Registry:
    records: pa.Table
    person_ids: list[str]  # by unique_id
    organization_ids: list[int]  # by unique_id


def load_registry(organization=None, *, chunk_size: int = CHUNK_SIZE) -> Registry:
    """The people not merged into another record (of `organization`, or all), in bulk."""
    from incluye.people.models import IdentityDocument, Person

    people = Person.objects.filter(merged_into__isnull=True)
    documents = IdentityDocument.objects.filter(
        document_type__is_national_id=True, person__merged_into__isnull=True
    )
    if organization is not None:
        people = people.filter(organization=organization)
        documents = documents.filter(person__organization=organization)
    national_ids: dict = {}
    for person_id, number in (
        documents.order_by("person_id", "id")
        .values_list("person_id", "number")
        .iterator(chunk_size=chunk_size)
    ):
        national_ids.setdefault(person_id, number)

    columns: dict[str, list] = {name: [] for name in RAW_SCHEMA.names}
    person_ids, organization_ids = [], []
    rows = people.order_by("pk").values_list(
        "pk",
        "organization_id",
        "given_names",
        "first_surname",
        "second_surname",
        "birth_date",
        "birth_date_precision",
        "sex",
        "phone",
        "residence_id",
    )
    for index, (pk, org, given, first, second, born, precision, sex, phone, residence) in enumerate(
        rows.iterator(chunk_size=chunk_size)
    ):
        person_ids.append(str(pk))
        organization_ids.append(org)
        columns["unique_id"].append(index)
        columns["given_names"].append(given)
        columns["first_surname"].append(first)
        columns["second_surname"].append(second)
        columns["birth_date"].append(born)
        columns["birth_date_precision"].append(precision)
        columns["sex"].append(sex)
        columns["national_id"].append(national_ids.get(pk))
        columns["phone"].append(phone)
        columns["residence_id"].append(residence)
    return Registry(pa.table(columns, schema=RAW_SCHEMA), person_ids, organization_ids)


def _batched(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write_candidates(registry: Registry, pairs: pa.Table, *, organization=None) -> tuple[int, int, int]:
    """Create new pairs, update pending ones, leave reviewed ones alone: (created, updated, skipped)."""
    from incluye.people.models import DuplicateCandidate, DuplicateStatus

    existing = DuplicateCandidate.objects.all()
    if organization is not None:
        existing = existing.filter(organization=organization)
    known = {
        (str(a), str(b)): (pk, status)
        for pk, a, b, status in existing.values_list("pk", "person_a_id", "person_b_id", "status").iterator(
            chunk_size=CHUNK_SIZE
        )
    }
    to_create, to_update, skipped = [], [], 0
    for row in pairs.to_pylist():
        a, b = registry.person_ids[row["unique_id_l"]], registry.person_ids[row["unique_id_r"]]
        if b < a:
            a, b = b, a
            row["unique_id_l"], row["unique_id_r"] = row["unique_id_r"], row["unique_id_l"]
        fields = {
            "match_weight": float(row["match_weight"]),
            "match_probability": float(row["match_probability"]),
            "reasons": pair_reasons(row),
        }
        if (a, b) not in known:
            to_create.append(
                DuplicateCandidate(
                    person_a_id=a,
                    person_b_id=b,
                    organization_id=registry.organization_ids[row["unique_id_l"]],
                    **fields,
                )
            )
            known[(a, b)] = (None, DuplicateStatus.PENDING)
        elif known[(a, b)][1] == DuplicateStatus.PENDING and known[(a, b)][0] is not None:
            to_update.append(DuplicateCandidate(pk=known[(a, b)][0], **fields))
        else:
            skipped += 1
    with transaction.atomic():
        for batch in _batched(to_create, 2000):
            # A pair written meanwhile by a concurrent run is not an error.
            DuplicateCandidate.objects.bulk_create(batch, ignore_conflicts=True)
        for batch in _batched(to_update, 1000):
            DuplicateCandidate.objects.bulk_update(batch, ["match_weight", "match_probability", "reasons"])
    return len(to_create), len(to_update), skipped


def find_duplicates(
    *,
    organization=None,
    threshold: float = 0.9,
    limit_pairs: int | None = None,
    train_model: bool | None = None,
) -> DuplicateRun:
    """Search the registry (of `organization`, or all of it) for pairs of records of one person
    with a match probability above `threshold`, and queue them for review.

    `limit_pairs` keeps only the most probable pairs. `train_model` forces (True) or skips (False)
    training; by default the model is trained when the registry has `MIN_RECORDS_TO_TRAIN` people.
    """
    from incluye.core.actionlog import log_action

    run = DuplicateRun()
    started = time.perf_counter()
    registry = load_registry(organization)
    run.records = registry.records.num_rows
    run.timings["load"] = time.perf_counter() - started

    scored = score_pairs(registry.records, threshold=threshold, train_model=train_model)
    run.trained = scored.trained
    run.timings |= scored.timings
    pairs = scored.table
    if limit_pairs is not None and pairs.num_rows > limit_pairs:
        pairs = pairs.sort_by([("match_probability", "descending")]).slice(0, limit_pairs)
    run.pairs_found = pairs.num_rows

    started = time.perf_counter()
    run.created, run.updated, run.skipped_reviewed = write_candidates(
        registry, pairs, organization=organization
    )
    run.timings["write"] = time.perf_counter() - started
    log_action(
        actor=None, organization=organization, action="incluye.duplicates.found", data=run.as_log_data()
    )
    logger.info("find_duplicates: %s", run)
    return run
