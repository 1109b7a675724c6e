"""Validation rules for identity document numbers.

Each country's data file names, for each document type, a *rule* registered here. A rule takes
the number as typed and returns it normalized (digits only, or upper-case for passports), or
raises a ValidationError whose translated message says what is wrong.
"""

import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

RULES: dict[str, Callable] = {}


def rule(name: str):
    def register(func):
        RULES[name] = func
        return func

    return register


def validate_document_number(rule_name: str, value: str, *, country=None, places=None) -> str:
    """`places`: the country's division codes, when the caller validates many numbers at once."""
    try:
        func = RULES[rule_name]
    except KeyError as exc:
        raise ValidationError(
            _("Unknown identity document rule “%(rule)s”."), params={"rule": rule_name}
        ) from exc
    return func((value or "").strip(), country=country if places is None else places)


def _digits(value: str, allowed_separators: str = " -") -> str:
    if re.search(rf"[^0-9{re.escape(allowed_separators)}]", value):
        raise ValidationError(
            _("Only digits are allowed (spaces and hyphens are ignored)."), code="not_digits"
        )
    return re.sub(r"\D", "", value)


def _division_exists(country, code: str) -> bool:
    """`country` is a Country (or its code) — or a set of division codes known in advance.

    A country whose divisions this deployment does not hold (a country people arrive from: a
    Honduran DNI in Costa Rica) cannot be checked by place: the rest of the rule still applies."""
    if isinstance(country, (set, frozenset)):
        return code in country or not country
    if country is None:
        return False
    from incluye.core.selectors import division_exists, has_divisions

    country_code = getattr(country, "code", country)
    return division_exists(country_code=country_code, code=code) or not has_divisions(
        country_code=country_code
    )


def dpi_check_digit(first_eight: str) -> int | None:
    """Guatemala DPI/CUI verification digit: sum of digit × (position + 2) mod 11.

    Returns None when the remainder is 10: no valid DPI has those first eight digits.
    """
    total = sum(int(d) * (i + 2) for i, d in enumerate(first_eight))
    remainder = total % 11
    return None if remainder == 10 else remainder


@rule("gt_dpi")
def gt_dpi(value: str, *, country=None) -> str:
    digits = _digits(value)
    if len(digits) != 13:
        raise ValidationError(
            _("A DPI has 13 digits; this one has %(count)d."), params={"count": len(digits)}, code="length"
        )
    expected = dpi_check_digit(digits[:8])
    if expected is None or expected != int(digits[8]):
        raise ValidationError(
            _(
                "The 9th digit of the DPI (its verification digit) does not match the first eight: check for a typo."
            ),
            code="check_digit",
        )
    place = digits[9:]
    if not _division_exists(country, place):
        raise ValidationError(
            _(
                "The last four digits of a DPI are the department and municipality of registration; "
                "%(code)s is not a municipality of Guatemala."
            ),
            params={"code": place},
            code="place",
        )
    return digits


def dui_check_digit(first_eight: str) -> int:
    """El Salvador DUI verification digit: weights 9..2, then (10 − sum mod 10) mod 10."""
    total = sum(int(d) * (9 - i) for i, d in enumerate(first_eight))
    return (10 - total % 10) % 10


@rule("sv_dui")
def sv_dui(value: str, *, country=None) -> str:
    digits = _digits(value)
    if len(digits) != 9:
        raise ValidationError(
            _(
                "A DUI has 8 digits and a verification digit (e.g. 01234567-8); this one has %(count)d digits."
            ),
            params={"count": len(digits)},
            code="length",
        )
    if dui_check_digit(digits[:8]) != int(digits[8]):
        raise ValidationError(
            _("The verification digit of the DUI (after the hyphen) does not match: check for a typo."),
            code="check_digit",
        )
    return digits


@rule("hn_dni")
def hn_dni(value: str, *, country=None) -> str:
    digits = _digits(value)
    if len(digits) != 13:
        raise ValidationError(
            _("A DNI has 13 digits (e.g. 0801-1990-12345); this one has %(count)d."),
            params={"count": len(digits)},
            code="length",
        )
    place = digits[:4]
    if not _division_exists(country, place):
        raise ValidationError(
            _(
                "The first four digits of a DNI are the department and municipality of registration; "
                "%(code)s is not a municipality of Honduras."
            ),
            params={"code": place},
            code="place",
        )
    return digits


@rule("cr_cedula")
def cr_cedula(value: str, *, country=None) -> str:
    digits = _digits(value)
    if len(digits) != 9:
        raise ValidationError(
            _("A Costa Rican cédula has 9 digits (e.g. 1-0234-0567); this one has %(count)d."),
            params={"count": len(digits)},
            code="length",
        )
    if digits[0] == "0":
        raise ValidationError(_("A cédula starts with the province digit (1 to 9), not 0."), code="province")
    return digits


@rule("passport")
def passport(value: str, *, country=None) -> str:
    cleaned = re.sub(r"[\s-]", "", value).upper()
    if not re.fullmatch(r"[A-Z0-9]{5,20}", cleaned):
        raise ValidationError(_("A passport number has 5 to 20 letters and digits."), code="format")
    return cleaned


# -- Documents of the countries people arrive from, and the documents for foreigners -------------


NI_CEDULA_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXY"  # 23 letters: no I, Ñ, O or Z


def ni_cedula_letter(thirteen_digits: str) -> str:
    """Nicaragua's cédula check letter: the 13 digits as one number, modulo 23, as a letter."""
    return NI_CEDULA_LETTERS[int(thirteen_digits) % 23]


@rule("ni_cedula")
def ni_cedula(value: str, *, country=None) -> str:
    """Nicaragua's cédula (Consejo Supremo Electoral): 001-010190-0001A, the place of registration
    (3 digits), the birth date (DDMMYY), a sequence (4 digits) and a check letter."""
    cleaned = re.sub(r"[\s-]", "", value).upper()
    if not re.fullmatch(r"\d{13}[A-Z]", cleaned):
        raise ValidationError(
            _("A Nicaraguan cédula has 13 digits and a letter (e.g. 001-010190-0001N)."), code="format"
        )
    day, month = int(cleaned[3:5]), int(cleaned[5:7])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        raise ValidationError(
            _("Digits 4 to 9 of a Nicaraguan cédula are the birth date (DDMMYY): check them."),
            code="birth_date",
        )
    if ni_cedula_letter(cleaned[:13]) != cleaned[13]:
        raise ValidationError(
            _("The letter of the Nicaraguan cédula does not match its digits: check for a typo."),
            code="check_letter",
        )
    return cleaned


@rule("ve_cedula")
def ve_cedula(value: str, *, country=None) -> str:
    """Venezuela's cédula (SAIME): V (Venezuelan) or E (foreign resident) and up to 8 digits,
    written V-12.345.678."""
    cleaned = re.sub(r"[\s.\-]", "", value).upper()
    if cleaned[:1].isdigit():
        cleaned = "V" + cleaned
    if not re.fullmatch(r"[VE]\d{1,8}", cleaned) or int(cleaned[1:]) == 0:
        raise ValidationError(
            _("A Venezuelan cédula is V or E and up to 8 digits (e.g. V-12.345.678)."), code="format"
        )
    return cleaned[0] + str(int(cleaned[1:]))


@rule("co_cedula")
def co_cedula(value: str, *, country=None) -> str:
    """Colombia's cédula de ciudadanía (Registraduría): 6 to 10 digits, no check digit."""
    digits = _digits(value, " -.")
    if not 6 <= len(digits) <= 10 or digits[0] == "0":
        raise ValidationError(
            _("A Colombian cédula has 6 to 10 digits and does not start with 0."), code="length"
        )
    return digits


@rule("cu_carne")
def cu_carne(value: str, *, country=None) -> str:
    """Cuba's carné de identidad: 11 digits, the first six the birth date (YYMMDD)."""
    digits = _digits(value)
    if len(digits) != 11:
        raise ValidationError(
            _("A Cuban identity card has 11 digits; this one has %(count)d."),
            params={"count": len(digits)},
            code="length",
        )
    month, day = int(digits[2:4]), int(digits[4:6])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise ValidationError(
            _("The first six digits of a Cuban identity card are the birth date (YYMMDD): check them."),
            code="birth_date",
        )
    return digits


@rule("cr_dimex")
def cr_dimex(value: str, *, country=None) -> str:
    """Costa Rica's number for foreigners (DIMEX, and the asylum seeker's card, whose number the
    DIMEX keeps): 11 or 12 digits starting with 1, no check digit published."""
    digits = _digits(value)
    if len(digits) not in (11, 12):
        raise ValidationError(
            _("A DIMEX number has 11 or 12 digits; this one has %(count)d."),
            params={"count": len(digits)},
            code="length",
        )
    if digits[0] != "1":
        raise ValidationError(_("A DIMEX number starts with 1."), code="prefix")
    return digits


@rule("reference")
def reference(value: str, *, country=None) -> str:
    """A number whose format nobody has published (a permit, a registration): letters, digits,
    hyphens and slashes, kept as written."""
    cleaned = " ".join(value.split()).upper()
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9 /.\-]{0,39}", cleaned):
        raise ValidationError(
            _("Write the number as it appears on the document: letters, digits, hyphens or slashes."),
            code="format",
        )
    return cleaned


def format_document_number(rule_name: str, number: str) -> str:
    """The number as people write it (e.g. 1234 56789 0101, 01234567-8, 0801-1990-12345)."""
    if rule_name == "gt_dpi" and len(number) == 13:
        return f"{number[:4]} {number[4:9]} {number[9:]}"
    if rule_name == "sv_dui" and len(number) == 9:
        return f"{number[:8]}-{number[8]}"
    if rule_name == "hn_dni" and len(number) == 13:
        return f"{number[:4]}-{number[4:8]}-{number[8:]}"
    if rule_name == "cr_cedula" and len(number) == 9:
        return f"{number[0]}-{number[1:5]}-{number[5:]}"
    if rule_name == "ni_cedula" and len(number) == 14:
        return f"{number[:3]}-{number[3:9]}-{number[9:]}"
    if rule_name == "ve_cedula" and number[:1] in "VE" and number[1:].isdigit():
        return f"{number[0]}-{int(number[1:]):,}".replace(",", ".")
    return number
