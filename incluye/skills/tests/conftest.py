import pytest

from incluye.core.testing import make_organization
from incluye.people.services import person_register
from incluye.skills.standards import catalogue_load

DRYWALL = {
    "code": "GT-CON-0012",
    "title_es": "Instalación de paneles de yeso en muros y cielos",
    "title_en": "Installation of gypsum board on walls and ceilings",
    "level": 2,
    "sector": "construction",
    "isco": "7123",
    "soc": ["47-2081"],
    "migrant_route": True,
    "assessment_method_es": "Observación del desempeño y revisión de evidencias.",
    "assessment_method_en": "Observation of performance and review of evidence.",
    "evidence": ["photos", "references"],
    "units": [
        {
            "code": "U1",
            "title_es": "Instalar la perfilería y colgar los paneles",
            "title_en": "Install the framing and hang the boards",
            "required": True,
            "keywords": ["tablaroca", "drywall", "colgar", "panel"],
            "criteria": [
                {
                    "code": "C1",
                    "kind": "performance",
                    "es": "Los paneles quedan a plomo.",
                    "en": "Boards are plumb.",
                },
                {
                    "code": "C2",
                    "kind": "product",
                    "es": "Las juntas quedan alineadas.",
                    "en": "Joints are aligned.",
                },
            ],
        },
        {
            "code": "U2",
            "title_es": "Dar acabado a juntas con cinta y masilla",
            "title_en": "Finish joints with tape and compound",
            "required": True,
            "keywords": ["masilla", "cinta", "lijar", "mud", "tape"],
            "criteria": [
                {
                    "code": "C1",
                    "kind": "performance",
                    "es": "La masilla se aplica en capas.",
                    "en": "Compound in coats.",
                },
                {
                    "code": "C2",
                    "kind": "knowledge",
                    "es": "Conoce los tiempos de secado.",
                    "en": "Knows drying times.",
                },
            ],
        },
        {
            "code": "U3",
            "title_es": "Leer planos de distribución",
            "title_en": "Read layout drawings",
            "required": False,
            "keywords": ["planos", "blueprints"],
            "criteria": [
                {"code": "C1", "kind": "knowledge", "es": "Interpreta cotas.", "en": "Reads dimensions."},
                {"code": "C2", "kind": "performance", "es": "Traza en el piso.", "en": "Marks the floor."},
            ],
        },
    ],
}


@pytest.fixture
def institute(db):
    body = make_organization(
        "Instituto Técnico de Capacitación y Productividad", kind="certifying_body", sector="public"
    )
    body.short_name = "INTECAP"
    body.save()
    catalogue_load(body=body, standards=[DRYWALL])
    return body


@pytest.fixture
def person(personas):
    return person_register(
        membership=personas.staff,
        given_names="José Ángel",
        first_surname="Ordóñez",
        second_surname="Muñoz",
        nationality_id="GT",
    )
