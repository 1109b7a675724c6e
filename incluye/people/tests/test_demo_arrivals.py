"""The Costa Rican demo alliance serves asylum seekers and refugees."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from incluye.people.models import IdentityDocument, MigrationStatus, Person, ReturnEvent

pytestmark = pytest.mark.django_db


def test_the_costa_rican_ngo_serves_asylum_seekers_and_refugees_with_documents_and_work_permits():
    from incluye.jobs.models import Vacancy
    from incluye.jobs.selectors import matched_candidates
    from incluye.people.selectors import documents_expiring, work_periods_by_person

    call_command("demo", people=0, quiet_accounts=True)
    arrivals = Person.objects.filter(organization__country_id="CR", organization__kind="ngo")
    assert arrivals.count() == 30
    assert set(arrivals.values_list("nationality_id", flat=True)) == {"NI", "VE", "CU", "CO", "HN"}
    current = MigrationStatus.objects.filter(person__in=arrivals, until__isnull=True)
    assert current.filter(kind="asylum_seeker").count() == 20 and current.filter(kind="refugee").count() == 7
    assert (
        ReturnEvent.objects.filter(person__in=arrivals, kind="arrival", origin_country__isnull=False).count()
        == 30
    )
    documents = IdentityDocument.objects.filter(person__in=arrivals).select_related("document_type__country")
    for document in documents:  # every number passes its country's rule
        assert document.document_type.clean_number(document.number) == document.number
    assert documents.filter(document_type__code="PERMISO_LABORAL").count() == 11
    assert documents.filter(document_type__code="DIMEX").count() == 7
    periods = work_periods_by_person(arrivals.values_list("pk", flat=True))
    assert sum(1 for p in periods.values() if p) >= 11  # permits and refugees
    assert documents_expiring(today=timezone.localdate())
    cook = Vacancy.objects.get(employer__country_id="CR", title="Cocinero de línea")
    cards = matched_candidates(vacancy=cook)
    # Every candidate shown may work; the employer has invited one of them already.
    assert all(c.authorized_to_work for c in cards) and cards
    assert len(cards) + cook.applications.count() >= 2
    call_command("demo", people=0, quiet_accounts=True)
    assert Person.objects.filter(organization__country_id="CR", organization__kind="ngo").count() == 30
