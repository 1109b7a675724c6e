"""What the jobs app has waiting in people's inboxes: employers' invitations waiting for the
person's answer, retention follow-ups due (for the person's organization), and the employer's own
applications to follow. Registered from `JobsConfig.ready()`."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from incluye.core.inbox import InboxItem, InboxSource, register_inbox_source
from incluye.jobs.models import Application, ApplicationStatus, RetentionFollowUp
from incluye.people.selectors import people_visible_to

FOLLOW_UPS_AHEAD_DAYS = 7


def _invitations(membership, today):
    return (
        Application.objects.filter(
            person__in=people_visible_to(membership=membership), status=ApplicationStatus.INVITED
        )
        .select_related("person", "vacancy__employer")
        .order_by("answer_due_on", "created_at")
    )


def _invitation_item(application, today):
    due = application.answer_due_on
    return InboxItem(
        title=application.person.full_name,
        detail=_("%(employer)s invites them to “%(vacancy)s”: give the person's answer")
        % {"employer": application.vacancy.employer, "vacancy": application.vacancy.title},
        url=reverse("jobs:application", args=[application.pk]),
        due_on=due,
        overdue=due is not None and due < today,
    )


def _follow_ups(membership, today):
    return (
        RetentionFollowUp.objects.filter(
            placement__person__in=people_visible_to(membership=membership),
            done_at__isnull=True,
            due_on__lte=today + datetime.timedelta(days=FOLLOW_UPS_AHEAD_DAYS),
        )
        .select_related("placement__person", "placement__employer")
        .order_by("due_on", "id")
    )


def _follow_up_item(follow_up, today):
    return InboxItem(
        title=follow_up.placement.person.full_name,
        detail=ngettext(
            "Retention follow-up, %(months)d month after starting at %(employer)s",
            "Retention follow-up, %(months)d months after starting at %(employer)s",
            follow_up.months,
        )
        % {"months": follow_up.months, "employer": follow_up.placement.employer},
        url=reverse("jobs:person", args=[follow_up.placement.person_id]) + "#placements",
        due_on=follow_up.due_on,
        overdue=follow_up.due_on < today,
    )


def _employer_applications(membership, today):
    return (
        Application.objects.filter(vacancy__employer_id=membership.organization_id)
        .filter(
            Q(status=ApplicationStatus.INVITED, answer_due_on__lt=today)
            | Q(status__in=(ApplicationStatus.REFERRED, ApplicationStatus.INTERVIEW))
        )
        .select_related("person", "vacancy")
        .order_by("status", "answer_due_on", "updated_at")
    )


def _employer_item(application, today):
    from incluye.jobs.services import pseudonym

    if application.disclosed:
        title = application.person.full_name
    else:  # the employer knows the candidate only by the vacancy's pseudonym
        title = pseudonym(person_id=application.person_id, vacancy_id=application.vacancy_id)
    detail = {
        ApplicationStatus.INVITED: _("“%(vacancy)s”: the candidate has not answered your invitation yet"),
        ApplicationStatus.REFERRED: _("“%(vacancy)s”: the candidate accepted; schedule the interview"),
        ApplicationStatus.INTERVIEW: _("“%(vacancy)s”: record whether you hired the candidate"),
    }[application.status] % {"vacancy": application.vacancy.title}
    due = application.answer_due_on if application.status == ApplicationStatus.INVITED else None
    return InboxItem(
        title=title,
        detail=detail,
        url=reverse("jobs:application", args=[application.pk]),
        due_on=due,
        overdue=due is not None and due < today,
    )


def register() -> None:
    register_inbox_source(
        InboxSource(
            key="invitations",
            title=gettext_lazy("Invitations waiting for the person's answer"),
            order=15,
            applies=lambda m: m.can("applications.manage"),
            queryset=_invitations,
            item=_invitation_item,
            overdue=lambda today: Q(answer_due_on__lt=today),
        )
    )
    register_inbox_source(
        InboxSource(
            key="retention_follow_ups",
            title=gettext_lazy("Retention follow-ups due"),
            order=22,
            applies=lambda m: m.can("applications.manage"),
            queryset=_follow_ups,
            item=_follow_up_item,
            overdue=lambda today: Q(due_on__lt=today),
        )
    )
    register_inbox_source(
        InboxSource(
            key="employer_applications",
            title=gettext_lazy("Candidates to follow"),
            order=16,
            applies=lambda m: m.can("hiring.record") and m.organization.kind == "employer",
            queryset=_employer_applications,
            item=_employer_item,
            overdue=lambda today: Q(status=ApplicationStatus.INVITED, answer_due_on__lt=today),
        )
    )
