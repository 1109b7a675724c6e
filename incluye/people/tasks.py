"""Background work of the registry (Django tasks, run by `manage.py db_worker`)."""

from django.tasks import task
from django.utils import translation

from incluye.accounts.models import User
from incluye.people.models import ManifestImport


@task()
def validate_manifest(*, manifest_id: str, language: str = "es") -> None:
    from incluye.people.imports import manifest_validate

    with translation.override(language):
        manifest_validate(
            manifest=ManifestImport.objects.select_related("organization__country", "mapping").get(
                pk=manifest_id
            )
        )


@task()
def import_manifest(*, manifest_id: str, actor_id: int | None = None, language: str = "es") -> None:
    from incluye.people.imports import manifest_import

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    with translation.override(language):
        manifest_import(
            manifest=ManifestImport.objects.select_related("organization__country", "mapping").get(
                pk=manifest_id
            ),
            actor=actor,
        )


@task()
def search_duplicates(*, search_id: int) -> None:
    """A duplicate search asked for from the queue ("check duplicates now")."""
    from incluye.people.deduplication import duplicate_search_run
    from incluye.people.models import DuplicateSearch

    duplicate_search_run(DuplicateSearch.objects.get(pk=search_id))


@task()
def pull_kobo(*, source_id: int, actor_id: int | None = None, language: str = "es") -> None:
    from incluye.people.imports.kobo import kobo_pull
    from incluye.people.models import KoboSource

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    with translation.override(language):
        kobo_pull(
            source=KoboSource.objects.select_related("organization__country").get(pk=source_id), actor=actor
        )
