"""Recognition of qualifications from abroad: its own route beside the certification of
competencies, shown on the skills profile and its PDF."""

import datetime
import io

import pytest
from django.urls import reverse

from incluye.core.models import ActionLogEntry
from incluye.core.pipeline import TransitionNotAllowed
from incluye.people.testing import register_asylum_seeker
from incluye.skills import services
from incluye.skills.models import ForeignQualification

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeker(costa_rica):
    return register_asylum_seeker(costa_rica.reception)


def add_degree(costa_rica, seeker, **overrides):
    data = {
        "title": "Ingeniera Civil",
        "level": "university",
        "institution": "Universidad Central de Venezuela",
        "country": "VE",
        "year": "2014",
        "body": "CONARE",
        "requested_on": "2026-02-20",
    }
    data.update(overrides)
    data = {f"qualification-{name}": value for name, value in data.items()}
    return costa_rica.client("caseworker").post(reverse("skills:qualification_add", args=[seeker.pk]), data)


def test_a_caseworker_records_her_degree_and_its_request_to_the_competent_body(costa_rica, seeker):
    response = add_degree(costa_rica, seeker)
    assert response.status_code == 302
    degree = ForeignQualification.objects.get(person=seeker)
    assert (degree.country_id, degree.status, degree.body, degree.requested_on) == (
        "VE",
        "requested",
        "CONARE",
        datetime.date(2026, 2, 20),
    )
    assert degree.body_name.startswith("Consejo Nacional de Rectores")
    assert ActionLogEntry.objects.filter(action="incluye.qualification.added", person_id=seeker.pk).exists()


def test_a_request_needs_the_body_it_was_made_to_and_nothing_typed_is_lost(costa_rica, seeker):
    response = add_degree(costa_rica, seeker, body="")
    page = response.content.decode()
    assert response.status_code == 400
    assert "organismo" in page and 'value="Ingeniera Civil"' in page
    assert not ForeignQualification.objects.exists()


def test_the_recognition_follows_its_course_and_a_refusal_says_why(costa_rica, seeker):
    add_degree(costa_rica, seeker)
    degree = ForeignQualification.objects.get()
    with pytest.raises(Exception) as refused:
        services.qualification_progress(
            membership=costa_rica.caseworker, qualification=degree, status="refused"
        )
    assert "reconoció" in str(refused.value) or "rechaz" in str(refused.value)
    services.qualification_progress(
        membership=costa_rica.caseworker, qualification=degree, status="in_review"
    )
    services.qualification_progress(
        membership=costa_rica.caseworker,
        qualification=degree,
        status="partial",
        outcome="Equiparado a bachillerato universitario en Ingeniería Civil",
    )
    assert degree.decided_on == datetime.date(2026, 3, 2)
    with pytest.raises(TransitionNotAllowed):
        services.qualification_progress(
            membership=costa_rica.caseworker, qualification=degree, status="requested"
        )


def test_the_profile_and_its_pdf_show_both_routes(costa_rica, seeker):
    from pypdf import PdfReader

    add_degree(costa_rica, seeker)
    degree = ForeignQualification.objects.get()
    services.qualification_progress(
        membership=costa_rica.caseworker,
        qualification=degree,
        status="recognized",
        outcome="Licenciatura en Ingeniería Civil",
    )
    profile = services.profile_start(membership=costa_rica.caseworker, person=seeker)
    page = costa_rica.client("caseworker").get(reverse("skills:profile", args=[profile.pk])).content.decode()
    assert "Estándares nacionales y ruta de certificación" in page
    assert "Reconocimiento de títulos obtenidos en el extranjero" in page and "Ingeniera Civil" in page
    assert "Licenciatura en Ingeniería Civil" in page
    pdf = costa_rica.client("caseworker").get(reverse("skills:profile_pdf", args=[profile.pk])).content
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Reconocimiento de títulos obtenidos en el extranjero" in text and "Ingeniera Civil" in text
    assert "Reconocido" in text


def test_another_organization_cannot_touch_her_qualification(costa_rica, seeker, personas):
    add_degree(costa_rica, seeker)
    degree = ForeignQualification.objects.get()
    response = personas.client("caseworker").post(
        reverse("skills:qualification_step", args=[degree.pk]), {f"step{degree.pk}-status": "in_review"}
    )
    assert response.status_code == 404
    assert (
        personas.client("caseworker")
        .post(reverse("skills:qualification_add", args=[seeker.pk]), {})
        .status_code
        == 404
    )
