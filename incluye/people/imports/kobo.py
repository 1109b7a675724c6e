"""Pulling arrivals from a KoboToolbox server: the project's form and every submission, page by page
(the API v2 data endpoint serves at most 1 000 per page), stored privately as one JSON file and
checked like any uploaded file. Only new submissions are imported; edited and deleted ones are
reported (see `check`)."""

import hashlib
import json
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from incluye.core.actionlog import log_action
from incluye.people.imports.base import Budget, ManifestFileError
from incluye.people.models import KoboSource, ManifestImport, ManifestSource

PAGE_SIZE = 1000
TIMEOUT = httpx.Timeout(30.0, connect=10.0)


class KoboError(Exception):
    """The server could not be read; the message says why, in the officer's language."""


def transport_for(source: KoboSource):
    """The HTTP transport (tests replace it with recorded responses; nothing here reaches the
    network during tests)."""
    if getattr(settings, "TESTING", False):
        raise RuntimeError("Tests must give KoboToolbox's answers with a recorded transport.")
    return None


def _client(source: KoboSource, transport) -> httpx.Client:
    return httpx.Client(
        base_url=source.server_url.rstrip("/"),
        headers={"Authorization": f"Token {source.token}", "Accept": "application/json"},
        timeout=TIMEOUT,
        transport=transport,
        follow_redirects=False,
    )


def _get(client: httpx.Client, url: str) -> dict:
    try:
        response = client.get(url)
    except httpx.HTTPError as error:
        raise KoboError(
            _("The KoboToolbox server could not be reached: %(error)s") % {"error": error}
        ) from None
    if response.status_code in (401, 403):
        raise KoboError(
            _("The KoboToolbox server refused the API token: check it, and the project's sharing.")
        )
    if response.status_code == 404:
        raise KoboError(_("The KoboToolbox server has no project with this uid."))
    if response.status_code != 200:
        raise KoboError(
            _("The KoboToolbox server answered with an error (%(status)d). Try again later.")
            % {"status": response.status_code}
        )
    try:
        return response.json()
    except ValueError:
        raise KoboError(_("The KoboToolbox server did not answer with JSON: is the address right?")) from None


def fetch(source: KoboSource, transport=None, budget: Budget | None = None) -> dict:
    """{"form": the form's content, "results": every submission}, page by page."""
    budget = budget or Budget()
    host = urlsplit(source.server_url).netloc
    with _client(source, transport if transport is not None else transport_for(source)) as client:
        asset = _get(client, f"/api/v2/assets/{source.asset_uid}/?format=json")
        form = asset.get("content") if isinstance(asset, dict) else None
        url = f"/api/v2/assets/{source.asset_uid}/data/?format=json&limit={PAGE_SIZE}&start=0"
        results: list = []
        pages = 0
        while url:
            page = _get(client, url)
            batch = page.get("results") if isinstance(page, dict) else None
            if not isinstance(batch, list):
                raise KoboError(_("The KoboToolbox server's answer has no submissions list."))
            results += batch
            for _row in batch:
                budget.add_row(1)
            pages += 1
            following = page.get("next")
            if following:
                # Only the same server is followed: a page never sends the token elsewhere.
                parts = urlsplit(following)
                if parts.netloc and parts.netloc != host:
                    raise KoboError(_("The KoboToolbox server pointed to another server; stopped."))
                following = parts.path + ("?" + parts.query if parts.query else "")
            url = following
    return {"form": form if isinstance(form, dict) else None, "results": results, "pages": pages}


def kobo_pull(*, source: KoboSource, actor=None, transport=None) -> ManifestImport | None:
    """Pull every submission and check them as a manifest (the officer then imports the new ones)."""
    from incluye.people.imports.services import manifest_validate

    try:
        data = fetch(source, transport)
    except (KoboError, ManifestFileError) as error:
        KoboSource.objects.filter(pk=source.pk).update(last_error=str(error))
        log_action(
            actor=actor,
            organization=source.organization,
            action="incluye.kobo.pull_failed",
            obj=source,
            data={"error": str(error)[:200]},
        )
        return None
    now = timezone.now()
    content = json.dumps({"form": data["form"], "results": data["results"]}).encode()
    manifest = ManifestImport.objects.create(
        organization=source.organization,
        uploaded_by=actor,
        reference=f"KoboToolbox · {source.name} · {timezone.localtime(now):%Y-%m-%d %H:%M}"[:80],
        arrived_on=None,
        mode=source.mode,
        returned_from=source.returned_from,
        source=ManifestSource.KOBO,
        kobo_source=source,
        file=ContentFile(content, name=f"kobo-{source.asset_uid}.json"),
        file_name=f"kobo-{source.asset_uid}.json",
        file_sha256=hashlib.sha256(content).hexdigest(),
        mapping=source.mapping,
        total_rows=len(data["results"]),
    )
    KoboSource.objects.filter(pk=source.pk).update(last_pulled_at=now, last_error="")
    log_action(
        actor=actor,
        organization=source.organization,
        action="incluye.kobo.pulled",
        obj=manifest,
        data={"submissions": len(data["results"]), "pages": data["pages"]},
    )
    return manifest_validate(manifest=manifest)
