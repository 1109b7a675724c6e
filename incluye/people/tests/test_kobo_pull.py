"""Pulling arrivals from a KoboToolbox server: per-organization server, project and API token (the
token encrypted at rest), page by page, into the same check and import. The server's answers are
recorded (the fixture's form and submissions); nothing reaches the network."""

import json
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest
from django.db import connection
from django.urls import reverse

from incluye.people.imports import kobo
from incluye.people.models import ImportedSubmission, KoboSource, ManifestImport, Person
from incluye.people.tests.test_kobo import map_and_check

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data" / "kobo"
FORM = json.loads((DATA / "form_and_submissions.json").read_text())
TOKEN = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"
UID = "aRgMxT7sQ2kLpC9aZb3hJ4"
SERVER = "https://kf.kobotoolbox.org"


class RecordedServer:
    """KoboToolbox's API v2 as recorded: the asset (with its form) and the data, `per_page` at a time."""

    def __init__(self, submissions, per_page=12, status=200, next_host=None):
        self.submissions, self.per_page, self.status, self.next_host = (
            submissions,
            per_page,
            status,
            next_host,
        )
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.status != 200:
            return httpx.Response(self.status, json={"detail": "Invalid token."})
        if request.url.path == f"/api/v2/assets/{UID}/":
            return httpx.Response(200, json={"uid": UID, "content": FORM["content"]})
        if request.url.path == f"/api/v2/assets/{UID}/data/":
            query = parse_qs(request.url.query.decode())
            start = int(query.get("start", ["0"])[0])
            page = self.submissions[start : start + self.per_page]
            following = start + self.per_page
            host = self.next_host or SERVER
            return httpx.Response(
                200,
                json={
                    "count": len(self.submissions),
                    "next": f"{host}/api/v2/assets/{UID}/data/?format=json&limit=1000&start={following}"
                    if following < len(self.submissions)
                    else None,
                    "previous": None,
                    "results": page,
                },
            )
        return httpx.Response(404, json={"detail": "Not found."})


@pytest.fixture
def server(monkeypatch):
    recorded = RecordedServer(FORM["submissions"])
    monkeypatch.setattr(kobo, "transport_for", lambda source: httpx.MockTransport(recorded))
    return recorded


@pytest.fixture
def source(personas):
    admin = personas.client("admin")
    response = admin.post(
        reverse("people:kobo_sources"),
        {
            "name": "Frontera El Carmen",
            "server_url": SERVER,
            "asset_uid": UID,
            "token": TOKEN,
            "mode": "land",
            "returned_from": "MX",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return KoboSource.objects.get()


def pull(client, source, capture):
    with capture(execute=True):
        response = client.post(reverse("people:kobo_pull", args=[source.pk]))
    assert response.status_code == 302
    return ManifestImport.objects.filter(kobo_source=source).order_by("-created_at").first()


def test_the_token_is_encrypted_at_rest_and_never_shown_again(personas, source):
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM people_kobosource")
        [(stored,)] = cursor.fetchall()
    assert stored.startswith("enc1:") and TOKEN not in stored
    assert KoboSource.objects.get().token == TOKEN
    for name in ("admin", "staff"):
        page = personas.client(name).get(reverse("people:kobo_sources")).content.decode()
        assert TOKEN not in page and "Frontera El Carmen" in page
    edit = personas.client("admin").get(reverse("people:kobo_source", args=[source.pk])).content.decode()
    assert TOKEN not in edit
    # Saving without a token keeps the saved one.
    personas.client("admin").post(
        reverse("people:kobo_source", args=[source.pk]),
        {
            "name": "Frontera",
            "server_url": SERVER,
            "asset_uid": UID,
            "token": "",
            "mode": "land",
            "returned_from": "MX",
        },
    )
    assert KoboSource.objects.get().token == TOKEN


def test_a_pull_reads_every_page_and_goes_through_the_same_check_and_import(
    personas, source, server, django_capture_on_commit_callbacks
):
    client = personas.client("staff")
    manifest = pull(client, source, django_capture_on_commit_callbacks)
    data_requests = [r for r in server.requests if r.url.path.endswith("/data/")]
    assert len(data_requests) == 2  # 12 + 8, following "next"
    assert all(parse_qs(r.url.query.decode())["limit"] == ["1000"] for r in data_requests)
    assert all(r.headers["Authorization"] == f"Token {TOKEN}" for r in server.requests)
    assert manifest.total_rows == 20 and manifest.status == "invalid"  # the "otro" sex, as in a file
    manifest = map_and_check(client, manifest, {("sex", "otro"): "X"})
    assert manifest.status == "ready"
    client.post(reverse("people:manifest_import", args=[manifest.pk]))
    manifest.refresh_from_db()
    assert (manifest.status, manifest.created_count, manifest.household_count) == ("imported", 20, 7)
    person = ImportedSubmission.objects.get(key="uuid:" + FORM["submissions"][0]["_uuid"]).person
    event = person.returns.get()
    # No arrival date in a pull: each submission's own day; mode and origin from the project.
    assert (event.arrived_on.isoformat(), event.mode, event.returned_from) == ("2026-11-20", "land", "MX")


def test_a_second_pull_imports_only_the_new_submissions(
    personas, source, server, django_capture_on_commit_callbacks
):
    client = personas.client("staff")
    first = map_and_check(
        client, pull(client, source, django_capture_on_commit_callbacks), {("sex", "otro"): "X"}
    )
    client.post(reverse("people:manifest_import", args=[first.pk]))
    extra = []
    for n in range(5):
        new = dict(FORM["submissions"][n], _uuid=f"new-{n}", _id=152000000 + n)
        new["datos_personales/numero_dpi"] = ""
        new["datos_personales/nombres"] = f"Nueva {n}"
        extra.append(new)
    server.submissions = FORM["submissions"] + extra
    second = pull(client, source, django_capture_on_commit_callbacks)
    assert second.mapping == first.mapping  # saved for the project, used again
    assert second.status == "ready", second.errors
    assert (second.review["new"], second.review["known"]) == (5, 20)
    client.post(reverse("people:manifest_import", args=[second.pk]))
    assert Person.objects.count() == 25


def test_a_refused_token_is_reported_and_nothing_is_created(
    personas, source, server, django_capture_on_commit_callbacks
):
    server.status = 401
    assert pull(personas.client("staff"), source, django_capture_on_commit_callbacks) is None
    source.refresh_from_db()
    assert "token" in source.last_error
    page = personas.client("staff").get(reverse("people:kobo_sources")).content.decode()
    assert "rechazó el token" in page


def test_a_page_pointing_to_another_server_is_not_followed(
    personas, source, server, django_capture_on_commit_callbacks
):
    server.next_host = "https://elsewhere.example"
    assert pull(personas.client("staff"), source, django_capture_on_commit_callbacks) is None
    assert all(r.url.host == "kf.kobotoolbox.org" for r in server.requests)
    source.refresh_from_db()
    assert "otro servidor" in source.last_error


def test_only_administrators_configure_a_project_and_only_over_https(personas, source):
    staff = personas.client("staff")
    assert staff.post(reverse("people:kobo_sources"), {"name": "x"}).status_code == 403
    assert staff.get(reverse("people:kobo_source", args=[source.pk])).status_code == 403
    response = personas.client("admin").post(
        reverse("people:kobo_sources"),
        {
            "name": "Otra",
            "server_url": "http://kobo.example",
            "asset_uid": "abcdefghij12",
            "token": TOKEN,
            "mode": "air",
            "returned_from": "US",
        },
    )
    assert response.status_code == 400
    assert "https://" in response.content.decode()


def test_tests_cannot_reach_the_network(personas, source):
    with pytest.raises(RuntimeError):
        kobo.fetch(source)
