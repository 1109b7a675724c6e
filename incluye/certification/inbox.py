"""What the certification app has waiting in assessors' inboxes: candidates enrolled in the body's
sessions of the coming week or already held, waiting for their results. Registered from
`CertificationConfig.ready()`."""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incluye.certification.models import Attendance, Certificate
from incluye.certification.selectors import enrollments_visible_to
from incluye.core.inbox import InboxItem, InboxSource, register_inbox_source

SESSIONS_AHEAD_DAYS = 7


def _waiting_for_results(membership, today):
    certified = Certificate.objects.filter(enrollment_id=OuterRef("pk"))
    return (
        enrollments_visible_to(membership=membership)
        .filter(session__date__lte=today + datetime.timedelta(days=SESSIONS_AHEAD_DAYS))
        .exclude(attendance=Attendance.ABSENT)
        .exclude(Exists(certified))
        .exclude(session__date__lt=today - datetime.timedelta(days=365))
        .select_related("person", "session__standard")
        .order_by("session__date", "person__name_key")
    )


def _item(enrollment, today):
    session = enrollment.session
    held = session.date <= today
    return InboxItem(
        title=enrollment.person.full_name,
        detail=(
            _("%(standard)s: session of %(day)s, record the results")
            if held
            else _("%(standard)s: enrolled for the session of %(day)s")
        )
        % {"standard": session.standard.code, "day": date_format(session.date, "SHORT_DATE_FORMAT")},
        url=reverse("certification:session", args=[session.pk]),
        due_on=session.date,
        overdue=session.date < today,
    )


def register() -> None:
    register_inbox_source(
        InboxSource(
            key="enrolments",
            title=gettext_lazy("Enrolments waiting for results"),
            order=17,
            applies=lambda m: m.can("assessments.manage") and m.organization.kind == "certifying_body",
            queryset=_waiting_for_results,
            item=_item,
            overdue=lambda today: Q(session__date__lt=today),
        )
    )
