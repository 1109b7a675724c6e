"""The occupation coder, on a small hand-built taxonomy (no database) and on the bundled one."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from incluye.skills.coder import Calibration, Coder, Document, Normalizer, stem

OCCUPATIONS = [
    {
        "id": 1,
        "code": "47-2031.01",
        "isco": "7115",
        "title_es": "Carpintero de obra",
        "title_en": "Construction Carpenters",
    },
    {
        "id": 2,
        "code": "35-2014.00",
        "isco": "5120",
        "title_es": "Cocinero de restaurante",
        "title_en": "Cooks, Restaurant",
    },
    {
        "id": 3,
        "code": "53-7051.00",
        "isco": "8344",
        "title_es": "Operador de montacargas",
        "title_en": "Industrial Truck and Tractor Operators",
    },
    {"id": 4, "code": "47-2181.00", "isco": "7121", "title_es": "Techador", "title_en": "Roofers"},
    {
        "id": 5,
        "code": "35-2012.00",
        "isco": "5120",
        "title_es": "Cocinero de institución",
        "title_en": "Cooks, Institution and Cafeteria",
    },
]
TITLES = {
    1: ["carpintero", "framer", "carpintero de obra negra"],
    2: ["cocinero", "line cook", "cocinero de línea", "cook"],
    3: ["montacarguista", "forklift operator", "operador de montacargas"],
    4: ["techador", "roofer", "techero"],
    5: ["cocinero de hospital", "cafeteria cook", "cook"],
}
SPELLING = {"roofero": "roofer", "forklift": "montacargas", "troca": "camion"}
STOPWORDS = {"trabaje", "anos", "de", "en", "houston", "la", "el", "una", "hacia", "como"}


@pytest.fixture(scope="module")
def coder():
    documents = [
        Document(i, "title", o[key], "bundled")
        for i, o in enumerate(OCCUPATIONS)
        for key in ("title_es", "title_en")
    ]
    documents += [Document(o["id"] - 1, "title", t, "bundled") for o in OCCUPATIONS for t in TITLES[o["id"]]]
    documents += [
        Document(0, "task", "Armar estructuras de madera para paredes y techos", "bundled"),
        Document(0, "tool", "pistola de clavos", "bundled"),
        Document(3, "task", "Instalar tejas y láminas en techos", "bundled"),
    ]
    # A hand-made index: the fitted calibration is for the real taxonomy, so raw scores here.
    return Coder(OCCUPATIONS, documents, Normalizer(SPELLING, STOPWORDS), Calibration.uncalibrated())


def test_a_returnee_phrase_with_filler_finds_the_occupation(coder):
    best = coder.code("trabajé 6 años de framer en Houston")[0]
    assert best.soc == "47-2031"
    assert best.isco == "7115"
    assert any(r.kind == "title" and r.text == "framer" for r in best.reasons)


def test_spanglish_words_are_understood(coder):
    assert coder.code("roofero")[0].soc == "47-2181"
    assert coder.code("manejaba el forklift en la bodega")[0].soc == "53-7051"


def test_missing_accents_typos_and_gender_do_not_matter(coder):
    assert coder.code("cocinera de linea")[0].soc == "35-2014"
    assert coder.code("carpitero")[0].soc == "47-2031"
    assert coder.code("MONTACARGUISTA")[0].soc == "53-7051"


def test_a_more_specific_title_wins_over_a_shared_word(coder):
    matches = coder.code("line cook")
    assert matches[0].soc == "35-2014"
    assert matches[0].confidence > matches[1].confidence


def test_tasks_and_tools_are_reasons_too(coder):
    best = coder.code("armaba estructuras de madera con la pistola de clavos")[0]
    assert best.soc == "47-2031"
    assert {r.kind for r in best.reasons} & {"task", "tool"}


@pytest.mark.parametrize("text", ["", "   ", "no sé", "asdfgh qwerty", "trabajé en Houston", "12345", "???"])
def test_empty_or_nonsense_input_gets_no_confident_match(coder, text):
    assert coder.code(text) == []


def test_results_are_ranked_and_limited(coder):
    matches = coder.code("cook", limit=2)
    assert len(matches) == 2
    assert matches[0].confidence >= matches[1].confidence
    assert all(0 < m.confidence <= 1 for m in matches)


def test_stemming_folds_plurals_and_gender():
    assert stem("cocineras") == stem("cocinero") == stem("cocineros")
    assert stem("soldadores") == stem("soldador")
    assert stem("cooks") == stem("cook")
    assert stem("limpiabamos") == stem("limpiaba") == stem("limpiar")  # "we cleaned"
    assert stem("haciamos") == stem("hacia")


@pytest.mark.django_db
def test_the_bundled_taxonomy_codes_common_returnee_jobs_out_of_the_box():
    from incluye.skills.coding import get_coder, reset

    reset()
    coder = get_coder()
    assert coder.code("framer")[0].soc == "47-2031"
    assert coder.code("hacía drywall")[0].soc in {"47-2081", "47-2082"}
    assert coder.code("dishwasher en un restaurante")[0].soc == "35-9021"
    assert coder.code("montacarguista en bodega")[0].soc == "53-7051"
    assert coder.code("xyzzy") == []


def test_short_words_never_match_a_title_on_their_own():
    occupations = [
        {
            "id": 1,
            "code": "29-1071.00",
            "isco": "2240",
            "title_es": "Asistente médico",
            "title_en": "Physician Assistants",
        },
        {
            "id": 2,
            "code": "31-9092.00",
            "isco": "3256",
            "title_es": "Asistente médico",
            "title_en": "Medical Assistants",
        },
        {
            "id": 3,
            "code": "49-2097.00",
            "isco": "7421",
            "title_es": "Técnico de TV",
            "title_en": "TV Repairers",
        },
    ]
    documents = [
        Document(0, "title", "PA-C", "onet", "en"),
        Document(1, "title", "MA", "onet", "en"),
        Document(2, "title", "TV repairer", "onet", "en"),
    ]
    coder = Coder(occupations, documents, Normalizer(SPELLING, STOPWORDS), Calibration.uncalibrated())
    for text in ("pa", "ma", "ok", "trabajé pa una empresa", "PA", "MA OK"):
        assert coder.code(text) == [], text
    # A short word still counts as part of a pair.
    assert coder.code("tv repairer")[0].soc == "49-2097"


def test_reasons_are_given_in_the_readers_language():
    occupations = [
        {
            "id": 1,
            "code": "37-2011.00",
            "isco": "9112",
            "title_es": "Conserje",
            "title_en": "Janitors and Cleaners",
        },
    ]
    documents = [
        Document(0, "title", "conserje", "bundled", "es"),
        Document(0, "task", "Operate floor buffers and scrubbers", "onet", "en"),
    ]
    coder = Coder(occupations, documents, Normalizer(SPELLING, STOPWORDS), Calibration.uncalibrated())
    match = coder.code("operated the floor buffers and scrubbers")[0]
    task = next(r for r in match.reasons if r.kind == "task")
    assert task.words == ("operated", "floor", "buffers", "and", "scrubbers")  # "the" is not in the task
    assert task.describe("en") == "task “Operate floor buffers and scrubbers”"
    with translation.override("es"):
        said = task.describe("es", gettext)
    assert "Operate" not in said
    assert said == "«operated floor buffers and scrubbers» coincide con una de sus tareas (en inglés)"
    # A document in the reader's language is quoted as it is.
    title = coder.code("conserje")[0].reasons[0]
    assert title.describe("es", gettext) == "título «conserje»"


@pytest.mark.django_db
def test_the_bundled_coder_says_when_it_does_not_know():
    from incluye.skills.coding import get_coder, reset

    reset()
    coder = get_coder()
    made_up = " ".join(["blorf quendar mistravo plenk zapatrunco melifo"] * 100)  # ~5 000 characters
    for text in (made_up, "utz awach in k'o pa ri tinamit", "trabajé pa una compañía", "me gusta el fútbol"):
        assert coder.code(text) == [], text
    # What it answers, it answers with a probability.
    match = coder.code("trabajé 6 años de framer en Houston")[0]
    assert match.soc == "47-2031"
    assert 0.5 < match.confidence <= 1


@pytest.mark.django_db
def test_a_description_naming_two_jobs_returns_each_of_them():
    from incluye.skills.coding import get_coder, reset

    reset()
    jobs = get_coder().code_jobs("hojalatero y pintor de carros")
    assert [job.text for job in jobs] == ["hojalatero", "pintor de carros"]
    assert jobs[0].matches[0].soc == "49-3021"
    assert jobs[1].matches[0].soc in {"51-9124", "49-3021"}
    assert get_coder().code_jobs("pintaba casas por dentro y por fuera") == []  # one job


@pytest.mark.django_db
def test_each_job_of_a_description_that_names_several_is_coded_in_the_order_said():
    from incluye.skills.coding import get_coder, reset

    reset()
    coder = get_coder()
    said = {  # written for this test, as a caseworker would hear them: three jobs, English, "luego"
        "soldador, pintor y mecánico": ["51-4121", "47-2141", "49-3023"],
        "I was a welder and a machinist": ["51-4121", "51-4041"],
        "lavaba platos y después fui cocinero": ["35-9021", "35-2014"],
        "manejaba montacargas y a veces era bodeguero": ["53-7051", "53-7062"],
        "fui cajera y luego gerente de la tienda": ["41-2011", "41-1011"],
        "cortaba grama y limpiaba oficinas": ["37-3011", "37-2011"],
    }
    for text, socs in said.items():
        assert [job.matches[0].soc for job in coder.code_jobs(text)] == socs, text


def test_the_calibration_ships_as_fitted_data_for_both_index_profiles():
    for profile in ("bundled", "official"):
        calibration = Calibration.load(profile)
        assert calibration.first is not None and calibration.others is not None
        assert 0.05 <= calibration.threshold <= 0.8


def test_the_place_of_work_weighs_less_than_what_the_person_did():
    occupations = [
        {"id": 1, "code": "41-2031.00", "isco": "5223", "title_es": "Vendedor", "title_en": "Salespersons"},
        {"id": 2, "code": "51-6041.00", "isco": "7536", "title_es": "Zapatero", "title_en": "Shoe Workers"},
    ]
    documents = [Document(0, "title", "vendedor", "bundled"), Document(1, "title", "zapateria", "bundled")]
    coder = Coder(occupations, documents, Normalizer({}, STOPWORDS), Calibration.uncalibrated())
    assert coder.code("vendedor en una zapateria")[0].soc == "41-2031"
    assert coder.code("trabajaba en una zapateria")[0].soc == "51-6041"  # only the place is named


def test_words_run_together_or_typed_apart_are_understood(coder):
    assert coder.code("linecook")[0].soc == "35-2014"  # "line cook"
    assert coder.code("fork lift operator")[0].soc == "53-7051"  # "forklift"


def test_a_word_about_life_is_never_taken_for_a_typo_of_a_job_word():
    occupations = [
        {"id": 1, "code": "35-9031.00", "isco": "5131", "title_es": "Anfitrión", "title_en": "Hosts"}
    ]
    documents = [Document(0, "title", "sentaba clientes", "bundled")]
    plain = Coder(occupations, documents, Normalizer({}, STOPWORDS), Calibration.uncalibrated())
    aware = Coder(
        occupations, documents, Normalizer({}, STOPWORDS, (), ["siento"]), Calibration.uncalibrated()
    )
    # Without the list, "siento" beside a known word is corrected to "sentaba".
    assert plain.query_tokens("siento clientes")[2] == 1
    tokens, known, corrected, unknown, life = aware.query_tokens("me siento")
    assert (tokens, known, corrected, unknown, life) == ([], 0, 0, 1, 1)
    assert aware.code("siento") == []


@pytest.mark.django_db
def test_someone_looking_for_work_gets_no_confident_match_unless_they_name_the_job():
    from incluye.skills.coding import get_coder, reset

    reset()
    coder = get_coder()
    for text in ("buscando trabajo", "busco empleo", "ando buscando chamba", "I'm looking for a job"):
        assert coder.code(text) == [], text
    assert coder.code("estoy buscando trabajo de carpintero")[0].soc == "47-2031"


@pytest.mark.django_db
def test_answers_about_family_feelings_or_home_get_no_confident_match():
    from incluye.skills.coding import get_coder, reset

    reset()
    coder = get_coder()
    for text in (
        "mis hijas se quedaron con mi suegra",
        "me siento cansado desde que llegué",
        "ahora vivimos en Totonicapán",
        "my wife and my son are in Florida",
    ):
        assert coder.code(text) == [], text
    # A job said among family talk is still found.
    assert coder.code("mi esposa y yo limpiábamos oficinas de noche")[0].soc in {"37-2011", "37-2012"}


@pytest.mark.django_db
def test_a_title_as_typed_wins_over_one_that_only_shares_its_stem():
    from incluye.skills.coding import get_coder, reset

    reset()
    coder = get_coder()
    # "maquilera" (who sews in a maquila) and "maquilero" (who assembles there) share a stem.
    assert coder.code("maquilera")[0].soc == "51-6031"
    assert coder.code("maquilero")[0].soc == "51-2092"


@pytest.mark.django_db
def test_esco_labels_ship_with_the_bundled_occupations():
    from incluye.skills.coding import get_coder, reset
    from incluye.skills.models import OccupationTitle, Source

    reset()
    labels = OccupationTitle.objects.filter(source=Source.ESCO, occupation__code="45-2092.00")
    assert labels.filter(language="es", title="operario agrícola").exists()
    match = get_coder().code("operaria de cultivos hortícolas")[0]
    assert match.soc == "45-2092"
    # A label the bundle gives to another occupation stays with it ("jardinero" is a gardener).
    assert not labels.filter(title="jardinero").exists()


def test_a_plural_of_a_spanglish_word_is_understood_like_the_word():
    normalizer = Normalizer({"rufo": "techo", "trailer": "trailero"}, STOPWORDS)
    assert normalizer.words("rufos") == normalizer.words("rufo") == ["tech"]
    assert normalizer.words("trailers") == normalizer.words("trailer")
    assert normalizer.words("refugios") == normalizer.words("refugio")  # not in the table: as it is


@pytest.mark.django_db
def test_spanglish_work_words_of_the_glossary_code_the_trade():
    from incluye.skills.coding import get_coder, reset

    reset()
    coder = get_coder()
    assert coder.code("trabajé en los rufos")[0].soc == "47-2181"  # "roof": a roofer
    assert coder.code("rufiaba casas en Oklahoma")[0].soc == "47-2181"
    assert coder.code("draiwolero")[0].soc in {"47-2081", "47-2082"}
    assert coder.code("estoqueaba en la noche")[0].soc == "53-7065"
    assert coder.code("garrotero")[0].soc == "35-9011"  # Mexican for a busboy
    assert coder.code("cabezalero")[0].soc == "53-3032"  # Central American for a trailer driver


@pytest.mark.django_db
def test_colloquial_titles_of_the_glossary_ship_with_the_bundled_occupations():
    from incluye.skills.coding import get_coder, reset
    from incluye.skills.models import OccupationTitle, Source, TitleKind

    reset()
    titles = OccupationTitle.objects.filter(source=Source.BUNDLED, kind=TitleKind.COLLOQUIAL)
    assert titles.filter(occupation__code="37-2011.00", title="houseman").exists()
    assert get_coder().code("houseman")[0].soc in {"37-2011", "37-2012"}
    assert get_coder().code("deli clerk")[0].soc == "35-2021"


@pytest.mark.django_db
def test_tyson_codes_a_meat_packer():
    from incluye.skills.coding import get_coder, reset

    reset()
    match = get_coder().code("trabajé en la Tyson")[0]
    assert match.soc == "51-3023"
    reason = match.reasons[0]
    assert reason.kind == "employer"
    with translation.override("es"):
        assert reason.describe("es", gettext) == "un trabajo habitual en «Tyson»"
    assert reason.describe("en") == "a usual job at “Tyson”"


@pytest.mark.django_db
def test_an_employer_named_instead_of_a_job_proposes_the_jobs_people_hold_there():
    from incluye.skills.coding import get_coder, reset

    reset()
    coder = get_coder()
    assert {m.soc for m in coder.code("en Amazon")[:2]} == {"53-7062", "53-7065"}
    assert coder.code("Waste Management")[0].soc == "53-7081"
    # An employer is a weaker clue than the job the person names.
    assert coder.code("lavaplatos en Olive Garden")[0].soc == "35-9021"
    assert coder.code("cajera en Home Depot")[0].soc == "41-2011"


def test_every_glossary_title_and_employer_points_to_a_bundled_occupation():
    from incluye.skills.bundled import bundled_data, employers, glossary

    codes = {o["onet"] for o in bundled_data()["occupations"]}
    assert set(glossary()["titles"]) <= codes
    assert {code for employer in employers() for code in employer["onet"]} <= codes
    assert len(glossary()["words"]) >= 300 and len(employers()) >= 30


@pytest.mark.django_db
def test_a_roofers_helper_codes_the_roofers_helper():
    from incluye.skills.coding import get_coder, reset

    reset()
    coder = get_coder()
    match = coder.code("era ayudante del rufero, le subía las tejas")[0]
    assert match.soc == "47-3016"
    assert coder.code("le pasaba las herramientas al electricista")[0].soc == "47-3013"
    # Without the role word, the trade itself.
    assert coder.code("rufero, ponía las tejas")[0].soc == "47-2181"


@pytest.mark.django_db
def test_a_foreman_of_a_trade_codes_the_first_line_supervisor_of_that_trade():
    from incluye.skills.coding import get_coder, reset

    reset()
    coder = get_coder()
    # "mayordomo" alone is a farm title; with a construction trade it is the construction foreman.
    assert coder.code("mayordomo de la cuadrilla de roofing")[0].soc == "47-1011"
    assert coder.code("supervisora de las camaristas del hotel")[0].soc == "37-1011"
    # A title that already is a head or a supervisor stays as it is.
    assert coder.code("jefe de cocina")[0].soc == "35-1011"
    assert coder.code("supervisor de limpieza")[0].soc == "37-1011"


def test_which_trade_has_which_helper_and_supervisor_is_data():
    from incluye.skills.coder import Context

    occupations = [
        *OCCUPATIONS,
        {"id": 6, "code": "47-3016.00", "isco": "9313", "title_es": "x", "title_en": "y"},
    ]
    documents = [Document(i, "title", o["title_es"], "bundled") for i, o in enumerate(occupations)]
    documents.append(Document(3, "title", "roofer", "bundled"))
    context = Context.from_data(
        {"roles": {"helper": {"words": ["chalan"], "of": {"47-2181": "47-3016"}, "already": ["47-3"]}}}
    )
    normalizer = Normalizer(SPELLING, STOPWORDS)
    with_roles = Coder(occupations, documents, normalizer, Calibration.uncalibrated(), context)
    without = Coder(occupations, documents, normalizer, Calibration.uncalibrated())
    assert with_roles.code("chalan de roofer")[0].soc == "47-3016"
    assert without.code("chalan de roofer")[0].soc == "47-2181"
    assert with_roles.code("roofer")[0].soc == "47-2181"


@pytest.mark.django_db
def test_an_excavator_on_a_road_codes_the_construction_equipment_operator_not_the_mining_one():
    from incluye.skills.coding import get_coder, reset

    reset()
    coder = get_coder()
    assert coder.code("manejaba la excavadora en la carretera")[0].soc == "47-2073"
    assert coder.code("manejaba la excavadora en una mina")[0].soc == "47-5022"


@pytest.mark.django_db
def test_felling_trees_in_the_forest_codes_logging_not_tree_trimming():
    from incluye.skills.coding import get_coder, reset

    reset()
    assert get_coder().code("cortaba árboles con motosierra en el bosque")[0].soc == "45-4021"


@pytest.mark.django_db
def test_a_crew_member_in_landscaping_is_not_taken_for_a_fast_food_worker():
    from incluye.skills.coding import get_coder, reset

    reset()
    coder = get_coder()
    matches = coder.code("crew member en una compañía de jardinería")
    assert matches and matches[0].soc == "37-3011"
    # "Crew member" names no job in particular: where the crew worked decides.
    assert coder.code("crew member en McDonald's")[0].soc in {"35-3023", "35-2011"}


def test_an_employer_alone_needs_more_confidence_than_a_title_to_be_answered():
    occupations = OCCUPATIONS[:2]
    documents = [
        Document(0, "title", "carpintero", "bundled"),
        Document(1, "title", "cocinero", "bundled"),
        Document(1, "employer", "Taco Bell", "bundled"),
    ]
    # Raw scores stand for probabilities here; only an employer must clear 0.9.
    calibration = Calibration(None, None, 0.4, {"title": 0.4, "task": 0.4, "employer": 0.9})
    coder = Coder(occupations, documents, Normalizer({}, STOPWORDS), calibration)
    assert coder.code("cocinero")[0].soc == "35-2014"
    assert coder.code("en el Taco Bell") == []
    assert (
        Calibration(None, None, 0.4, {"title": 0.4, "task": 0.4, "employer": 0.7}).threshold_for("employer")
        == 0.7
    )


def test_the_shipped_calibration_asks_an_employer_alone_for_at_least_what_it_asks_a_title():
    for profile in ("bundled", "official"):
        calibration = Calibration.load(profile)
        assert set(calibration.thresholds) == {"title", "task", "employer"}
        assert calibration.threshold_for("employer") >= calibration.threshold_for("title")


@pytest.mark.django_db
def test_a_construction_site_makes_no_one_a_supervisor_and_the_verb_forman_is_no_foreman():
    from incluye.skills.coding import get_coder, reset

    reset()
    coder = get_coder()
    assert coder.code("en la construcción, de todo un poco")[0].soc == "47-2061"  # a laborer, not the foreman
    # "forman" is a Spanish verb ("las piezas que forman…"), not a misspelt "foreman"
    assembler = coder.code("en la fábrica armaba las piezas que forman los muebles")
    assert assembler and not assembler[0].soc.endswith("-1011")
    # a role word still makes the supervisor
    assert coder.code("era el foreman de los albañiles en la construcción")[0].soc == "47-1011"


def test_a_trade_word_that_many_task_statements_repeat_still_names_the_trade():
    # With O*NET imported an occupation has dozens of task statements; ten that all say "drywall"
    # must not make "drywall" a common word that the place of work outweighs.
    occupations = [
        {
            "id": 1,
            "code": "47-2081.00",
            "isco": "7123",
            "title_es": "Instalador",
            "title_en": "Drywall Installers",
        },
        {"id": 2, "code": "37-2011.00", "isco": "9112", "title_es": "Conserje", "title_en": "Janitors"},
    ]
    tasks = [
        "Hang drywall panels on walls and ceilings",
        "Cut drywall to size",
        "Fasten drywall to studs with screws",
        "Fit and fasten drywall into position",
        "Measure and mark drywall",
        "Remove damaged drywall",
        "Patch holes in drywall",
        "Trim rough edges from drywall",
        "Install metal corner beads over drywall",
        "Read blueprints to plan drywall layout",
    ]
    documents = [Document(0, "title", "drywall", "bundled"), Document(1, "title", "oficinas", "bundled")]
    documents += [Document(0, "task", task, "onet", "en") for task in tasks]
    coder = Coder(occupations, documents, Normalizer({}, STOPWORDS), Calibration.uncalibrated())
    assert coder.code("drywall en oficinas")[0].soc == "47-2081"
    assert coder.code("trabajaba en oficinas")[0].soc == "37-2011"  # only the place is named


def test_no_one_is_made_a_supervisor_for_the_words_of_the_work_alone():
    from incluye.skills.coder import Context

    occupations = [
        {"id": 1, "code": "53-1042.00", "isco": "4321", "title_es": "Supervisor", "title_en": "Supervisors"},
        {"id": 2, "code": "53-7062.00", "isco": "9333", "title_es": "Cargador", "title_en": "Laborers"},
    ]
    documents = [
        Document(0, "title", "supervisor de bodega", "bundled"),
        Document(0, "task", "organiza la bodega", "bundled"),
        Document(1, "title", "trabajador de bodega", "bundled"),
    ]
    context = Context.from_data(
        {"roles": {"supervisor": {"words": ["supervisor"], "of": {"53-7": "53-1042"}, "already": ["53-1"]}}}
    )
    normalizer = Normalizer({}, STOPWORDS)
    coder = Coder(occupations, documents, normalizer, Calibration.uncalibrated(), context)
    assert (
        Coder(occupations, documents, normalizer, Calibration.uncalibrated()).code("bodega")[0].soc
        == "53-1042"
    )
    assert coder.code("trabaje en una bodega")[0].soc == "53-7062"
    assert coder.code("supervisor de bodega")[0].soc == "53-1042"  # the role said


def _occupations(*socs: str, start: int = 1) -> list[dict]:
    """Occupations of a hand-made index, by SOC code only."""
    return [
        {"id": number, "code": f"{soc}.00", "isco": "", "title_es": soc, "title_en": soc}
        for number, soc in enumerate(socs, start)
    ]


def test_a_crew_leader_of_a_trade_codes_that_trades_supervisor_not_a_title_made_of_the_role_words():
    # O*NET lists "Crew Leader" among the titles of the production supervisors, the landscaping
    # supervisors and other production workers: the role's own words must not pick the trade (here
    # they fill the first places), the framing must.
    from incluye.skills.coder import Context

    occupations = _occupations("51-1011", "47-2031", "47-1011", "37-1012", "51-9199")
    documents = [
        Document(0, "title", "Crew Leader", "bundled", "en"),
        Document(3, "title", "crew leader", "bundled"),
        Document(4, "title", "Crew Leader", "bundled", "en"),
        Document(1, "title", "framer", "bundled"),
        Document(1, "title", "framing carpenter", "bundled"),
        Document(2, "title", "construction foreman", "bundled"),
    ]
    context = Context.from_data(
        {
            "roles": {
                "supervisor": {
                    "words": ["crew leader"],
                    "of": {"47-": "47-1011", "51-": "51-1011", "37-3": "37-1012"},
                    "already": ["47-1011", "51-1011", "37-1012"],
                }
            }
        }
    )
    coder = Coder(occupations, documents, Normalizer({}, STOPWORDS), Calibration.uncalibrated(), context)
    assert coder.code("crew leader for a framing company")[0].soc == "47-1011"
    assert coder.code("crew leader")[0].soc in {"51-1011", "37-1012"}  # no trade said: the title itself
    assert coder.code("framing carpenter")[0].soc == "47-2031"


def _helpers_coder(with_other_helper: bool):
    from incluye.skills.coder import Context

    occupations = _occupations("47-2131", "51-2092", "51-9198")
    documents = [
        Document(0, "title", "insulation", "bundled"),
        Document(1, "title", "trabajador de planta", "bundled"),
        Document(2, "title", "ayudante de produccion", "bundled"),
    ]
    if with_other_helper:
        occupations += _occupations("47-3019", start=4)
        documents.append(Document(3, "title", "Insulation Helper", "onet", "en"))
    context = Context.from_data(
        {
            "roles": {
                "helper": {
                    "words": ["ayudante"],
                    "of": {"47-2": "47-3019", "51-": "51-9198"},
                    "already": ["47-3", "51-9198"],
                }
            }
        }
    )
    return Coder(occupations, documents, Normalizer({}, STOPWORDS), Calibration.uncalibrated(), context)


def test_a_helper_of_a_trade_whose_helper_the_index_lacks_keeps_the_trade_not_another_trades_helper():
    # The drywall, flooring and insulation helpers (47-3019) come only with O*NET: without it, an
    # insulation helper is coded as the insulation worker, not as a helper of the factory named beside.
    text = "ayudante de insulation en la planta"
    assert _helpers_coder(with_other_helper=False).code(text)[0].soc == "47-2131"
    assert _helpers_coder(with_other_helper=True).code(text)[0].soc == "47-3019"


def test_the_calibration_sees_whether_a_title_says_the_word_as_typed_or_only_shares_its_stem(coder):
    from incluye.skills.coder.calibrate import FEATURES, candidate_features
    from incluye.skills.coder.score import analyse

    verbatim = FEATURES.index("verbatim")
    said = analyse(coder, "techador")
    stem_only = analyse(coder, "techos")  # "techos" shares the stem of "techador", not the word
    assert coder.soc_of(said.candidates[0].occupation) == coder.soc_of(stem_only.candidates[0].occupation)
    assert candidate_features(coder, said, 0)[verbatim] == 1.0
    assert candidate_features(coder, stem_only, 0)[verbatim] == 0.0


def test_the_calibration_tells_the_imported_official_titles_from_the_bundled_ones():
    from incluye.skills.coder.calibrate import FEATURES, candidate_features
    from incluye.skills.coder.score import analyse

    documents = [Document(0, "title", "carpintero", "esco", "es"), Document(1, "title", "cook", "onet", "en")]
    coder = Coder(OCCUPATIONS[:2], documents, Normalizer({}, STOPWORDS), Calibration.uncalibrated())
    imported = FEATURES.index("imported")
    assert candidate_features(coder, analyse(coder, "carpintero"), 0)[imported] == 0.0
    assert candidate_features(coder, analyse(coder, "cook"), 0)[imported] == 1.0


@pytest.fixture
def bundled_coder(db):
    """The coder of the bundled taxonomy, built afresh from the test database."""
    from incluye.skills.coding import get_coder, reset

    reset()
    return get_coder()


def test_a_troca_is_the_truck_not_the_trucker(bundled_coder):
    coder = bundled_coder
    assert coder.code("lavaba trocas")[0].soc == "53-7061"  # washed trucks
    assert coder.code("mecánico de diesel de trocas")[0].soc == "49-3031"
    assert coder.code("manejaba troca")[0].soc == "53-3032"  # drove one: the truck driver
    assert coder.code("troquero")[0].soc == "53-3032"


def test_a_fish_plant_is_fish_processing_and_immigration_papers_are_no_job(bundled_coder):
    coder = bundled_coder
    assert coder.code("procesaba pescado en una planta en Alaska")[0].soc == "51-3022"
    assert coder.code("no tenía papeles para trabajar") == []


def test_a_tech_is_a_technician_not_a_roof(bundled_coder):
    # Spanglish "tech" (técnico) shared its stem with "techo" (roof).
    coder = bundled_coder
    assert coder.code("tech de aire acondicionado")[0].soc == "49-9021"
    assert coder.code("techero")[0].soc == "47-2181"


def test_a_made_up_word_a_letter_from_a_title_is_no_evidence_alone_but_a_slip_of_the_fingers_is(coder):
    # A letter dropped, doubled, two swapped, a neighbouring key: typos of "carpintero".
    for typo in ("carpitero", "carpinteero", "carpintreo", "carpintwro"):
        assert coder.code(typo)[0].soc == "47-2031", typo
    # A letter changed for one far away on the keyboard, and nothing else known: a made-up word.
    assert coder.code("carpintaro") == []
    # Beside words the index knows as typed, it is still read as the title.
    assert coder.code("carpintaro de obra negra")[0].soc == "47-2031"


def test_the_calibration_sees_a_title_word_reached_only_by_a_guess_that_is_no_slip(coder):
    from incluye.skills.coder.calibrate import FEATURES, candidate_features
    from incluye.skills.coder.score import analyse

    guessed = FEATURES.index("guessed")
    slipped, made_up = analyse(coder, "carpitero de obra negra"), analyse(coder, "carpintaro de obra negra")
    assert coder.soc_of(slipped.candidates[0].occupation) == coder.soc_of(made_up.candidates[0].occupation)
    assert candidate_features(coder, slipped, 0)[guessed] == 0.0
    assert 0.0 < candidate_features(coder, made_up, 0)[guessed] < 1.0  # "obra negra" is said as typed


def test_made_up_words_of_every_kind_get_no_confident_match_and_typos_of_titles_still_do(bundled_coder):
    coder = bundled_coder
    for text in (
        "gromp sourt",  # English-like, one word a letter from "sort"
        "plonk shain",  # "stain"
        "tuechos",  # "techos"
        "frimp gomble",
        "la utz awach, maltyox chawe nunan",  # K'iche' small talk
        "xseqer, matyox",  # Kaqchikel
    ):
        assert coder.code(text) == [], text
    assert coder.code("plomerro")[0].soc == "47-2152"
    assert coder.code("carpintro")[0].soc == "47-2031"
    assert coder.code("montacarguisra")[0].soc == "53-7051"


def test_an_excavator_without_a_mine_is_the_construction_operator_and_in_a_mine_the_mining_one(bundled_coder):
    coder = bundled_coder
    for text in ("excavadora", "operador de excavadora", "manejaba la excavadora", "excavator operator"):
        assert coder.code(text)[0].soc == "47-2073", text
    assert coder.code("operaba la excavadora en una mina de oro")[0].soc == "47-5022"
    assert coder.code("excavator operator at a quarry")[0].soc == "47-5022"


def test_the_fitted_threshold_keeps_made_up_texts_unanswered_on_their_own_not_only_among_all_no_job_texts():
    import sys
    from pathlib import Path

    import numpy as np

    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
    from coder_calibrate import choose_thresholds

    # Five right answers at 0.40; ten made-up texts, two of them at 0.42; 200 greetings, silent.
    probability = np.array([0.40] * 5 + [0.42] * 2 + [0.10] * 8 + [0.0] * 200)
    correct = np.array([True] * 5 + [False] * 210)
    has_job = np.array([True] * 5 + [False] * 210)
    evidence = np.array(["title"] * 15 + [""] * 200)
    nonsense = np.array([False] * 5 + [True] * 10 + [False] * 200)
    # Pooled, 208 of 210 no-job texts stay silent (99 %) even with the two answered, so the five
    # answers win; read per kind, 8 of 10 made-up texts is too few.
    _single, thresholds = choose_thresholds(probability, correct, has_job, evidence, nonsense)
    assert thresholds["title"] > 0.42
    _single, pooled = choose_thresholds(probability, correct, has_job, evidence)
    assert pooled["title"] <= 0.40


def test_the_gold_sets_are_well_formed_and_no_evaluation_text_is_a_tuning_text():
    """bench/data/check_gold.py: columns, code syntax (and the reference lists where they are at
    hand), NONE rows, kinds, and no text repeated across the tuning and evaluation sets."""
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[3]
    checked = subprocess.run(
        [sys.executable, str(repo / "bench" / "data" / "check_gold.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_an_imported_one_word_title_the_text_only_shares_a_stem_with_does_not_outrank_the_job_said():
    # O*NET's one-word alternate titles are covered whole by any text that shares their stem:
    # "wrapped" is the stem of "Wrapper" (the hand packers), "plant" of "Planter", "farms" of
    # "Farmer". A title that says what the person did comes first; said as typed, the one-word
    # title still does.
    meat_trades = [
        "trimmer",
        "packer",
        "grinder",
        "boner",
        "smoker",
        "curer",
        "slicer",
        "deboner",
        "inspector",
        "grader",
        "salter",
        "dryer",
    ]
    occupations = _occupations("51-3021", "53-7064", *(f"51-{n:04d}" for n in range(len(meat_trades))))
    documents = [
        Document(0, "title", "meat wrapper", "bundled"),
        Document(0, "title", "butcher", "bundled"),
        Document(1, "title", "Wrapper", "onet", "en"),
        Document(1, "title", "hand packer", "bundled"),
    ]
    # "meat" is a common word of the meat trades, "wrap" a rare one.
    documents += [Document(2 + n, "title", f"meat {trade}", "bundled") for n, trade in enumerate(meat_trades)]
    coder = Coder(occupations, documents, Normalizer({}, STOPWORDS), Calibration.uncalibrated())
    assert coder.code("cut and wrapped meat at the grocery store")[0].soc == "51-3021"
    assert coder.code("wrapper at a warehouse")[0].soc == "53-7064"


def test_the_tasks_that_agree_with_a_title_still_count_in_an_index_as_large_as_onets():
    # With O*NET imported the index holds six times the bundle's documents: the few looked at per
    # text were all the many titles sharing the text's commonest word, and the task that tells
    # the order picker from the farm picker ("picker" is a title of both) was left out.
    occupations = _occupations("45-2092", "53-7065", *(f"99-{n:04d}" for n in range(210)))
    documents = [
        Document(0, "title", "picker", "bundled"),
        Document(1, "title", "picker", "bundled"),
        Document(1, "task", "picks the orders with a radio scanner", "bundled"),
    ]
    documents += [Document(2 + n, "title", "radio", "onet", "en") for n in range(210)]
    documents += [Document(2 + n % 210, "task", f"files form {n}", "onet", "en") for n in range(17_000)]
    coder = Coder(occupations, documents, Normalizer({}, STOPWORDS), Calibration.uncalibrated())
    assert coder.code("picker de las orders con el radio")[0].soc == "53-7065"


def test_a_persons_name_after_an_introduction_is_never_taken_for_a_trade(coder):
    # "Carpintero" is also a surname: said as a name it is no carpenter.
    for text in ("me llamo Luis Carpintero", "mi nombre es luis carpintero", "my name is Luis Carpintero"):
        assert coder.code(text) == [], text
    # What the person says after the name still counts.
    assert coder.code("me llamo Luis, soy carpintero")[0].soc == "47-2031"
    assert coder.code("me llamo Luis y trabajé de carpintero")[0].soc == "47-2031"


def test_a_word_of_a_mayan_language_is_not_split_into_english_words_at_its_glottal_stops():
    occupations = [
        {"id": 1, "code": "51-6099.00", "isco": "8159", "title_es": "", "title_en": "Nub Card Tender"},
        {"id": 2, "code": "47-3015.00", "isco": "9313", "title_es": "", "title_en": "Plumber Helper"},
    ]
    documents = [
        Document(0, "title", "nub card tender", "imported"),
        Document(1, "title", "plumber helper", "imported"),
    ]
    coder = Coder(occupations, documents, Normalizer({}, STOPWORDS), Calibration.uncalibrated())
    # K'iche' "nub'i'" (my name) is no "nub".
    assert coder.code("maltyox, Ixchel nub'i'") == []
    assert coder.code("ri nub’i’ ja ri Ana") == []  # typographic apostrophes too
    # English contractions and possessives are read as before.
    assert coder.code("plumber's helper")[0].soc == "47-3015"
    assert coder.code("I don't know, a plumber's helper")[0].soc == "47-3015"


def test_could_spent_and_such_are_no_pruning_dog_walking_or_felling(bundled_coder):
    coder = bundled_coder
    # "podía" (could) shares its stem with "podar" (to prune), "pasé" (I spent) with "pasear",
    # "qué tal" (how are you) with "talar" (to fell trees).
    for text in ("no podía trabajar", "pasé dos años en Houston", "qué tal"):
        stems = {stemmed for stemmed, _typed, _weight in coder.query_tokens(text)[0]}
        assert not stems & {"pod", "pase", "tal"}, text
    assert coder.code("podaba los árboles de las casas")[0].soc == "37-3013"
    assert coder.code("paseaba perros")[0].soc == "39-2021"
    assert coder.code("talaba árboles en el bosque")[0].soc == "45-4021"


def test_caring_for_ones_own_family_is_no_paid_job():
    occupations = [
        {"id": 1, "code": "39-9011.00", "isco": "5311", "title_es": "", "title_en": "Childcare Workers"}
    ]
    documents = [
        Document(0, "title", "cuidaba niños", "bundled"),
        Document(0, "title", "took care of kids", "bundled"),
    ]
    coder = Coder(occupations, documents, Normalizer({}, STOPWORDS), Calibration.uncalibrated())
    for text in ("cuidaba a mis niños", "me quedaba cuidando a mis dos hijos", "I took care of my kids"):
        assert coder.code(text) == [], text
    for text in ("cuidaba niños en una guardería", "cuidaba a los niños de una señora", "took care of kids"):
        assert coder.code(text)[0].soc == "39-9011", text


def test_the_mexican_prepa_and_the_border_city_piedras_negras_are_no_job_words(bundled_coder):
    coder = bundled_coder
    # "la prepa" is high school in Mexico, not "prep" (a prep cook); Piedras Negras is a city.
    for text in ("la prepa", "por Piedras Negras", "buscaba trabajo"):
        assert coder.query_tokens(text)[0] == [], text
    assert coder.code("prep cook en un restaurante")[0].soc == "35-2021"
    assert coder.code("hacía trabajos de piedra")[0].soc == "47-2022"


@pytest.mark.parametrize(
    "text",
    [
        "no trabajé, estaba en la escuela",
        "I didn't work, I was in school",
        "nunca trabajé de nada",
        "estaba estudiando high school",
        "never worked as a cook",
    ],
)
def test_a_job_said_not_to_have_been_done_or_school_gets_no_answer(bundled_coder, text):
    assert bundled_coder.code(text) == [], text


@pytest.mark.parametrize(
    ("text", "soc"),
    [
        ("no trabajé de cocinero, sino de mesero", "35-3031"),
        ("no era cocinero, era lavaplatos", "35-9021"),
        ("I did not work as a cook, I was a dishwasher", "35-9021"),
        ("trabajé en construcción, no en cocina", "47-2061"),
        ("no solo cocinaba, también lavaba platos", "35-9021"),
        ("no trabajé nada más que de cocinero", "35-2014"),
        ("estudiante y trabajaba de mesero", "35-3031"),
        ("trabajé de conserje en una escuela", "37-2011"),
    ],
)
def test_the_job_that_was_done_is_found_beside_the_one_that_was_not(bundled_coder, text, soc):
    assert bundled_coder.code(text)[0].soc == soc, text


@pytest.mark.parametrize(
    "text",
    [
        "mi esposa limpiaba casas",
        "mi hermano era soldador",
        "my brother was a welder",
        "my wife cleaned houses",
        "pedía Uber para ir al doctor",
        "took an uber to the doctor",
        "tomaba el bus para ir a la escuela de mis hijos",
        "iba al doctor cada mes",
        "me cortaba el pelo con un barbero",
        "seleccione una opción",
        "-- seleccione --",
        "select an option",
    ],
)
def test_a_relatives_job_a_service_used_or_a_forms_placeholder_gets_no_answer(bundled_coder, text):
    assert bundled_coder.code(text) == [], text


@pytest.mark.parametrize(
    ("text", "soc"),
    [
        ("manejaba Uber en Houston", "53-3054"),
        ("les cortaba el pelo en una barbería", "39-5011"),
        ("iba al hospital a limpiar", "37-2011"),
        ("mi hermano y yo pintábamos casas", "47-2141"),
        ("mi hermano trabajaba en construcción y yo también", "47-2061"),
        ("mi esposa limpiaba casas y yo trabajaba en construcción", "47-2061"),
        ("trabajé de cocinero, mi esposa era mesera", "35-2014"),
        ("mi tío tenía una compañía de techos y ahí trabajé", "47-2181"),
    ],
)
def test_the_persons_own_job_is_found_beside_a_relatives_or_a_service_they_used(bundled_coder, text, soc):
    assert bundled_coder.code(text)[0].soc == soc, text
