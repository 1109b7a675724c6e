"""Benchmark of the people search (incluye/people/search/): latency and recall@10 at 1 000 000 people.

Two query sets, made by corrupting random real records:

- `--mode harder` (the default): the name alone, no birth date, with one to three corruptions
  at once, drawn from: accents and case dropped, a typo, a spelling that sounds the same (b/v,
  s/z, y/ll, silent h), a nickname, surnames swapped, the second surname missing, the second
  given name missing, a married "de X" added (women), a given name as an initial ("Erick Y.
  Guzmán"), a lost space (two words glued, sometimes with a stray letter: "ÓscarmSantos",
  "DaniaDelmy"), an extra space ("Guz mán"), surnames first, the last word cut while typing.
  The registry itself carries spelling variants (`--spelling-variants`, 3 % of name words by
  default: "Jeovany", "Gonsales"), as real registries do, which makes the vocabulary larger and
  typos more ambiguous. Recall is reported per number of corruptions and per corruption.
- `--mode single`: one corruption of each kind, half of the name queries with the exact birth
  date, plus identity numbers and phones (the figures of the first search issue).

Creates (or reuses, with --db-reuse) a database of N generated people spread over four reception
centers (GT 45 %, SV 20 %, HN 30 %, CR 5 %, as the demo), builds the in-process index (time and
memory), then runs the queries through `search_people` end to end (refresh, in-memory search, the
fetch of the hits by primary key) and prints p50/p95/p99 latency and recall@10 (the corrupted
record is among the first ten results). `--memory` skips the database: the index is fed the
generated records directly and `PeopleIndex.search` is timed (for tuning; the figures are from
the database runs).

    DEBUG=1 .venv/bin/python bench/search.py --people 1000000 [--db-reuse]
    DEBUG=1 scripts/with-postgres.sh .venv/bin/python bench/search.py --people 1000000
    DEBUG=1 .venv/bin/python bench/search.py --people 200000 --memory

Without DATABASE_URL the database is a dedicated SQLite file, /tmp/incluye-bench-search-<variants>.sqlite3
(--db-reuse keeps it between runs; without the flag it is created afresh).
"""

import argparse
import datetime
import gc
import json
import os
import random
import resource
import statistics
import sys
import time
import unicodedata
import uuid
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARES = {"GT": 0.45, "SV": 0.2, "HN": 0.3, "CR": 0.05}


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=1_000_000, help="people in the database")
    parser.add_argument("--queries", type=int, default=3000, help="corrupted queries to run")
    parser.add_argument("--mode", choices=("harder", "single"), default="harder")
    parser.add_argument(
        "--spelling-variants",
        type=float,
        default=None,
        help="share of registered name words spelled another way (default 0.03 harder, 0 single)",
    )
    parser.add_argument("--memory", action="store_true", help="no database: index generated records directly")
    parser.add_argument(
        "--birth-year",
        action="store_true",
        help="harder mode: each query also gives the birth year, as the people page lets the desk type it",
    )
    parser.add_argument("--db-reuse", action="store_true", help="keep the people already in the database")
    parser.add_argument("--create-only", action="store_true", help="create the people and stop")
    parser.add_argument("--seed", type=int, default=7, help="seed of the query sample")
    parser.add_argument(
        "--registry-seed",
        type=int,
        default=2016,
        help="--memory: seed of the generated registry (another seed: people the engine was not tuned on)",
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=10,
        help="hits asked for (recall is still @10); the people page asks for 50 (25 of its own, the rest stubs)",
    )
    parser.add_argument("--misses", type=int, default=40, help="misses to print")
    parser.add_argument(
        "--misses-of",
        choices=("all", "clear", "ambiguous"),
        default="all",
        help="print only the misses of queries whose words fit at most 10 people (clear) or more (ambiguous)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if args.spelling_variants is None:
        args.spelling_variants = 0.03 if args.mode == "harder" else 0.0
    return args


def sqlite_path(variants: float) -> Path:
    return Path(f"/tmp/incluye-bench-search-{round(variants * 1000):03d}.sqlite3")


def setup_django(*, fresh_sqlite: bool, variants: float, memory: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if memory:
        os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
    elif not os.environ.get("DATABASE_URL"):
        path = sqlite_path(variants)
        if fresh_sqlite:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django
    from django.conf import settings

    django.setup()
    # DEBUG=1 gives the development defaults (keys, hosts) the benchmark needs, but production runs
    # with DEBUG off: with it on, Django keeps every query and, on SQLite, asks the database to
    # quote each one's parameters for that log (an extra query per query), time no user waits for.
    settings.DEBUG = False
    if not memory:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def database_label() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def bench_organizations():
    from incluye.accounts.models import Organization
    from incluye.core.models import Country

    organizations = {}
    for code in SHARES:
        organizations[code], _ = Organization.objects.get_or_create(
            country=Country.objects.get(code=code),
            name=f"Benchmark reception center {code}",
            defaults={"kind": "reception_center", "sector": "public"},
        )
    return organizations


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


LETTERS = "abcdefghijklmnopqrstuvwxyz"
SOUND_ALIKE = [("v", "b"), ("b", "v"), ("s", "z"), ("z", "s"), ("ll", "y"), ("y", "ll"), ("c", "s"),
               ("h", ""), ("i", "y"), ("qu", "k"), ("gu", "g")]  # fmt: skip


def typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(len(word))
    operations = ["substitution", "deletion", "insertion"]
    if len(word) > 1 and i < len(word) - 1 and word[i] != word[i + 1]:
        operations.append("transposition")
    match rng.choice(operations):
        case "substitution":
            return word[:i] + rng.choice([c for c in LETTERS if c != word[i].lower()]) + word[i + 1 :]
        case "deletion":
            return word[:i] + word[i + 1 :]
        case "insertion":
            return word[:i] + rng.choice(LETTERS) + word[i:]
        case _:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def sound_alike(word: str, rng: random.Random) -> str | None:
    """The word spelled another way that sounds the same ("Gonzales" -> "Gonsales"), or None."""
    options = [(a, b) for a, b in SOUND_ALIKE if a in word[1:].lower()]
    if not options:
        return None
    a, b = rng.choice(options)
    position = word.lower().index(a, 1)
    return word[:position] + b + word[position + len(a) :]


def spelling_variant(word: str, rng: random.Random) -> str:
    """How a registry misspells a name now and then: sounding alike, or a plain typo."""
    if len(word) < 4:
        return word
    variant = sound_alike(word, rng) if rng.random() < 0.6 else None
    return variant or typo(word, rng)


def make_generator(seed: int, variants: float):
    """incluye.people.generate's generator, with `variants` of the name words misspelled."""
    from incluye.people.generate import PeopleGenerator

    class Generator(PeopleGenerator):
        def _vary(self, name: str) -> str:
            if not variants:
                return name
            return " ".join(
                spelling_variant(part, self.rng) if self.rng.random() < variants else part
                for part in name.split()
            )

        def surname(self, country: str) -> str:
            return self._vary(super().surname(country))

        def given_names(self, sex: str) -> str:
            return self._vary(super().given_names(sex))

    return Generator(seed=seed, today=datetime.date(2026, 6, 1))


def ensure_people(total: int, *, reuse: bool, variants: float) -> float:
    """Create the people that are missing; returns the seconds it took."""
    from incluye.people.models import Person

    organizations = bench_organizations()
    existing = Person.objects.filter(organization__in=organizations.values()).count()
    if existing and not reuse:
        sys.exit(
            f"The database already has {existing} benchmark people: pass --db-reuse, or use a fresh one."
        )
    started = time.perf_counter()
    generator = make_generator(2016 + existing, variants)
    for code, share in SHARES.items():
        org = organizations[code]
        missing = round(total * share) - Person.objects.filter(organization=org).count()
        if missing <= 0:
            continue
        print(f"creating {missing} people for {org} …", flush=True)
        generator.create(
            organization=org,
            count=missing,
            progress=lambda done: done % 100_000 == 0 and print(f"  … {done}", flush=True),
        )
    return time.perf_counter() - started


class MemoryPerson:
    """What the query maker reads of a person, for --memory."""

    def __init__(self, record):
        (self.pk, self.organization_id, self.given_names, self.first_surname, self.second_surname,
         _preferred, self.birth_date, self.birth_date_precision, self.sex, self.phone, *_rest) = record  # fmt: skip


def memory_records(total: int, variants: float, seed: int = 2016):
    """Generated records (tuples of RECORD_FIELDS) and people by pk, without a database: names,
    sex and birth dates drawn as the generator does, updated over the last five years. `seed`
    draws another registry (2016: the one every figure before issue 18's eleventh round used)."""
    generator = make_generator(seed, variants)
    rng = random.Random(99 if seed == 2016 else seed + 1)
    start = datetime.datetime(2021, 6, 1, tzinfo=datetime.UTC)
    records = []
    for code, share in SHARES.items():
        for _ in range(round(total * share)):
            sex = "F" if generator.rng.random() < 0.22 else "M"
            first = generator.surname(code)
            second = generator.surname(code) if generator.rng.random() > 0.06 else ""
            born, precision = generator.birth_date()
            updated = start + datetime.timedelta(seconds=rng.randrange(5 * 365 * 86400))
            pk = uuid.UUID(int=rng.getrandbits(128))
            records.append(
                (
                    pk,
                    code,
                    generator.given_names(sex),
                    first,
                    second,
                    "",
                    born,
                    precision,
                    sex,
                    "",
                    updated,
                    None,
                )
            )
    return records


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- corrupted queries ---------------------------------------------------------------------------
NAMES = json.loads((ROOT / "incluye" / "core" / "data" / "names.json").read_text(encoding="utf-8"))
NICKNAMES = {strip_accents(name).lower(): nicknames for name, nicknames in NAMES["nicknames"].items()}
SURNAMES = [name for name, _ in NAMES["surnames"]["spanish"]]
SINGLE_KINDS = [
    "no accents",
    "lower case",
    "typo",
    "nickname",
    "swapped surnames",
    "no second surname",
    "married (de X)",
    "partial last word",
    "birth day/month swapped",
    "identity number",
    "phone",
]


def spaced_number(number: str, rng: random.Random) -> str:
    separator = rng.choice([" ", "-", ""])
    cuts = sorted(rng.sample(range(1, len(number)), k=min(2, len(number) - 1)))
    parts = [number[i:j] for i, j in zip([0, *cuts], [*cuts, len(number)], strict=True)]
    return separator.join(parts)


def corrupt_single(kind: str, person, documents: list[str], rng: random.Random):
    """(query, birth_date) for a record, or None when the corruption does not apply to it."""
    given = person.given_names.split()
    first = person.first_surname.split()
    second = person.second_surname.split()
    birth = person.birth_date if rng.random() < 0.5 else None
    surnames_first = rng.random() < 0.3

    def name(given=given, first=first, second=second):
        parts = [*first, *second, *given] if surnames_first else [*given, *first, *second]
        return " ".join(parts)

    match kind:
        case "no accents":
            return strip_accents(name()), birth
        case "lower case":
            return name().lower(), birth
        case "typo":
            words = [*given, *first, *second]
            candidates = [i for i, w in enumerate(words) if len(w) >= 3]
            i = rng.choice(candidates)
            words[i] = typo(words[i], rng)
            given, first, second = (
                words[: len(given)],
                words[len(given) : len(given) + len(first)],
                words[len(given) + len(first) :],
            )
            return name(given, first, second), birth
        case "nickname":
            options = [i for i, w in enumerate(given) if strip_accents(w).lower() in NICKNAMES]
            if not options:
                return None
            i = rng.choice(options)
            given = [*given[:i], rng.choice(NICKNAMES[strip_accents(given[i]).lower()]), *given[i + 1 :]]
            return name(given=given), birth
        case "swapped surnames":
            if not second:
                return None
            return name(first=second, second=first), birth
        case "no second surname":
            if not second:
                return None
            return name(second=[]), birth
        case "married (de X)":
            if person.sex != "F":
                return None
            return f"{' '.join([*given, *first, *second])} de {rng.choice(SURNAMES)}", birth
        case "partial last word":
            words = [*given, *first, *second]
            last = words[-1]
            if len(last) < 3:
                return None
            words[-1] = last[: rng.randint(2 if len(last) < 5 else 3, len(last) - 1)]
            return " ".join(words), birth
        case "birth day/month swapped":
            date = person.birth_date
            if not date or person.birth_date_precision != "day" or date.day > 12 or date.day == date.month:
                return None
            return name(), date.replace(month=date.day, day=date.month)
        case "identity number":
            if not documents:
                return None
            return spaced_number(rng.choice(documents), rng), None
        case "phone":
            digits = "".join(c for c in person.phone if c.isdigit())
            if len(digits) < 8:
                return None
            local = digits[-8:]
            return rng.choice([f"{local[:4]} {local[4:]}", f"+{digits[:-8]} {local[:4]}-{local[4:]}"]), None
    raise ValueError(kind)


HARDER_KINDS = [
    "accents and case",
    "typo",
    "sounds alike",
    "nickname",
    "surnames swapped",
    "no second surname",
    "no second given name",
    "married (de X)",
    "initial",
    "lost space",
    "extra space",
    "surnames first",
    "last word cut",
]
STRAY = "mnbvc"  # keys next to the space bar: the space typed as a letter


def harder_query(person, count: int, rng: random.Random) -> tuple[str, list[str], list[str]] | None:
    """The person's name with `count` corruptions at once (name only), which ones, and the
    record's words it still stands for."""
    given = person.given_names.split()
    first = person.first_surname.split()
    second = person.second_surname.split()
    chosen: list[str] = []
    kinds = HARDER_KINDS[:]
    rng.shuffle(kinds)
    for kind in kinds:
        if len(chosen) == count:
            break
        if kind == "nickname" and not any(strip_accents(w).lower() in NICKNAMES for w in given):
            continue
        if kind in ("surnames swapped", "no second surname") and not second:
            continue
        if kind in ("no second surname", "surnames swapped") and (
            {"no second surname", "surnames swapped"} & set(chosen)
        ):
            continue
        if kind in ("no second given name", "initial") and (
            len(given) < 2 or {"no second given name", "initial"} & set(chosen)
        ):
            continue
        if kind == "married (de X)" and person.sex != "F":
            continue
        chosen.append(kind)
    if len(chosen) < count:
        return None
    # Structure first, then words, then the typed string. `kept`: the record's own words the
    # query still stands for (an initial as "x."), to tell how many people it fits.
    kept_given = given[:]
    if "nickname" in chosen:
        options = [i for i, w in enumerate(given) if strip_accents(w).lower() in NICKNAMES]
        i = rng.choice(options)
        given[i] = rng.choice(NICKNAMES[strip_accents(given[i]).lower()])
    if "no second given name" in chosen:
        given, kept_given = given[:1], kept_given[:1]
    if "initial" in chosen:
        i = 1 if rng.random() < 0.75 else 0
        given[i] = given[i][0] + ("." if rng.random() < 0.8 else "")
        kept_given[i] = kept_given[i][0].lower() + "."
    if "surnames swapped" in chosen:
        first, second = second, first
    if "no second surname" in chosen:
        second = []
    kept = [*kept_given, *first, *second]
    words = [*given, *first, *second]
    full = [i for i, w in enumerate(words) if len(w) >= 3 and not w.endswith(".")]
    if "typo" in chosen:
        i = rng.choice(full)
        words[i] = typo(words[i], rng)
    if "sounds alike" in chosen:
        options = [i for i in full if sound_alike(words[i], rng)]
        if not options:
            return None
        i = rng.choice(options)
        words[i] = sound_alike(words[i], rng)
    given, surnames = words[: len(given)], words[len(given) :]
    if "married (de X)" in chosen:
        surnames = [*surnames, "de", rng.choice(SURNAMES)]
    words = [*surnames, *given] if "surnames first" in chosen else [*given, *surnames]
    cut = "last word cut" in chosen
    if cut:  # the officer is still typing the last word
        if len(words[-1]) < 4:
            return None
        words[-1] = words[-1][: rng.randint(3, len(words[-1]) - 1)]
    whole = len(words) - 1 if cut else len(words)  # words that may lose or gain a space
    glued = None
    if "lost space" in chosen:
        pairs = [i for i in range(whole - 1) if len(words[i]) > 2 and len(words[i + 1]) > 2]
        if not pairs:
            return None
        i = rng.choice(pairs)
        style = rng.random()
        glue = rng.choice(STRAY) if style < 0.3 else ""
        right = words[i + 1] if style < 0.7 else words[i + 1].lower()
        words[i : i + 2] = [words[i] + glue + right]
        glued, whole = i, whole - 1
    if "extra space" in chosen:
        long = [i for i in range(whole) if len(words[i]) >= 6 and i != glued]
        if not long:
            return None
        i = rng.choice(long)
        at = rng.randrange(2, len(words[i]) - 1)
        words[i : i + 1] = [words[i][:at], words[i][at:]]
    query = " ".join(words)
    if "accents and case" in chosen:
        query = strip_accents(query)
        query = query.upper() if rng.random() < 0.3 else query.lower()
    return query, chosen, kept


# The birth date of each harder query's person, for --birth-year (the query tuples keep their shape).
BIRTH_OF: dict = {}


def make_harder_queries(pick_people, count: int, seed: int):
    """`count` name-only queries, a third with each number of corruptions (1, 2, 3):
    (kinds, query, the record's words it stands for, person_id)."""
    rng = random.Random(seed)
    queries = []
    for corruptions in (1, 2, 3):
        wanted = count // 3 + (1 if corruptions <= count % 3 else 0)
        made = 0
        while made < wanted:
            for person in pick_people(wanted * 2, rng):
                made_query = harder_query(person, corruptions, rng)
                if made_query and made < wanted:
                    query, kinds, kept = made_query
                    queries.append((kinds, query, kept, person.pk))
                    BIRTH_OF[person.pk] = person.birth_date
                    made += 1
    rng.shuffle(queries)
    return queries


def make_single_queries(pick_people, documents_of, count: int, seed: int):
    """`count` corrupted queries, about as many of each kind: ([kind], query, birth_date, person_id)."""
    rng = random.Random(seed)
    per_kind = -(-count // len(SINGLE_KINDS))
    queries = []
    for kind in SINGLE_KINDS:
        made = rounds = 0
        while made < per_kind and rounds < 20:  # without phones or numbers (--memory), give up
            rounds += 1
            people = pick_people(per_kind * 3, rng)
            documents = documents_of([p.pk for p in people])
            for person in people:
                made_query = corrupt_single(kind, person, documents[person.pk], rng)
                if made_query and made < per_kind:
                    queries.append(([kind], *made_query, person.pk))
                    made += 1
    rng.shuffle(queries)
    return queries[:count]


def people_fitting(index, kept: list[str]) -> int:
    """How many living records carry every one of these words (an initial "x." as the first letter
    of a given name): the people a query made of them cannot tell apart, whatever the engine."""
    from incluye.people.search import name_tokens

    rows = None
    bits = 0
    for word in kept:
        if word.endswith("."):
            bits |= 1 << (ord(word[0]) - ord("a")) if "a" <= word[0] <= "z" else 0
            continue
        for token in name_tokens(word):
            tid = index._token_id.get(token)
            found = index._postings_of_many(np.array([tid] if tid is not None else [], np.int64))
            rows = found if rows is None else np.intersect1d(rows, found, assume_unique=False)
    if rows is None:
        return index.n
    rows = rows[index._cols["alive"][rows]]
    if bits:
        from incluye.people.search.index import FIRST_AT

        given = np.bitwise_or.reduce(index.token_bits()[index._tokens[rows, :FIRST_AT]], axis=1)
        rows = rows[(given & bits) == bits]
    return len(np.unique(rows))


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] if ordered else 0.0


def main():
    args = parse_args()
    setup_django(fresh_sqlite=not args.db_reuse, variants=args.spelling_variants, memory=args.memory)
    from incluye.people import searching
    from incluye.people.search import PeopleIndex

    if args.memory:
        label = "no database (index fed directly)"
        started = time.perf_counter()
        records = memory_records(args.people, args.spelling_variants, args.registry_seed)
        by_pk = {record[0]: MemoryPerson(record) for record in records}
        print(f"{len(records)} records generated in {time.perf_counter() - started:.0f} s", flush=True)
        gc.collect()
        before = rss_mb()
        started = time.perf_counter()
        index = PeopleIndex.from_records(records)
        build_seconds = time.perf_counter() - started
        del records
        people = index.n
        org_ids = list(SHARES)
        pks = list(by_pk)

        def pick_people(count, rng):
            return [by_pk[pks[rng.randrange(len(pks))]] for _ in range(count)]

        def documents_of(pks):
            return defaultdict(list)

        def run(query, birth, limit=10):
            hits = index.search(
                organization_ids=org_ids, query=query, birth_date=birth, limit=limit, birth_precision=known
            )
            return [(index.pk(hit.row), hit.score) for hit in hits]

    else:
        from incluye.people.models import IdentityDocument, Person

        label = database_label()
        print(f"database: {label}", flush=True)
        seconds = ensure_people(args.people, reuse=args.db_reuse, variants=args.spelling_variants)
        organizations = bench_organizations()
        people = Person.objects.filter(organization__in=organizations.values()).count()
        print(f"{people} people ready ({seconds:.0f} s creating)", flush=True)
        if args.create_only:
            return
        gc.collect()
        before = rss_mb()
        started = time.perf_counter()
        index = searching.get_index()
        build_seconds = time.perf_counter() - started
        org_ids = [org.pk for org in organizations.values()]
        alive = index._cols["alive"][: index.n].nonzero()[0]

        def pick_people(count, rng):
            rows = rng.sample(range(len(alive)), k=count)
            pks = [index.pk(int(alive[r])) for r in rows]
            found = Person.objects.in_bulk(pks)
            return [found[pk] for pk in pks]

        def documents_of(pks):
            documents = defaultdict(list)
            for person_id, number in IdentityDocument.objects.filter(person_id__in=pks).values_list(
                "person_id", "number"
            ):
                documents[person_id].append(number)
            return documents

        def run(query, birth, limit=10):
            hits = searching.search_people(
                organization_ids=org_ids, query=query, birth_date=birth, limit=limit, birth_precision=known
            )
            return [(hit.person_id, hit.score) for hit in hits]

    gc.collect()
    after = rss_mb()
    started = time.perf_counter()
    if not args.memory:
        index.refresh()
    first_refresh = time.perf_counter() - started
    print(
        f"index: {index.n} rows, {len(index.vocab)} distinct name words, built in {build_seconds:.1f} s; "
        f"NumPy arrays {index.memory_bytes() / 2**20:.0f} MiB, process RSS +{after - before:.0f} MiB "
        f"({after:.0f} MiB); first refresh {first_refresh * 1000:.0f} ms",
        flush=True,
    )
    if args.mode == "harder":
        queries = make_harder_queries(pick_people, args.queries, args.seed)
    else:
        queries = make_single_queries(pick_people, documents_of, args.queries, args.seed)
    harder = args.mode == "harder"
    known = "year" if args.birth_year else "day"
    for _, query, birth, pk in queries[:20]:  # warm-up, not measured
        run(query, (BIRTH_OF[pk] if args.birth_year else None) if harder else birth)
    results = []
    for kinds, query, birth, pk in queries:
        fitting = None
        if harder:
            fitting = people_fitting(index, birth)
            birth = BIRTH_OF[pk] if args.birth_year else None
        started = time.perf_counter()
        hits = run(query, birth, limit=args.limit)
        elapsed = (time.perf_counter() - started) * 1000
        found = pk in [person_id for person_id, _ in hits[:10]]
        miss = ""
        if not found:
            # Why: 10 or more other records scored at least as high (a tie: the query does not tell
            # them apart), or the record is far down (not in the first 300).
            wide = run(query, birth, limit=300)
            target = next((score for person_id, score in wide if person_id == pk), None)
            if target is None:
                miss = "not in the first 300"
            else:
                rank = 1 + next(i for i, (person_id, _) in enumerate(wide) if person_id == pk)
                same = sum(score == target for person_id, score in wide if person_id != pk)
                miss = f"rank {rank}, score {target}, tied with {same}"
        results.append(
            {
                "kinds": kinds,
                "query": query,
                "birth": birth,
                "ms": elapsed,
                "found": found,
                "miss": miss,
                "target": str(pk),
                "fitting": fitting,
            }
        )
    report(results, args=args, label=label, people=people, index=index, build_seconds=build_seconds)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "database": label,
                    "mode": args.mode,
                    "people": people,
                    "build_seconds": build_seconds,
                    "arrays_mib": index.memory_bytes() / 2**20,
                    "rss_mib": after - before,
                    "first_refresh_ms": first_refresh * 1000,
                    "vocabulary": len(index.vocab),
                    "results": results,
                },
                default=str,
            )
        )


def report(results, *, args, label, people, index, build_seconds):
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{os.cpu_count()} cores, load average {load} (other work on the machine slows the figures)")
    header = f"{'':<28} {'n':>5} {'recall@10':>9} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    variants = f", {args.spelling_variants:.0%} spelling variants in the registry"
    print(
        f"\n{label}, {people} people{variants}, {args.mode} queries: {len(results)}\n{header}\n{'-' * len(header)}"
    )

    def line(name, rows):
        if not rows:
            return
        times = [r["ms"] for r in rows]
        recall = sum(r["found"] for r in rows) / len(rows)
        print(
            f"{name:<28} {len(rows):>5} {recall:>9.3f} {statistics.median(times):>7.1f} "
            f"{percentile(times, 95):>7.1f} {percentile(times, 99):>7.1f}"
        )

    if args.mode == "harder":
        for count in (1, 2, 3):
            line(
                f"{count} corruption{'s' if count > 1 else ''}",
                [r for r in results if len(r["kinds"]) == count],
            )
        print("-" * len(header))
        for kind in HARDER_KINDS:
            line(f"  with {kind}", [r for r in results if kind in r["kinds"]])
    else:
        for kind in SINGLE_KINDS:
            rows = [r for r in results if r["kinds"] == [kind]]
            line(kind, rows)
            if kind not in ("identity number", "phone"):
                line("  … name only", [r for r in rows if not r["birth"]])
    print("-" * len(header))
    line("all", results)
    if args.mode == "harder":
        clear = [r for r in results if r["fitting"] <= 10]
        print("-" * len(header))
        line("  name fits ≤ 10 people", clear)
        line("  name fits > 10 people", [r for r in results if r["fitting"] > 10])
        print(
            f"\n{len(results) - len(clear)} queries ({1 - len(clear) / len(results):.1%}) stand for words that more "
            "than 10 living records carry (e.g. a given name and one surname): no engine can put the one "
            "meant among the first ten except by chance; they rank by recency."
        )
    misses = [r for r in results if not r["found"]]
    if args.misses_of != "all" and args.mode == "harder":
        clear_misses = args.misses_of == "clear"
        misses = [r for r in misses if (r["fitting"] <= 10) == clear_misses]
    print(
        f"\nmisses{'' if args.misses_of == 'all' else ' (' + args.misses_of + ' queries)'}: {len(misses)} "
        "(rank among the first 300 results, and how many others had the same score)"
    )
    for miss in misses[: args.misses]:
        birth = f" + {miss['birth']}" if miss["birth"] else ""
        fits = f" (name fits {miss['fitting']})" if miss.get("fitting") is not None else ""
        print(f"  {'+'.join(miss['kinds']):<40} {miss['query'] + birth:<45} {miss['miss']}{fits}")


if __name__ == "__main__":
    main()
