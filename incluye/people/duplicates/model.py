"""Stage 3 of the duplicate search: the Fellegi-Sunter model, trained and applied with Splink on
DuckDB (plain Python).

**Comparisons** (`COMPARISONS`): surnames (same; swapped, a strong level of its own; same first
surname with the second missing or married; sounding alike; Jaro-Winkler, straight or swapped; one
the same and the other one typo away; the first one typo away with the second missing; one in
common), given names (same; same first; nickname or spelling; Jaro-Winkler or one typo; a given
name left out, weighed by how common the name is; a given name in common), birth date (same; only
the year known on both sides and the same; day and month swapped; one digit off; same year and
month, or day and month; same year), identity number (same; one character off; a different number
on each side weighs heavily against), phone, sex, municipality, the registering country and the
nationality. Term-frequency adjustments make José López weigh less than Xiloj Tzul (and Pepe for
José less than Chilo for Casimiro); a level that asks for more than the same value (the first
surname the same *and* the second missing) has its frequencies referred to the chance of that same
value (`refer_term_frequencies`).

**Blocking** (`BLOCKING_RULES`): narrow equi-joins (about two pairs per record in all), each on keys
that survive the usual mistakes (the birth date with day and month in either order, the initials of
both surnames in either order, the year alone when only the year is known, a surname's sound or a
given name in common in either field: `Also`), so that a record with two or three of them still
meets its first registration through one rule.

**Weak links** (`SUPPORT_THRESHOLD`): pairs below the threshold are kept down to this probability;
they join groups only when another one corroborates them (`cluster.py`), never between namesakes
(`MAY_SUPPORT_SQL`).

**Lone pairs** (`LONE_THRESHOLD`): two records whose only link is each other's join down to this
probability when neither given names nor birth dates differ outright (`MAY_PAIR_ALONE_SQL`).

**Training** (`train`): the prior probability of a match from a deterministic rule, u by random
sampling, m from the pairs of records that share an identity number (one person, registered with
whatever mistakes a reception desk makes: Splink's `estimate_m_from_label_column`; a level none of
them shows gets at most three in their number, not its prior), and the prior corrected by the share
of those pairs the deterministic rule finds. A registry with too few such pairs trains m by
expectation maximisation instead, on rules made of mostly duplicates, each leaving other
comparisons free. A registry too small to train (< `MIN_RECORDS_TO_TRAIN`) runs on
the prior m and u values kept in `COMPARISONS` (from a model trained on synthetic records).
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from typing import NamedTuple

import duckdb
import pyarrow as pa

from incluye.people.duplicates.normalize import canonical_given
from incluye.people.duplicates.prepare import FEATURES_TABLE, duckdb_connection, prepare_features

logger = logging.getLogger(__name__)


def gettext_noop(message: str) -> str:
    """Marks a reason for the translation catalogue; translated when shown (explain.describe)."""
    return message


_ = gettext_noop

# A pair below this probability is no link of a group: measured on the harder registry
# (bench/duplicates.py), where 0.9 let one wrong pair in 700 into the groups and this one in 2 000.
THRESHOLD = 0.97
# A weaker link, down to this probability, joins two groups when another one corroborates it
# (cluster.py): measured on the harder registry (bench/duplicates.py).
SUPPORT_THRESHOLD = 0.5
# A weak link at least this probable joins two records when it is the only link either has and
# their names and birth dates do not contradict each other (cluster.py, `MAY_PAIR_ALONE_SQL`):
# measured on the harder registry (bench/duplicates.py): 0.85 let in 5 wrong pairs where this lets in 2.
LONE_THRESHOLD = 0.9
# Below this many records EM has too few pairs to be stable: the prior m and u values are used.
MIN_RECORDS_TO_TRAIN = 20_000
# Pairs sampled to estimate u (Splink's default): the rarest levels keep their prior u.
U_SAMPLE_PAIRS = 1e6
# Cap on the pairs each EM session iterates over (Splink samples records to reach it).
EM_MAX_PAIRS = 1e6
# Share of records expected to duplicate another one; sets the prior when the model is not trained.
PRIOR_DUPLICATE_SHARE = 0.05
# Recall assumed for the deterministic rule that estimates the prior probability of a match.
DETERMINISTIC_RECALL = 0.4
SEED = 2016
# An EM session on fewer pairs than this is skipped (its comparisons keep the prior m).
MIN_EM_PAIRS = 200
# Pairs of records sharing an identity number needed to take m from them instead of EM.
MIN_LABELLED_PAIRS = 500
CHUNK_SIZE = 20_000


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
    # The level asks for more than the same tf_column ("the first surname the same *and* the second
    # one missing"): its term frequencies are referred to that agreement alone (`refer_term_frequencies`).
    tf_narrowed: bool = False


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


def _only_if(guard: str, costly: str) -> str:
    """`guard and costly`, true on exactly the same pairs, but DuckDB runs `costly` (an edit
    distance) only on the pairs `guard` lets through: written with `and`, inside a
    level's `or`, it ran on many more (measured on a million pairs: an edit distance guarded by
    the same first surname cost 0.11 s with `and`, 0.04 s so)."""
    return f"(case when {guard} then {costly} end)"


# Prior m and u values: from the model trained on a million synthetic records (bench/duplicates.py),
# rounded, and tempered where the synthetic corruptions are narrower than real life (a wholly
# different birth date or identity number is rarer in the benchmark than at a reception desk).
COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "national_id",
        "national_id_l is null or national_id_r is null",
        (
            Level("national_id_l = national_id_r", "same id", _("same identity number"), 0.6, 1e-6),
            # One edit leaves either end of a long number as it was: the cheap test of the ends
            # spares the edit distance to almost every pair (Splink's levels are a CASE, which
            # evaluates a condition only on the pairs the earlier ones let through).
            Level(
                "(left(national_id_l, 5) = left(national_id_r, 5) or right(national_id_l, 5) = right(national_id_r, 5)"
                " or length(national_id_l) < 10) and damerau_levenshtein(national_id_l, national_id_r) <= 1",
                "id one typo",
                _("identity number differs by one character"),
                0.3,
                5e-6,
            ),
        ),
        # A different number on each side is strong evidence of two people (a namesake born a day
        # apart, or with day and month swapped, is not the same person): EM may not soften it.
        else_m=1e-6,
        else_u=0.99999,
        fix_else_m=True,
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
                tf_column="fs",
                tf_narrowed=True,
            ),
            Level(
                "fs_ph_l = fs_ph_r and ss_ph_l = ss_ph_r",
                "surnames sound alike",
                _("surnames sound alike"),
                0.03,
                1e-6,
            ),
            # One surname the same and the other one typo away (straight or swapped) is similar
            # too: Jaro-Winkler misses a typo in a short surname ("Arias", "Auias"). The edit
            # distance runs only on the few pairs that share a surname.
            Level(
                f"({_jw('fs', 0.9)} and {_jw('ss', 0.9)})"
                " or (jaro_winkler_similarity(fs_l, ss_r) >= 0.9 and jaro_winkler_similarity(ss_l, fs_r) >= 0.9)"
                f" or {_only_if('fs_l = fs_r', 'damerau_levenshtein(ss_l, ss_r) <= 1')}"
                f" or {_only_if('ss_l = ss_r', 'damerau_levenshtein(fs_l, fs_r) <= 1')}"
                f" or {_only_if('fs_l = ss_r', 'damerau_levenshtein(ss_l, fs_r) <= 1')}"
                f" or {_only_if('ss_l = fs_r', 'damerau_levenshtein(fs_l, ss_r) <= 1')}",
                "surnames similar",
                _("similar surnames"),
                0.12,
                3e-5,
            ),
            # The second surname not typed and the first mistyped by one letter ("Sáncez" and
            # "Sánchez Melgar"): much stronger than a first surname merely alike ("Castellón" and
            # "Castellanos Melgar"), with which it was weighed. The edit distance runs only on the
            # pairs with a surname missing whose first surnames start alike.
            Level(
                _only_if(
                    "(ss_l is null or ss_r is null) and left(fs_l, 1) = left(fs_r, 1)",
                    "damerau_levenshtein(fs_l, fs_r) <= 1",
                ),
                "first surname one typo, second missing",
                _("similar surnames"),
                0.12,
                4e-4,
            ),
            Level(
                "(ss_l is null or ss_r is null) and (jaro_winkler_similarity(fs_l, fs_r) >= 0.88"
                " or jaro_winkler_similarity(coalesce(ss_l, fs_l), coalesce(ss_r, fs_r)) >= 0.88)",
                "a surname similar, the other missing",
                _("similar surnames"),
                0.07,
                1.6e-3,
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
            # A typo in the first given name, the others the same ("Aracely Cindy", "Araceyl Cindy";
            # "Mnria", "Maria"): much stronger than a first name merely similar ("Aracely Cindy",
            # "Araceli María"). The equality of the rest spares the edit distance to most pairs.
            Level(
                "abs(length(given_l) - length(given_r)) <= 1 and given1_l <> given1_r"
                " and substr(given_l, length(given1_l) + 1) = substr(given_r, length(given1_r) + 1)"
                " and damerau_levenshtein(given1_l, given1_r) <= 1",
                "given names one typo",
                _("similar given name"),
                0.1,
                1e-4,
            ),
            Level(
                "given1_l <> given1_r and (given1_mask_l & given1_mask_r) <> 0"
                " and list_has_any(given1_canon_l, given1_canon_r)",
                "nickname or spelling",
                _("nickname or spelling of the same name"),
                0.1,
                1.5e-4,
                # Chepe for José is weaker evidence than Chilo for Casimiro: frequencies of the
                # formal name, referred to the chance that two records share it.
                tf_column="given_key",
                tf_narrowed=True,
            ),
            # One record leaves out a given name the other has ("Juan" or "Carlos" and "Juan
            # Carlos"): an omission, not a conflict like "Juan Pedro" and "Juan Carlos".
            Level(
                "len(given_canon_l) <> len(given_canon_r)"
                " and (given_mask_l & given_mask_r) in (given_mask_l, given_mask_r)"
                " and (list_has_all(given_canon_l, given_canon_r) or list_has_all(given_canon_r, given_canon_l))",
                "a given name left out",
                _("a given name left out"),
                0.08,
                1e-3,
                # "Juan" and "Juan Walter" share a name one man in twenty has: weaker than "Wenceslao".
                tf_column="given1",
            ),
            Level(
                "given1_l = given1_r",
                "same first given name",
                _("same first given name"),
                0.06,
                7.5e-3,
                tf_column="given1",
            ),
            # A typo in a short name ("Maria", "Mnria") is one edit, below Jaro-Winkler's 0.9; the
            # edit distance runs only on pairs whose first given names start alike.
            Level(
                f"{_jw('given1', 0.9)} or (left(given1_l, 1) = left(given1_r, 1)"
                " and damerau_levenshtein(given1_l, given1_r) <= 1)",
                "first given name similar",
                _("similar given name"),
                0.2,
                2.5e-3,
            ),
            Level(
                "(given_mask_l & given_mask_r) <> 0 and list_has_any(given_canon_l, given_canon_r)",
                "a given name in common",
                _("a given name in common"),
                0.07,
                0.0175,
            ),
            # A given name left out and another one mistyped ("Alfrezo" and "Henry Alfredo"): one
            # given name of each record one typo from one of the other's. The first names are
            # already compared above: this level only adds the others. The edit distance runs only
            # on names that start alike and are about as long (a million pairs: 1 s without, 0.16 s).
            Level(
                "list_bool_or(list_transform(string_split(given_l, ' '), lambda x: length(x) >= 3 and"
                " list_bool_or(list_transform(string_split(given_r, ' '), lambda y: case when left(x, 1) = left(y, 1)"
                " and abs(length(x) - length(y)) <= 1 then damerau_levenshtein(x, y) <= 1 else false end))))",
                "a given name in common, one typo",
                _("similar given name"),
                0.03,
                2e-3,
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
            # Only the year known on both sides (a person who knows no more): agreeing on it is
            # all two such records can do, much stronger than the same year with another day.
            Level(
                "dob_l is null and dob_r is null and birth_year_l = birth_year_r",
                "same birth year, day unknown",
                _("same birth year"),
                0.04,
                2.5e-3,
            ),
            Level(
                "dob_l = dob_swapped_r",
                "day and month swapped",
                _("birth date with day and month swapped"),
                0.06,
                3.5e-5,
            ),
            # One digit wrong, or two neighbours swapped (both dates have eight digits).
            Level(
                "hamming(dob_text_l, dob_text_r) <= 1 or (hamming(dob_text_l, dob_text_r) = 2"
                " and damerau_levenshtein(dob_text_l, dob_text_r) <= 1)",
                "birth date one typo",
                _("birth date differs by one digit"),
                0.1,
                2.3e-3,
            ),
            # The day (or the year) written wrong, the rest right: stronger than the year alone.
            Level(
                "dob_month_l = dob_month_r",
                "same year and month",
                _("same birth year and month"),
                0.06,
                2.5e-3,
            ),
            Level(
                "dob_day_l = dob_day_r",
                "same day and month",
                _("same birth day and month"),
                0.04,
                3e-3,
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
    # Registered in another country: a few people are, on their way through; most namesakes are.
    Comparison(
        "country",
        "country_l is null or country_r is null",
        (Level("country_l = country_r", "same country", None, 0.97, 0.4, fix_m=True),),
        else_m=0.03,
        else_u=0.6,
        fix_else_m=True,
    ),
    Comparison(
        "nationality",
        "nationality_l is null or nationality_r is null",
        (Level("nationality_l = nationality_r", "same nationality", None, 0.995, 0.5, fix_m=True),),
        else_m=0.005,
        else_u=0.5,
        fix_else_m=True,
    ),
)


class Also(NamedTuple):
    """A blocking rule: equality on `keys` (feature columns) and a value in common between two
    lists, `any_of` (SQL on one record's columns): `condition` says so on l. and r. for Splink;
    our own blocking unnests the list and joins on its values too (`blocked_pairs_sql`)."""

    keys: tuple[str, ...]
    any_of: str
    condition: str


def _surname_in_common(*keys: str) -> Also:
    """A surname's sound in common, in either field, and `keys`."""
    return Also(keys, "[fs_ph, ss_ph]", "(l.fs_ph in (r.fs_ph, r.ss_ph) or l.ss_ph in (r.fs_ph, r.ss_ph))")


def _given_name_in_common(*keys: str) -> Also:
    """A given name in common (or the formal name of a nickname), and `keys`."""
    return Also(keys, "given_canon", "list_has_any(l.given_canon, r.given_canon)")


# Blocking rules for prediction (see the module docstring); each is an equi-join DuckDB hashes.
# Each pair a rule lets through costs a comparison of every level, so the rules are narrow (three
# keys, a few pairs per record) and many: a second registration with two or three mistakes must
# still share every key of at least one rule with the first. Keys that survive the usual mistakes:
# the initial or first three sounds of a name (a typo, an accent or capitals rarely touch them),
# the birth date or its parts (a typo changes one of year, month or day), sex and municipality
# (the same desk registers the same person again).
BLOCKING_RULES: tuple[tuple[str, ...] | Also, ...] = (
    ("national_id",),
    ("phone8",),
    # Names may be wrong anywhere: the birth date (day and month in either order: they are often
    # swapped) and where the person lives and who they are.
    ("dob_sorted", "residence_id", "sex"),
    ("dob_sorted", "fs_prefix", "sex"),
    ("dob_sorted", "given_prefix", "sex"),
    ("dob_sorted", "given_initial", "fs_initial"),
    # Surnames swapped and mistyped keep their initials.
    ("dob_sorted", "surname_initials", "sex"),
    # The year mistyped: day and month with the names' first sounds.
    ("dob_day", "fs_prefix", "given_prefix"),
    ("dob_day", "surname_pair", "sex"),
    ("dob_day", "given_key", "residence_id"),
    ("dob_day", "fs_initial", "residence_id"),
    # The day mistyped: year and month with names or municipality (the first surname's sounds
    # when the second is missing on either side, or its initial when it is mistyped too).
    ("dob_month", "surname_initials", "given_prefix"),
    ("dob_month", "fs_prefix", "given_prefix"),
    ("dob_month", "fs_initial", "given_key"),
    ("dob_month", "given_initial", "residence_id"),
    # Day or month mistyped (or swapped): the year with two of names and municipality.
    ("birth_year", "fs_prefix", "residence_id"),
    ("birth_year", "given_key", "fs_prefix"),
    ("birth_year", "surname_pair", "given_initial"),
    # Anything but the birth date: the names' first sounds and the municipality.
    ("given_prefix", "surname_initials", "residence_id"),
    # Only the year known: the keys made of day and month are missing on both sides.
    ("birth_year_only", "residence_id", "sex"),
    ("birth_year_only", "fs_initial", "given_prefix"),
    ("birth_year_only", "fs_prefix", "sex"),
    ("birth_year_only", "surname_initials", "given_initial"),
    ("birth_year_only", "given_initial", "fs_initial"),
    # Two or three mistakes at once often leave no three keys above intact (the surnames swapped
    # and one missing, a given name left out, a digit of the date wrong): a surname's sound or a
    # given name in common, in either field, with what is left of the date. Each rule joins on its
    # equalities and keeps the pairs with the name in common. On the harder registry (200,000
    # records): 23,300 more pairs compared (11 % more), 65 more pairs of one person in the groups,
    # each rule 6 to 11 of them, for one wrong pair more; the last (7,200 pairs) finds 7.
    _surname_in_common("dob_sorted", "given_initial"),
    ("dob_month", "fs_prefix", "ss_ph"),
    _given_name_in_common("dob_month", "fs_ph"),
    ("dob_day", "given_key", "surname_initials"),
    _surname_in_common("birth_year_only", "given_prefix"),
    _given_name_in_common("birth_year_only", "surname_initials"),
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


def blocking_rule(rule: tuple[str, ...] | Also):
    """Splink's rule: equality on feature columns (a tuple), with a further condition (`Also`)."""
    from splink import block_on
    from splink.blocking_rule_library import CustomRule

    if isinstance(rule, Also):
        return CustomRule(" and ".join([*(f"l.{key} = r.{key}" for key in rule.keys), rule.condition]))
    return block_on(*rule)


BLOCKED_PAIRS_TABLE = "incluye_blocked_pairs"


def blocked_pairs_sql() -> str:
    """The pairs `BLOCKING_RULES` let through, each once, with the first rule that finds it as its
    `match_key`: the very table Splink's own blocking builds, built faster. Splink joins the whole
    registry to itself once per rule and keeps a pair only when no earlier rule found it (a
    condition that grows with every rule: 21 joins of 200 000 records took 1.6 s of CPU); here each
    rule joins only the records whose keys another record shares (most share none), and the pairs
    found twice are merged once, at the end (0.7 s)."""
    joins, lists = [], []
    for number, rule in enumerate(BLOCKING_RULES):
        equal = rule.keys if isinstance(rule, Also) else rule
        known = " and ".join(f"{key} is not null" for key in equal)
        if isinstance(rule, Also):
            # One row per value of the list (made once): the value in common is one more key.
            rows = f"incluye_list_{number}"
            lists.append(f"""{rows} as materialized (
                select unique_id, {", ".join(rule.keys)}, unnest({rule.any_of}) as any_key
                from {FEATURES_TABLE} where {known}
            )""")  # noqa: S608  # nosec B608
            equal = (*equal, "any_key")
            known = "any_key is not null"
        else:
            rows = FEATURES_TABLE
        keys = ", ".join(equal)
        source = f"""(
            select unique_id, {keys} from {rows}
            where ({keys}) in (select ({keys}) from {rows} where {known} group by {keys} having count(*) > 1)
        )"""  # noqa: S608  # nosec B608
        on = " and ".join(f"l.{key} = r.{key}" for key in equal)
        joins.append(f"""
            select {number} as rule, l.unique_id as join_key_l, r.unique_id as join_key_r
            from {source} as l join {source} as r on ({on}) and l.unique_id < r.unique_id
        """)  # noqa: S608  # nosec B608
    # Only constants are interpolated: the rules' column names and FEATURES_TABLE.
    return f"""
        {("with " + ", ".join(lists)) if lists else ""}
        select cast(min(rule) as varchar) as match_key, join_key_l, join_key_r
        from ({" union all ".join(joins)})
        group by join_key_l, join_key_r
    """  # noqa: S608  # nosec B608


def settings(*, term_frequencies: bool = True, probability_two_random_records_match: float = 1e-4):
    """The Splink settings of the model, with the prior m and u values (training overwrites them).

    `term_frequencies` adjusts exact name matches by how common the name is (José López
    weighs less than Xiloj Tzul); off for small registries, whose frequencies are noise."""
    from splink import SettingsCreator

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=_splink_comparisons(term_frequencies=term_frequencies),
        blocking_rules_to_generate_predictions=[blocking_rule(rule) for rule in BLOCKING_RULES],
        probability_two_random_records_match=probability_two_random_records_match,
        retain_matching_columns=True,  # with the gamma_ columns, which give the reasons
        retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=["married"],
        em_convergence=0.001,
        max_iterations=12,
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


# The levels whose conditions the deterministic rule requires (all of them at once).
DETERMINISTIC_LEVELS = {
    "given_names": "same given names",
    "surnames": "same surnames",
    "birth_date": "same birth date",
}


def deterministic_recall(model) -> float | None:
    """P(a pair of one person's records passes the deterministic rule), from the trained m values
    of the levels it requires (taken as independent); None when one is not there."""
    recall = 1.0
    found = 0
    for comparison in model.core_model_settings.comparisons:
        label = DETERMINISTIC_LEVELS.get(comparison.output_column_name)
        for level in comparison.comparison_levels:
            if label is not None and level.label_for_charts == label and level.m_probability:
                recall *= level.m_probability
                found += 1
    return min(max(recall, 1e-4), 1.0) if found == len(DETERMINISTIC_LEVELS) else None


def train(linker, con: duckdb.DuckDBPyConnection, records: int, *, seed: int = SEED) -> dict[str, float]:
    """Training without hand-made labels: the prior by a deterministic rule, u by random sampling,
    m from the records that share an identity number (or, when fewer than MIN_LABELLED_PAIRS pairs
    do, by EM), then the prior corrected by how many duplicates the rule really finds (among those
    records, or from the trained m values). Returns the seconds each step took.

    A registry with (almost) no duplicates makes EM diverge: such a session is undone and its
    comparisons keep their prior m. Splink narrows the linker's own settings while a session runs
    and restores them only when it succeeds, hence the copy kept here.
    """
    from splink import block_on

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
    estimate_u_in_one_pass(linker, con, seed=seed)
    timings["train_u"] = time.perf_counter() - started
    started = time.perf_counter()
    labelled = count_pairs(con, ("national_id",))
    if labelled >= MIN_LABELLED_PAIRS:
        _m_from_identity_numbers(linker, labelled)
        # The prior assumed the deterministic rule finds DETERMINISTIC_RECALL of the duplicates;
        # the records sharing an identity number tell how many it really finds (a registry whose
        # second registrations carry two or three mistakes has few exact copies).
        recall = _deterministic_recall_among_identity_numbers(con)
    else:
        _m_by_expectation_maximisation(linker, con)
        # Without them, the trained m values of the levels the rule requires tell it.
        recall = deterministic_recall(model)
    if recall is not None:
        corrected = model._probability_two_random_records_match * DETERMINISTIC_RECALL / recall
        model._probability_two_random_records_match = min(corrected, 0.5)
    timings["train_m"] = time.perf_counter() - started
    return timings


def estimate_u_in_one_pass(linker, con: duckdb.DuckDBPyConnection, *, seed: int = SEED) -> None:
    """u by random sampling, as Splink's `estimate_u_using_random_sampling` defines it: every pair
    of a sample of records (U_SAMPLE_PAIRS pairs; all the records of a smaller registry) is taken
    for two different people, a level's u is its share of the pairs whose comparison is not
    missing, and a level no pair shows keeps its prior. Two things differ:

    - every comparison is computed in one pass over the pairs. Splink joins the sample to itself
      once per comparison and per chunk (up to 20 times each), on one thread, copying the compared
      columns of a million pairs every time: 2.4 s of this model's 8 at 200 000 records, where
      this takes 1.2 s;
    - every comparison is estimated on all the pairs. Splink stops once each level of a
      comparison has been seen a hundred times, which may be in a first probe of 1 % of the pairs,
      whose right-hand records are a dozen people: the share of pairs of the same sex came out
      0.74 where a registry of 22 % women has 0.66, of the same country 0.29 where it has 0.34.

    The sample is the records whose unique_id hashes lowest with the seed: the same records
    whatever order the table's rows are in."""
    from splink.internals.estimate_u import _rows_needed_for_n_pairs
    from splink.internals.m_u_records_to_parameters import (
        append_u_probability_to_comparison_level_trained_probabilities,
    )

    comparisons = linker._settings_obj.comparisons
    used = {
        column.name: column
        for comparison in comparisons
        for column in comparison._input_columns_used_by_case_statement
    }
    columns = list(used)
    ((records,),) = con.execute(f"select count(*) from {FEATURES_TABLE}").fetchall()  # noqa: S608  # nosec B608
    sample = min(records, math.ceil(_rows_needed_for_n_pairs(U_SAMPLE_PAIRS)))
    pairs = ", ".join(name for column in used.values() for name in column.l_r_names_as_l_r)
    gammas = ", ".join(comparison._case_statement for comparison in comparisons)
    names = [comparison._gamma_column_name for comparison in comparisons]
    # The pairs are made as two numbers each, then joined to the records' columns: DuckDB splits a
    # scan of a million pairs across its threads, not a join of 1,415 records to themselves (one
    # thread: 2.1 s, where this takes 1.2 s). Only constants are interpolated: the model's column
    # names and SQL, FEATURES_TABLE, numbers.
    con.execute(f"""
        create or replace temp table incluye_u_sample as
        select unique_id, {", ".join(columns)} from {FEATURES_TABLE}
        order by hash(unique_id, {int(seed)}), unique_id limit {int(sample)}
    """)  # noqa: S608  # nosec B608
    con.execute("""
        create or replace temp table incluye_u_pairs as
        select l.unique_id as id_l, r.unique_id as id_r
        from incluye_u_sample l join incluye_u_sample r on l.unique_id < r.unique_id
    """)
    try:
        rows = con.execute(f"""
            with vectors as (
                select {gammas} from (
                    select {pairs} from incluye_u_pairs p
                    join incluye_u_sample l on l.unique_id = p.id_l
                    join incluye_u_sample r on r.unique_id = p.id_r
                )
            )
            select {", ".join(f"grouping({name}) = 0" for name in names)}, {", ".join(names)}, count(*)
            from vectors group by grouping sets ({", ".join(f"({name})" for name in names)})
        """).fetchall()  # noqa: S608  # nosec B608
    finally:
        con.execute("drop table if exists incluye_u_pairs")
        con.execute("drop table if exists incluye_u_sample")
    counts: dict[str, dict[int, int]] = {name: {} for name in names}
    for row in rows:
        for index, name in enumerate(names):
            if row[index]:
                counts[name][row[len(names) + index]] = row[-1]
    for comparison in comparisons:
        seen = {value: n for value, n in counts[comparison._gamma_column_name].items() if value != -1}
        total = sum(seen.values())
        lookup = {
            comparison.output_column_name: {value: {"u_probability": n / total} for value, n in seen.items()}
        }
        for level in comparison._comparison_levels_excluding_null:
            append_u_probability_to_comparison_level_trained_probabilities(
                level, lookup, comparison.output_column_name, "estimate u by random sampling"
            )
    linker._populate_m_u_from_trained_values()


def refer_term_frequencies(linker, con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Splink divides a level's u by the frequency of the pair's value (José López weighs less than
    Xiloj Tzul): right for a level that is the same value and nothing more, whose u is the chance
    that two records agree on it. A level that asks for more (the same first surname *and* the
    second one missing) has a u smaller by the chance of that more, and dividing it by the name's
    frequency counted that chance once again: such levels (`tf_narrowed`) are referred to the
    chance that two records agree on the column. Returns those chances, by column."""
    narrowed = {
        (comparison.name, level.label): level.tf_column
        for comparison in COMPARISONS
        for level in comparison.levels
        if level.tf_narrowed and level.tf_column
    }
    agreement: dict[str, float] = {}
    for comparison in linker._settings_obj.comparisons:
        for level in comparison._comparison_levels_excluding_null:
            column = narrowed.get((comparison.output_column_name, level.label_for_charts))
            if column is None or not level._has_tf_adjustments:
                continue
            if column not in agreement:
                # Only constants are interpolated: a column name of COMPARISONS and FEATURES_TABLE.
                ((chance,),) = con.execute(f"""
                    select sum(n * n) / (sum(n) * sum(n))
                    from (select count(*)::double as n from {FEATURES_TABLE} where {column} is not null group by {column})
                """).fetchall()  # noqa: S608  # nosec B608
                agreement[column] = float(chance or 0.0)
            if agreement[column] > 0:
                level._u_probability_corresponding_to_exact_match = lambda _levels, u=agreement[column]: u
    return agreement


def _deterministic_recall_among_identity_numbers(con: duckdb.DuckDBPyConnection) -> float | None:
    """Share of the pairs of records with one identity number that the deterministic rule finds."""
    (rule,) = DETERMINISTIC_RULES
    agree = " and ".join(f"l.{column} = r.{column}" for column in rule)
    # Only constants are interpolated: the rule's column names and FEATURES_TABLE.
    found, pairs = con.execute(f"""
        select count(*) filter (where {agree}), count(*)
        from {FEATURES_TABLE} l join {FEATURES_TABLE} r
          on l.national_id = r.national_id and l.unique_id < r.unique_id
    """).fetchall()[0]  # noqa: S608  # nosec B608
    return min(max(found / pairs, 1e-4), 1.0) if pairs else None


# Comparisons whose m the labelled pairs do not train: the identity number's (every such pair agrees
# on it) and the registering country's (where the person came to register, not who they are: the
# prior, which lets a person on their way through be linked. Learnt from the labels on the harder
# registry, m rose from 0.03 to 0.06: 31 more pairs in the groups, but a second namesake linked).
# Sex and nationality, fixed against EM, are learnt: how often one person's registrations differ in
# them is what this registry's own duplicates say (never, in the benchmark's: then at most three in
# their number, not the prior 0.02 that let Alejandra and Alejandro be one person).
M_NOT_FROM_LABELS = ("national_id", "country")


def _m_from_identity_numbers(linker, pairs: int) -> None:
    """m from the `pairs` pairs of records that share an identity number: (almost) surely one
    person, registered with whatever mistakes a reception desk makes; the identity number's own
    levels and the registering country's keep their prior m (`M_NOT_FROM_LABELS`), and a level none
    of them shows gets at most three in `pairs`."""
    model = linker._settings_obj
    fixed = {}
    for comparison in model.comparisons:
        for level in comparison._comparison_levels_excluding_null:
            fixed[id(level)] = (level, level._fix_m_probability)
            level._fix_m_probability = comparison.output_column_name in M_NOT_FROM_LABELS
    try:
        linker.training.estimate_m_from_label_column("national_id")
    finally:
        for level, was in fixed.values():
            level._fix_m_probability = was
    from splink.internals.constants import LEVEL_NOT_OBSERVED_TEXT

    # A level none of the labelled pairs shows keeps its prior m in Splink; but thousands of one
    # person's registrations that never show it say it is rare among duplicates: at most three in
    # that many (the rule of three), never more than the prior.
    ceiling = 3 / pairs
    for comparison in model.comparisons:
        for level in comparison._comparison_levels_excluding_null:
            trained = level._trained_m_probabilities
            if (
                comparison.output_column_name in M_NOT_FROM_LABELS
                or not trained
                or trained[-1]["probability"] != LEVEL_NOT_OBSERVED_TEXT
            ):
                continue
            level.m_probability = min(level.m_probability, ceiling)


def _m_by_expectation_maximisation(linker, con: duckdb.DuckDBPyConnection) -> None:
    from splink import block_on
    from splink.internals.exceptions import SplinkException

    model = linker._settings_obj
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


# Splink's gamma of a comparison's else level is 0 (-1 when a side is missing).
# Records registered in another country with another nationality are what namesakes look like even
# when every name and the birth date agree (a Guatemalan in Guatemala, a Honduran of the same name in
# Honduras): such a pair is shown, with its probability, but makes no group (`cluster.py`).
MAY_LINK_SQL = "not (gamma_country = 0 and gamma_nationality = 0)"
# Nor does a pair with a different identity number on each side ever corroborate a weak link, nor a
# pair whose surnames have nothing in common (a first name and a birth date close by are no person),
# nor one whose given names have nothing in common ("Nicolás" and "Ronald Mateo Ramírez García",
# born the same day, are brothers as much as one man: on the harder registry such links made one
# group of five records of two people; bench/README.md, ninth round).
MAY_SUPPORT_SQL = (
    f"gamma_national_id <> 0 and {MAY_LINK_SQL} and gamma_surnames <> 0 and gamma_given_names <> 0"
)
# Two records left alone may pair on a weak link only when nothing in it says "another person":
# not namesakes (above), and given names and birth dates known on both sides and alike in part
# (not the else level: "José" and "Miguel Manuel", or 2005-05-10 and 1996-07-27, are someone else).
MAY_PAIR_ALONE_SQL = f"{MAY_SUPPORT_SQL} and gamma_given_names > 0 and gamma_birth_date > 0"
# What a pair's comparisons say (one gamma per comparison): two weak links that say the very same
# thing, to two registrations alike in all they compare, do not corroborate each other.
EVIDENCE_COLUMNS = tuple(f"gamma_{comparison.name}" for comparison in COMPARISONS)


@dataclass
class ScoredPairs:
    """Pairs above the threshold (or the support threshold, when one is given): `table` has
    unique_id_l/_r, match_weight, match_probability, married_l/_r, one gamma_ column per
    comparison, may_link (the pair may join a group: not registered in another country with
    another nationality), may_support (the pair may corroborate a weak link: not two namesakes) and
    may_pair_alone (the pair may join two records left alone: see `MAY_PAIR_ALONE_SQL`)."""

    table: pa.Table
    trained: bool
    timings: dict[str, float] = field(default_factory=dict)  # prepare, train, predict
    # record -> its own two surnames as the model folds them, for the records of the pairs that
    # have both (`cluster_pairs(own_surnames=…)`).
    own_surnames: dict[int, tuple[str, str]] = field(default_factory=dict)
    # record -> its given names (folded, each with the keys of the formal names it may stand for),
    # for the records of the pairs that have two or more (`cluster_pairs(own_given_names=…)`).
    own_given_names: dict[int, tuple[tuple[str, frozenset[str]], ...]] = field(default_factory=dict)
    training_timings: dict[str, float] = field(default_factory=dict)  # train's own steps


def score_pairs(
    records: pa.Table,
    *,
    threshold: float = THRESHOLD,
    support_threshold: float | None = None,
    train_model: bool | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    seed: int = SEED,
    model_json: dict | None = None,
) -> ScoredPairs:
    """Prepare, train (when `train_model`, or by default when the registry is large enough) and
    predict the pairs above `threshold`, or above `support_threshold` when it is lower (the weak
    links that may join groups when corroborated). This is what both the batch job and the
    benchmark run."""
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
    # Splink's validation of the settings (0.3 s of SQL parsing a run) only warns about columns the
    # input lacks: the settings are constants, checked once by the tests instead.
    linker = Linker(people, model_settings, log_level=logging.WARNING, validate_settings=False)
    training_timings = train(linker, con, n, seed=seed) if train_model else {}
    if train_model:
        refer_term_frequencies(linker, con)
    timings["train"] = time.perf_counter() - started
    if model_json is not None:
        model_json.update(linker.misc.save_model_to_json())

    started = time.perf_counter()
    lowest = threshold if support_threshold is None else min(threshold, support_threshold)
    # The blocked pairs are built here (`blocked_pairs_sql`) and handed to Splink, which scores them;
    # its own rules (kept in the saved model) would only carry their keys along with every pair.
    con.execute(f"create or replace table {BLOCKED_PAIRS_TABLE} as {blocked_pairs_sql()}")
    linker._settings_obj._blocking_rules_to_generate_predictions = []
    blocked = linker.table_management.register_blocked_pairs_for_predict(db_api.register(BLOCKED_PAIRS_TABLE))
    # Scored like the pairs of Splink's own blocking: its path for registered pairs first copies
    # every record of a pair twice over (0.6 s of CPU more at 200 000 records).
    blocked.metadata["registered_for_predict"] = False
    predictions = linker.inference.predict(threshold_match_probability=lowest, warning_mode="never")
    columns = ["unique_id_l", "unique_id_r", "match_weight", "match_probability", "married_l", "married_r"]
    columns += list(EVIDENCE_COLUMNS)
    columns.append(f"{MAY_LINK_SQL} as may_link")
    columns.append(f"{MAY_SUPPORT_SQL} as may_support")
    columns.append(f"{MAY_PAIR_ALONE_SQL} as may_pair_alone")
    table = predictions.as_duckdbpyrelation().select(", ".join(columns)).to_arrow_table()
    predictions.drop_table_from_database_and_remove_from_cache()
    con.execute(f"drop table {BLOCKED_PAIRS_TABLE}")
    own_surnames = _own_surnames(con, table)
    own_given_names = _own_given_names(con, table)
    timings["predict"] = time.perf_counter() - started
    return ScoredPairs(
        table=table,
        trained=train_model,
        timings=timings,
        training_timings=training_timings,
        own_surnames=own_surnames,
        own_given_names=own_given_names,
    )


def _own_surnames(con: duckdb.DuckDBPyConnection, pairs: pa.Table) -> dict[int, tuple[str, str]]:
    """The records of `pairs` that have two surnames of their own, with them (folded)."""
    con.register("incluye_scored_pairs", pairs)
    try:
        # Only constants are interpolated: FEATURES_TABLE.
        rows = con.execute(f"""
            select unique_id, fs, ss from {FEATURES_TABLE}
            where fs is not null and ss is not null and unique_id in (
                select unique_id_l from incluye_scored_pairs union select unique_id_r from incluye_scored_pairs
            )
        """).fetchall()  # noqa: S608  # nosec B608
    finally:
        con.unregister("incluye_scored_pairs")
    return {unique_id: (first, second) for unique_id, first, second in rows}


def _own_given_names(
    con: duckdb.DuckDBPyConnection, pairs: pa.Table
) -> dict[int, tuple[tuple[str, frozenset[str]], ...]]:
    """The records of `pairs` that have two given names or more, with them (folded, each with the
    keys of the formal names it may stand for)."""
    con.register("incluye_scored_pairs", pairs)
    try:
        # Only constants are interpolated: FEATURES_TABLE.
        rows = con.execute(f"""
            select unique_id, given from {FEATURES_TABLE}
            where given like '% %' and unique_id in (
                select unique_id_l from incluye_scored_pairs union select unique_id_r from incluye_scored_pairs
            )
        """).fetchall()  # noqa: S608  # nosec B608
    finally:
        con.unregister("incluye_scored_pairs")
    names: dict[str, tuple[tuple[str, frozenset[str]], ...]] = {}
    for _unique_id, given in rows:
        if given not in names:
            names[given] = tuple((token, frozenset(canonical_given(token))) for token in given.split())
    return {unique_id: names[given] for unique_id, given in rows}
