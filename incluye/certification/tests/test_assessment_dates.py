"""The assessment follows the calendar: attendance, results and certificates only from the day of the
session on, attendance before results, and the dates the assessor types go through the browser's
date input and come back out on the PDFs the local way."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from incluye.certification import services
from incluye.certification.models import Certificate, UnitResult
from incluye.certification.tests.conftest import enrol_new_person
from incluye.core.testing import client_for, local_moment

pytestmark = pytest.mark.django_db

SESSION_DAY = datetime.date(2026, 12, 19)


@pytest.fixture
def upcoming(assessor, standard, personas, time_machine):
    """A session on 19 December, seen on 5 December, with one candidate."""
    time_machine.move_to(local_moment("2026-12-05 09:00"))
    session = services.session_create(
        membership=assessor,
        standard=standard,
        date=SESSION_DAY,
        place="Centro de Capacitación Zona 6",
        capacity=5,
        assessors=[assessor.user],
    )
    return session, enrol_new_person(personas, session)


def units_of(session):
    return {u.code: u.pk for u in session.standard.units.all()}


def test_it_refuses_attendance_and_results_before_the_session(assessor, upcoming):
    session, enrollment = upcoming
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        services.enrollment_attendance(membership=assessor, enrollment=enrollment, attendance="present")
    assert "19 de diciembre de 2026" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        services.results_record(
            membership=assessor,
            enrollment=enrollment,
            results={
                units_of(session)["U1"]: {"outcome": "competent", "assessed_on": datetime.date(2026, 12, 5)}
            },
        )
    assert not UnitResult.objects.exists()


def test_it_refuses_a_certificate_before_the_session(assessor, upcoming):
    _session, enrollment = upcoming
    with pytest.raises(ValidationError) as refused:
        services.certificate_issue(membership=assessor, enrollment=enrollment)
    assert "2026" in refused.value.messages[0]
    assert not Certificate.objects.exists()


def test_from_the_session_day_on_results_and_the_certificate_are_accepted(assessor, upcoming, time_machine):
    session, enrollment = upcoming
    time_machine.move_to(local_moment("2026-12-19 08:30"))
    services.enrollment_attendance(membership=assessor, enrollment=enrollment, attendance="present")
    units = units_of(session)
    with pytest.raises(ValidationError) as too_early:
        services.results_record(
            membership=assessor,
            enrollment=enrollment,
            results={units["U1"]: {"outcome": "competent", "assessed_on": datetime.date(2026, 12, 18)}},
        )
    assert "19 de diciembre de 2026" in too_early.value.messages[0]
    services.results_record(
        membership=assessor,
        enrollment=enrollment,
        results={u: {"outcome": "competent", "assessed_on": SESSION_DAY} for u in units.values()},
    )
    certificate = services.certificate_issue(membership=assessor, enrollment=enrollment)
    assert certificate.issued_at.date() >= SESSION_DAY


def test_results_need_the_candidate_marked_present_first(assessor, enrollment):
    units = units_of(enrollment.session)
    with pytest.raises(ValidationError):
        services.results_record(
            membership=assessor, enrollment=enrollment, results={units["U1"]: {"outcome": "competent"}}
        )
    services.enrollment_attendance(membership=assessor, enrollment=enrollment, attendance="absent")
    with pytest.raises(ValidationError):
        services.certificate_issue(membership=assessor, enrollment=enrollment)


def test_the_api_refuses_results_before_the_session_with_a_translated_400(assessor, upcoming):
    _session, enrollment = upcoming
    response = client_for(assessor).post(
        reverse("api:enrollment_results", args=[enrollment.pk]),
        {"results": [{"unit": "U1", "outcome": "competent"}]},
        content_type="application/json",
        headers={"accept-language": "es"},
    )
    assert response.status_code == 400
    assert "19 de diciembre de 2026" in str(response.json())


def test_the_session_page_waits_for_the_session_day(assessor, upcoming):
    session, _enrollment = upcoming
    client = client_for(assessor)
    page = client.get(reverse("certification:session", args=[session.pk])).content.decode()
    assert 'data-testid="not-yet"' in page and "19 de diciembre de 2026" in page
    assert 'name="attendance_' not in page
    refused = client.post(reverse("certification:session", args=[session.pk]), {})
    assert refused.status_code == 302
    assert not UnitResult.objects.exists()


def test_the_date_inputs_hold_iso_dates_and_saving_untouched_dates_works(assessor, upcoming, time_machine):
    """In Spanish the date is shown as 19/12/2026, which an <input type=date> cannot hold: the value
    must be ISO, or the browser shows it blank and the save fails."""
    session, enrollment = upcoming
    time_machine.move_to(local_moment("2026-12-21 10:00"))
    client = client_for(assessor)
    services.enrollment_attendance(membership=assessor, enrollment=enrollment, attendance="present")
    page = client.get(reverse("certification:enrollment", args=[enrollment.pk])).content.decode()
    dates = re.findall(r'<input type="date" name="date_\d+" value="([^"]*)"[^>]*>', page)
    assert dates and set(dates) == {"2026-12-19"}
    assert 'min="2026-12-19"' in page and 'max="2026-12-21"' in page
    units = units_of(session)
    form = {f"outcome_{pk}": "competent" for pk in units.values()}
    form |= {f"evidence_{pk}": "Observación directa" for pk in units.values()}
    form |= {f"date_{pk}": value for pk, value in zip(units.values(), dates, strict=True)}
    response = client.post(reverse("certification:enrollment", args=[enrollment.pk]), form)
    assert response.status_code == 302, response.content.decode()
    assert set(UnitResult.objects.values_list("assessed_on", flat=True)) == {SESSION_DAY}


def test_the_session_page_records_attendance_and_results_of_every_candidate(
    assessor, personas, upcoming, time_machine
):
    session, first = upcoming
    second = enrol_new_person(personas, session, given_names="Luis", first_surname="Tum")
    time_machine.move_to(local_moment("2026-12-19 16:00"))
    client = client_for(assessor)
    url = reverse("certification:session", args=[session.pk])
    page = client.get(url).content.decode()
    assert f'name="attendance_{first.pk}"' in page and f'name="attendance_{second.pk}"' in page
    assert 'value="2026-12-19"' in page
    units = units_of(session)
    form = {
        f"attendance_{first.pk}": "present",
        f"date_{first.pk}": "2026-12-19",
        **{f"outcome_{first.pk}_{pk}": "competent" for pk in units.values()},
        f"attendance_{second.pk}": "absent",
        f"date_{second.pk}": "2026-12-19",
        f"outcome_{second.pk}_{units['U1']}": "competent",  # results for someone absent: refused
    }
    refused = client.post(url, form)
    assert refused.status_code == 400
    body = refused.content.decode()
    assert 'id="error-summary"' in body and "Luis Tum" in body
    assert 'value="present" selected' in body  # what was typed is kept
    first.refresh_from_db()
    assert first.attendance == "expected" and not UnitResult.objects.exists()  # all or nothing

    form[f"outcome_{second.pk}_{units['U1']}"] = ""
    assert client.post(url, form).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.attendance, second.attendance) == ("present", "absent")
    assert UnitResult.objects.filter(enrollment=first, outcome="competent").count() == len(units)
    assert not UnitResult.objects.filter(enrollment=second).exists()
    page = client.get(url).content.decode()
    assert "Puede recibir el certificado" in page


def test_the_certificate_pdf_writes_the_date_the_local_way(assessor, upcoming, time_machine):
    session, enrollment = upcoming
    time_machine.move_to(local_moment("2026-12-19 17:00"))
    services.enrollment_attendance(membership=assessor, enrollment=enrollment, attendance="present")
    services.results_record(
        membership=assessor,
        enrollment=enrollment,
        results={u: {"outcome": "competent"} for u in units_of(session).values()},
    )
    certificate = services.certificate_issue(membership=assessor, enrollment=enrollment)
    response = client_for(assessor).get(
        reverse("certification:certificate_pdf", args=[certificate.pk]), {"lang": "es"}
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "19 de diciembre de 2026" in text
    assert "2026-12-19" not in text
