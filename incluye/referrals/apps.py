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
                "incluye.handoff.sent": _("Handed a person to another organization"),
                "incluye.handoff.viewed": _("Opened a handoff"),
                "incluye.handoff.accepted": _("Accepted a handoff"),
                "incluye.handoff.declined": _("Declined a handoff"),
                "incluye.handoff.cancelled": _("Withdrew a handoff"),
                "incluye.handoff.closed": _("Put away a declined handoff"),
                "incluye.transfer.sent": _("Offered a case to another organization"),
                "incluye.transfer.viewed": _("Opened a transfer"),
                "incluye.transfer.accepted": _("Accepted a transferred case"),
                "incluye.transfer.declined": _("Declined a transferred case"),
                "incluye.transfer.cancelled": _("Withdrew a transfer"),
                "incluye.transfer.closed": _("Put away a declined transfer"),
                "incluye.access_request.sent": _("Asked another organization for access to a record"),
                "incluye.access_request.viewed": _("Opened an access request"),
                "incluye.access_request.accepted": _("Granted an access request"),
                "incluye.access_request.declined": _("Declined an access request"),
                "incluye.access_request.cancelled": _("Withdrew an access request"),
                "incluye.access_request.closed": _("Put away a declined access request"),
            }
        )
        from incluye.people.rights import register_erasure
        from incluye.referrals import inbox

        inbox.register()
        # That a handoff, a transfer or an access request happened stays (the network indicator);
        # what the organizations wrote about the person goes.
        register_erasure(
            {
                "referrals.Handoff": ("note", "decline_reason"),
                "referrals.Transfer": ("note", "decline_reason"),
                "referrals.AccessRequest": ("note", "decline_reason"),
            }
        )
