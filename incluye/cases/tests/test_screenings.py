import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from incluye.accounts.roles import Role
from incluye.cases import services
from incluye.cases.models import Screening, Task
from incluye.core.testing import client_for, make_member
from incluye.people.services import person_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas):
    person = person_register(
        membership=personas.staff, given_names="Luis", first_surname="Xol", nationality_id="GT"
    )
    return services.case_open(membership=personas.caseworker, person=person)


@pytest.fixture
def psychologist(personas):
    return make_member(personas.org, Role.PSYCHOSOCIAL)


def phq9(**answers):
    return {f"item_{i}": str(answers.get(str(i), 0)) for i in range(1, 10)}


def test_a_positive_phq9_with_self_harm_creates_an_urgent_follow_up_task(personas, case, psychologist):
    client = client_for(psychologist)
    response = client.post(
        reverse("cases:screening_new", args=[case.pk, "phq-9"]), phq9(**{"9": 1}), follow=True
    )
    screening = Screening.objects.get()
    assert (screening.total, screening.positive, screening.urgent) == (1, True, True)
    assert screening.suggested_level == "specialized_care"
    task = Task.objects.get(sensitivity="psychosocial")
    assert (task.assigned_to, task.due_on) == (
        psychologist.user,
        timezone.localdate() + datetime.timedelta(days=1),
    )
    assert (
        "Atención especializada" in response.content.decode()
        or "especializad" in response.content.decode().lower()
    )


def test_a_negative_gad7_creates_no_task(personas, case, psychologist):
    answers = {f"item_{i}": "1" for i in range(1, 8)}  # total 7: mild
    client_for(psychologist).post(reverse("cases:screening_new", args=[case.pk, "gad-7"]), answers)
    assert Screening.objects.get().positive is False
    assert not Task.objects.filter(sensitivity="psychosocial").exists()


def test_a_missing_answer_keeps_the_others_and_says_which(personas, case, psychologist):
    answers = phq9(**{"1": 2})
    del answers["item_4"]
    response = client_for(psychologist).post(reverse("cases:screening_new", args=[case.pk, "phq-9"]), answers)
    assert response.status_code == 400
    assert not Screening.objects.exists()
    assert re.search(r'<input[^>]*value="2"[^>]*id="id_item_1_2"[^>]*checked', response.content.decode())


@pytest.mark.parametrize("name", ["caseworker", "staff", "admin"])
def test_screenings_are_invisible_to_other_roles(personas, case, psychologist, name):
    services.screening_record(
        membership=psychologist, case=case, instrument_code="WHO-5", answers={str(i): 1 for i in range(1, 6)}
    )
    client = personas.client(name)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "WHO-5" not in page
    assert client.get(reverse("cases:screening_new", args=[case.pk, "who-5"])).status_code == 403


def test_an_unknown_instrument_is_a_404(personas, case, psychologist):
    assert (
        client_for(psychologist).get(reverse("cases:screening_new", args=[case.pk, "abc"])).status_code == 404
    )


@pytest.mark.parametrize("slug", ["x" * 300, "phq-9" * 60, "rhs15-but-not-quite"])
def test_an_unknown_instrument_in_the_address_is_a_404_never_a_server_error(
    personas, case, psychologist, slug
):
    client = client_for(psychologist)
    assert client.get(reverse("cases:screening_new", args=[case.pk, slug])).status_code == 404
    assert client.post(reverse("cases:screening_new", args=[case.pk, slug]), {}).status_code == 404


def test_the_form_credits_the_instrument_in_the_readers_language_without_maintainers_notes(
    personas, case, psychologist
):
    page = (
        client_for(psychologist)
        .get(reverse("cases:screening_new", args=[case.pk, "rhs-15"]))
        .content.decode()
    )
    assert "Pathways to Wellness" in page
    assert "traducción hecha para Incluye" in page
    assert "NOT the official" not in page and "from memory" not in page
    phq = (
        client_for(psychologist).get(reverse("cases:screening_new", args=[case.pk, "phq-9"])).content.decode()
    )
    assert "No se requiere permiso para reproducirlo" in phq
    assert "No permission required" not in phq
