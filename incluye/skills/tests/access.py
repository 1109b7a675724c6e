"""Records and object URLs of the skills app for the access test (accounts/tests/test_access.py)."""

from django.urls import reverse


def make_records(personas, person) -> dict:
    from incluye.core.testing import make_organization
    from incluye.skills.services import profile_start, work_add
    from incluye.skills.standards import catalogue_load

    institute = make_organization("INTECAP", country="GT", kind="certifying_body", sector="public")
    catalogue_load(
        body=institute,
        standards=[
            {
                "code": "NTC-1",
                "title_es": "Cocina",
                "isco": "5120",
                "units": [
                    {"code": "U1", "title_es": "Cocinar", "criteria": [{"code": "C1", "es": "Cocina."}]}
                ],
            }
        ],
    )
    from incluye.skills.services import qualification_add

    return {
        "qualification": qualification_add(
            membership=personas.caseworker,
            person=person,
            title="Perito contador",
            level="secondary",
            country_id="SV",
        ),
        "job": work_add(membership=personas.caseworker, person=person, job_title="line cook"),
        "profile": profile_start(membership=personas.caseworker, person=person),
        "standard": institute.standards.get(),
        "institute": institute,
    }


def urls(personas, records) -> list[tuple[str, str]]:
    person, job, profile = records["person"].pk, records["job"].pk, records["profile"].pk
    return [
        ("get", reverse("skills:work_history", args=[person])),
        ("post", reverse("skills:profile_start", args=[person])),
        ("post", reverse("skills:qualification_add", args=[person])),
        ("post", reverse("skills:qualification_step", args=[records["qualification"].pk])),
        ("get", reverse("skills:work_edit", args=[job])),
        ("post", reverse("skills:work_remove", args=[job])),
        ("post", reverse("skills:work_code", args=[job])),
        ("post", reverse("skills:work_split", args=[job])),
        ("get", reverse("skills:work_suggestions", args=[job])),
        ("get", reverse("skills:profile", args=[profile])),
        ("post", reverse("skills:profile_add_occupation", args=[profile])),
        ("post", reverse("skills:profile_skill_remove", args=[profile])),
        ("post", reverse("skills:profile_sign", args=[profile])),
        ("get", reverse("skills:profile_pdf", args=[profile])),
        ("get", reverse("skills:standard", args=[records["standard"].pk])),
        ("get", reverse("api:work_history", args=[person])),
        ("get", reverse("api:person_profiles", args=[person])),
        ("get", reverse("api:work_experience", args=[job])),
        ("post", reverse("api:work_code", args=[job])),
        ("get", reverse("api:profile", args=[profile])),
        ("post", reverse("api:profile_sign", args=[profile])),
    ]
