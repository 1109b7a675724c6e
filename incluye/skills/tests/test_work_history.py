"""The counsellor records jobs abroad, the coder proposes occupations, the counsellor confirms,
builds the skills profile, signs it and prints it."""

import datetime
import io

import pytest
from django.urls import reverse

from incluye.core.actionlog import ActionLogEntry
from incluye.skills import services
from incluye.skills.models import Occupation, ProfileStatus, WorkExperience
from incluye.skills.pdf import render_profile_pdf
from incluye.skills.profile import profile_document

pytestmark = pytest.mark.django_db


def _job(personas, person, **fields):
    values = {
        "job_title": "hacía drywall",
        "tasks": "colgaba tablaroca y ponía masilla",
        "tools": "pistola de tornillos",
        "city": "Atlanta",
        "region": "GA",
        "country": "US",
        "started_on": datetime.date(2012, 1, 1),
        "started_precision": "year",
        "ended_on": datetime.date(2018, 1, 1),
        "ended_precision": "year",
        "licences": ["osha10"],
        "english_level": "basic",
    }
    return services.work_add(membership=personas.caseworker, person=person, **{**values, **fields})


def test_the_counsellor_adds_a_job_with_approximate_dates_and_sees_suggestions(personas, person):
    client = personas.client("caseworker")
    url = reverse("skills:work_history", args=[person.pk])
    response = client.post(
        url,
        {
            "job_title": "trabajé 6 años de framer en Houston",
            "tasks": "armaba paredes de madera",
            "tools": "pistola de clavos",
            "country": "US",
            "city": "Houston",
            "region": "TX",
            "started_year": "2013",
            "started_month": "3",
            "ended_year": "2019",
            "english_level": "basic",
            "licences": ["osha10", "osha30"],
        },
    )
    assert response.status_code == 302
    job = WorkExperience.objects.get(person=person)
    assert job.started_on == datetime.date(2013, 3, 1) and job.started_precision == "month"
    assert job.ended_on == datetime.date(2019, 1, 1) and job.ended_precision == "year"
    assert job.licences == ["osha10", "osha30"]
    page = client.get(url)
    assert page.status_code == 200
    assert "47-2031" in page.content.decode()  # the coder's suggestion: construction carpenters
    assert ActionLogEntry.objects.filter(action="incluye.work.added", object_id=str(job.pk)).exists()


def test_a_job_that_ends_before_it_starts_is_refused_and_what_was_typed_is_kept(personas, person):
    client = personas.client("caseworker")
    response = client.post(
        reverse("skills:work_history", args=[person.pk]),
        {
            "job_title": "line cook",
            "tasks": "cocinaba en la plancha",
            "country": "US",
            "started_year": "2018",
            "ended_year": "2015",
            "english_level": "none",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "no puede terminar antes de empezar" in html or "cannot end before it started" in html
    assert "cocinaba en la plancha" in html
    assert not WorkExperience.objects.exists()


def test_confirming_an_occupation_codes_the_job_and_is_logged(personas, person):
    job = _job(personas, person)
    client = personas.client("caseworker")
    response = client.post(
        reverse("skills:work_code", args=[job.pk]),
        {"occupation": "47-2081.00", "confidence": "0.9", "version": job.version},
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.occupation.code == "47-2081.00"
    assert ActionLogEntry.objects.filter(action="incluye.work.coded", object_id=str(job.pk)).exists()


def test_changing_what_the_person_said_asks_for_the_coding_again(personas, person):
    job = _job(personas, person)
    services.work_code(
        membership=personas.caseworker, experience=job, occupation=Occupation.objects.get(code="47-2081.00")
    )
    services.work_update(membership=personas.caseworker, experience=job, job_title="roofero")
    job.refresh_from_db()
    assert job.occupation is None


def test_another_description_gets_other_suggestions_or_no_confident_match(personas, person):
    job = _job(personas, person)
    client = personas.client("caseworker")
    url = reverse("skills:work_suggestions", args=[job.pk])
    assert "53-7051" in client.get(url, {"q": "montacarguista en bodega"}).content.decode()
    nonsense = client.get(url, {"q": "asdf qwerty"}).content.decode()
    assert "No hay una coincidencia confiable" in nonsense or "No confident match" in nonsense


def test_the_profile_gathers_occupations_skills_standards_and_gaps(personas, person, institute):
    job = _job(personas, person)
    services.work_code(
        membership=personas.caseworker, experience=job, occupation=Occupation.objects.get(code="47-2081.00")
    )
    profile = services.profile_start(membership=personas.caseworker, person=person)
    document = profile_document(profile)
    [occupation] = document["occupations"]
    assert occupation["soc"] == "47-2081" and occupation["years"] == "6.0"
    assert occupation["skills"], "the occupation's skills are listed"
    [standard] = document["standards"]
    assert standard["code"] == "GT-CON-0012" and standard["by"] == "soc"
    assert [u["code"] for u in standard["covered"]] == ["U1", "U2"]  # tablaroca, masilla
    assert [u["code"] for u in standard["gaps"]] == ["U3"]  # nobody mentioned blueprints
    assert standard["coverage"] == 1.0
    assert document["pathway"] == ["GT-CON-0012"]


def test_a_job_told_in_spanglish_covers_the_units_its_words_name(personas, person, institute):
    job = _job(
        personas,
        person,
        job_title="draiwalero",
        tasks="le modeaba a las paredes",  # "mud": the finishing compound
        tools="",
    )
    services.work_code(
        membership=personas.caseworker, experience=job, occupation=Occupation.objects.get(code="47-2081.00")
    )
    document = profile_document(services.profile_start(membership=personas.caseworker, person=person))
    [standard] = document["standards"]
    assert [u["code"] for u in standard["covered"]] == ["U1", "U2"]
    assert [u["code"] for u in standard["gaps"]] == ["U3"]


def test_a_standard_of_another_country_is_not_suggested(personas, person):
    from incluye.core.testing import make_organization
    from incluye.skills.standards import catalogue_load

    from .conftest import DRYWALL

    salvadoran = make_organization("INCAF", country="SV", kind="certifying_body", sector="public")
    catalogue_load(body=salvadoran, standards=[{**DRYWALL, "code": "SV-1"}])
    job = _job(personas, person)
    services.work_code(
        membership=personas.caseworker, experience=job, occupation=Occupation.objects.get(code="47-2081.00")
    )
    profile = services.profile_start(membership=personas.caseworker, person=person)
    assert profile_document(profile)["standards"] == []


def test_a_signed_profile_is_frozen_and_prints_in_spanish_and_english(personas, person, institute):
    from pypdf import PdfReader

    job = _job(personas, person)
    services.work_code(
        membership=personas.caseworker, experience=job, occupation=Occupation.objects.get(code="47-2081.00")
    )
    profile = services.profile_start(membership=personas.caseworker, person=person)
    services.profile_sign(membership=personas.caseworker, profile=profile)
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.SIGNED
    assert profile.snapshot["signed_by"] == "Ana López Pérez"
    # Later changes to the work history do not change what was signed.
    services.work_remove(membership=personas.caseworker, experience=job)
    assert profile_document(profile)["standards"][0]["code"] == "GT-CON-0012"
    for language, heading in (("es", "Perfil de competencias"), ("en", "Skills profile")):
        pdf = render_profile_pdf(profile, language=language)
        assert pdf.startswith(b"%PDF")
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert heading in text
        assert "José Ángel Ordóñez Muñoz" in text
        assert "GT-CON-0012" in text
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=r"firmado|signed"):
        services.profile_update(membership=personas.caseworker, profile=profile, summary="x", years={})


def test_the_pdf_view_answers_a_pdf_and_logs_the_print(personas, person, institute):
    profile = services.profile_start(membership=personas.caseworker, person=person)
    response = personas.client("caseworker").get(
        reverse("skills:profile_pdf", args=[profile.pk]), {"lang": "en"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert ActionLogEntry.objects.filter(action="incluye.profile.printed", object_id=str(profile.pk)).exists()


def test_signing_a_profile_without_occupations_is_refused_with_a_message(personas, person):
    profile = services.profile_start(membership=personas.caseworker, person=person)
    response = personas.client("caseworker").post(
        reverse("skills:profile_sign", args=[profile.pk]), {"version": profile.version}, follow=True
    )
    assert "al menos una ocupación" in response.content.decode()
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.DRAFT


def test_a_reception_officer_records_jobs_but_cannot_sign(personas, person):
    job = _job(personas, person)
    services.work_code(
        membership=personas.caseworker, experience=job, occupation=Occupation.objects.get(code="47-2081.00")
    )
    profile = services.profile_start(membership=personas.staff, person=person)
    response = personas.client("staff").post(reverse("skills:profile_sign", args=[profile.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["outsider", "outsider_admin", "employer"])
def test_another_organization_gets_404_or_403_never_the_work_history(personas, person, who):
    job = _job(personas, person)
    profile = services.profile_start(membership=personas.caseworker, person=person)
    client = personas.client(who)
    for url in (
        reverse("skills:work_history", args=[person.pk]),
        reverse("skills:work_edit", args=[job.pk]),
        reverse("skills:profile", args=[profile.pk]),
        reverse("skills:profile_pdf", args=[profile.pk]),
    ):
        response = client.get(url)
        assert response.status_code in {403, 404}
        assert b"drywall" not in response.content


def test_a_read_only_member_sees_the_history_but_cannot_add_to_it(personas, person):
    _job(personas, person)
    client = personas.client("readonly")
    url = reverse("skills:work_history", args=[person.pk])
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"job_title": "cook", "country": "US", "english_level": "none"}).status_code == 403
    )
    assert WorkExperience.objects.count() == 1


def test_the_work_history_and_the_catalogue_issue_a_constant_number_of_queries(personas, person, institute):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from incluye.skills.standards import catalogue_load

    from .conftest import DRYWALL

    client = personas.client("caseworker")
    pages = [reverse("skills:work_history", args=[person.pk]), reverse("skills:standards")]

    def counts():
        out = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            out.append(len(queries))
        return out

    job = _job(personas, person)
    services.work_code(
        membership=personas.caseworker, experience=job, occupation=Occupation.objects.get(code="47-2081.00")
    )
    services.profile_start(membership=personas.caseworker, person=person)
    client.get(pages[0])  # the coder's index is built once per process
    few = counts()
    for n in range(6):
        job = _job(personas, person, job_title=f"line cook {n}")
        services.work_code(
            membership=personas.caseworker,
            experience=job,
            occupation=Occupation.objects.get(code="35-2014.00"),
        )
    catalogue_load(body=institute, standards=[{**DRYWALL, "code": f"GT-CON-1{n}"} for n in range(6)])
    assert counts() == few


def test_the_counsellor_removes_a_skill_the_person_lacks_and_can_put_it_back(personas, person, institute):
    job = _job(personas, person)
    services.work_code(
        membership=personas.caseworker, experience=job, occupation=Occupation.objects.get(code="47-2081.00")
    )
    profile = services.profile_start(membership=personas.caseworker, person=person)
    [occupation] = profile_document(profile)["occupations"]
    code, label = occupation["skill_codes"][0], occupation["skills"][0]["es"]
    client = personas.client("caseworker")
    page = client.get(reverse("skills:profile", args=[profile.pk])).content.decode()
    assert "6 años" in page and "6.0 años" not in page and "6,0 años" not in page
    assert f'name="skill" value="{code}"' in page
    response = client.post(
        reverse("skills:profile_skill_remove", args=[profile.pk]), {"skill": code, "version": profile.version}
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    [occupation] = profile_document(profile)["occupations"]
    assert label not in [s["es"] for s in occupation["skills"]]
    page = client.get(reverse("skills:profile", args=[profile.pk])).content.decode()
    assert 'data-testid="removed-skills"' in page and label in page
    assert ActionLogEntry.objects.filter(action="incluye.profile.updated", data__removed_skill=code).exists()
    client.post(
        reverse("skills:profile_skill_remove", args=[profile.pk]),
        {"skill": code, "restore": "1", "version": profile.version},
    )
    profile.refresh_from_db()
    assert label in [s["es"] for s in profile_document(profile)["occupations"][0]["skills"]]
    # Once signed, the profile no longer changes.
    services.profile_sign(membership=personas.caseworker, profile=profile)
    profile.refresh_from_db()
    client.post(
        reverse("skills:profile_skill_remove", args=[profile.pk]), {"skill": code, "version": profile.version}
    )
    profile.refresh_from_db()
    assert profile.removed_skills == []


def test_a_job_naming_two_trades_offers_each_and_the_second_becomes_a_job_of_its_own(personas, person):
    job = _job(personas, person, job_title="hojalatero y pintor de carros", tasks="", tools="")
    client = personas.client("caseworker")
    page = client.get(reverse("skills:work_history", args=[person.pk])).content.decode()
    assert "Esta descripción nombra varios trabajos." in page
    assert "«hojalatero»" in page and "«pintor de carros»" in page
    painter = Occupation.objects.get(system="onet", code="51-9124.00")
    response = client.post(
        reverse("skills:work_split", args=[job.pk]),
        {"occupation": painter.code, "confidence": "0.8", "job_title": "pintor de carros"},
    )
    assert response.status_code == 302
    added = WorkExperience.objects.exclude(pk=job.pk).get(person=person)
    assert (added.job_title, added.occupation, added.city, added.started_on) == (
        "pintor de carros",
        painter,
        "Atlanta",
        job.started_on,
    )
    assert ActionLogEntry.objects.filter(action="incluye.work.added", object_id=str(added.pk)).exists()
    assert personas.client("readonly").post(
        reverse("skills:work_split", args=[job.pk]),
        {"occupation": painter.code, "job_title": "pintor de carros"},
    ).status_code in (403, 404)


def test_the_reasons_are_shown_in_spanish(personas, person):
    _job(personas, person, job_title="drywall", tasks="", tools="")
    page = (
        personas.client("caseworker").get(reverse("skills:work_history", args=[person.pk])).content.decode()
    )
    assert "Por" in page and "título «" in page


def test_the_coder_api_answers_several_jobs_with_calibrated_confidences(personas):
    client = personas.client("caseworker")
    response = client.post(
        reverse("api:coder"), {"text": "hojalatero y pintor de carros"}, content_type="application/json"
    )
    assert response.status_code == 200
    data = response.json()
    assert [job["text"] for job in data["jobs"]] == ["hojalatero", "pintor de carros"]
    assert data["matches"][0]["explanations"]
    response = client.post(
        reverse("api:coder"), {"text": "blorf quendar mistravo plenk"}, content_type="application/json"
    )
    assert response.json() == {"confident": False, "matches": [], "jobs": []}


def test_the_coder_api_gives_the_reasons_in_the_callers_language(personas):
    client = personas.client("caseworker")
    url = reverse("api:coder")
    spanish = client.post(
        url, {"text": "conserje"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="es"
    )
    english = client.post(
        url, {"text": "conserje"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert spanish.json()["matches"][0]["explanations"][0].startswith("título «")
    assert (
        english.json()["matches"][0]["explanations"][0] == "“conserje” matches one of its titles (in Spanish)"
    )
    assert spanish.json()["matches"][0]["reasons"] == english.json()["matches"][0]["reasons"]
