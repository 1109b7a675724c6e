"""The day's list at a reception point: urgent needs first, a page at a time, one flight at a
time (whole, to print it), exportable as it is filtered, for the arrivals of any day."""

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from incluye.core.models import ActionLogEntry
from incluye.people.services import person_register

pytestmark = pytest.mark.django_db


def _arrive(personas, n, *, flight, day=None, needs=(), surname="Coc"):
    for i in range(n):
        person_register(
            membership=personas.staff,
            given_names=f"Persona {i}",
            first_surname=f"{surname}{i:03d}",
            nationality_id="GT",
            return_event={
                "arrived_on": (day or timezone.localdate()).isoformat(),
                "transport_reference": flight,
                "vulnerabilities": list(needs),
            },
        )


def _names(html):
    return re.findall(r'class="govuk-link" href="/people/[^"]+/">([^<]+)</a>', html)


def test_the_days_list_comes_a_page_at_a_time(personas):
    _arrive(personas, 60, flight="TA-120")
    client = personas.client("staff")
    first = client.get(reverse("people:today")).content.decode()
    assert len(_names(first)) == 50
    assert "60 personas" in first
    second = client.get(reverse("people:today"), {"page": 2}).content.decode()
    assert len(_names(second)) == 10
    assert not set(_names(first)) & set(_names(second))


def test_one_flight_comes_whole_with_its_urgent_people_first(personas):
    _arrive(personas, 55, flight="TA-120")
    _arrive(personas, 3, flight="AV-644", surname="Xol")
    _arrive(personas, 1, flight="AV-644", needs=["medical"], surname="Urgente")
    html = personas.client("staff").get(reverse("people:today"), {"flight": "AV-644"}).content.decode()
    names = _names(html)
    assert len(names) == 4
    assert names[0].startswith("Urgente")
    assert all(not n.startswith("Coc") for n in names)
    assert 'value="AV-644"' in html and "AV-644 (4)" in html and "TA-120 (55)" in html
    whole = personas.client("staff").get(reverse("people:today"), {"flight": "TA-120"}).content.decode()
    assert len(_names(whole)) == 55  # a flight is printed whole, not cut at 50
    assert "data-print" in whole


def test_the_list_of_another_day_is_picked_with_an_iso_date(personas):
    yesterday = timezone.localdate() - timezone.timedelta(days=1)
    _arrive(personas, 2, flight="TA-9", day=yesterday)
    html = (
        personas.client("staff").get(reverse("people:today"), {"day": yesterday.isoformat()}).content.decode()
    )
    assert len(_names(html)) == 2
    assert f'type="date" name="day" value="{yesterday.isoformat()}"' in html
    assert len(_names(personas.client("staff").get(reverse("people:today")).content.decode())) == 0


def test_the_export_is_the_filtered_list_and_is_logged(personas):
    _arrive(personas, 3, flight="TA-120")
    _arrive(personas, 2, flight="AV-644", surname="Xol")
    response = personas.client("staff").get(
        reverse("people:today_export"), {"flight": "AV-644", "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="llegadas-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][1] == "Apellidos, nombres"
    assert len(rows) == 3 and all(row[2] == "AV-644" for row in rows[1:])
    entry = ActionLogEntry.objects.get(action="incluye.arrivals.exported")
    assert entry.data["rows"] == 2 and entry.data["flight"] == "AV-644"
    xlsx = personas.client("staff").get(reverse("people:today_export"), {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_a_read_only_member_sees_the_list_but_cannot_export_it(personas):
    assert personas.client("readonly").get(reverse("people:today")).status_code == 200
    assert personas.client("readonly").get(reverse("people:today_export")).status_code == 403
    assert personas.client("employer").get(reverse("people:today_export")).status_code == 403
