"""Stage 2 of the duplicate search: the registry as a DuckDB table of features (plain Python).

The raw records (`RAW_SCHEMA`, an Arrow table whose `unique_id` is a row number: integers join
faster than UUIDs) get their name features computed in Python once per distinct value, joined back
in DuckDB; the birth date gets a day/month-swapped variant; phones keep their last 8 digits; the
registering country and the nationality are kept as they are. A million people take seconds.
"""

from __future__ import annotations

import os
import tempfile
from operator import itemgetter
from pathlib import Path

import duckdb
import pyarrow as pa

from incluye.people.duplicates.normalize import given_features, surname_features

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
        ("country", pa.string()),  # of the organization that registered the person
        ("nationality", pa.string()),
    ]
)


_GIVEN_SCHEMA = pa.schema(
    [
        ("raw_given", pa.string()),
        ("given", pa.string()),
        ("given1", pa.string()),
        ("given1_canon", pa.list_(pa.string())),
        ("given_canon", pa.list_(pa.string())),
        ("given_key", pa.string()),
        ("given1_mask", pa.int64()),
        ("given_mask", pa.int64()),
    ]
)
_SURNAME_SCHEMA = pa.schema(
    [("raw_first", pa.string()), ("raw_second", pa.string())]
    + [(name, pa.string()) for name in ("fs", "ss", "married", "fs_ph", "ss_ph", "surname_pair", "surnames")]
)


FEATURES_TABLE = "incluye_people"


def _feature_table(raw: list[list], features: list[dict], schema: pa.Schema) -> pa.Table:
    """The raw values (the schema's first columns) and their features (the rest, by name) as an
    Arrow table built column by column: twice as fast as from a list of rows."""
    names = schema.names[len(raw) :]
    columns = raw + (
        [list(column) for column in zip(*map(itemgetter(*names), features), strict=True)]
        if features
        else [[] for _ in names]
    )
    return pa.Table.from_arrays(
        [pa.array(column, type=field.type) for column, field in zip(columns, schema, strict=True)],
        schema=schema,
    )


def prepare_features(con: duckdb.DuckDBPyConnection, records: pa.Table) -> None:
    """Create FEATURES_TABLE in `con` with the model's features for `records` (`RAW_SCHEMA`).

    Name features are computed in Python once per distinct value, then joined back in DuckDB.
    """
    con.register("incluye_raw", records)
    given_values = con.sql("select distinct coalesce(given_names, '') as v from incluye_raw").to_arrow_table()
    given = given_values.column("v").to_pylist()
    features = [given_features(v) for v in given]
    con.register("incluye_given_map", _feature_table([given], features, _GIVEN_SCHEMA))
    surname_values = con.sql(
        "select distinct coalesce(first_surname, '') as a, coalesce(second_surname, '') as b from incluye_raw"
    ).to_arrow_table()
    first, second = surname_values.column("a").to_pylist(), surname_values.column("b").to_pylist()
    features = [surname_features(a, b) for a, b in zip(first, second, strict=True)]
    con.register("incluye_surname_map", _feature_table([first, second], features, _SURNAME_SCHEMA))
    # The only interpolated name is FEATURES_TABLE, a constant.
    con.execute(f"""
        create or replace table {FEATURES_TABLE} as
        with base as (
            select r.*, case when r.birth_date_precision = 'day' then r.birth_date end as day_date
            from incluye_raw r
        )
        select
            r.unique_id,
            g.given, g.given1, g.given1_canon, g.given_canon, g.given_key, g.given1_mask, g.given_mask,
            left(g.given_key, 1) as given_initial,
            left(g.given_key, 3) as given_prefix,
            s.fs, s.ss, s.married, s.fs_ph, s.ss_ph, s.surname_pair, s.surnames,
            left(s.fs_ph, 1) as fs_initial,
            left(s.fs_ph, 3) as fs_prefix,
            -- The initials of both surnames in either order: they survive a swap and most typos.
            case when s.ss_ph is not null
                 then least(left(s.fs_ph, 1), left(s.ss_ph, 1)) || greatest(left(s.fs_ph, 1), left(s.ss_ph, 1))
            end as surname_initials,
            r.day_date as dob,
            case when day(r.day_date) <= 12 and day(r.day_date) <> month(r.day_date)
                 then make_date(year(r.day_date), day(r.day_date), month(r.day_date)) end as dob_swapped,
            -- Day and month in either order: a date with them swapped gets the same key.
            year(r.day_date) * 10000 + least(month(r.day_date), day(r.day_date)) * 100
                + greatest(month(r.day_date), day(r.day_date)) as dob_sorted,
            strftime(r.day_date, '%Y%m%d') as dob_text,
            strftime(r.day_date, '%m%d') as dob_day,
            strftime(r.day_date, '%Y%m') as dob_month,
            year(r.birth_date) as birth_year,
            -- Only the year known: the keys made of day and month are missing, this one stands in.
            case when r.day_date is null then year(r.birth_date) end as birth_year_only,
            nullif(nullif(r.sex, 'X'), '') as sex,
            nullif(upper(regexp_replace(r.national_id, '[^0-9A-Za-z]', '', 'g')), '') as national_id,
            nullif(right(regexp_replace(coalesce(r.phone, ''), '[^0-9]', '', 'g'), 8), '') as phone8,
            r.residence_id,
            nullif(r.country, '') as country,
            nullif(r.nationality, '') as nationality
        from base r
        join incluye_given_map g on g.raw_given = coalesce(r.given_names, '')
        join incluye_surname_map s
          on s.raw_first = coalesce(r.first_surname, '') and s.raw_second = coalesce(r.second_surname, '')
    """)  # noqa: S608  # nosec B608
    for view in ("incluye_raw", "incluye_given_map", "incluye_surname_map"):
        con.unregister(view)


# -- the model -----------------------------------------------------------------------------------


def duckdb_connection(threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that spills to the system's temporary folder, not the working one."""
    con = duckdb.connect(":memory:")
    spill = Path(tempfile.gettempdir()) / f"incluye-duckdb-{os.getpid()}"
    con.execute(f"set temp_directory = '{spill}'")
    con.execute("set preserve_insertion_order = false")
    if threads:
        con.execute(f"set threads = {int(threads)}")
    return con
