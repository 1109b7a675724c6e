from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "incluye.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organizations")

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        from incluye.accounts.signals import second_factor_activated
        from incluye.core.actionlog import register_actions

        authenticator_added.connect(second_factor_activated, dispatch_uid="incluye_second_factor_activated")

        register_actions(
            {
                "incluye.organization.created": _("Created an organization"),
                "incluye.membership.added": _("Added a member"),
                "incluye.membership.changed": _("Changed a member's role or access"),
                "incluye.membership.switched": _("Switched the active organization"),
                "incluye.user.signed_in": _("Signed in"),
                "incluye.api_token.created": _("Created an API token"),
                "incluye.role_grant.requested": _("Asked for a role that takes a second administrator"),
                "incluye.role_grant.approved": _("Approved another administrator's role change"),
                "incluye.role_grant.rejected": _("Rejected a role change"),
                "incluye.api_token.revoked": _("Revoked an API token"),
                "incluye.user.notifications_changed": _("Changed how they receive notifications"),
            }
        )
