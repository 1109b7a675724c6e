import pytest
from django.core.exceptions import ValidationError

from incluye.core.phones import clean_phone, format_phone


def test_it_stores_a_guatemalan_mobile_in_international_format():
    assert clean_phone("5555 1234", region="GT") == "+50255551234"
    assert format_phone("+50255551234") == "+502 5555 1234"


def test_it_keeps_a_us_number_typed_with_its_prefix():
    assert clean_phone("+1 713 555 0134", region="GT") == "+17135550134"


@pytest.mark.parametrize("region,number", [("SV", "7123 4567"), ("HN", "9123-4567"), ("CR", "8312 3456")])
def test_it_accepts_mobiles_of_each_country(region, number):
    assert clean_phone(number, region=region).startswith("+50")


def test_it_rejects_a_number_too_short_for_the_country_with_an_example():
    with pytest.raises(ValidationError) as caught:
        clean_phone("5555", region="GT")
    assert "GT" in caught.value.messages[0]


def test_it_rejects_text_that_is_not_a_phone():
    with pytest.raises(ValidationError):
        clean_phone("no tengo", region="HN")


def test_pages_show_a_phone_grouped_the_local_way_and_split_only_after_the_country_code():
    from django.template import Context, Template

    rendered = Template("{% load incluye %}[{{ a|phone }}][{{ b|phone|default:'—' }}]").render(
        Context({"a": "+50670001234", "b": ""})
    )
    assert rendered == "[+506 7000\xa01234][—]"
