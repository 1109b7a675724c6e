from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "incluye.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self):
        from incluye.core.actionlog import register_actions

        register_actions(
            {
                "incluye.service.created": _("Added a service to the directory"),
                "incluye.service.changed": _("Changed a service of the directory"),
                "incluye.referral.sent": _("Sent a referral"),
                "incluye.referral.viewed": _("Opened a referral"),
                "incluye.referral.accepted": _("Accepted a referral"),
                "incluye.referral.declined": _("Declined a referral"),
                "incluye.referral.completed": _("Recorded the outcome of a referral"),
                "incluye.referral.cancelled": _("Cancelled a referral"),
            }
        )
