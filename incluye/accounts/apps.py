from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "incluye.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organizations")

    def ready(self):
        from incluye.core.actionlog import register_actions

        register_actions(
            {
                "incluye.organization.created": _("Created an organization"),
                "incluye.membership.added": _("Added a member"),
                "incluye.membership.changed": _("Changed a member's role or access"),
                "incluye.membership.switched": _("Switched the active organization"),
                "incluye.user.signed_in": _("Signed in"),
                "incluye.user.notifications_changed": _("Changed how they receive notifications"),
            }
        )
