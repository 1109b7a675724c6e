from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from incluye.core.actionlog import log_action
from incluye.core.pipeline import TransitionNotAllowed
from incluye.core.versioning import check_current, save_versioned
from incluye.impact.models import STORY_PIPELINE, Story, StoryStatus

STORY_FIELDS = ("title_es", "title_en", "text_es", "text_en", "signature", "photo")


def _require(membership, permission):
    if not membership.can(permission):
        raise PermissionDenied


def story_create(*, membership, person, **fields) -> Story:
    _require(membership, "stories.manage")
    story = Story.objects.create(
        person=person,
        organization=membership.organization,
        created_by=membership.user,
        **{k: v for k, v in fields.items() if k in STORY_FIELDS},
    )
    log_action(
        actor=membership.user, organization=membership.organization, action="incluye.story.created", obj=story
    )
    return story


def story_update(*, membership, story: Story, expected_version=None, **fields) -> Story:
    _require(membership, "stories.manage")
    names = [key for key in fields if key in STORY_FIELDS]
    for key in names:
        setattr(story, key, fields[key])
    saved = save_versioned(
        story, expected_version=story.version if expected_version is None else expected_version, fields=names
    )
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.story.updated",
        obj=story,
        data=saved,
    )
    return story


def _latest_given(person) -> bool:
    from incluye.people.models import ConsentPurpose

    latest = person.consents.filter(purpose=ConsentPurpose.STORIES).order_by("-recorded_at", "-id").first()
    return bool(
        latest and latest.given and (latest.expires_on is None or latest.expires_on >= timezone.localdate())
    )


def story_publish(*, membership, story: Story, expected_version=None) -> Story:
    """Publish a story; refused unless the person's latest consent for stories is given."""
    _require(membership, "stories.manage")
    if not _latest_given(story.person):
        raise ValidationError(
            _("The person has not given (or has withdrawn) consent for stories and communications.")
        )
    return _move(membership, story, StoryStatus.PUBLISHED, "incluye.story.published", expected_version)


def story_withdraw(*, membership, story: Story, expected_version=None) -> Story:
    _require(membership, "stories.manage")
    return _move(membership, story, StoryStatus.WITHDRAWN, "incluye.story.withdrawn", expected_version)


def _move(membership, story, status, action, expected_version=None):
    check_current(story, expected_version)
    try:
        STORY_PIPELINE.check(story.status, status)
    except TransitionNotAllowed as exc:
        raise ValidationError(exc.message) from exc
    story.status = status
    if status == StoryStatus.PUBLISHED:
        story.published_at = timezone.now()
    saved = save_versioned(
        story,
        expected_version=story.version if expected_version is None else expected_version,
        fields=["status", "published_at"],
    )
    log_action(
        actor=membership.user, organization=membership.organization, action=action, obj=story, data=saved
    )
    return story


def export_logged(*, membership, what: str, data: dict) -> None:
    """Every export is in the action log (ids, filters and formats only: nothing sensitive)."""
    action = "incluye.impact.records_exported" if what == "records" else "incluye.impact.exported"
    log_action(actor=membership.user, organization=membership.organization, action=action, data=data)
