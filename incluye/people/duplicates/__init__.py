"""Batch search for people registered more than once: Splink (Fellegi-Sunter) on DuckDB, then
groups of records of one person. Plain Python, in the order the job runs:

1. `normalize`: names as features (folded, phonetic, nicknames, married names);
2. `prepare`: the registry as a DuckDB table of features;
3. `model`: comparisons (names, birth date, identity number, phone, sex, municipality, country,
   nationality), blocking, unsupervised training, prediction of pairs above a threshold;
4. `cluster`: the pairs become groups (connected components that never join two identity
   numbers, or two records reviewed as different people; a weaker link joins a group only when
   another one corroborates it, or two records left alone when it is the only link either has),
   each with a score;
5. `explain`: the reasons, translated when shown.

The database side (which records: an organization's, or a whole country's; writing the groups
for review; the nightly and on-demand runs) is `incluye.people.deduplication`.
"""

from incluye.people.duplicates.cluster import Cluster, cluster_pairs
from incluye.people.duplicates.explain import describe, group_reasons, pair_reasons
from incluye.people.duplicates.model import (
    BLOCKING_RULES,
    COMPARISONS,
    DETERMINISTIC_RECALL,
    DETERMINISTIC_RULES,
    EM_MAX_PAIRS,
    EVIDENCE_COLUMNS,
    LONE_THRESHOLD,
    MIN_RECORDS_TO_TRAIN,
    SEED,
    SUPPORT_THRESHOLD,
    THRESHOLD,
    TRAINING_RULES,
    U_SAMPLE_PAIRS,
    ScoredPairs,
    count_pairs,
    score_pairs,
    settings,
    train,
)
from incluye.people.duplicates.normalize import (
    canonical_given,
    given_features,
    spanish_phonetic,
    split_married,
    surname_features,
)
from incluye.people.duplicates.prepare import FEATURES_TABLE, RAW_SCHEMA, duckdb_connection, prepare_features

__all__ = [
    "BLOCKING_RULES",
    "COMPARISONS",
    "DETERMINISTIC_RECALL",
    "DETERMINISTIC_RULES",
    "EM_MAX_PAIRS",
    "EVIDENCE_COLUMNS",
    "FEATURES_TABLE",
    "LONE_THRESHOLD",
    "MIN_RECORDS_TO_TRAIN",
    "RAW_SCHEMA",
    "SEED",
    "SUPPORT_THRESHOLD",
    "THRESHOLD",
    "TRAINING_RULES",
    "U_SAMPLE_PAIRS",
    "Cluster",
    "ScoredPairs",
    "canonical_given",
    "cluster_pairs",
    "count_pairs",
    "describe",
    "duckdb_connection",
    "given_features",
    "group_reasons",
    "pair_reasons",
    "prepare_features",
    "score_pairs",
    "settings",
    "spanish_phonetic",
    "split_married",
    "surname_features",
    "train",
]
