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
