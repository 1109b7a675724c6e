from django.urls import reverse

from incluye.core.links import absolute_url, site_url


def test_a_link_in_an_email_is_the_sites_address_and_the_pages_path_with_one_slash(settings):
    settings.SITE_URL = "https://incluye.example.org/"
    assert site_url() == "https://incluye.example.org"
    assert absolute_url("home") == "https://incluye.example.org" + reverse("home")
    assert absolute_url("cases:alert", 42) == "https://incluye.example.org" + reverse(
        "cases:alert", args=[42]
    )


def test_a_site_served_under_a_path_keeps_the_path_in_its_links(settings):
    settings.SITE_URL = "https://alianza.example.org/incluye"
    assert site_url("/me/") == "https://alianza.example.org/incluye/me/"
