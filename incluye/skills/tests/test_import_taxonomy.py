"""manage.py import_taxonomy: O*NET, ESCO, ISCO-08 and crosswalks, all or nothing, idempotent, with a
clear message on a wrong file. The fixtures are small copies of the official files, written here."""

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils import translation

from incluye.skills.importers.base import TaxonomyFileError
from incluye.skills.importers.crosswalk import import_crosswalk
from incluye.skills.importers.esco import import_esco
from incluye.skills.importers.isco import import_isco
from incluye.skills.importers.onet import import_onet
from incluye.skills.models import (
    Crosswalk,
    Occupation,
    OccupationSkill,
    OccupationTask,
    OccupationTitle,
    OccupationTool,
    Skill,
    Source,
    System,
    TaxonomyImport,
)

pytestmark = pytest.mark.django_db
SHARED_DATA = Path(settings.BASE_DIR).parent / "shared" / "data"

CODE, TITLE = "O*NET-SOC Code", "Title"
CARPENTERS = ("47-2031.00", "Carpenters")
LABORERS = ("47-2061.00", "Construction Laborers")
FORKLIFT = ("53-7051.00", "Industrial Truck and Tractor Operators")
COUNTER = ("35-3023.00", "Fast Food and Counter Workers")
BARISTAS = ("35-3023.01", "Baristas")
SKILL_TAIL = ["8", "0.125", "2.88", "3.37", "N", "", "08/2022", "Analyst"]

ONET = {
    "Occupation Data.txt": (
        [CODE, TITLE, "Description"],
        [
            (*CARPENTERS, "Construct, erect, install, or repair structures and fixtures made of wood."),
            (*LABORERS, "Perform tasks involving physical labor at construction sites."),
            (
                *FORKLIFT,
                "Operate industrial trucks or tractors equipped to move materials around a warehouse.",
            ),
            (*COUNTER, "Perform duties such as taking orders and serving food and beverages."),
            (*BARISTAS, "Prepare or serve specialty coffee or other beverages."),
        ],
    ),
    "Alternate Titles.txt": (
        [CODE, TITLE, "Alternate Title", "Short Title", "Source(s)"],
        [
            (*CARPENTERS, "Framer", "", "08"),
            (*CARPENTERS, "Carpentry Framer", "Framer", "08"),
            (*LABORERS, "Señalero (Flagger)", "", "08"),
            (*LABORERS, "Mason Tender", "", "04,08"),
            (*FORKLIFT, "CAT Driver (Caterpillar Driver)", "CAT Driver", "04,06"),
            (*FORKLIFT, "Forklift Operator", "", "04"),
            (*BARISTAS, "Café Barista", "", "10"),
        ],
    ),
    "Sample of Reported Titles.txt": (
        [CODE, TITLE, "Reported Job Title", "Shown in My Next Move"],
        [
            (*CARPENTERS, "Carpenter", "Y"),
            (*FORKLIFT, "Forklift Driver", "Y"),
            (*FORKLIFT, "Fork Truck Driver", "Y"),
            (*BARISTAS, "Barista", "Y"),
        ],
    ),
    "Task Statements.txt": (
        [CODE, TITLE, "Task ID", "Task", "Task Type", "Incumbents Responding", "Date", "Domain Source"],
        [
            (
                *CARPENTERS,
                "23432",
                "Measure and mark cutting lines on materials, using a ruler, pencil, chalk, and marking gauge.",
                "Core",
                "74.0",
                "08/2022",
                "Incumbent",
            ),
            (
                *CARPENTERS,
                "23443",
                "Assemble and fasten materials to make frameworks or props.",
                "Core",
                "74.0",
                "08/2022",
                "Incumbent",
            ),
            (
                *FORKLIFT,
                "3202",
                "Move levers or controls that operate lifting devices, such as forklifts.",
                "Core",
                "47.0",
                "08/2021",
                "Incumbent",
            ),
            (
                *LABORERS,
                "6857",
                "Clean or prepare construction sites to eliminate possible hazards.",
                "Supplemental",
                "40.0",
                "08/2022",
                "Incumbent",
            ),
            (
                *LABORERS,
                "6860",
                'Signal operators of "cherry pickers" and cranes.',
                "",
                "",
                "06/2006",
                "Analyst",
            ),
        ],
    ),
    "Technology Skills.txt": (
        [CODE, TITLE, "Example", "Commodity Code", "Commodity Title", "Hot Technology", "In Demand"],
        [
            (*CARPENTERS, "Bosch Punch List", "43231507", "Project management software", "N", "N"),
            (*CARPENTERS, "Craftsman CD Estimator", "43231507", "Project management software", "N", "N"),
            (*FORKLIFT, "ATMS StockTrack PLUS", "43231508", "Inventory management software", "N", "N"),
        ],
    ),
    "Tools Used.txt": (
        [CODE, TITLE, "Example", "Commodity Code", "Commodity Title"],
        [
            (*CARPENTERS, "A-frame levels", "27111802", "Levels"),
            (*CARPENTERS, "Air compressors", "40151601", "Air compressors"),
            (*CARPENTERS, "Air compressors", "40151601", "Air compressors"),
            (*CARPENTERS, "Auger bits", "27111537", "Wood auger bit"),
            (*FORKLIFT, "Forklifts", "24101603", "Forklifts"),
        ],
    ),
    "Skills.txt": (
        [
            CODE,
            TITLE,
            "Element ID",
            "Element Name",
            "Scale ID",
            "Scale Name",
            "Data Value",
            "N",
            "Standard Error",
            "Lower CI Bound",
            "Upper CI Bound",
            "Recommend Suppress",
            "Not Relevant",
            "Date",
            "Domain Source",
        ],
        [
            (*CARPENTERS, "2.A.1.a", "Reading Comprehension", "IM", "Importance", "3.12", *SKILL_TAIL),
            (*CARPENTERS, "2.A.1.a", "Reading Comprehension", "LV", "Level", "3.12", *SKILL_TAIL),
            (*CARPENTERS, "2.B.4.e", "Judgment and Decision Making", "IM", "Importance", "3", *SKILL_TAIL),
            (*CARPENTERS, "2.B.4.e", "Judgment and Decision Making", "LV", "Level", "2.88", *SKILL_TAIL),
            (*FORKLIFT, "2.A.1.a", "Reading Comprehension", "IM", "Importance", "2.88", *SKILL_TAIL),
            (*FORKLIFT, "2.A.1.a", "Reading Comprehension", "LV", "Level", "2.5", *SKILL_TAIL),
        ],
    ),
    "Job Zones.txt": (
        [CODE, TITLE, "Job Zone", "Date", "Domain Source"],
        [
            (*CARPENTERS, "2", "08/2022", "Analyst"),
            (*LABORERS, "1", "08/2022", "Analyst"),
            (*FORKLIFT, "2", "08/2021", "Analyst"),
            (*COUNTER, "1", "08/2023", "Analyst"),
            (*BARISTAS, "1", "08/2023", "Analyst"),
        ],
    ),
}
ONET_COUNTS = {
    "occupations": 5,
    "titles_preferred": 5,
    "titles_alternate": 8,  # 7 rows, plus 2 short titles, less "Framer" named twice
    "titles_reported": 4,
    "tasks": 5,
    "technology": 3,
    "tools": 4,  # "Air compressors" twice
    "skills": 2,
    "skill_links": 3,  # Scale ID "IM" only
}

CARPENTER_URI = "http://data.europa.eu/esco/occupation/2a22ff9e-de3b-408d-b312-5034896cc4f4"
FORKLIFT_URI = "http://data.europa.eu/esco/occupation/eeac6251-1974-42f5-91ed-513c6c883755"
OPERATE_FORKLIFT = "http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da"
WOODWORKING_TOOLS = "http://data.europa.eu/esco/skill/4c06a716-6363-4308-b548-88f7a3e70097"
SCAFFOLDING = "http://data.europa.eu/esco/skill/91991706-cd8e-4795-9784-715fc0250c8d"
ESCO_OCCUPATIONS = ["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "description"]
ESCO_SKILLS = [
    "conceptType",
    "conceptUri",
    "skillType",
    "reuseLevel",
    "preferredLabel",
    "altLabels",
    "description",
]
ESCO_ISCO = ["conceptType", "conceptUri", "code", "preferredLabel", "altLabels", "description"]
RELATIONS = ["occupationUri", "relationType", "skillType", "skillUri"]
ESCO = {
    "occupations_es.csv": (
        ESCO_OCCUPATIONS,
        [
            (
                "Occupation",
                CARPENTER_URI,
                "7115",
                "carpintero/carpintera",
                "carpintera\nebanista\ncarpintero",
                "",
            ),
            (
                "Occupation",
                FORKLIFT_URI,
                "8344",
                "operador de carretilla elevadora/operadora de carretilla elevadora",
                "operario de carretilla elevadora\noperador de montacargas",
                "",
            ),
        ],
    ),
    "occupations_en.csv": (
        ESCO_OCCUPATIONS,
        [
            (
                "Occupation",
                CARPENTER_URI,
                "7115",
                "carpenter",
                "timber worker\njoiner\ncarpentry framer",
                "Carpenters cut, shape and assemble wooden elements for the construction of buildings.",
            ),
            (
                "Occupation",
                FORKLIFT_URI,
                "8344",
                "forklift operator",
                "forklift truck operator\nforklift driver",
                "Forklift operators operate a forklift to move, locate, relocate, stack and count merchandise.",
            ),
        ],
    ),
    "occupations_en-us.csv": (
        ESCO_OCCUPATIONS,
        [("Occupation", CARPENTER_URI, "7115", "carpenter (en-us)", "", "")],
    ),
    "skills_es.csv": (
        ESCO_SKILLS,
        [
            (
                "KnowledgeSkillCompetence",
                OPERATE_FORKLIFT,
                "skill/competence",
                "cross-sector",
                "manejar carretillas elevadoras",
                "",
                "",
            ),
            (
                "KnowledgeSkillCompetence",
                WOODWORKING_TOOLS,
                "knowledge",
                "cross-sector",
                "herramientas para trabajar la madera",
                "",
                "",
            ),
            (
                "KnowledgeSkillCompetence",
                SCAFFOLDING,
                "skill/competence",
                "cross-sector",
                "montar andamiaje",
                "",
                "",
            ),
        ],
    ),
    "skills_en-us.csv": (
        ESCO_SKILLS,
        [
            (
                "KnowledgeSkillCompetence",
                OPERATE_FORKLIFT,
                "skill/competence",
                "cross-sector",
                "operate forklift",
                "drive forklift",
                "Operate a forklift.",
            ),
            (
                "KnowledgeSkillCompetence",
                WOODWORKING_TOOLS,
                "knowledge",
                "cross-sector",
                "woodworking tools",
                "",
                "",
            ),
            (
                "KnowledgeSkillCompetence",
                SCAFFOLDING,
                "skill/competence knowledge",
                "cross-sector",
                "build scaffolding",
                "",
                "",
            ),
        ],
    ),
    "ISCOGroups_es.csv": (
        ESCO_ISCO,
        [
            (
                "ISCOGroup",
                "http://data.europa.eu/esco/isco/C7",
                "7",
                "Oficiales, operarios y artesanos de artes mecánicas y de otros oficios",
                "",
                "",
            ),
            (
                "ISCOGroup",
                "http://data.europa.eu/esco/isco/C7115",
                "7115",
                "Carpinteros de armar y de obra blanca",
                "",
                "",
            ),
            (
                "ISCOGroup",
                "http://data.europa.eu/esco/isco/C8344",
                "8344",
                "Operadores de autoelevadoras",
                "",
                "",
            ),
        ],
    ),
    "occupationSkillRelations.csv": (
        RELATIONS,
        [
            (CARPENTER_URI, "essential", "knowledge", WOODWORKING_TOOLS),
            (CARPENTER_URI, "optional", "skill/competence", SCAFFOLDING),
            (FORKLIFT_URI, "essential", "skill/competence", OPERATE_FORKLIFT),
            (
                FORKLIFT_URI,
                "essential",
                "skill/competence",
                "http://data.europa.eu/esco/skill/not-in-the-files",
            ),
        ],
    ),
}

ISCO_DERIVED = (
    ["code", "level", "title_es", "title_en", "description_en"],
    [
        ("0110", "4", "Oficiales de las fuerzas armadas", "Commissioned armed forces officers", ""),
        (
            "7",
            "1",
            "Oficiales, operarios y artesanos de artes mecánicas y de otros oficios",
            "Craft and related trades workers",
            "Craft and related trades workers apply specific knowledge.",
        ),
        (
            "71",
            "2",
            "Oficiales y operarios de la construcción excluyendo electricistas",
            "Building and related trades workers, excluding electricians",
            "",
        ),
        (
            "7115",
            "4",
            "Carpinteros de armar y de obra blanca",
            "Carpenters and joiners",
            "Carpenters and joiners cut, shape, assemble, erect, maintain and repair structures of wood.",
        ),
        ("8344", "4", "Operadores de autoelevadoras", "Lifting truck operators", ""),
        ("5246", "4", "Vendedores de comidas al mostrador", "Food service counter attendants", ""),
    ],
)
ONET_TO_ISCO = (
    ["onetsoc_code", "onet_title", "soc2018", "isco08", "isco08_title", "n_isco_candidates"],
    [
        (*CARPENTERS, "47-2031", "7115", "Carpenters and joiners", "1"),
        (*LABORERS, "47-2061", "9313", "Building construction labourers", "1"),
        (*FORKLIFT, "53-7051", "8344", "Lifting truck operators", "1"),
        (*COUNTER, "35-3023", "5246", "Food service counter attendants", "1"),
        (*BARISTAS, "35-3023", "5246", "Food service counter attendants", "1"),
    ],
)
SOC_TO_ISCO = (
    ["soc2010", "soc2010_title", "isco2008", "isco2008_title"],
    [
        ("47-2031", "Carpenters", "7115", "Carpenters and joiners"),
        (
            "35-3023",
            "Counter Attendants, Cafeteria, Food Concession, and Coffee Shop",
            "5246",
            "Food service counter attendants",
        ),
        (
            "35-3023",
            "Counter Attendants, Cafeteria, Food Concession, and Coffee Shop",
            "9411",
            "Fast food preparers",
        ),
        (
            "53-7063",
            "Machine Feeders and Offbearers",
            "9329",
            "Manufacturing labourers not elsewhere classified",
        ),
    ],
)
ESCO_TO_ONET = (
    [
        "id",
        "esco_occupation",
        "isco_code",
        "onet_code",
        "onet_occupation",
        "matching_job_titles",
        "semantic_similarity",
        "confidence",
        "concept_uri",
    ],
    [
        (
            "506",
            "carpenter",
            "7115",
            "47-2031.01",
            "construction carpenters",
            "['woodworker']",
            "0.85",
            "1.0",
            CARPENTER_URI,
        ),
        (
            "2754",
            "forklift operator",
            "8344",
            "53-7051.00",
            "industrial truck and tractor operators",
            "['forklift operator', 'forklift driver']",
            "0.76",
            "1.0",
            FORKLIFT_URI,
        ),
    ],
)


def write_table(path: Path, header, rows, delimiter=","):
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def onet_folder(tmp_path: Path, name="onet", files: dict | None = None) -> Path:
    """The O*NET text files; `files` replaces the rows of some ({name: rows}) or leaves a file out (None)."""
    folder = tmp_path / name
    folder.mkdir()
    for file, (header, rows) in ONET.items():
        rows = (files or {}).get(file, rows)
        if rows is not None:
            write_table(folder / file, header, rows, delimiter="\t")
    (folder / "Read Me.txt").write_text("O*NET 29.3 Database\nMay 2025 Release\n----------------\n")
    return folder


def esco_folder(tmp_path: Path, name="ESCO dataset - v1.0 - es en", leave_out=()) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for file, (header, rows) in ESCO.items():
        if file not in leave_out:
            write_table(folder / file, header, rows)
    return folder


def taxonomy_state() -> dict:
    """Everything an import writes, to compare before and after."""
    return {
        "occupations": sorted(
            Occupation.objects.values_list("system", "code", "title_en", "title_es", "isco")
        ),
        "titles": OccupationTitle.objects.count(),
        "tasks": OccupationTask.objects.count(),
        "tools": OccupationTool.objects.count(),
        "skills": Skill.objects.count(),
        "links": OccupationSkill.objects.count(),
        "crosswalks": Crosswalk.objects.count(),
        "imports": TaxonomyImport.objects.count(),
    }


@pytest.fixture(autouse=True)
def empty_taxonomy(db):
    """Each test starts without the bundled taxonomy, so the counts are the fixture's."""
    Occupation.objects.all().delete()
    Skill.objects.all().delete()
    TaxonomyImport.objects.all().delete()


def refused(function, *args, **kwargs) -> str:
    """The English message of the TaxonomyFileError raised by an import."""
    with translation.override("en"), pytest.raises(TaxonomyFileError) as error:
        function(*args, **kwargs)
    return str(error.value)


# --- O*NET ---------------------------------------------------------------------------------------


def test_the_onet_folder_gives_occupations_titles_tasks_tools_skills_and_job_zones(tmp_path):
    run = import_onet(onet_folder(tmp_path))

    assert {key: run.counts[key] for key in ONET_COUNTS} == ONET_COUNTS
    assert run.kind == Source.ONET and run.version == "29.3" and run.seconds >= 0
    carpenters = Occupation.objects.get(system=System.ONET, code="47-2031.00")
    assert (carpenters.title_en, carpenters.job_zone, carpenters.source) == ("Carpenters", 2, Source.ONET)
    assert carpenters.description_en.startswith("Construct, erect")
    assert set(carpenters.titles.filter(kind="alternate").values_list("title", flat=True)) == {
        "Framer",
        "Carpentry Framer",
    }
    assert OccupationTitle.objects.filter(title="Señalero (Flagger)", language="en").exists()
    tasks = OccupationTask.objects.filter(occupation__code="47-2061.00")
    assert {(t.text, t.core) for t in tasks} == {
        ("Clean or prepare construction sites to eliminate possible hazards.", False),
        ('Signal operators of "cherry pickers" and cranes.', False),
    }
    assert OccupationTask.objects.filter(core=True).count() == 3
    assert set(OccupationTool.objects.filter(occupation=carpenters).values_list("kind", "name_en")) == {
        ("technology", "Bosch Punch List"),
        ("technology", "Craftsman CD Estimator"),
        ("tool", "A-frame levels"),
        ("tool", "Air compressors"),
        ("tool", "Auger bits"),
    }
    reading = Skill.objects.get(code="onet:2.A.1.a")
    assert (reading.label_en, reading.kind, reading.source) == ("Reading Comprehension", "skill", Source.ONET)
    links = {
        (link.occupation.code, link.skill.code): (link.importance, link.essential)
        for link in OccupationSkill.objects.select_related("occupation", "skill")
    }
    assert links == {
        ("47-2031.00", "onet:2.A.1.a"): (3.12, True),
        ("47-2031.00", "onet:2.B.4.e"): (3.0, True),
        ("53-7051.00", "onet:2.A.1.a"): (2.88, False),
    }


def test_a_second_onet_import_gives_the_same_rows_and_takes_a_changed_title(tmp_path):
    import_onet(onet_folder(tmp_path, "first"))
    rows = list(ONET["Occupation Data.txt"][1])
    rows[2] = (FORKLIFT[0], "Forklift and Tractor Operators", rows[2][2])

    run = import_onet(onet_folder(tmp_path, "second", files={"Occupation Data.txt": rows}))

    assert {key: run.counts[key] for key in ONET_COUNTS} == ONET_COUNTS
    assert (run.counts["occupations_created"], run.counts["occupations_updated"]) == (0, 1)
    forklift = Occupation.objects.get(code=FORKLIFT[0])
    assert forklift.title_en == "Forklift and Tractor Operators"
    assert list(forklift.titles.filter(kind="preferred").values_list("title", flat=True)) == [
        "Forklift and Tractor Operators"
    ]
    assert Occupation.objects.count() == 5
    assert OccupationTitle.objects.count() == 17
    assert TaxonomyImport.objects.count() == 2


def test_the_onet_import_keeps_the_spanish_title_isco_group_and_sector_set_by_the_bundle(tmp_path):
    bundled = Occupation.objects.create(
        system=System.ONET,
        code=CARPENTERS[0],
        title_es="Carpintero de obra negra",
        title_en="Carpenter",
        isco="7115",
        sector="construction",
        source=Source.BUNDLED,
    )
    OccupationTitle.objects.create(
        occupation=bundled,
        title="carpintero de encofrado",
        language="es",
        kind="colloquial",
        source=Source.BUNDLED,
    )

    import_onet(onet_folder(tmp_path))

    bundled.refresh_from_db()
    assert (bundled.title_es, bundled.isco, bundled.sector) == (
        "Carpintero de obra negra",
        "7115",
        "construction",
    )
    assert (bundled.title_en, bundled.source) == ("Carpenters", Source.ONET)
    assert bundled.titles.filter(source=Source.BUNDLED, title="carpintero de encofrado").exists()


def test_the_onet_zip_as_downloaded_imports_like_the_folder(tmp_path):
    folder = onet_folder(tmp_path)
    archive = tmp_path / "db_29_3_text.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for file in folder.iterdir():
            zipped.write(file, f"db_29_3_text/{file.name}")

    run = import_onet(archive)

    assert {key: run.counts[key] for key in ONET_COUNTS} == ONET_COUNTS
    assert run.version == "29.3"


def test_optional_onet_files_left_out_keep_what_an_earlier_import_brought(tmp_path):
    import_onet(onet_folder(tmp_path, "full"))
    only_occupations = {name: None for name in ONET if name != "Occupation Data.txt"}

    run = import_onet(onet_folder(tmp_path, "light", files=only_occupations))

    assert run.counts["tools"] == 4 and run.counts["titles_alternate"] == 8 and run.counts["skill_links"] == 3
    assert Occupation.objects.get(code=CARPENTERS[0]).job_zone == 2


def test_an_import_that_fails_halfway_leaves_the_previous_one_intact(tmp_path, monkeypatch):
    import_onet(onet_folder(tmp_path, "first"))
    before = taxonomy_state()
    rows = [(code, f"{title} (changed)", text) for code, title, text in ONET["Occupation Data.txt"][1]]

    def fail():
        raise RuntimeError("the database went away")

    monkeypatch.setattr("incluye.skills.importers.onet.onet_counts", fail)
    with pytest.raises(RuntimeError):
        import_onet(onet_folder(tmp_path, "second", files={"Occupation Data.txt": rows}))

    assert taxonomy_state() == before


# --- O*NET: wrong files ----------------------------------------------------------------------------


def test_an_occupation_data_file_without_the_code_column_is_refused_and_nothing_changes(tmp_path):
    import_onet(onet_folder(tmp_path, "good"))
    before = taxonomy_state()
    folder = onet_folder(tmp_path, "bad")
    text = (folder / "Occupation Data.txt").read_text().replace("O*NET-SOC Code", "SOC Code", 1)
    (folder / "Occupation Data.txt").write_text(text)

    message = refused(import_onet, folder)

    assert message == "Occupation Data.txt, line 1: the column “O*NET-SOC Code” is missing."
    assert taxonomy_state() == before


def test_a_truncated_alternate_titles_file_is_refused_and_nothing_changes(tmp_path):
    import_onet(onet_folder(tmp_path, "good"))
    before = taxonomy_state()
    folder = onet_folder(tmp_path, "bad")
    lines = (folder / "Alternate Titles.txt").read_text().splitlines()
    cut = "\n".join([*lines[:-1], "\t".join(lines[-1].split("\t")[:2])])
    (folder / "Alternate Titles.txt").write_text(cut)

    message = refused(import_onet, folder)

    assert message == (
        f"Alternate Titles.txt, line {len(lines)}: the row has 2 fields; 5 were expected (is the file truncated?)"
    )
    assert taxonomy_state() == before


def test_a_wrong_onet_soc_code_is_refused_with_its_line(tmp_path):
    rows = list(ONET["Occupation Data.txt"][1])
    rows[1] = ("47-20x1.00", *rows[1][1:])

    message = refused(import_onet, onet_folder(tmp_path, files={"Occupation Data.txt": rows}))

    assert message == "Occupation Data.txt, line 3: “47-20x1.00” is not an O*NET-SOC code."
    assert not Occupation.objects.exists()


def test_a_comma_separated_file_given_for_a_tab_separated_one_is_refused(tmp_path):
    folder = onet_folder(tmp_path)
    write_table(folder / "Task Statements.txt", *ONET["Task Statements.txt"], delimiter=",")

    message = refused(import_onet, folder)

    assert message == (
        "Task Statements.txt, line 1: the columns are separated by commas, not by tabs (is it the right file?)."
    )
    assert not Occupation.objects.exists()


def test_an_empty_file_is_refused(tmp_path):
    folder = onet_folder(tmp_path)
    (folder / "Tools Used.txt").write_bytes(b"")

    assert refused(import_onet, folder) == "Tools Used.txt: the file is empty."


def test_a_file_with_a_header_and_no_rows_is_refused_as_truncated(tmp_path):
    folder = onet_folder(tmp_path, files={"Job Zones.txt": []})

    assert (
        refused(import_onet, folder) == "Job Zones.txt: the file has a header but no rows (is it truncated?)."
    )


def test_a_file_that_is_not_utf8_is_refused_with_the_line_of_the_bad_byte(tmp_path):
    folder = onet_folder(tmp_path)
    path = folder / "Alternate Titles.txt"
    path.write_bytes(path.read_text().encode("latin-1"))

    message = refused(import_onet, folder)

    assert (
        message == "Alternate Titles.txt, line 4: the byte 0xF1 is not UTF-8 text (save the file as UTF-8)."
    )
    assert not Occupation.objects.exists()


def test_a_folder_without_occupation_data_is_refused(tmp_path):
    folder = onet_folder(tmp_path, "db_29_3_text", files={"Occupation Data.txt": None})

    assert refused(import_onet, folder) == "db_29_3_text: the file “Occupation Data.txt” is missing."


def test_a_damaged_zip_or_a_missing_path_is_refused(tmp_path):
    archive = tmp_path / "db_29_3_text.zip"
    archive.write_bytes(b"PK\x03\x04 this is not the end of a zip")

    assert refused(import_onet, archive) == (
        "db_29_3_text.zip: it is neither a folder nor a .zip file (or the .zip is damaged)."
    )
    assert refused(import_onet, tmp_path / "nowhere").endswith("nowhere: there is no such file or folder.")


def test_a_job_zone_or_importance_that_is_not_a_number_is_refused(tmp_path):
    zones = [(*CARPENTERS, "two", "08/2022", "Analyst")]
    assert refused(import_onet, onet_folder(tmp_path, "zones", files={"Job Zones.txt": zones})) == (
        "Job Zones.txt, line 2: “two” is not a job zone (1 to 5)."
    )
    skills = [(*CARPENTERS, "2.A.1.a", "Reading Comprehension", "IM", "Importance", "n/a", *SKILL_TAIL)]
    assert refused(import_onet, onet_folder(tmp_path, "skills", files={"Skills.txt": skills})) == (
        "Skills.txt, line 2: “n/a” in “Data Value” is not a number."
    )


# --- ESCO ----------------------------------------------------------------------------------------


def test_the_esco_folder_gives_occupations_and_skills_in_spanish_and_english(tmp_path):
    run = import_esco(esco_folder(tmp_path))

    assert run.kind == Source.ESCO and run.version == "1.0"
    assert run.counts["occupations"] == 2 and run.counts["skills"] == 3
    assert (run.counts["titles_es"], run.counts["titles_en"]) == (7, 7)
    assert (run.counts["skill_links"], run.counts["skill_links_unmatched"]) == (3, 1)
    assert run.counts["isco_groups"] == 3
    carpenter = Occupation.objects.get(system=System.ESCO, code=CARPENTER_URI)
    assert (carpenter.title_es, carpenter.title_en, carpenter.isco) == (
        "carpintero/carpintera",
        "carpenter",
        "7115",
    )
    assert carpenter.description_en.startswith("Carpenters cut")
    assert set(carpenter.titles.filter(language="es").values_list("kind", "title")) == {
        ("preferred", "carpintero/carpintera"),
        ("alternate", "carpintera"),
        ("alternate", "ebanista"),
        ("alternate", "carpintero"),
    }
    # occupations_en-us.csv is left out when occupations_en.csv is there.
    assert not OccupationTitle.objects.filter(title="carpenter (en-us)").exists()
    # skills_en-us.csv stands in for the missing skills_en.csv.
    forklift_skill = Skill.objects.get(code=OPERATE_FORKLIFT)
    assert (forklift_skill.label_es, forklift_skill.label_en) == (
        "manejar carretillas elevadoras",
        "operate forklift",
    )
    assert (forklift_skill.esco_uri, forklift_skill.kind) == (OPERATE_FORKLIFT, "skill/competence")
    assert Skill.objects.get(code=SCAFFOLDING).kind == "skill/competence"
    assert set(
        OccupationSkill.objects.filter(occupation=carpenter).values_list("skill__code", "essential")
    ) == {(WOODWORKING_TOOLS, True), (SCAFFOLDING, False)}
    group = Occupation.objects.get(system=System.ISCO, code="8344")
    assert (group.title_es, group.level, group.isco) == ("Operadores de autoelevadoras", 4, "8344")


def test_a_second_esco_import_in_one_language_keeps_the_other_and_adds_nothing_twice(tmp_path):
    import_esco(esco_folder(tmp_path, "es-en"))
    before = taxonomy_state()
    folder = esco_folder(
        tmp_path, "en", leave_out=["occupations_es.csv", "skills_es.csv", "ISCOGroups_es.csv"]
    )
    import_esco(folder)
    assert {k: v for k, v in taxonomy_state().items() if k != "imports"} == {
        k: v for k, v in before.items() if k != "imports"
    }
    header, rows = ESCO["occupations_en.csv"]
    rows = [(*rows[0][:3], "joiner", *rows[0][4:]), rows[1]]
    write_table(folder / "occupations_en.csv", header, rows)

    run = import_esco(folder)

    carpenter = Occupation.objects.get(system=System.ESCO, code=CARPENTER_URI)
    assert (carpenter.title_es, carpenter.title_en) == ("carpintero/carpintera", "joiner")
    assert run.counts["occupations_updated"] == 1
    assert carpenter.titles.filter(language="es").count() == 4
    assert not carpenter.titles.filter(title="carpenter").exists()


def test_esco_relations_can_come_from_another_folder(tmp_path):
    folder = esco_folder(tmp_path, "v1.1.1_en", leave_out=["occupationSkillRelations.csv"])
    relations = tmp_path / "v1.1.1_relations"
    relations.mkdir()
    write_table(relations / "occupationSkillRelations.csv", *ESCO["occupationSkillRelations.csv"])

    run = import_esco(folder, relations=relations)
    again = import_esco(folder, relations=relations / "occupationSkillRelations.csv")

    assert run.counts["skill_links"] == again.counts["skill_links"] == 3
    assert OccupationSkill.objects.count() == 3


def test_esco_occupations_without_an_isco_column_keep_their_group(tmp_path):
    import_esco(esco_folder(tmp_path))
    subset = tmp_path / "v1.2_es_occupations_subset"
    subset.mkdir()
    write_table(
        subset / "occupations_es.csv",
        ["conceptType", "preferredLabel", "altLabels", "description", "conceptUri"],
        [
            (
                "Occupation",
                "carpintero/carpintera",
                "carpintero de obra",
                "Los carpinteros cortan y montan piezas de madera.",
                CARPENTER_URI,
            ),
            ("Occupation", "carpintero/carpintera", "", "", CARPENTER_URI),
        ],
    )

    run = import_esco(subset)

    carpenter = Occupation.objects.get(system=System.ESCO, code=CARPENTER_URI)
    assert (carpenter.isco, carpenter.title_en) == ("7115", "carpenter")
    assert carpenter.description_es == "Los carpinteros cortan y montan piezas de madera."
    assert run.counts["repeated_rows"] == 1


def test_an_esco_folder_without_esco_files_or_with_a_bad_uri_is_refused(tmp_path):
    empty = tmp_path / "downloads"
    empty.mkdir()
    assert refused(import_esco, empty) == (
        "downloads: the folder has no ESCO files (occupations_es.csv, skills_es.csv, occupations_en.csv…)."
    )
    folder = esco_folder(tmp_path)
    header, rows = ESCO["occupations_es.csv"]
    write_table(folder / "occupations_es.csv", header, [rows[0], ("Occupation", "carpintero", *rows[1][2:])])
    # The first row spans 4 lines (its altLabels), so the second starts on line 5.
    assert refused(import_esco, folder) == "occupations_es.csv, line 5: “carpintero” is not an ESCO URI."
    assert not Occupation.objects.exists()


def test_an_esco_file_cut_inside_a_quoted_value_is_refused_as_truncated(tmp_path):
    folder = esco_folder(tmp_path)
    path = folder / "occupations_en.csv"
    text = path.read_text()
    path.write_text(text[: text.index("carpentry framer")])

    assert refused(import_esco, folder) == (
        "occupations_en.csv, line 2: a quoted value is not closed (is the file truncated?)."
    )
    assert not Occupation.objects.exists()


# --- ISCO-08 -------------------------------------------------------------------------------------


def test_the_isco_csv_gives_the_groups_with_spanish_and_english_titles(tmp_path):
    path = write_table(tmp_path / "isco08_ciuo08_es_en.csv", *ISCO_DERIVED)

    run = import_isco(path)
    again = import_isco(path)

    assert run.counts == {
        "isco_groups": 6,
        "isco_groups_created": 6,
        "isco_groups_updated": 0,
        "isco_titles": 12,
    }
    assert again.counts["isco_groups_created"] == 0 and OccupationTitle.objects.count() == 12
    officers = Occupation.objects.get(system=System.ISCO, code="0110")
    assert (officers.level, officers.isco, officers.title_es) == (
        4,
        "0110",
        "Oficiales de las fuerzas armadas",
    )
    major = Occupation.objects.get(system=System.ISCO, code="7")
    assert (major.level, major.isco, major.title_en) == (1, "", "Craft and related trades workers")
    assert major.title_es == "Oficiales, operarios y artesanos de artes mecánicas y de otros oficios"


def test_an_esco_iscogroups_file_takes_its_language_from_its_name(tmp_path):
    import_isco(write_table(tmp_path / "isco08_ciuo08_es_en.csv", *ISCO_DERIVED))
    path = write_table(
        tmp_path / "ISCOGroups_en.csv",
        [
            "conceptType",
            "conceptUri",
            "code",
            "preferredLabel",
            "status",
            "altLabels",
            "inScheme",
            "description",
        ],
        [
            (
                "ISCOGroup",
                "http://data.europa.eu/esco/isco/C8344",
                "8344",
                "Lifting-truck operators",
                "released",
                "forklift operators\nfork-lift truck drivers",
                "",
                "Lifting-truck operators drive, operate and monitor lifting trucks.",
            ),
        ],
    )

    run = import_isco(path)

    group = Occupation.objects.get(system=System.ISCO, code="8344")
    assert (group.title_es, group.title_en) == ("Operadores de autoelevadoras", "Lifting-truck operators")
    assert group.description_en.startswith("Lifting-truck operators drive")
    assert run.counts["isco_titles"] == 3
    assert set(group.titles.filter(language="en").values_list("title", flat=True)) == {
        "Lifting-truck operators",
        "forklift operators",
        "fork-lift truck drivers",
    }
    unnamed = write_table(
        tmp_path / "groups.csv", ["conceptUri", "code", "preferredLabel"], [("x", "8344", "y")]
    )
    assert refused(import_isco, unnamed) == (
        "groups.csv: the language of the titles cannot be told from the file name (name it like ISCOGroups_es.csv)."
    )


def test_a_wrong_isco_code_is_refused(tmp_path):
    header, rows = ISCO_DERIVED
    path = write_table(tmp_path / "isco.csv", header, [*rows, ("83441", "5", "x", "y", "")])

    assert refused(import_isco, path) == "isco.csv, line 8: “83441” is not an ISCO-08 code (1 to 4 digits)."
    assert not Occupation.objects.exists()


# --- Crosswalks ----------------------------------------------------------------------------------


def test_the_onet_soc_to_isco_crosswalk_links_occupations_and_fills_the_missing_isco_group(tmp_path):
    import_onet(onet_folder(tmp_path))
    import_isco(write_table(tmp_path / "isco.csv", *ISCO_DERIVED))
    Occupation.objects.filter(code=CARPENTERS[0]).update(isco="7119")
    path = write_table(tmp_path / "onetsoc2019_isco08_via_soc2018.csv", *ONET_TO_ISCO)

    run = import_crosswalk(path)
    again = import_crosswalk(path)

    assert run.kind == Source.ISCO and run.counts["crosswalk"] == "soc_isco"
    assert (run.counts["pairs"], run.counts["created"], run.counts["unmatched_rows"]) == (5, 5, 0)
    assert (again.counts["created"], again.counts["already_present"]) == (0, 5)
    assert Crosswalk.objects.count() == 5
    # 9313 was not among the groups imported: it is created with the title the crosswalk gives.
    labourers = Occupation.objects.get(system=System.ISCO, code="9313")
    assert (labourers.title_en, labourers.level, labourers.isco) == (
        "Building construction labourers",
        4,
        "9313",
    )
    assert run.counts["isco_groups_created"] == 1
    assert Occupation.objects.get(code=CARPENTERS[0]).isco == "7119"  # kept
    assert Occupation.objects.get(code=FORKLIFT[0]).isco == "8344"
    assert run.counts["isco_set"] == 4


def test_a_six_digit_soc_links_every_onet_occupation_under_it(tmp_path):
    import_onet(onet_folder(tmp_path))
    path = write_table(tmp_path / "soc2010_isco2008.csv", *SOC_TO_ISCO)

    run = import_crosswalk(path)

    pairs = set(Crosswalk.objects.values_list("source_occupation__code", "target_occupation__code"))
    assert pairs == {
        ("47-2031.00", "7115"),
        ("35-3023.00", "5246"),
        ("35-3023.00", "9411"),
        ("35-3023.01", "5246"),
        ("35-3023.01", "9411"),
    }
    assert (run.counts["unmatched_rows"], run.counts["unmatched_codes"]) == (1, 1)
    assert Occupation.objects.get(code=BARISTAS[0]).isco == "5246"  # the first candidate


def test_the_esco_to_onet_crosswalk_counts_codes_absent_from_this_onet_as_unmatched(tmp_path):
    import_onet(onet_folder(tmp_path))
    import_esco(esco_folder(tmp_path))
    path = write_table(tmp_path / "esco_onet_crosswalk_Nov2020.csv", *ESCO_TO_ONET)

    run = import_crosswalk(path)

    assert run.counts["crosswalk"] == "esco_onet" and run.kind == Source.ESCO
    assert (run.counts["created"], run.counts["unmatched_rows"], run.counts["unmatched_codes"]) == (1, 1, 1)
    link = Crosswalk.objects.get()
    assert (link.source_occupation.code, link.target_occupation.code) == (FORKLIFT_URI, "53-7051.00")


def test_the_esco_occupations_file_gives_the_esco_to_isco_crosswalk(tmp_path):
    import_esco(esco_folder(tmp_path))

    run = import_crosswalk(tmp_path / "ESCO dataset - v1.0 - es en" / "occupations_en.csv")

    assert run.counts["crosswalk"] == "esco_isco" and run.counts["created"] == 2
    assert set(Crosswalk.objects.values_list("target_occupation__code", flat=True)) == {"7115", "8344"}


def test_a_csv_that_is_not_a_crosswalk_or_has_a_wrong_code_is_refused(tmp_path):
    other = write_table(tmp_path / "people.csv", ["nombres", "dpi"], [("José", "1234")])
    assert refused(import_crosswalk, other).startswith(
        "people.csv, line 1: the columns do not look like a crosswalk"
    )
    header, rows = SOC_TO_ISCO
    wrong = write_table(tmp_path / "soc.csv", header, [*rows, ("47 2031", "Carpenters", "7115", "")])
    assert refused(import_crosswalk, wrong) == "soc.csv, line 6: “47 2031” is not a SOC or O*NET-SOC code."
    assert not Crosswalk.objects.exists()


# --- The command ---------------------------------------------------------------------------------


def test_the_command_prints_the_counts_and_the_seconds(tmp_path):
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_taxonomy", "onet", str(onet_folder(tmp_path)), stdout=out)

    output = out.getvalue()
    assert "Imported onet 29.3 from" in output
    assert "  occupations: 5\n" in output and "  alternate titles: 8\n" in output
    assert " s:\n" in output


def test_the_command_takes_esco_relations_from_another_folder(tmp_path):
    folder = esco_folder(tmp_path, leave_out=["occupationSkillRelations.csv"])
    relations = write_table(tmp_path / "occupationSkillRelations.csv", *ESCO["occupationSkillRelations.csv"])

    call_command("import_taxonomy", "esco", str(folder), "--relations", str(relations), stdout=io.StringIO())

    assert OccupationSkill.objects.count() == 3


def test_the_command_exits_with_the_message_and_no_traceback(tmp_path, capsys, monkeypatch):
    folder = onet_folder(tmp_path, files={"Occupation Data.txt": None})
    with (
        translation.override("en"),
        pytest.raises(CommandError, match=r"the file “Occupation Data\.txt” is missing"),
    ):
        call_command("import_taxonomy", "onet", str(folder))

    # As from the shell: the message on stderr, exit status 1. (run_from_argv closes the connections.)
    monkeypatch.setattr(connections, "close_all", lambda: None)
    from incluye.skills.management.commands.import_taxonomy import Command

    with translation.override("en"), pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["manage.py", "import_taxonomy", "onet", str(folder)])
    assert exit_.value.code == 1
    error = capsys.readouterr().err
    assert "CommandError: Nothing was imported. onet: the file “Occupation Data.txt” is missing." in error
    assert "Traceback" not in error


# --- The real distribution -----------------------------------------------------------------------


@pytest.mark.skipif(not (SHARED_DATA / "onet").exists(), reason="the O*NET 29.3 text files are not here")
def test_the_full_onet_29_3_distribution_imports_whole():
    # How long it takes is bench/import_taxonomy.py's figure, not a test's: a timing fails on a
    # loaded machine.
    run = import_onet(SHARED_DATA / "onet")

    counts = run.counts
    assert run.version == "29.3"
    assert counts["occupations"] == Occupation.objects.filter(system=System.ONET).count() == 1016
    assert counts["titles_alternate"] > 50_000 and counts["titles_reported"] > 7_000
    assert counts["tasks"] > 18_000 and counts["tools"] > 40_000 and counts["technology"] > 30_000
    assert counts["skills"] == 35 and counts["skill_links"] > 30_000
    assert Occupation.objects.filter(system=System.ONET, job_zone__isnull=False).count() > 900
