"""Phone numbers, validated and stored in E.164 with Google's libphonenumber rules."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def clean_phone(value: str, *, region: str) -> str:
    """Return the number in E.164 (+50255551234) or raise a translated ValidationError.

    A number without a country prefix is read as a number of `region`; numbers from other
    countries (e.g. a US number kept from abroad) must be typed with their + prefix.
    """
    value = (value or "").strip()
    try:
        parsed = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("This does not look like a phone number."), code="unparseable") from exc
    if not phonenumbers.is_valid_number(parsed):
        example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
        raise ValidationError(
            _("This is not a valid phone number for %(region)s (e.g. %(example)s)."),
            params={
                "region": region,
                "example": phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
                if example
                else "",
            },
            code="invalid",
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """International format for display: +502 5555 1234."""
    try:
        return phonenumbers.format_number(
            phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
    except phonenumbers.NumberParseException:
        return e164


def display_phone(e164: str) -> str:
    """format_phone for a page: the national number's groups are held together by no-break spaces,
    so a narrow cell wraps it, if it must, only after the country code ("+502" / "5555 1234")."""
    if not e164:
        return ""
    code, _space, national = format_phone(e164).partition(" ")
    return f"{code} {national.replace(' ', chr(0xA0))}" if national else code
