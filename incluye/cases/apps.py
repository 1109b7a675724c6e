from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _status_changed(sender, person, **kwargs):
    from incluye.cases.services import documents_follow_status

    documents_follow_status(person=person)


class CasesConfig(AppConfig):
    name = "incluye.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from incluye.core.actionlog import register_actions
        from incluye.people.services import migration_status_changed

        migration_status_changed.connect(_status_changed, dispatch_uid="cases.documents_follow_status")

        register_actions(
            {
                "incluye.case.opened": _("Opened a case"),
                "incluye.case.transferred": _("Took over a case transferred by another organization"),
                "incluye.case.viewed": _("Looked at a case"),
                "incluye.case.moved": _("Moved a case to another stage"),
                "incluye.case.closed": _("Closed a case"),
                "incluye.case.reopened": _("Reopened a case"),
                "incluye.case.note_added": _("Added a note to a case"),
                "incluye.task.created": _("Created a task"),
                "incluye.task.done": _("Completed a task"),
                "incluye.document.updated": _("Updated a document of the checklist"),
                "incluye.scan.uploaded": _("Uploaded a scan of a document"),
                "incluye.scan.viewed": _("Opened a scan of a document"),
                "incluye.screening.recorded": _("Recorded a psychosocial screening"),
                "incluye.follow_up.recorded": _("Recorded a reintegration follow-up"),
                "incluye.goal.set": _("Set a goal of the plan"),
                "incluye.alert.raised": _("A screening raised a risk alert"),
                "incluye.alert.viewed": _("Opened a risk alert"),
                "incluye.alert.acknowledged": _("Acknowledged a risk alert"),
                "incluye.alert.plan_updated": _("Updated the safety plan of a risk alert"),
                "incluye.alert.resolved": _("Completed the safety plan of a risk alert"),
                "incluye.alert.escalated": _("A risk alert nobody acknowledged in time was escalated"),
            }
        )
        from incluye.cases import inbox
        from incluye.people.rights import register_erasure

        inbox.register()
        # An alert's count stays for the organization; what fired it and the plan go.
        register_erasure({"cases.RiskAlert": ("rules", "plan_items", "plan_note")})
