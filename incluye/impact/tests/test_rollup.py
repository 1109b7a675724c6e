"""The regional roll-up: suppressed country files, merged; tampered or small-celled files refused."""

import json

import pytest
from django.core.management import CommandError, call_command

from incluye.core.testing import make_organization
from incluye.impact.tests.test_indicators import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(tmp_path, db):
    from incluye.core.services import country_load

    for code in ("GT", "SV"):
        country_load(code=code)
    gt = make_organization("Recepción GT", kind="reception_center", sector="public")
    sv = make_organization("Recepción SV", country="SV", kind="reception_center", sector="public")
    for i in range(12):
        make_person(gt, sex="F" if i < 3 else "M")
    for _ in range(7):
        make_person(sv, sex="M")
    paths = []
    for code in ("GT", "SV"):
        path = tmp_path / f"{code}.json"
        call_command("export_aggregates", country=code, period="2025", out=str(path))
        paths.append(path)
    return paths


def cell(payload, indicator, rows=None, cols=None, row="_total", col="_total"):
    for table in payload["tables"]:
        if (table["indicator"], table["rows"], table["cols"]) == (indicator, rows, cols):
            for c in table["cells"]:
                if (c["row"], c["col"]) == (row, col):
                    return c
    raise KeyError((indicator, rows, cols, row, col))


def test_a_country_file_holds_only_suppressed_aggregates(files):
    payload = json.loads(files[0].read_text())
    assert payload["threshold"] == 5 and payload["checksum"]
    assert cell(payload, "people_reached_direct")["value"] == 12
    assert cell(payload, "people_reached_direct", "sex", row="F")["value"] == "<5"
    assert cell(payload, "people_reached_direct", "sex", row="M")["value"] == "*"  # else 12 - 9 = 3
    assert "Persona" not in files[0].read_text()


def test_the_files_merge_into_a_regional_view(files, tmp_path):
    out = tmp_path / "regional.json"
    call_command("merge_aggregates", *map(str, files), out=str(out))
    regional = json.loads(out.read_text())
    assert regional["countries"] == ["GT", "SV"]
    assert cell(regional, "people_reached_direct")["value"] == 19
    assert cell(regional, "people_reached_direct", "sex", row="F")["hidden_in"] == ["GT"]


def test_a_changed_file_is_refused(files, tmp_path):
    payload = json.loads(files[0].read_text())
    cell(payload, "people_reached_direct", "sex", row="F")["value"] = 3
    files[0].write_text(json.dumps(payload))
    with pytest.raises(CommandError, match="checksum"):
        call_command("merge_aggregates", *map(str, files), out=str(tmp_path / "r.json"))


def test_a_file_with_unsuppressed_small_cells_is_refused(files, tmp_path):
    from incluye.impact.rollup import checksum

    payload = json.loads(files[0].read_text())
    cell(payload, "people_reached_direct", "sex", row="F")["value"] = 3
    payload["checksum"] = checksum(payload)  # even with a valid checksum
    files[0].write_text(json.dumps(payload))
    with pytest.raises(CommandError, match="unsuppressed small cells"):
        call_command("merge_aggregates", *map(str, files), out=str(tmp_path / "r.json"))


def test_files_of_different_indicator_versions_are_refused(files, tmp_path):
    from incluye.impact.rollup import checksum

    payload = json.loads(files[1].read_text())
    payload["indicators_version"] = "2020.1"
    payload["checksum"] = checksum(payload)
    files[1].write_text(json.dumps(payload))
    with pytest.raises(CommandError, match="different indicator versions"):
        call_command("merge_aggregates", *map(str, files), out=str(tmp_path / "r.json"))


def test_the_summary_is_rebuilt_by_a_command_or_a_task(files, capsys):
    from incluye.impact.models import CellRefresh

    call_command("refresh_indicators", country=["GT"])
    call_command("refresh_indicators", country=["SV"], enqueue=True)  # immediate backend in tests
    assert set(CellRefresh.objects.values_list("country_id", flat=True)) == {"GT", "SV"}
