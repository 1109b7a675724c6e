from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "incluye.people"
    label = "people"
    verbose_name = _("People")

    def ready(self):
        from incluye.core.actionlog import register_actions

        register_actions(
            {
                "incluye.person.registered": _("Registered a person"),
                "incluye.person.viewed": _("Opened a person's record"),
            }
        )
