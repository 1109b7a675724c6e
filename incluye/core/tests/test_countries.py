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
    assert list(Country.objects.values_list("code", flat=True)) == ["CR", "GT", "HN", "SV"]
    zones = dict(Country.objects.values_list("code", "time_zone"))
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
