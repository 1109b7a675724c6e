from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def load_configured_countries(sender, using="default", **kwargs):
    """Every database (production, demo, tests) gets its countries' configuration after migrate."""
    from django.conf import settings

    from incluye.core.services import countries_of_origin_load, country_load

    for code in settings.INCLUYE_COUNTRIES:
        country_load(code=code)
    countries_of_origin_load()


class CoreConfig(AppConfig):
    name = "incluye.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        post_migrate.connect(load_configured_countries, sender=self)
