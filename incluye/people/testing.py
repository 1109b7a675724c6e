"""Arrivals for tests, reused by every app: a Costa Rican reception center, NGO and employer, and a
Venezuelan asylum seeker registered there, with or without a work permit."""

import datetime
from dataclasses import dataclass

from incluye.accounts.models import Membership, Organization
from incluye.accounts.roles import Role
from incluye.core.models import Country, Division, IdDocumentType
from incluye.core.testing import client_for, make_member, make_organization


@dataclass
class CostaRica:
    org: Organization
    employer_org: Organization
    reception: Membership
    caseworker: Membership
    documents: Membership
    psychosocial: Membership
    admin: Membership
    employer: Membership
    coordinator: Membership

    def client(self, name: str):
        return client_for(getattr(self, name))


def make_costa_rica() -> CostaRica:
    org = make_organization("Asociación de Acogida San José", country="CR", kind="ngo")
    employer_org = make_organization(
        "Empacadora del Valle, S. A.", country="CR", kind="employer", sector="private"
    )
    return CostaRica(
        org=org,
        employer_org=employer_org,
        reception=make_member(org, Role.RECEPTION_OFFICER),
        caseworker=make_member(org, Role.CASEWORKER),
        documents=make_member(org, Role.DOCUMENTS_OFFICER),
        psychosocial=make_member(org, Role.PSYCHOSOCIAL),
        admin=make_member(org, Role.ADMINISTRATOR),
        employer=make_member(employer_org, Role.EMPLOYER, mfa=False),
        coordinator=make_member(org, Role.COORDINATOR),
    )


def canton(code="101"):
    return Division.objects.get(country_id="CR", code=code)


def document_type(code, country="CR"):
    return IdDocumentType.objects.select_related("country").get(country_id=country, code=code)


def register_asylum_seeker(
    membership,
    *,
    given_names="María Alejandra",
    first_surname="Rondón",
    second_surname="Pérez",
    applied_on=datetime.date(2026, 1, 12),
    arrived_on=datetime.date(2026, 1, 10),
    card_expires_on=datetime.date(2026, 7, 12),
    residence="101",
    **fields,
):
    """A Venezuelan asylum seeker arrived in Costa Rica, with her asylum seeker's card."""
    from incluye.people.services import person_register

    return person_register(
        membership=membership,
        given_names=given_names,
        first_surname=first_surname,
        second_surname=second_surname,
        sex="F",
        nationality=Country.objects.get(code="VE"),
        residence=canton(residence),
        documents=[
            (document_type("CEDULA", "VE"), "V-18.234.567"),
            (document_type("SOLICITANTE"), "186212345678", applied_on, card_expires_on),
        ],
        return_event={
            "kind": "arrival",
            "arrived_on": arrived_on,
            "mode": "land",
            "returned_from": "other",
            "origin_country_id": "VE",
            "accompanied_by": "children",
            "reception_point": "Peñas Blancas",
        },
        migration_status={"kind": "asylum_seeker", "since": applied_on, "reference": "EXP-2026-0042"},
        **fields,
    )


def grant_work_permit(membership, person, *, valid_from, expires_on, social_security_since=None):
    """Costa Rica's work permit for an asylum seeker, with the social security registration it
    requires since 2022 (from `social_security_since`, by default the permit's first day)."""
    from incluye.people.services import identity_document_set

    identity_document_set(
        membership=membership,
        person=person,
        document_type=document_type("CCSS"),
        number="186212345678",
        issued_on=social_security_since or valid_from,
    )
    return identity_document_set(
        membership=membership,
        person=person,
        document_type=document_type("PERMISO_LABORAL"),
        number="PL-186212345678",
        issued_on=valid_from,
        expires_on=expires_on,
    )


def make_namesakes(organization, count: int = 60) -> None:
    """`count` women called Marta Ruiz, each with another second surname ("Ruiz00"…) and born on
    5 May of another year from 1930 on: a name too common for the name alone to find one of them."""
    from incluye.people.models import Person

    Person.objects.bulk_create(
        [
            Person(
                organization=organization,
                given_names="Marta",
                first_surname="Ruiz",
                second_surname=f"Ruiz{i:02d}",
                nationality_id=organization.country_id,
                birth_date=datetime.date(1930 + i, 5, 5),
                name_key=f"ruiz ruiz{i:02d} marta",
            )
            for i in range(count)
        ]
    )
