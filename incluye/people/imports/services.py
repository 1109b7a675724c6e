"""The manifest import as the officer (or the task worker) drives it: upload → check → import, or
discard. Validation reads the whole file and writes no person; the import writes all or nothing."""

import hashlib
import json

from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from incluye.core.actionlog import log_action
from incluye.people.imports.base import Budget, ManifestFileError
from incluye.people.imports.check import Check, ErrorLog, form_version
from incluye.people.imports.fields import kind_of
from incluye.people.imports.read import read_source
from incluye.people.imports.write import write_rows
from incluye.people.models import ColumnMapping, ManifestImport, ManifestStatus, Population

INLINE_MAX_ROWS = 300  # above this, validation and import run as background tasks
INLINE_MAX_BYTES = 256 * 1024
PREVIEW_ROWS = 20


def _set(manifest: ManifestImport, **fields) -> None:
    for name, value in fields.items():
        setattr(manifest, name, value)
    ManifestImport.objects.filter(pk=manifest.pk).update(**fields)


def _content(manifest: ManifestImport) -> bytes:
    manifest.file.open("rb")
    try:
        return manifest.file.read()
    finally:
        manifest.file.close()


def load_source(manifest: ManifestImport):
    return read_source(manifest.file_name, _content(manifest), budget=Budget())


def _fail(manifest: ManifestImport, message: str, **extra) -> ManifestImport:
    _set(
        manifest,
        status=ManifestStatus.INVALID,
        errors=[{"row": 0, "column": "", "message": message}],
        error_count=1,
        error_summary=[{"column": "", "message": message, "count": 1, "rows": []}],
        **extra,
    )
    return manifest


def manifest_validate(*, manifest: ManifestImport) -> ManifestImport:
    """Check every row; store the problems (capped), the columns found and a preview. Writes no
    person."""
    _set(manifest, status=ManifestStatus.VALIDATING, processed_rows=0, errors=[], error_count=0)
    try:
        source = load_source(manifest)
        if manifest.mapping is None:
            saved = mapping_for_version(manifest.organization, form_version(source))
            if saved is not None:
                _set(manifest, mapping=saved)
        check = Check(manifest, source, kind_of(manifest.population), manifest.mapping)
    except ManifestFileError as error:
        return _fail(manifest, str(error), total_rows=0, columns_report={})
    _set(manifest, total_rows=len(source.main.rows))
    if not source.main.rows:
        return _fail(manifest, _("The file has no rows."), columns_report=check.columns_report())
    try:
        result = check.run(progress=lambda n: _set(manifest, processed_rows=n))
    except ManifestFileError as error:
        return _fail(manifest, str(error), columns_report=check.columns_report())
    errors: ErrorLog = result.errors
    if not errors:
        _store_checked_rows(manifest, [c.data for c in result.new])
    _set(
        manifest,
        status=ManifestStatus.INVALID if errors else ManifestStatus.READY,
        processed_rows=len(source.main.rows),
        errors=sorted(errors.entries, key=lambda e: (e.get("sheet", ""), e["row"])),
        error_count=errors.count,
        error_summary=errors.summary(),
        preview=[_preview(c.data) for c in (result.new or result.valid)[:PREVIEW_ROWS]],
        columns_report=result.columns,
        review={
            "new": len(result.new),
            "known": result.known,
            "changed": result.changed,
            "deleted": result.deleted,
            "households": result.households,
            "family_members": sum(len(c.data["members"]) for c in result.new),
        },
    )
    return manifest


def _preview(data: dict) -> dict:
    person, event = data["person"], data["return"]
    return {
        "row": data["row"],
        "name": " ".join(
            filter(None, [person["given_names"], person["first_surname"], person["second_surname"]])
        ),
        "sex": person["sex"],
        "birth_date": person["birth_date"].isoformat() if person["birth_date"] else "",
        "document": data["documents"][0][1] if data["documents"] else "",
        "residence": person["residence_id"],
        "arrived_on": event["arrived_on"].isoformat() if event["arrived_on"] else "",
        "needs": event["vulnerabilities"],
        "members": len(data["members"]),
    }


def _store_checked_rows(manifest: ManifestImport, rows: list[dict]) -> None:
    if manifest.checked_rows:
        manifest.checked_rows.delete(save=False)
    manifest.checked_rows.save(
        f"{manifest.pk}.json", ContentFile(json.dumps(rows, cls=DjangoJSONEncoder).encode()), save=False
    )
    _set(manifest, checked_rows=manifest.checked_rows.name)


def _load_checked_rows(manifest: ManifestImport) -> list[dict]:
    manifest.checked_rows.open("rb")
    try:
        return json.loads(manifest.checked_rows.read())
    finally:
        manifest.checked_rows.close()


def manifest_import(*, manifest: ManifestImport, actor=None) -> ManifestImport:
    """Write every new submission in one transaction, or nothing."""
    if manifest.status not in (ManifestStatus.READY, ManifestStatus.IMPORTING):
        raise ValueError("Only a validated manifest without errors can be imported")
    _set(manifest, status=ManifestStatus.IMPORTING)
    try:
        rows = _load_checked_rows(manifest) if manifest.checked_rows else []
        with transaction.atomic():
            counts = write_rows(manifest, rows, actor)
            counts["skipped"] += manifest.review.get("known", 0)
            log_action(
                actor=actor,
                organization=manifest.organization,
                action="incluye.manifest.imported",
                obj=manifest,
                data=counts,
            )
    except Exception:
        _set(manifest, status=ManifestStatus.FAILED)
        raise
    if manifest.checked_rows:
        manifest.checked_rows.delete(save=False)  # personal data: kept no longer than needed
    _set(
        manifest,
        checked_rows="",
        status=ManifestStatus.IMPORTED,
        created_count=counts["created"],
        skipped_count=counts["skipped"],
        household_count=counts["households"],
        processed_rows=manifest.total_rows,
        finished_at=timezone.now(),
    )
    return manifest


def manifest_upload(
    *,
    membership,
    reference,
    arrived_on,
    mode,
    returned_from,
    file,
    mapping=None,
    population=Population.RETURNEE,
) -> ManifestImport:
    """Store the file privately and check it: at once for a flight, in the background for more."""
    content = file.read()
    file.seek(0)
    manifest = ManifestImport.objects.create(
        organization=membership.organization,
        uploaded_by=membership.user,
        reference=reference.strip(),
        arrived_on=arrived_on,
        mode=mode,
        returned_from=returned_from,
        population=population,
        file=file,
        file_name=file.name[:255],
        file_sha256=hashlib.sha256(content).hexdigest(),
        mapping=mapping,
        total_rows=_quick_count(file.name, content),
    )
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.manifest.uploaded",
        obj=manifest,
        data={"rows": manifest.total_rows, "sha256": manifest.file_sha256},
    )
    return manifest_check(manifest=manifest)


def _quick_count(name: str, content: bytes) -> int:
    """An estimate, to decide whether to check at once or in the background (a workbook's rows are
    only known by reading it: its own header is not trusted)."""
    from incluye.people.imports.read import is_json, is_xlsx

    if is_xlsx(name, content):
        return 0
    if is_json(name, content):
        return content.count(b'"_uuid"') or content.count(b"{")
    return max(content.count(b"\n") - 1, 0)


def mapping_for_version(organization, version: str):
    """The mapping saved for a KoboToolbox form version, if any."""
    if not version:
        return None
    return ColumnMapping.objects.filter(organization=organization, kobo_form=version).first()


def manifest_check(*, manifest: ManifestImport) -> ManifestImport:
    """Validate at once for a flight; in the background (with a progress bar) for more rows."""
    from incluye.people.tasks import validate_manifest

    if manifest.file and manifest.total_rows <= INLINE_MAX_ROWS and manifest.file.size <= INLINE_MAX_BYTES:
        return manifest_validate(manifest=manifest)
    _set(manifest, status=ManifestStatus.VALIDATING, processed_rows=0)
    transaction.on_commit(
        lambda: validate_manifest.enqueue(manifest_id=str(manifest.pk), language=get_language())
    )
    return manifest


def manifest_start_import(*, membership, manifest: ManifestImport) -> ManifestImport:
    from incluye.people.tasks import import_manifest

    if manifest.total_rows <= INLINE_MAX_ROWS:
        return manifest_import(manifest=manifest, actor=membership.user)
    _set(manifest, status=ManifestStatus.IMPORTING)
    transaction.on_commit(
        lambda: import_manifest.enqueue(
            manifest_id=str(manifest.pk), actor_id=membership.user_id, language=get_language()
        )
    )
    return manifest


def manifest_discard(*, membership, manifest: ManifestImport) -> ManifestImport:
    """A checked manifest the officer will not import: its stored file and checked rows go."""
    if manifest.status in (ManifestStatus.IMPORTING, ManifestStatus.IMPORTED):
        raise ValueError("An imported manifest cannot be discarded")
    for stored in (manifest.file, manifest.checked_rows):
        if stored:
            stored.delete(save=False)
    _set(
        manifest,
        status=ManifestStatus.DISCARDED,
        file="",
        checked_rows="",
        preview=[],
        finished_at=timezone.now(),
    )
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.manifest.discarded",
        obj=manifest,
        data={"rows": manifest.total_rows},
    )
    return manifest


def mapping_save(
    *, membership, manifest: ManifestImport, name: str, columns: dict, values: dict, kobo_form=""
):
    mapping, _created = ColumnMapping.objects.update_or_create(
        organization=membership.organization,
        name=name.strip(),
        defaults={"columns": columns, "values": values, "kobo_form": kobo_form[:120]},
    )
    _set(manifest, mapping=mapping)
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.manifest.mapping_saved",
        obj=mapping,
        data={"columns": len(columns), "values": sum(len(v) for v in values.values())},
    )
    return mapping


def kobo_source_save(*, membership, form):
    """Create or change a KoboToolbox project of the organization (the token is stored encrypted)."""
    source = form.save(commit=False)
    created = source.pk is None
    source.organization = membership.organization
    if created:
        source.created_by = membership.user
    source.save()
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.kobo.source_created" if created else "incluye.kobo.source_changed",
        obj=source,
        data={
            "server": source.server_url,
            "asset": source.asset_uid,
            "token_changed": bool(form.cleaned_data.get("token")),
        },
    )
    return source


def kobo_source_delete(*, membership, source) -> None:
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.kobo.source_deleted",
        obj=source,
        data={"server": source.server_url, "asset": source.asset_uid},
    )
    source.delete()


def kobo_pull_start(*, membership, source) -> None:
    """Pull in the background: the page shows the new check when it is done."""
    from incluye.people.tasks import pull_kobo

    transaction.on_commit(
        lambda: pull_kobo.enqueue(source_id=source.pk, actor_id=membership.user_id, language=get_language())
    )
