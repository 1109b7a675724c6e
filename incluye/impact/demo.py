"""Two consented stories of participants of the Guatemalan NGO, published (idempotent)."""

STORIES = [
    {
        "title_es": "De Houston a Quetzaltenango, con certificado",
        "title_en": "From Houston to Quetzaltenango, with a certificate",
        "text_es": "Trabajé seis años armando casas en Houston. Aquí nadie me creía que sabía leer "
        "planos. Con la certificación ahora dirijo una cuadrilla.",
        "text_en": "I spent six years framing houses in Houston. Back home nobody believed I could "
        "read blueprints. With the certification I now lead a crew.",
        "signature": "Byron, 34",
    },
    {
        "title_es": "Mi propia cocina",
        "title_en": "My own kitchen",
        "text_es": "Fui cocinera de línea en Los Ángeles. Con el apoyo de la alianza abrí un comedor en mi pueblo.",
        "text_en": "I was a line cook in Los Angeles. With the alliance's support I opened a small "
        "restaurant in my town.",
        "signature": "Glenda, 29",
    },
]


def demo_stories(organizations) -> int:
    from incluye.accounts.models import Membership
    from incluye.impact.models import Story
    from incluye.impact.services import story_create, story_publish
    from incluye.people.models import Person
    from incluye.people.services import consent_record

    ngo = organizations.get(("GT", "ngo"))
    membership = Membership.objects.filter(organization=ngo, role="caseworker", read_only=False).first()
    if membership is None or Story.objects.filter(organization=ngo).exists():
        return 0
    people = list(Person.objects.filter(organization=ngo).order_by("name_key")[: len(STORIES)])
    for person, text in zip(people, STORIES, strict=False):
        consent_record(
            membership=membership, person=person, purpose="stories", given=True, method="signed_form"
        )
        story = story_create(membership=membership, person=person, **text)
        story_publish(membership=membership, story=story)
    return len(people)
