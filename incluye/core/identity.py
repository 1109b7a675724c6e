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
    """`country` is a Country (or its code) — or a set of division codes known in advance."""
    if isinstance(country, (set, frozenset)):
        return code in country
    if country is None:
        return False
    from incluye.core.selectors import division_exists

    return division_exists(country_code=getattr(country, "code", country), code=code)


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
    return number
