"""Importers under malformed files: whatever bytes arrive, the answer is a clear error (or a clean
import), never a crash, and a refused file writes nothing."""

import csv
import datetime
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incluye.people.imports import ManifestFileError
from incluye.people.imports import read_table as read_manifest_table
from incluye.skills.importers.base import TaxonomyFileError
from incluye.skills.importers.base import read_table as read_taxonomy_table
from incluye.skills.standards import TEMPLATE, parse_catalogue

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

MANIFEST = (
    "nombres,primer_apellido,segundo_apellido,sexo,fecha_nacimiento,dpi,telefono\n"
    "José Ángel,Pérez,Núñez,M,1990-03-04,2746138590901,5555 1234\n"
    "María,Tzul,,F,04/05/1988,,\n"
).encode()
ONET = (
    b"O*NET-SOC Code\tTitle\tDescription\n"
    b"47-2031.00\tCarpenters\tConstruct, erect, install, or repair structures.\n"
    b"35-2014.00\tCooks, Restaurant\tPrepare, season, and cook dishes.\n"
)


@st.composite
def mutated(draw, original: bytes):
    """The file with random damage: bytes flipped, cut, inserted or duplicated, or a new encoding."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "truncate", "duplicate", "latin1"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at : at + draw(st.integers(1, 20))]
        elif kind == "insert":
            data[at:at] = draw(
                st.binary(min_size=1, max_size=12) | st.sampled_from([b",", b"\t", b'"', b"\n", b"\r", b";"])
            )
        elif kind == "truncate":
            del data[at:]
        elif kind == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 40))]
        elif kind == "latin1":
            data = bytearray(bytes(data).decode("utf-8", "replace").encode("latin-1", "replace"))
    return bytes(data)


@FUZZ
@given(st.one_of(mutated(MANIFEST), st.binary(max_size=400)))
def test_a_damaged_manifest_is_read_or_refused_with_a_message(content):
    try:
        table = read_manifest_table("manifiesto.csv", content)
    except ManifestFileError as error:
        assert str(error)
    else:
        assert all(len(row) == len(table.columns) for row in table.rows)


@FUZZ
@given(st.one_of(mutated(ONET), st.binary(max_size=300)))
def test_a_damaged_taxonomy_file_is_read_or_refused_with_its_line(content):
    try:
        rows = read_taxonomy_table("Occupation Data.txt", content, required=["O*NET-SOC Code", "Title"])
    except TaxonomyFileError as error:
        assert "Occupation Data.txt" in str(error)
    else:
        assert rows


@FUZZ
@given(st.one_of(mutated(TEMPLATE.read_bytes()), st.binary(max_size=300)))
def test_a_damaged_catalogue_gets_a_report_never_a_crash(content):
    standards, report = parse_catalogue("catalogo.csv", content)
    if not report.ok:
        assert all(message for _row, _column, message in report.errors)
    else:
        assert standards and all(s["units"] for s in standards)


@pytest.mark.django_db
@FUZZ
@given(content=mutated(MANIFEST))
def test_a_damaged_manifest_never_writes_a_person_while_it_is_checked(personas_once, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from incluye.people.imports import manifest_upload
    from incluye.people.models import ManifestStatus, Person

    before = Person.objects.count()
    manifest = manifest_upload(
        membership=personas_once.staff,
        reference=f"TA-{abs(hash(content))}",
        arrived_on=datetime.date(2026, 11, 20),
        mode="air",
        returned_from="US",
        file=SimpleUploadedFile("m.csv", content),
    )
    assert manifest.status in {ManifestStatus.READY, ManifestStatus.INVALID}
    if manifest.status == ManifestStatus.INVALID:
        assert manifest.errors and all(e["message"] for e in manifest.errors)
    assert Person.objects.count() == before


@pytest.fixture
def personas_once(personas):
    return personas


def test_the_fuzzed_originals_are_valid_to_begin_with():
    assert read_manifest_table("m.csv", MANIFEST).rows
    assert read_taxonomy_table("Occupation Data.txt", ONET, required=["O*NET-SOC Code"])
    assert parse_catalogue("c.csv", TEMPLATE.read_bytes())[1].ok
    assert list(csv.reader(io.StringIO(MANIFEST.decode())))
