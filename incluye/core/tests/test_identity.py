import pytest
from django.core.exceptions import ValidationError

from incluye.core.identity import dpi_check_digit, dui_check_digit, format_document_number
from incluye.core.models import IdDocumentType

pytestmark = pytest.mark.django_db


def doc_type(country, code):
    return IdDocumentType.objects.select_related("country").get(country_id=country, code=code)


def error_of(country, code, number):
    with pytest.raises(ValidationError) as caught:
        doc_type(country, code).clean_number(number)
    return caught.value.messages[0]


def a_dpi(first_eight="27461385", place="0901"):
    return f"{first_eight}{dpi_check_digit(first_eight)}{place}"


def test_it_accepts_a_valid_dpi_written_with_spaces_and_stores_its_digits():
    assert doc_type("GT", "DPI").clean_number("2746 13859 0901") == "2746138590901"


def test_it_rejects_a_dpi_with_the_wrong_number_of_digits_saying_how_many_it_has():
    assert error_of("GT", "DPI", "274613859090") == "Un DPI tiene 13 dígitos; este tiene 12."


def test_it_rejects_a_dpi_whose_verification_digit_does_not_match():
    good = a_dpi()
    bad = good[:8] + str((int(good[8]) + 1) % 10) + good[9:]
    assert "dígito verificador" in error_of("GT", "DPI", bad)


def test_it_rejects_a_dpi_registered_in_a_municipality_that_does_not_exist():
    message = error_of("GT", "DPI", a_dpi(place="2399"))
    assert "2399" in message
    assert "municipio de Guatemala" in message


def test_it_accepts_every_municipality_code_of_guatemala_as_a_dpi_place():
    from incluye.core.models import Division

    for code in Division.objects.filter(country_id="GT", level=2).values_list("code", flat=True):
        assert doc_type("GT", "DPI").clean_number(a_dpi(place=code))


def test_it_rejects_letters_in_a_national_id():
    assert "dígitos" in error_of("GT", "DPI", "2746A3859O901")


def test_the_dpi_verification_digit_follows_the_renap_rule():
    # 2·2 + 7·3 + 4·4 + 6·5 + 1·6 + 3·7 + 8·8 + 5·9 = 207; 207 mod 11 = 9
    assert dpi_check_digit("27461385") == 9
    assert dpi_check_digit("00000000") == 0


def test_it_accepts_a_valid_dui_and_rejects_a_wrong_check_digit():
    assert doc_type("SV", "DUI").clean_number("05127834-7") == "051278347"
    assert "verificador" in error_of("SV", "DUI", "05127834-3")
    assert dui_check_digit("00016297") == 5


def test_it_rejects_a_dui_with_missing_digits():
    assert "8 dígitos" in error_of("SV", "DUI", "0512783-4")


def test_it_accepts_a_dni_from_a_real_municipality_and_rejects_an_unknown_one():
    assert doc_type("HN", "DNI").clean_number("0801-1990-12345") == "0801199012345"
    assert "9901" in error_of("HN", "DNI", "9901-1990-12345")


def test_it_accepts_a_costa_rican_cedula_and_rejects_one_starting_with_zero():
    assert doc_type("CR", "CEDULA").clean_number("1-0234-0567") == "102340567"
    assert "provincia" in error_of("CR", "CEDULA", "0-0234-0567")


def test_it_takes_passports_as_free_text_of_letters_and_digits():
    assert doc_type("GT", "PASSPORT").clean_number(" a123 4567 ") == "A1234567"
    assert error_of("GT", "PASSPORT", "#!")


def test_numbers_are_shown_as_people_write_them():
    assert format_document_number("gt_dpi", "2746138590901") == "2746 13859 0901"
    assert format_document_number("sv_dui", "051278347") == "05127834-7"
    assert format_document_number("hn_dni", "0801199012345") == "0801-1990-12345"
    assert format_document_number("cr_cedula", "102340567") == "1-0234-0567"


def test_the_error_is_in_english_when_the_user_works_in_english():
    from django.utils import translation

    with translation.override("en"):
        assert error_of("GT", "DPI", "123") == "A DPI has 13 digits; this one has 3."


def test_every_country_example_is_valid():
    for t in IdDocumentType.objects.select_related("country"):
        assert t.clean_number(t.example), t


# -- Documents of the countries people arrive from, and documents for foreigners ------------------


def test_it_accepts_a_nicaraguan_cedula_whose_letter_matches_its_digits():
    assert doc_type("NI", "CEDULA").clean_number("001-010190-0001n") == "0010101900001N"
    assert format_document_number("ni_cedula", "0010101900001N") == "001-010190-0001N"


def test_it_rejects_a_nicaraguan_cedula_with_the_wrong_letter():
    assert "letra" in error_of("NI", "CEDULA", "001-010190-0001A")


def test_it_rejects_a_nicaraguan_cedula_whose_birth_date_is_impossible():
    assert "fecha de nacimiento" in error_of("NI", "CEDULA", "001-450190-0001N")


@pytest.mark.parametrize("typed", ["V-12.345.678", "12345678", "v 12345678"])
def test_it_accepts_a_venezuelan_cedula_as_people_write_it(typed):
    assert doc_type("VE", "CEDULA").clean_number(typed) == "V12345678"
    assert format_document_number("ve_cedula", "V12345678") == "V-12.345.678"


@pytest.mark.parametrize("typed", ["X-1234", "V-123456789", "V-0"])
def test_it_rejects_a_venezuelan_cedula_that_is_not_v_or_e_and_up_to_eight_digits(typed):
    assert "cédula venezolana" in error_of("VE", "CEDULA", typed)


def test_it_checks_a_honduran_dni_by_place_where_honduras_is_served():
    assert "no es un municipio de Honduras" in error_of("HN", "DNI", "9999-1990-12345")


def test_a_honduran_dni_is_checked_by_length_only_where_honduras_divisions_are_not_loaded():
    from incluye.core.identity import validate_document_number

    assert validate_document_number("hn_dni", "0801-1990-12345", places=set()) == "0801199012345"
    with pytest.raises(ValidationError):
        validate_document_number("hn_dni", "0801-1990-1234", places=set())


@pytest.mark.parametrize(
    "typed,expected", [("155812345678", "155812345678"), ("1-558-1234567", "15581234567")]
)
def test_it_accepts_a_dimex_of_eleven_or_twelve_digits(typed, expected):
    assert doc_type("CR", "DIMEX").clean_number(typed) == expected


@pytest.mark.parametrize("typed,message", [("255812345678", "empieza con 1"), ("1558123", "11 o 12 dígitos")])
def test_it_rejects_a_dimex_that_does_not_start_with_1_or_has_the_wrong_length(typed, message):
    assert message in error_of("CR", "SOLICITANTE", typed)


def test_it_accepts_a_cuban_card_and_rejects_an_impossible_birth_date():
    assert doc_type("CU", "CI").clean_number("85061512345") == "85061512345"
    assert "fecha de nacimiento" in error_of("CU", "CI", "85136112345")


def test_a_permit_number_is_kept_as_written_in_capitals():
    assert doc_type("CR", "PERMISO_LABORAL").clean_number(" pl-2026/0034 ") == "PL-2026/0034"
    assert "letras, dígitos" in error_of("CR", "PERMISO_LABORAL", "¿?")
