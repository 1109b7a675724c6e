import pytest

from incluye.participants.testing import invite, participant_client
from incluye.people.services import person_register


@pytest.fixture(autouse=True)
def sms(settings):
    from incluye.core import notify

    settings.INCLUYE_SMS_BACKEND = "incluye.core.notify.LocmemSMSBackend"
    notify.outbox.clear()
    yield notify.outbox
    notify.outbox.clear()


@pytest.fixture
def person(personas):
    return person_register(
        membership=personas.caseworker,
        given_names="María José",
        first_surname="Ixcoy",
        second_surname="Pérez",
        nationality_id="GT",
        phone="+50255501234",
    )


@pytest.fixture
def account(personas, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return invite(personas.caseworker, person)


@pytest.fixture
def me(account):
    return participant_client(account)


@pytest.fixture
def other_account(personas, django_capture_on_commit_callbacks):
    other = person_register(
        membership=personas.caseworker,
        given_names="Lesbia",
        first_surname="Ajcot",
        nationality_id="GT",
        phone="+50255509876",
    )
    with django_capture_on_commit_callbacks(execute=True):
        return invite(personas.caseworker, other)
