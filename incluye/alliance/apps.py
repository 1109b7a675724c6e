from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceConfig(AppConfig):
    name = "incluye.alliance"
    label = "alliance"
    verbose_name = _("Alliance")

    def ready(self):
        from incluye.core.actionlog import register_actions

        register_actions(
            {
                "incluye.alliance.member_joined": _("Added an organization to the alliance"),
                "incluye.alliance.member_left": _("Recorded that an organization left the alliance"),
                "incluye.alliance.agreement_added": _("Recorded an agreement of the alliance"),
                "incluye.alliance.agreement_downloaded": _("Downloaded the document of an agreement"),
                "incluye.alliance.commitment_added": _("Added a commitment to the action plan"),
                "incluye.alliance.commitment_moved": _("Changed the status of a commitment"),
                "incluye.alliance.meeting_added": _("Recorded a meeting of the council"),
                "incluye.alliance.decision_added": _("Recorded a decision of the council"),
            }
        )
        from incluye.alliance import inbox

        inbox.register()
