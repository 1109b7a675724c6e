from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "incluye.participants"
    label = "participants"
    verbose_name = _("The person's own door")

    def ready(self):
        from incluye.core.actionlog import register_actions
        from incluye.people.rights import DELETE, WITHHOLD_ALL, register_erasure, register_export_rules

        # Erased, the person's door closes: the account and its codes go; that a copy was asked
        # for and delivered stays (the organization's answer to the request).
        register_erasure(
            {
                "participants.ParticipantAccount": DELETE,
                "participants.SignInCode": DELETE,
                "participants.DataCopyRequest": (),
            }
        )
        # A code's hash is a secret of the sign-in, never part of anyone's copy.
        register_export_rules({"participants.SignInCode": lambda obj, membership: WITHHOLD_ALL})
        register_actions(
            {
                "incluye.participant.invited": _("Invited the person to their own page (/me/)"),
                "incluye.participant.revoked": _("Withdrew the person's access to their own page"),
                "incluye.participant.signed_in": _("The person signed in to their own page"),
                "incluye.participant.copy_requested": _("The person asked for a copy of their data"),
                "incluye.participant.copy_delivered": _("Gave the person the copy of their data"),
            }
        )
        from incluye.participants import inbox

        inbox.register()
