import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from incluye.core.models import ActionLogEntry, Country, Division
from incluye.core.services import country_load

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data"


def test_the_four_countries_are_configured_after_migrate():
    from incluye.core.selectors import country_list

    assert list(country_list().values_list("code", flat=True)) == ["CR", "GT", "HN", "SV"]
    zones = dict(country_list().values_list("code", "time_zone"))
    assert zones == {
        "GT": "America/Guatemala",
        "SV": "America/El_Salvador",
        "HN": "America/Tegucigalpa",
        "CR": "America/Costa_Rica",
    }


@pytest.mark.parametrize(
    "country,level,count",
    [
        ("GT", 1, 22),
        ("GT", 2, 340),
        ("SV", 1, 14),
        ("SV", 2, 44),
        ("SV", 3, 262),
        ("HN", 1, 18),
        ("HN", 2, 298),
        ("CR", 1, 7),
        ("CR", 2, 84),
    ],
)
def test_every_department_and_municipality_is_there(country, level, count):
    assert Division.objects.filter(country_id=country, level=level).count() == count


def test_divisions_keep_their_official_codes_and_accents():
    assert Division.objects.get(country_id="GT", code="0901").name == "Quetzaltenango"
    assert Division.objects.get(country_id="GT", code="0108").parent.name == "Guatemala"
    assert Division.objects.get(country_id="HN", code="0801").name == "Distrito Central"
    assert Division.objects.get(country_id="GT", code="03").name == "Sacatepéquez"


def test_loading_a_country_twice_changes_nothing_and_logs_nothing():
    before = Division.objects.count()
    ActionLogEntry.objects.all().delete()
    country_load(code="GT")
    assert Division.objects.count() == before
    assert not ActionLogEntry.objects.exists()


def test_a_corrected_name_in_the_data_file_updates_the_division_and_is_logged():
    Division.objects.filter(country_id="GT", code="0901").update(name="Xela")
    country_load(code="GT")
    assert Division.objects.get(country_id="GT", code="0901").name == "Quetzaltenango"
    assert ActionLogEntry.objects.filter(action="incluye.country.loaded").latest("id").data["updated"] == 1


def test_the_load_countries_command_refuses_an_unknown_country():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("load_countries", "MX")


@pytest.mark.parametrize("script", ["countries/check_countries.py", "check_names.py"])
def test_the_bundled_data_files_pass_their_consistency_checks(script):
    result = subprocess.run([sys.executable, str(DATA / script)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_country_is_a_nationality_with_its_spanish_name_and_a_passport():
    from incluye.core.models import IdDocumentType

    assert Country.objects.count() == 249
    assert Country.objects.get(code="VE").names == {"es": "Venezuela", "en": "Venezuela"}
    assert Country.objects.get(code="HT").names["es"] == "Haití"
    assert (
        not IdDocumentType.objects.filter(code="PASSPORT")
        .values("country")
        .annotate()
        .exclude(country__in=Country.objects.all())
        .exists()
    )
    assert IdDocumentType.objects.filter(code="PASSPORT").count() == 249


def test_the_documents_of_a_country_of_origin_are_loaded_where_it_is_not_served(settings):
    from incluye.core.models import IdDocumentType

    assert IdDocumentType.objects.get(country_id="NI", code="CEDULA").rule == "ni_cedula"
    assert IdDocumentType.objects.get(country_id="VE", code="CEDULA").rule == "ve_cedula"
    # Costa Rica issues documents to foreigners: the asylum seeker's card, the work permit…
    permit = IdDocumentType.objects.get(country_id="CR", code="PERMISO_LABORAL")
    assert permit.for_foreigners and permit.grants_work and permit.requires == ["CCSS"]
    assert "43810" in permit.source and not permit.illustrative
    assert Country.objects.get(code="CR").migration["statuses"]["refugee"]["work"] == "status"


def test_loading_the_countries_of_origin_twice_changes_nothing():
    from incluye.core.models import IdDocumentType
    from incluye.core.services import countries_of_origin_load

    before = (Country.objects.count(), IdDocumentType.objects.count())
    assert countries_of_origin_load() == 0
    assert (Country.objects.count(), IdDocumentType.objects.count()) == before
