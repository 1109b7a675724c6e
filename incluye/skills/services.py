"""Writes of the skills app: the work history, its coding, and the skills profile."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incluye.core.actionlog import log_action
from incluye.core.versioning import check_current, save_versioned
from incluye.skills.models import ProfileOccupation, ProfileStatus, SkillsProfile, WorkExperience
from incluye.skills.profile import profile_document, suggested_occupations

WORK_FIELDS = [
    "job_title",
    "employer",
    "industry",
    "city",
    "region",
    "country",
    "started_on",
    "started_precision",
    "ended_on",
    "ended_precision",
    "tasks",
    "tools",
    "licences",
    "english_level",
]


def _version(record, expected_version):
    """The version the user read; None (a change made by the system) checks the version loaded."""
    return record.version if expected_version is None else expected_version


def _require(membership, permission):
    if not membership.can(permission):
        raise PermissionDenied


def _log(membership, action, obj, data=None):
    log_action(actor=membership.user, organization=membership.organization, action=action, obj=obj, data=data)


@transaction.atomic
def work_add(*, membership, person, **fields) -> WorkExperience:
    _require(membership, "skills.record")
    experience = WorkExperience.objects.create(
        person=person,
        organization=membership.organization,
        created_by=membership.user,
        **{k: v for k, v in fields.items() if k in WORK_FIELDS},
    )
    _log(membership, "incluye.work.added", experience, {"person": str(person.pk)})
    return experience


@transaction.atomic
def work_update(*, membership, experience: WorkExperience, expected_version=None, **fields) -> WorkExperience:
    _require(membership, "skills.record")
    changed = [k for k, v in fields.items() if k in WORK_FIELDS and getattr(experience, k) != v]
    for key in changed:
        setattr(experience, key, fields[key])
    if {"job_title", "tasks", "tools"} & set(changed):
        # What the person said changed: the coding must be confirmed again.
        experience.occupation = None
        experience.coder_confidence = None
        changed += ["occupation", "coder_confidence"]
    saved = save_versioned(
        experience, expected_version=_version(experience, expected_version), fields=changed
    )
    if saved["fields"]:
        _log(membership, "incluye.work.updated", experience, saved)
    return experience


@transaction.atomic
def work_remove(*, membership, experience: WorkExperience) -> None:
    _require(membership, "skills.record")
    _log(membership, "incluye.work.removed", experience, {"person": str(experience.person_id)})
    experience.delete()


@transaction.atomic
def work_code(
    *, membership, experience: WorkExperience, occupation, confidence=None, expected_version=None
) -> WorkExperience:
    """The counsellor confirms the occupation of a job (one the coder proposed, or another)."""
    _require(membership, "skills.record")
    experience.occupation = occupation
    experience.coder_confidence = confidence
    saved = save_versioned(
        experience,
        expected_version=_version(experience, expected_version),
        fields=["occupation", "coder_confidence"],
    )
    _log(
        membership,
        "incluye.work.coded",
        experience,
        {"occupation": occupation.code if occupation else None, "confidence": confidence, **saved},
    )
    return experience


@transaction.atomic
def work_split(
    *, membership, experience: WorkExperience, job_title: str, occupation, confidence=None
) -> WorkExperience:
    """A description that named several jobs ("hojalatero y pintor de carros"): one of them becomes
    a job of its own, with the same employer, place and dates, coded to its occupation."""
    _require(membership, "skills.record")
    copied = ["employer", "industry", "city", "region", "country", "started_on", "started_precision",
              "ended_on", "ended_precision", "licences", "english_level"]  # fmt: skip
    job = WorkExperience.objects.create(
        person=experience.person,
        organization=membership.organization,
        created_by=membership.user,
        job_title=job_title[:200],
        occupation=occupation,
        coder_confidence=confidence,
        **{field: getattr(experience, field) for field in copied},
    )
    _log(
        membership,
        "incluye.work.added",
        job,
        {"person": str(experience.person_id), "split_from": str(experience.pk)},
    )
    _log(membership, "incluye.work.coded", job, {"occupation": occupation.code, "confidence": confidence})
    return job


@transaction.atomic
def profile_start(*, membership, person) -> SkillsProfile:
    """A draft profile holding the occupations of the coded jobs, with their years summed. A person
    has at most one draft: starting again returns it."""
    _require(membership, "skills.record")
    draft = person.skills_profiles.filter(status=ProfileStatus.DRAFT).first()
    if draft:
        return draft
    profile = SkillsProfile.objects.create(person=person, organization=membership.organization)
    for occupation, years, jobs in suggested_occupations(person):
        chosen = ProfileOccupation.objects.create(profile=profile, occupation=occupation, years=years)
        chosen.experiences.set(jobs)
    _log(membership, "incluye.profile.created", profile, {"person": str(person.pk)})
    return profile


def _editable(profile):
    if profile.status != ProfileStatus.DRAFT:
        raise ValidationError(_("A signed profile cannot change: start a new one."))


@transaction.atomic
def profile_update(
    *, membership, profile: SkillsProfile, summary: str, years: dict, remove=(), expected_version=None
) -> SkillsProfile:
    """Sets the summary and the years per occupation; `remove` drops occupations from the profile."""
    _require(membership, "skills.record")
    _editable(profile)
    profile.summary = summary
    saved = save_versioned(profile, expected_version=_version(profile, expected_version), fields=["summary"])
    profile.occupations.filter(occupation_id__in=list(remove)).delete()
    for chosen in profile.occupations.all():
        if chosen.occupation_id in years and years[chosen.occupation_id] != chosen.years:
            chosen.years = Decimal(years[chosen.occupation_id])
            chosen.save(update_fields=["years"])
    _log(membership, "incluye.profile.updated", profile, {"removed": len(list(remove)), **saved})
    return profile


@transaction.atomic
def profile_skill_remove(
    *, membership, profile: SkillsProfile, skill_code: str, restore: bool = False, expected_version=None
):
    """Take one of its occupations' usual skills out of a draft profile (or put it back), over the
    version of the profile the user read."""
    _require(membership, "skills.record")
    _editable(profile)
    removed = [code for code in profile.removed_skills or [] if code != skill_code]
    if not restore:
        removed.append(skill_code)
    profile.removed_skills = removed
    saved = save_versioned(
        profile, expected_version=_version(profile, expected_version), fields=["removed_skills"]
    )
    _log(
        membership,
        "incluye.profile.updated",
        profile,
        {"restored" if restore else "removed_skill": skill_code, **saved},
    )
    return profile


@transaction.atomic
def profile_add_occupation(
    *, membership, profile: SkillsProfile, occupation, years=Decimal(0), expected_version=None
):
    _require(membership, "skills.record")
    _editable(profile)
    # Adding an occupation changes the profile: its version moves, so a stale page cannot sign it.
    saved = save_versioned(profile, expected_version=_version(profile, expected_version), fields=[])
    ProfileOccupation.objects.get_or_create(profile=profile, occupation=occupation, defaults={"years": years})
    _log(
        membership,
        "incluye.profile.updated",
        profile,
        {"added": occupation.code, **saved, "fields": ["occupations"]},
    )


@transaction.atomic
def profile_sign(*, membership, profile: SkillsProfile, expected_version=None) -> SkillsProfile:
    """The counsellor signs: the profile freezes as it is now (occupations, skills, standards, gaps)."""
    _require(membership, "profiles.sign")
    check_current(profile, expected_version)
    _editable(profile)
    if not profile.occupations.exists():
        raise ValidationError(_("Confirm at least one occupation before signing the profile."))
    profile.status = ProfileStatus.SIGNED
    profile.signed_by = membership.user
    profile.signed_at = timezone.now()
    profile.snapshot = {}
    profile.snapshot = profile_document(profile)
    saved = save_versioned(
        profile,
        expected_version=_version(profile, expected_version),
        fields=["status", "signed_by", "signed_at", "snapshot"],
    )
    _log(membership, "incluye.profile.signed", profile, {"person": str(profile.person_id), **saved})
    return profile


def profile_printed(*, membership, profile: SkillsProfile, language: str) -> None:
    _log(membership, "incluye.profile.printed", profile, {"language": language})


# -- Recognition of qualifications from abroad ---------------------------------------------------


@transaction.atomic
def qualification_add(*, membership, person, **fields):
    """Record a degree or title from abroad (its recognition starts "not requested" unless the
    request was already made)."""
    from incluye.skills.models import ForeignQualification, RecognitionStatus

    _require(membership, "skills.record")
    if (
        fields.get("requested_on")
        and fields.get("status", RecognitionStatus.NOT_REQUESTED) == RecognitionStatus.NOT_REQUESTED
    ):
        fields["status"] = RecognitionStatus.REQUESTED
    qualification = ForeignQualification.objects.create(
        person=person, organization=membership.organization, created_by=membership.user, **fields
    )
    _log(membership, "incluye.qualification.added", qualification, {"person": str(person.pk)})
    return qualification


@transaction.atomic
def qualification_progress(
    *,
    membership,
    qualification,
    status: str,
    on=None,
    outcome: str = "",
    body: str = "",
    expected_version=None,
):
    """The request moves on: made (to a competent body), in review, decided (with the outcome)."""
    from incluye.skills.models import DECIDED, RECOGNITION_PIPELINE, RecognitionStatus

    _require(membership, "skills.record")
    check_current(qualification, expected_version)
    RECOGNITION_PIPELINE.check(qualification.status, status)
    on = on or timezone.localdate()
    previous = qualification.status
    qualification.status = status
    fields = ["status"]
    if status == RecognitionStatus.REQUESTED:
        qualification.requested_on = on
        qualification.body = body or qualification.body
        fields += ["requested_on", "body"]
    if status in DECIDED:
        if not outcome and status != RecognitionStatus.RECOGNIZED:
            raise ValidationError({"outcome": [_("Say what was recognized, or why it was refused.")]})
        qualification.decided_on = on
        fields.append("decided_on")
    if outcome:
        qualification.outcome = outcome
        fields.append("outcome")
    saved = save_versioned(
        qualification, expected_version=_version(qualification, expected_version), fields=fields
    )
    _log(
        membership,
        "incluye.qualification.progressed",
        qualification,
        {"person": str(qualification.person_id), "from": previous, "to": status, **saved},
    )
    return qualification
