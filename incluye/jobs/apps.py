from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "incluye.jobs"
    label = "jobs"
    verbose_name = _("Employment and entrepreneurship")

    def ready(self):
        from incluye.people.rights import register_erasure

        # Erasure keeps that an application, a placement or a business existed (indicators:
        # placements, retention, businesses started) but not the free text about the person.
        register_erasure(
            {
                "jobs.Availability": (),
                "jobs.Application": ("note", "reasons"),
                "jobs.ApplicationStep": (),
                "jobs.Placement": (),
                "jobs.RetentionFollowUp": ("note",),
                "jobs.Business": ("name", "idea", "training"),
                "jobs.BusinessStatusChange": ("note",),
                "jobs.Funding": ("source",),
            }
        )
        from incluye.core.actionlog import register_actions

        register_actions(
            {
                "incluye.commitment.saved": _("Recorded the commitment to inclusive hiring"),
                "incluye.vacancy.created": _("Posted a vacancy"),
                "incluye.vacancy.updated": _("Changed a vacancy"),
                "incluye.availability.set": _("Recorded when and how a person can work"),
                "incluye.application.invited": _("Invited a candidate to a vacancy"),
                "incluye.application.shortlisted": _("Put a vacancy on a person's shortlist"),
                "incluye.application.referred": _("The person accepted: referred to the employer"),
                "incluye.application.declined": _("The person declined an invitation"),
                "incluye.application.withdrawn": _("Withdrew an application"),
                "incluye.application.interview": _("Recorded a job interview"),
                "incluye.application.hired": _("Recorded a hire"),
                "incluye.application.not_hired": _("Recorded that a candidate was not hired"),
                "incluye.placement.opened": _("Opened a placement with its follow-ups"),
                "incluye.retention.recorded": _("Recorded a retention follow-up"),
                "incluye.business.created": _("Started following a business"),
                "incluye.business.updated": _("Updated a business"),
                "incluye.business.funded": _("Recorded seed capital or credit for a business"),
                "incluye.candidates.exported": _("Exported the anonymized candidates of a vacancy"),
            }
        )
        from incluye.jobs import inbox

        inbox.register()
