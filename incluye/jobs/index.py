"""The matching engine fed from the database: one index per process (`get_index()`), built in bulk
from `values_list` rows (never model instances) and refreshed at every query:

- the rows changed since the last refresh (with an overlap window, so a transaction that committed
  late is not missed) are reloaded: signed skills profiles, consents, work history (licences,
  English), availability, people (residence) and vacancies; services of this app also name the
  rows they changed (`mark_dirty`);
- a person is in the candidate pool only with a signed skills profile and a given, unexpired
  consent to the purpose "profile shown to employers" (the latest decision counts); they are matched
  only on the days they may work (work authorization: by nationality, or by migration status and
  documents — `incluye.people.authorization`); a change of status or document, or a new day after
  a period lapsed, reloads them;
- a new standard or unit of competence changes the vocabularies: the index is rebuilt.

The index only proposes: every result is fetched again from the database with the same rules
(consent, open vacancy, the caller's scope), so a stale index can never show what it should not.

Certified units are an optional signal: `INCLUYE_CERTIFIED_UNITS` names a function
`(person_ids | None) -> {person_id: [unit_id, ...]}` (None: everyone); by default
`incluye.certification.selectors.certified_units_by_person` when that exists, else none.
"""

from __future__ import annotations

import datetime
import threading
from collections import defaultdict

import numpy as np
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from incluye.jobs import matching as m
from incluye.jobs.models import Availability, Schedule, Vacancy, VacancyStatus
from incluye.people.authorization import period_for
from incluye.people.models import Consent, ConsentPurpose, Person
from incluye.people.selectors import people_whose_authorization_changed, work_periods_by_person
from incluye.skills.models import (
    CompetencyStandard,
    CompetencyUnit,
    EnglishLevel,
    Licence,
    Occupation,
    OccupationSkill,
    ProfileOccupation,
    ProfileStatus,
    SkillsProfile,
    System,
    WorkExperience,
)

# The consent that lets employers see a person's (anonymized) profile.
EMPLOYER_SHARING = ConsentPurpose.EMPLOYER_PROFILE
ENGLISH = {level: i for i, level in enumerate(EnglishLevel.values)}
SCHEDULE_BITS = {value: 1 << i for i, value in enumerate(Schedule.values)}
OVERLAP = datetime.timedelta(seconds=5)
CHUNK = 500


def schedule_mask(values) -> int:
    return sum(SCHEDULE_BITS.get(v, 0) for v in set(values or ()))


def today_number() -> int:
    return timezone.localdate().toordinal()


def certified_units(person_ids=None) -> dict:
    path = getattr(settings, "INCLUYE_CERTIFIED_UNITS", None)
    if path is None:
        try:
            provider = import_string("incluye.certification.selectors.certified_units_by_person")
        except ImportError:
            return {}
    else:
        provider = import_string(path)
    return provider(person_ids)


def _chunks(ids):
    ids = list(ids)
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


class Vocabulary:
    """Database keys ↔ engine indices, and the taxonomy the engine needs."""

    def __init__(self):
        occupations = list(Occupation.objects.filter(system=System.ONET).values_list("pk", "code", "isco"))
        self.occ = {pk: i for i, (pk, _c, _i) in enumerate(occupations)}
        self.occ_keys = [pk for pk, _c, _i in occupations]
        iscos = sorted({isco for _pk, _c, isco in occupations if isco})
        self.isco = {code: i for i, code in enumerate(iscos)}
        self.isco_keys = iscos
        self.skill = {
            pk: i
            for i, pk in enumerate(OccupationSkill.objects.values_list("skill_id", flat=True).distinct())
        }
        self.skill_keys = list(self.skill)
        self.lic = {code: i for i, code in enumerate(Licence.values)}
        self.lic_keys = list(Licence.values)
        standards = list(CompetencyStandard.objects.filter(active=True).values_list("pk", "isco", "soc"))
        self.std = {pk: i for i, (pk, _i, _s) in enumerate(standards)}
        self.std_keys = [pk for pk, _i, _s in standards]
        units = list(CompetencyUnit.objects.filter(standard__active=True).values_list("pk", "standard_id"))
        self.unit = {pk: i for i, (pk, _s) in enumerate(units)}
        self.unit_keys = [pk for pk, _s in units]
        self.countries: dict = {}
        occ_isco = np.array([self.isco.get(isco, -1) for _pk, _c, isco in occupations], np.int32)
        links = list(
            OccupationSkill.objects.filter(occupation_id__in=self.occ).values_list(
                "occupation_id", "skill_id"
            )
        )
        occ_skill = m._coo(
            [self.occ[o] for o, _s in links],
            [self.skill[s] for _o, s in links],
            len(self.occ),
            len(self.skill),
        )
        occ_skill.data[:] = 1
        rows, cols = [], []
        by_soc, by_isco = defaultdict(list), defaultdict(list)
        for i, (_pk, code, isco) in enumerate(occupations):
            by_soc[code[:7]].append(i)
            if isco:
                by_isco[isco].append(i)
        for j, (_pk, isco, socs) in enumerate(standards):
            recognised = {*(i for soc in socs or () for i in by_soc.get(soc, ())), *by_isco.get(isco, ())}
            rows += list(recognised)
            cols += [j] * len(recognised)
        occ_std = m._coo(rows, cols, len(self.occ), len(self.std))
        occ_std.data[:] = 1
        self.taxonomy = m.Taxonomy(
            n_occ=len(self.occ),
            n_isco=len(self.isco),
            n_skill=len(self.skill),
            n_lic=len(self.lic),
            n_std=len(self.std),
            n_unit=len(self.unit),
            occ_isco=occ_isco,
            occ_skill=occ_skill.tocsr(),
            occ_std=occ_std.tocsr(),
            unit_std=np.array([self.std[s] for _pk, s in units], np.int32),
        )
        self.fingerprint = standards_fingerprint()

    def country(self, code) -> int:
        return self.countries.setdefault(code, len(self.countries))


def standards_fingerprint():
    from django.db.models import Count, Max

    return (
        CompetencyStandard.objects.aggregate(n=Count("pk"), at=Max("updated_at")),
        CompetencyUnit.objects.count(),
    )


class UnknownKey(Exception):
    """A row names an occupation, skill or unit the vocabulary does not know: rebuild."""


class JobsIndex:
    def __init__(self):
        self.lock = threading.RLock()
        self.vocab: Vocabulary | None = None
        self.engine: m.Engine | None = None
        self.seen_at = None
        self.seen_on = None
        self.dirty_people: set = set()
        self.dirty_vacancies: set = set()

    # -- loading -----------------------------------------------------------------------------

    def build(self):
        with self.lock:
            started = timezone.now()
            self.vocab = Vocabulary()
            self.engine = m.Engine(self.vocab.taxonomy)
            pool = self._pool()
            if pool:
                self.engine.upsert_people(self._people_batch(pool), bulk=True)
            vacancies = list(self._open_vacancies())
            if vacancies:
                self.engine.upsert_vacancies(self._vacancy_batch(vacancies), bulk=True)
            self.seen_at = started
            self.seen_on = timezone.localdate()
            self.dirty_people.clear()
            self.dirty_vacancies.clear()

    def _pool(self, person_ids=None) -> list:
        """People with a signed profile and a given, unexpired employer-sharing consent."""
        today = timezone.localdate()
        consents = Consent.objects.filter(purpose=EMPLOYER_SHARING)
        signed = SkillsProfile.objects.filter(status=ProfileStatus.SIGNED, person__merged_into__isnull=True)
        if person_ids is not None:
            consents = consents.filter(person_id__in=person_ids)
            signed = signed.filter(person_id__in=person_ids)
        latest = {}
        for person_id, given, expires in consents.order_by("recorded_at", "id").values_list(
            "person_id", "given", "expires_on"
        ):
            latest[person_id] = given and (expires is None or expires >= today)
        with_profile = set(signed.values_list("person_id", flat=True))
        return [pk for pk in with_profile if latest.get(pk)]

    def _people_batch(self, ids) -> m.PeopleBatch:
        ids = list(ids)
        row = {pk: i for i, pk in enumerate(ids)}
        n = len(ids)
        vocab = self.vocab
        english = np.zeros(n, np.int8)
        municipality = np.full(n, -1, np.int32)
        department = np.full(n, -1, np.int32)
        country = np.zeros(n, np.int16)
        available = np.zeros(n, np.int32)
        schedules = np.zeros(n, np.uint8)
        authorized_from = np.full(n, m.NEVER, np.int32)  # no authorization known: never
        authorized_until = np.zeros(n, np.int32)
        today = timezone.localdate()
        occ_rows, occ_cols, occ_years, lic_rows, lic_cols, unit_rows, unit_cols = [], [], [], [], [], [], []
        for chunk in _chunks(ids):
            for pk, residence, parent, country_code in Person.objects.filter(pk__in=chunk).values_list(
                "pk", "residence_id", "residence__parent_id", "organization__country_id"
            ):
                i = row[pk]
                municipality[i] = residence if residence is not None else -1
                department[i] = parent if parent is not None else -1
                country[i] = vocab.country(country_code)
            latest = {}
            for person_id, profile_id in (
                SkillsProfile.objects.filter(person_id__in=chunk, status=ProfileStatus.SIGNED)
                .order_by("signed_at", "created_at")
                .values_list("person_id", "pk")
            ):
                latest[person_id] = profile_id
            for person_id, occupation_id, years in ProfileOccupation.objects.filter(
                profile_id__in=list(latest.values())
            ).values_list("profile__person_id", "occupation_id", "years"):
                if occupation_id not in vocab.occ:
                    raise UnknownKey(occupation_id)
                occ_rows.append(row[person_id])
                occ_cols.append(vocab.occ[occupation_id])
                occ_years.append(float(years))
            for person_id, licences, level in WorkExperience.objects.filter(person_id__in=chunk).values_list(
                "person_id", "licences", "english_level"
            ):
                i = row[person_id]
                english[i] = max(english[i], ENGLISH.get(level, 0))
                for code in licences or ():
                    if code in vocab.lic:
                        lic_rows.append(i)
                        lic_cols.append(vocab.lic[code])
            for person_id, since, wanted, looking in Availability.objects.filter(
                person_id__in=chunk
            ).values_list("person_id", "available_from", "schedules", "looking_for_work"):
                i = row[person_id]
                available[i] = (since.toordinal() if since else 0) if looking else m.NEVER
                schedules[i] = schedule_mask(wanted)
            for person_id, periods in work_periods_by_person(chunk).items():
                period = period_for(periods, today)
                if period is not None:
                    i = row[person_id]
                    authorized_from[i] = period.start.toordinal() if period.start else m.ALWAYS
                    authorized_until[i] = period.end.toordinal() if period.end else m.NEVER
            for person_id, units in certified_units(chunk).items():
                for unit in units:
                    if unit in vocab.unit and person_id in row:
                        unit_rows.append(row[person_id])
                        unit_cols.append(vocab.unit[unit])
        return m.PeopleBatch(
            ids=ids,
            occ_rows=np.array(occ_rows, np.int64),
            occ_cols=np.array(occ_cols, np.int64),
            occ_years=np.array(occ_years, np.float32),
            lic_rows=np.array(lic_rows, np.int64),
            lic_cols=np.array(lic_cols, np.int64),
            english=english,
            municipality=municipality,
            department=department,
            country=country,
            available_from=available,
            schedules=schedules,
            unit_rows=np.array(unit_rows, np.int64),
            unit_cols=np.array(unit_cols, np.int64),
            authorized_from=authorized_from,
            authorized_until=authorized_until,
        )

    def _open_vacancies(self, ids=None):
        qs = Vacancy.objects.filter(status=VacancyStatus.OPEN).exclude(closes_on__lt=timezone.localdate())
        if ids is not None:
            qs = qs.filter(pk__in=ids)
        return qs.values_list(
            "pk",
            "occupation_id",
            "min_years",
            "required_licences",
            "desired_licences",
            "english_level",
            "municipality_id",
            "municipality__parent_id",
            "employer__country_id",
            "schedule",
        )

    def _vacancy_batch(self, rows) -> m.VacancyBatch:
        vocab = self.vocab
        ids = [r[0] for r in rows]
        index = {pk: i for i, pk in enumerate(ids)}
        pairs = defaultdict(lambda: ([], []))

        def add(kind, i, j):
            pairs[kind][0].append(i)
            pairs[kind][1].append(j)

        occupation = np.zeros(len(rows), np.int32)
        for i, (_pk, occ, _y, req_lic, des_lic, *_rest) in enumerate(rows):
            if occ not in vocab.occ:
                raise UnknownKey(occ)
            occupation[i] = vocab.occ[occ]
            for code in req_lic or ():
                if code in vocab.lic:
                    add("req_lic", i, vocab.lic[code])
            for code in des_lic or ():
                if code in vocab.lic:
                    add("des_lic", i, vocab.lic[code])
        through = {
            "req_skill": (Vacancy.required_skills.through, "skill_id", vocab.skill),
            "des_skill": (Vacancy.desired_skills.through, "skill_id", vocab.skill),
            "req_std": (Vacancy.required_standards.through, "competencystandard_id", vocab.std),
            "des_std": (Vacancy.desired_standards.through, "competencystandard_id", vocab.std),
        }
        for kind, (model, column, keys) in through.items():
            for chunk in _chunks(ids):
                for vacancy_id, key in model.objects.filter(vacancy_id__in=chunk).values_list(
                    "vacancy_id", column
                ):
                    if key in keys:
                        add(kind, index[vacancy_id], keys[key])
                    elif kind.endswith("std"):
                        raise UnknownKey(key)

        def arrays(kind):
            r, c = pairs[kind]
            return np.array(r, np.int64), np.array(c, np.int64)

        req_skill, des_skill, req_lic, des_lic = (
            arrays(k) for k in ("req_skill", "des_skill", "req_lic", "des_lic")
        )
        req_std, des_std = arrays("req_std"), arrays("des_std")
        return m.VacancyBatch(
            ids=ids,
            occupation=occupation,
            min_years=np.array([r[2] for r in rows], np.float32),
            req_skill_rows=req_skill[0],
            req_skill_cols=req_skill[1],
            des_skill_rows=des_skill[0],
            des_skill_cols=des_skill[1],
            req_lic_rows=req_lic[0],
            req_lic_cols=req_lic[1],
            des_lic_rows=des_lic[0],
            des_lic_cols=des_lic[1],
            req_std_rows=req_std[0],
            req_std_cols=req_std[1],
            des_std_rows=des_std[0],
            des_std_cols=des_std[1],
            english=np.array([ENGLISH.get(r[5], 0) for r in rows], np.int8),
            municipality=np.array([r[6] if r[6] is not None else -1 for r in rows], np.int32),
            department=np.array([r[7] if r[7] is not None else -1 for r in rows], np.int32),
            country=np.array([vocab.country(r[8]) for r in rows], np.int16),
            schedule=np.array([SCHEDULE_BITS.get(r[9], 0) for r in rows], np.uint8),
            open=np.ones(len(rows), bool),
        )

    # -- refresh -----------------------------------------------------------------------------

    def mark_dirty(self, *, people=(), vacancies=()):
        with self.lock:
            self.dirty_people.update(people)
            self.dirty_vacancies.update(vacancies)

    def refresh(self):
        with self.lock:
            if self.engine is None or standards_fingerprint() != self.vocab.fingerprint:
                return self.build()
            now = timezone.now()
            since = self.seen_at - OVERLAP
            people = set(self.dirty_people)
            people |= set(
                SkillsProfile.objects.filter(updated_at__gte=since).values_list("person_id", flat=True)
            )
            people |= set(
                Consent.objects.filter(purpose=EMPLOYER_SHARING, recorded_at__gte=since).values_list(
                    "person_id", flat=True
                )
            )
            people |= set(
                WorkExperience.objects.filter(updated_at__gte=since).values_list("person_id", flat=True)
            )
            people |= set(
                Availability.objects.filter(updated_at__gte=since).values_list("person_id", flat=True)
            )
            people |= set(Person.objects.filter(updated_at__gte=since).values_list("pk", flat=True))
            people |= people_whose_authorization_changed(since=since)
            if self.seen_on != timezone.localdate():  # a new day: authorizations may have lapsed
                people |= set(self.engine.authorization_lapsed(today_number()))
            vacancies = set(self.dirty_vacancies)
            vacancies |= set(Vacancy.objects.filter(updated_at__gte=since).values_list("pk", flat=True))
            try:
                if people:
                    pool = self._pool(people)
                    self.engine.remove_people(people - set(pool))
                    if pool:
                        self.engine.upsert_people(self._people_batch(pool))
                if vacancies:
                    rows = list(self._open_vacancies(vacancies))
                    self.engine.remove_vacancies(vacancies - {r[0] for r in rows})
                    if rows:
                        self.engine.upsert_vacancies(self._vacancy_batch(rows))
            except UnknownKey:
                return self.build()
            self.seen_at = now
            self.seen_on = timezone.localdate()
            self.dirty_people -= people
            self.dirty_vacancies -= vacancies

    # -- queries -----------------------------------------------------------------------------

    def vacancies_for_person(self, person, *, k=20) -> list[m.Match]:
        """Open vacancies for a person (in the pool or not: a caseworker may look before consent)."""
        self.refresh()
        with self.lock:
            engine = self.engine
            if person.pk in engine.people.row_of:
                return engine.vacancies_for_person(person.pk, k=k, today=today_number())
            try:
                batch = self._people_batch([person.pk])
            except UnknownKey:
                return []
            if not len(batch.occ_rows):
                return []
            row = m.encode_people(engine.tax, batch)
            attrs = {name: getattr(batch, name)[0] for name, _ in m.PeopleSide.DENSE}
            return engine.vacancies_for_person(None, k=k, today=today_number(), query=(row, attrs))

    def people_for_vacancy(self, vacancy, *, k=50, exclude=()) -> list[m.Match]:
        self.refresh()
        with self.lock:
            return self.engine.people_for_vacancy(vacancy.pk, k=k, today=today_number(), exclude=exclude)

    def describe(self, reasons: list) -> list[dict]:
        """The engine's reasons with the database keys of the columns."""
        vocab = self.vocab
        keys = {
            "occ": vocab.occ_keys,
            "isco": vocab.isco_keys,
            "skill": vocab.skill_keys,
            "lic": vocab.lic_keys,
            "std": vocab.std_keys,
            "unit": vocab.unit_keys,
        }
        out = []
        for reason in reasons:
            block, columns = reason["block"], reason["columns"]
            if block == "yrs":
                steps = len(m.YEAR_STEPS)
                items = [(vocab.occ_keys[c // steps], float(m.YEAR_STEPS[c % steps])) for c in columns]
            elif block in keys:
                items = [keys[block][c] for c in columns]
            else:
                items = []
            out.append({"block": block, "points": round(reason["points"], 1), "items": items})
        return out


_index: JobsIndex | None = None
_index_lock = threading.Lock()


def get_index() -> JobsIndex:
    global _index
    with _index_lock:
        if _index is None:
            _index = JobsIndex()
        return _index


def reset_index() -> None:
    global _index
    with _index_lock:
        _index = None


def mark_dirty(*, people=(), vacancies=()) -> None:
    get_index().mark_dirty(people=people, vacancies=vacancies)
