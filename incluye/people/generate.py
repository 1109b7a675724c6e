"""Synthetic participants for the demo and for benchmarks: realistic Central American names
(one or two given names, two surnames, Maya, Garífuna and Lenca surnames, accents), valid national
identity numbers, phones and municipalities of each country. Nothing here is a real person."""

import datetime
import random
from functools import lru_cache
from itertools import accumulate

import phonenumbers
from django.db import transaction
from django.utils import timezone
from phonenumbers import PhoneNumberType

from incluye.core.identity import dpi_check_digit, dui_check_digit
from incluye.core.models import Division, IdDocumentType
from incluye.core.names import NAMES
from incluye.people.models import DatePrecision, IdentityDocument, Person, Sex

CALLING_CODES = {"GT": "502", "SV": "503", "HN": "504", "CR": "506"}


@lru_cache(maxsize=8)
def mobile_prefixes(country: str) -> tuple[str, ...]:
    """Two-digit prefixes of 8-digit numbers that libphonenumber takes as mobiles of `country`."""
    rng = random.Random(0)  # nosec B311
    prefixes = []
    for prefix in range(10, 100):
        samples = [f"+{CALLING_CODES[country]}{prefix}{rng.randrange(10**6):06d}" for _ in range(8)]
        if all(
            phonenumbers.number_type(phonenumbers.parse(n))
            in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
            for n in samples
        ):
            prefixes.append(str(prefix))
    return tuple(prefixes)


# Share of Maya and of Garífuna/Lenca surnames among each country's participants (demo realism).
INDIGENOUS_SHARE = {"GT": (0.35, 0.0), "SV": (0.0, 0.05), "HN": (0.0, 0.12), "CR": (0.0, 0.0)}


class _Weighted:
    def __init__(self, pairs):
        self.values = [v for v, _ in pairs]
        self.cum = list(accumulate(w for _, w in pairs))

    def pick(self, rng: random.Random) -> str:
        return rng.choices(self.values, cum_weights=self.cum)[0]


FEMALE = _Weighted(NAMES["given_names"]["female"])
MALE = _Weighted(NAMES["given_names"]["male"])
SPANISH = _Weighted(NAMES["surnames"]["spanish"])
MAYA = _Weighted(NAMES["surnames"]["maya"])
LENCA_GARIFUNA = _Weighted(NAMES["surnames"]["lenca_garifuna"])
INDIGENOUS_SURNAMES = {name for name, _ in NAMES["surnames"]["maya"] + NAMES["surnames"]["lenca_garifuna"]}

# Languages spoken besides Spanish (demo realism): a country's own languages, likelier where the
# surname is Maya, Lenca or Garífuna, and English, which many returnees learned at work abroad.
OWN_LANGUAGES = {
    "GT": _Weighted(
        [("quc", 30), ("mam", 20), ("kek", 15), ("cak", 12), ("kjb", 10), ("ixl", 5), ("tzj", 4), ("cac", 4)]
    ),
    "HN": _Weighted([("cab", 6), ("miq", 3), ("len", 1)]),
    "SV": _Weighted([("ppl", 1)]),
    "CR": _Weighted([("gym", 3), ("bzd", 1), ("cjp", 1)]),
}
OWN_LANGUAGE_SHARE = (0.03, 0.6)  # surname Spanish, surname indigenous
ENGLISH_SHARE = 0.3


class PeopleGenerator:
    def __init__(self, *, seed: int = 2016, today: datetime.date | None = None):
        self.rng = random.Random(seed)  # nosec B311
        # Its own stream, so that adding languages left every name, date and number as it was.
        self.language_rng = random.Random(f"languages-{seed}")  # nosec B311
        self.today = today or timezone.localdate()
        self._municipalities: dict[str, list[Division]] = {}
        self._doc_types: dict[str, IdDocumentType] = {}
        self._deepest_level: dict[str, int] = {}
        self._used_numbers: dict[str, set[str]] = {}

    # -- names -------------------------------------------------------------------------------
    def surname(self, country: str) -> str:
        maya, other = INDIGENOUS_SHARE.get(country, (0.0, 0.0))
        r = self.rng.random()
        if r < maya:
            return MAYA.pick(self.rng)
        if r < maya + other:
            return LENCA_GARIFUNA.pick(self.rng)
        return SPANISH.pick(self.rng)

    def given_names(self, sex: str) -> str:
        pool = FEMALE if sex == Sex.FEMALE else MALE
        first = pool.pick(self.rng)
        if self.rng.random() < 0.7:
            second = pool.pick(self.rng)
            if second != first:
                return f"{first} {second}"
        return first

    # -- places and numbers --------------------------------------------------------------------
    def languages(self, country: str, surname: str) -> tuple[list[str], str]:
        """The languages spoken and the one preferred, where the person would rather not speak
        Spanish (half of those who speak a language of their own)."""
        rng = self.language_rng
        spoken = ["es"]
        share = OWN_LANGUAGE_SHARE[surname in INDIGENOUS_SURNAMES]
        preferred = ""
        if country in OWN_LANGUAGES and rng.random() < share:
            spoken.append(OWN_LANGUAGES[country].pick(rng))
            preferred = spoken[-1] if rng.random() < 0.5 else ""
        if rng.random() < ENGLISH_SHARE:
            spoken.append("en")
        return spoken, preferred

    def municipality(self, country: str) -> Division:
        """A division of the lowest level (municipality; district in El Salvador)."""
        if country not in self._deepest_level:
            self._deepest_level[country] = max(
                Division.objects.filter(country_id=country).values_list("level", flat=True).distinct()
            )
        return self.rng.choice(self._municipalities_of_level(country, self._deepest_level[country]))

    def _municipalities_of_level(self, country: str, level: int) -> list[Division]:
        key = f"{country}:{level}"
        if key not in self._municipalities:
            self._municipalities[key] = list(Division.objects.filter(country_id=country, level=level))
        return self._municipalities[key]

    def national_id(self, country: str, birth_year: int) -> str:
        rng = self.rng
        while True:
            if country == "GT":
                while True:
                    first = f"{rng.randrange(10**8):08d}"
                    check = dpi_check_digit(first)
                    if check is not None:
                        break
                place = rng.choice(self._municipalities_of_level("GT", 2)).code
                number = f"{first}{check}{place}"
            elif country == "SV":
                first = f"{rng.randrange(10**8):08d}"
                number = f"{first}{dui_check_digit(first)}"
            elif country == "HN":
                place = rng.choice(self._municipalities_of_level("HN", 2)).code
                number = f"{place}{birth_year:04d}{rng.randrange(10**5):05d}"
            else:
                number = f"{rng.choice('1234567')}{rng.randrange(10**8):08d}"
            used = self._used_numbers.setdefault(country, set())
            if number not in used:
                used.add(number)
                return number

    def phone(self, country: str) -> str:
        return f"+{CALLING_CODES[country]}{self.rng.choice(mobile_prefixes(country))}{self.rng.randrange(10**6):06d}"

    def birth_date(self) -> tuple[datetime.date, str]:
        # Returnees are mostly 18–45; a few minors (unaccompanied) and older adults.
        age = max(12, min(75, int(self.rng.gauss(31, 9))))
        year = self.today.year - age
        date = datetime.date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))
        precision = DatePrecision.DAY if self.rng.random() > 0.05 else DatePrecision.YEAR
        if precision == DatePrecision.YEAR:
            date = date.replace(month=1, day=1)
        return date, precision

    # -- people --------------------------------------------------------------------------------
    def doc_type(self, country: str) -> IdDocumentType:
        if country not in self._doc_types:
            self._doc_types[country] = IdDocumentType.objects.get(country_id=country, is_national_id=True)
        return self._doc_types[country]

    def reserve_existing_numbers(self, country: str) -> None:
        self._used_numbers[country] = set(
            IdentityDocument.objects.filter(document_type=self.doc_type(country)).values_list(
                "number", flat=True
            )
        )

    def person(self, *, organization, country: str) -> tuple[Person, IdentityDocument | None]:
        rng = self.rng
        sex = Sex.FEMALE if rng.random() < 0.22 else Sex.MALE  # most deportees are men
        first_surname = self.surname(country)
        second_surname = self.surname(country) if rng.random() > 0.06 else ""
        birth_date, precision = self.birth_date()
        person = Person(
            organization=organization,
            given_names=self.given_names(sex),
            first_surname=first_surname,
            second_surname=second_surname,
            sex=sex,
            birth_date=birth_date,
            birth_date_precision=precision,
            nationality_id=country,
            residence=self.municipality(country),
            phone=self.phone(country) if rng.random() < 0.8 else "",
            household_size=rng.randint(1, 9),
        )
        person.languages, person.preferred_language = self.languages(country, first_surname)
        person.refresh_name_key()
        document = None
        if rng.random() < 0.9:  # some arrive without documents
            document = IdentityDocument(
                person=person,
                document_type=self.doc_type(country),
                number=self.national_id(country, birth_date.year),
            )
        return person, document

    def create(self, *, organization, count: int, batch_size: int = 5000, progress=None) -> int:
        """Create `count` people registered by `organization` (nationals of its country)."""
        country = organization.country_id
        self.reserve_existing_numbers(country)
        created = 0
        while created < count:
            size = min(batch_size, count - created)
            pairs = [self.person(organization=organization, country=country) for _ in range(size)]
            with transaction.atomic():
                Person.objects.bulk_create([p for p, _ in pairs], batch_size=batch_size)
                IdentityDocument.objects.bulk_create([d for _, d in pairs if d], batch_size=batch_size)
            created += size
            if progress:
                progress(created)
        return created
